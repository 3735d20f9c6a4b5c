"""Translations of a talk and of a series, edited inline in the back office; each write bumps
the page cache so the translated page shows at once."""

import pytest

from clustertalks.talks.models import SeriesTranslation, Talk, TalkTranslation

from .test_admin import admin_url, management_form, talk_form


def translation_rows(*rows, prefix="translations") -> dict:
    data = management_form(prefix, total=len(rows))
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def post_talk(admin_client, series, *rows):
    data = {**talk_form(series), **translation_rows(*rows)}
    return admin_client.post(admin_url("talk", "add"), data)


def test_organiser_adds_a_translation_with_the_talk(admin_client, series):
    response = post_talk(admin_client, series, {"language": "fr", "title": "Compétences vertes",
                                                "abstract": "Résumé", "takeaways": "Un\nDeux"})
    assert response.status_code == 302, response.content.decode()[:2000]
    french = TalkTranslation.objects.get()
    assert french.talk.title == "Skills for green clusters" and french.title == "Compétences vertes"
    assert french.takeaway_lines() == ["Un", "Deux"]
    page = admin_client.get(admin_url("talk", "change", french.talk.pk)).content.decode()
    assert 'name="translations-0-title"' in page and "Compétences vertes" in page


@pytest.mark.parametrize(("rows", "error"), [
    ([{"language": "fr", "title": ""}], "This field is required"),
    ([{"language": "fr", "title": "x" * 251}], "at most 250 characters"),
    ([{"language": "xx", "title": "Nope"}], "Select a valid choice"),
    ([{"language": "en", "title": "Same"}], "the language the talk is given in"),
    ([{"language": "fr", "title": "Un"}, {"language": "fr", "title": "Deux"}], "Please correct the duplicate"),
])
def test_wrong_translations_are_refused_and_nothing_is_saved(admin_client, series, rows, error):
    response = post_talk(admin_client, series, *rows)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Talk.objects.exists() and not TalkTranslation.objects.exists()


def test_series_translation_inline(admin_client, series):
    data = {"name": series.name, "slug": series.slug, "colour": "#004494", "time_zone": "Europe/Brussels",
            "cadence_weekday": 3, "cadence_start_time": "08:30", "cadence_interval_weeks": 2,
            "default_duration_minutes": 60,
            **translation_rows({"language": "de", "name": "EU-Clustergespräche", "tagline": "Jede zweite Woche"}),
            **management_form("identity")}  # the identity inline, left empty
    response = admin_client.post(admin_url("series", "change", series.pk), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert SeriesTranslation.objects.get().name == "EU-Clustergespräche"


def test_a_new_translation_shows_at_once_on_a_cached_page(client, languages, make_talk, settings):
    settings.PAGE_CACHE_ENABLED = True
    talk = make_talk("Cluster policy")
    path = f"/fr/talks/{talk.slug}/"
    assert "<h1" in client.get(path).content.decode() and "Politique" not in client.get(path).content.decode()
    TalkTranslation.objects.create(talk=talk, language="fr", title="Politique des clusters")
    assert "Politique des clusters" in client.get(path).content.decode()
    TalkTranslation.objects.filter(talk=talk).update(title="Politique régionale")  # a raw write...
    from clustertalks.core.pagecache import bump_public_generation

    bump_public_generation()  # ...bumps explicitly, as documented for QuerySet.update
    assert "Politique régionale" in client.get(path).content.decode()
