"""Hooks of the feeds room in the public pages: feed links, structured data, subscriptions."""

from django import template
from django.template.loader import get_template, render_to_string
from django.utils.html import conditional_escape as esc
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language, gettext

from clustertalks.core.links import absolute_url, slug_url
from clustertalks.feeds import services, structured
from clustertalks.feeds.images import card_for, speaker_line
from clustertalks.feeds.services import FeedScope

register = template.Library()


@register.simple_tag(takes_context=True)
def site_head_links(context):
    """<link rel=alternate> for the site-wide feeds, in every page's <head>. The same for every
    page in a language, so rendered once per language (and template: a template edited in
    development is a new template object, so it is rendered afresh)."""
    template = get_template("feeds/_head_links.html")
    key = (template.template, get_language(), get_script_prefix(), get_urlconf())
    html = _head_links.get(key)
    if html is None:
        if len(_head_links) > 256:
            _head_links.clear()
        html = _head_links[key] = template.render({"scope": FeedScope()})
    return html


_head_links: dict = {}


def page_card(talk):
    """The talk's share card, worked out once per page: the head's meta tags, the JSON-LD and
    the picture on the page all show it. Kept on the talk instance, which lives one request."""
    card = getattr(talk, "_page_card", None)
    if card is None:
        card = talk._page_card = card_for(talk)
    return card


@register.simple_tag(takes_context=True)
def talk_head_meta(context, talk):
    """Structured data and share-image meta tags for a talk page's <head>. Written here rather
    than by a template of {{ }} alone (a render of its own cost ~0.1 ms a page)."""
    card = page_card(talk)
    json_ld = structured.json_ld_script(structured.talk_json_ld(talk, card))
    image_url = esc(structured.share_image_url(talk, "share", card))
    alt = esc(image_alt(card))
    calendar_url = esc(absolute_url(slug_url("feeds:talk_ics", talk.slug)))
    return mark_safe(
        f'<meta property="og:image" content="{image_url}">\n'
        '  <meta property="og:image:type" content="image/png">\n'
        '  <meta property="og:image:width" content="1200">\n'
        '  <meta property="og:image:height" content="630">\n'
        f'  <meta property="og:image:alt" content="{alt}">\n'
        '  <meta name="twitter:card" content="summary_large_image">\n'
        f'  <meta name="twitter:image" content="{image_url}">\n'
        f'  <meta name="twitter:image:alt" content="{alt}">\n'
        f'  <meta property="article:published_time" content="{_iso(talk.created_at)}">\n'
        f'  <meta property="article:modified_time" content="{_iso(talk.updated_at)}">\n'
        f'  <link rel="alternate" type="text/calendar" title="{esc(talk.title)} (.ics)" href="{calendar_url}">\n'
        f"  {json_ld}\n"
    )


def _iso(moment) -> str:
    """{{ moment|date:'c' }}: in the active time zone, as the template filter shows it. The
    filter's "c" is the datetime's isoformat() (django.utils.dateformat), called directly: the
    filter's format lookup and DateFormat set-up cost more than the answer."""
    return esc(template_localtime(moment).isoformat())


def image_alt(card) -> str:
    parts = [card.status, card.series, card.title, f"{card.date}, {card.time}", speaker_line(card.speakers)]
    return " — ".join(part for part in parts if part)


@register.simple_tag(takes_context=True)
def subscribe_links(context, series=None, topic=None):
    """Calendar subscription and feed links for all talks, a series or a topic."""
    scope = FeedScope(series=series, topic=topic)
    ics_url = absolute_url(scope.url("ics"))
    return render_to_string(
        "feeds/_subscribe_links.html",
        {
            "scope": scope,
            "ics_url": ics_url,
            "webcal_url": services.webcal(ics_url),
            "ics_path": scope.url("ics"),
            "talks_rss": scope.url("talks_rss"),
            "talks_atom": scope.url("talks_atom"),
            "recordings_rss": scope.url("recordings_rss"),
            "recordings_atom": scope.url("recordings_atom"),
        },
    )


@register.simple_tag
def share_picture(talk) -> SafeString:
    """The talk's share image shown on its page (what a post on LinkedIn will show), with the
    facts it draws as its text alternative. The image itself is drawn by its own request
    (feeds.views.share_png), never while the page renders. Written here rather than by an
    included template (a context and template render of its own); the translated texts are
    literals, not escaped, as {% translate %} of a literal gives them."""
    card = page_card(talk)
    caption, download = gettext("The picture shown when this talk is shared."), gettext("Download the picture")
    src = esc(slug_url("feeds:share_png", talk.slug) + f"?v={card.fingerprint('share')[:12]}")
    return mark_safe(
        '<figure class="share-picture">\n'
        f'  <img class="talk__picture" src="{src}" alt="{esc(image_alt(card))}" width="1200" height="630"'
        ' loading="lazy" decoding="async">\n'
        f'  <figcaption class="muted">{caption} <a href="{src}" download>{download}</a></figcaption>\n'
        "</figure>\n"
    )
