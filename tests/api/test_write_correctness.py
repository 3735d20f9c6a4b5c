"""The API stores only what the back office would accept, in the form both databases keep, and
its schema says what it really answers (issue 8: trust)."""

import datetime as dt

import pytest
from django.urls import reverse

from clustertalks.api.api import api
from clustertalks.materials.models import Recording
from clustertalks.talks.models import AgendaItem, Talk, Topic

from tests.feeds.sitemap import whole_sitemap

from .test_api import API, get, send

pytestmark = pytest.mark.django_db


def new_talk(client, bearer, **fields):
    body = {"title": "Cluster talk", "start": "2026-03-04T08:30:00+01:00", **fields}
    return send(client, "post", "/talks", body, **bearer)


@pytest.mark.parametrize("field, body", [
    ("title", {"title": "   "}),
    ("topics", {"topics": ["  \t "]}),
    ("event_type", {"event_type": "   "}),
])
def test_white_space_only_names_are_refused(client, bearer, field, body):
    response = new_talk(client, bearer, **body)
    assert response.status_code == 422, response.json()
    assert not Topic.objects.exists()


def test_white_space_only_person_is_refused(client, bearer, make_talk):
    talk = make_talk()
    response = send(client, "post", f"/talks/{talk.slug}/participations", {"person": "  \n "}, **bearer)
    assert response.status_code == 422
    assert not talk.participations.exists()


def test_names_are_tidied_like_the_forms_tidy_them(client, bearer):
    response = new_talk(client, bearer, topics=["  Smart   specialisation "])
    assert response.status_code == 201
    assert list(Topic.objects.values_list("name", flat=True)) == ["Smart specialisation"]


@pytest.mark.parametrize("url", [
    "https://www.youtube.com/watch?v=abc",  # not a video id
    "https://vimeo.com/channels/staffpicks",
    "https://user:pw@example.org/video.mp4",
])
def test_recording_addresses_the_back_office_refuses_are_refused(client, bearer, make_talk, url):
    talk = make_talk()
    response = send(client, "post", f"/talks/{talk.slug}/recordings", {"source": "youtube", "url": url}, **bearer)
    assert response.status_code == 422, response.json()
    assert response.json()["errors"][0]["loc"] == ["body", "url"]
    assert not Recording.objects.exists()


def test_recording_source_comes_from_the_address(client, bearer, make_talk):
    talk = make_talk()
    response = send(client, "post", f"/talks/{talk.slug}/recordings",
                    {"source": "other", "url": "https://vimeo.com/123456789"}, **bearer)
    assert response.status_code == 201
    assert response.json()["source"] == "vimeo"


def test_a_recording_saved_through_the_api_can_be_saved_in_the_back_office(
    client, admin_client, bearer, make_talk
):
    talk = make_talk()
    send(client, "post", f"/talks/{talk.slug}/recordings",
         {"source": "youtube", "url": "https://youtu.be/abcdefghijk"}, **bearer)
    from clustertalks.materials.admin import RecordingForm

    recording = Recording.objects.get()
    form = RecordingForm(
        data={"order": recording.order, "title": "", "url": recording.url, "language": "en"},
        instance=recording,
    )
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("offset", ["-23:59", "+23:59", "+14:00", "-12:00"])
def test_any_valid_offset_is_stored_as_utc(client, bearer, offset):
    response = new_talk(client, bearer, start=f"2026-03-04T08:30:00{offset}")
    assert response.status_code == 201, response.json()
    talk = Talk.objects.get()
    expected = dt.datetime.fromisoformat(f"2026-03-04T08:30:00{offset}").astimezone(dt.UTC)
    assert talk.start == expected
    assert response.json()["start"].endswith(("Z", "+00:00"))


@pytest.mark.parametrize("value", ["16:20:13Z", "16:20+01:00", "25:00", "16:20:13.5", "4pm"])
def test_agenda_times_with_an_offset_or_odd_form_are_refused(client, bearer, make_talk, value):
    talk = make_talk()
    response = send(client, "put", f"/talks/{talk.slug}/agenda", [{"title": "Welcome", "starts_at": value}], **bearer)
    assert response.status_code == 422
    assert not AgendaItem.objects.exists()


def test_agenda_local_times_are_kept(client, bearer, make_talk):
    talk = make_talk()
    response = send(client, "put", f"/talks/{talk.slug}/agenda",
                    [{"title": "Welcome", "starts_at": "08:30", "ends_at": "08:45:30"}], **bearer)
    assert response.status_code == 200
    assert response.json()[0]["starts_at"] == "08:30:00"
    assert AgendaItem.objects.get().ends_at == dt.time(8, 45, 30)


def schema_nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from schema_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from schema_nodes(value)


def test_openapi_names_each_kind_with_its_own_values():
    components = api.get_openapi_schema()["components"]["schemas"]
    assert components["AgendaItemIn"]["properties"]["kind"]["enum"] == list(AgendaItem.Kind.values)
    assert components["AgendaItemOut"]["properties"]["kind"]["enum"] == list(AgendaItem.Kind.values)
    takeaway_kinds = components["TakeawayIn"]["properties"]["kind"]["enum"]
    assert takeaway_kinds != list(AgendaItem.Kind.values)
    assert not [node for node in schema_nodes(components) if node.get("format") == "time"]


def test_nul_in_a_path_is_a_400_not_a_500(client):
    assert client.get("/j/%00").status_code == 400
    assert client.get("/talks/%00/").status_code == 400
    response = client.get(f"{API}/talks/%00")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
def test_unknown_api_paths_are_a_json_404_for_every_method(client, method):
    for path in ("/api/nothing", f"{API}/nothing/here", "/api/"):
        response = getattr(client, method)(path)
        assert response.status_code == 404, (method, path)
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["code"] == "not_found"


# One definition of a public topic: at least one public talk has it.


def test_topics_made_by_a_draft_stay_unannounced(client, bearer, make_talk):
    response = new_talk(client, bearer, topics=["Secret topic"])
    assert response.status_code == 201 and Talk.objects.get().status == Talk.Status.DRAFT
    topic = Topic.objects.get(name="Secret topic")

    assert get(client, "/topics").json()["items"] == []
    assert get(client, f"/topics/{topic.slug}").status_code == 404
    assert client.get(reverse("talks:topic", args=[topic.slug])).status_code == 404
    assert "Secret topic" not in client.get(reverse("talks:topics")).content.decode()
    assert client.get(reverse("feeds:topic_talks_rss", args=[topic.slug])).status_code == 404
    assert topic.slug not in whole_sitemap(client)
    assert "Secret topic" not in client.get(reverse("talks:archive")).content.decode()

    talk = Talk.objects.get()
    talk.status = Talk.Status.PUBLISHED
    talk.save()
    assert [item["name"] for item in get(client, "/topics").json()["items"]] == ["Secret topic"]
    assert client.get(reverse("talks:topic", args=[topic.slug])).status_code == 200
