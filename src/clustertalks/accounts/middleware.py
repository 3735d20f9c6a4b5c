"""The gate in front of the back office: a password alone opens nothing for whoever needs more."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponseRedirect
from django.urls import reverse

from clustertalks.accounts import services


def sign_in_paths() -> tuple[str, ...]:
    """The pages a half-signed-in user may open: the sign-in steps, passkey calls, log out."""
    return (
        reverse("admin:login"),
        reverse("accounts:verify"),
        reverse("accounts:enrol"),
        reverse("admin:logout"),
        reverse("otp_webauthn:credential-registration-begin").rsplit("registration/", 1)[0],
    )


class TwoFactorGateMiddleware:
    """After the password, a user who must give (or first set up) a second factor is sent to
    that step from every back-office page; everywhere else the session counts for nothing
    (draft previews and the like stay closed) until the step is done."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # No session cookie, nobody signed in: public pages stay free of session lookups.
        if settings.ADMIN_REQUIRE_TWO_FACTOR and settings.SESSION_COOKIE_NAME in request.COOKIES:
            redirect = self.gate(request)
            if redirect is not None:
                return redirect
        return self.get_response(request)

    def gate(self, request):
        step = services.next_step(request.user)
        if step is None or request.path.startswith(sign_in_paths()):
            return None
        if request.path.startswith(reverse("admin:index")):
            target = reverse(f"accounts:{step.value}")
            return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        request.user = AnonymousUser()
        return None
