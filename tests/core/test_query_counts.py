"""Each public page type costs a fixed number of queries on a cold cache, whatever the size of
the archive, and a warm hit costs none (issue 9). The archives are bulk-built so that page 50
of the archive exists (20 talks a page)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clustertalks.core import pagecache
from clustertalks.people.models import Honour, Organisation, Participation, Person
from clustertalks.talks.models import AgendaItem, Series, Talk, Topic
from tests.materials.conftest import add_materials, media_root  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

START = dt.datetime(2000, 1, 5, 7, 30, tzinfo=dt.UTC)


def build_archive(count: int, offset: int = 0) -> None:
    """`count` published talks, each with 2 topics, an agenda item and 3 speakers from a pool
    (so the frequent speakers, organisations and topics have hundreds of talks)."""
    series = Series.objects.get_or_create(slug="eu-clusters-talks", defaults={"name": "EU Clusters Talks"})[0]
    topics = [Topic.objects.get_or_create(slug=f"topic-{n}", defaults={"name": f"Topic {n}"})[0] for n in range(6)]
    orgs = [Organisation.objects.get_or_create(slug=f"org-{n}", defaults={"name": f"Org {n}"})[0] for n in range(5)]
    people = [Person.objects.get_or_create(slug=f"person-{n}", defaults={"name": f"Person {n}"})[0] for n in range(9)]
    for person in people:
        Honour.objects.get_or_create(person=person, title="Cluster Manager of the Year", year=2001)
    talks = Talk.objects.bulk_create(
        Talk(series=series, title=f"Archive talk {n}", slug=f"archive-talk-{n}", status=Talk.Status.PUBLISHED,
             abstract="About **clusters**.", start=START + dt.timedelta(days=n), end=START + dt.timedelta(days=n, hours=1))
        for n in range(offset, offset + count)
    )
    Talk.topics.through.objects.bulk_create(
        Talk.topics.through(talk_id=talk.pk, topic_id=topics[(i + k) % 6].pk) for i, talk in enumerate(talks) for k in (0, 1)
    )
    items = AgendaItem.objects.bulk_create(AgendaItem(talk=talk, order=1, title="Keynote") for talk in talks)
    Participation.objects.bulk_create(
        Participation(talk=talk, person=people[(i + k) % 9], organisation=orgs[(i + k) % 5], order=k,
                      agenda_item=item if k == 0 else None)
        for i, (talk, item) in enumerate(zip(talks, items, strict=True)) for k in range(3)
    )
    pagecache.bump_public_generation()


def pages() -> dict[str, str]:
    talk = Talk.objects.order_by("-start").first()
    return {
        "home": reverse("talks:home"),
        "talk": talk.get_absolute_url(),
        "archive p1": reverse("talks:archive"),
        "archive p50": reverse("talks:archive") + "?page=50",
        "topic": Topic.objects.get(slug="topic-0").get_absolute_url(),
        "topic p10": Topic.objects.get(slug="topic-0").get_absolute_url() + "?page=10",
        "person": Person.objects.get(slug="person-0").get_absolute_url(),
        "organisation": Organisation.objects.get(slug="org-0").get_absolute_url(),
    }


def cold_counts(client) -> dict[str, int]:
    counts = {}
    for name, url in pages().items():
        from django.core.cache import caches

        caches["pages"].clear()
        pagecache.prime()  # the next-state-change lookup, once per content generation
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (name, url)
        counts[name] = len(ctx.captured_queries)
    return counts


# The fixed cost of each page type on a cache miss (cold page cache, warm process).
# The archive's 12: count, talks, topics, speakers, plus its filter options (years in two, topics, types,
# audiences, series, people, organisations); the talk page's 2: the talk with everything folded
# in, its speakers with their honours (materials add 3, see the test below).
# The home page: next and upcoming talks, recent recordings, held talks, their topics and
# speakers, topics with counts and the series that introduces the site.
EXPECTED = {
    "home": 7, "talk": 2, "archive p1": 12, "archive p50": 12, "topic": 6, "topic p10": 6,
    "person": 6, "organisation": 8,
}


def test_each_page_type_costs_fixed_queries_whatever_the_archive_size(client):
    build_archive(1000)
    small = cold_counts(client)
    build_archive(400, offset=1000)
    large = cold_counts(client)
    assert small == large == EXPECTED


def test_talk_page_with_all_materials_costs_at_most_6_queries_and_a_warm_hit_none(client, full_talk, add_materials):
    talk = add_materials(full_talk(), recordings=2, attachments=3, takeaways=6, cues=20)
    pagecache.prime()
    with CaptureQueriesContext(connection) as cold:
        response = client.get(talk.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200 and "Takeaway 5" in html and "Slides 2" in html and "Keynote" in html
    assert "Cluster Manager of the Year" in html and "Skills" in html  # folded honours and topics
    assert len(cold.captured_queries) <= 6
    with CaptureQueriesContext(connection) as warm:
        again = client.get(talk.get_absolute_url())
    assert again.content == response.content and len(warm.captured_queries) == 0


@pytest.mark.parametrize("name", ["home", "archive p1", "archive p50", "topic", "person", "organisation"])
def test_a_warm_hit_costs_no_query(client, name):
    build_archive(1000)
    url = pages()[name]
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert len(warm.captured_queries) == 0
