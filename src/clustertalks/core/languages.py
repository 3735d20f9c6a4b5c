"""The languages of the site: the 24 official languages of the EU, each offered only once its
compiled catalogue is installed (English, the language of the source strings, always is).

Imported by settings, so nothing here may touch Django's settings at import time.
"""

from __future__ import annotations

import functools
from pathlib import Path

# Code, the language's name in itself (what the switcher shows), and the Babel locale whose
# dates and numbers fit a European public site (British English, European Portuguese).
EU_LANGUAGES: list[tuple[str, str, str]] = [
    ("bg", "български", "bg"),
    ("cs", "čeština", "cs"),
    ("da", "dansk", "da"),
    ("de", "Deutsch", "de"),
    ("el", "ελληνικά", "el"),
    ("en", "English", "en_GB"),
    ("es", "español", "es"),
    ("et", "eesti", "et"),
    ("fi", "suomi", "fi"),
    ("fr", "français", "fr"),
    ("ga", "Gaeilge", "ga"),
    ("hr", "hrvatski", "hr"),
    ("hu", "magyar", "hu"),
    ("it", "italiano", "it"),
    ("lt", "lietuvių", "lt"),
    ("lv", "latviešu", "lv"),
    ("mt", "Malti", "mt"),
    ("nl", "Nederlands", "nl"),
    ("pl", "polski", "pl"),
    ("pt", "português", "pt_PT"),
    ("ro", "română", "ro"),
    ("sk", "slovenčina", "sk"),
    ("sl", "slovenščina", "sl"),
    ("sv", "svenska", "sv"),
]
SOURCE_LANGUAGE = "en"
CODES = [code for code, _name, _locale in EU_LANGUAGES]
NATIVE_NAMES = {code: name for code, name, _locale in EU_LANGUAGES}
BABEL_LOCALES = {code: locale for code, _name, locale in EU_LANGUAGES}

# Django knows 23 of the 24; Maltese needs its entry for get_language_info and the
# {% language %} machinery (Django ships no Maltese catalogue of its own either).
EXTRA_LANG_INFO = {
    "mt": {"bidi": False, "code": "mt", "name": "Maltese", "name_local": "Malti"},
}


def compiled_catalogue(locale_dir: Path, code: str) -> Path:
    return Path(locale_dir) / code / "LC_MESSAGES" / "django.mo"


def offered_codes(locale_dirs) -> list[str]:
    """English, and every EU language whose compiled catalogue exists in one of `locale_dirs`:
    a language half installed is never offered (switcher, hreflang, sitemap, URL prefix)."""
    return [
        code for code in CODES
        if code == SOURCE_LANGUAGE
        or any(compiled_catalogue(directory, code).is_file() for directory in locale_dirs)
    ]


@functools.lru_cache(maxsize=4096)
def language_of_path(path: str) -> str | None:
    """The language prefix of `path` (`/fr/talks/...` → "fr"; None for English and unprefixed
    addresses), as Django's get_language_from_path finds it. Remembered per path: every request
    asks several times (language choice, page cache), and the answer depends only on the path and
    the offered languages, fixed for the life of the process."""
    from django.utils.translation import get_language_from_path

    return get_language_from_path(path)


def forget_path_languages(setting: str, **kwargs) -> None:
    """Tests change the offered languages (a `setting_changed` receiver, as Django's own caches)."""
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        language_of_path.cache_clear()
