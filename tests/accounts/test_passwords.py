"""Passwords are stored with Argon2; older hashes keep working and are upgraded at sign-in."""

from django.contrib.auth.hashers import make_password

from clustertalks import settings as project_settings
from tests.accounts.helpers import PASSWORD, sign_in


def test_argon2_is_the_hasher_for_new_passwords(settings, make_user):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    user = make_user("ana")
    assert user.password.startswith("argon2$argon2id$")


def test_an_old_pbkdf2_hash_still_signs_in_and_is_upgraded(settings, client, make_user):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = make_user("ana")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()

    assert sign_in(client, "ana").status_code == 302

    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)
