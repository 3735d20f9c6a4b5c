"""The speech engine on speech made for the tests: language detected, words right."""

import webvtt

from clustertalks.captions import engine
from clustertalks.materials.services import to_webvtt

from .conftest import ENGLISH, GERMAN, needs_engine, word_error_rate

# espeak-ng's synthetic voices are harder than a person: English is read almost perfectly, its
# German voice less so (Whisper base mishears a third of its words). The thresholds say so.
ENGLISH_MAX_WER = 0.15
GERMAN_MAX_WER = 0.6


def transcribe_file(path, language=""):
    with open(path, "rb") as handle:
        audio = engine.decode(handle)
    language = language or engine.detect_language(audio)
    return language, list(engine.transcribe(audio, language=language))


@needs_engine
def test_english_video_is_transcribed_with_its_language_detected(clips, model_folder):
    language, segments = transcribe_file(clips["english.mp4"])
    text = " ".join(segment.text for segment in segments)
    assert language == "en"
    assert word_error_rate(ENGLISH, text) <= ENGLISH_MAX_WER, text
    assert all(0 <= s.start < s.end for s in segments)
    assert [s.start for s in segments] == sorted(s.start for s in segments)


@needs_engine
def test_german_speech_is_recognised_as_german(clips, model_folder):
    language, segments = transcribe_file(clips["german.wav"])
    text = " ".join(segment.text for segment in segments)
    assert language == "de"
    assert word_error_rate(GERMAN, text) <= GERMAN_MAX_WER, text


@needs_engine
def test_a_resumed_transcription_starts_at_the_given_time(clips, model_folder):
    with open(clips["english.mp4"], "rb") as handle:
        audio = engine.decode(handle)
    later = list(engine.transcribe(audio, language="en", start_seconds=7.0))
    assert later and all(segment.start >= 7.0 for segment in later)
    assert "partners" in " ".join(s.text for s in later)
    assert "Welcome" not in " ".join(s.text for s in later)


@needs_engine
def test_silence_and_garbage(clips, model_folder):
    with open(clips["silent.wav"], "rb") as handle:
        assert list(engine.transcribe(engine.decode(handle), language="en")) == []
    with open(clips["corrupt.mp4"], "rb") as handle:
        try:
            engine.decode(handle)
        except engine.AudioUnreadable:
            pass
        else:
            raise AssertionError("a corrupt file must be refused")


def test_webvtt_written_from_segments_reads_back():
    class Line:
        def __init__(self, position, start_ms, end_ms, text, speaker=""):
            self.position, self.start_ms, self.end_ms = position, start_ms, end_ms
            self.text, self.speaker = text, speaker

    text = to_webvtt([Line(1, 0, 2500, "Welcome --> all & <b>you</b>", "Ana"), Line(2, 2500, 5000, "Next")])
    captions = webvtt.from_string(text).captions
    assert [c.start for c in captions] == ["00:00:00.000", "00:00:02.500"]
    assert captions[0].voice == "Ana"


def test_engine_says_what_is_missing(monkeypatch, settings):
    settings.TRANSCRIBE_MODEL = "huge"
    assert "Unknown transcription model" in engine.unavailable_reason()
    monkeypatch.setattr(engine.importlib, "import_module",
                        lambda name: (_ for _ in ()).throw(ImportError(name)))
    assert engine.INSTALL_HINT in engine.unavailable_reason()
