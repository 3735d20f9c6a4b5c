"""`clustertalks import`: talks with their speakers from CSV, JSON or an iCalendar feed.

Idempotent: a talk is found again by its external id (the `id` column, or an iCalendar UID,
kept in ImportedTalk), else by (series, start, title); people, organisations and topics as an
organiser would find them (api/matching.py); so importing the same file twice changes nothing
the second time. Besides the talk, a row carries what its page shows: summary, takeaways,
agenda, speakers with role, position and organisation (with acronym and parent), recording and
slide addresses. Unknown fields and possible duplicates are reported, never dropped silently. All or nothing by
default: if any row is bad, every bad row is reported with its line and nothing is imported
(``partial=True`` imports the good rows). A dry run does the whole import, reports it, and rolls
it back. The format is documented in docs/api.md.
"""

import csv
import datetime as dt
import io
import json
import re
import zoneinfo
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime

from clustertalks.core.languages import CODES as LANGUAGE_CODES
from clustertalks.core.timezones import default_zone_name
from clustertalks.materials.models import Recording, Takeaway, TalkSummary
from clustertalks.people.models import Participation, Person
from clustertalks.talks.models import AgendaItem, Series, SeriesTranslation, Talk

from . import writing
from .matching import Matcher, fold
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
    speakers: list[dict] = field(default_factory=list)  # name, role, position, organisation
    summary: str | None = None
    takeaways: list[dict] | None = None  # text, kind, speaker
    agenda: list[dict] | None = None  # title, kind, starts_at, ends_at
    recording_url: str = ""
    slide_urls: list[str] = field(default_factory=list)
    publish_materials: bool = False
    language: str = ""  # the spoken language; empty keeps the talk's (English for a new one)
    translations: dict = field(default_factory=dict)  # {"fr": {"title", "abstract", "summary", "takeaways"}}
    series_translations: dict = field(default_factory=dict)  # {"fr": {"name", "tagline", ...}} of `series`


@dataclass
class Outcome:
    line: int
    action: str  # created, updated, unchanged
    title: str


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)  # unknown fields
    created: dict[str, list[str]] = field(default_factory=dict)  # people, organisations, topics
    updated: list[str] = field(default_factory=list)  # organisations given an acronym or parent
    duplicates: list[str] = field(default_factory=list)  # new names that look like existing ones
    slides_to_fetch: int = 0
    series_translated: list[str] = field(default_factory=list)  # "EU Clusters Talks: de, fr"
    dry_run: bool = False
    applied: bool = False

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)


# ---------------------------------------------------------------------------- reading

# Fields a talk may carry (docs/api.md); any other is reported as unknown.
KNOWN_FIELDS = {
    "id", "title", "start", "end", "duration_minutes", "series", "status", "abstract", "type", "venue",
    "city", "topics", "speakers", "summary", "takeaways", "agenda", "recording_url", "slide_urls",
    "materials_published", "language",
}
# A talk's texts in other languages: title_fr, abstract_fr, summary_fr, takeaways_fr (one per
# line in a CSV cell, a list in JSON), for each of the 24 languages.
TRANSLATED_FIELDS = ("title", "abstract", "summary", "takeaways")
TRANSLATION_COLUMNS = {f"{name}_{code}": (name, code) for name in TRANSLATED_FIELDS for code in LANGUAGE_CODES}
KNOWN_FIELDS |= set(TRANSLATION_COLUMNS)
# The row's series' texts in other languages: series_name_fr, series_tagline_fr,
# series_description_fr, series_boilerplate_fr. Given once per series (on any of its talks); the
# languages and texts given are set, the others kept (the API's PUT replaces them all).
SERIES_TRANSLATION_LIMITS = {"name": 200, "tagline": 250, "description": 20000, "boilerplate": 20000}
SERIES_TRANSLATION_COLUMNS = {
    f"series_{name}_{code}": (name, code) for name in SERIES_TRANSLATION_LIMITS for code in LANGUAGE_CODES
}
SERIES_COLUMN_PATTERN = re.compile(r"series_(name|tagline|description|boilerplate)_(.+)")
KNOWN_FIELDS |= set(SERIES_TRANSLATION_COLUMNS)
SPEAKER_FIELDS = {"name", "role", "position", "organisation"}
ORGANISATION_FIELDS = {"name", "acronym", "parent"}
TAKEAWAY_FIELDS = {"text", "kind", "speaker"}
AGENDA_FIELDS = {"title", "kind", "description", "starts_at", "ends_at"}
# CSV: one speaker (or takeaway) per row; the rows after a talk's first row repeat its id.
CSV_SPEAKER_COLUMNS = {
    "speaker_name": "name", "speaker_role": "role", "speaker_position": "position",
    "speaker_organisation": "organisation", "speaker_organisation_acronym": "acronym",
    "speaker_organisation_parent": "parent",
}
CSV_TAKEAWAY_COLUMNS = {"takeaway": "text", "takeaway_kind": "kind", "takeaway_speaker": "speaker"}
CSV_COLUMNS = KNOWN_FIELDS | set(CSV_SPEAKER_COLUMNS) | set(CSV_TAKEAWAY_COLUMNS)


