"""The organiser's side: review and correct the draft, find and replace, keywords, publish;
chapters from the agenda; captions in other languages; who may do what."""

import datetime as dt
import html
import json
import re

import pytest
import webvtt
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from clustertalks.captions import engine, services
from clustertalks.captions.models import CaptionTrack, Chapter, KeywordSuggestion, TranscriptionJob
from clustertalks.materials.models import Transcript
from clustertalks.talks.models import AgendaItem, Topic
from tests.materials.conftest import add_materials, media_root  # noqa: F401 - fixtures

from .test_workflow import fake_engine, publish_materials, recording, review_url, run_job  # noqa: F401

pytestmark = pytest.mark.django_db
Status = TranscriptionJob.Status


@pytest.fixture
def draft(recording, fake_engine, django_capture_on_commit_callbacks):  # noqa: F811
    return run_job(recording, django_capture_on_commit_callbacks)


def lines_post(job, changes, action="save_lines"):
    """The review form's POST for the first page, with `changes` {position: {field: value}}."""
    cues = list(job.cues.all()[:40])
    data = {"action": action, "lines-TOTAL_FORMS": len(cues), "lines-INITIAL_FORMS": len(cues),
            "lines-MIN_NUM_FORMS": 0, "lines-MAX_NUM_FORMS": 1000}
    for index, cue in enumerate(cues):
        values = {"id": cue.pk, "start_ms": f"0:{cue.start_ms // 1000:02d}.{cue.start_ms % 1000:03d}",
                  "end_ms": f"0:{cue.end_ms // 1000:02d}.{cue.end_ms % 1000:03d}",
                  "speaker": cue.speaker, "text": cue.text, **changes.get(cue.position, {})}
        data.update({f"lines-{index}-{key}": value for key, value in values.items()})
    return data


def test_the_review_screen_shows_the_draft_with_speakers_to_choose(draft, admin_client, make_person):
    from clustertalks.people.models import Participation

    Participation.objects.create(talk=draft.recording.talk, person=make_person("Ana Kovács"))
    page = admin_client.get(review_url(draft)).content.decode()
    assert "Draft (10 lines)" in page
    assert '<option value="Ana Kovács">' in page
    assert 'value="publish"' in page


def test_a_line_is_corrected_in_text_time_and_speaker(draft, admin_client):
    response = admin_client.post(review_url(draft), lines_post(draft, {
        1: {"text": "Welcome to the Clusters Talks", "start_ms": "0:00.250", "speaker": "Ana Kovács"}}))
    assert response.status_code == 302
    first = draft.cues.get(position=1)
    assert (first.text, first.start_ms, first.speaker) == ("Welcome to the Clusters Talks", 250, "Ana Kovács")


