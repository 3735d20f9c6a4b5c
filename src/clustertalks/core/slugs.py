from django.utils.text import slugify


def unique_slug(model, text: str, *, instance_pk=None, max_length: int = 80) -> str:
    """A slug for `text` not yet used by another row of `model`."""
    base = (slugify(text)[:max_length].strip("-")) or "item"
    candidate, suffix = base, 2
    taken = model._default_manager.exclude(pk=instance_pk)
    while taken.filter(slug=candidate).exists():
        candidate = f"{base[: max_length - len(str(suffix)) - 1]}-{suffix}"
        suffix += 1
    return candidate
