"""The home page's topics and the topics index are counted once per content generation
(talks.selectors.busiest_topics, topic_list): a published talk still shows in the counts at once."""

import re

from clustertalks.talks.models import Talk, Topic


def topic_count(html: str, name: str) -> int:
    found = re.search(rf"{name} <span class=\"topic-chips__count\">(\d+) talk", html)
    return int(found.group(1)) if found else 0


def test_publishing_a_talk_updates_the_home_page_s_topic_counts(client, make_talk):
    skills = Topic.objects.create(name="Skills")
    make_talk().topics.add(skills)
    assert topic_count(client.get("/").content.decode(), "Skills") == 1

    draft = make_talk(status=Talk.Status.DRAFT)
    draft.topics.add(skills)
    assert topic_count(client.get("/").content.decode(), "Skills") == 1  # a draft is not counted
    draft.status = Talk.Status.PUBLISHED
    draft.save()

    assert topic_count(client.get("/").content.decode(), "Skills") == 2


def test_a_new_topic_shows_in_the_topics_index_at_once(client, make_talk):
    make_talk().topics.add(Topic.objects.create(name="Skills"))
    assert "Hydrogen" not in client.get("/topics/").content.decode()
    make_talk().topics.add(Topic.objects.create(name="Hydrogen"))
    assert "Hydrogen" in client.get("/topics/").content.decode()
