from functools import lru_cache

from django import template
from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from clustertalks.core.markdown import plain_excerpt, render_markdown

register = template.Library()


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
        day=formats.date_format(start, "l j F Y"),
        begins=formats.time_format(start, "H:i"),
        ends=formats.time_format(end, "H:i"),
        zone=talk.zone_name,
        abbr=talk.zone_abbreviation,
        label=_("Your time:"),
    )


@register.simple_tag
def talk_badges(talk) -> SafeString:
    badges = [BADGES[talk.status]] if talk.status in BADGES else []
    if talk.is_sample:
        badges.append(("badge--sample", _("Sample")))
    return format_html_join(" ", '<span class="badge {}">{}</span>', badges)
