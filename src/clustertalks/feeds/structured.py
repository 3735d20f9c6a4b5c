"""schema.org JSON-LD for a talk page: an Event within its EventSeries, with what Google's
event guidelines ask for. Built from the talk page's prefetched data (no query)."""

import json

from django.utils.safestring import SafeString, mark_safe

from clustertalks.core.links import absolute_url, slug_url
from clustertalks.core.markdown import plain_excerpt  # feeds.text.excerpt, kept per distinct text

from . import images
from .text import one_line

SCHEMA = "https://schema.org/"
ATTENDANCE = {
    "online": SCHEMA + "OnlineEventAttendanceMode",
    "in_person": SCHEMA + "OfflineEventAttendanceMode",
    "hybrid": SCHEMA + "MixedEventAttendanceMode",
}
STATUS = {
    "cancelled": SCHEMA + "EventCancelled",
    "postponed": SCHEMA + "EventPostponed",
}


def share_image_url(talk, kind: str = "share", card=None) -> str:
    """The image address, versioned by what it shows, so social sites refetch on change.
    `card`: the talk's card when the caller has it already (it takes a few hundred µs)."""
    fingerprint = (card or images.card_for(talk)).fingerprint(kind)[:12]
    return absolute_url(slug_url(f"feeds:{kind}_png", talk.slug)) + f"?v={fingerprint}"


def talk_json_ld(talk, card=None) -> dict:
    url = absolute_url(talk.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url + "#event",
        "name": one_line(talk.title),
        "description": plain_excerpt(talk.abstract or "", 500) or one_line(talk.title),
        "url": url,
        "startDate": talk.local_start.isoformat(),
        "endDate": talk.local_end.isoformat(),
        "eventAttendanceMode": ATTENDANCE.get(talk.attendance_mode, ATTENDANCE["online"]),
        "eventStatus": STATUS.get(talk.status, SCHEMA + "EventScheduled"),
        "location": location(talk, url),
        "image": [share_image_url(talk, "share", card), share_image_url(talk, "banner", card)],
        "organizer": organizer(talk),
        "performer": [performer(part) for part in unique_participations(talk)],
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": 0,
            "priceCurrency": "EUR",
            "availability": SCHEMA + "InStock",
            "validFrom": talk.created_at.isoformat(),
        },
        "inLanguage": talk.language,
    }
    if talk.series_id:
        data["superEvent"] = {
            "@type": "EventSeries",
            "name": one_line(talk.series.name),
            "url": absolute_url(talk.series.get_absolute_url()),
        }
    return data


def location(talk, url: str):
    virtual = {"@type": "VirtualLocation", "url": talk.livestream_url or url}
    place = {
        "@type": "Place",
        "name": one_line(talk.venue or talk.city),
        "address": {"@type": "PostalAddress", "addressLocality": one_line(talk.city or talk.venue)},
    }
    if talk.attendance_mode == talk.AttendanceMode.IN_PERSON:
        return place
    if talk.attendance_mode == talk.AttendanceMode.HYBRID and (talk.venue or talk.city):
        return [virtual, place]
    return virtual


def organizer(talk) -> dict:
    organisation = talk.series.organiser if talk.series_id else None
    if organisation is None:
        return {"@type": "Organization", "name": "clustertalks", "url": absolute_url("/")}
    return {
        "@type": "Organization",
        "name": one_line(organisation.name),
        "url": organisation.website or absolute_url(organisation.get_absolute_url()),
    }


def unique_participations(talk) -> list:
    seen = {}
    for part in talk.participations.all():
        seen.setdefault(part.person_id, part)
    return list(seen.values())


def performer(part) -> dict:
    person = {
        "@type": "Person",
        "name": one_line(part.person.name),
        "url": absolute_url(part.person.get_absolute_url()),
    }
    if part.position:
        person["jobTitle"] = one_line(part.position)
    if part.organisation_id:
        person["affiliation"] = {"@type": "Organization", "name": one_line(part.organisation.full_name)}
    return person


def json_ld_script(data: dict) -> SafeString:
    payload = json.dumps(data, ensure_ascii=False, indent=None)
    # Escapes that keep JSON inside <script> from ever closing the element. str.replace, not
    # str.translate: the same result, but translate walks a non-ASCII string character by
    # character (~150 µs for a talk's JSON-LD, against ~3 µs).
    payload = payload.replace("<", "\\u003C").replace(">", "\\u003E").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')
