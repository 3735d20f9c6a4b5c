"""Issue 10: the import carries what a talk page shows, matches instead of duplicating, and its
dry run tells everything that will happen."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from clustertalks.api.importing import import_text
from clustertalks.materials.models import Recording, Takeaway, TalkSummary
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.search.models import TopicAlias
from clustertalks.talks.models import Talk, Topic

pytestmark = pytest.mark.django_db
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"


def full_item(series, **changes):
    item = {
        "id": "ect-2024-05",
        "title": "Clusters and the Net-Zero Industry Act",
        "start": "2024-05-15T08:30:00+02:00",
        "series": series.slug,
        "status": "published",
        "abstract": "What the **NZIA** means for cluster members.",
        "summary": "## What we heard\nNet-zero manufacturing needs *skills* and permits.",
        "takeaways": [
            {"text": "Permitting is the bottleneck.", "kind": "challenge", "speaker": "Anna Kovács"},
            {"text": "Net-Zero Industry Academies train 100,000 people."},
        ],
        "agenda": [{"title": "Welcome", "kind": "welcome", "starts_at": "08:30"}, "Keynote"],
        "speakers": [
            {"name": "Anna Kovács", "role": "keynote", "position": "Head of Unit",
             "organisation": {"name": "DG GROW", "acronym": "GROW", "parent": "European Commission"}},
            {"name": "Marco Rossi", "role": "moderator", "position": "CEO; Managing Director",
             "organisation": "Clust-ER"},
        ],
        "topics": ["Energy"],
        "recording_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "materials_published": True,
    }
    item.update(changes)
    return item


def test_json_carries_summary_takeaways_agenda_roles_organisations_and_recording(series):
    report = import_text(json.dumps([full_item(series)]), "json")
    assert not report.errors and report.outcomes[0].action == "created"
    talk = Talk.objects.get()
    assert TalkSummary.objects.get(talk=talk).text.startswith("## What we heard")
    assert TalkSummary.objects.get(talk=talk).materials_published_at is not None
    takeaways = list(Takeaway.objects.filter(talk=talk).order_by("order"))
    assert [(t.kind, t.person.name if t.person else None) for t in takeaways] == [
        ("challenge", "Anna Kovács"), ("solution", None)]
    assert [item.title for item in talk.agenda_items.order_by("order")] == ["Welcome", "Keynote"]
    anna = Participation.objects.get(talk=talk, person__name="Anna Kovács")
    assert anna.role == "keynote" and anna.organisation.acronym == "GROW"
    assert anna.organisation.parent.name == "European Commission"
    assert anna.person.current_position == "Head of Unit"  # a person of their own, not empty
    marco = Participation.objects.get(talk=talk, person__name="Marco Rossi")
    assert marco.position == "CEO; Managing Director" and marco.role == "moderator"
    assert Recording.objects.get(talk=talk).source == "youtube"
    assert sorted(report.created["organisations"]) == ["Clust-ER", "DG GROW, European Commission", "European Commission"]


def test_importing_the_same_file_twice_changes_nothing(series):
    text = json.dumps([full_item(series)])
    import_text(text, "json")
    counts = [Model.objects.count() for Model in (Talk, Person, Organisation, Topic, Takeaway, Recording, Participation)]
    again = import_text(text, "json")
    assert [o.action for o in again.outcomes] == ["unchanged"]
    assert again.created == {"people": [], "organisations": [], "topics": []} and not again.updated
    assert counts == [Model.objects.count() for Model in (Talk, Person, Organisation, Topic, Takeaway, Recording, Participation)]


def test_unit_parent_form_finds_the_existing_unit(series, make_organisation):
    grow = make_organisation("DG GROW")
    item = full_item(series, speakers=[{"name": "Anna Kovács", "organisation": "DG GROW, European Commission"}])
    report = import_text(json.dumps([item]), "json")
    assert Organisation.objects.count() == 1 and not report.created["organisations"]
    assert Participation.objects.get().organisation == grow


def test_organisations_are_found_by_acronym_and_people_with_accents_folded(series, make_organisation, make_person):
    ecca = make_organisation("European Cluster Collaboration Platform", acronym="ECCP")
    lucia = make_person("Lucía Fernández")
    item = full_item(series, speakers=[{"name": "LUCIA FERNANDEZ", "organisation": "eccp"}], takeaways=None)
    import_text(json.dumps([item]), "json")
    part = Participation.objects.get()
    assert part.person == lucia and part.organisation == ecca and Person.objects.count() == 1


def test_topic_aliases_and_near_duplicates_are_reported_not_silently_created(series):
    green = Topic.objects.create(name="Green Deal")
    TopicAlias.objects.create(alias="Green transition", topic=green)
    Topic.objects.create(name="Others")
    Organisation.objects.create(name="Cluster Excellence Programme")
    item = full_item(series, topics=["Green transition", "Other"],
                     speakers=[{"name": "A Person", "organisation": "Cluster Excelence Programme"}], takeaways=None)
    report = import_text(json.dumps([item]), "json", dry_run=True)
    assert report.created["topics"] == ["Other"]
    assert any("Other" in d and "others" in d for d in report.duplicates)
    assert any("Cluster Excelence Programme" in d for d in report.duplicates)
    assert Talk.objects.count() == 0  # a dry run
    import_text(json.dumps([item]), "json")
    assert Talk.objects.get().topics.filter(pk=green.pk).exists()


CSV_REPEATED = """id,title,start,series,status,summary,speaker_name,speaker_role,speaker_position,speaker_organisation,speaker_organisation_parent,takeaway,takeaway_kind
c1,Skills for clusters,2025-03-05T08:30:00+01:00,{series},published,Short **summary**.,Anna Kovács,speaker,"CEO; Managing Director",DG GROW,European Commission,Skills gaps are real,challenge
c1,,,,,,Marco Rossi,moderator,Cluster Manager,Clust-ER,,Pact for Skills helps,solution
"""


def test_csv_repeated_rows_per_speaker_keep_a_semicolon_as_text(series):
    report = import_text(CSV_REPEATED.format(series=series.slug), "csv")
    assert not report.errors, report.errors
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Anna Kovács", "Marco Rossi"]
    anna = Participation.objects.get(person__name="Anna Kovács")
    assert anna.position == "CEO; Managing Director"
    assert anna.organisation.parent.name == "European Commission"
    assert list(Takeaway.objects.order_by("order").values_list("kind", flat=True)) == ["challenge", "solution"]


def test_csv_legacy_cell_with_a_semicolon_in_a_position_creates_no_bogus_person(series):
    text = (
        "title,start,series,speakers\n"
        f'Talk,2025-03-05T08:30:00+01:00,{series.slug},"Anna Kovács | CEO; Managing Director | Clust-ER"\n'
    )
    report = import_text(text, "csv")
    assert not report.errors
    assert list(Person.objects.values_list("name", flat=True)) == ["Anna Kovács"]
    assert Participation.objects.get().position == "CEO; Managing Director"
    json_cell = json.dumps([{"name": "Ben", "position": "Chair; Founder"}, {"name": "Cleo"}])
    text = f"title,start,series,speakers\nOther,2025-03-19T08:30:00+01:00,{series.slug},\"{json_cell.replace(chr(34), chr(34) * 2)}\"\n"
    assert not import_text(text, "csv").errors
    assert sorted(Person.objects.values_list("name", flat=True)) == ["Anna Kovács", "Ben", "Cleo"]


def test_dry_run_reports_creations_unknown_fields_and_fails_on_bad_rows(series, tmp_path):
    items = [full_item(series, colour="blue", speakers=[{"name": "Anna", "email": "x@example.org"}], takeaways=None),
             {"title": "Date only", "start": "2025-03-05", "series": series.slug}]
    path = tmp_path / "talks.json"
    path.write_text(json.dumps(items, indent=2))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 bad row"):
        call_command("import", str(path), "--dry-run", stdout=out, stderr=err)
    assert "date without a time" in err.getvalue() or "not an ISO 8601" in err.getvalue()
    second = [n for n, line in enumerate(path.read_text().splitlines(), start=1) if line == "  {"][1]
    assert f"line {second}: error" in err.getvalue()
    good = [items[0]]
    path.write_text(json.dumps(good, indent=2))
    out = StringIO()
    call_command("import", str(path), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "line 2: created: Clusters and the Net-Zero Industry Act" in text
    assert "unknown field(s) ignored: colour" in text and "unknown speaker field(s) ignored: email" in text
    assert "new person: Anna" in text and "new topic: Energy" in text
    assert Talk.objects.count() == 0


@pytest.mark.parametrize("layout", ["compact", "indented", "wrapped"])
def test_json_line_numbers_are_right_for_every_layout(series, layout):
    items = [full_item(series, id="a"), {"title": "No start"}, full_item(series, id="c", start="soon")]
    if layout == "compact":
        text = "[" + ",\n".join(json.dumps(item) for item in items) + "]"
        expected = [2, 3]
    elif layout == "indented":
        text = json.dumps(items, indent=4)
        lines = text.splitlines()
        starts = [n for n, line in enumerate(lines, start=1) if line == "    {"]
        expected = starts[1:]
    else:
        text = '{\n  "talks": [\n' + ",\n".join("    " + json.dumps(item) for item in items) + "\n  ]\n}"
        expected = [4, 5]
    report = import_text(text, "json")
    assert [error.line for error in report.errors] == expected


def test_sample_files_import_cleanly(series):
    for name, fmt in (("talks.json", "json"), ("talks.csv", "csv")):
        text = (SAMPLES / name).read_text().replace("eu-clusters-talks", series.slug)
        report = import_text(text, fmt, dry_run=True)
        assert not report.errors, (name, report.errors)
        assert not report.warnings, (name, report.warnings)
        assert report.outcomes
