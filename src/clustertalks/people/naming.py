"""How a person's name is written where it is not shown as typed: the key it is sorted by, the
initials of the avatar shown when there is no photo, and that avatar's colour."""

import zlib
from functools import lru_cache

from anyascii import anyascii

# Background colours of the initials avatars: white initials on each of them reach at least
# 4.5:1 (WCAG AA for normal text), checked by tests/people/test_avatars.py. The class
# `avatar--c<index>` in site.css carries each one (the site's CSP allows no inline style).
AVATAR_COLOURS = (
    "#1d4ed8",  # blue
    "#047857",  # green
    "#b91c1c",  # red
    "#7e22ce",  # purple
    "#0e7490",  # teal
    "#c2410c",  # orange
    "#be185d",  # pink
    "#4338ca",  # indigo
    "#4d7c0f",  # olive
    "#374151",  # slate
)


def folded(text: str) -> str:
    """`text` without accents or case, for comparing and sorting ("Élodie" → "elodie")."""
    return anyascii(text or "").casefold().strip()


def sort_key(name: str, sort_name: str = "") -> str:
    """What a person is sorted by: the sort name an organiser gave ("Andersen, Søren"), or else
    the name's last word first ("Élodie Vanderberghe" → "vanderberghe, elodie"); without accents
    or case, so "Élodie" sorts among the E's and lower case never goes last."""
    if sort_name.strip():
        return folded(sort_name)[:200]
    words = name.split()
    if len(words) < 2:
        return folded(name)[:200]
    return folded(f"{words[-1]}, {' '.join(words[:-1])}")[:200]


# initials() and avatar_colour_index() are pure functions of the name, asked for every avatar
# and again for the talk page's share card (anyascii and the letter scan, ~10 µs a name): the
# answers are kept per name.
@lru_cache(maxsize=8192)
def initials(name: str) -> str:
    """The first letter of the first and of the last word: "Élodie Vanderberghe" → "ÉV"."""
    letters = [next((c for c in word if c.isalnum()), "") for word in name.split()]
    letters = [letter for letter in letters if letter]
    if not letters:
        return "?"
    picked = letters[0] if len(letters) == 1 else letters[0] + letters[-1]
    return picked.upper()


@lru_cache(maxsize=8192)
def avatar_colour_index(name: str) -> int:
    """A colour that stays the same for a name on every page and every process (crc32, not
    Python's salted `hash`)."""
    return zlib.crc32(folded(name).encode()) % len(AVATAR_COLOURS)
