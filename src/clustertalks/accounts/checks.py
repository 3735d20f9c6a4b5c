"""`manage.py check --deploy` says so when the back office does not insist on a second factor."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def two_factor_is_required(app_configs, **kwargs):
    if settings.ADMIN_REQUIRE_TWO_FACTOR:
        return []
    return [
        Warning(
            "ADMIN_REQUIRE_TWO_FACTOR is off: organisers who see personal data can sign in to "
            "the back office with a password alone.",
            hint="Unset ADMIN_REQUIRE_TWO_FACTOR (it is on by default); turn it off in tests only.",
            id="accounts.W001",
        )
    ]
