"""The merge pages tell the truth and show the duplicates side by side; organisations merge
too (every relation moved, audit entry, page cache bumped); wrong and hostile input refused;
a series organiser cannot merge what has talks in another series."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from clustertalks.audit.models import Entry
from clustertalks.core import pagecache
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.people.services import merge_organisations
from tests.roles.helpers import *  # noqa: F403 - fixtures

PEOPLE = reverse("admin:people_person_changelist")
ORGANISATIONS = reverse("admin:people_organisation_changelist")


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def act(client, url, action, objects, **extra):
    data = {"action": action, "_selected_action": [str(o.pk) for o in objects], **extra}
    return client.post(url, data, follow=True)


# People: the page says what is true and shows what tells them apart.


def test_merge_page_of_two_people_says_merge_two_and_the_other_one(client, world, login_as):
    login_as("administrator")
    cluster = Organisation.objects.create(name="Clust-ER Innovate")
    ana = Person.objects.create(name="Ana Lopez", current_position="Cluster manager", current_organisation=cluster)
    twin = Person.objects.create(name="Ana López")
    Participation.objects.create(person=ana, talk=world.talk(world.ours), position="Analyst",
                                 organisation=Organisation.objects.create(name="Old employer"))
    twin.links.create(label="LinkedIn", url="https://www.linkedin.com/in/ana")
    html = act(client, PEOPLE, "merge_selected_people", [ana, twin]).content.decode()
    assert "Merge 2 people" in html
    assert "The other one is merged into them" in html
    assert "2 other" not in html
    assert world.talk(world.ours).title in html
    for shown in ("Cluster manager", "Analyst", "Clust-ER Innovate", "Old employer",
                  "https://www.linkedin.com/in/ana", "merge-side-by-side"):
        assert shown in html, shown


def test_merge_page_of_three_people_counts_the_others(client, login_as, world):
    login_as("administrator")
    people = [Person.objects.create(name=f"P{i}") for i in range(3)]
    html = act(client, PEOPLE, "merge_selected_people", people).content.decode()
    assert "Merge 3 people" in html and "The other 2 are merged" in html


def test_merge_page_queries_do_not_grow_with_talks(client, login_as, world, django_assert_max_num_queries):
    login_as("administrator")
    ana, twin = Person.objects.create(name="Ana"), Person.objects.create(name="Twin")
    Participation.objects.create(person=ana, talk=world.talk(world.ours))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        act(client, PEOPLE, "merge_selected_people", [ana, twin])
    for talk in world.talks.values():
        Participation.objects.create(person=twin, talk=talk)
    with django_assert_max_num_queries(len(few.captured_queries)):
        act(client, PEOPLE, "merge_selected_people", [ana, twin])


# Organisations.


@pytest.fixture
def organisations(world):
    keep = Organisation.objects.create(name="Clust-ER Innovate", acronym="CI", kind=Organisation.Kind.CLUSTER)
    dup = Organisation.objects.create(name="ClustER Innovate", country="IT", website="https://clust-er.example")
    unit = Organisation.objects.create(name="Skills lab", parent=dup)
    person = Person.objects.create(name="Marco", current_organisation=dup)
    part = Participation.objects.create(person=person, talk=world.talk(world.ours), organisation=dup)
    world.ours.organiser = dup
    world.ours.save()
    return keep, dup, unit, person, part


def test_organisation_merge_page_shows_both_side_by_side(client, login_as, organisations, world):
    login_as("administrator")
    keep, dup, *_ = organisations
    html = act(client, ORGANISATIONS, "merge_selected_organisations", [keep, dup]).content.decode()
    assert "Merge 2 organisations" in html and "The other one is merged into it" in html
    for shown in ("Clust-ER Innovate", "ClustER Innovate", "Italy", "Skills lab", "Marco",
                  world.talk(world.ours).title, "https://clust-er.example"):
        assert shown in html, shown
    assert Organisation.objects.count() == 3


def test_organisation_merge_moves_every_relation_records_and_bumps(client, login_as, organisations, world):
    login_as("administrator")
    keep, dup, unit, person, part = organisations
    before = pagecache.current_generation()
    response = act(client, ORGANISATIONS, "merge_selected_organisations", [keep, dup],
                   post="yes", keep=str(keep.pk))
    assert "Merged 1 organisation into Clust-ER Innovate (CI)." in messages_of(response)
    assert not Organisation.objects.filter(pk=dup.pk).exists()
    for row in (unit, person, part):
        row.refresh_from_db()
    world.ours.refresh_from_db()
    assert unit.parent == keep and person.current_organisation == keep and part.organisation == keep
    assert world.ours.organiser == keep
    keep.refresh_from_db()
    assert keep.country == "IT" and keep.website == "https://clust-er.example" and keep.acronym == "CI"
    entry = Entry.objects.get(action=Entry.Action.MERGED)
    assert entry.object_id == str(keep.pk) and entry.detail["merged"] == [{"id": dup.pk, "name": "ClustER Innovate"}]
    pagecache.bump_if_dirty()  # what the commit does (the test's transaction never commits)
    assert pagecache.current_generation() != before


def test_every_relation_to_organisation_is_moved(organisations):
    keep, dup, *_ = organisations
    relations = [r for r in Organisation._meta.related_objects if not r.many_to_many]
    dup_pk = dup.pk
    merge_organisations(keep, [dup])
    for relation in relations:
        model, name = relation.related_model, relation.field.name
        assert not model._base_manager.filter(**{f"{name}_id": dup_pk}).exists(), model


def test_merging_into_a_unit_of_the_duplicate_makes_no_loop(db):
    parent = Organisation.objects.create(name="European Commission")
    dup = Organisation.objects.create(name="DG GROW (old)", parent=parent)
    keep = Organisation.objects.create(name="DG GROW", parent=dup)
    merge_organisations(keep, [dup])
    keep.refresh_from_db()
    assert keep.parent == parent


def test_organisation_merge_refuses_one(client, login_as, organisations):
    login_as("administrator")
    keep, *_ = organisations
    response = act(client, ORGANISATIONS, "merge_selected_organisations", [keep])
    assert "Select at least two organisations to merge." in messages_of(response)
    assert Organisation.objects.count() == 3


@pytest.mark.parametrize("keep", ["", "abc", "-1", "9" * 40, "<script>", "stranger"])
def test_organisation_merge_refuses_a_keeper_outside_the_selection(client, login_as, organisations, keep):
    login_as("administrator")
    first, dup, unit, *_ = organisations
    keep = str(unit.pk) if keep == "stranger" else keep
    response = act(client, ORGANISATIONS, "merge_selected_organisations", [first, dup], post="yes", keep=keep)
    assert response.status_code == 200
    assert "Choose the organisation to keep." in messages_of(response)
    assert Organisation.objects.count() == 3


def test_organisation_merge_needs_delete_rights(client, login_as, organisations):
    login_as("viewer")
    keep, dup, *_ = organisations
    response = act(client, ORGANISATIONS, "merge_selected_organisations", [keep, dup], post="yes", keep=str(keep.pk))
    assert response.status_code in (200, 403)
    assert Organisation.objects.filter(pk=dup.pk).exists()


def test_series_organiser_cannot_merge_across_series(client, login_as, organisations, world):
    login_as("series organiser")
    keep, dup, *_ = organisations
    other = Organisation.objects.create(name="Elsewhere")
    Participation.objects.create(person=Person.objects.create(name="Far"), talk=world.talk(world.theirs),
                                 organisation=other)
    response = act(client, ORGANISATIONS, "merge_selected_organisations", [keep, other],
                   post="yes", keep=str(keep.pk))
    assert any("in series you do not organise" in m for m in messages_of(response))
    assert Organisation.objects.filter(pk=other.pk).exists()


def test_series_organiser_cannot_merge_people_with_talks_in_another_series(client, login_as, world):
    login_as("series organiser")
    ours, theirs = Person.objects.create(name="Ours"), Person.objects.create(name="Theirs")
    Participation.objects.create(person=ours, talk=world.talk(world.ours))
    Participation.objects.create(person=theirs, talk=world.talk(world.theirs))
    response = act(client, PEOPLE, "merge_selected_people", [ours, theirs], post="yes", keep=str(ours.pk))
    assert any("in series you do not organise" in m for m in messages_of(response))
    assert Person.objects.count() == 2


def test_series_organiser_merges_within_their_series(client, login_as, world):
    login_as("series organiser")
    ours, twin = Person.objects.create(name="Ours"), Person.objects.create(name="Ours twin")
    Participation.objects.create(person=twin, talk=world.talk(world.ours))
    response = act(client, PEOPLE, "merge_selected_people", [ours, twin], post="yes", keep=str(ours.pk))
    assert "Merged 1 person into Ours." in messages_of(response)
    assert ours.participations.count() == 1
