"""The audit trail: who created, changed, published, merged, exported, imported or deleted
what and when, through the back office, the API or the command line; administrators read it."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from clustertalks.api.models import ApiToken
from clustertalks.api.services import issue_token
from clustertalks.audit import services as audit
from clustertalks.audit.models import Entry
from clustertalks.people.models import Person
from clustertalks.registrations.models import Registration
from clustertalks.talks.models import Talk
from tests.roles.helpers import *  # noqa: F403 - fixtures
from tests.roles.helpers import bearer_for


def entries(action=None, **filters):
    found = Entry.objects.filter(**filters)
    return list(found.filter(action=action) if action else found)


def test_publishing_in_the_back_office_is_recorded_with_who(client, world, login_as):
    user = login_as("editor")
    draft = world.draft(world.ours)
    client.post("/admin/talks/talk/", {"action": "publish_selected", "_selected_action": [draft.pk]})
    [entry] = entries("published", object_id=str(draft.pk))
    assert (entry.actor, entry.actor_name, entry.via) == (user, user.username, "admin")
    assert entry.changes["status"] == ["draft", "published"]
    assert entry.object_repr == draft.title and entry.at <= timezone.now()


def test_a_change_through_the_api_names_the_token_owner_and_token(client, world, person_with_role):
    editor = person_with_role("editor")
    token, plain = issue_token(editor, "ci", ApiToken.Scope.WRITE)
    talk = world.talk(world.ours)
    response = client.patch(f"/api/v1/talks/{talk.slug}", data=json.dumps({"title": "Renamed"}),
                            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {plain}")
    assert response.status_code == 200
    [entry] = entries("changed", object_id=str(talk.pk))
    assert entry.actor == editor and entry.via == "api" and entry.detail["token"] == token.prefix
    assert entry.changes["title"] == [talk.title, "Renamed"]


def test_created_and_deleted_are_recorded_outside_requests_too(db):
    person = Person.objects.create(name="Grace Hopper")
    pk = person.pk
    person.delete()
    created, deleted = entries("created", object_id=str(pk)), entries("deleted", object_id=str(pk))
    assert created and deleted and deleted[0].via == "system" and deleted[0].actor is None
    assert deleted[0].object_repr == "Grace Hopper"


def test_a_refused_api_change_leaves_no_entry(client, world, person_with_role):
    ours = world.draft(world.ours)
    response = client.patch(f"/api/v1/talks/{ours.slug}", data=json.dumps({"series": world.theirs.slug}),
                            content_type="application/json", **bearer_for(person_with_role("series organiser")))
    assert response.status_code == 403
    assert not entries("changed", object_id=str(ours.pk), content_type__model="talk")


def test_export_import_and_merge_are_recorded(client, world, organiser, admin_client):
    registration = world.registrations[world.ours.slug]
    admin_client.post("/admin/registrations/registration/",
                      {"action": "export_csv", "_selected_action": [registration.pk]})
    [export] = entries("exported")
    assert export.actor == organiser and export.detail == {"count": 1, "format": "csv"}
    admin_client.post("/admin/registrations/registration/import-attendance/",
                      {"talk": registration.talk.pk, "file": io.BytesIO(b"ada@our-series.example\n")})
    [imported] = entries("imported")
    assert imported.detail == {"what": "attendance", "matched": 1, "unknown": 0}
    keep, duplicate = Person.objects.create(name="Ada L."), Person.objects.create(name="Ada Lovelace")
    admin_client.post("/admin/people/person/", {
        "action": "merge_selected_people", "_selected_action": [keep.pk, duplicate.pk],
        "post": "yes", "keep": keep.pk})
    [merged] = entries("merged")
    assert merged.object_id == str(keep.pk) and merged.detail["merged"] == [{"id": duplicate.pk, "name": "Ada Lovelace"}]


def test_tokens_created_and_revoked_are_recorded(admin_client, organiser):
    admin_client.post("/admin/api/apitoken/add/", {"user": organiser.pk, "name": "CI", "scope": "write",
                                                   "expires_at_0": "", "expires_at_1": ""})
    token = ApiToken.objects.get()
    [created] = entries("created", content_type__model="apitoken")
    assert created.actor == organiser and "secret_hash" not in json.dumps(created.changes)
    admin_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    [revoked] = entries("revoked")
    assert revoked.object_id == str(token.pk) and revoked.actor == organiser


def test_registrations_are_recorded_without_personal_data(world, admin_client):
    registration = world.registrations[world.ours.slug]
    registration.email = "new-address@example.org"
    registration.save()
    log = json.dumps([[e.object_repr, e.changes, e.detail] for e in Entry.objects.all()])
    assert "ada" not in log.lower() and "new-address" not in log
    [changed] = entries("changed", content_type__model="registration")
    assert changed.changes == {"email": "…"} and changed.object_repr == f"registration #{registration.pk}"


def test_registration_decisions_are_recorded_without_identity(world, admin_client):
    registration = world.registrations[world.ours.slug]
    admin_client.post("/admin/registrations/registration/",
                      {"action": "reject", "_selected_action": [registration.pk]})
    [changed] = entries("changed", content_type__model="registration")
    assert changed.changes["status"] == ["pending", "rejected"] and changed.via == "admin"


def test_giving_a_role_is_recorded(admin_client, organiser, person_with_role):
    from django.contrib.auth.models import Group

    user = person_with_role("no role")
    user.groups.add(Group.objects.get(name="Editor"))
    [entry] = [e for e in entries("changed", object_id=str(user.pk)) if "groups" in e.changes]
    assert entry.changes == {"groups": {"added": ["Editor"]}}


def test_retention_prunes_old_entries_only(db, settings):
    old = audit.record(None, audit.Action.EXPORTED, Registration)
    Entry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=31))
    fresh = audit.record(None, audit.Action.EXPORTED, Registration)
    settings.AUDIT_RETENTION_DAYS = 0
    assert audit.prune() == 0  # 0 keeps everything
    settings.AUDIT_RETENTION_DAYS = 30
    assert audit.prune() == 1
    assert entries("exported") == [fresh]


def test_the_worker_schedules_the_retention_sweep():
    from clustertalks.audit.tasks import prune_audit_trail
    from clustertalks.core import periodic

    assert (prune_audit_trail, 3600) in [(job.task, job.seconds) for job in periodic.jobs()]


@pytest.mark.parametrize("role, status", [
    ("administrator", 200), ("series organiser", 403), ("editor", 403), ("viewer", 403),
])
def test_only_administrators_read_the_trail(client, world, login_as, role, status):
    login_as(role)
    assert client.get("/admin/audit/entry/").status_code == status


def test_nobody_edits_or_deletes_the_trail(admin_client, world):
    entry = Entry.objects.first()
    page = admin_client.get(f"/admin/audit/entry/{entry.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert admin_client.get("/admin/audit/entry/add/").status_code == 403
    assert admin_client.post(f"/admin/audit/entry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_tracking_costs_one_select_and_one_insert_per_change(world, count_queries):
    from django.db.models.signals import post_save, pre_save

    from clustertalks.audit import tracking

    from django_cleanup import cache as file_names

    talk = Talk.objects.get(pk=world.talk(world.ours).pk)
    # The stored file names django-cleanup reads on a row's first save (core/cleanup.py) are
    # not the audit's cost: read them up front, as the first save would.
    file_names.make_cleanup_cache(talk)

    def rename(title):
        talk.title = title
        talk.save()

    tracked = count_queries(rename, "Counted")
    pre_save.disconnect(sender=Talk, dispatch_uid="audit:talks.talk:pre")
    post_save.disconnect(sender=Talk, dispatch_uid="audit:talks.talk:post")
    try:
        untracked = count_queries(rename, "Counted again")
    finally:
        tracking.connect()
    assert tracked - untracked == 2
    assert entries("changed", object_id=str(talk.pk))[0].changes == {"title": [world.talk(world.ours).title, "Counted"]}
