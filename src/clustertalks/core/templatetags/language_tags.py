"""The language switcher and the hreflang alternates of every page (core.language_choice).

Both are on every page, so both are written here in Python rather than by a template render
per request: the switcher's markup around each link depends only on the page's language (and
the offered languages), so it is put together once per language and only the addresses are
filled in per page."""

from functools import lru_cache

from django import template
from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from clustertalks.core.language_choice import alternates, switch_links

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """<link rel="alternate" hreflang> for this page in every offered language, and x-default."""
    request = context.get("request")
    paths = alternates(request) if request is not None else []
    if len(paths) < 2:
        return ""
    return _alternate_links(tuple(paths), settings.SITE_URL, settings.LANGUAGE_CODE)


@lru_cache(maxsize=1024)
def _alternate_links(paths: tuple, site_url: str, default_language: str) -> str:
    """The links, a pure function of the paths (kept: escaping 25 addresses cost ~40 µs a page)."""
    site = escape(site_url)
    default_path = dict(paths)[default_language]
    return mark_safe(
        "".join(f'<link rel="alternate" hreflang="{escape(code)}" href="{site}{escape(path)}">\n' for code, path in paths)
        + f'<link rel="alternate" hreflang="x-default" href="{site}{escape(default_path)}">\n'
    )


@register.simple_tag(takes_context=True)
def language_switcher(context):
    request = context.get("request")
    if request is None or len(settings.LANGUAGES) < 2:
        return ""
    links = switch_links(request)
    head, items, tail = _switcher_parts(get_language(), tuple(settings.LANGUAGES))
    return mark_safe(head + "".join(before + escape(link["url"]) + after for (before, after), link in zip(items, links))
                     + tail)


@lru_cache(maxsize=64)
def _switcher_parts(current: str, languages: tuple) -> tuple[str, list[tuple[str, str]], str]:
    """The switcher's markup in language `current`: the head, the text before and after each
    link's address, and the tail."""
    current_name = next((name for code, name in languages if code == current), languages[0][1])
    language_label = escape(gettext("Language:"))
    head = (
        '<details class="language-switcher">\n'
        f'  <summary><span class="visually-hidden">{language_label} </span>'
        f'<span lang="{escape(current)}">{escape(current_name)}</span></summary>\n'
        '  <ul class="language-switcher__list">\n    '
    )
    marked = ' aria-current="true"'
    items = [(
        '<li><a href="',
        f'" hreflang="{escape(code)}" lang="{escape(code)}"{marked if code == current else ""}>{escape(name)}</a></li>\n    ',
    ) for code, name in languages]
    return head, items, "\n  </ul>\n</details>\n"
