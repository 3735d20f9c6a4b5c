"""The abstract's excerpt reads the same everywhere: 'R&D' stays 'R&D' (escaped exactly once by
each output) and Markdown lists keep their items apart in calendar descriptions."""

import html
import re

import feedparser
from django.urls import reverse
from icalendar import Calendar

from clustertalks.feeds.text import excerpt

from .test_structured_data import event_of, meta, page_html

ABSTRACT = "Research & Development in *clusters* <b>now</b>.\n\n- first item\n- second item\n"


def test_excerpt_is_plain_text_never_entities():
    assert excerpt("Research & Development") == "Research & Development"
    assert excerpt("Tom & Jerry's \"labs\" <3") == 'Tom & Jerry\'s "labs" <3'
    assert excerpt("**Bold** and `code` and [a link](https://x.org)") == "Bold and code and a link"


def test_excerpt_keeps_list_items_on_lines_when_asked():
    text = "Intro.\n\n- one\n- two\n\n1. first\n2. second\n"
    assert excerpt(text, 500, keep_lines=True) == "Intro.\n• one\n• two\n1. first\n2. second"
    assert excerpt(text, 500) == "Intro. • one • two 1. first 2. second"


def test_excerpt_cuts_at_a_word_and_drops_control_characters():
    assert excerpt("alpha beta gamma delta", 12) == "alpha beta…"
    assert excerpt("bad\x00\x07 text") == "bad text"
    assert len(excerpt("x" * 5000, 200)) <= 200


def test_meta_and_open_graph_descriptions_escape_once(client, make_talk):
    talk = make_talk(abstract=ABSTRACT)
    page = page_html(client, talk)
    for key in ("description", "og:description"):
        raw = meta(page, key)
        assert "&amp;amp;" not in raw
        assert html.unescape(raw).startswith("Research & Development in clusters <b>now</b>.")


def test_json_ld_description_is_plain(client, make_talk):
    talk = make_talk(abstract=ABSTRACT)
    assert event_of(client, talk)["description"].startswith("Research & Development in clusters")


def test_calendar_description_is_plain_and_keeps_list_lines(client, make_talk):
    talk = make_talk(abstract=ABSTRACT)
    response = client.get(reverse("feeds:talk_ics", args=[talk.slug]))
    event = next(iter(Calendar.from_ical(response.content).walk("VEVENT")))
    description = str(event["DESCRIPTION"])
    assert "Research & Development in clusters <b>now</b>." in description
    assert "&amp;" not in description
    assert "• first item\n• second item" in description


def test_rss_description_is_escaped_once(client, make_talk):
    make_talk(abstract=ABSTRACT)
    response = client.get(reverse("feeds:all_talks_rss"))
    assert b"&amp;amp;" not in response.content
    entry = feedparser.parse(response.content).entries[0]
    assert "Research & Development" in html.unescape(entry.description)
    assert not re.search(r"&amp;\w+;", entry.description)
