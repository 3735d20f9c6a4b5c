"""The back office and its sign-in pages send a strict Content-Security-Policy, and the passkey
scripts come from this site's static files."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.accounts.helpers import sign_in


def policy(response) -> dict[str, str]:
    return dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )


@pytest.mark.parametrize("url", ["/admin/login/", "/admin/account/verify/", "/admin/password_change/"])
def test_back_office_pages_send_a_csp_without_inline_script(client, db, url):
    response = client.get(url)
    csp = policy(response)
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_the_admin_index_sends_it_too(admin_client, settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = False  # admin_client skipped the sign-in steps
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert policy(response)["script-src"] == "'self'"


def test_every_script_on_the_sign_in_pages_is_a_file_of_this_site(client, superuser, settings):
    client.defaults["HTTP_HOST"] = settings.OTP_WEBAUTHN_RP_ID
    sign_in(client, "boss")
    page = client.get(reverse("accounts:enrol")).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", page)
    assert scripts
    for attributes in scripts:
        if 'type="application/json"' in attributes:
            continue  # data for the script (json_script), never run
        source = re.search(r'src="([^"]+)"', attributes).group(1)
        assert source.startswith("/"), source
    for name in ["django_otp_webauthn/otp_webauthn_register.js",
                 "django_otp_webauthn/otp_webauthn_auth.js", "accounts/passkeys.js"]:
        assert finders.find(name), name


def test_passkeys_are_not_offered_at_an_address_they_cannot_work_at(client, superuser):
    sign_in(client, "boss")
    page = client.get(reverse("accounts:enrol"), HTTP_HOST="127.0.0.1").content.decode()
    assert "passkey-registration-placeholder" not in page
    assert "Passkeys work only at the address" in page
