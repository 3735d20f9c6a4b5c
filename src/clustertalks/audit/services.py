"""Writing and pruning the audit trail. Other rooms call `record` for what the tracking
signals cannot see: merges, exports, imports, bulk changes."""

import datetime as dt

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest
from django.utils import timezone

from .context import current_request
from .models import Entry

Action = Entry.Action
REPR_LENGTH = 200

# Objects whose text is personal data: recorded by kind and number, never by name.
PERSONAL_MODELS = {"registrations.registration"}


def describe(obj) -> str:
    if obj._meta.label_lower in PERSONAL_MODELS:
        return f"{obj._meta.verbose_name} #{obj.pk}"
    return str(obj)[:REPR_LENGTH]


def origin(request: HttpRequest | None) -> tuple[object, str, dict]:
    """(user or None, channel, extra detail) of the request, or of the command line/worker."""
    request = request or current_request.get()
    if request is None:
        return None, Entry.Via.SYSTEM, {}
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    path = request.path_info or ""
    if path.startswith("/api/"):
        token = getattr(request, "auth", None)
        extra = {"token": token.prefix} if getattr(token, "prefix", None) else {}
        return user, Entry.Via.API, extra
    if path.startswith("/admin/"):
        return user, Entry.Via.BACK_OFFICE, {}
    return user, Entry.Via.SITE, {}


def record(request, action: str, target, *, changes=None, detail=None) -> Entry:
    """Write one entry. `target` is a model instance, or a model class for an action on many
    (an export); `request` may be None (then the current request, if any, is used)."""
    user, via, extra = origin(request if isinstance(request, HttpRequest) else None)
    is_instance = not isinstance(target, type)
    return Entry.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "",
        via=via,
        action=action,
        content_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        object_id=str(target.pk) if is_instance and target.pk is not None else "",
        object_repr=describe(target) if is_instance else str(target._meta.verbose_name_plural),
        changes=changes or {},
        detail={**extra, **(detail or {})},
    )


def record_many(request, action: str, objects, *, detail=None) -> int:
    count = 0
    for obj in objects:
        record(request, action, obj, detail=detail)
        count += 1
    return count


def retention() -> dt.timedelta | None:
    days = getattr(settings, "AUDIT_RETENTION_DAYS", 730)
    return dt.timedelta(days=days) if days > 0 else None


def prune(now=None) -> int:
    """Delete entries older than the retention period; returns how many."""
    keep_for = retention()
    if keep_for is None:
        return 0
    deleted, _by_model = Entry.objects.filter(at__lt=(now or timezone.now()) - keep_for).delete()
    return deleted
