"""Thin views over services: the form, what happens next, the attendee's own page, join links."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clustertalks.core.caching import public_page
from clustertalks.feeds.calendar import calendar_for
from clustertalks.roles import services as roles
from clustertalks.talks.models import Talk

from . import services
from .forms import RegistrationForm


def _visible_talk(request, slug) -> Talk:
    talk = get_object_or_404(Talk.objects.select_related("series"), slug=slug)
    if not talk.is_public and not roles.draft_visible_to(request.user, talk):
        raise Http404
    return talk


def _client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, slug):
    talk = _visible_talk(request, slug)
    policy = services.policy_for(talk)
    state = services.openness(talk, policy)
    form = RegistrationForm(request.POST or None, policy=policy, series_zone=talk.zone_name)
    context = {"talk": talk, "policy": policy, "state": state, "form": form}
    if state.is_open:
        context["closes"] = services.format_when(state.closes_at, talk.zone_name)
    if request.method == "GET" or not state.is_open:
        return render(request, "registrations/register.html", context,
                      status=200 if request.method == "GET" else 409)
    if not services.allow_attempt(_client_address(request)):
        context["rate_limited"] = True
        return render(request, "registrations/register.html", context, status=429)
    if form.is_bot():
        return redirect("registrations:registered", slug=talk.slug)  # looks like success
    if not form.is_valid():
        return render(request, "registrations/register.html", context, status=400)
    try:
        services.register(talk, form.attendee(request.LANGUAGE_CODE), policy=policy)
    except services.RegistrationRefused as refusal:
        context["refusal"] = str(refusal)
        return render(request, "registrations/register.html", context, status=409)
    return redirect("registrations:registered", slug=talk.slug)


@public_page
def registered(request, slug):
    """What happens next: the same page for everybody, so it reveals nothing about an address."""
    talk = _visible_talk(request, slug)
    policy = services.policy_for(talk)
    return render(request, "registrations/registered.html", {"talk": talk, "policy": policy})


def _registration_or_404(signed):
    registration = services.registration_from_manage_token(signed)
    if registration is None:
        raise Http404
    return registration


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, signed):
    registration = services.registration_from_manage_token(signed)
    if registration is None:
        return render(request, "registrations/link_invalid.html", status=404)
    notice = ""
    if request.method == "POST" and request.POST.get("action") == "cancel":
        notice = "cancelled" if services.cancel(registration) else "already_cancelled"
    talk = registration.talk
    context = {
        "registration": registration, "talk": talk, "notice": notice,
        "signed": signed, "when": services.format_when(talk.start, talk.zone_name),
        "when_own": services.format_when(talk.start, registration.time_zone)
        if registration.time_zone and registration.time_zone != talk.zone_name else "",
        "join_url": services.join_url(registration),
    }
    response = render(request, "registrations/manage.html", context)
    response["Referrer-Policy"] = "no-referrer"
    return response


@never_cache
def calendar(request, signed):
    registration = _registration_or_404(signed)
    response = HttpResponse(calendar_for([registration.talk], registration.talk.title),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{registration.talk.slug}.ics"'
    return response


@never_cache
def join(request, token):
    registration, decision = services.join_decision(token)
    if decision.meeting_url:
        response = HttpResponseRedirect(decision.meeting_url)
        response["Referrer-Policy"] = "no-referrer"
        return response
    talk = registration.talk if registration else None
    context = {
        "talk": talk, "state": decision.state, "now": timezone.now(),
        "opens_at": services.format_when(decision.opens_at, talk.zone_name) if talk else "",
    }
    status = 404 if decision.state == "unknown" else 200
    response = render(request, "registrations/join.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return response
