"""Lists of the back office: the registrations list's columns and its country filter (only the
countries present, within the user's series), the organisations' country filter."""

from django.utils import timezone

from clustertalks.people.models import Organisation
from clustertalks.registrations.models import Registration
from tests.roles.helpers import *  # noqa: F403 - fixtures

LIST = "/admin/registrations/registration/"


def add(world, series, country, n=1):
    for i in range(n):
        Registration.objects.create(talk=world.talk(series), name=f"N{i}", country=country,
                                    email=f"{country}{i}@{series.slug}.example", consented_at=timezone.now())


def country_choices(html):
    import re
    return re.findall(r'href="\?country=([A-Z]{2})"', html)


def test_country_filter_lists_only_countries_present(client, world, login_as):
    login_as("administrator")
    add(world, world.ours, "IT", 3)
    add(world, world.ours, "ES")
    html = client.get(LIST).content.decode()
    assert sorted(country_choices(html)) == ["BE", "ES", "IT"]
    assert "Zimbabwe" not in html


def test_country_filter_of_a_series_organiser_shows_only_their_series_countries(client, world, login_as):
    login_as("series organiser")
    add(world, world.theirs, "FI")
    add(world, world.ours, "PT")
    html = client.get(LIST).content.decode()
    assert sorted(country_choices(html)) == ["BE", "PT"]
    assert "Finland" not in html


def test_country_filter_filters_and_survives_hostile_values(client, world, login_as):
    login_as("administrator")
    add(world, world.ours, "IT", 2)
    filtered = client.get(LIST, {"country": "it"}).content.decode()
    assert "IT0@" in filtered and "ada@" not in filtered
    for value in ("<script>alert(1)</script>", "x" * 5000, "ÿ", "'; DROP TABLE x;--"):
        response = client.get(LIST, {"country": value})
        assert response.status_code == 200
        assert b"<script>alert(1)</script>" not in response.content


def test_registrations_list_shows_the_four_columns_first(client, world, login_as):
    login_as("administrator")
    html = client.get(LIST).content.decode()
    headers = [h for h in ("column-name", "column-email", "column-talk", "column-status") if h in html]
    assert headers == ["column-name", "column-email", "column-talk", "column-status"]
    assert "column-objects_to_recording" not in html


def test_organisation_country_filter_lists_only_present_countries(client, world, login_as):
    login_as("editor")
    Organisation.objects.create(name="Clust-ER", country="IT")
    Organisation.objects.create(name="Nowhere")
    html = client.get("/admin/people/organisation/").content.decode()
    assert country_choices(html) == ["IT"]
