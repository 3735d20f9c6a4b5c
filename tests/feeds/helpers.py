"""Parsing calendar outputs the way clients do: with icalendar and with Mozilla's ical.js."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from icalendar import Calendar

ROOT = Path(__file__).resolve().parents[2]
ICALJS = ROOT / ".venv" / "node" / "node_modules" / "ical.js" / "dist" / "ical.js"
SCRIPT = Path(__file__).resolve().parent / "icaljs_parse.mjs"


def parse_icalendar(content: bytes) -> Calendar:
    calendar = Calendar.from_ical(content)
    assert calendar.errors == []
    for component in calendar.walk():
        assert not getattr(component, "errors", []), component.errors
    return calendar


def parse_icaljs(content: bytes) -> dict:
    """ical.js's reading of the calendar (skips when node or ical.js is not installed:
    `make install-test` installs ical.js with npm)."""
    node = shutil.which("node")
    if not node or not ICALJS.exists():
        pytest.skip("node or ical.js missing: run `make install-test` (needs npm)")
    result = subprocess.run(
        [node, str(SCRIPT), str(ICALJS)], input=content, capture_output=True, timeout=30, check=False
    )
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(result.stdout)


def parse_both(content: bytes) -> tuple[Calendar, dict]:
    return parse_icalendar(content), parse_icaljs(content)
