"""The public pages: what a visitor sees, what stays hidden, and how many queries it costs."""

import datetime as dt

import pytest
from django.urls import reverse

from clustertalks.people.models import Participation
from clustertalks.talks.models import Talk, Topic

from ..conftest import utc


def test_home_shows_next_talk_upcoming_and_recent(client, make_talk):
    now = dt.datetime.now(dt.UTC)
    make_talk("Held last month", start=now - dt.timedelta(days=30))
    make_talk("The very next one", start=now + dt.timedelta(days=3))
    make_talk("The one after", start=now + dt.timedelta(days=17))
    make_talk("Secret draft", start=now + dt.timedelta(days=1), status=Talk.Status.DRAFT)

    html = client.get("/").content.decode()

    assert html.index("Next talk") < html.index("The very next one") < html.index("The one after")
    assert "Held last month" in html
    assert "Secret draft" not in html


def test_talk_page_shows_the_seed_facts(client, full_talk):
    talk = full_talk(title="Results and visions", start=utc(2022, 10, 5, 6, 30))

    response = client.get(talk.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Results and visions</h1>" in html
    assert "Wednesday 5 October 2022, 08:30–09:30" in html
    assert '<abbr title="Europe/Brussels">CEST</abbr>' in html
    assert "60 minutes" in html
    assert "Online (virtual event)" in html
    assert "Keynote" in html and "Panel" in html
    assert html.count('class="speaker"') == 3
    assert "Team Leader" in html
    assert "Cluster Manager of the Year 2022" in html
    assert "linkedin.com/sharing" in html and "bsky.app" in html and "mailto:" in html


def test_winter_talk_is_labelled_cet_from_its_date(client, make_talk):
    talk = make_talk("Recap", start=utc(2023, 12, 13, 7, 30), minutes=75)
    html = client.get(talk.get_absolute_url()).content.decode()
    assert "Wednesday 13 December 2023, 08:30–09:45" in html
    assert '<abbr title="Europe/Brussels">CET</abbr>' in html
    assert "75 minutes" in html


def test_honours_received_after_the_talk_are_not_shown_on_it(client, make_talk, make_person):
    talk = make_talk(start=utc(2021, 5, 5, 6, 30))
    person = make_person("Later Laureate")
    person.honours.create(title="European Cluster Manager of the Year", year=2022)
    Participation.objects.create(person=person, talk=talk)
    html = client.get(talk.get_absolute_url()).content.decode()
    assert "Later Laureate" in html
    assert "Manager of the Year" not in html


def test_draft_talk_is_hidden_from_the_public_and_previewable_by_organisers(
    client, make_talk, organiser
):
    talk = make_talk("Not announced yet", status=Talk.Status.DRAFT)

    assert client.get(talk.get_absolute_url()).status_code == 404
    assert client.get(reverse("feeds:talk_ics", args=[talk.slug])).status_code == 404
    assert "Not announced yet" not in client.get(reverse("talks:archive")).content.decode()

    client.force_login(organiser)
    response = client.get(talk.get_absolute_url())
    assert response.status_code == 200
    assert "only organisers can see this page" in response.content.decode()
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("status, message", [
    (Talk.Status.CANCELLED, "This talk has been cancelled."),
    (Talk.Status.POSTPONED, "This talk has been postponed."),
])
def test_called_off_talks_say_so_prominently(client, make_talk, status, message):
    talk = make_talk(status=status, status_note="A new date will follow.")
    html = client.get(talk.get_absolute_url()).content.decode()
    assert message in html
    assert "A new date will follow." in html


def test_private_meeting_link_never_reaches_a_public_page(client, make_talk):
    talk = make_talk(meeting_url="https://zoom.example/j/123-secret")
    for url in [talk.get_absolute_url(), "/", reverse("talks:archive"),
                reverse("feeds:talk_ics", args=[talk.slug])]:
        assert "123-secret" not in client.get(url).content.decode()


@pytest.mark.parametrize("url", [
    "/talks/no-such-talk/", "/series/nope/", "/people/nobody/", "/organisations/none/",
    "/topics/nothing/", "/talks/nope/calendar.ics", "/no/such/page/",
])
def test_unknown_addresses_get_the_styled_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "site.css" in response.content.decode()


@pytest.mark.parametrize("query", [
    "?year=abc&topic=<script>alert(1)</script>",
    "?year=99999999999999999999&page=-1",
    "?page=abc&speaker=' OR 1=1 --",
    "?type=%01&audience=" + "x" * 5000,
    "?q=" + "<b>" * 300 + "&series=%27%22",
])
def test_junk_archive_filters_are_ignored_not_fatal(client, make_talk, query):
    make_talk("Still listed")
    response = client.get(reverse("talks:archive") + query)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("query", ["?type=%00", "?q=a%00b", "?page=1&%00=x"])
def test_nul_bytes_in_parameters_get_a_400_page(client, db, query):
    response = client.get(reverse("talks:archive") + query)
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_archive_filters_narrow_the_list(client, make_talk):
    skills = Topic.objects.create(name="Skills")
    make_talk("About skills", start=utc(2023, 3, 1, 7, 30)).topics.add(skills)
    make_talk("About money", start=utc(2022, 3, 2, 7, 30))

    by_topic = client.get(reverse("talks:archive") + "?topic=skills").content.decode()
    by_year = client.get(reverse("talks:archive") + "?year=2022").content.decode()

    assert "About skills" in by_topic and "About money" not in by_topic
    assert "About money" in by_year and "About skills" not in by_year


def test_public_pages_are_cacheable_for_visitors(client, make_talk):
    talk = make_talk()
    response = client.get(talk.get_absolute_url())
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]
    assert response.has_header("ETag")


