"""Talks in more than one language through the API: written with the talk, read back by
everyone (summary and takeaways once the materials are public), refused when wrong."""

import pytest

from clustertalks.talks.models import Talk, TalkTranslation

from .test_api import get, send

NEW = {"title": "Clusters and skills", "start": "2026-03-04T08:30:00+01:00", "language": "en",
       "status": "published", "abstract": "About **skills**."}
FRENCH = {"title": "Clusters et compétences", "abstract": "Sur les *compétences*.",
          "summary": "Résumé.", "takeaways": ["Former les PME", "Partager les données"]}


@pytest.fixture
def created(client, bearer, series):
    response = send(client, "post", "/talks", {**NEW, "series": series.slug,
                                               "translations": {"fr": FRENCH}}, **bearer)
    assert response.status_code == 201, response.json()
    return response.json()


def test_create_with_a_translation_and_read_it_back(client, created):
    assert created["translations"]["fr"]["title"] == "Clusters et compétences"
    assert created["translations"]["fr"]["takeaways"] == ["Former les PME", "Partager les données"]
    public = get(client, f"/talks/{created['slug']}").json()
    assert public["language"] == "en"
    # The summary and takeaways wait for the materials to be published, as on the page.
    assert public["translations"]["fr"] == {**FRENCH, "summary": "", "takeaways": []}


def test_patch_sets_given_languages_and_null_removes_one(client, bearer, created):
    slug = created["slug"]
    response = send(client, "patch", f"/talks/{slug}",
                    {"translations": {"de": {"title": "Cluster und Kompetenzen"}}}, **bearer)
    assert response.status_code == 200, response.json()
    assert sorted(response.json()["translations"]) == ["de", "fr"]
    response = send(client, "patch", f"/talks/{slug}", {"translations": {"fr": None}}, **bearer)
    assert sorted(response.json()["translations"]) == ["de"]


@pytest.mark.parametrize(("translations", "where"), [
    ({"xx": {"title": "?"}}, "translations"),  # not an EU language
    ({"fr": {"title": ""}}, "title"),  # a translation needs its title
    ({"fr": {"title": "x" * 251}}, "title"),  # too long
    ({"fr": {"title": "a\x00b"}}, "title"),  # NUL
    ({"fr": {"title": "ok", "takeaways": ["x"] * 51}}, "takeaways"),
    ({"fr": "just a string"}, "fr"),
])
def test_wrong_translations_are_refused_and_nothing_is_stored(client, bearer, series, translations, where):
    response = send(client, "post", "/talks", {**NEW, "series": series.slug, "translations": translations}, **bearer)
    assert response.status_code == 422, response.json()
    assert where in str(response.json())
    assert not Talk.objects.exists() and not TalkTranslation.objects.exists()


def test_a_translation_into_the_talks_own_language_is_refused(client, bearer, series):
    response = send(client, "post", "/talks", {**NEW, "series": series.slug,
                                               "translations": {"en": {"title": "Same"}}}, **bearer)
    assert response.status_code == 422
    assert "language the talk is given in" in str(response.json())
    assert not Talk.objects.exists()


def test_spoken_language_must_be_an_eu_language(client, bearer, series):
    response = send(client, "post", "/talks", {**NEW, "series": series.slug, "language": "klingon"}, **bearer)
    assert response.status_code == 422


# ---------------------------------------------------------------------------- the import

CSV = (
    "id,title,start,language,title_fr,abstract_fr,takeaways_fr,title_pl\n"
    'x1,Clusters and skills,2026-03-04 08:30,en,Clusters et compétences,Sur les compétences.,'
    '"Former les PME\nPartager les données",Klastry i umiejętności\n'
)


def test_import_reads_title_fr_style_columns(series):
    from clustertalks.api.importing import import_text

    report = import_text(CSV, "csv", series_slug=series.slug)
    assert not report.errors, report.errors
    talk = Talk.objects.get()
    assert talk.language == "en"
    french = talk.translations.get(language="fr")
    assert french.title == "Clusters et compétences" and french.abstract == "Sur les compétences."
    assert french.takeaway_lines() == ["Former les PME", "Partager les données"]
    assert talk.translations.get(language="pl").title == "Klastry i umiejętności"
    # The same file again changes nothing.
    again = import_text(CSV, "csv", series_slug=series.slug)
    assert again.count("unchanged") == 1


def test_import_json_keys_and_wrong_translations(series):
    import json

    from clustertalks.api.importing import import_text

    rows = [
        {"id": "j1", "title": "Talk", "start": "2026-03-04T08:30:00+01:00", "language": "de",
         "title_fr": "Exposé", "takeaways_fr": ["Un", "Deux"]},
        {"id": "j2", "title": "No title", "start": "2026-03-18T08:30:00+01:00", "abstract_fr": "Sans titre"},
        {"id": "j3", "title": "Own", "start": "2026-04-01T08:30:00+02:00", "title_en": "Same language"},
        {"id": "j4", "title": "Bad", "start": "2026-04-15T08:30:00+02:00", "language": "xx"},
        {"id": "j5", "title": "Long", "start": "2026-04-29T08:30:00+02:00", "title_fr": "x" * 251},
    ]
    report = import_text(json.dumps(rows), "json", series_slug=series.slug, partial=True)
    messages = " ".join(error.message for error in report.errors)
    assert "title_fr is missing" in messages and "own language" in messages
    assert "language must be one of" in messages and "longer than 250" in messages
    talk = Talk.objects.get()
    assert talk.language == "de"
    assert talk.translations.get().takeaway_lines() == ["Un", "Deux"]


# ---------------------------------------------------------------------------- series

def test_series_translations_written_and_read(client, bearer, series):
    body = {"de": {"name": "EU-Clustergespräche", "tagline": "Jede zweite Woche"}}
    response = send(client, "put", f"/series/{series.slug}/translations", body, **bearer)
    assert response.status_code == 200, response.json()
    assert response.json()["translations"]["de"]["name"] == "EU-Clustergespräche"
    assert get(client, f"/series/{series.slug}").json()["translations"]["de"]["tagline"] == "Jede zweite Woche"
    # Exactly the languages given: an empty object removes them all.
    assert send(client, "put", f"/series/{series.slug}/translations", {}, **bearer).json()["translations"] == {}


@pytest.mark.parametrize("body", [{"xx": {"name": "?"}}, {"de": {"name": "x" * 201}}, {"de": "text"}, []])
def test_wrong_series_translations_are_refused(client, bearer, series, body):
    response = send(client, "put", f"/series/{series.slug}/translations", body, **bearer)
    assert response.status_code == 422
    assert not series.translations.exists()


def test_series_translations_need_a_write_token(client, read_token, series):
    response = send(client, "put", f"/series/{series.slug}/translations", {"de": {"name": "x"}},
                    HTTP_AUTHORIZATION=f"Bearer {read_token}")
    assert response.status_code in (401, 403)
    assert not series.translations.exists()
