"""Text as it goes into XML, iCalendar and images: no control characters, one line."""

import re

# XML 1.0 allows no C0 control character except tab, line feed and carriage return; feed
# readers and calendar parsers choke on them, so they are dropped from every output.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def xml_safe(text) -> str:
    return CONTROL_CHARACTERS.sub("", str(text or ""))


def one_line(text) -> str:
    return " ".join(xml_safe(text).split())
