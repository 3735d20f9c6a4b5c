"""`clustertalks import`: talks with their speakers from CSV, JSON or an iCalendar feed.

Idempotent: a talk is found again by its external id (the `id` column, or an iCalendar UID,
kept in ImportedTalk), else by (series, start, title); people by name, organisations by name or
acronym; so importing the same file twice changes nothing the second time. All or nothing by
default: if any row is bad, every bad row is reported with its line and nothing is imported
(``partial=True`` imports the good rows). A dry run does the whole import, reports it, and rolls
it back. The format is documented in docs/api.md.
"""

import csv
import datetime as dt
import io
import json
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from clustertalks.core.timezones import default_zone_name
from clustertalks.people.models import Participation
from clustertalks.talks.models import Series, Talk

from . import writing
from .models import ImportedTalk

FORMATS = ("csv", "json", "ics")
MAX_ROWS = 5000
MAX_BYTES = 10 * 1024 * 1024
STATUSES = {choice.value for choice in Talk.Status}
ICS_STATUS = {"CANCELLED": Talk.Status.CANCELLED, "TENTATIVE": Talk.Status.DRAFT}


class ImportFailed(Exception):
    """The file as a whole cannot be read (not one bad row: those are RowErrors)."""


@dataclass
class RowError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class TalkSpec:
    line: int
    source: str
    external_id: str
    title: str
    start: dt.datetime
    end: dt.datetime
    series: Series | None
    status: str
    abstract: str = ""
    event_type: str = ""
    venue: str = ""
    city: str = ""
    topics: list[str] = field(default_factory=list)
    speakers: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Outcome:
    line: int
    action: str  # created, updated, unchanged
    title: str


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)


# ---------------------------------------------------------------------------- reading


