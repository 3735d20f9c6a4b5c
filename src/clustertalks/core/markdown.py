"""Markdown written by organisers, rendered with markdown-it-py and sanitised with nh3."""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "hr", "li",
    "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


# Rendering is a pure function of the text, so each distinct text is rendered once per process
# and kept (keyed by the text itself): a talk page no longer renders its abstract, summary and
# boilerplate on every request, and no stored HTML column can go stale or need a migration
# when the rules below change. Bounded, so a process never holds more than a few MB.
CACHE_SIZE = 2048
LONGEST_KEPT = 16_000  # characters; longer texts (rare, e.g. indexing) are rendered each time


def render_markdown(text: str) -> SafeString:
    text = text or ""
    html = _kept(text) if len(text) <= LONGEST_KEPT else _clean(text)
    return mark_safe(html)  # noqa: S308 - sanitised by nh3 in _clean


def _clean(text: str) -> str:
    html = _renderer.render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


_kept = lru_cache(maxsize=CACHE_SIZE)(_clean)


def markdown_tokens(text: str) -> list:
    """The parsed Markdown, for readers that want its text rather than HTML (feeds.text)."""
    return _renderer.parse(text or "")


@lru_cache(maxsize=CACHE_SIZE)
def plain_excerpt(text: str, length: int = 200) -> str:
    """Markdown reduced to one line of plain text (not HTML-escaped), for descriptions and meta
    tags. The one implementation is feeds.text.excerpt."""
    from clustertalks.feeds.text import excerpt

    return excerpt(text, length)
