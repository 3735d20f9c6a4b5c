"""The four roles exist after migrate with exactly their permissions; the services answer per role."""

import pytest
from django.contrib.auth.models import Group, Permission

from clustertalks.core.management.commands.setup import Command as SetupCommand
from clustertalks.roles import services as roles
from clustertalks.roles.definitions import ADMINISTRATOR, EDITOR, SERIES_ORGANISER, VIEWER, sync_roles
from tests.roles.helpers import *  # noqa: F403 - fixtures


def codenames(group_name):
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=group_name).permissions.select_related("content_type")}


def test_migrate_creates_the_four_roles(db):
    assert set(Group.objects.values_list("name", flat=True)) >= {ADMINISTRATOR, SERIES_ORGANISER, EDITOR, VIEWER}
    assert codenames(ADMINISTRATOR) == {f"{p.content_type.app_label}.{p.codename}"
                                        for p in Permission.objects.select_related("content_type")}


def test_viewer_only_reads_and_never_personal_data(db):
    perms = codenames(VIEWER)
    assert perms and all(".view_" in p for p in perms)
    assert "talks.view_talk" in perms and "materials.view_recording" in perms
    assert "registrations.view_registration" not in perms
    assert not {p for p in perms if p.startswith(("auth.", "audit.", "core."))}


def test_editor_has_talks_and_materials_but_no_personal_data_users_or_settings(db):
    perms = codenames(EDITOR)
    assert {"talks.add_talk", "talks.change_talk", "materials.change_recording", "people.change_person"} <= perms
    assert not perms & {"registrations.view_registration", "registrations.change_registration",
                        "registrations.export_registration", "api.add_webhookendpoint"}
    assert not {p for p in perms if p.startswith(("auth.", "audit.", "core."))}


def test_series_organiser_has_registrations_but_not_users_series_creation_or_settings(db):
    perms = codenames(SERIES_ORGANISER)
    assert {"registrations.view_registration", "registrations.change_registration", "talks.change_talk",
            "talks.change_series"} <= perms
    assert "talks.add_series" not in perms and "talks.delete_series" not in perms
    assert not {p for p in perms if p.startswith(("auth.", "audit.", "core.", "roles.", "api.view_webhook"))}


def test_sync_is_idempotent_and_repairs_hand_edits(db):
    editor = Group.objects.get(name=EDITOR)
    editor.permissions.add(Permission.objects.get(codename="view_registration"))
    sync_roles()
    sync_roles()
    assert "registrations.view_registration" not in codenames(EDITOR)
    assert Group.objects.filter(name=EDITOR).count() == 1


@pytest.mark.parametrize("role, personal, administrator, limited", [
    ("administrator", True, True, False),
    ("series organiser", True, False, True),
    ("editor", False, False, False),
    ("viewer", False, False, False),
    ("no role", False, False, False),
])
def test_services_per_role(person_with_role, world, role, personal, administrator, limited):
    user = person_with_role(role)
    assert roles.sees_personal_data(user) is personal
    assert roles.sees_personal_data(user) == user.has_perm("registrations.view_registration")
    assert roles.is_administrator(user) is administrator
    assert roles.is_series_limited(user) is limited
    expected_series = {world.ours.pk} if limited else ({world.ours.pk, world.theirs.pk})
    assert set(roles.series_for(user).values_list("pk", flat=True)) == expected_series


def test_inactive_and_anonymous_users_reach_nothing(person_with_role, world):
    from django.contrib.auth.models import AnonymousUser

    admin = person_with_role("administrator")
    admin.is_active = False
    for user in (admin, AnonymousUser()):
        assert not roles.sees_personal_data(user)
        assert not roles.can(user, "view", world.draft(world.ours))
        assert not roles.series_for(user).exists()


def test_can_checks_permission_and_series(person_with_role, world):
    organiser = person_with_role("series organiser")
    viewer = person_with_role("viewer")
    assert roles.can(organiser, "change", world.draft(world.ours))
    assert not roles.can(organiser, "change", world.draft(world.theirs))
    assert roles.can(organiser, "view", world.registrations[world.ours.slug])
    assert not roles.can(organiser, "view", world.registrations[world.theirs.slug])
    assert roles.can(viewer, "view", world.draft(world.theirs))
    assert not roles.can(viewer, "change", world.draft(world.ours))
    assert roles.can_import_attendance(organiser, world.talk(world.ours))
    assert not roles.can_import_attendance(organiser, world.talk(world.theirs))
    assert not roles.can_import_attendance(viewer)


def test_setup_makes_the_first_organiser_an_administrator(db, settings, tmp_path, django_user_model):
    settings.VAR_DIR = tmp_path
    command = SetupCommand()
    command.ensure_organiser()
    organiser = django_user_model.objects.get(username="organiser")
    assert roles.role_of(organiser) == ADMINISTRATOR
    assert organiser.groups.filter(name=ADMINISTRATOR).exists()
    old = django_user_model.objects.create_superuser("old-admin", "", "pw-admin-1")
    command.ensure_organiser()  # an existing install gets its superusers in the group too
    assert old.groups.filter(name=ADMINISTRATOR).exists()
