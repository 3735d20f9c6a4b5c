"""The home page that invites, the cards' states and compact dates, the header and the
archive's Filter disclosure (server side; tests/browser/test_look.py checks the layout)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clustertalks.branding.models import Identity
from clustertalks.materials.models import Recording, TalkSummary
from clustertalks.talks.models import Talk, Topic

HOME_QUERIES = 10  # measured with 4 and with 34 talks: the same


def future(days):
    return timezone.now() + dt.timedelta(days=days)


@pytest.fixture
def programme(make_talk, series):
    Identity.objects.create(series=series, introduction="The **meeting point** of clusters.")
    skills = Topic.objects.create(name="Skills")
    money = Topic.objects.create(name="Funding")
    next_talk = make_talk("Next: cluster skills", start=future(3))
    later = make_talk("Later: funding", start=future(17))
    held = make_talk("Held: green clusters", start=timezone.now() - dt.timedelta(days=20))
    cancelled = make_talk("Called off: supply chains", start=timezone.now() - dt.timedelta(days=6),
                          status=Talk.Status.CANCELLED)
    for talk in (next_talk, held, cancelled):
        talk.topics.add(skills)
    later.topics.add(money)
    return {"next": next_talk, "later": later, "held": held, "cancelled": cancelled}


def test_home_opens_on_the_introduction_and_the_next_talk_with_register(client, programme):
    html = client.get("/").content.decode()
    hero = html[html.index('class="hero"'):html.index("</section>")]
    assert "<strong>meeting point</strong>" in hero
    assert "Next: cluster skills" in hero
    assert reverse("registrations:register", args=[programme["next"].slug]) in hero
    assert ">Register<" in hero
    assert html.index("Upcoming talks") < html.index("Recently held") < html.index('id="topics-heading"')
    assert "Later: funding" in html and "Held: green clusters" in html


def test_home_lists_topics_with_their_counts_and_how_to_follow(client, programme):
    html = client.get("/").content.decode()
    topics = html[html.index('class="topic-chips"'):]
    assert re.search(r"Skills <span[^>]*>3 talks</span>", topics)
    assert re.search(r"Funding <span[^>]*>1 talk</span>", topics)
    assert reverse("feeds:all_ics") in html and reverse("feeds:all_talks_rss") in html
    assert reverse("newsletter:signup") in html


def test_cards_say_their_state_in_words_and_give_one_compact_date(client, programme):
    html = client.get("/").content.decode()
    for state, word in (("upcoming", "Upcoming"), ("held", "Held"), ("cancelled", "Cancelled")):
        assert f'card--{state}' in html and f'<span class="state state--{state}">{word}</span>' in html
    card = html[html.index('<article class="card card--held'):]
    card = card[:card.index("</article>")]
    assert card.count("<time") == 1 and "visitor-time" not in card and "Your time" not in card
    assert re.search(r"\w{3},? \d{1,2} \w{3} \d{4} · \d\d:\d\d–\d\d:\d\d", card)


def test_live_talk_is_marked_live(client, make_talk):
    make_talk("On air now", start=timezone.now() - dt.timedelta(minutes=10))
    assert '<span class="state state--live">Live now</span>' in client.get(reverse("talks:archive")).content.decode()


def test_recordings_on_the_home_page_are_a_grid_of_thumbnails(client, programme):
    Recording.objects.create(talk=programme["held"], url="https://video.example/watch/1")
    TalkSummary.objects.create(talk=programme["held"], materials_published_at=timezone.now())
    html = client.get("/").content.decode()
    section = html[html.index('id="recordings-heading"'):]
    section = section[:section.index("</section>")]
    assert '<ul class="cards recordings">' in section  # a list without bullets, on the grid
    assert 'recording-card__poster recording-card__poster--none" aria-hidden="true"' in section


def test_home_costs_a_fixed_number_of_queries(client, programme, make_talk, count_queries):
    few = count_queries(client.get, "/")
    topic = Topic.objects.create(name="Technologies")
    for day in range(30):
        talk = make_talk(f"More {day}", start=future(30 + day) if day % 2 else timezone.now() - dt.timedelta(days=40 + day))
        talk.topics.add(topic)
    many = count_queries(client.get, "/")
    assert few == many <= HOME_QUERIES


def test_header_has_a_labelled_search_a_menu_button_and_room_for_tools(client, db):
    html = client.get("/").content.decode()
    assert '<label for="site-search-q" class="site-search__label">Search</label>' in html
    assert 'class="menu-toggle" aria-expanded="false" aria-controls="site-nav" hidden' in html
    assert 'class="site-header__tools"' in html
    assert ">Organisations<" in html


def test_archive_filters_sit_behind_a_filter_disclosure(client, programme):
    closed = client.get(reverse("talks:archive")).content.decode()
    assert re.search(r'<details class="filter-disclosure" data-open-wide>\s*<summary', closed)
    assert closed.index("<details") < closed.index('class="result-count"')
    opened = client.get(reverse("talks:archive") + "?year=2020").content.decode()
    assert '<details class="filter-disclosure" data-open-wide open>' in opened


def test_talk_page_puts_registration_before_the_facts(client, programme):
    html = client.get(programme["next"].get_absolute_url()).content.decode()
    assert html.index('class="registration-panel"') < html.index('class="facts"')
    assert 'class="state state--upcoming"' in html
