"""Back-office sign-in: who needs a second factor, and the factors themselves.

The factors are django-otp devices: an authenticator app (TOTP), passkeys (django-otp-webauthn)
and one set of recovery codes (django-otp's static device, ten single-use codes).
"""

import enum
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.utils import get_credential_model

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
APP_DEVICE_NAME = "Authenticator app"


class Step(enum.Enum):
    """What a signed-in user still has to do before the back office opens."""

    VERIFY = "verify"  # give a second factor
    ENROL = "enrol"  # set one up first


def requires_two_factor(user) -> bool:
    """Whoever can see personal data (the roles room's rule) must use a second factor."""
    from clustertalks.roles.services import sees_personal_data

    return sees_personal_data(user)


def client_ip(request) -> str:
    """The address failed sign-ins are counted against (axes' AXES_CLIENT_IP_CALLABLE): the
    visitor's, read through the configured trusted proxies like the registration rate limit."""
    from clustertalks.core.clientip import client_ip as visitor_address

    return visitor_address(request)


def has_second_factor(user) -> bool:
    """A confirmed app or passkey, or at least one unused recovery code (one query: the gate
    asks on every request of a session that has not given a second factor)."""
    return get_user_model()._default_manager.filter(pk=user.pk).filter(
        Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        | Exists(get_credential_model().objects.filter(user=OuterRef("pk"), confirmed=True))
        | Exists(StaticToken.objects.filter(device__user=OuterRef("pk"), device__confirmed=True))
    ).exists()


def is_verified(user) -> bool:
    """Did this session give a second factor? (OTPMiddleware adds is_verified to request.user.)"""
    check = getattr(user, "is_verified", None)
    return bool(check and check())


def next_step(user) -> Step | None:
    """What stands between a password-signed-in user and the back office (None: nothing)."""
    if not settings.ADMIN_REQUIRE_TWO_FACTOR or not user.is_authenticated or is_verified(user):
        return None
    if has_second_factor(user):
        return Step.VERIFY
    if requires_two_factor(user):
        return Step.ENROL
    return None


def may_manage_factors(user) -> bool:
    """Adding factors needs a verified session, except for a user who has none yet."""
    return user.is_authenticated and (is_verified(user) or not has_second_factor(user))


def verify_code(user, code: str):
    """Check a code from the authenticator app or a recovery code.

    Returns (device, None) on success, else (None, message). Six digits go to the app, anything
    else to the recovery codes, so a typo in one never slows down the other (django-otp
    throttles each device after a wrong code: 1 s, 2 s, 4 s...).
    """
    code = "".join(code.split()).lower()
    model = TOTPDevice if code.isdigit() else StaticDevice
    throttled = False
    with transaction.atomic():
        devices = [d for d in devices_for_user(user, for_verify=True) if isinstance(d, model)]
        for device in devices:
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
            elif device.verify_token(code):
                return device, None
    if throttled:
        return None, _("Too many wrong codes in a row. Wait a few seconds, then try again.")
    return None, _("This code is not valid. Check it and try again.")


def pending_app_device(user) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def confirm_app_device(device: TOTPDevice, code: str) -> bool:
    code = "".join(code.split())
    if not code.isdigit() or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def app_secret(device: TOTPDevice) -> str:
    """The secret in the base32 form apps accept when typed in, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def app_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, made here: no outside service sees it."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=_("QR code for your authenticator app"), svgclass="qr-code"
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def new_recovery_codes(user) -> list[str]:
    """Replace the user's recovery codes with ten fresh ones (the old ones stop working)."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        device.throttle_reset(commit=False)
        device.confirmed = True
        device.save()
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def factors(user) -> dict:
    """The user's confirmed factors, for the security page."""
    return {
        "apps": list(TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk")),
        "passkeys": list(
            get_credential_model().objects.filter(user=user, confirmed=True).order_by("pk")
        ),
        "recovery_codes_left": recovery_codes_left(user),
    }


def has_passkey(user) -> bool:
    return get_credential_model().objects.filter(user=user, confirmed=True).exists()


def passkeys_work_here(request) -> bool:
    """Browsers bind passkeys to one host name (OTP_WEBAUTHN_RP_ID): elsewhere, do not offer them."""
    host = request.get_host().rsplit(":", 1)[0] if "]" not in request.get_host() else ""
    rp_id = settings.OTP_WEBAUTHN_RP_ID
    return host == rp_id or host.endswith("." + rp_id)
