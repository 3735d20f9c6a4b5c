"""Person and organisation pages: every talk, with the position held at each; nothing from drafts."""

from django.core.cache import caches
from django.urls import reverse

from clustertalks.people.models import Organisation, Participation
from clustertalks.talks.models import Talk

from ..conftest import utc


def test_person_page_lists_each_talk_with_the_position_held_then(client, make_talk, make_person, make_organisation):
    grow = make_organisation("DG GROW", parent=make_organisation("European Commission"))
    person = make_person("Marek Przeor", current_position="Head of Unit")
    person.honours.create(title="Policy Award", year=2021)
    early = make_talk("Conference results", start=utc(2022, 10, 5, 6, 30))
    late = make_talk("Recap special", start=utc(2023, 12, 13, 7, 30))
    Participation.objects.create(person=person, talk=early, position="Team Leader D.2", organisation=grow, role="keynote")
    Participation.objects.create(person=person, talk=late, position="", organisation=grow)

    html = client.get(person.get_absolute_url()).content.decode()

    assert "<h1>Marek Przeor</h1>" in html
    assert html.index("Recap special") < html.index("Conference results")  # newest first
    assert "Team Leader D.2, " in html
    assert "DG GROW, European Commission" in html
    assert "Keynote speaker" in html
    assert "Policy Award 2021" in html
    assert "5 October 2022" in html


def test_speakers_of_draft_talks_stay_unannounced(client, make_talk, make_person, organiser):
    draft = make_talk("Unannounced", status=Talk.Status.DRAFT)
    secret = make_person("Secret Speaker")
    Participation.objects.create(person=secret, talk=draft)

    assert client.get(secret.get_absolute_url()).status_code == 404
    assert "Secret Speaker" not in client.get(reverse("people:people")).content.decode()

    client.force_login(organiser)
    assert client.get(secret.get_absolute_url()).status_code == 200


def test_person_page_hides_draft_talks_of_a_public_speaker(client, make_talk, make_person):
    person = make_person()
    Participation.objects.create(person=person, talk=make_talk("Public one"))
    Participation.objects.create(person=person, talk=make_talk("Hidden one", status=Talk.Status.DRAFT))
    html = client.get(person.get_absolute_url()).content.decode()
    assert "Public one" in html and "Hidden one" not in html


def test_organisation_page_gathers_its_units_people_and_talks(client, make_talk, make_person, make_organisation):
    commission = make_organisation("European Commission", kind=Organisation.Kind.EU_BODY)
    grow = make_organisation("DG GROW", parent=commission)
    eismea = make_organisation("EISMEA", parent=commission)
    for name, org in [("Marek Przeor", grow), ("Valentino Izzo", eismea)]:
        Participation.objects.create(person=make_person(name), talk=make_talk(f"Talk with {name}"), organisation=org)

    html = client.get(commission.get_absolute_url()).content.decode()

    assert "DG GROW" in html and "EISMEA" in html
    assert "Marek Przeor" in html and "Valentino Izzo" in html
    assert "Talk with Marek Przeor" in html and "Talk with Valentino Izzo" in html
    unit_html = client.get(grow.get_absolute_url()).content.decode()
    assert "Valentino Izzo" not in unit_html
    assert "European Commission" in unit_html  # its parent, in the breadcrumbs and facts


def test_organisation_without_public_talks_is_not_listed(client, make_talk, make_person, make_organisation):
    ghost = make_organisation("Ghost Cluster")
    Participation.objects.create(person=make_person(), talk=make_talk(status=Talk.Status.DRAFT), organisation=ghost)
    assert client.get(ghost.get_absolute_url()).status_code == 404
    assert "Ghost Cluster" not in client.get(reverse("people:organisations")).content.decode()


def test_hostile_names_are_escaped(client, make_talk, make_person, make_organisation):
    org = make_organisation('<img src=x onerror=alert(1)>')
    person = make_person('<script>alert("p")</script>', bio="<script>bad()</script> **bold**")
    Participation.objects.create(person=person, talk=make_talk('<script>alert("t")</script>'), organisation=org)
    for url in [person.get_absolute_url(), org.get_absolute_url(), reverse("people:people"), "/talks/"]:
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<img src=x" not in html
    bio_html = client.get(person.get_absolute_url()).content.decode()
    assert "<strong>bold</strong>" in bio_html and "<script>bad()" not in bio_html


def test_person_page_costs_the_same_queries_for_1_and_20_talks(client, make_talk, make_person, count_queries):
    person = make_person()
    Participation.objects.create(person=person, talk=make_talk())
    one = count_queries(client.get, person.get_absolute_url())
    for _ in range(19):
        Participation.objects.create(person=person, talk=make_talk())
    assert count_queries(client.get, person.get_absolute_url()) == one


def test_a_person_with_many_talks_gets_pages_that_cost_the_same(client, make_talk, make_person, count_queries):
    person = make_person()
    for _ in range(55):
        Participation.objects.create(person=person, talk=make_talk())
    url = person.get_absolute_url()
    first = client.get(url).content.decode()
    second = client.get(url + "?page=2").content.decode()
    assert first.count('class="timeline__role"') == 50 and "Page 1 of 2" in first
    assert second.count('class="timeline__role"') == 5 and "Page 2 of 2" in second
    caches["pages"].clear()  # count both pages cold
    assert count_queries(client.get, url) == count_queries(client.get, url + "?page=2")


def test_a_person_s_pages_list_every_talk_once_newest_first(client, make_talk, make_person):
    """The page's ids are sorted in one query and its rows read in another: the two agree."""
    person = make_person()
    talks = [make_talk() for _ in range(55)]
    for talk in reversed(talks):  # participations made in the opposite order of the dates
        Participation.objects.create(person=person, talk=talk)
    url = person.get_absolute_url()
    listed = []
    for page in (1, 2):
        html = client.get(f"{url}?page={page}").content.decode()
        shown = [talk for talk in talks if f">{talk.title}<" in html]
        listed += [talk.title for talk in sorted(shown, key=lambda talk: html.find(f">{talk.title}<"))]
    assert listed == [talk.title for talk in sorted(talks, key=lambda t: t.start, reverse=True)]
