"""Defect 14: guessing passwords stops after a few tries, per account and per address."""

import datetime as dt

from axes.models import AccessAttempt
from django.urls import reverse

from tests.accounts.helpers import sign_in


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_few_typos_do_not_lock_anybody_out(client, make_user):
    make_user("ana")
    for _ in range(4):
        assert sign_in(client, "ana", "wrong").status_code == 200
    response = sign_in(client, "ana")
    assert response.status_code == 302 and signed_in(client)


def test_five_wrong_passwords_lock_the_account_even_from_new_addresses(client, make_user):
    make_user("ana")
    for n in range(5):
        sign_in(client, "ana", "wrong", address=f"203.0.113.{n + 1}")
    # The right password, from an address that never failed: still refused while locked.
    response = sign_in(client, "ana", address="192.0.2.200")
    assert response.status_code == 429
    assert not signed_in(client)
    page = response.content.decode()
    assert "Too many failed sign-ins for this account or from this address" in page
    assert "15 minutes" in page
    assert 'role="alert"' in page


def test_five_failures_from_one_address_lock_that_address_for_every_account(client, make_user):
    make_user("ana")
    for n in range(5):
        sign_in(client, f"guess{n}", "wrong", address="203.0.113.9")
    assert sign_in(client, "ana", address="203.0.113.9").status_code == 429
    assert not signed_in(client)
    # Ana herself, elsewhere, is not locked out by somebody else's guessing of other names.
    assert sign_in(client, "ana", address="192.0.2.10").status_code == 302
    assert signed_in(client)


def test_the_lock_lifts_after_the_cool_off(client, make_user, settings):
    make_user("ana")
    for _ in range(5):
        sign_in(client, "ana", "wrong")
    assert sign_in(client, "ana").status_code == 429
    # Move the failures back beyond the cool-off instead of waiting 15 minutes.
    AccessAttempt.objects.update(
        attempt_time=dt.datetime.now(dt.UTC) - settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=1)
    )
    assert sign_in(client, "ana").status_code == 302
    assert signed_in(client)


def test_the_login_page_shows_a_wrong_password_as_an_announced_error(client, make_user):
    make_user("ana")
    response = sign_in(client, "ana", "wrong")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in page and "Please enter the correct username and password" in page
    assert "<h1>" in page


def test_the_back_office_login_address_is_ours(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert 'autocomplete="current-password"' in response.content.decode()
