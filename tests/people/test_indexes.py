"""Initials avatars, sorting by surname, transliterated slugs, and the indexes of speakers,
organisations and topics with counts of public talks in a fixed number of queries."""

import datetime as dt
import itertools

import pytest
from django.urls import reverse

from clustertalks.people import naming
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.talks.models import Talk, Topic

from ..conftest import utc

_days = itertools.count(1)


def relative_luminance(colour: str) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


@pytest.mark.parametrize("colour", naming.AVATAR_COLOURS)
def test_white_initials_reach_aa_contrast_on_every_avatar_colour(colour):
    assert (1.05) / (relative_luminance(colour) + 0.05) >= 4.5


def test_the_stylesheet_paints_each_avatar_colour():
    from pathlib import Path

    import clustertalks

    css = (Path(clustertalks.__file__).parent / "core/static/clustertalks/site.css").read_text()
    for index, colour in enumerate(naming.AVATAR_COLOURS):
        assert f".avatar--c{index} {{ background: {colour}; }}" in css


@pytest.mark.parametrize(
    "name, expected",
    [("Élodie Vanderberghe", "ÉV"), ("søren andersen", "SA"), ("Marek", "M"),
     ("Anna-Maria von der Leyen", "AL"), ("  ", "?"), ("(Dr.) Ana Gómez", "DG")],
)
def test_initials(name, expected):
    assert naming.initials(name) == expected


def test_a_name_keeps_its_colour():
    assert naming.avatar_colour_index("Søren Andersen") == naming.avatar_colour_index("Søren Andersen")
    assert len({naming.avatar_colour_index(f"Person {n}") for n in range(60)}) > 5


def test_initials_avatar_is_decorative_beside_the_name(client, make_person, make_talk):
    person = make_person("Élodie Vanderberghe")
    talk = make_talk("Clusters and skills")
    Participation.objects.create(person=person, talk=talk)
    for url in (talk.get_absolute_url(), person.get_absolute_url(), reverse("people:people"), reverse("talks:archive")):
        html = client.get(url).content.decode()
        assert f'avatar--c{person.avatar_colour}" aria-hidden="true">ÉV</span>' in html, url
        assert "Élodie Vanderberghe" in html


def speak(person, status=Talk.Status.PUBLISHED, **talk_fields):
    """A talk of `person` on a day of its own, with the given status."""
    start = utc(2024, 1, 3, 7, 30) + dt.timedelta(days=next(_days))
    talk = Talk.objects.create(title=f"Talk {start:%Y%m%d}", start=start, end=start + dt.timedelta(hours=1),
                               status=status, **talk_fields)
    Participation.objects.create(person=person, talk=talk)
    return talk


def test_people_are_sorted_by_surname_without_accents_sort_name_or_not(client, make_person):
    for name, sort_name in [("Élodie Vanderberghe", ""), ("Søren Andersen", "Andersen"),
                            ("Émile Baker", ""), ("zoë adams", ""), ("Marek Przeor", "")]:
        speak(make_person(name, sort_name=sort_name))
    html = client.get(reverse("people:people")).content.decode()
    order = ["zoë adams", "Søren Andersen", "Émile Baker", "Marek Przeor", "Élodie Vanderberghe"]
    positions = [html.index(f">{name}</a>") for name in order]
    assert positions == sorted(positions)


def test_the_sort_key_follows_a_change_of_name(make_person):
    person = make_person("Anna Zed")
    person.name = "Anna Able"
    person.save(update_fields=["name"])
    person.refresh_from_db()
    assert person.sort_key == "able, anna"


def test_new_slugs_are_transliterated_and_old_ones_keep_working(client, make_person, make_organisation):
    person = make_person("Søren Andersen")
    assert person.slug == "soren-andersen"
    assert make_organisation("Øresund Food Network").slug == "oresund-food-network"
    assert make_person("Łukasz Żółć").slug == "lukasz-zolc"

    # A row made before keeps its address: slugs are never recomputed.
    old = Person.objects.create(name="Søren Andersen", slug="sren-andersen")
    old.name = "Søren K. Andersen"
    old.save()
    old.refresh_from_db()
    assert old.slug == "sren-andersen"
    speak(old)
    assert client.get("/people/sren-andersen/").status_code == 200
    assert make_person("Søren Andersen").slug == "soren-andersen-2"


