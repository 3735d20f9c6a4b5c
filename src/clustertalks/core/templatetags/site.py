from functools import lru_cache

from django import template
from django.template.base import render_value_in_context
from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils import timezone, translation
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from clustertalks.core import localdates
from clustertalks.core.choices import choice_label
from clustertalks.core.markdown import plain_excerpt, render_markdown

register = template.Library()
esc = conditional_escape


@register.filter
def markdown(text: str) -> SafeString:
    return render_markdown(text)


@register.filter
def excerpt(text: str, length: int = 200) -> str:
    return plain_excerpt(text, int(length))


@register.simple_tag
def page_url(querystring, page_number):
    """The current query string with another page number."""
    params = querystring.copy()
    params["page"] = page_number
    return "?" + params.urlencode()


@register.simple_tag
def select_options(choices, chosen_value=None):
    """<option> elements for (value, label) pairs; long lists render much faster than a loop
    in the template. The escaped list is kept per distinct list of choices (the archive's
    speakers run to thousands at 10,000 talks and escaping them was most of a cold archive
    page); the chosen one is marked in the kept HTML."""
    html = _options_html(tuple((str(value), str(label)) for value, label in choices))
    if chosen_value not in (None, ""):
        opening = format_html('<option value="{}">', chosen_value)
        html = html.replace(opening, opening[:-1] + " selected>", 1)
    return mark_safe(html)  # noqa: S308 - built by format_html_join, escaped


@lru_cache(maxsize=16)
def _options_html(choices: tuple) -> str:
    return format_html_join("", '<option value="{}">{}</option>', choices)


@register.filter
def field_anchor(bound_field) -> str:
    """The id an error summary links to: the field's input, or the first of its choices when
    the field is a group of radio buttons or checkboxes (their group has no id of its own)."""
    return bound_field.id_for_label or f"{bound_field.auto_id}_0"


# The two pieces below appear on every talk card; as Python tags they render several times
# faster than template includes (see bench/pages.py).

BADGES = {
    "cancelled": ("badge--cancelled", _("Cancelled")),
    "postponed": ("badge--postponed", _("Postponed")),
    "draft": ("badge--draft", _("Draft")),
}


@register.simple_tag
def talk_when(talk) -> SafeString:
    """The talk's date and time in its series' zone, and a slot that site.js fills with the
    visitor's own time."""
    start, end = talk.local_start, talk.local_end
    return format_html(
        '<time class="when" datetime="{start}">{day}, {begins}–{ends} <abbr title="{zone}">{abbr}</abbr></time>\n'
        '<span class="visitor-time" data-start="{start}" data-end="{end}" data-zone="{zone}" data-label="{label}" hidden></span>',
        start=talk.start.isoformat(),
        end=talk.end.isoformat(),
        day=localdates.day(start),  # in the page's language: "mercredi 9 décembre 2026"
        begins=localdates.clock(start),
        ends=localdates.clock(end),
        zone=talk.zone_name,
        abbr=talk.zone_abbreviation,
        label=_("Your time:"),
    )


@register.simple_tag(takes_context=True)
def talk_facts(context, talk) -> SafeString:
    """The talk page's facts (when, duration, spoken language, location, type, audiences,
    topics): the <div>s of its <dl class="facts">, one per line, written here rather than by
    some forty template nodes. The same markup as the template it replaced: a translated
    literal is not escaped (Django marks a template literal, hence its translation, safe), nor
    is the duration's {% blocktranslate count %} (only its number is); variables are."""
    # The labels outside the f-strings: makemessages cannot read a call inside braces.
    when, duration = gettext("When"), gettext("Duration")
    spoken, location = gettext("Spoken language"), gettext("Location")
    lines = [
        f'<div><dt>{when}</dt><dd>{talk_when(talk)}</dd></div>',
        f'<div><dt>{duration}</dt><dd>{_duration(context, talk.duration_minutes)}</dd></div>',
        f'<div><dt>{spoken}</dt><dd'
        + (f' lang="{esc(talk.language)}"' if talk.language != context.get("LANGUAGE_CODE") else "")
        + f">{esc(choice_label(talk, 'language'))}</dd></div>",
        f'<div><dt>{location}</dt><dd>{_location(talk)}</dd></div>',
    ]
    if talk.event_type:
        event_type = gettext("Event type")
        lines.append(f'<div><dt>{event_type}</dt><dd>{esc(talk.event_type.name)}</dd></div>')
    else:
        lines.append("")
    audiences = talk.audiences.all()
    target = gettext("Event target")
    lines.append(f'<div><dt>{target}</dt><dd>{", ".join(esc(a) for a in audiences)}</dd></div>'
                 if audiences else "")
    topics, topics_label = talk.topics.all(), gettext("Topics")
    lines.append(
        f'<div><dt>{topics_label}</dt><dd><ul class="tags">'
        + "".join(f'<li><a href="{esc(topic.get_absolute_url())}">{esc(topic.name)}</a></li>' for topic in topics)
        + "</ul></dd></div>" if topics else "")
    return mark_safe("\n    ".join(lines))  # noqa: S308 - every value above is escaped