def _talks_with_speakers(full_talk, how_many):
    return [full_talk(start=utc(2022, 1, 5, 7, 30) + dt.timedelta(weeks=2 * i)) for i in range(how_many)]


@pytest.mark.parametrize("url_name", ["talks:archive", "talks:home", "people:people", "people:organisations"])
def test_list_pages_cost_the_same_queries_for_1_and_30_talks(client, full_talk, count_queries, url_name):
    _talks_with_speakers(full_talk, 1)
    with_one = count_queries(client.get, reverse(url_name))
    _talks_with_speakers(full_talk, 29)
    with_thirty = count_queries(client.get, reverse(url_name))
    assert with_one == with_thirty


def test_talk_page_costs_the_same_queries_whatever_the_number_of_speakers(
    client, full_talk, make_person, count_queries
):
    small, large = full_talk(), full_talk()
    for _ in range(12):
        person = make_person()
        person.honours.create(title="An honour", year=2020)
        Participation.objects.create(person=person, talk=large)
    assert count_queries(client.get, small.get_absolute_url()) == count_queries(
        client.get, large.get_absolute_url()
    )


def test_a_person_with_two_roles_is_listed_once_on_a_card(client, make_talk, make_person):
    talk = make_talk("Double role")
    person = make_person("Jan de Vries")
    Participation.objects.create(person=person, talk=talk, role="host", order=1)
    Participation.objects.create(person=person, talk=talk, role="moderator", order=2)
    html = client.get(reverse("talks:archive")).content.decode()
    assert html.count("Jan de Vries") == 1 + html.count('<option value="jan-de-vries"')


def test_the_archive_offers_each_year_with_talks_and_marks_the_chosen_one(client, make_talk):
    make_talk("Old one", start=utc(2021, 5, 5, 7, 30))
    make_talk("New one", start=utc(2024, 5, 5, 7, 30))
    html = client.get(reverse("talks:archive") + "?year=2021").content.decode()
    assert '<option value="2021" selected>2021</option>' in html
    assert '<option value="2024">2024</option>' in html and '<option value="2022">' not in html
    assert "Old one" in html and "New one" not in html
