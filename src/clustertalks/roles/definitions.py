"""The four roles of the back office, as Django groups with fixed permission sets.

One role model everywhere: the back office (Django's own permission checks), the API (the
token owner's permissions, see api/auth.py), custom admin views and exports all ask the same
groups, through `roles.services`. A person holds one role; when a user is in several groups the
strongest one counts for the series scope (services.role_of).

- administrator: everything, including users, roles, tokens of others, settings, the audit log.
- series organiser: all of the series assigned to them (roles.SeriesAssignment): talks,
  materials, speakers, registrations and personal data.
- editor: talks, speakers and materials of every series; no personal data.
- viewer: reads the back office (talks, speakers, materials); no personal data, no changes.

`sync_roles` runs after every `migrate` (roles/apps.py) and as `clustertalks sync_roles`.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import transaction
from django.utils.translation import gettext_lazy as _

ADMINISTRATOR = "Administrator"
SERIES_ORGANISER = "Series organiser"
EDITOR = "Editor"
VIEWER = "Viewer"

# Strongest first: services.role_of picks the first group a user is in.
ROLES = (ADMINISTRATOR, SERIES_ORGANISER, EDITOR, VIEWER)
ROLE_LABELS = {
    ADMINISTRATOR: _("Administrator"),
    SERIES_ORGANISER: _("Series organiser"),
    EDITOR: _("Editor"),
    VIEWER: _("Viewer"),
}

ALL = ("add", "change", "delete", "view")
READ = ("view",)

# What talks and materials mean, model by model (app label -> model names).
CONTENT = {
    "talks": ("talk", "agendaitem", "topic", "eventtype", "audience", "talktranslation"),
    "people": ("person", "organisation", "participation", "honour", "personlink"),
    "materials": ("talkmaterials", "recording", "transcript", "transcriptcue", "attachment", "attachmentpage",
                  "talksummary", "takeaway"),
    "feeds": ("shareimage",),
    "captions": ("recordingcaptions", "transcriptionjob", "draftcue", "chapter", "captiontrack",
                 "keywordsuggestion"),
    "insights": ("seriesrecap",),
}
PERSONAL_DATA = {"registrations": ("registration",)}


def grant(models: dict, actions) -> set[tuple[str, str]]:
    return {(app, f"{action}_{model}") for app, names in models.items()
            for model in names for action in actions}


def role_permissions() -> dict[str, set[tuple[str, str]] | None]:
    """(app label, codename) per role; None stands for every permission there is."""
    own_tokens = {("api", "add_apitoken"), ("api", "view_apitoken"), ("api", "change_apitoken")}
    return {
        ADMINISTRATOR: None,
        SERIES_ORGANISER: (
            grant(CONTENT, ALL) | grant(PERSONAL_DATA, ALL)
            | grant({"registrations": ("registrationpolicy",)}, ALL)
            | {("talks", "view_series"), ("talks", "change_series")}
            | grant({"branding": ("identity",)}, ALL)  # their series' name, logo, colours
            | grant({"talks": ("seriestranslation",)}, ALL)  # their series' texts in other languages
            | own_tokens
        ),
        EDITOR: (
            grant(CONTENT, ALL)
            | {("talks", "view_series"), ("talks", "view_seriestranslation"),
               ("registrations", "view_registrationpolicy"), ("branding", "view_identity")}
            | own_tokens
        ),
        VIEWER: grant(CONTENT, READ) | {("talks", "view_series"), ("talks", "view_seriestranslation"),
                                        ("branding", "view_identity"),
                                        ("registrations", "view_registrationpolicy")},
    }


def sync_roles(using: str = "default", apps=global_apps) -> None:
    """Create the four groups and set exactly their permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for app_config in apps.get_app_configs():  # permissions of apps migrated after this one
        create_permissions(app_config, verbosity=0, using=using)
    every = Permission.objects.using(using).select_related("content_type")
    by_key = {(p.content_type.app_label, p.codename): p for p in every}
    with transaction.atomic(using=using):
        for name, wanted in role_permissions().items():
            group, _created = Group.objects.using(using).get_or_create(name=name)
            chosen = list(by_key.values()) if wanted is None else [by_key[k] for k in wanted if k in by_key]
            group.permissions.set(chosen)
