"""Automatic captions in a real browser: the published transcript plays as the video's captions,
the other-language track is listed, the chapters seek the video, and axe finds nothing."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from .conftest import describe_violations, run_axe

pytestmark = pytest.mark.browser


@pytest.fixture
def captioned_site(site, settings, tmp_path):
    """A held talk whose uploaded video got a reviewed machine transcript, chapters and French
    captions (the video is made by PyAV when the [transcribe] extra is there)."""
    from clustertalks.captions import services
    from clustertalks.captions.models import CaptionTrack, Chapter, DraftCue, TranscriptionJob
    from clustertalks.materials.models import Recording, TalkSummary

    settings.MEDIA_ROOT = tmp_path
    settings.TRANSCRIBE_ON_UPLOAD = False
    talk = site.talks["past"]
    recording = Recording(talk=talk, source="upload", duration_seconds=14)
    recording.video.save("talk.mp4", ContentFile(video_bytes(tmp_path)), save=False)
    recording.save()
    job = TranscriptionJob.objects.create(recording=recording, status=TranscriptionJob.Status.DONE,
                                          detected_language="en", duration_seconds=14, done_seconds=14)
    for position, (start, text) in enumerate([(0, "Welcome to the European cluster talks."),
                                               (3000, "Today we discuss the green transition.")], 1):
        DraftCue.objects.create(job=job, position=position, start_ms=start, end_ms=start + 2800, text=text)
    services.publish(job)
    Chapter.objects.create(recording=recording, title="Welcome", start_ms=0)
    Chapter.objects.create(recording=recording, title="Green transition", start_ms=3000)
    CaptionTrack.objects.create(recording=recording, language="fr",
                                webvtt="WEBVTT\n\n1\n00:00:00.000 --> 00:00:02.800\nBienvenue.\n")
    TalkSummary.objects.update_or_create(talk=talk, defaults={"materials_published_at": timezone.now()})
    site.urls["captioned"] = reverse("materials:recording", args=[talk.slug, recording.pk])
    return site


def video_bytes(folder) -> bytes:
    """A real MP4 when PyAV is installed (made from espeak's speech or silence), else a stub."""
    try:
        import av  # noqa: F401
    except ImportError:
        return b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 64
    from tests.captions.speech import silence, wav_to_mp4

    silence(folder / "quiet.wav", seconds=6)
    wav_to_mp4(folder / "quiet.wav", folder / "quiet.mp4")
    return (folder / "quiet.mp4").read_bytes()


def test_the_reviewed_transcript_plays_as_captions_with_chapters(captioned_site, page):
    page.goto(captioned_site["captioned"])
    tracks = page.evaluate("""async () => {
        const video = document.querySelector('video');
        for (const track of video.textTracks) { track.mode = 'hidden'; }
        await new Promise(resolve => setTimeout(resolve, 1500));
        return Array.from(video.textTracks).map(t => ({kind: t.kind, language: t.language,
            label: t.label, cues: t.cues ? Array.from(t.cues).map(c => c.text) : null}));
    }""")
    by_kind = {(t["kind"], t["language"]): t for t in tracks}
    assert by_kind[("captions", "en")]["cues"] == ["Welcome to the European cluster talks.",
                                                   "Today we discuss the green transition."]
    assert by_kind[("captions", "fr")]["label"] == "français"
    assert by_kind[("chapters", "en")]["cues"] == ["Welcome", "Green transition"]
    assert page.get_by_text("made by machine and reviewed by the organisers").is_visible()

    chapter = page.get_by_role("link", name="Green transition", exact=False)
    chapter.focus()
    page.keyboard.press("Enter")
    for _attempt in range(50):  # the page's CSP forbids eval, so poll from here
        if page.evaluate("() => document.querySelector('video').currentTime") >= 2.9:
            break
        page.wait_for_timeout(100)
    assert page.evaluate("() => document.querySelector('video').currentTime") >= 2.9
    violations = run_axe(page)
    assert not violations, describe_violations(violations)