def _duration(context, minutes: int) -> str:
    """{% blocktranslate count minutes=... %}{{ minutes }} minute{% plural %}{{ minutes }}
    minutes{% endblocktranslate %} as Django renders it: the number localized and escaped, the
    translation itself as it is; a translation that does not fit falls back to the original."""
    data = {"minutes": render_value_in_context(minutes, context)}
    try:
        return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % data
    except (KeyError, ValueError):
        with translation.override(None):
            return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % data


def _location(talk) -> str:
    if talk.attendance_mode == "online":
        return gettext("Online (virtual event)")
    where = ""
    if talk.venue or talk.city:
        where = f": {esc(talk.venue)}{', ' if talk.venue and talk.city else ''}{esc(talk.city)}"
    return f"{esc(choice_label(talk, 'attendance_mode'))}{where}"


@register.simple_tag(takes_context=True)
def talk_heading(context, talk) -> SafeString:
    """The lines of the talk page's <header>: the series it belongs to, the title (marked with
    its language when it is not the page's) and the talk's state, as the template wrote them."""
    series = talk.series
    eyebrow = (f'<p class="eyebrow"><a href="{esc(series.get_absolute_url())}">{esc(series.name)}</a></p>'
               if series else "")
    language = talk.title_language
    lang = f' lang="{esc(language)}"' if language != context.get("LANGUAGE_CODE") else ""
    return mark_safe(  # noqa: S308 - escaped above; the state label by format_html
        f"{eyebrow}\n    <h1{lang}>{esc(talk.shown_title)}</h1>\n"
        f'    <p class="talk__state">{talk_state_label(talk_state_of(talk))}</p>'
    )


@register.simple_tag
def series_blurb(series) -> SafeString:
    """The talk page's section on its series: heading, boilerplate and organiser, one per line,
    as the template's some fifteen nodes wrote them (the organiser's line as its
    {% blocktranslate %}: the translation as it is, the names escaped)."""
    name, tagline, boilerplate = series.shown_name, series.shown_tagline, series.shown_boilerplate
    heading = f'<h2 id="series-heading">{esc(name)}{f": {esc(tagline)}" if tagline else ""}</h2>'
    prose = f'<div class="prose">{render_markdown(boilerplate)}</div>' if boilerplate else ""
    organised = f"<p>{_organised_by(series)}</p>" if series.organiser else ""
    return mark_safe(f"{heading}\n    {prose}\n    {organised}")  # noqa: S308 - escaped above


def _organised_by(series) -> str:
    data = {"organiser": esc(series.organiser.name)}
    if series.on_behalf_of:
        data["client"] = esc(series.on_behalf_of.full_name)
        return _filled(gettext("Organised by %(organiser)s on behalf of %(client)s."),
                       "Organised by %(organiser)s on behalf of %(client)s.", data)
    return _filled(gettext("Organised by %(organiser)s."), "Organised by %(organiser)s.", data)


def _filled(translated: str, original: str, data: dict) -> str:
    """As {% blocktranslate %} fills a translation: one that does not fit falls back to the
    original text."""
    try:
        return translated % data
    except (KeyError, ValueError):
        return original % data


@register.simple_tag(takes_context=True)
def search_box_value(context) -> str:
    """{{ request.GET.q|default:''|truncatechars:500 }}: the header search box's value. A tag, as
    the template's lookup failed (three exceptions caught, ~30 µs) on every page without a
    query. Escaped by the tag, as the variable was."""
    query = getattr(context.get("request"), "GET", None)
    value = query.get("q", "") if query is not None else ""
    return Truncator(value).chars(500) if value else ""


