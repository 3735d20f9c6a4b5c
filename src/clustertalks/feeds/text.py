"""Text as it goes into XML, iCalendar, JSON-LD, meta tags and images: no control characters,
plain (never HTML-escaped: each output escapes once, its own way)."""

import re
from functools import lru_cache

from clustertalks.core.markdown import markdown_tokens

# XML 1.0 allows no C0 control character except tab, line feed and carriage return; feed
# readers and calendar parsers choke on them, so they are dropped from every output.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def xml_safe(text) -> str:
    return CONTROL_CHARACTERS.sub("", str(text or ""))


def one_line(text) -> str:
    if type(text) is str:  # a plain string: kept (names and titles come back on every page)
        return _one_line(text)
    return " ".join(xml_safe(text).split())


@lru_cache(maxsize=4096)
def _one_line(text: str) -> str:
    return " ".join(xml_safe(text).split())


def excerpt(markdown_text, length: int = 200, *, keep_lines: bool = False) -> str:
    """The one plain-text version of organisers' Markdown: markup dropped, entities never
    introduced ('R&D' stays 'R&D'), at most `length` characters cut at a word.

    With `keep_lines` (calendar descriptions) paragraphs and list items stay on lines of their
    own, list items marked '• ' or '1. '; otherwise everything is one line (meta tags, feeds)."""
    lines = [one_line(line) for line in markdown_lines(xml_safe(markdown_text))]
    lines = [line for line in lines if line]
    text = "\n".join(lines) if keep_lines else " ".join(lines)
    if len(text) <= length:
        return text
    cut = text[: max(length - 1, 0)]
    if " " in cut.strip():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def markdown_lines(text: str) -> list[str]:
    """Plain lines of Markdown, read from markdown-it's tokens (no HTML round trip)."""
    lines: list[str] = []
    lists: list[list] = []  # per open list: [ordered, next number]
    marker = ""
    for token in markdown_tokens(text):
        kind = token.type
        if kind in {"bullet_list_open", "ordered_list_open"}:
            lists.append([kind == "ordered_list_open", int(token.attrGet("start") or 1)])
        elif kind in {"bullet_list_close", "ordered_list_close"}:
            lists.pop()
        elif kind == "list_item_open" and lists:
            ordered, number = lists[-1]
            marker = "  " * (len(lists) - 1) + (f"{number}. " if ordered else "• ")
            lists[-1][1] += 1
        elif kind == "inline":
            lines.append(marker + inline_text(token.children or []))
            marker = ""
        elif kind in {"fence", "code_block"}:
            lines += token.content.splitlines()
    return lines


def inline_text(children) -> str:
    parts = []
    for child in children:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "image":
            parts.append(inline_text(child.children or []))
    return "".join(parts)
