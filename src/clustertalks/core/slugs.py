from anyascii import anyascii
from django.utils.text import slugify


def slug_for(text: str) -> str:
    """The address form of `text`, transliterated first so that no letter is lost:
    "Søren Andersen" → "soren-andersen" (Django's slugify alone drops "ø": "sren-andersen")."""
    return slugify(anyascii(text or ""))


def unique_slug(model, text: str, *, instance_pk=None, max_length: int = 80) -> str:
    """A slug for `text` not yet used by another row of `model`. Only rows without a slug get
    one: a stored slug is never recomputed, so published addresses keep working."""
    base = (slug_for(text)[:max_length].strip("-")) or "item"
    candidate, suffix = base, 2
    taken = model._default_manager.exclude(pk=instance_pk)
    while taken.filter(slug=candidate).exists():
        candidate = f"{base[: max_length - len(str(suffix)) - 1]}-{suffix}"
        suffix += 1
    return candidate
