from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from clustertalks.core import localdates
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
    in the template."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == chosen_value else "", label) for value, label in choices),
    )


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


@register.simple_tag
def talk_badges(talk) -> SafeString:
    badges = [BADGES[talk.status]] if talk.status in BADGES else []
    if talk.is_sample:
        badges.append(("badge--sample", _("Sample")))
    return format_html_join(" ", '<span class="badge {}">{}</span>', badges)
