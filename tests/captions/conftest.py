"""Speech made for the tests: Debian's espeak-ng reads known scripts (English and German) into
WAV files, wrapped into an MP4 with a video stream by PyAV, plus a silent file and a corrupt
one. Made once per test session."""

import shutil

import pytest
from django.core.files.base import ContentFile

from clustertalks.captions import engine
from clustertalks.materials.models import Recording

from .speech import ENGLISH, GERMAN, LONG_ENGLISH, silence, speak, wav_to_mp4, word_error_rate  # noqa: F401


ENGINE_MARKS = [pytest.mark.transcription,
                pytest.mark.skipif(not engine.is_available(), reason=engine.unavailable_reason())]


def needs_engine(test):
    """Runs the real speech engine: skipped without the extra, left out of the PostgreSQL pass."""
    for mark in ENGINE_MARKS:
        test = mark(test)
    return test

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng missing")


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """{name: path}: english.mp4, german.wav, long.wav, silent.wav, corrupt.mp4."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is needed to make the test speech (apt-get install espeak-ng)")
    folder = tmp_path_factory.mktemp("speech")
    speak(ENGLISH, "en", folder / "english.wav")
    if engine.is_available():
        wav_to_mp4(folder / "english.wav", folder / "english.mp4")
    speak(GERMAN, "de", folder / "german.wav")
    speak(LONG_ENGLISH, "en", folder / "long.wav")
    silence(folder / "silent.wav")
    (folder / "corrupt.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"garbage" * 500)
    return {path.name: path for path in folder.iterdir()}


@pytest.fixture
def uploaded_recording(media_root, settings):
    """A recording whose video is one of the clips (not transcribed on upload unless asked)."""

    def make(talk, clip_path, *, on_upload=False, **fields):
        settings.TRANSCRIBE_ON_UPLOAD = on_upload
        recording = Recording(talk=talk, source=Recording.Source.UPLOAD, **fields)
        recording.video.save(clip_path.name, ContentFile(clip_path.read_bytes()), save=False)
        recording.save()
        return recording

    return make


@pytest.fixture
def model_folder(settings, tmp_path_factory):
    """The assembled model in one folder for the whole session (joining the parts takes time)."""
    settings.VAR_DIR = tmp_path_factory.getbasetemp() / "var"
    return settings.VAR_DIR


