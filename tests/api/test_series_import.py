"""Issue 13: a series' texts in other languages come in through the import too (CSV columns and
JSON keys series_name_fr, series_tagline_fr, series_description_fr, series_boilerplate_fr)."""

import json

import pytest
from django.core.management import call_command

from clustertalks.api.importing import import_text
from clustertalks.talks.models import SeriesTranslation, Talk

CSV = (
    "id,title,start,title_fr,series_name_fr,series_tagline_fr,series_description_fr,series_name_de\n"
    "s1,Clusters and skills,2026-03-04 08:30,Clusters et compétences,Les rendez-vous des clusters,"
    'Le point de rencontre bimensuel,"Une série **bimensuelle**.\n\nDeux paragraphes.",Cluster-Gespräche\n'
    "s2,Data spaces,2026-03-18 08:30,,,,,\n"
)


def lines(rows) -> str:
    """A JSON array with one talk a line (the second line is the first talk)."""
    return "[\n" + ",\n".join(json.dumps(row) for row in rows) + "\n]"


def test_csv_columns_set_the_series_texts_and_a_second_import_changes_nothing(series, client):
    report = import_text(CSV, "csv", series_slug=series.slug)
    assert not report.errors, report.errors
    assert report.series_translated == [f"{series.name}: de, fr"]
    french = series.translations.get(language="fr")
    assert (french.name, french.tagline) == ("Les rendez-vous des clusters", "Le point de rencontre bimensuel")
    assert french.description == "Une série **bimensuelle**.\n\nDeux paragraphes."
    assert series.translations.get(language="de").name == "Cluster-Gespräche"
    assert "Les rendez-vous des clusters" in client.get(f"/fr{series.get_absolute_url()}").content.decode()
    again = import_text(CSV, "csv", series_slug=series.slug)
    assert again.series_translated == [] and again.count("unchanged") == 2


def test_json_keys_set_the_given_texts_and_keep_the_others(series):
    SeriesTranslation.objects.create(series=series, language="fr", name="Ancien nom", boilerplate="Gardé.")
    SeriesTranslation.objects.create(series=series, language="pl", name="Rozmowy")
    rows = [{"title": "Talk", "start": "2026-03-04T08:30:00+01:00", "series": series.slug,
             "series_name_fr": "Nouveau nom", "series_boilerplate_fi": "Sarja."}]
    report = import_text(json.dumps(rows), "json")
    assert not report.errors, report.errors
    french = series.translations.get(language="fr")
    assert (french.name, french.boilerplate) == ("Nouveau nom", "Gardé.")
    assert series.translations.get(language="pl").name == "Rozmowy"  # not in the file: kept
    assert series.translations.get(language="fi").boilerplate == "Sarja."


@pytest.mark.parametrize("row, message", [
    ({"series_name_xx": "Nom"}, "'xx' is not a language code"),
    ({"series_tagline_fr<script>": "x"}, "is not a language code"),
    ({"series_name_fr": "n" * 201}, "series_name_fr is longer than 200 characters"),
    ({"series_description_fr": "d" * 20001}, "series_description_fr is longer than 20000 characters"),
    ({"series_name_fr": ["a", "list"]}, "series_name_fr must be text"),
    ({"series_name_fr": {"an": "object"}}, "series_name_fr must be text"),
    ({"series_tagline_de": "Nul\x00byte"}, "series_tagline_de must be text"),
])
def test_wrong_series_texts_are_clear_errors_and_nothing_is_saved(series, row, message):
    rows = [{"title": "Good talk", "start": "2026-03-04T08:30:00+01:00", "series_name_it": "Buono"},
            {"title": "Bad row", "start": "2026-03-18T08:30:00+01:00", **row}]
    report = import_text(lines(rows), "json", series_slug=series.slug)
    assert [error.line for error in report.errors] == [3]
    assert message in report.errors[0].message
    assert not Talk.objects.exists() and not SeriesTranslation.objects.exists()


def test_series_texts_need_a_series_and_must_agree_between_rows(series):
    report = import_text(json.dumps([{"title": "T", "start": "2026-03-04T08:30:00+01:00",
                                      "series_name_fr": "Nom"}]), "json")
    assert "need the talk's series" in report.errors[0].message
    rows = [{"title": "A", "start": "2026-03-04T08:30:00+01:00", "series_name_fr": "Un nom"},
            {"title": "B", "start": "2026-03-18T08:30:00+01:00", "series_name_fr": "Un autre"}]
    report = import_text(lines(rows), "json", series_slug=series.slug)
    assert [(error.line, error.message) for error in report.errors] == [(3, "series_name_fr differs from line 2.")]
    assert not Talk.objects.exists() and not SeriesTranslation.objects.exists()


def test_a_dry_run_reports_the_series_texts_and_saves_nothing(series, tmp_path, capsys):
    path = tmp_path / "talks.csv"
    path.write_text(CSV, encoding="utf-8")
    call_command("import", str(path), "--series", series.slug, "--dry-run")
    out = capsys.readouterr().out
    assert f"series texts in other languages would be set: {series.name}: de, fr" in out
    assert not SeriesTranslation.objects.exists()


def test_a_csv_column_with_an_unknown_language_is_an_error_not_a_silent_loss(series):
    text = "title,start,series_name_fr,series_name_klingon\nTalk,2026-03-04 08:30,Nom,Tlhagh\n"
    report = import_text(text, "csv", series_slug=series.slug)
    assert [error.line for error in report.errors] == [2]
    assert "series_name_klingon: 'klingon' is not a language code" in report.errors[0].message
    assert not Talk.objects.exists() and not SeriesTranslation.objects.exists()


def test_the_documented_sample_carries_series_texts(series):
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "docs" / "samples" / "talks.json"
    report = import_text(sample.read_text().replace("eu-clusters-talks", series.slug), "json")
    assert not report.errors, report.errors
    assert series.translations.get(language="fr").tagline == "Le rendez-vous bimensuel de la communauté des clusters"
