"""Sign-in tests run with the production rules: second factor required, lockout on."""

import pytest

from tests.accounts.helpers import PASSWORD


@pytest.fixture(autouse=True)
def _production_sign_in_rules(settings):
    settings.ADMIN_REQUIRE_TWO_FACTOR = True
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 5
    # django-otp slows down guessing (1 s, 2 s, 4 s... after each wrong code); tests that type
    # a wrong code and then the right one at once turn it off, test_two_factor checks it.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def make_user(db, django_user_model):
    def make(username="ana", *, superuser=False, staff=True, perms=()):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", PASSWORD)
        user.is_staff = staff
        user.is_superuser = superuser
        user.save()
        if perms:
            from django.contrib.auth.models import Permission

            for perm in perms:
                app_label, codename = perm.split(".")
                user.user_permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )
        return user

    return make


@pytest.fixture
def superuser(make_user):
    return make_user("boss", superuser=True)
