"""The REST API: public reads, token-protected writes, JSON errors."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from clustertalks.api.models import ApiToken
from clustertalks.api.services import issue_token
from clustertalks.materials.models import TalkSummary, Takeaway
from clustertalks.talks.models import Talk, Topic
from tests.conftest import utc

API = "/api/v1"


def get(client, path, **extra):
    response = client.get(API + path, **extra)
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


def send(client, method, path, body, **extra):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    response = getattr(client, method)(API + path, data=data, content_type="application/json", **extra)
    if response.status_code != 204:
        assert response["Content-Type"].startswith("application/json"), response.content[:200]
    return response


# ---------------------------------------------------------------------------- reading


def test_talk_list_shows_published_talks_never_drafts_or_meeting_links(client, make_talk):
    make_talk("Open talk", meeting_url="https://zoom.example/j/secret")
    make_talk("Hidden draft", status=Talk.Status.DRAFT)
    body = get(client, "/talks").json()
    assert [talk["title"] for talk in body["items"]] == ["Open talk"]
    assert body["count"] == 1
    assert "secret" not in json.dumps(body) and "meeting_url" not in body["items"][0]


def test_a_draft_is_not_found_by_slug(client, make_talk):
    draft = make_talk("Hidden draft", status=Talk.Status.DRAFT)
    response = get(client, f"/talks/{draft.slug}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_talk_detail_has_times_with_offset_speakers_and_takeaways(client, full_talk):
    talk = full_talk(start=utc(2026, 3, 4, 7, 30))
    Takeaway.objects.create(talk=talk, kind="challenge", text="Skills gaps are real.")
    assert get(client, f"/talks/{talk.slug}").json()["takeaways"] == []  # materials not published yet
    TalkSummary.objects.create(talk=talk, materials_published_at=utc(2026, 3, 5))
    body = get(client, f"/talks/{talk.slug}").json()
    assert body["start"].startswith("2026-03-04T07:30:00")
    assert body["local_start"] == "2026-03-04T08:30:00+01:00"
    assert body["time_zone"] == "Europe/Brussels"
    assert len(body["speakers"]) == 3 and body["speakers"][0]["position"] == "Team Leader"
    assert body["takeaways"][0]["text"] == "Skills gaps are real."
    assert body["url"].endswith(f"/talks/{talk.slug}/")


def test_filters_upcoming_past_topic_series_and_dates(client, make_talk):
    now = timezone.now()
    past = make_talk("Past", start=now - dt.timedelta(days=30))
    soon = make_talk("Soon", start=now + dt.timedelta(days=3))
    make_talk("Later", start=now + dt.timedelta(days=40))
    topic = Topic.objects.create(name="Green transition")
    soon.topics.add(topic)

    def titles(query):
        return [talk["title"] for talk in get(client, "/talks?" + query).json()["items"]]

    assert titles("when=upcoming") == ["Soon", "Later"]
    assert titles("when=past") == ["Past"]
    assert titles("topic=green-transition") == ["Soon"]
    assert titles(f"series={past.series.slug}&when=past") == ["Past"]
    assert titles("series=nothing-like-it") == []
    day = (now + dt.timedelta(days=3)).date().isoformat()
    assert titles(f"from={day}&to={day}") == ["Soon"]


def test_pagination(client, make_talk):
    for _ in range(5):
        make_talk()
    body = get(client, "/talks?page=2&page_size=2").json()
    assert (body["count"], body["page"], body["page_size"], len(body["items"])) == (5, 2, 2, 2)
    assert get(client, "/talks?page_size=1000").status_code == 422
    assert get(client, "/talks?page=0").status_code == 422


def test_list_costs_the_same_queries_with_one_or_many_talks(client, full_talk, count_queries):
    full_talk()
    one = count_queries(client.get, API + "/talks")
    for _ in range(4):
        full_talk()
    assert count_queries(client.get, API + "/talks") == one


@pytest.mark.parametrize("path", ["/people", "/organisations", "/topics", "/series", "/takeaways"])
def test_other_lists_answer(client, full_talk, path):
    talk = full_talk()
    Takeaway.objects.create(talk=talk, kind="policy", text="Align regional strategies.")
    TalkSummary.objects.create(talk=talk, materials_published_at=utc(2026, 3, 5))
    body = get(client, path).json()
    assert body["count"] >= 1 and body["items"]


def test_people_of_drafts_only_stay_unannounced(client, make_talk, make_person):
    from clustertalks.people.models import Participation

    hidden = make_person("Not Yet Announced")
    Participation.objects.create(person=hidden, talk=make_talk(status=Talk.Status.DRAFT))
    assert get(client, "/people").json()["count"] == 0
    assert get(client, f"/people/{hidden.slug}").status_code == 404


def test_search_finds_published_talks_only(client, make_talk, settings):
    settings.SEARCH_INDEX_AFTER_COMMIT = False  # the test transaction never commits
    make_talk("Cluster skills academy", abstract="Training")
    make_talk("Cluster skills draft", status=Talk.Status.DRAFT)
    body = get(client, "/search?q=skills").json()
    titles = [hit["title"] for hit in body["items"]]
    assert "Cluster skills academy" in titles and "Cluster skills draft" not in titles
    assert body["items"][0]["url"].startswith("http")
    assert get(client, "/search").status_code == 422
    for hostile in ["' OR 1=1 --", '"unclosed', "<script>alert(1)</script>", "-", "*:*"]:
        assert get(client, "/search", data={"q": hostile}).status_code == 200


@pytest.mark.parametrize("query", [
    "when=sometimes", "from=2026-13-45", "to=yesterday", "topic=<script>", "series=' OR 1=1 --",
    "page=99999999999999999999", "page_size=-1",
])
def test_bad_query_parameters_answer_json_422(client, query):
    response = get(client, "/talks?" + query)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and response.json()["errors"]


def test_unknown_addresses_and_methods_answer_json(client):
    assert get(client, "/nothing/here").status_code == 404
    assert get(client, "/talks/a%2Fb").status_code in (404, 422)
    response = client.delete(API + "/talks")
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_nul_in_query_is_refused_as_json_before_the_api(client):
    response = client.get(API + "/talks?topic=%00")  # core's RejectNullBytesMiddleware answers
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_an_unexpected_error_is_a_json_500(client, monkeypatch):
    from clustertalks.api import selectors

    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "talk_list", broken)
    response = get(client, "/talks")
    assert response.status_code == 500
    assert response.json()["code"] == "server_error" and "boom" not in response.content.decode()


def test_openapi_schema_is_served(client):
    schema = get(client, "/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/talks" in schema["paths"]


def test_docs_page_describes_endpoints_and_loads_nothing_from_other_hosts(client, settings, db):  # db: the page wears the site identity (read once per generation)
    response = client.get(API + "/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/api/v1/talks/{slug}/takeaways" in html and "TalkIn" in html
    for address in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert address.startswith(("/", "#", settings.SITE_URL + "/")), address
    assert "'self'" in response["Content-Security-Policy"]


# ---------------------------------------------------------------------------- tokens and scopes

NEW_TALK = {
    "title": "Clusters and the <b>green</b> deal",
    "start": "2026-03-04T08:30:00+01:00",
    "series": None,
    "topics": ["Green transition", "Skills"],
    "status": "draft",
}


@pytest.fixture
def new_talk(series):
    return {**NEW_TALK, "series": series.slug}


def test_writing_without_a_token_is_401(client, new_talk):
    response = send(client, "post", "/talks", new_talk)
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"
    assert Talk.objects.count() == 0


@pytest.mark.parametrize("header", [
    "Bearer nonsense", "Bearer ct_deadbeef_wrong", "Basic dXNlcjpwYXNz", "Bearer ", "ct_x_y",
])
def test_writing_with_an_invalid_token_is_401(client, new_talk, write_token, header):
    response = send(client, "post", "/talks", new_talk, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert Talk.objects.count() == 0


def test_writing_with_a_read_token_is_403(client, new_talk, read_token):
    response = send(client, "post", "/talks", new_talk, HTTP_AUTHORIZATION=f"Bearer {read_token}")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert Talk.objects.count() == 0


def test_revoked_expired_and_non_staff_tokens_cannot_write(client, new_talk, organiser, django_user_model):
    revoked, plain_revoked = issue_token(organiser, "old", ApiToken.Scope.WRITE)
    revoked.revoked_at = timezone.now()
    revoked.save()
    _expired, plain_expired = issue_token(organiser, "x", ApiToken.Scope.WRITE, timezone.now() - dt.timedelta(days=1))
    visitor = django_user_model.objects.create_user("visitor", password="pw-visitor-1")
    _token, plain_visitor = issue_token(visitor, "mine", ApiToken.Scope.WRITE)
    for plain, status in [(plain_revoked, 401), (plain_expired, 401), (plain_visitor, 403)]:
        assert send(client, "post", "/talks", new_talk, HTTP_AUTHORIZATION=f"Bearer {plain}").status_code == status


def test_token_is_stored_as_a_digest_only(organiser):
    token, plain = issue_token(organiser, "ci", ApiToken.Scope.WRITE)
    stored = ApiToken.objects.get(pk=token.pk)
    assert plain.startswith(f"ct_{stored.prefix}_")
    assert plain.split("_", 2)[2] not in (stored.secret_hash, stored.prefix)
    assert len(stored.secret_hash) == 64


# ---------------------------------------------------------------------------- writing


def test_create_talk_with_offset_time_stores_utc_and_topics(client, bearer, new_talk):
    response = send(client, "post", "/talks", new_talk, **bearer)
    assert response.status_code == 201, response.json()
    talk = Talk.objects.get()
    assert talk.start == utc(2026, 3, 4, 7, 30)
    assert talk.end == utc(2026, 3, 4, 8, 30)  # the series' default 60 minutes
    assert talk.title == "Clusters and the <b>green</b> deal"  # stored as text, escaped on pages
    assert sorted(talk.topics.values_list("name", flat=True)) == ["Green transition", "Skills"]
    assert response.json()["status"] == "draft"
    assert get(client, f"/talks/{talk.slug}").status_code == 404  # still a draft


def test_naive_time_is_refused_with_a_clear_message(client, bearer, new_talk):
    response = send(client, "post", "/talks", {**new_talk, "start": "2026-03-04T08:30:00"}, **bearer)
    assert response.status_code == 422
    assert any(error["loc"][-1] == "start" and "timezone" in error["msg"] for error in response.json()["errors"])
    assert Talk.objects.count() == 0


@pytest.mark.parametrize("change", [
    {"title": ""}, {"title": "x" * 251}, {"title": "nul\x00byte"}, {"start": "not a date"},
    {"start": "9999-12-31T23:59:59-23:00"}, {"series": "../../etc"}, {"series": "no-such-series"},
    {"end": "2026-03-04T08:00:00+01:00"}, {"status": "deleted"}, {"livestream_url": "javascript:alert(1)"},
    {"attendance_mode": "in_person"}, {"topics": ["x"] * 31}, {"duration_minutes": 0},
])
def test_bad_talks_are_refused_and_nothing_is_saved(client, bearer, new_talk, change):
    response = send(client, "post", "/talks", {**new_talk, **change}, **bearer)
    assert response.status_code == 422, response.json()
    assert response.json()["errors"]
    assert Talk.objects.count() == 0


@pytest.mark.parametrize("body", ["{not json", "", "[]", "null", '"text"'])
def test_malformed_bodies_are_4xx_json(client, bearer, body):
    response = send(client, "post", "/talks", body, **bearer)
    assert 400 <= response.status_code < 500


def test_oversized_body_is_refused(client, bearer, new_talk):
    huge = {**new_talk, "abstract": "x" * (6 * 1024 * 1024)}
    response = send(client, "post", "/talks", huge, **bearer)
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    assert Talk.objects.count() == 0


def test_patch_publishes_and_keeps_other_fields(client, bearer, make_talk):
    talk = make_talk("Draft", status=Talk.Status.DRAFT, abstract="Kept")
    response = send(client, "patch", f"/talks/{talk.slug}", {"status": "published", "title": "Final"}, **bearer)
    assert response.status_code == 200, response.json()
    talk.refresh_from_db()
    assert (talk.title, talk.status, talk.abstract) == ("Final", "published", "Kept")


def test_patch_start_keeps_the_duration(client, bearer, make_talk):
    talk = make_talk(minutes=90)
    send(client, "patch", f"/talks/{talk.slug}", {"start": "2027-01-06T08:30:00+01:00"}, **bearer)
    talk.refresh_from_db()
    assert talk.duration_minutes == 90 and talk.start == utc(2027, 1, 6, 7, 30)


def test_agenda_speakers_summary_takeaways_and_recordings(client, bearer, make_talk, make_person):
    talk = make_talk()
    anna = make_person("Anna Kovács")
    agenda = send(client, "put", f"/talks/{talk.slug}/agenda", [
        {"title": "Welcome", "kind": "welcome", "starts_at": "08:30", "ends_at": "08:35"},
        {"title": "Keynote", "kind": "keynote"},
    ], **bearer)
    assert agenda.status_code == 200 and [item["order"] for item in agenda.json()] == [1, 2]
    part = send(client, "post", f"/talks/{talk.slug}/participations", {
        "person": "anna kovács", "role": "keynote", "position": "Head of Unit",
        "organisation": "DG GROW", "agenda_item_id": agenda.json()[1]["id"],
    }, **bearer)
    assert part.status_code == 201 and part.json()["person"]["slug"] == anna.slug  # found, not retyped
    assert send(client, "put", f"/talks/{talk.slug}/summary", {"text": "We learnt **much**."}, **bearer).status_code == 200
    takeaways = send(client, "put", f"/talks/{talk.slug}/takeaways", [
        {"kind": "challenge", "text": "Skills", "person": anna.slug, "topic": "Skills"},
    ], **bearer)
    assert takeaways.status_code == 200, takeaways.json()
    recording = send(client, "post", f"/talks/{talk.slug}/recordings", {
        "source": "youtube", "url": "https://www.youtube.com/watch?v=abcdefghijk",
    }, **bearer)
    assert recording.status_code == 201
    hidden = get(client, f"/talks/{talk.slug}").json()
    assert (hidden["summary"], hidden["takeaways"], hidden["recordings"]) == ("", [], [])  # not published yet
    assert get(client, "/takeaways").json()["count"] == 0
    published = send(client, "post", f"/talks/{talk.slug}/materials/publish", {}, **bearer)
    assert published.status_code == 200 and published.json()["changed"] is True
    again = send(client, "post", f"/talks/{talk.slug}/materials/publish", {}, **bearer)
    assert again.json()["changed"] is False
    body = get(client, f"/talks/{talk.slug}").json()
    assert body["summary"] == "We learnt **much**."
    assert get(client, "/takeaways").json()["count"] == 1
    assert body["takeaways"][0]["person"]["slug"] == anna.slug
    assert body["recordings"][0]["url"] == "https://www.youtube.com/watch?v=abcdefghijk"
    assert body["speakers"][0]["organisation"]["name"] == "DG GROW"
    removed = client.delete(f"{API}/talks/{talk.slug}/participations/{part.json()['id']}", **bearer)
    assert removed.status_code == 204 and talk.participations.count() == 0


def test_takeaway_from_someone_not_in_the_talk_is_refused(client, bearer, make_talk, make_person):
    talk, stranger = make_talk(), make_person()
    response = send(client, "put", f"/talks/{talk.slug}/takeaways", [
        {"kind": "challenge", "text": "x", "person": stranger.slug}], **bearer)
    assert response.status_code == 422 and talk.takeaways.count() == 0


def test_writing_to_a_missing_talk_is_json_404(client, bearer):
    response = send(client, "put", "/talks/no-such-talk/summary", {"text": "x"}, **bearer)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