def test_speakers_index_counts_public_talks_only_and_shows_the_position(client, make_person, make_organisation):
    grow = make_organisation("DG GROW", parent=make_organisation("European Commission"))
    person = make_person("Marek Przeor", current_position="Head of Unit", current_organisation=grow)
    speak(person), speak(person), speak(person, status=Talk.Status.CANCELLED)
    speak(person, status=Talk.Status.DRAFT)
    hidden = make_person("Only Drafted")
    speak(hidden, status=Talk.Status.DRAFT)

    html = client.get(reverse("people:people")).content.decode()
    assert "Head of Unit, DG GROW, European Commission" in html
    assert "3 talks" in html  # the draft is not counted; the cancelled talk is public
    assert "Only Drafted" not in html
    assert 'class="index-grid"' in html


def test_organisations_index_counts_public_talks_with_kind_parent_and_description(client, make_person, make_organisation):
    commission = make_organisation("European Commission", kind=Organisation.Kind.EU_BODY)
    grow = make_organisation("DG GROW", parent=commission, kind=Organisation.Kind.EU_BODY,
                             description="The **Directorate-General** for the internal market.")
    person = make_person()
    for status in (Talk.Status.PUBLISHED, Talk.Status.PUBLISHED, Talk.Status.DRAFT):
        Participation.objects.filter(pk=Participation.objects.get(talk=speak(person, status=status)).pk).update(organisation=grow)
    html = client.get(reverse("people:organisations")).content.decode()
    assert "part of European Commission" in html
    assert "The Directorate-General for the internal market." in html  # plain text, no Markdown
    assert "2 talks" in html


def test_topics_index_counts_public_talks_with_description(client, make_person):
    skills = Topic.objects.create(name="Skills", description="People who *make* clusters work.")
    secret = Topic.objects.create(name="Secret")
    person = make_person()
    for status in (Talk.Status.PUBLISHED, Talk.Status.POSTPONED, Talk.Status.DRAFT):
        speak(person, status=status).topics.add(skills)
    speak(person, status=Talk.Status.DRAFT).topics.add(secret)
    html = client.get(reverse("talks:topics")).content.decode()
    assert "People who make clusters work." in html
    assert "2 talks" in html
    assert "Secret" not in html


@pytest.mark.parametrize("page", ["people:people", "people:organisations", "talks:topics"])
def test_indexes_take_the_same_queries_for_one_item_or_thirty(client, make_person, make_organisation, count_queries, page):
    from django.core.cache import caches

    def add(n):
        for _ in range(n):
            organisation = make_organisation(description="A cluster.", parent=make_organisation())
            person = make_person(current_organisation=organisation, current_position="Manager")
            talk = speak(person)
            Participation.objects.filter(talk=talk).update(organisation=organisation)
            talk.topics.add(Topic.objects.create(name=f"Topic {talk.pk}", description="About it."))

    add(1)
    caches["pages"].clear()
    one = count_queries(client.get, reverse(page))
    add(29)
    caches["pages"].clear()
    thirty = count_queries(client.get, reverse(page))
    assert one == thirty
    assert one <= 3


@pytest.mark.parametrize("page", ["people:people", "people:organisations", "talks:topics"])
@pytest.mark.parametrize("number", ["abc", "-1", "99999", "1e9", "' OR 1=1 --"])
def test_indexes_take_any_page_number_without_an_error(client, make_person, make_organisation, page, number):
    person = make_person(current_organisation=make_organisation())
    talk = speak(person)
    talk.topics.add(Topic.objects.create(name="Skills"))
    Participation.objects.filter(talk=talk).update(organisation=person.current_organisation)
    response = client.get(reverse(page), {"page": number})
    assert response.status_code == 200
    assert "1 talk" in response.content.decode()


def test_the_second_page_of_speakers_continues_in_order_with_its_own_counts(client, make_person):
    """The page's ids and its rows (with their counts) come from two steps: they must agree."""
    people = [make_person(f"Speaker {letter}{n:02d}") for n, letter in enumerate("AB" * 25)]
    for times, person in enumerate(people):
        for _ in range(times % 3 + 1):
            speak(person)
    ordered = sorted(people, key=lambda person: person.sort_key)
    second = client.get(reverse("people:people"), {"page": 2}).content.decode()
    shown = [person for person in ordered if f">{person.name}</a>" in second]
    assert shown == ordered[48:]
    for person in shown:
        talks = people.index(person) % 3 + 1
        card = second[second.index(f">{person.name}</a>"):]
        assert f"{talks} talk" in card[:400]
