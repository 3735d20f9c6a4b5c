"""Past FILTER_OPTIONS_MAX speakers or organisations, the archive's and search's selects offer the
busiest (most published talks) and say so, with a link to the index that lists them all."""

import re

import pytest
from django.core.cache import caches

from clustertalks.people.models import Participation
from clustertalks.talks.models import Talk


@pytest.fixture
def five_speakers(make_talk, make_person, make_organisation):
    """Speakers A..E with 5, 4, 3, 2 and 1 published talks (and E with 9 drafts), each from an
    organisation of their own."""
    people = []
    for letter, published in zip("ABCDE", (5, 4, 3, 2, 1)):
        person = make_person(f"Speaker {letter}", sort_key=f"speaker {letter.lower()}")
        organisation = make_organisation(f"Cluster {letter}")
        drafts = 9 if letter == "E" else 0
        for n in range(published + drafts):
            status = Talk.Status.PUBLISHED if n < published else Talk.Status.DRAFT
            talk = make_talk(f"{letter} {n}", status=status)
            Participation.objects.create(talk=talk, person=person, organisation=organisation, order=0)
        people.append(person)
    caches["pages"].clear()  # the options are kept per content generation
    return people


def options_of(html: str, select_id: str) -> list[str]:
    select = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="([^"]*)"', select)[1:]  # without "Any"


def test_only_the_busiest_speakers_and_organisations_are_listed_and_the_page_says_so(
        client, five_speakers, settings):
    settings.FILTER_OPTIONS_MAX = 3
    html = client.get("/talks/").content.decode()
    slugs = {person.name[-1]: person.slug for person in five_speakers}
    assert options_of(html, "f-speaker") == [slugs["A"], slugs["B"], slugs["C"]]  # drafts don't count
    assert len(options_of(html, "f-organisation")) == 3
    assert 'aria-describedby="f-speaker-listed"' in html and 'id="f-speaker-listed"' in html
    assert 'href="/people/"' in html and 'href="/organisations/"' in html

    search = client.get("/search/?q=talk").content.decode()
    assert options_of(search, "s-speaker") == [slugs["A"], slugs["B"], slugs["C"]]
    assert 'aria-describedby="s-speaker-listed"' in search and 'id="s-speaker-listed"' in search


def test_a_chosen_speaker_outside_the_busiest_stays_chosen(client, five_speakers, settings):
    settings.FILTER_OPTIONS_MAX = 3
    quiet = five_speakers[4]
    html = client.get(f"/talks/?speaker={quiet.slug}").content.decode()
    assert options_of(html, "f-speaker")[0] == quiet.slug
    assert f'<option value="{quiet.slug}" selected>' in html
    assert "1 talk" in html
    search = client.get(f"/search/?q=talk&speaker={quiet.slug}").content.decode()
    assert f'<option value="{quiet.slug}" selected>' in search


def test_every_speaker_is_listed_when_they_are_few(client, five_speakers, settings):
    settings.FILTER_OPTIONS_MAX = 5
    html = client.get("/talks/").content.decode()
    assert len(options_of(html, "f-speaker")) == 5
    assert "f-speaker-listed" not in html and "f-organisation-listed" not in html


def test_the_note_is_in_the_visitors_language(client, five_speakers, settings, languages):
    settings.FILTER_OPTIONS_MAX = 3
    html = client.get("/fr/talks/").content.decode()
    assert "Seuls les intervenants ayant donné le plus de conférences sont listés ici." in html
    assert '<a href="/fr/people/">Voir tous les intervenants</a>' in html
