"""The /search page: labelled, highlighted results; filters; pages; hostile input."""

import pytest
from django.urls import reverse

from clustertalks.people.models import Participation
from clustertalks.search.engine import PAGE_SIZE
from clustertalks.talks.models import EventType, Talk, Topic

from .hostile import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


def get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, params
    return response.content.decode()


def test_the_page_without_a_query_shows_the_form_and_no_results(client):
    html = get(client)
    assert 'name="q"' in html and "result" not in html.split("</form>")[-1].lower().split("<footer")[0]


def test_results_are_labelled_by_kind_highlighted_and_linked(client, make_talk, make_person, add_materials):
    talk = make_talk("Hydrogen valleys")
    Participation.objects.create(talk=talk, person=make_person("Hydrogen Hannah"))
    add_materials(talk, takeaways=[("policy", "Hydrogen needs a market")],
                  transcript=[(0, "hello"), (754, "hydrogen at scale")],
                  slides=["one", "hydrogen slide"])
    html = get(client, q="hydrogen")
    assert "5 results" in html
    for label in ("Talk", "Speaker", "Key takeaway", "Transcript", "Slide"):
        assert f'search-result__kind">{label}<' in html, label
    recording = talk.recordings.first()
    assert f'href="{talk.get_absolute_url()}recording/{recording.pk}/?t=754#cue-' in html
    assert "#page=2" in html
    assert "<mark>Hydrogen</mark>" in html or "<mark>hydrogen</mark>" in html
    assert html.count("search-result__subtitle") == 3  # the talk's other hits, grouped under it


def test_script_in_content_and_in_the_query_is_escaped(client, make_talk):
    make_talk("<script>alert('title')</script> robotics", abstract="robotics <script>alert('abstract')</script>")
    html = get(client, q="robotics")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;title&#x27;)" in html
    html = get(client, q="<script>alert(1)</script>")
    assert "<script>alert" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_fail(client, make_talk, query):
    make_talk("Cluster policy")
    response = client.get(URL, {"q": query})
    # The site turns away NUL characters in any address with a 400, before the search.
    assert response.status_code == (400 if "\x00" in query else 200)


def test_hostile_filters_and_pages_are_ignored(client, make_talk):
    make_talk("Cluster policy")
    for params in (
        {"q": "cluster", "page": "-1"}, {"q": "cluster", "page": "abc"}, {"q": "cluster", "page": "9" * 50},
        {"q": "cluster", "year": "1'; --"}, {"q": "cluster", "year": "99999"}, {"q": "cluster", "topic": "x" * 5000},
        {"q": "cluster", "speaker": "' OR 1=1 --"}, {"q": "cluster", "kind": "<b>"}, {"q": "cluster", "type": "nope"},
    ):
        assert "1 result" in get(client, **params), params


def test_an_empty_or_wordless_query_and_no_results_give_help(client, make_talk):
    make_talk("Cluster policy")
    assert "Type at least one word" in get(client, q='"" - * ()')
    html = get(client, q="zeppelin")
    assert "0 results" in html and "Check the spelling" in html


def test_filters_narrow_the_results(client, make_talk, utc):
    webinar = EventType.objects.create(name="Webinar")
    skills = Topic.objects.create(name="Skills")
    make_talk("Robotics old", start=utc(2022, 5, 4, 6, 30), event_type=webinar)
    new = make_talk("Robotics new", start=utc(2023, 5, 3, 6, 30))
    new.topics.add(skills)
    assert "Robotics old" not in get(client, q="robotics", year=2023)
    assert "Robotics old" not in get(client, q="robotics", topic=skills.slug)
    assert "Robotics new" not in get(client, q="robotics", type=webinar.slug)
    html = get(client, q="robotics", kind="talk", topic=skills.slug)
    assert "1 result" in html and "Clear filters" in html


@pytest.fixture
def utc():
    from tests.conftest import utc

    return utc


def test_pages_of_results(client, make_talk):
    for n in range(PAGE_SIZE + 3):
        make_talk(f"Timber talk {n}")
    first, second = get(client, q="timber"), get(client, q="timber", page=2)
    assert first.count('class="search-result ') == PAGE_SIZE and 'rel="next"' in first
    assert second.count('class="search-result ') == 3 and 'rel="prev"' in second
    assert f'start="{PAGE_SIZE + 1}"' in second


def test_drafts_are_not_found(client, make_talk):
    make_talk("Secret timber", status=Talk.Status.DRAFT)
    assert "Secret timber" not in get(client, q="timber")


def test_the_query_count_does_not_grow_with_the_results(client, make_talk, make_person, add_materials, count_queries):
    def one_talk(n):
        talk = make_talk(f"Timber talk {n}")
        Participation.objects.create(talk=talk, person=make_person(f"Timber person {n}"))
        add_materials(talk, takeaways=[("policy", "Timber rules")], transcript=[(0, "timber")])

    one_talk(0)
    client.get(URL, {"q": "timber"})  # warm: synonyms and spelling corrections are cached lookups
    few = count_queries(client.get, URL, {"q": "timber", "topic": "none", "speaker": "none"})
    for n in range(1, 6):
        one_talk(n)
    client.get(URL, {"q": "timber"})  # the writes started a new generation: warm its lookups again
    many = count_queries(client.get, URL, {"q": "timber", "topic": "none", "speaker": "none"})
    assert few == many


def test_the_header_search_box_points_here_on_every_page(client):
    html = client.get(reverse("talks:home")).content.decode()
    assert f'action="{URL}"' in html and 'role="search"' in html


def test_the_filters_offer_a_newly_published_talk_s_speaker_and_type_at_once(client, make_talk, make_person):
    """The filters' options are built once per content generation (search.selectors)."""
    webinar = EventType.objects.create(name="Webinar")
    Participation.objects.create(person=make_person("Ada Early"), talk=make_talk())
    page = client.get(reverse("search:search"), {"q": "talk"}).content.decode()
    assert option("ada-early") in page and option("webinar") not in page

    talk = make_talk(status=Talk.Status.DRAFT, event_type=webinar)
    Participation.objects.create(person=make_person("Bea Later"), talk=talk)
    assert option("bea-later") not in client.get(reverse("search:search"), {"q": "talk"}).content.decode()
    talk.status = Talk.Status.PUBLISHED
    talk.save()

    page = client.get(reverse("search:search"), {"q": "talk"}).content.decode()
    assert option("bea-later") in page and option("webinar") in page


def option(slug: str) -> str:
    return f'<option value="{slug}"'
