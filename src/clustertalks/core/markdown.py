"""Markdown written by organisers, rendered with markdown-it-py and sanitised with nh3."""

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


def render_markdown(text: str) -> SafeString:
    html = _renderer.render(text or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def markdown_tokens(text: str) -> list:
    """The parsed Markdown, for readers that want its text rather than HTML (feeds.text)."""
    return _renderer.parse(text or "")


def plain_excerpt(text: str, length: int = 200) -> str:
    """Markdown reduced to one line of plain text (not HTML-escaped), for descriptions and meta
    tags. The one implementation is feeds.text.excerpt."""
    from clustertalks.feeds.text import excerpt

    return excerpt(text, length)
