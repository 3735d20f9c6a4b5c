"""Transcript times that a 32-bit column cannot hold are refused with a message, not a 500."""

import pytest
from django.core.exceptions import ValidationError

from clustertalks.materials.services import parse_transcript_bytes


def vtt(start: str, end: str) -> bytes:
    return f"WEBVTT\n\n{start} --> {end}\nHello\n".encode()


def test_a_line_past_596_hours_is_refused():
    with pytest.raises(ValidationError) as refusal:
        parse_transcript_bytes(vtt("597:00:00.000", "597:00:01.000"))
    assert refusal.value.code == "too_late"


def test_a_long_but_real_recording_is_kept():
    parsed = parse_transcript_bytes(vtt("167:59:58.000", "167:59:59.000"))
    assert parsed.cues[0].end_ms == 167 * 3_600_000 + 59 * 60_000 + 59_000
