"""`clustertalks import`: CSV, JSON and iCalendar; idempotent; dry run; bad rows with lines."""

import json

import pytest
from django.core.management import CommandError, call_command

from clustertalks.api.importing import import_text
from clustertalks.api.models import ImportedTalk
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.talks.models import Talk
from tests.conftest import utc

pytestmark = pytest.mark.django_db

CSV = """id,title,start,duration_minutes,series,status,topics,type,abstract,speakers
t1,Skills for clusters,2026-03-04T08:30:00+01:00,60,{series},published,Skills;Green transition,Webinar,"How, and why.",Anna Kovács | Head of Unit | DG GROW; Marco Rossi | Cluster Manager | Clust-ER
t2,Cluster internationalisation,2026-03-18 08:30,90,{series},draft,,Webinar,,Anna Kovács | Head of Unit | DG GROW
"""

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Example//EN
BEGIN:VEVENT
UID:abc-1@example.org
DTSTAMP:20260101T000000Z
DTSTART:20260304T073000Z
DTEND:20260304T083000Z
SUMMARY:Skills for clusters
DESCRIPTION:How clusters train people.
CATEGORIES:Skills,Digitalisation
END:VEVENT
BEGIN:VEVENT
UID:abc-2@example.org
DTSTAMP:20260101T000000Z
DTSTART;TZID=Europe/Brussels:20260318T083000
DURATION:PT45M
SUMMARY:Called off
STATUS:CANCELLED
END:VEVENT
END:VCALENDAR
"""


@pytest.fixture
def csv_text(series):
    return CSV.format(series=series.slug)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_csv_import_creates_talks_people_and_organisations(csv_text):
    report = import_text(csv_text, "csv")
    assert [o.action for o in report.outcomes] == ["created", "created"] and not report.errors
    first = Talk.objects.get(title="Skills for clusters")
    assert first.start == utc(2026, 3, 4, 7, 30) and first.duration_minutes == 60
    assert first.status == "published" and first.abstract == "How, and why."
    assert sorted(first.topics.values_list("name", flat=True)) == ["Green transition", "Skills"]
    part = Participation.objects.get(talk=first, person__name="Anna Kovács")
    assert (part.position, part.organisation.name) == ("Head of Unit", "DG GROW")
    second = Talk.objects.get(title="Cluster internationalisation")
    assert second.start == utc(2026, 3, 18, 7, 30)  # a naive time is the series' local time
    assert second.duration_minutes == 90
    assert Person.objects.filter(name="Anna Kovács").count() == 1


def test_reimporting_updates_and_never_duplicates(csv_text):
    import_text(csv_text, "csv")
    again = import_text(csv_text, "csv")
    assert [o.action for o in again.outcomes] == ["unchanged", "unchanged"]
    changed = import_text(csv_text.replace("How, and why.", "New abstract"), "csv")
    assert [o.action for o in changed.outcomes] == ["updated", "unchanged"]
    renamed = import_text(csv_text.replace("Skills for clusters", "Skills for all clusters"), "csv")
    assert renamed.outcomes[0].action == "updated"  # found again by its id t1
    assert Talk.objects.count() == 2 and Person.objects.count() == 2 and Organisation.objects.count() == 2
    assert Participation.objects.count() == 3


def test_existing_people_are_matched_by_name(csv_text, make_person):
    anna = make_person("anna kovács")
    import_text(csv_text, "csv")
    assert Person.objects.filter(name__iexact="Anna Kovács").get() == anna


def test_dry_run_reports_and_changes_nothing(csv_text, tmp_path):
    from io import StringIO

    out = StringIO()
    call_command("import", write(tmp_path, "talks.csv", csv_text), "--dry-run", stdout=out)
    assert "line 2: created: Skills for clusters" in out.getvalue()
    assert "2 created, 0 updated, 0 unchanged, 0 bad row(s) (dry run" in out.getvalue()
    assert Talk.objects.count() == 0 and Person.objects.count() == 0


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported(series, tmp_path):
    text = (
        "title,start,end,series,status,speakers\n"
        f"Good talk,2026-03-04T08:30+01:00,,{series.slug},draft,Ann | Head | EC\n"
        f",2026-03-04T08:30+01:00,,{series.slug},draft,\n"
        f"Bad date,04/03/2026,,{series.slug},draft,\n"
        f"Ends early,2026-03-04T08:30+01:00,2026-03-04T08:00+01:00,{series.slug},draft,\n"
        "Unknown series,2026-03-04T08:30+01:00,,nope,wrong,| no name\n"
        f"<script>alert(1)</script>,2026-03-05T08:30+01:00,,{series.slug},draft,\n"
    )
    report = import_text(text, "csv")
    assert [error.line for error in report.errors] == [3, 4, 5, 6]
    messages = " ".join(str(error) for error in report.errors)
    for expected in ["title is missing", "not an ISO 8601", "end after it starts", "no series 'nope'",
                     "status must be one of", "speaker has no name"]:
        assert expected in messages
    assert Talk.objects.count() == 0 and Person.objects.count() == 0
    with pytest.raises(CommandError, match="4 bad row"):
        call_command("import", write(tmp_path, "bad.csv", text))
    assert Talk.objects.count() == 0

    partial = import_text(text, "csv", partial=True)
    assert len(partial.outcomes) == 2 and len(partial.errors) == 4
    assert Talk.objects.filter(title="<script>alert(1)</script>").exists()  # text, escaped on pages


def test_json_import_with_line_numbers(series):
    items = [
        {"id": "j1", "title": "From JSON", "start": "2026-05-06T08:30:00+02:00", "series": series.slug,
         "speakers": [{"name": "Lucía Fernández", "position": "Professor", "organisation": "Deusto"}],
         "topics": ["Skills"]},
        {"title": "No start"},
        "not an object",
    ]
    text = json.dumps(items, indent=2)
    report = import_text(text, "json")
    starts = [number for number, line in enumerate(text.splitlines(), start=1) if line in ("  {", '  "not an object"')]
    assert [error.line for error in report.errors] == starts[1:]
    assert "start is missing" in str(report.errors[0]) and "JSON object" in str(report.errors[1])
    good = import_text(json.dumps(items[:1]), "json")
    assert good.outcomes[0].action == "created"
    assert Talk.objects.get().participations.get().person.name == "Lucía Fernández"


@pytest.mark.parametrize("text, fmt, message", [
    ("{not json", "json", "JSON array"),
    ("[{]", "json", "not valid JSON"),
    ("nothing,here\n1,2", "csv", "title and start"),
    ("BEGIN:VCALENDAR\nBROKEN", "ics", "iCalendar"),
])
def test_unreadable_files_fail_clearly(text, fmt, message):
    from clustertalks.api.importing import ImportFailed

    with pytest.raises(ImportFailed, match=message):
        import_text(text, fmt)


def test_ics_import_keeps_uids_and_is_idempotent(series):
    report = import_text(ICS, "ics", series_slug=series.slug)
    assert [o.action for o in report.outcomes] == ["created", "created"], report.errors
    skills = Talk.objects.get(title="Skills for clusters")
    assert skills.status == "published" and skills.series == series
    assert sorted(skills.topics.values_list("name", flat=True)) == ["Digitalisation", "Skills"]
    called_off = Talk.objects.get(title="Called off")
    assert called_off.status == "cancelled" and called_off.start == utc(2026, 3, 18, 7, 30)
    assert called_off.duration_minutes == 45
    assert set(ImportedTalk.objects.values_list("external_id", flat=True)) == {"abc-1@example.org", "abc-2@example.org"}
    moved = ICS.replace("DTSTART:20260304T073000Z\nDTEND:20260304T083000Z", "DTSTART:20260311T073000Z\nDTEND:20260311T083000Z")
    again = import_text(moved, "ics", series_slug=series.slug)
    assert [o.action for o in again.outcomes] == ["updated", "unchanged"]
    assert Talk.objects.count() == 2


def test_ics_all_day_event_is_a_bad_row_with_its_line():
    text = ICS.replace("DTSTART:20260304T073000Z\nDTEND:20260304T083000Z", "DTSTART;VALUE=DATE:20260304")
    report = import_text(text, "ics")
    assert [error.line for error in report.errors] == [4]
    assert "date without a time" in report.errors[0].message
    assert Talk.objects.count() == 0


def test_command_refuses_missing_and_unknown_files(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match="format"):
        call_command("import", write(tmp_path, "talks.xlsx", "x"))
    with pytest.raises(CommandError, match="no series"):
        call_command("import", write(tmp_path, "t.csv", "title,start\n"), "--series", "nope")


def test_oversized_files_are_refused_before_reading_rows():
    from clustertalks.api.importing import MAX_BYTES, MAX_ROWS, ImportFailed

    with pytest.raises(ImportFailed, match="larger than"):
        import_text("title,start\n" + "x" * MAX_BYTES, "csv")
    many = "title,start\n" + "T,2026-01-01T08:00Z\n" * (MAX_ROWS + 1)
    with pytest.raises(ImportFailed, match="more than"):
        import_text(many, "csv")
    assert Talk.objects.count() == 0
