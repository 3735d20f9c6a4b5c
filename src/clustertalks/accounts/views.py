"""The back-office sign-in: password, then a second factor (or setting one up), recovery codes."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import login as auth_login
from django.contrib.auth.views import LoginView
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from clustertalks.accounts import services
from clustertalks.accounts.forms import ConfirmAppForm, SecondFactorForm
from clustertalks.accounts.services import Step


def backoffice_context(request, title: str, *, signed_in: bool = False) -> dict:
    context = admin.site.each_context(request)
    if not signed_in:
        # Half-way through signing in: no menu whose links would only lead back here.
        context.update(has_permission=False, available_apps=[], is_nav_sidebar_enabled=False)
    context["title"] = title
    return context


def safe_next(request) -> str:
    """Where to go once signed in: the `next` asked for, if it is on this site."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def step_url(step: Step, next_url: str) -> str:
    return f"{reverse(f'accounts:{step.value}')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}"


def to_sign_in(request) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        f"{reverse('admin:login')}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}"
    )


@method_decorator(never_cache, name="dispatch")
class SignInView(LoginView):
    """Step one, the password (served at the admin's own login address). Axes counts the
    failures; a locked-out account or address gets `locked_out` instead of this page."""

    form_class = AdminAuthenticationForm
    template_name = "accounts/sign_in.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(backoffice_context(self.request, _("Log in")))
        context.update(
            subtitle=None,
            app_path=self.request.get_full_path(),
            username=self.request.user.get_username(),
        )
        context[REDIRECT_FIELD_NAME] = context.get(REDIRECT_FIELD_NAME) or reverse("admin:index")
        return context

    def form_valid(self, form):
        auth_login(self.request, form.get_user())
        step = services.next_step(self.request.user)
        next_url = safe_next(self.request)
        return HttpResponseRedirect(step_url(step, next_url) if step else next_url)


def locked_out(request, original_response=None, credentials=None):
    """Axes' lockout page (AXES_LOCKOUT_CALLABLE): what happened and how long it lasts."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = backoffice_context(request, _("Sign-in blocked for a while"))
    context["minutes"] = minutes
    # Rendered at once: axes swaps it in after the view, past the template-response stage.
    return render(request, "accounts/locked_out.html", context, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request):
    """Step two: a code from the app, a recovery code, or a passkey."""
    user = request.user
    if not user.is_authenticated:
        return to_sign_in(request)
    next_url = safe_next(request)
    step = services.next_step(user)
    if step is None:
        return HttpResponseRedirect(next_url)
    if step is Step.ENROL:
        return HttpResponseRedirect(step_url(Step.ENROL, next_url))
    form = SecondFactorForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if isinstance(form.device, StaticDevice):
            left = services.recovery_codes_left(user)
            messages.warning(request, ngettext(
                "You used a recovery code: %(count)d is left. Make new ones on your security page.",
                "You used a recovery code: %(count)d are left. Make new ones on your security page.",
                left,
            ) % {"count": left})
        return HttpResponseRedirect(next_url)
    context = backoffice_context(request, _("Confirm it is you"))
    has_passkey = services.has_passkey(user)
    context.update(
        form=form,
        next=next_url,
        offer_passkey=has_passkey and services.passkeys_work_here(request),
        passkey_elsewhere=has_passkey and not services.passkeys_work_here(request),
        passkey_host=settings.OTP_WEBAUTHN_RP_ID,
    )
    return TemplateResponse(request, "accounts/verify.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app (QR code made here) or a passkey; the first factor comes
    with ten recovery codes."""
    user = request.user
    if not user.is_authenticated:
        return to_sign_in(request)
    next_url = safe_next(request)
    if not services.may_manage_factors(user):
        return HttpResponseRedirect(step_url(Step.VERIFY, next_url))
    device = services.pending_app_device(user)
    form = ConfirmAppForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        if services.recovery_codes_left(user):
            messages.success(request, _("Your authenticator app is set up."))
            return HttpResponseRedirect(next_url)
        return show_recovery_codes(request, services.new_recovery_codes(user), next_url)
    signed_in = services.is_verified(user)
    context = backoffice_context(request, _("Set up a second factor"), signed_in=signed_in)
    context.update(
        form=form,
        next=next_url,
        qr_svg=services.app_qr_svg(device),
        secret=services.app_secret(device),
        offer_passkey=services.passkeys_work_here(request),
        needs_recovery_codes=not services.recovery_codes_left(user),
        site_url=settings.SITE_URL,
        passkey_host=settings.OTP_WEBAUTHN_RP_ID,
    )
    return TemplateResponse(request, "accounts/enrol.html", context)


def show_recovery_codes(request, codes: list[str], next_url: str):
    """The only time the codes are shown: never cached, never shown again."""
    context = backoffice_context(request, _("Your recovery codes"), signed_in=True)
    context.update(codes=codes, next=next_url)
    response = TemplateResponse(request, "accounts/recovery_codes_new.html", context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """How many codes are left, and a button for ten new ones (the old ones stop working)."""
    user = request.user
    if not user.is_authenticated:
        return to_sign_in(request)
    next_url = safe_next(request)
    if not services.is_verified(user):
        step = Step.VERIFY if services.has_second_factor(user) else Step.ENROL
        return HttpResponseRedirect(step_url(step, request.get_full_path()))
    if request.method == "POST":
        return show_recovery_codes(request, services.new_recovery_codes(user), next_url)
    context = backoffice_context(request, _("Recovery codes"), signed_in=True)
    context.update(left=services.recovery_codes_left(user), next=next_url)
    return TemplateResponse(request, "accounts/recovery_codes.html", context)


@never_cache
def security(request):
    """The organiser's own sign-in methods: apps, passkeys, recovery codes."""
    user = request.user
    if not user.is_authenticated:
        return to_sign_in(request)
    if not services.may_manage_factors(user):
        return HttpResponseRedirect(step_url(Step.VERIFY, request.get_full_path()))
    context = backoffice_context(request, _("Sign-in and security"), signed_in=True)
    context.update(
        services.factors(user),
        offer_passkey=services.passkeys_work_here(request),
        passkey_host=settings.OTP_WEBAUTHN_RP_ID,
        required=services.requires_two_factor(user),
    )
    return TemplateResponse(request, "accounts/security.html", context)
