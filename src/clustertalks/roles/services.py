"""What a user may reach: the one place the back office, the API, custom admin views and
exports ask. Permissions come from the role groups (definitions.py); a series organiser is
further limited to their assigned series.

Results are cached on the user object for the request (like Django's own permission cache).
"""

from django.db.models import Model, Q, QuerySet

from .definitions import ADMINISTRATOR, ROLES, SERIES_ORGANISER
from .models import SeriesAssignment

PERSONAL_DATA_PERMISSION = "registrations.view_registration"


def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def role_of(user) -> str | None:
    """The user's role (the strongest of their role groups); superusers are administrators."""
    if not is_active_user(user):
        return None
    if user.is_superuser:
        return ADMINISTRATOR
    if not hasattr(user, "_clustertalks_role"):
        names = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._clustertalks_role = next((role for role in ROLES if role in names), None)
    return user._clustertalks_role


def is_administrator(user) -> bool:
    return role_of(user) == ADMINISTRATOR


def is_series_limited(user) -> bool:
    """A series organiser reaches only their assigned series."""
    return role_of(user) == SERIES_ORGANISER


def assigned_series_ids(user) -> frozenset[int]:
    if not is_active_user(user):
        return frozenset()
    if not hasattr(user, "_clustertalks_series_ids"):
        ids = SeriesAssignment.objects.filter(user=user).values_list("series_id", flat=True)
        user._clustertalks_series_ids = frozenset(ids)
    return user._clustertalks_series_ids


def series_for(user):
    """The series this user may work on: all of them, or a series organiser's own."""
    from clustertalks.talks.models import Series

    if not is_active_user(user) or not user.is_staff:
        return Series.objects.none()
    if is_series_limited(user):
        return Series.objects.filter(pk__in=assigned_series_ids(user))
    return Series.objects.all()


def sees_personal_data(user) -> bool:
    """Whether the user may see attendees' personal data (registrations). The sign-in rules
    ask this to require two-factor authentication."""
    return is_active_user(user) and user.is_staff and user.has_perm(PERSONAL_DATA_PERMISSION)


# ---------------------------------------------------------------- series scope of objects

# How each model reaches its series (a lookup path); models without one are not series-bound.
SERIES_PATHS = {
    "talks.series": "pk",
    "talks.talk": "series",
    "talks.agendaitem": "talk__series",
    "talks.talktranslation": "talk__series",
    "talks.seriestranslation": "series",
    "materials.talkmaterials": "series",
    "materials.recording": "talk__series",
    "materials.attachment": "talk__series",
    "materials.talksummary": "talk__series",
    "materials.takeaway": "talk__series",
    "people.participation": "talk__series",
    "feeds.shareimage": "talk__series",
    "registrations.registration": "talk__series",
    "registrations.registrationpolicy": ("series", "talk__series"),
    "captions.recordingcaptions": "talk__series",
    "captions.transcriptionjob": "recording__talk__series",
    "insights.seriesrecap": "pk",
    "branding.identity": "series",
}


def series_paths(model) -> tuple[str, ...]:
    """The lookup paths from a model to its series (several: it belongs to either)."""
    paths = SERIES_PATHS.get(model._meta.label_lower, ())
    return (paths,) if isinstance(paths, str) else paths


def scope(user, queryset: QuerySet) -> QuerySet:
    """`queryset` narrowed to the user's series (unchanged for everybody else)."""
    paths = series_paths(queryset.model)
    if not paths or not is_series_limited(user):
        return queryset
    ids = assigned_series_ids(user)
    condition = Q()
    for path in paths:
        condition |= Q(**{"pk__in" if path == "pk" else f"{path}__in": ids})
    return queryset.filter(condition)


def follow(obj: Model, path: str) -> int | None:
    """The series id at the end of `path` from `obj` (the last step is read as an id)."""
    if path == "pk":
        return obj.pk
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def series_id_of(obj: Model) -> int | None:
    """The primary key of the series an object belongs to (None: no series)."""
    for path in series_paths(type(obj)):
        found = follow(obj, path)
        if found is not None:
            return found
    return None


def in_scope(user, obj: Model) -> bool:
    if not is_series_limited(user) or not series_paths(type(obj)):
        return True
    return series_id_of(obj) in assigned_series_ids(user)


def can(user, action: str, obj_or_model) -> bool:
    """May `user` do `action` (add, change, delete, view) on this object or model? The
    permission of the role and, for an object, its series scope."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    if not is_active_user(user) or not user.is_staff:
        return False
    if not user.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}"):
        return False
    return isinstance(obj_or_model, type) or in_scope(user, obj_or_model)


def can_work_in_series(user, series) -> bool:
    """May the user put a talk in this series (None: a talk without series)?"""
    if not is_series_limited(user):
        return True
    return series is not None and series.pk in assigned_series_ids(user)


def can_import_attendance(user, talk=None) -> bool:
    """Attendance changes registrations and tells who registered: it needs the right to
    change registrations (and, for a series organiser, the talk's series)."""
    from clustertalks.registrations.models import Registration

    if talk is None:
        return can(user, "change", Registration)
    return can(user, "change", Registration) and can_work_in_series(user, talk.series)


def can_manage_tokens_of(actor, owner) -> bool:
    """Only the owner (with the right to hold tokens) or an administrator creates a token."""
    if is_administrator(actor):
        return True
    return is_active_user(actor) and actor.pk == owner.pk and actor.has_perm("api.add_apitoken")


def draft_visible_to(user, talk) -> bool:
    """Unpublished talks are previewed by who may view them in the back office."""
    return can(user, "view", talk)


def make_administrator(user) -> None:
    from django.contrib.auth.models import Group

    group, _created = Group.objects.get_or_create(name=ADMINISTRATOR)
    user.groups.add(group)
