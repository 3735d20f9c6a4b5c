from urllib.parse import quote

from django import template
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe

from clustertalks.feeds import calendar

register = template.Library()


@register.simple_tag
def google_calendar_link(talk):
    return calendar.google_calendar_link(talk)


@register.simple_tag
def outlook_calendar_link(talk):
    return calendar.outlook_calendar_link(talk)


@register.simple_tag
def share_links(talk):
    """Plain share links (no third-party script): label and address of each."""
    url = calendar.talk_url(talk)
    text = talk.title
    return [
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(url, safe="")),
        ("X", f"https://x.com/intent/post?text={quote(text, safe='')}&url={quote(url, safe='')}"),
        ("Bluesky", "https://bsky.app/intent/compose?text=" + quote(f"{text} {url}", safe="")),
        ("Email", f"mailto:?subject={quote(text, safe='')}&body={quote(url, safe='')}"),
    ]


@register.simple_tag
def share_buttons(talk) -> SafeString:
    """The talk page's share links as list items, the label and the escaped address as the
    template loop over `share_links` wrote them."""
    return mark_safe("".join(  # noqa: S308 - label and address escaped
        f'<li><a class="button button--quiet" href="{esc(href)}" rel="noopener noreferrer">{esc(label)}</a></li>'
        for label, href in share_links(talk)
    ))
