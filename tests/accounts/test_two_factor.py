"""The second factor: set up at first sign-in, asked at every sign-in, required in the back
office for everybody who sees personal data; recovery codes work once."""

import re

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from clustertalks.accounts import services
from clustertalks.accounts.checks import two_factor_is_required
from clustertalks.talks.models import Talk
from tests.accounts.helpers import app_device, current_code, sign_in

ADMIN = "/admin/"


def recovery_codes_in(response) -> list[str]:
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())


def verify(client, code, next_url=ADMIN):
    return client.post(reverse("accounts:verify"), {"code": code, "next": next_url})


# --- who must use a second factor -------------------------------------------------------------


def test_requires_two_factor_follows_the_personal_data_rule(make_user):
    assert services.requires_two_factor(make_user("boss", superuser=True))
    assert services.requires_two_factor(
        make_user("clerk", perms=["registrations.view_registration"])
    )
    assert not services.requires_two_factor(make_user("editor", perms=["talks.change_talk"]))


def test_a_superuser_without_a_second_factor_is_sent_to_set_one_up(client, superuser):
    response = sign_in(client, "boss", next_url="/admin/talks/talk/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:enrol"))
    assert "next=%2Fadmin%2Ftalks%2Ftalk%2F" in response["Location"]


def test_until_then_no_back_office_page_opens(client, superuser):
    sign_in(client, "boss")
    for url in [ADMIN, "/admin/registrations/registration/", "/admin/auth/user/",
                reverse("accounts:security"), reverse("accounts:recovery_codes")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:enrol")), url


def test_until_then_the_session_counts_for_nothing_on_public_pages(client, superuser, make_talk):
    draft = make_talk("Secret plans", status=Talk.Status.DRAFT)
    sign_in(client, "boss")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_whoever_needs_no_second_factor_signs_in_with_the_password(client, make_user):
    make_user("editor", perms=["talks.change_talk"])
    response = sign_in(client, "editor")
    assert response["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_a_role_that_sees_registrations_must_set_one_up(client, make_user):
    make_user("clerk", perms=["registrations.view_registration"])
    response = sign_in(client, "clerk")
    assert response["Location"].startswith(reverse("accounts:enrol"))


def test_the_setting_off_lets_the_password_alone_in(client, superuser, settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = False
    assert sign_in(client, "boss")["Location"] == ADMIN
    assert client.get(ADMIN).status_code == 200


def test_deploy_check_warns_when_the_setting_is_off(settings):
    assert two_factor_is_required(None) == []
    settings.ADMIN_REQUIRE_TWO_FACTOR = False
    assert [w.id for w in two_factor_is_required(None)] == ["accounts.W001"]


# --- setting up the authenticator app --------------------------------------------------------


def test_enrolment_page_shows_a_qr_code_made_here_and_the_key(client, superuser):
    sign_in(client, "boss")
    response = client.get(reverse("accounts:enrol"))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<svg role="img"' in page and "<title>QR code for your authenticator app</title>" in page
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    assert services.app_secret(device) in page
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    # The same secret on reload, so a code scanned a moment ago still matches.
    client.get(reverse("accounts:enrol"))
    assert TOTPDevice.objects.filter(user=superuser).count() == 1


def test_a_wrong_code_does_not_confirm_the_app(client, superuser):
    sign_in(client, "boss")
    client.get(reverse("accounts:enrol"))
    response = client.post(reverse("accounts:enrol"), {"code": "000000", "next": ADMIN})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and "This code does not match" in page
    assert 'aria-invalid="true"' in page
    # The hint and the error are what a screen reader reads with the field.
    described_by = re.search(r'<input[^>]*id="id_code"[^>]*>', page).group(0)
    ids = re.search(r'aria-describedby="([^"]+)"', described_by).group(1).split()
    assert ids == ["id_code_helptext", "id_code_error"]
    assert all(f'id="{i}"' in page for i in ids)
    assert not TOTPDevice.objects.get(user=superuser).confirmed
    assert client.get(ADMIN).status_code == 302


def test_the_right_code_confirms_the_app_and_shows_ten_recovery_codes_once(client, superuser):
    sign_in(client, "boss")
    client.get(reverse("accounts:enrol"))
    device = TOTPDevice.objects.get(user=superuser)
    response = client.post(reverse("accounts:enrol"), {"code": current_code(device), "next": ADMIN})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    codes = recovery_codes_in(response)
    assert len(codes) == 10 and len(set(codes)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(ADMIN).status_code == 200  # this session is verified now
    # Shown once: the page that lists them later gives a count, not the codes.
    later = client.get(reverse("accounts:recovery_codes"))
    assert "10 unused recovery codes" in later.content.decode()
    assert not set(codes) & set(recovery_codes_in(later))


# --- signing in with a second factor ---------------------------------------------------------


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_one(client, superuser):
    device = app_device(superuser)
    response = sign_in(client, "boss")
    assert response["Location"].startswith(reverse("accounts:verify"))

    page = client.get(response["Location"]).content.decode()
    assert 'autocomplete="one-time-code"' in page and 'for="id_code"' in page
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    response = verify(client, wrong)
    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert client.get(ADMIN).status_code == 302


def test_the_right_code_opens_the_back_office_where_the_user_was_going(client, superuser):
    device = app_device(superuser)
    sign_in(client, "boss", next_url="/admin/talks/talk/")
    response = verify(client, current_code(device), next_url="/admin/talks/talk/")
    assert response.status_code == 302 and response["Location"] == "/admin/talks/talk/"
    assert client.get("/admin/talks/talk/").status_code == 200


def test_a_next_address_on_another_site_is_ignored(client, superuser):
    device = app_device(superuser)
    sign_in(client, "boss")
    response = verify(client, current_code(device), next_url="https://evil.example/")
    assert response["Location"] == ADMIN


def test_a_code_cannot_be_used_twice(client, superuser):
    device = app_device(superuser)
    code = current_code(device)
    sign_in(client, "boss")
    assert verify(client, code).status_code == 302
    client.post(reverse("admin:logout"))
    sign_in(client, "boss")
    assert verify(client, code).status_code == 200


def test_wrong_codes_in_a_row_slow_down_guessing(client, superuser, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    device = app_device(superuser)
    sign_in(client, "boss")
    verify(client, "000000" if current_code(device) != "000000" else "111111")
    response = verify(client, current_code(device))
    assert response.status_code == 200
    assert "Too many wrong codes in a row" in response.content.decode()


def test_a_user_who_set_up_a_factor_voluntarily_is_asked_for_it(client, make_user):
    editor = make_user("editor", perms=["talks.change_talk"])
    device = app_device(editor)
    assert sign_in(client, "editor")["Location"].startswith(reverse("accounts:verify"))
    assert client.get(ADMIN).status_code == 302
    verify(client, current_code(device))
    assert client.get(ADMIN).status_code == 200


# --- recovery codes --------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, superuser):
    app_device(superuser)
    codes = services.new_recovery_codes(superuser)

    sign_in(client, "boss")
    response = verify(client, codes[0].upper())  # typed in capitals: still fine
    assert response.status_code == 302 and response["Location"] == ADMIN
    assert "9 are left" in client.get(ADMIN).content.decode()

    client.post(reverse("admin:logout"))
    sign_in(client, "boss")
    assert verify(client, codes[0]).status_code == 200
    assert verify(client, codes[1]).status_code == 302
    assert StaticToken.objects.filter(device__user=superuser).count() == 8


def test_making_new_recovery_codes_voids_the_old_ones(client, superuser):
    device = app_device(superuser)
    old = services.new_recovery_codes(superuser)
    sign_in(client, "boss")
    verify(client, current_code(device))

    response = client.post(reverse("accounts:recovery_codes"))
    new = recovery_codes_in(response)
    assert len(new) == 10 and not set(new) & set(old)

    client.post(reverse("admin:logout"))
    sign_in(client, "boss")
    assert verify(client, old[0]).status_code == 200
    assert verify(client, new[0]).status_code == 302


def test_recovery_codes_cannot_be_remade_before_the_second_factor(client, superuser):
    app_device(superuser)
    old = services.new_recovery_codes(superuser)
    sign_in(client, "boss")
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 302
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(old)


def test_the_security_page_lists_the_factors(client, superuser):
    device = app_device(superuser)
    services.new_recovery_codes(superuser)
    sign_in(client, "boss")
    verify(client, current_code(device))
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Authenticator app" in page and "10 unused codes" in page



def test_the_gate_asks_the_database_three_times_for_a_user_without_second_factor(
    make_user, count_queries
):
    """Asked on every request until the user is verified: one query for "any second factor?",
    two for the permissions (then cached on the user)."""
    editor = make_user("editor", perms=["talks.change_talk"])
    editor = type(editor).objects.get(pk=editor.pk)
    assert count_queries(services.next_step, editor) == 3
    assert services.next_step(editor) is None
