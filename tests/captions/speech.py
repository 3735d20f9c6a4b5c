"""Speech made for the tests and the bench, without Django: known scripts read by Debian's
espeak-ng, wrapped into a real MP4 by PyAV, silence, and the word error rate."""

import subprocess
import wave

import numpy as np

ENGLISH = ("Welcome to the European Cluster Talks. Today we discuss the green transition and the "
           "resilience of supply chains. Clusters help small and medium sized enterprises to find "
           "partners across Europe.")
GERMAN = ("Willkommen bei den europäischen Cluster Gesprächen. Heute sprechen wir über die grüne "
          "Transformation und widerstandsfähige Lieferketten.")
LONG_ENGLISH = " ".join([
    "Good morning and welcome to this talk on industrial ecosystems.",
    "Our first speaker works for the European Commission on cluster policy.",
    "She will present the new programme for small and medium sized enterprises.",
    "Then a panel of cluster managers will share their good practices.",
    "They talk about skills, digital tools and the energy transition.",
    "At the end there will be time for questions from the audience.",
    "Thank you all for joining us today and enjoy the discussion.",
])


def speak(text: str, voice: str, target) -> None:
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(target), text],
                   check=True, timeout=60, capture_output=True)


def wav_to_mp4(wav_path, mp4_path) -> None:
    """A real video file: a small black picture and the speech as AAC, written by PyAV."""
    import av

    with wave.open(str(wav_path)) as source:
        rate = source.getframerate()
        samples = np.frombuffer(source.readframes(source.getnframes()), dtype=np.int16)
    with av.open(str(mp4_path), "w") as container:
        video = container.add_stream("mpeg4", rate=5)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        audio = container.add_stream("aac", rate=rate)
        black = np.zeros((48, 64, 3), dtype=np.uint8)
        for _frame in range(int(len(samples) / rate * 5) + 1):
            for packet in video.encode(av.VideoFrame.from_ndarray(black, format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        for start in range(0, len(samples), 1024):
            frame = av.AudioFrame.from_ndarray(samples[start:start + 1024].reshape(1, -1),
                                               format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, start
            for packet in audio.encode(frame):
                container.mux(packet)
        for packet in audio.encode():
            container.mux(packet)


def silence(target, seconds=4, rate=16000) -> None:
    with wave.open(str(target), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"\x00\x00" * rate * seconds)


def word_error_rate(reference: str, hypothesis: str) -> float:
    import jiwer

    clean = jiwer.Compose([jiwer.ToLowerCase(), jiwer.RemovePunctuation(), jiwer.RemoveMultipleSpaces(),
                           jiwer.Strip(), jiwer.ReduceToListOfListOfWords()])
    return jiwer.wer(reference.replace("-", " "), hypothesis.replace("-", " "),
                     reference_transform=clean, hypothesis_transform=clean)
