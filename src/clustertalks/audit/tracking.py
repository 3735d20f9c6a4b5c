"""Automatic entries: every save and delete of the tracked models, wherever it happens (back
office, API, import, public site, worker), with the fields that changed.

A save that flips a talk to published (or back), publishes a talk's materials, or revokes a
token is recorded as that action rather than as a plain change. Changes made with
QuerySet.update() are invisible here: their callers record them explicitly.
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from . import services

Action = services.Action

TRACKED = (
    "talks.Series", "talks.Talk", "people.Person", "people.Organisation", "people.Participation",
    "registrations.Registration", "registrations.RegistrationPolicy",
    "materials.Recording", "materials.Attachment", "materials.TalkSummary", "materials.Takeaway",
    "feeds.ShareImage", "api.ApiToken", "api.WebhookEndpoint",
    "auth.User", "auth.Group", "roles.SeriesAssignment",
)
# Fields recorded by name only: personal data and secrets.
MASKED = {
    "registrations.registration": {"name", "email", "organisation", "organisation_type", "country",
                                   "position", "newsletter", "language", "time_zone", "token"},
    "auth.user": {"password", "email", "first_name", "last_name"},
    "api.apitoken": {"secret_hash"},
    "api.webhookendpoint": {"secret"},
}
# Bookkeeping that changes on its own; not worth an entry.
IGNORED = {"updated_at", "last_used_at", "last_login", "sequence", "search_vector"}
VALUE_LENGTH = 200


def tracked_models():
    labels = {config.label for config in apps.get_app_configs()}
    return [apps.get_model(label) for label in TRACKED if label.split(".")[0] in labels]


def field_names(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if f.attname not in IGNORED]


def short(value):
    if isinstance(value, str) and len(value) > VALUE_LENGTH:
        return value[:VALUE_LENGTH] + "…"
    if isinstance(value, bytes | memoryview):
        return "…"
    return value if isinstance(value, int | float | bool | str | type(None)) else str(value)


def diff(instance, before: dict) -> dict:
    masked = MASKED.get(instance._meta.label_lower, set())
    changes = {}
    for name, old in before.items():
        new = getattr(instance, name, None)
        if old == new:
            continue
        changes[name] = "…" if name in masked else [short(old), short(new)]
    return changes


def refined_action(instance, changes: dict) -> str:
    """Name the change by what it means when it is one of the steps people look for."""
    label = instance._meta.label_lower
    if label == "talks.talk" and "status" in changes:
        old, new = changes["status"]
        if old == "draft":
            return Action.PUBLISHED
        if new == "draft":
            return Action.UNPUBLISHED
    if label == "materials.talksummary" and "materials_published_at" in changes:
        old, new = changes["materials_published_at"]
        return Action.PUBLISHED if old is None else Action.UNPUBLISHED if new is None else Action.CHANGED
    if label == "api.apitoken" and "revoked_at" in changes and changes["revoked_at"][0] is None:
        return Action.REVOKED
    return Action.CHANGED


def remember_before(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or instance._state.adding:
        return
    names = field_names(sender)
    instance._audit_before = sender._base_manager.filter(pk=instance.pk).values(*names).first()


def after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    if created:
        services.record(None, Action.CREATED, instance)
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    changes = diff(instance, before) if before else {}
    if changes:
        services.record(None, refined_action(instance, changes), instance, changes=changes)


def after_delete(sender, instance, **kwargs):
    services.record(None, Action.DELETED, instance)


def group_membership_changed(sender, instance, action, pk_set, reverse, model, **kwargs):
    """Who gave or took a role: a user's groups are recorded on the user."""
    if action not in {"post_add", "post_remove", "post_clear"} or reverse:
        return
    names = sorted(model.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    change = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
    services.record(None, Action.CHANGED, instance, changes={"groups": {change: names}})


def connect() -> None:
    from django.contrib.auth import get_user_model

    m2m_changed.connect(group_membership_changed, sender=get_user_model().groups.through,
                        dispatch_uid="audit:user-groups")
    for model in tracked_models():
        uid = f"audit:{model._meta.label_lower}"
        pre_save.connect(remember_before, sender=model, dispatch_uid=f"{uid}:pre")
        post_save.connect(after_save, sender=model, dispatch_uid=f"{uid}:post")
        post_delete.connect(after_delete, sender=model, dispatch_uid=f"{uid}:delete")
