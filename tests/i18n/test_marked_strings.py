"""Every string a visitor or an organiser reads is marked for translation.

Templates: the text between tags (and the alt, title, aria-label, placeholder attributes)
outside {% translate %}/{% blocktranslate %} must hold no words. Python: the messages users
read (ValidationError, messages.*, verbose names, labels, help texts, short descriptions)
must be gettext calls, not plain strings. Names that are the same in every language (the
brand, formats, product names) are listed in ALLOWED with the reason.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

SOURCE = Path(__file__).resolve().parents[2] / "src" / "clustertalks"
TEMPLATES = sorted(p for p in SOURCE.glob("*/templates/**/*") if p.suffix in {".html", ".txt", ".xml"})
PYTHON = sorted(p for p in SOURCE.rglob("*.py") if "migrations" not in p.parts)

# The same in every language.
ALLOWED = {
    "clustertalks",  # the brand
    "ics", "vtt", "rss", "atom", "json", "csv", "pdf", "png", "svg", "ical", "webvtt", "openapi",  # formats
    "linkedin", "bluesky", "mastodon", "youtube", "vimeo", "zoom", "teams", "webex", "google", "outlook",
    "api", "url", "http", "https", "mailto", "cet", "cest", "utc", "id",
    "authorization", "bearer", "ct",  # an HTTP header and a token, written as the client must send it
    "whisper",  # the speech recognition model's name
}
# Blocks whose text is a machine value, not prose: CSS classes, Open Graph types.
VALUE_BLOCKS = {"bodyclass", "og_type"}
VISIBLE_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}
WORD = re.compile(r"[^\W\d_]{2,}")


class VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        for name, value in attrs:
            if name in VISIBLE_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden:
            self.found.append(data)


def words(text: str) -> list[str]:
    return [word for word in WORD.findall(text) if word.lower() not in ALLOWED]


def unmarked_in_template(path: Path) -> list[str]:
    """Text of the template outside translate blocks, with the template tags blanked out."""
    source = path.read_text()
    outside, depth, blocks = [], 0, []
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.contents.split()
            name = bits[0] if bits else ""
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                depth -= 1
            elif name == "block":
                blocks.append(bits[1] if len(bits) > 1 else "")
            elif name == "endblock" and blocks:
                blocks.pop()
            outside.append(" ")
        elif token.token_type == TokenType.TEXT and depth == 0 and not VALUE_BLOCKS & set(blocks):
            outside.append(token.contents)
        elif token.token_type == TokenType.VAR:
            outside.append("x0")  # data, not our text (a letter keeps "<{{ tag }} ...>" a tag)
        else:
            outside.append(" ")
    text = "".join(outside)
    if path.suffix == ".html" or path.suffix == ".xml":
        parser = VisibleText()
        parser.feed(text)
        pieces = parser.found
    else:
        pieces = [text]
    return [piece.strip() for piece in pieces if words(piece)]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(SOURCE)))
def test_template_text_is_marked_for_translation(path):
    assert unmarked_in_template(path) == []


# ---------------------------------------------------------------------------- Python

USER_FACING_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label", "short_description",
                        "empty_label", "description"}
USER_FACING_CALLS = {"ValidationError", "success", "error", "warning", "info", "add_message", "PermissionDenied",
                     "message_user"}


def plain_text(node) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(words(node.value))
    if isinstance(node, ast.JoinedStr):  # an f-string with words of its own
        return any(plain_text(part) for part in node.values)
    return False


def unmarked_in_python(path: Path) -> list[str]:
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        for keyword in node.keywords:
            if keyword.arg in USER_FACING_KEYWORDS and plain_text(keyword.value):
                found.append(f"{path.name}:{node.lineno} {keyword.arg}=")
        on_messages = isinstance(node.func, ast.Attribute) and getattr(node.func.value, "id", "") == "messages"
        if name in USER_FACING_CALLS and (on_messages or name not in {"success", "error", "warning", "info"}):
            for argument in node.args:
                if plain_text(argument):
                    found.append(f"{path.name}:{node.lineno} {name}(...)")
    return found


# The API speaks to programs, in English (docs/api.md), and the management commands to the
# operator's terminal: their messages are not part of the interface's catalogue.
NOT_INTERFACE = {"api", "management"}


@pytest.mark.parametrize("path", [p for p in PYTHON if not NOT_INTERFACE & set(p.relative_to(SOURCE).parts)],
                         ids=lambda p: str(p.relative_to(SOURCE)))
def test_python_messages_are_marked_for_translation(path):
    assert unmarked_in_python(path) == []


def test_the_lint_catches_what_it_should(tmp_path):
    template = tmp_path / "page.html"
    template.write_text('{% load i18n %}<h1>Welcome</h1><img alt="A photo"><p>{% translate "Fine" %} · 12</p>'
                        "{% blocktranslate %}Also fine{% endblocktranslate %}<script>var x = 'code';</script>")
    assert unmarked_in_template(template) == ["Welcome", "A photo"]
    module = tmp_path / "forms.py"
    module.write_text('from django.core.exceptions import ValidationError\n'
                      'name = CharField(label="Your name", help_text=_("ok"))\n'
                      'raise ValidationError("Too long")\n'
                      'raise ValidationError(_("Fine"))\n')
    assert unmarked_in_python(module) == ["forms.py:2 label=", "forms.py:3 ValidationError(...)"]