@pytest.mark.parametrize("change, message", [
    ({"start_ms": "soon"}, "Write a time as minutes:seconds"),
    ({"start_ms": "0:01.000", "end_ms": "0:00.500"}, "A line must end after it starts."),
    ({"end_ms": "1:75"}, "Minutes and seconds go up to 59."),
    ({"end_ms": "999:00:00"}, "longer than any recording"),
    ({"text": "bad\x07bell"}, "control characters"),
    ({"text": "x" * 2001}, "at most 2000 characters"),
])
def test_a_bad_correction_is_refused_with_its_reason_and_nothing_is_saved(draft, admin_client, change, message):
    before = list(draft.cues.values_list("start_ms", "end_ms", "text"))
    response = admin_client.post(review_url(draft), lines_post(draft, {1: change}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(draft.cues.values_list("start_ms", "end_ms", "text")) == before


def test_find_and_replace_fixes_a_misheard_name_everywhere(draft, admin_client):
    response = admin_client.post(review_url(draft), {
        "action": "find_replace", "find-find": "glusters", "find-replace": "Clusters",
        "find-whole_words": "on"})
    assert response.status_code == 302
    texts = list(draft.cues.values_list("text", flat=True))
    assert all("Clusters" in text and "Glusters" not in text for text in texts)
    assert services.find_and_replace(draft, "skill", "X", whole_words=True) == 0  # "skills" stays
    assert services.find_and_replace(draft, "skill", "competence", whole_words=False) == 10


def test_find_and_replace_needs_something_to_find(draft, admin_client):
    response = admin_client.post(review_url(draft), {"action": "find_replace", "find-find": "   "})
    assert response.status_code == 200 and "Say what to find." in response.content.decode()


def test_publishing_makes_the_transcript_and_correcting_again_republishes(draft, admin_client):
    admin_client.post(review_url(draft), {"action": "publish"})
    transcript = Transcript.objects.get(recording=draft.recording)
    assert transcript.cues.count() == 10 and transcript.language == "en"
    services.find_and_replace(draft, "Glusters", "Clusters")
    admin_client.post(review_url(draft), {"action": "publish"})
    assert "Clusters" in Transcript.objects.get().cues.first().text


def test_a_draft_with_lines_out_of_order_cannot_be_published(draft):
    draft.cues.filter(position=2).update(start_ms=0)
    draft.cues.filter(position=1).update(start_ms=5000, end_ms=6000)
    with pytest.raises(Exception, match="order of time"):
        services.publish(draft)
    assert not Transcript.objects.exists()


def test_keywords_are_suggested_and_one_becomes_a_topic(recording, fake_engine, admin_client,  # noqa: F811
                                                        django_capture_on_commit_callbacks):
    fake_engine.segments = [(i * 3.0, i * 3.0 + 2.5, text) for i, text in enumerate([
        "Industrial symbiosis helps clusters share energy and waste.",
        "Industrial symbiosis in ports saves money for small firms.",
        "The hydrogen valley shows industrial symbiosis at work.",
        "Cluster managers build industrial symbiosis with local authorities.",
        "Funding for industrial symbiosis comes from the Single Market Programme.",
    ])]
    job = run_job(recording, django_capture_on_commit_callbacks)
    keywords = list(job.keywords.values_list("keyword", flat=True))
    assert any("symbiosis" in keyword.lower() for keyword in keywords), keywords
    suggestion = next(k for k in job.keywords.all() if "symbiosis" in k.keyword.lower())
    admin_client.post(review_url(job), {"action": "accept_keyword", "keyword": suggestion.pk})
    suggestion.refresh_from_db()
    assert suggestion.state == KeywordSuggestion.State.ACCEPTED
    assert recording.talk.topics.filter(name__iexact=suggestion.keyword).exists()
    other = job.keywords.exclude(pk=suggestion.pk).first()
    admin_client.post(review_url(job), {"action": "ignore_keyword", "keyword": other.pk})
    other.refresh_from_db()
    assert other.state == KeywordSuggestion.State.IGNORED
    assert Topic.objects.count() == 1


def test_staff_without_permission_cannot_see_or_change_a_draft(draft, client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-123", is_staff=True)
    client.force_login(clerk)
    assert client.get(review_url(draft)).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_transcriptionjob"))
    clerk = django_user_model.objects.get(pk=clerk.pk)
    client.force_login(clerk)
    page = client.get(review_url(draft))
    assert page.status_code == 200 and 'value="publish"' not in page.content.decode()
    assert client.post(review_url(draft), {"action": "publish"}).status_code == 403
    assert not Transcript.objects.exists()


def test_the_recording_screen_says_when_automatic_captions_are_not_installed(
        recording, admin_client, monkeypatch):  # noqa: F811
    monkeypatch.setattr(engine, "unavailable_reason", lambda: "Automatic captions are not installed. "
                        f"To add them: {engine.INSTALL_HINT}")
    url = reverse("admin:captions_recordingcaptions_change", args=[recording.pk])
    page = admin_client.get(url).content.decode()
    assert "Automatic captions are not installed" in page and "[transcribe]" in page
    transcribe = reverse("admin:captions_recordingcaptions_transcribe", args=[recording.pk])
    admin_client.post(transcribe, {"captions-language": ""})
    assert not TranscriptionJob.objects.exists()


def test_asking_for_a_transcription_from_the_recording_screen(recording, fake_engine, admin_client,  # noqa: F811
                                                              django_capture_on_commit_callbacks):
    transcribe = reverse("admin:captions_recordingcaptions_transcribe", args=[recording.pk])
    assert admin_client.post(transcribe, {"captions-language": "english!"}).status_code == 302
    assert not TranscriptionJob.objects.exists()  # a bad language code is refused
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(transcribe, {"captions-language": "en"})
    job = TranscriptionJob.objects.get()
    assert job.language == "en" and job.status == Status.DONE


def test_progress_and_time_left_while_transcribing(recording, admin_client):  # noqa: F811
    from django.utils import timezone

    job = TranscriptionJob.objects.create(
        recording=recording, status=Status.RUNNING, duration_seconds=3600, done_seconds=900,
        started_at=timezone.now() - dt.timedelta(minutes=5), lease_until=timezone.now())
    page = admin_client.get(review_url(job)).content.decode()
    assert 'value="25"' in page and "25 %" in page
    assert re.search(r"about 1[45] minutes left", page)
    assert 'http-equiv="refresh"' in page and 'value="cancel"' in page
    admin_client.post(review_url(job), {"action": "cancel"})
    job.refresh_from_db()
    assert job.status == Status.CANCELLED


@pytest.fixture
def talk_with_chapters(full_talk, recording, add_materials):  # noqa: F811
    talk = recording.talk
    start = talk.local_start
    for order, (minutes, title) in enumerate([(0, "Welcome"), (10, "Keynote"), (35, "Panel & Q&A")]):
        AgendaItem.objects.create(talk=talk, order=order, title=title,
                                  starts_at=(start + dt.timedelta(minutes=minutes)).time())
    recording.duration_seconds = 3600
    recording.save()
    publish_materials(talk)
    return talk


def test_chapters_come_from_the_agenda_and_reach_the_player_and_search_engines(
        talk_with_chapters, recording, client, admin_client):  # noqa: F811
    changelist = reverse("admin:captions_recordingcaptions_changelist")
    admin_client.post(changelist, {"action": "make_chapters", "_selected_action": [recording.pk]})
    assert list(Chapter.objects.values_list("title", "start_ms")) == [
        ("Welcome", 0), ("Keynote", 600_000), ("Panel & Q&A", 2_100_000)]

    vtt = client.get(reverse("captions:chapters", args=[talk_with_chapters.slug, recording.pk]))
    chapters = webvtt.from_string(vtt.content.decode()).captions
    assert [(c.start, c.end, html.unescape(c.text)) for c in chapters] == [
        ("00:00:00.000", "00:10:00.000", "Welcome"), ("00:10:00.000", "00:35:00.000", "Keynote"),
        ("00:35:00.000", "01:00:00.000", "Panel & Q&A")]

    page = client.get(talk_with_chapters.get_absolute_url()).content.decode()
    assert '<track kind="chapters"' in page
    assert "?t=600#t=600" in page and "Panel &amp; Q&amp;A" in page
    video = next(item for item in (json.loads(block) for block in re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', page)) if item["@type"] == "VideoObject")
    assert [(clip["name"], clip["startOffset"], clip.get("endOffset")) for clip in video["hasPart"]] == [
        ("Welcome", 0, 600), ("Keynote", 600, 2100), ("Panel & Q&A", 2100, 3600)]


def test_chapters_of_an_unpublished_recording_stay_hidden(recording, client):  # noqa: F811
    Chapter.objects.create(recording=recording, title="Secret part", start_ms=0)
    url = reverse("captions:chapters", args=[recording.talk.slug, recording.pk])
    assert client.get(url).status_code == 404


SRT = "1\n00:00:01,000 --> 00:00:03,000\nBienvenue aux EU Clusters Talks.\n\n"


def test_captions_in_another_language_are_uploaded_and_listed_in_the_player(
        talk_with_chapters, recording, admin_client, client):  # noqa: F811
    url = reverse("admin:captions_recordingcaptions_change", args=[recording.pk])
    form = {"chapters-TOTAL_FORMS": 0, "chapters-INITIAL_FORMS": 0,
            "caption_tracks-TOTAL_FORMS": 1, "caption_tracks-INITIAL_FORMS": 0,
            "caption_tracks-0-language": "fr", "caption_tracks-0-label": ""}
    bad = admin_client.post(url, {**form, "caption_tracks-0-upload": SimpleUploadedFile("x.srt", b"\x00\x01junk")})
    assert bad.status_code == 200 and "not a text file" in bad.content.decode()
    assert not CaptionTrack.objects.exists()
    wrong_code = admin_client.post(url, {**form, "caption_tracks-0-language": "french!",
                                         "caption_tracks-0-upload": SimpleUploadedFile("x.srt", SRT.encode())})
    assert "language code" in wrong_code.content.decode()
    good = admin_client.post(url, {**form, "caption_tracks-0-upload": SimpleUploadedFile("fr.srt", SRT.encode())})
    assert good.status_code == 302
    track = CaptionTrack.objects.get()
    assert track.webvtt.startswith("WEBVTT")
    page = client.get(talk_with_chapters.get_absolute_url()).content.decode()
    assert 'srclang="fr" label="français"' in page
    served = client.get(reverse("captions:track", args=[talk_with_chapters.slug, recording.pk, "fr"]))
    assert webvtt.from_string(served.content.decode()).captions[0].text == "Bienvenue aux EU Clusters Talks."


def test_the_talk_page_costs_the_same_queries_with_one_or_three_recordings_with_chapters(
        make_talk, media_root, client, count_queries, settings):  # noqa: F811
    from django.core.files.base import ContentFile

    from clustertalks.materials.models import Recording

    settings.TRANSCRIBE_ON_UPLOAD = False

    def talk_with(recordings):
        talk = make_talk()
        publish_materials(talk)
        for n in range(recordings):
            recording = Recording(talk=talk, order=n, source=Recording.Source.UPLOAD)
            recording.video.save(f"v{n}.mp4", ContentFile(b"x"), save=False)
            recording.save()
            Chapter.objects.create(recording=recording, title="Part", start_ms=0)
            CaptionTrack.objects.create(recording=recording, language="de", webvtt="WEBVTT\n")
        return talk

    one, three = talk_with(1), talk_with(3)
    assert count_queries(client.get, one.get_absolute_url()) == count_queries(client.get, three.get_absolute_url())
