from urllib.parse import quote

from django import template

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