@register.simple_tag
def visitor_moment(instant, zone_name) -> SafeString:
    """A slot that site.js fills with one moment (a registration deadline, say) in the
    visitor's own zone, when it differs from the series' zone."""
    if not instant:
        return SafeString("")
    return format_html(
        '<span class="visitor-time" data-start="{at}" data-zone="{zone}" data-label="{label}" hidden></span>',
        at=instant.isoformat(), zone=zone_name, label=_("Your time:"),
    )


@register.simple_tag
def talk_badges(talk) -> SafeString:
    badges = [BADGES[talk.status]] if talk.status in BADGES else []
    if talk.is_sample:
        badges.append(("badge--sample", _("Sample")))
    return format_html_join(" ", '<span class="badge {}">{}</span>', badges)


# A card's state, in words and a shape (never by colour alone): upcoming, live, held, cancelled.
STATES = {
    "upcoming": _("Upcoming"),
    "live": _("Live now"),
    "held": _("Held"),
    "cancelled": _("Cancelled"),
    "postponed": _("Postponed"),
    "draft": _("Draft"),
}


def talk_state_of(talk, now=None) -> str:
    if talk.status in {"cancelled", "postponed", "draft"}:
        return talk.status
    now = now or timezone.now()
    if talk.end < now:
        return "held"
    return "live" if talk.start <= now else "upcoming"


@register.simple_tag
def talk_state(talk) -> str:
    return talk_state_of(talk)


@register.simple_tag
def talk_state_label(state: str) -> SafeString:
    return format_html('<span class="state state--{}">{}</span>', state, STATES.get(state, ""))


@register.simple_tag
def talk_when_compact(talk, visitor_time=False) -> SafeString:
    """One line for cards: "Wed 7 Oct 2026 · 08:30–09:30 CEST" in the series' zone. The
    visitor's own time is on the talk page and, with `visitor_time`, under the home page's
    next talk; never on every card."""
    start, end = talk.local_start, talk.local_end
    slot = format_html(
        '<span class="visitor-time" data-start="{}" data-end="{}" data-zone="{}" data-label="{}" hidden></span>',
        talk.start.isoformat(), talk.end.isoformat(), talk.zone_name, _("Your time:"),
    ) if visitor_time else ""
    return format_html(
        '<time class="when" datetime="{start}">{day} · {begins}–{ends} <abbr title="{zone}">{abbr}</abbr></time>{slot}',
        slot=slot,
        start=talk.start.isoformat(),
        day=localdates.short_day(start),
        begins=localdates.clock(start),
        ends=localdates.clock(end),
        zone=talk.zone_name,
        abbr=talk.zone_abbreviation,
    )


# The main navigation (base.html): view name and label of each link.
SITE_NAV = (
    ("talks:home", _("Home")),
    ("talks:archive", _("Talks")),
    ("talks:topics", _("Topics")),
    ("people:people", _("Speakers")),
    ("people:organisations", _("Organisations")),
)


@register.simple_tag(takes_context=True)
def site_nav(context) -> SafeString:
    """The main navigation's items (each on a line of its own), the current page's marked with
    aria-current. The links (addresses and labels) are the same on every page in a language:
    kept per language."""
    request = context.get("request")
    path = getattr(request, "path", "")
    return mark_safe("".join(
        f'\n          <li><a href="{escaped}"{_CURRENT if path == url else ""}>{label}</a></li>'
        for url, escaped, label in _site_nav_links()
    ))


_CURRENT = ' aria-current="page"'
_nav_links: dict = {}


def _site_nav_links() -> list[tuple[str, str, str]]:
    key = (translation.get_language(), get_script_prefix(), get_resolver(get_urlconf()))
    links = _nav_links.get(key)
    if links is None:
        # As {% url %} and {% translate "Home" %} wrote them: the address escaped, the label
        # (a literal's translation, hence safe) as it is.
        links = [(url, conditional_escape(url), str(label)) for url, label in
                 ((reverse(name), label) for name, label in SITE_NAV)]
        if len(_nav_links) > 256:
            _nav_links.clear()
        _nav_links[key] = links
    return links