def guess_format(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower()
    if suffix in {"ics", "ical", "ifb"}:
        return "ics"
    if suffix in FORMATS:
        return suffix
    raise ImportFailed(f"Cannot tell the format of {filename!r}: use --format csv, json or ics.")


def read_rows(text: str, fmt: str) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """(line number, raw fields) for every talk in the file, and warnings about its layout."""
    if len(text) > MAX_BYTES:
        raise ImportFailed(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    warnings: list[RowError] = []
    if fmt == "csv":
        rows = csv_rows(text, warnings)
    else:
        rows = {"json": json_rows, "ics": ics_rows}[fmt](text)
    if len(rows) > MAX_ROWS:
        raise ImportFailed(f"The file has more than {MAX_ROWS} talks: split it.")
    return rows, warnings


def csv_rows(text: str, warnings: list[RowError]) -> list[tuple[int, dict]]:
    """One dict per talk; the rows that repeat a talk's id add a speaker or a takeaway to it."""
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "title" not in [name.strip().lower() for name in reader.fieldnames]:
        raise ImportFailed("line 1: the first line must name the columns, among them title and start.")
    unknown = [name for name in (n.strip().lower() for n in reader.fieldnames) if name and name not in CSV_COLUMNS]
    if unknown:
        warnings.append(RowError(1, f"unknown column(s) ignored: {', '.join(unknown)}."))
    rows: list[tuple[int, dict]] = []
    try:
        line = reader.line_num + 1
        for row in reader:
            clean = {(key or "").strip().lower(): (value or "").strip() if isinstance(value, str) else "" for key, value in row.items()}
            if None in row:
                clean["__extra__"] = "yes"
            merge_csv_row(rows, line, clean)
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFailed(f"line {reader.line_num}: {exc}") from exc
    return rows


def merge_csv_row(rows: list[tuple[int, dict]], line: int, clean: dict) -> None:
    speaker = {field: clean.pop(column, "") for column, field in CSV_SPEAKER_COLUMNS.items()}
    takeaway = {field: clean.pop(column, "") for column, field in CSV_TAKEAWAY_COLUMNS.items()}
    previous = rows[-1][1] if rows else None
    repeats = previous is not None and (
        (clean.get("id") and clean.get("id") == previous.get("id"))
        or (not clean.get("id") and not clean.get("title") and not clean.get("start"))
    )
    if repeats:
        for key, value in clean.items():
            if value and key not in ("id",) and value != previous.get(key, ""):
                previous.setdefault("__conflicts__", []).append(f"line {line}: {key} differs from the talk's first row.")
        target = previous
    else:
        rows.append((line, clean))
        target = clean
    if speaker["name"]:
        organisation = speaker.pop("organisation")
        acronym, parent = speaker.pop("acronym"), speaker.pop("parent")
        speaker["organisation"] = {"name": organisation, "acronym": acronym, "parent": parent} if (acronym or parent) else organisation
        target.setdefault("__speakers__", []).append(speaker)
    elif any(speaker.values()):
        target.setdefault("__conflicts__", []).append(f"line {line}: a speaker row has no speaker_name.")
    if takeaway["text"]:
        target.setdefault("__takeaways__", []).append(takeaway)


def json_rows(text: str) -> list[tuple[int, dict]]:
    """A JSON array of talks, or an object with the array under "talks"; each talk's line is
    where its object starts, whatever the layout."""
    position = skip_space(text, 0)
    if position < len(text) and text[position] == "{":
        try:
            whole = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ImportFailed(
                f"line {exc.lineno}: not valid JSON ({exc.msg}); the file must be a JSON array of talks "
                'or an object with "talks": [...].'
            ) from exc
        if not isinstance(whole.get("talks"), list):
            raise ImportFailed('line 1: the file must be a JSON array of talks, or an object with "talks": [...].')
        position = array_start(text, "talks")
    if position >= len(text) or text[position] != "[":
        raise ImportFailed("line 1: the file must be a JSON array of talks: [{...}, {...}].")
    return json_array_items(text, position)


def array_start(text: str, key: str) -> int:
    """Where the array of the top-level `key` starts (the key is found by the decoder, not by
    searching the text, so a "talks" inside a string cannot mislead it)."""
    decoder = json.JSONDecoder()
    position = skip_space(text, 1)
    while position < len(text) and text[position] != "}":
        name, position = decoder.raw_decode(text, position)
        position = skip_space(text, skip_space(text, position) + 1)  # past the colon
        if name == key:
            return position
        _value, position = decoder.raw_decode(text, position)
        position = skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position = skip_space(text, position + 1)
    return len(text)


def json_array_items(text: str, position: int) -> list[tuple[int, dict]]:
    decoder = json.JSONDecoder()
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

ROLES = {choice.value: choice.value for choice in Participation.Role} | {
    str(choice.label).casefold(): choice.value for choice in Participation.Role
}
TAKEAWAY_KINDS = {choice.value: choice.value for choice in Takeaway.Kind} | {
    str(choice.label).casefold(): choice.value for choice in Takeaway.Kind
}
# A takeaway whose kind is not given: the model needs one, and most takeaways of a talk are
# lessons that answer a problem (organisers change it in the back office).
DEFAULT_TAKEAWAY_KIND = Takeaway.Kind.SOLUTION
AGENDA_KINDS = {choice.value for choice in AgendaItem.Kind}
WEB_ADDRESS = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


def parse_moment(value, zone_name: str, name: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        moment = value
    elif isinstance(value, dt.date):
        raise ValueError(f"{name} is a date without a time; give the time too.")
    elif re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", str(value).strip()):
        raise ValueError(f"{name} is a date without a time; give the time too (2026-03-04T08:30+01:00).")
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


def json_cell(value, name: str):
    """A CSV cell that holds JSON (a list or an object), else the value itself."""
    if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{name} is not valid JSON ({exc.msg}).") from None
    return value


def split_list(value) -> list[str]:
    if isinstance(value, list):
        return [str(item).strip() for item in value if str(item).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def legacy_speakers(cell: str) -> list[str]:
    """"Name | Position | Organisation; Name | ..." is split on ";" only when every piece is a
    whole speaker (two "|"): otherwise the ";" belongs to a position ("CEO; Managing Director")
    and the cell is one speaker."""
    pieces = [piece.strip() for piece in cell.split(";") if piece.strip()]
    if len(pieces) > 1 and all(piece.count("|") == 2 for piece in pieces):
        return pieces
    return [cell] if cell.strip() else []


def parse_speaker(value, warn) -> dict:
    if isinstance(value, dict):
        unknown = sorted(set(value) - SPEAKER_FIELDS)
        if unknown:
            warn(f"unknown speaker field(s) ignored: {', '.join(unknown)}.")
        name, position = (" ".join(str(value.get(key) or "").split()) for key in ("name", "position"))
        organisation = value.get("organisation") or ""
        role = str(value.get("role") or "").strip()
    else:
        parts = [part.strip() for part in str(value).split("|")]
        if len(parts) > 3:
            raise ValueError(f"the speaker {parts[0][:40]!r} has more than three parts (Name | Position | Organisation).")
        name, position, organisation = (" ".join(part.split()) for part in (parts + ["", ""])[:3])
        role = ""
    if not name:
        raise ValueError("a speaker has no name (write Name | Position | Organisation).")
    if isinstance(organisation, dict):
        unknown = sorted(set(organisation) - ORGANISATION_FIELDS)
        if unknown:
            warn(f"unknown organisation field(s) ignored: {', '.join(unknown)}.")
        organisation_name = str(organisation.get("name") or organisation.get("acronym") or "")
    else:
        organisation = " ".join(str(organisation).split())
        organisation_name = organisation
    if len(name) > 200 or len(position) > 250 or len(organisation_name) > 200:
        raise ValueError(f"the speaker {name[:40]!r} has a name, position or organisation that is too long.")
    if role and role.casefold() not in ROLES:
        raise ValueError(f"the role of {name[:40]!r} must be one of {', '.join(sorted(set(ROLES.values())))}.")
    return {"name": name, "role": ROLES.get(role.casefold(), Participation.Role.SPEAKER),
            "position": position, "organisation": organisation}


def parse_takeaway(value, warn) -> dict:
    if isinstance(value, dict):
        unknown = sorted(set(value) - TAKEAWAY_FIELDS)
        if unknown:
            warn(f"unknown takeaway field(s) ignored: {', '.join(unknown)}.")
        text, kind, speaker = (str(value.get(key) or "").strip() for key in ("text", "kind", "speaker"))
    else:
        text, kind, speaker = str(value).strip(), "", ""
    if not text:
        raise ValueError("a takeaway has no text.")
    if len(text) > 2000:
        raise ValueError("a takeaway is longer than 2000 characters.")
    if kind and kind.casefold() not in TAKEAWAY_KINDS:
        raise ValueError(f"a takeaway's kind must be one of {', '.join(sorted(set(TAKEAWAY_KINDS.values())))}.")
    return {"text": text, "kind": TAKEAWAY_KINDS.get(kind.casefold(), DEFAULT_TAKEAWAY_KIND), "speaker": speaker}


def parse_agenda_item(value, warn) -> dict:
    if isinstance(value, dict):
        unknown = sorted(set(value) - AGENDA_FIELDS)
        if unknown:
            warn(f"unknown agenda field(s) ignored: {', '.join(unknown)}.")
        item = {"title": " ".join(str(value.get("title") or "").split()),
                "kind": str(value.get("kind") or AgendaItem.Kind.PRESENTATION).strip(),
                "description": str(value.get("description") or "")}
        for name in ("starts_at", "ends_at"):
            if value.get(name):
                try:
                    item[name] = dt.time.fromisoformat(str(value[name]).strip())
                except ValueError:
                    raise ValueError(f"an agenda item's {name} must be a time (09:15).") from None
    else:
        item = {"title": " ".join(str(value).split()), "kind": AgendaItem.Kind.PRESENTATION, "description": ""}
    if not item["title"] or len(item["title"]) > 250:
        raise ValueError("an agenda item needs a title of at most 250 characters.")
    if item["kind"] not in AGENDA_KINDS:
        raise ValueError(f"an agenda item's kind must be one of {', '.join(sorted(AGENDA_KINDS))}.")
    return item


def text_items(value, name: str) -> list:
    """A list from JSON, or one item per line of a CSV cell."""
    value = json_cell(value, name)
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        return [value]
    return [line for line in str(value or "").splitlines() if line.strip()]


def check_materials(raw: dict, warn, problems: list[str]) -> dict:
    found: dict = {}
    if raw.get("summary") not in (None, ""):
        summary = raw["summary"]
        if not isinstance(summary, str):
            problems.append("summary must be text (Markdown).")
        elif len(summary) > 50000:
            problems.append("summary is longer than 50,000 characters.")
        else:
            found["summary"] = summary.strip()
    takeaways = raw.get("__takeaways__") or (text_items(raw["takeaways"], "takeaways") if raw.get("takeaways") else None)
    if takeaways is not None:
        found["takeaways"] = []
        for item in takeaways:
            try:
                found["takeaways"].append(parse_takeaway(item, warn))
            except ValueError as exc:
                problems.append(str(exc))
    if raw.get("agenda"):
        found["agenda"] = []
        for item in text_items(raw["agenda"], "agenda"):
            try:
                found["agenda"].append(parse_agenda_item(item, warn))
            except ValueError as exc:
                problems.append(str(exc))
    recording = str(raw.get("recording_url") or "").strip()
    if recording and (len(recording) > 500 or not WEB_ADDRESS.match(recording)):
        problems.append("recording_url must be a web address (https://...).")
    found["recording_url"] = recording
    slides = json_cell(raw.get("slide_urls") or [], "slide_urls")
    slides = slides if isinstance(slides, list) else str(slides).split()
    found["slide_urls"] = [str(url).strip() for url in slides if str(url).strip()]
    if any(len(url) > 500 or not WEB_ADDRESS.match(url) for url in found["slide_urls"]):
        problems.append("slide_urls must be web addresses (https://...).")
    return found


def check_speakers(raw: dict, warn, problems: list[str]) -> list[dict]:
    value = raw.get("speakers")
    try:
        value = json_cell(value, "speakers")
    except ValueError as exc:
        problems.append(str(exc))
        value = None
    if isinstance(value, list):
        items = value
    elif isinstance(value, dict):
        items = [value]
    else:
        items = legacy_speakers(str(value or ""))
    items = items + raw.get("__speakers__", [])
    speakers = []
    for item in items:
        try:
            speakers.append(parse_speaker(item, warn))
        except ValueError as exc:
            problems.append(str(exc))
    return speakers


def check_row(line: int, raw: dict, source: str, default_series: Series | None, series_by_slug: dict,
              warnings: list[RowError] | None = None, fmt: str = "json") -> TalkSpec:
    """A TalkSpec, or ValueError with every problem of the row."""
    if raw.get("__not_object__"):
        raise ValueError("each talk must be a JSON object.")
    warnings = warnings if warnings is not None else []

    def warn(message: str) -> None:
        warnings.append(RowError(line, message))

    problems = list(raw.get("__conflicts__", []))
    if fmt != "csv":  # a CSV file's unknown columns are reported once, for line 1
        unknown = sorted(key for key in raw if key not in KNOWN_FIELDS and not key.startswith("__"))
        if unknown:
            warn(f"unknown field(s) ignored: {', '.join(unknown)}.")
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
    speakers = check_speakers(raw, warn, problems)
    topics = []
    try:
        topics = split_list(json_cell(raw.get("topics"), "topics"))
    except ValueError as exc:
        problems.append(str(exc))
    if any(len(topic) > 120 for topic in topics):
        problems.append("a topic is longer than 120 characters.")
    external_id = str(raw.get("id") or "").strip()
    if len(external_id) > 255:
        problems.append("id is longer than 255 characters.")
    materials = check_materials(raw, warn, problems)
    speaker_names = {fold(speaker["name"]) for speaker in speakers}
    for takeaway in materials.get("takeaways") or []:
        if takeaway["speaker"] and fold(takeaway["speaker"]) not in speaker_names:
            problems.append(f"the takeaway speaker {takeaway['speaker'][:40]!r} is not a speaker of this talk.")
    language = str(raw.get("language") or "").strip().lower()
    if language and language not in LANGUAGE_CODES:
        problems.append(f"language must be one of {', '.join(LANGUAGE_CODES)}.")
    translations = check_translations(raw, language, problems)
    series_translations = check_series_translations(raw, series, problems)
    if problems:
        raise ValueError(" ".join(problems))
    return TalkSpec(
        line=line, source=source if external_id else "", external_id=external_id, title=title,
        start=start, end=end, series=series, status=status, abstract=str(raw.get("abstract") or ""),
        event_type=str(raw.get("type") or "").strip()[:120], venue=str(raw.get("venue") or "")[:200],
        city=str(raw.get("city") or "")[:100], topics=topics, speakers=speakers,
        summary=materials.get("summary"), takeaways=materials.get("takeaways"), agenda=materials.get("agenda"),
        recording_url=materials["recording_url"], slide_urls=materials["slide_urls"],
        publish_materials=str(raw.get("materials_published") or "").strip().lower() in ("true", "1", "yes"),
        language=language, translations=translations, series_translations=series_translations,
    )


TRANSLATION_LIMITS = {"title": 250, "abstract": 20000, "summary": 50000, "takeaways": 2000}


def check_translations(raw: dict, language: str, problems: list[str]) -> dict:
    """{code: texts} from the title_fr-style fields present; each language given needs its title."""
    found: dict[str, dict] = {}
    for column, (name, code) in TRANSLATION_COLUMNS.items():
        value = raw.get(column)
        if value in (None, "", []):
            continue
        if name == "takeaways":
            items = value if isinstance(value, list) else str(value).splitlines()
            texts = [" ".join(str(item).split()) for item in items if str(item).strip()]
            if any(len(text) > TRANSLATION_LIMITS[name] for text in texts) or len(texts) > 50:
                problems.append(f"{column}: at most 50 takeaways of {TRANSLATION_LIMITS[name]} characters.")
            found.setdefault(code, {})[name] = texts
            continue
        if not isinstance(value, str):
            problems.append(f"{column} must be text.")
            continue
        text = " ".join(value.split()) if name == "title" else value.strip()
        if "\x00" in text or len(text) > TRANSLATION_LIMITS[name]:
            problems.append(f"{column} is longer than {TRANSLATION_LIMITS[name]} characters or not text.")
        found.setdefault(code, {})[name] = text
    for code, texts in found.items():
        if not texts.get("title"):
            problems.append(f"title_{code} is missing: a translation needs its title.")
        if code == (language or "en"):
            problems.append(f"{code} is the talk's own language: use title and abstract.")
    return found


def check_series_translations(raw: dict, series: Series | None, problems: list[str]) -> dict:
    """{code: {field: text}} from the series_name_fr-style fields present."""
    found: dict[str, dict] = {}
    for column, value in raw.items():
        match = SERIES_COLUMN_PATTERN.fullmatch(column)
        if not match or value in (None, ""):
            continue
        name, code = match.groups()
        if code not in LANGUAGE_CODES:
            problems.append(f"{column[:60]}: {code[:20]!r} is not a language code; use one of {', '.join(LANGUAGE_CODES)}.")
            continue
        if not isinstance(value, str) or "\x00" in value:
            problems.append(f"{column} must be text.")
            continue
        text = " ".join(value.split()) if name in ("name", "tagline") else value.strip()
        if len(text) > SERIES_TRANSLATION_LIMITS[name]:
            problems.append(f"{column} is longer than {SERIES_TRANSLATION_LIMITS[name]} characters.")
            continue
        found.setdefault(code, {})[name] = text
    if found and series is None:
        problems.append("series texts in other languages need the talk's series (a series column or --series).")
    return found


def merge_series_translations(specs: list[TalkSpec], errors: list[RowError]) -> dict:
    """{series: {code: {field: (text, line)}}} over every row; a row giving another text than an
    earlier row for the same series, language and field is an error."""
    merged: dict = {}
    for spec in specs:
        for code, texts in spec.series_translations.items():
            for name, text in texts.items():
                known = merged.setdefault(spec.series, {}).setdefault(code, {})
                if name in known and known[name][0] != text:
                    errors.append(RowError(spec.line, f"series_{name}_{code} differs from line {known[name][1]}."))
                known.setdefault(name, (text, spec.line))
    return merged


def apply_series_translations(merged: dict) -> list[str]:
    """Set the texts given (other languages and fields are kept); "Series: de, fr" for each
    series whose translations changed."""
    changed = []
    for series, languages in merged.items():
        touched = []
        for code, texts in sorted(languages.items()):
            row = series.translations.filter(language=code).first() or SeriesTranslation(series=series, language=code)
            before = tuple(getattr(row, name) for name in SERIES_TRANSLATION_LIMITS)
            for name, (text, _line) in texts.items():
                setattr(row, name, text)
            if row.pk and before == tuple(getattr(row, name) for name in SERIES_TRANSLATION_LIMITS):
                continue
            try:
                row.full_clean(exclude=["series"])
            except ValidationError as exc:
                line = min(line for _text, line in texts.values())
                raise RowValidationError(line, f"series texts in {code}: {validation_message(exc)}") from exc
            row.save()
            touched.append(code)
        if touched:
            changed.append(f"{series.name}: {', '.join(touched)}")
    return changed


class RowValidationError(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


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
        (part.person_id, part.role, part.position, part.organisation_id)
        for part in Participation.objects.filter(talk=talk).order_by("pk")
    )
    topics = tuple(sorted(talk.topics.values_list("pk", flat=True)))
    summary = TalkSummary.objects.filter(talk=talk).values_list("text", "materials_published_at").first()
    return (
        talk.title, talk.start, talk.end, talk.status, talk.abstract, talk.event_type_id, talk.venue,
        talk.city, talk.series_id, topics, parts, summary, takeaway_rows(talk), agenda_rows(talk),
        tuple(talk.recordings.values_list("url", flat=True)), talk.language,
        tuple(talk.translations.values_list("language", "title", "abstract", "summary", "takeaways")),
    )


def takeaway_rows(talk: Talk) -> tuple:
    return tuple(talk.takeaways.order_by("order", "pk").values_list("kind", "text", "person_id"))


def agenda_rows(talk: Talk) -> tuple:
    return tuple(talk.agenda_items.order_by("order", "pk").values_list("title", "kind", "description", "starts_at", "ends_at"))


def find_talk(spec: TalkSpec) -> Talk | None:
    if spec.external_id:
        mapping = ImportedTalk.objects.filter(source=spec.source, external_id=spec.external_id).select_related("talk").first()
        if mapping:
            return mapping.talk
    return Talk.objects.filter(series=spec.series, start=spec.start, title=spec.title).first()


def apply(spec: TalkSpec, matcher: Matcher) -> Outcome:
    talk = find_talk(spec)
    before = snapshot(talk) if talk else None
    talk = talk or Talk(series=spec.series)
    talk.series = spec.series
    for name in ("title", "start", "end", "status", "abstract", "venue", "city"):
        setattr(talk, name, getattr(spec, name))
    if spec.language:
        talk.language = spec.language
    talk.event_type = writing.event_type_named(spec.event_type)
    if talk.attendance_mode == Talk.AttendanceMode.ONLINE and spec.venue:
        talk.attendance_mode = Talk.AttendanceMode.HYBRID
    talk.full_clean(exclude=["slug", "banner"])
    talk.save()
    if spec.topics or before is None:
        wanted = [matcher.topic(name) for name in spec.topics]
        if sorted(topic.pk for topic in wanted) != sorted(talk.topics.values_list("pk", flat=True)):
            talk.topics.set(wanted)
    people = apply_speakers(talk, spec, matcher)
    apply_materials(talk, spec, people)
    if spec.translations:
        writing.set_translations(talk, spec.translations)
    if spec.external_id:
        ImportedTalk.objects.update_or_create(source=spec.source, external_id=spec.external_id, defaults={"talk": talk})
    if before is None:
        return Outcome(spec.line, "created", spec.title)
    return Outcome(spec.line, "unchanged" if snapshot(talk) == before else "updated", spec.title)


def apply_speakers(talk: Talk, spec: TalkSpec, matcher: Matcher) -> dict[str, Person]:
    """Each speaker's participation with the position and organisation as of this talk; a
    person without a current position or organisation of their own gets these."""
    people = {}
    for order, speaker in enumerate(spec.speakers):
        person = matcher.person(speaker["name"])
        people[fold(speaker["name"])] = person
        organisation = matcher.organisation(speaker["organisation"])
        part = Participation.objects.filter(talk=talk, person=person).first() or Participation(talk=talk, person=person, order=order)
        wanted = (speaker["role"], speaker["position"], organisation.pk if organisation else None)
        if part.pk is None or (part.role, part.position, part.organisation_id) != wanted:
            part.role, part.position, part.organisation = speaker["role"], speaker["position"], organisation
            part.save()
        if not person.current_position and person.current_organisation_id is None and (speaker["position"] or organisation):
            person.current_position, person.current_organisation = speaker["position"], organisation
            person.save(update_fields=["current_position", "current_organisation"])
    return people


def apply_materials(talk: Talk, spec: TalkSpec, people: dict[str, Person]) -> None:
    if spec.summary is not None:
        summary, _created = TalkSummary.objects.get_or_create(talk=talk)
        if summary.text != spec.summary:
            writing.set_summary(talk, spec.summary)
    if spec.takeaways is not None:
        wanted = tuple(
            (item["kind"], item["text"], people[fold(item["speaker"])].pk if item["speaker"] else None)
            for item in spec.takeaways
        )
        if wanted != takeaway_rows(talk):
            talk.takeaways.all().delete()
            for order, (kind, text, person_id) in enumerate(wanted, start=1):
                takeaway = Takeaway(talk=talk, order=order, kind=kind, text=text, person_id=person_id)
                takeaway.full_clean()
                takeaway.save()
    if spec.agenda is not None:
        wanted = tuple((i["title"], i["kind"], i["description"], i.get("starts_at"), i.get("ends_at")) for i in spec.agenda)
        if wanted != agenda_rows(talk):
            writing.replace_agenda(talk, spec.agenda)
    if spec.recording_url and not talk.recordings.filter(url=spec.recording_url).exists():
        writing.add_recording(talk, {"source": recording_source(spec.recording_url), "url": spec.recording_url})
    if spec.publish_materials and talk.is_public:
        from clustertalks.materials.services import publish_materials

        publish_materials(talk)


def recording_source(url: str) -> str:
    host = url.split("/")[2].lower() if url.count("/") >= 2 else ""
    if host.endswith(("youtube.com", "youtu.be", "youtube-nocookie.com")):
        return Recording.Source.YOUTUBE
    if host.endswith("vimeo.com"):
        return Recording.Source.VIMEO
    if host.endswith("audiovisual.ec.europa.eu"):
        return Recording.Source.EC_AUDIOVISUAL
    if url.lower().split("?")[0].endswith((".mp4", ".m3u8", ".webm")):
        return Recording.Source.FILE_URL
    return Recording.Source.OTHER_URL


def missing_slides(talk_id: int, urls: list[str]) -> list[str]:
    """Slide addresses not yet fetched for this talk (an attachment keeps its address in its title)."""
    from clustertalks.materials.models import Attachment

    have = set(Attachment.objects.filter(talk_id=talk_id).values_list("title", flat=True))
    return [url for url in urls if slide_title(url) not in have]


def slide_title(url: str) -> str:
    from urllib.parse import unquote, urlsplit

    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or url
    return name[:250]


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
    rows, report.warnings = read_rows(text, fmt)
    for line, raw in rows:
        try:
            specs.append(check_row(line, raw, fmt if fmt == "ics" else "file", default_series, series_by_slug,
                                   report.warnings, fmt=fmt))
        except ValueError as exc:
            report.errors.append(RowError(line, str(exc)))
    series_translations = merge_series_translations(specs, report.errors)
    if report.errors and not partial:
        report.errors.sort(key=lambda error: error.line)
        return report
    matcher = Matcher()
    slides: list[tuple[int, str]] = []
    with transaction.atomic():
        for spec in specs:
            try:
                with transaction.atomic():
                    outcome = apply(spec, matcher)
                    report.outcomes.append(outcome)
                    talk = find_talk(spec)
                    slides += [(talk.pk, url) for url in missing_slides(talk.pk, spec.slide_urls)]
            except ValidationError as exc:
                report.errors.append(RowError(spec.line, validation_message(exc)))
        try:
            with transaction.atomic():
                report.series_translated = apply_series_translations(series_translations)
        except RowValidationError as exc:
            report.errors.append(RowError(exc.line, exc.message))
        report.created, report.updated, report.duplicates = matcher.created, matcher.updated, matcher.duplicates
        report.slides_to_fetch = len(slides)
        if dry_run or (report.errors and not partial):
            transaction.set_rollback(True)
            report.outcomes = report.outcomes if dry_run else []
        else:
            report.applied = True
            from .tasks import fetch_slides

            for talk_id, url in slides:
                transaction.on_commit(lambda t=talk_id, u=url: fetch_slides.enqueue(t, u))
    report.errors.sort(key=lambda error: error.line)
    return report
