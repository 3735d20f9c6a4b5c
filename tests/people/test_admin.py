"""The people room of the back office: pages, autocomplete and merging duplicate people."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from clustertalks.people.models import Honour, Participation, Person

pytestmark = pytest.mark.django_db

def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:people_{model}_{view}", args=args)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def merge(client, people, **extra):
    data = {"action": "merge_selected_people", "_selected_action": [str(p.pk) for p in people], **extra}
    return client.post(admin_url("person", "changelist"), data, follow=True)


@pytest.fixture
def duplicates(make_person, make_talk):
    """Three records of one speaker: two talks, one talk, none; two carry the same honour."""
    main, second, empty = (make_person("Ana Lopez"), make_person("Ana López"), make_person("A. Lopez"))
    for person, talks in [(main, 2), (second, 1)]:
        person.honours.create(title="Cluster Manager of the Year", year=2022)
        for _ in range(talks):
            Participation.objects.create(person=person, talk=make_talk())
    second.honours.create(title="Skills Champion", year=2023)
    return main, second, empty


def test_change_pages_load(admin_client, full_talk):
    participation = full_talk().participations.select_related("person", "organisation").first()
    for model, obj in [("person", participation.person), ("organisation", participation.organisation),
                       ("participation", participation)]:
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_person_list_counts_talks_and_searches_by_name(admin_client, duplicates, make_person):
    make_person("Zoe Other")
    response = admin_client.get(admin_url("person", "changelist"), {"q": "Lopez"})
    people = {person.name: person.talk_count for person in response.context["cl"].result_list}
    assert people == {"Ana Lopez": 2, "A. Lopez": 0}


def test_organisation_list_searches_acronym_and_filters(admin_client, make_organisation):
    make_organisation("European Cluster Collaboration Platform", acronym="ECCP", kind="network")
    make_organisation("Unrelated", country="FR")
    url = admin_url("organisation", "changelist")
    assert admin_client.get(url, {"q": "ECCP"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"kind__exact": "network"}).context["cl"].result_count == 1
    assert admin_client.get(url, {"country__exact": "FR"}).context["cl"].result_count == 1


def test_participation_inline_autocompletes_people(admin_client, make_person):
    make_person("Ana Lopez")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Ana", "app_label": "people", "model_name": "participation", "field_name": "person"},
    )
    assert [result["text"] for result in response.json()["results"]] == ["Ana Lopez"]


# Merging duplicates.


def test_merge_asks_which_person_to_keep(admin_client, duplicates):
    main, second, empty = duplicates
    response = merge(admin_client, duplicates)
    content = response.content.decode()
    assert response.templates[0].name == "admin/people/merge_confirmation.html"
    assert all(person.name in content for person in duplicates)
    assert f'value="{main.pk}" checked' in content  # most participations by default
    assert "csrfmiddlewaretoken" in content
    assert Person.objects.count() == 3


def test_merge_keeps_every_participation_and_no_duplicate_honour(admin_client, duplicates):
    main, second, empty = duplicates
    response = merge(admin_client, duplicates, post="yes", keep=str(main.pk))
    assert "Merged 2 people into Ana Lopez." in messages_of(response)
    assert list(Person.objects.all()) == [main]
    assert Participation.objects.filter(person=main).count() == 3
    assert sorted(Honour.objects.values_list("title", flat=True)) == [
        "Cluster Manager of the Year", "Skills Champion",
    ]


def test_merge_can_keep_another_person(admin_client, duplicates):
    main, second, empty = duplicates
    merge(admin_client, [main, second], post="yes", keep=str(second.pk))
    assert set(Person.objects.all()) == {second, empty}
    assert second.participations.count() == 3


def test_merge_refuses_a_single_person(admin_client, duplicates):
    response = merge(admin_client, duplicates[:1])
    assert "Select at least two people to merge." in messages_of(response)
    assert Person.objects.count() == 3


@pytest.mark.parametrize("keep", ["", "abc", "²", "9" * 30, "999999"])
def test_merge_refuses_a_person_outside_the_selection(admin_client, duplicates, make_person, keep):
    stranger = make_person("Stranger")
    keep = keep if keep != "999999" else str(stranger.pk)
    response = merge(admin_client, duplicates[:2], post="yes", keep=keep)
    assert "Choose the person to keep." in messages_of(response)
    assert response.templates[0].name == "admin/people/merge_confirmation.html"
    assert Person.objects.count() == 4


def test_merge_page_escapes_names(admin_client, make_person):
    people = [make_person("<script>alert(1)</script>"), make_person("Plain")]
    content = merge(admin_client, people).content.decode()
    assert "<script>alert(1)" not in content
    assert "&lt;script&gt;alert(1)" in content
