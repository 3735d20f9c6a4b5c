"""Passkeys (django-otp-webauthn) as a second factor: set up at first sign-in, used at the next
one; a forged answer is refused; never a way around the password."""

import json

import pytest
from django.urls import reverse
from django_otp_webauthn.models import WebAuthnCredential

from tests.accounts.helpers import app_device, sign_in
from tests.accounts.soft_authenticator import SoftAuthenticator, b64url

ADMIN = "/admin/"


@pytest.fixture
def authenticator(settings, client):
    # Passkeys are offered only at the relying party's host name.
    client.defaults["HTTP_HOST"] = settings.OTP_WEBAUTHN_RP_ID
    return SoftAuthenticator(origin=settings.OTP_WEBAUTHN_ALLOWED_ORIGINS[0])


def post_json(client, name, data=None, **extra):
    return client.post(reverse(f"otp_webauthn:{name}"), json.dumps(data or {}),
                       content_type="application/json", **extra)


def register(client, authenticator):
    options = post_json(client, "credential-registration-begin").json()
    return post_json(client, "credential-registration-complete", authenticator.register(options))


def test_registration_options_name_this_site(client, superuser, settings):
    sign_in(client, "boss")
    response = post_json(client, "credential-registration-begin")
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": settings.OTP_WEBAUTHN_RP_ID, "name": settings.OTP_WEBAUTHN_RP_NAME}
    assert options["user"]["name"] == "boss"
    assert len(options["challenge"]) >= 22


def test_a_passkey_set_up_at_first_sign_in_opens_the_back_office(client, superuser, authenticator):
    sign_in(client, "boss")
    page = client.get(reverse("accounts:enrol")).content.decode()
    assert 'id="passkey-registration-placeholder"' in page and "accounts/passkeys.js" in page
    assert client.get(ADMIN).status_code == 302
    response = register(client, authenticator)
    assert response.status_code == 200, response.content
    assert WebAuthnCredential.objects.filter(user=superuser, confirmed=True).count() == 1
    assert client.get(ADMIN).status_code == 200
    # ...and the enrolment page then hands out the recovery codes (what passkeys.js posts).
    response = client.post(reverse("accounts:recovery_codes"), {"next": ADMIN})
    assert response.content.decode().count("<li><code>") == 10


def test_the_passkey_is_the_second_factor_at_the_next_sign_in(client, superuser, authenticator):
    sign_in(client, "boss")
    register(client, authenticator)
    client.post(reverse("admin:logout"))

    assert sign_in(client, "boss")["Location"].startswith(reverse("accounts:verify"))
    page = client.get(reverse("accounts:verify")).content.decode()
    assert 'id="passkey-verification-placeholder"' in page
    options = post_json(client, "credential-authentication-begin").json()
    assert [c["id"] for c in options["allowCredentials"]] == [b64url(authenticator.credential_id)]
    response = post_json(client, "credential-authentication-complete", authenticator.authenticate(options))
    assert response.status_code == 200, response.content
    assert response.json()["redirect_url"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_forged_answer_is_refused(client, superuser, authenticator):
    sign_in(client, "boss")
    register(client, authenticator)
    client.post(reverse("admin:logout"))
    sign_in(client, "boss")

    options = post_json(client, "credential-authentication-begin").json()
    response = post_json(client, "credential-authentication-complete",
                         authenticator.authenticate(options, tamper=True))
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()
    assert client.get(ADMIN).status_code == 302


@pytest.mark.parametrize("body", [{}, {"id": "x", "type": "public-key", "response": {}}])
def test_garbage_gets_a_clear_4xx(client, superuser, authenticator, body):
    sign_in(client, "boss")
    register(client, authenticator)
    client.post(reverse("admin:logout"))
    sign_in(client, "boss")
    post_json(client, "credential-authentication-begin")
    response = post_json(client, "credential-authentication-complete", body)
    assert 400 <= response.status_code < 500 and "detail" in response.json()
    assert client.get(ADMIN).status_code == 302


def test_an_answer_without_a_started_ceremony_is_refused(client, superuser, authenticator):
    sign_in(client, "boss")
    response = post_json(client, "credential-authentication-complete", {})
    assert response.status_code == 400 and response.json()["code"] == "invalid_state"


def test_no_passkey_sign_in_without_the_password(client, db):
    response = post_json(client, "credential-authentication-begin")
    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


def test_no_new_passkey_for_a_session_that_skipped_its_second_factor(client, superuser):
    app_device(superuser)
    sign_in(client, "boss")
    response = post_json(client, "credential-registration-begin")
    assert response.status_code == 403 and response.json()["code"] == "user_not_verified"
