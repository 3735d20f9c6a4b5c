"""What the registration form accepts as text.

The confirmation email goes to whatever address the form was given, and greets the person by
the name typed in it: the only text of the visitor's that any email carries. So a name must be a
name: one line, no web or email address in it, nothing an email client would turn into a link.
Otherwise anyone could make the site send a message of their choosing ("Dear Win a prize at
www.example.com,") to any address.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NAME_MAX_LENGTH = 100
TEXT_MAX_LENGTH = 200
# Joiners used inside words of several scripts (Persian, Indic, emoji sequences): allowed.
ALLOWED_FORMAT_CHARACTERS = {"\u200c", "\u200d"}
# Dots an email client may read as the dot of a domain name.
DOT = r"[.\u3002\uff0e\uff61]"
WEB_ADDRESS = re.compile(
    rf"(?:[a-z][a-z0-9+.-]*:/{{1,3}}"  # a scheme: https://, ftp://, mailto is caught by "@"
    rf"|\bwww\d{{0,3}}{DOT}"  # www.
    rf"|[\w-]{{2,}}{DOT}[^\W\d_]{{2,}}\b)",  # example.com, mal.ware; not "J. R." nor "Jr."
    re.IGNORECASE,
)
# Characters no name needs, which make markup, addresses or paths.
NOT_IN_NAMES = set("<>@/\\{}[]|=^`~*_#$%")


def _unsafe_characters(value: str) -> bool:
    """Control characters (line breaks, tabs, NUL...), separators of lines and paragraphs, and
    invisible format characters such as the right-to-left override."""
    for char in value:
        category = unicodedata.category(char)
        if category in {"Cc", "Zl", "Zp", "Cs", "Co", "Cn"}:
            return True
        if category == "Cf" and char not in ALLOWED_FORMAT_CHARACTERS:
            return True
    return False


def validate_one_line(value: str) -> None:
    """For every free-text field: one line of visible text."""
    if _unsafe_characters(value):
        raise ValidationError(
            _("Use a single line of ordinary text, without line breaks or control characters."),
            code="control_characters",
        )


def validate_person_name(value: str) -> None:
    validate_one_line(value)
    folded = unicodedata.normalize("NFKC", value)
    if WEB_ADDRESS.search(folded) or NOT_IN_NAMES & set(folded):
        raise ValidationError(
            _("Write your name only: no web or email address, and none of the characters "
              "< > @ / \\ { } [ ] | = ^ ` ~ * _ # $ %."),
            code="not_a_name",
        )
    if not any(char.isalpha() for char in folded):
        raise ValidationError(_("Write your name with letters."), code="no_letters")


def tidy(value: str) -> str:
    """Runs of spaces become one space; leading and trailing spaces go."""
    return " ".join(value.split())
