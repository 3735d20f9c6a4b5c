"""Every listing has its own title (WCAG 2.4.2): page 2 and filtered views say what they are."""

import re

import pytest
from django.urls import reverse

from clustertalks.people.models import Participation
from clustertalks.talks.models import Topic

pytestmark = pytest.mark.django_db


def title_of(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).split(" · ")[0]


@pytest.fixture
def many_talks(make_talk, make_person):
    skills = Topic.objects.create(name="Skills")
    talks = [make_talk(f"Talk {n}") for n in range(22)]
    for talk in talks[:3]:
        talk.topics.add(skills)
    return skills


def test_archive_pages_and_filters_have_distinct_titles(client, many_talks):
    archive = reverse("talks:archive")
    titles = {
        url: title_of(client, url)
        for url in [archive, archive + "?page=2", archive + f"?topic={many_talks.slug}",
                    archive + "?year=2023", archive + "?q=Talk+1", archive + "?q=Talk&page=2"]
    }
    assert titles[archive] == "Talks"
    assert titles[archive + "?page=2"] == "Talks – page 2"
    assert titles[archive + f"?topic={many_talks.slug}"] == "Talks on Skills"
    assert titles[archive + "?year=2023"] == "Talks in 2023"
    assert titles[archive + "?q=Talk+1"] == "Talks matching “Talk 1”"
    assert titles[archive + "?q=Talk&page=2"] == "Talks matching “Talk” – page 2"
    assert len(set(titles.values())) == len(titles)


@pytest.mark.parametrize("query", ["?topic=<script>", "?year=99999", "?page=zzz", "?page=999"])
def test_wrong_filters_keep_a_plain_title(client, many_talks, query):
    title = title_of(client, reverse("talks:archive") + query)
    assert title in {"Talks", "Talks – page 2"}, title


def test_other_listings_number_their_pages(client, many_talks, make_person, make_talk):
    talk = make_talk("With many speakers")
    for n in range(49):  # 48 a page
        Participation.objects.create(talk=talk, person=make_person(name=f"Person {n:02}"))
    assert title_of(client, reverse("people:people") + "?page=2") == "Speakers – page 2"
    assert title_of(client, reverse("people:people")) == "Speakers"
    assert title_of(client, many_talks.get_absolute_url()) == "Skills"


def test_the_searched_words_in_the_title_are_escaped_and_shortened(client, many_talks):
    response = client.get(reverse("talks:archive"), {"q": "<script>alert(1)</script>" + "x" * 500})
    html = response.content.decode()
    assert response.status_code == 200 and "<script>alert(1)" not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.startswith("Talks matching “&lt;script&gt;") and len(title) < 200