def guess_format(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    if suffix in {"ics", "ical", "ifb"}:
        return "ics"
    if suffix in FORMATS:
        return suffix
    raise ImportFailed(f"Cannot tell the format of {filename!r}: use --format csv, json or ics.")


def read_rows(text: str, fmt: str) -> list[tuple[int, dict]]:
    """(line number, raw fields) for every talk in the file."""
    if len(text) > MAX_BYTES:
        raise ImportFailed(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    rows = {"csv": csv_rows, "json": json_rows, "ics": ics_rows}[fmt](text)
    if len(rows) > MAX_ROWS:
        raise ImportFailed(f"The file has more than {MAX_ROWS} talks: split it.")
    return rows


def csv_rows(text: str) -> list[tuple[int, dict]]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "title" not in [name.strip().lower() for name in reader.fieldnames]:
        raise ImportFailed("line 1: the first line must name the columns, among them title and start.")
    rows = []
    try:
        for row in reader:
            clean = {(key or "").strip().lower(): (value or "").strip() if isinstance(value, str) else "" for key, value in row.items()}
            if None in row:
                clean["__extra__"] = "yes"
            rows.append((reader.line_num, clean))
    except csv.Error as exc:
        raise ImportFailed(f"line {reader.line_num}: {exc}") from exc
    return rows


def json_rows(text: str) -> list[tuple[int, dict]]:
    """A JSON array of objects; each object's line is where it starts."""
    decoder = json.JSONDecoder()
    position = skip_space(text, 0)
    if position >= len(text) or text[position] != "[":
        raise ImportFailed("line 1: the file must be a JSON array of talks: [{...}, {...}].")
    rows, position = [], position + 1
    while True:
        position = skip_space(text, position)
        if position < len(text) and text[position] == "]":
            break
        line = text.count("\n", 0, position) + 1
        try:
            item, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise ImportFailed(f"line {exc.lineno}: not valid JSON ({exc.msg}).") from exc
        rows.append((line, item if isinstance(item, dict) else {"__not_object__": True}))
        position = skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position += 1
        elif position >= len(text) or text[position] != "]":
            raise ImportFailed(f"line {text.count(chr(10), 0, position) + 1}: expected , or ] in the JSON array.")
    return rows


def skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position


def ics_rows(text: str) -> list[tuple[int, dict]]:
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(text)
    except (ValueError, IndexError, KeyError) as exc:
        raise ImportFailed(f"line 1: not a valid iCalendar file ({exc}).") from exc
    lines = [number for number, line in enumerate(text.splitlines(), start=1) if line.strip().upper() == "BEGIN:VEVENT"]
    rows = []
    for index, event in enumerate(calendar.walk("VEVENT")):
        rows.append((lines[index] if index < len(lines) else 0, ics_fields(event)))
    return rows


def ics_fields(event) -> dict:
    def text_of(name):
        value = event.get(name)
        return str(value).strip() if value is not None else ""

    start, end = event.get("DTSTART"), event.get("DTEND")
    duration = event.get("DURATION")
    found = event.get("CATEGORIES")
    groups = found if isinstance(found, list) else ([found] if found is not None else [])
    categories = [str(category) for group in groups for category in getattr(group, "cats", [group])]
    return {
        "id": text_of("UID"),
        "title": text_of("SUMMARY"),
        "start": start.dt if start is not None else "",
        "end": end.dt if end is not None else "",
        "duration_minutes": int(duration.dt.total_seconds() // 60) if duration is not None else "",
        "abstract": text_of("DESCRIPTION"),
        "venue": text_of("LOCATION"),
        "status": ICS_STATUS.get(text_of("STATUS").upper(), Talk.Status.PUBLISHED),
        "topics": categories,
    }


# ---------------------------------------------------------------------------- checking


def parse_moment(value, zone_name: str, name: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        raise ValueError(f"{name} is a date without a time; give the time too.")
    else:
        try:
            moment = parse_datetime(str(value).strip().replace(" ", "T", 1))
        except ValueError:
            moment = None
        if moment is None:
            raise ValueError(f"{name} {str(value)[:40]!r} is not an ISO 8601 date and time (2026-03-04T08:30+01:00).")
    if moment.tzinfo is None:  # a local time of the series
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(zone_name))
    if not 1900 <= moment.year <= 2200:
        raise ValueError(f"{name} must be between the years 1900 and 2200.")
    return moment.astimezone(dt.UTC)


def split_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def parse_speaker(value) -> tuple[str, str, str]:
    if isinstance(value, dict):
        parts = [str(value.get(key) or "") for key in ("name", "position", "organisation")]
    else:
        parts = [part.strip() for part in str(value).split("|")] + ["", ""]
    name, position, organisation = (" ".join(part.split()) for part in parts[:3])
    if not name:
        raise ValueError("a speaker has no name (write Name | Position | Organisation).")
    if len(name) > 200 or len(position) > 250 or len(organisation) > 200:
        raise ValueError(f"the speaker {name[:40]!r} has a name, position or organisation that is too long.")
    return name, position, organisation


def check_row(line: int, raw: dict, source: str, default_series: Series | None, series_by_slug: dict) -> TalkSpec:
    """A TalkSpec, or ValueError with every problem of the row."""
    if raw.get("__not_object__"):
        raise ValueError("each talk must be a JSON object.")
    problems = []
    if raw.get("__extra__"):
        problems.append("more values than columns (quote values that contain commas).")
    for key, value in raw.items():
        if isinstance(value, str) and "\x00" in value:
            problems.append(f"{key} contains a NUL character.")
    title = " ".join(str(raw.get("title") or "").split())
    if not title:
        problems.append("title is missing.")
    elif len(title) > 250:
        problems.append("title is longer than 250 characters.")
    series = default_series
    series_slug = str(raw.get("series") or "").strip()
    if series_slug:
        series = series_by_slug.get(series_slug)
        if series is None:
            problems.append(f"there is no series {series_slug[:80]!r}.")
    zone = series.time_zone if series else default_zone_name()
    start = end = None
    try:
        start = parse_moment(raw.get("start") or "", zone, "start") if raw.get("start") else None
        if start is None:
            problems.append("start is missing.")
    except ValueError as exc:
        problems.append(str(exc))
    if start is not None:
        try:
            end = end_of(raw, start, zone, series)
        except ValueError as exc:
            problems.append(str(exc))
    status = str(raw.get("status") or Talk.Status.DRAFT).strip().lower()
    if status not in STATUSES:
        problems.append(f"status must be one of {', '.join(sorted(STATUSES))}.")
    speakers = []
    for speaker in raw.get("speakers") if isinstance(raw.get("speakers"), list) else split_list(raw.get("speakers")):
        try:
            speakers.append(parse_speaker(speaker))
        except ValueError as exc:
            problems.append(str(exc))
    topics = split_list(raw.get("topics"))
    if any(len(topic) > 120 for topic in topics):
        problems.append("a topic is longer than 120 characters.")
    external_id = str(raw.get("id") or "").strip()
    if len(external_id) > 255:
        problems.append("id is longer than 255 characters.")
    if problems:
        raise ValueError(" ".join(problems))
    return TalkSpec(
        line=line, source=source if external_id else "", external_id=external_id, title=title,
        start=start, end=end, series=series, status=status, abstract=str(raw.get("abstract") or ""),
        event_type=str(raw.get("type") or "").strip()[:120], venue=str(raw.get("venue") or "")[:200],
        city=str(raw.get("city") or "")[:100], topics=topics, speakers=speakers,
    )


def end_of(raw: dict, start: dt.datetime, zone: str, series: Series | None) -> dt.datetime:
    if raw.get("end"):
        end = parse_moment(raw["end"], zone, "end")
    elif raw.get("duration_minutes") not in (None, ""):
        try:
            minutes = int(str(raw["duration_minutes"]).strip())
        except ValueError:
            raise ValueError("duration_minutes must be a whole number.") from None
        if not 1 <= minutes <= 24 * 60:
            raise ValueError("duration_minutes must be between 1 and 1440.")
        end = start + dt.timedelta(minutes=minutes)
    else:
        end = start + dt.timedelta(minutes=series.default_duration_minutes if series else 60)
    if end <= start:
        raise ValueError("the talk must end after it starts.")
    return end


# ---------------------------------------------------------------------------- applying


def snapshot(talk: Talk) -> tuple:
    parts = tuple(
        (part.person_id, part.position, part.organisation_id)
        for part in Participation.objects.filter(talk=talk).order_by("pk")
    )
    topics = tuple(sorted(talk.topics.values_list("pk", flat=True)))
    return (
        talk.title, talk.start, talk.end, talk.status, talk.abstract, talk.event_type_id, talk.venue,
        talk.city, talk.series_id, topics, parts,
    )


def find_talk(spec: TalkSpec) -> Talk | None:
    if spec.external_id:
        mapping = ImportedTalk.objects.filter(source=spec.source, external_id=spec.external_id).select_related("talk").first()
        if mapping:
            return mapping.talk
    return Talk.objects.filter(series=spec.series, start=spec.start, title=spec.title).first()


def apply(spec: TalkSpec) -> Outcome:
    talk = find_talk(spec)
    before = snapshot(talk) if talk else None
    talk = talk or Talk(series=spec.series)
    talk.series = spec.series
    for name in ("title", "start", "end", "status", "abstract", "venue", "city"):
        setattr(talk, name, getattr(spec, name))
    talk.event_type = writing.event_type_named(spec.event_type)
    if talk.attendance_mode == Talk.AttendanceMode.ONLINE and spec.venue:
        talk.attendance_mode = Talk.AttendanceMode.HYBRID
    talk.full_clean(exclude=["slug", "banner"])
    talk.save()
    if spec.topics or before is None:
        talk.topics.set([writing.topic_named(name) for name in spec.topics])
    for order, (name, position, organisation) in enumerate(spec.speakers):
        person = writing.person_named(name)
        part = Participation.objects.filter(talk=talk, person=person).first() or Participation(talk=talk, person=person, order=order)
        part.position = position
        part.organisation = writing.organisation_named(organisation)
        part.save()
    if spec.external_id:
        ImportedTalk.objects.update_or_create(source=spec.source, external_id=spec.external_id, defaults={"talk": talk})
    if before is None:
        return Outcome(spec.line, "created", spec.title)
    return Outcome(spec.line, "unchanged" if snapshot(talk) == before else "updated", spec.title)


def validation_message(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(f"{name}: {' '.join(messages)}" for name, messages in exc.message_dict.items())
    return " ".join(exc.messages)


def import_text(text: str, fmt: str, *, series_slug: str | None = None, dry_run: bool = False, partial: bool = False) -> Report:
    """Check every row, then import (all of them, or with partial=True the good ones)."""
    if fmt not in FORMATS:
        raise ImportFailed(f"Unknown format {fmt!r}: use csv, json or ics.")
    default_series = None
    if series_slug:
        default_series = Series.objects.filter(slug=series_slug).first()
        if default_series is None:
            raise ImportFailed(f"There is no series {series_slug!r}.")
    report = Report(dry_run=dry_run)
    series_by_slug = {series.slug: series for series in Series.objects.all()}
    specs = []
    for line, raw in read_rows(text, fmt):
        try:
            specs.append(check_row(line, raw, fmt if fmt == "ics" else "file", default_series, series_by_slug))
        except ValueError as exc:
            report.errors.append(RowError(line, str(exc)))
    if report.errors and not partial:
        return report
    with transaction.atomic():
        for spec in specs:
            try:
                with transaction.atomic():
                    report.outcomes.append(apply(spec))
            except ValidationError as exc:
                report.errors.append(RowError(spec.line, validation_message(exc)))
        if dry_run or (report.errors and not partial):
            transaction.set_rollback(True)
            report.outcomes = report.outcomes if dry_run else []
        else:
            report.applied = True
    report.errors.sort(key=lambda error: error.line)
    return report
