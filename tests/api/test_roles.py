"""The API does what the token owner's role allows, never more: each role with a write token."""

import json

import pytest

from clustertalks.api.models import ApiToken
from clustertalks.talks.models import Talk
from tests.roles.helpers import *  # noqa: F403 - fixtures
from tests.roles.helpers import bearer_for

API = "/api/v1"


def send(client, method, path, body=None, **extra):
    if body is None:
        return getattr(client, method)(API + path, **extra)
    return getattr(client, method)(API + path, data=json.dumps(body), content_type="application/json", **extra)


def new_talk(series, title="From the API"):
    return {"title": title, "start": "2031-03-05T08:30:00+01:00", "series": series.slug, "status": "draft"}


@pytest.mark.parametrize("role, status", [
    ("administrator", 201), ("series organiser", 201), ("editor", 201), ("viewer", 403), ("no role", 403),
])
def test_creating_a_talk_needs_the_add_right(client, world, person_with_role, role, status):
    headers = bearer_for(person_with_role(role))
    response = send(client, "post", "/talks", new_talk(world.ours), **headers)
    assert response.status_code == status, response.json()
    assert Talk.objects.filter(title="From the API").exists() is (status == 201)
    if status == 403:
        assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize("role, status", [
    ("administrator", 200), ("series organiser", 200), ("editor", 200), ("viewer", 403), ("no role", 403),
])
def test_publishing_needs_the_change_right(client, world, person_with_role, role, status):
    draft = world.draft(world.ours)
    response = send(client, "patch", f"/talks/{draft.slug}", {"status": "published"},
                    **bearer_for(person_with_role(role)))
    assert response.status_code == status
    assert (Talk.objects.get(pk=draft.pk).status == Talk.Status.PUBLISHED) is (status == 200)


def test_a_series_organiser_cannot_reach_another_series(client, world, person_with_role):
    headers = bearer_for(person_with_role("series organiser"))
    theirs = world.draft(world.theirs)
    for method, path, body in [
        ("get", f"/organiser/talks/{theirs.slug}", None),
        ("patch", f"/talks/{theirs.slug}", {"status": "published"}),
        ("put", f"/talks/{theirs.slug}/summary", {"text": "Hijacked"}),
        ("post", f"/talks/{theirs.slug}/recordings", {"source": "youtube", "url": "https://www.youtube.com/watch?v=abc"}),
        ("put", f"/talks/{theirs.slug}/agenda", []),
    ]:
        response = send(client, method, path, body, **headers)
        assert response.status_code == 404, (path, response.json())  # as if it did not exist
    assert Talk.objects.get(pk=theirs.pk).status == Talk.Status.DRAFT
    refused = send(client, "post", "/talks", new_talk(world.theirs, "Elsewhere"), **headers)
    assert refused.status_code == 403 and not Talk.objects.filter(title="Elsewhere").exists()
    no_series = send(client, "post", "/talks", {**new_talk(world.ours, "Nowhere"), "series": None}, **headers)
    assert no_series.status_code == 403 and not Talk.objects.filter(title="Nowhere").exists()


def test_a_series_organiser_cannot_move_a_talk_out_of_their_series(client, world, person_with_role):
    ours = world.draft(world.ours)
    response = send(client, "patch", f"/talks/{ours.slug}", {"series": world.theirs.slug, "title": "Moved"},
                    **bearer_for(person_with_role("series organiser")))
    assert response.status_code == 403
    ours.refresh_from_db()
    assert ours.series == world.ours and ours.title != "Moved"  # rolled back


@pytest.mark.parametrize("role, status", [
    ("administrator", 200), ("series organiser", 200), ("editor", 200), ("viewer", 200), ("no role", 403),
])
def test_reading_a_draft_with_a_token_needs_the_view_right(client, world, person_with_role, role, status):
    response = send(client, "get", f"/organiser/talks/{world.draft(world.ours).slug}",
                    **bearer_for(person_with_role(role)))
    assert response.status_code == status


def test_a_read_token_narrows_even_an_administrator(client, world, person_with_role):
    headers = bearer_for(person_with_role("administrator"), ApiToken.Scope.READ)
    response = send(client, "patch", f"/talks/{world.draft(world.ours).slug}", {"status": "published"}, **headers)
    assert response.status_code == 403


def test_a_token_loses_what_its_owner_loses(client, world, person_with_role):
    editor = person_with_role("editor")
    headers = bearer_for(editor)
    assert send(client, "put", f"/talks/{world.draft(world.ours).slug}/summary", {"text": "Ok"}, **headers).status_code == 200
    editor.groups.clear()
    assert send(client, "put", f"/talks/{world.draft(world.ours).slug}/summary", {"text": "No"}, **headers).status_code == 403


def test_translations_stay_within_a_series_organisers_series(client, world, person_with_role):
    headers = bearer_for(person_with_role("series organiser"))
    theirs = world.draft(world.theirs)
    patched = send(client, "patch", f"/talks/{theirs.slug}", {"translations": {"fr": {"title": "Piraté"}}}, **headers)
    assert patched.status_code == 404
    other_series = send(client, "put", f"/series/{world.theirs.slug}/translations", {"fr": {"name": "Piraté"}}, **headers)
    assert other_series.status_code == 404
    own_series = send(client, "put", f"/series/{world.ours.slug}/translations", {"fr": {"name": "La nôtre"}}, **headers)
    assert own_series.status_code == 200, own_series.json()
    assert not world.theirs.translations.exists() and not theirs.translations.exists()
    editor = bearer_for(person_with_role("editor"))  # may edit talks, not series
    assert send(client, "put", f"/series/{world.ours.slug}/translations", {}, **editor).status_code == 403
