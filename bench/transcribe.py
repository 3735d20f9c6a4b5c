"""Automatic captions on this machine: real-time factor, peak memory and word error rate per
model size, on speech made with espeak-ng from a known script.

    .venv/bin/python bench/transcribe.py [--minutes 10] [--models base small] [--threads 0]

Each model runs in a child process of its own (peak memory is the child's maximum resident set).
The clip is the same English script read again and again until it lasts --minutes.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, sys, time, resource
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")
import django; django.setup()
from django.conf import settings
from clustertalks.captions import engine
settings.TRANSCRIBE_MODEL = sys.argv[1]
settings.TRANSCRIBE_CPU_THREADS = int(sys.argv[3])
started = time.perf_counter()
engine.load_model(engine.model_name(), engine.cpu_threads())
loaded = time.perf_counter()
with open(sys.argv[2], "rb") as handle:
    audio = engine.decode(handle)
text = " ".join(s.text for s in engine.transcribe(audio, language="en"))
done = time.perf_counter()
print(json.dumps({"load_s": loaded - started, "transcribe_s": done - loaded, "text": text,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_clip(folder: Path, minutes: float) -> tuple[Path, str]:
    from tests.captions.speech import LONG_ENGLISH

    one = folder / "one.wav"
    subprocess.run(["espeak-ng", "-v", "en", "-s", "150", "-w", str(one), LONG_ENGLISH], check=True)
    with wave.open(str(one)) as source:
        params, frames = source.getparams(), source.readframes(source.getnframes())
    seconds = len(frames) / (params.framerate * params.sampwidth)
    repeats = max(1, round(minutes * 60 / seconds))
    clip = folder / "clip.wav"
    with wave.open(str(clip), "wb") as out:
        out.setparams(params)
        out.writeframes(frames * repeats)
    return clip, " ".join([LONG_ENGLISH] * repeats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--models", nargs="+", default=["base", "small"])
    parser.add_argument("--threads", type=int, default=0, help="0: cores - 1 (the default)")
    options = parser.parse_args()
    from tests.captions.speech import word_error_rate

    with tempfile.TemporaryDirectory() as folder:
        clip, script = make_clip(Path(folder), options.minutes)
        with wave.open(str(clip)) as source:
            seconds = source.getnframes() / source.getframerate()
        print(f"clip: {seconds / 60:.1f} min of espeak-ng English; cores: {os.cpu_count()}")
        print(f"{'model':8} {'load s':>7} {'transcribe s':>13} {'RTF':>6} {'peak MB':>8} {'WER':>6}")
        for model in options.models:
            child = subprocess.run([sys.executable, "-c", CHILD, model, str(clip), str(options.threads)],
                                   capture_output=True, text=True, cwd=ROOT,
                                   env={**os.environ, "PYTHONWARNINGS": "ignore"})
            if child.returncode:
                print(f"{model:8} failed: {child.stderr.strip().splitlines()[-1] if child.stderr else '?'}")
                continue
            result = json.loads(child.stdout.strip().splitlines()[-1])
            rtf = result["transcribe_s"] / seconds
            print(f"{model:8} {result['load_s']:7.1f} {result['transcribe_s']:13.1f} {rtf:6.2f} "
                  f"{result['peak_mb']:8.0f} {word_error_rate(script, result['text']):6.3f}")
        print(f"(this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
