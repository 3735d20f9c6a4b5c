"""Fewer clicks to publish: "Speakers and roles", the person-details endpoint the talk form's
script asks when a speaker is chosen, and the "+" pop-up that asks position and organisation."""


import pytest
from django.urls import reverse

from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.talks.models import Talk
from tests.roles.helpers import *  # noqa: F403 - fixtures


def details_url(pk):
    return reverse("admin:backoffice_person_details", args=[pk])


@pytest.fixture
def marco(db):
    cluster = Organisation.objects.create(name="Clust-ER Innovate", country="IT")
    return Person.objects.create(name="Marco Rossi", current_position="Cluster Manager",
                                 current_organisation=cluster)


def test_details_give_the_current_position_and_organisation(client, login_as, marco):
    login_as("editor")
    data = client.get(details_url(marco.pk)).json()
    assert data == {"id": marco.pk, "name": "Marco Rossi", "position": "Cluster Manager",
                    "organisation": {"id": marco.current_organisation_id, "text": "Clust-ER Innovate"}}


def test_details_fall_back_to_the_latest_talk(client, world, login_as):
    login_as("viewer")
    lucia = Person.objects.create(name="Lucía")
    old, new = Organisation.objects.create(name="Old univ"), Organisation.objects.create(name="Deusto")
    earlier, later = world.talk(world.ours), world.talk(world.theirs)
    assert earlier.start < later.start
    Participation.objects.create(talk=earlier, person=lucia, position="Lecturer", organisation=old)
    Participation.objects.create(talk=later, person=lucia, position="Professor", organisation=new)
    data = client.get(details_url(lucia.pk)).json()
    assert data["position"] == "Professor" and data["organisation"]["text"] == "Deusto"


def test_details_of_someone_new_are_empty(client, login_as):
    login_as("editor")
    nobody = Person.objects.create(name="New")
    assert client.get(details_url(nobody.pk)).json() == {"id": nobody.pk, "name": "New", "position": "",
                                                          "organisation": None}


@pytest.mark.parametrize("role, status", [("no role", 403), ("viewer", 200), ("series organiser", 200)])
def test_details_need_the_right_to_see_people(client, login_as, marco, role, status):
    login_as(role)
    response = client.get(details_url(marco.pk))
    assert response.status_code == status
    if status == 403:
        assert b"Cluster Manager" not in response.content


def test_details_are_closed_to_visitors(client, marco):
    response = client.get(details_url(marco.pk))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("path", ["/admin/backoffice/people/999999/details.json",
                                  "/admin/backoffice/people/abc/details.json",
                                  "/admin/backoffice/people/-1/details.json",
                                  "/admin/backoffice/people/" + "9" * 400 + "/details.json"])
def test_details_of_missing_or_malformed_people_are_not_found(client, login_as, path):
    login_as("editor")
    response = client.get(path)
    assert response.status_code == 404


def test_talk_form_calls_the_section_speakers_and_roles(client, world, login_as):
    login_as("series organiser")
    html = client.get(f"/admin/talks/talk/add/?series={world.ours.pk}").content.decode()
    assert "Speakers and roles" in html and "Participations" not in html
    assert 'name="participations-TOTAL_FORMS" value="1"' in html  # a row for the first speaker
    edit = client.get(f"/admin/talks/talk/{world.draft(world.ours).pk}/change/").content.decode()
    assert 'name="participations-TOTAL_FORMS" value="0"' in edit


def test_person_popup_asks_name_position_and_organisation_only(client, login_as):
    login_as("editor")
    html = client.get("/admin/people/person/add/?_to_field=id&_popup=1").content.decode()
    for name in ("name", "current_position", "current_organisation"):
        assert f'name="{name}"' in html
    for name in ("sort_name", "bio", "photo", "slug", "gender"):
        assert f'name="{name}"' not in html
    full = client.get("/admin/people/person/add/").content.decode()
    assert 'name="bio"' in full


def test_person_popup_saves_and_answers_the_opener(client, login_as):
    login_as("editor")
    organisation = Organisation.objects.create(name="Cluster X")
    response = client.post("/admin/people/person/add/?_to_field=id&_popup=1", {
        "_popup": "1", "_to_field": "id", "name": "Nina New", "current_position": "Director",
        "current_organisation": organisation.pk,
        **{f"{prefix}-{key}": value for prefix in ("honours", "links")
           for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
    })
    assert response.status_code == 200
    nina = Person.objects.get(name="Nina New")
    assert nina.current_position == "Director" and nina.current_organisation == organisation
    assert b"popup_response" in response.content


def test_person_popup_with_missing_or_oversized_input_says_why(client, login_as):
    login_as("editor")
    response = client.post("/admin/people/person/add/?_to_field=id&_popup=1", {
        "_popup": "1", "name": "", "current_position": "x" * 5000,
        **{f"{prefix}-{key}": value for prefix in ("honours", "links")
           for key, value in (("TOTAL_FORMS", 0), ("INITIAL_FORMS", 0))},
    })
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert b"Ensure this value has at most 250 characters" in response.content
    assert not Person.objects.exists()


def talk_form(series, **extra):
    data = {"title": "Next one", "series": series.pk, "status": "draft", "start_0": "2031-01-08",
            "start_1": "08:30", "end_0": "2031-01-08", "end_1": "09:30", "language": "en",
            "attendance_mode": "online"}
    for prefix in ("agenda_items", "participations", "translations"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data | extra


def test_save_and_publish_publishes_a_draft_in_one_click(client, world, login_as):
    login_as("series organiser")
    html = client.get(f"/admin/talks/talk/add/?series={world.ours.pk}").content.decode()
    assert 'name="_publish"' in html
    response = client.post("/admin/talks/talk/add/", talk_form(world.ours, _publish="1"), follow=True)
    assert response.status_code == 200
    talk = Talk.objects.get(title="Next one")
    assert talk.status == Talk.Status.PUBLISHED
    assert "The talk is published." in response.content.decode()
    published = client.get(f"/admin/talks/talk/{talk.pk}/change/").content.decode()
    assert 'name="_publish"' not in published


def test_plain_save_keeps_the_draft_and_viewers_get_no_publish_button(client, world, login_as):
    login_as("editor")
    client.post("/admin/talks/talk/add/", talk_form(world.ours, _save="1"))
    assert Talk.objects.get(title="Next one").status == Talk.Status.DRAFT
    login_as("viewer")
    html = client.get(f"/admin/talks/talk/{world.draft(world.ours).pk}/change/").content.decode()
    assert 'name="_publish"' not in html


def test_series_organiser_cannot_publish_into_another_series(client, world, login_as):
    login_as("series organiser")
    response = client.post("/admin/talks/talk/add/", talk_form(world.theirs, _publish="1"))
    assert response.status_code == 200  # the form again, with the error
    assert not Talk.objects.filter(title="Next one").exists()
