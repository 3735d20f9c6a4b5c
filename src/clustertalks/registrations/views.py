"""Thin views over services: the form, what happens next, the attendee's own page (with their
data rights: download, correct, erase), join links."""

import json

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from clustertalks.core.caching import public_page
from clustertalks.feeds.calendar import calendar_for
from clustertalks.roles import services as roles
from clustertalks.talks.models import Talk

from . import rights, selectors, services
from .forms import DetailsForm, RegistrationForm

# The attendee's pages carry a secret token in their address. "same-origin" keeps it out of the
# Referer sent to other hosts, while the browser still sends the real Origin with the page's own
# forms ("no-referrer" makes Chromium send "Origin: null", which CSRF protection refuses).
PRIVATE_PAGE_REFERRER_POLICY = "same-origin"


def _visible_talk(request, slug) -> Talk:
    talk = selectors.talk_with_policies(slug)
    if talk is None:
        raise Http404
    if not talk.is_public and not roles.draft_visible_to(request.user, talk):
        raise Http404
    return talk


@never_cache
@require_http_methods(["GET", "POST"])
def register(request, slug):
    talk = _visible_talk(request, slug)
    policy = services.policy_for(talk)
    state = services.openness(talk, policy)
    # A POST is always bound, even an empty one: it gets its errors, not a blank form.
    data = request.POST if request.method == "POST" else None
    form = RegistrationForm(data, policy=policy, series_zone=talk.zone_name)
    context = {"talk": talk, "policy": policy, "state": state, "form": form}
    if state.is_open:
        context["closes"] = services.format_when(state.closes_at, talk.zone_name)
    if request.method == "GET" or not state.is_open:
        return render(request, "registrations/register.html", context,
                      status=200 if request.method == "GET" else 409)
    if form.is_bot():
        return redirect("registrations:registered", slug=talk.slug)  # looks like success
    if not form.is_valid():
        return render(request, "registrations/register.html", context, status=400)
    if not services.allow_attempt(request, form.cleaned_data["email"]):
        context["rate_limited"] = True
        return render(request, "registrations/register.html", context, status=429)
    try:
        services.register(talk, form.attendee(request.LANGUAGE_CODE), policy=policy)
    except services.RegistrationRefused as refusal:
        context["refusal"] = str(refusal)
        return render(request, "registrations/register.html", context, status=409)
    except Talk.DoesNotExist:  # deleted while the form was on its way
        raise Http404 from None
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


def _private(response):
    response["Referrer-Policy"] = PRIVATE_PAGE_REFERRER_POLICY
    return response


def _link_invalid(request):
    return _private(render(request, "registrations/link_invalid.html", status=404))


def _manage_context(registration, signed, **extra) -> dict:
    talk = registration.talk
    context = {"registration": registration, "talk": talk, "signed": signed,
               "talk_public": talk.is_public, **extra}
    if talk.is_public:
        context.update({
            "when": services.format_span(talk.start, talk.end, talk.zone_name),
            "when_own": services.format_span(talk.start, talk.end, registration.time_zone)
            if registration.time_zone and registration.time_zone != talk.zone_name else "",
            "join_url": services.join_url(registration),
        })
    return context


@never_cache
@require_http_methods(["GET", "POST"])
def manage(request, signed):
    registration = services.registration_from_manage_token(signed)
    if registration is None:
        return _link_invalid(request)
    notice = request.GET.get("done", "") if request.method == "GET" else ""
    if request.method == "POST" and request.POST.get("action") == "cancel":
        notice = "cancelled" if services.cancel(registration) else "already_cancelled"
    context = _manage_context(registration, signed,
                              notice=notice if notice in {"cancelled", "already_cancelled",
                                                          "updated"} else "")
    return _private(render(request, "registrations/manage.html", context))


@never_cache
@require_http_methods(["GET", "POST"])
def details(request, signed):
    """The attendee corrects their name, organisation, position, time zone or objection."""
    registration = services.registration_from_manage_token(signed)
    if registration is None:
        return _link_invalid(request)
    form = DetailsForm(request.POST if request.method == "POST" else None, instance=registration)
    if request.method == "POST" and form.is_valid():
        form.save()
        return _private(redirect(reverse("registrations:manage", args=[signed]) + "?done=updated"))
    context = _manage_context(registration, signed, form=form)
    return _private(render(request, "registrations/details.html", context,
                           status=400 if request.method == "POST" else 200))


@never_cache
def data(request, signed):
    """Everything stored about this registration, as a JSON download."""
    registration = _registration_or_404(signed)
    body = json.dumps(rights.export(registration), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="my-registration.json"'
    return _private(response)


@never_cache
@require_http_methods(["GET", "POST"])
def erase(request, signed):
    """Ask first (GET), then erase (POST with the confirmation ticked)."""
    registration = services.registration_from_manage_token(signed)
    if registration is None:
        return _link_invalid(request)
    context = _manage_context(registration, signed)
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            context["must_confirm"] = True
            return _private(render(request, "registrations/erase.html", context, status=400))
        rights.erase(registration)
        return _private(render(request, "registrations/erased.html",
                               {"talk": registration.talk, "talk_public": context["talk_public"]}))
    return _private(render(request, "registrations/erase.html", context))


@never_cache
def calendar(request, signed):
    registration = _registration_or_404(signed)
    if not registration.talk.is_public:
        raise Http404
    response = HttpResponse(calendar_for([registration.talk], registration.talk.title),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{registration.talk.slug}.ics"'
    return _private(response)


@never_cache
def join(request, token):
    registration, decision = services.join_decision(token)
    if decision.meeting_url:
        response = HttpResponseRedirect(decision.meeting_url)
        response["Referrer-Policy"] = "no-referrer"
        return response
    talk = registration.talk if registration and decision.state != "unavailable" else None
    context = {
        "talk": talk, "state": decision.state, "now": timezone.now(),
        "opens_at": services.format_when(decision.opens_at, talk.zone_name) if talk else "",
        # The attendee gave their zone when registering: show the opening in it too.
        "opens_at_own": services.format_when(decision.opens_at, registration.time_zone)
        if talk and registration.time_zone and registration.time_zone != talk.zone_name else "",
        "when": services.format_span(talk.start, talk.end, talk.zone_name) if talk else "",
        "when_own": services.format_span(talk.start, talk.end, registration.time_zone)
        if talk and registration.time_zone and registration.time_zone != talk.zone_name else "",
    }
    status = 404 if decision.state in {"unknown", "unavailable"} else 200
    response = render(request, "registrations/join.html", context, status=status)
    response["Referrer-Policy"] = "no-referrer"
    return response
