import re

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import translation


def absolute_url(path: str) -> str:
    """A site path as the public address that emails, feeds, calendars and the API give out."""
    return settings.SITE_URL + path


PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_slug_templates: dict[tuple[str, str, str | None], tuple[str, str]] = {}


def slug_url(name: str, slug: str) -> str:
    """reverse(name, args=[slug]) for the public pages' `<slug:slug>` routes, without walking the
    URL resolver each time: a talk page links to dozens of people, organisations and topics, and
    reverse() was a tenth of its CPU. The route is reversed once per name (and script prefix)
    with a marker, then filled in; a slug that would need quoting goes through reverse(). The
    key holds the active language, whose prefix (/fr/...) the route carries."""
    if not PLAIN_SLUG.fullmatch(slug or ""):
        return reverse(name, args=[slug])
    key = (name, get_script_prefix(), translation.get_language())
    template = _slug_templates.get(key)
    if template is None:
        before, _, after = reverse(name, args=["slug-marker-0"]).partition("slug-marker-0")
        template = _slug_templates[key] = (before, after)
    return template[0] + slug + template[1]
