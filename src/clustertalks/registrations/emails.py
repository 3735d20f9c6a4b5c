"""The attendee's emails: one template pair (plain text + HTML), a subject and a few paragraphs
per kind, in the attendee's language, with the talk time in the series' zone and the attendee's
own, and a calendar invitation (iTIP REQUEST or CANCEL) where the calendar has to change."""

from email.utils import parseaddr

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _
from icalendar import Calendar, vCalAddress

from clustertalks.branding.services import brand_for_series
from clustertalks.core import mail
from clustertalks.core.language_choice import offered_or_default
from clustertalks.feeds.calendar import PRODID, one_line, talk_event, talk_url, vtimezones

from . import services
from .models import Registration

SUBJECTS = {
    "received": _("Registration received: %(title)s"),
    "approved": _("You're in: %(title)s"),
    "waitlisted": _("On the waiting list: %(title)s"),
    "rejected": _("About your registration: %(title)s"),
    "status": _("Your registration: %(title)s"),
    "cancelled_by_attendee": _("Registration cancelled: %(title)s"),
    "update": _("Changed: %(title)s"),
    "talk_cancelled": _("Cancelled: %(title)s"),
    "reminder": _("Reminder: %(title)s starts %(when)s"),
    "followup": _("Thank you for your interest: %(title)s"),
}

PARAGRAPHS = {
    "received": [_("Thank you for registering. The organisers review each registration by hand: "
                   "you will get another email when they have decided.")],
    "approved": [_("Your place is confirmed. The calendar invitation is attached: open it to add "
                   "the talk to your calendar."),
                 _("Your personal join link opens 15 minutes before the start. Please do not "
                   "share it: it is yours alone.")],
    "waitlisted": [_("The talk is full, so you are on the waiting list. When a place becomes free "
                     "it goes to the next person on the list, first come, first served, and we "
                     "will email you at once.")],
    "rejected": [_("We are sorry: we cannot offer you a place for this talk. Registration is "
                   "reviewed against the eligibility rules of the series. The recording, when "
                   "there is one, will be published on the talk page.")],
    "status": [_("Someone, most likely you, tried to register again with this address. Your "
                 "existing registration is unchanged; its status is shown below.")],
    "cancelled_by_attendee": [_("Your registration is cancelled. Thank you for freeing your "
                                "place. You can register again while registration is open.")],
    "update": [_("The talk has changed. The details below are up to date, and the attached "
                 "invitation updates your calendar.")],
    "talk_cancelled": [_("We are sorry: this talk is cancelled. The attached update removes it "
                         "from your calendar.")],
    "reminder": [_("This is a reminder of the talk you registered for.")],
    "followup": [_("Thank you for registering. The materials of the talk are now published on "
                   "its page: the recording, slides and key takeaways, when available.")],
}

CALENDAR_METHODS = {"approved": "REQUEST", "update": "REQUEST", "talk_cancelled": "CANCEL",
                    "cancelled_by_attendee": "CANCEL"}


def invitation(registration: Registration, method: str) -> bytes:
    """An iTIP message (RFC 5546) for one attendee: METHOD:REQUEST adds or updates the event
    (same UID, SEQUENCE of the talk), METHOD:CANCEL removes it."""
    talk = registration.talk
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = talk_event(talk)
    if method == "REQUEST":
        event["description"] = (
            f"{_('Your personal join link')}: {services.join_url(registration)}\n\n"
            f"{event['description']}"
        )
    else:
        event.pop("status")
        event.add("status", "CANCELLED")
    event.add("organizer", vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"))
    attendee = vCalAddress(f"mailto:{registration.email}")
    attendee.params["cn"] = one_line(registration.name) or registration.email
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["rsvp"] = "FALSE"
    event.add("attendee", attendee)
    calendar.add_component(event)
    for zone in vtimezones([talk]):  # one transition per line: Thunderbird misreads the rest
        calendar.add_component(zone)
    return calendar.to_ical()


# Personal values are rendered as these markers, then substituted: the templates are rendered
# once per variant (kind, language, zone, status), not once per attendee.
NAME, JOIN, MANAGE = "@@CT-NAME@@", "@@CT-JOIN@@", "@@CT-MANAGE@@"


def context_for(registration: Registration, kind: str, **extra) -> dict:
    talk = registration.talk
    zone = talk.zone_name
    own_zone = registration.time_zone if registration.time_zone not in ("", zone) else ""
    approved = registration.status == Registration.Status.APPROVED
    return {
        "talk": talk,
        "kind": kind,
        "name": NAME if registration.name else "",
        "status_label": registration.get_status_display(),
        "paragraphs": [str(p) for p in PARAGRAPHS[kind]],
        "when": services.format_span(talk.start, talk.end, zone),
        "when_own": services.format_span(talk.start, talk.end, own_zone) if own_zone else "",
        "talk_url": talk_url(talk),
        "manage_url": MANAGE,
        "join_url": JOIN if approved and kind != "talk_cancelled" else "",
        "BRAND": (brand := brand_for_series(talk.series_id)),
        "SITE_NAME": brand.name,
        **extra,
    }


def _variant(registration: Registration, kind: str, extra: dict, cache: dict) -> tuple[str, str]:
    key = (kind, translation.get_language(), registration.time_zone, registration.status,
           bool(registration.name), repr(sorted(extra.items())))
    if key not in cache:
        context = context_for(registration, kind, **extra)
        cache[key] = (render_to_string("registrations/email/message.txt", context),
                      render_to_string("registrations/email/message.html", context))
    return cache[key]


def _personalise(template: str, registration: Registration, escape) -> str:
    text = template.replace(JOIN, escape(services.join_url(registration)))
    text = text.replace(MANAGE, escape(services.manage_url(registration)))
    return text.replace(NAME, escape(registration.name))


def build(registration: Registration, kind: str, dedupe_key: str | None = None,
          cache: dict | None = None, **extra):
    """An unsaved OutboundEmail for this registration (pass one `cache` dict when building
    many: the templates are then rendered once per variant)."""
    cache = {} if cache is None else cache
    with translation.override(offered_or_default(registration.language)):
        if "offset" in extra:
            extra["starts_in"] = services.format_offset(extra.pop("offset"))
        subject = str(SUBJECTS[kind]) % {"title": registration.talk.title,
                                         "when": extra.get("starts_in", "")}
        text, html = _variant(registration, kind, extra, cache)
        body_text = _personalise(text, registration, str)
        body_html = _personalise(html, registration, escape)
        method = CALENDAR_METHODS.get(kind, "")
        if kind == "cancelled_by_attendee" and not extra.get("had_invitation"):
            method = ""  # never had an invitation
        calendar = invitation(registration, method).decode() if method else ""
    return mail.OutboundEmail(
        to=registration.email, kind=f"registration:{kind}", dedupe_key=dedupe_key,
        subject=" ".join(subject.split())[:250], body_text=body_text, body_html=body_html,
        calendar=calendar, calendar_method=method,
    )


def queue_registration_email(registration: Registration, kind: str, dedupe_key=None, **extra):
    email = build(registration, kind, dedupe_key, **extra)
    return mail.queue_email(
        to=email.to, kind=email.kind, subject=email.subject, body_text=email.body_text,
        body_html=email.body_html, calendar=email.calendar, calendar_method=email.calendar_method,
        dedupe_key=dedupe_key,
    )
