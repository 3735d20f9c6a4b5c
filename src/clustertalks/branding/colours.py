"""Colours of an identity: hex parsing and the WCAG 2.1 contrast ratio."""

import re

HEX = re.compile(r"#[0-9a-fA-F]{6}")
MIN_TEXT_CONTRAST = 4.5  # WCAG 2.1 AA, normal text (1.4.3)


def is_hex(value: str) -> bool:
    return bool(HEX.fullmatch(value or ""))


def rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(c) for c in rgb(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two hex colours, 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)
