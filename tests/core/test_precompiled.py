"""Queries compiled once per process (core/precompiled.py) give exactly what Django's own
evaluation of the same queryset gives: the same SQL, the same rows, the same related objects
and annotations, for any value of the placeholder."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clustertalks.core.precompiled import Precompiled
from clustertalks.materials import selectors as materials
from clustertalks.people.models import Honour, Participation
from clustertalks.talks import selectors
from clustertalks.talks.models import AgendaItem, Talk, Topic
from tests.materials.conftest import add_materials, media_root  # noqa: F401 - fixtures


def fields(obj) -> dict:
    return {key: value for key, value in vars(obj).items() if not key.startswith("_")}


@pytest.fixture
def rich_talks(make_talk, make_person, add_materials):  # noqa: F811
    talks = []
    for n in range(2):
        talk = make_talk(f"Precompiled {n}")
        topic = Topic.objects.create(name=f"Topic {n}", slug=f"topic-{n}")
        talk.topics.add(topic)
        item = AgendaItem.objects.create(talk=talk, order=1, title="Keynote")
        for k in range(2):
            person = make_person()
            Honour.objects.create(person=person, title="Manager of the year", year=2001 + k)
            Participation.objects.create(talk=talk, person=person, order=k, agenda_item=item if k == 0 else None)
        add_materials(talk, recordings=2, attachments=2, takeaways=3)
        talks.append(talk)
    return talks


def test_same_sql_as_django_compiles_with_the_value_in_place(rich_talks):
    talk = rich_talks[1]
    queryset = selectors.talk_page_talks().filter(slug=talk.slug)
    expected = queryset.query.get_compiler(using="default").as_sql()
    compiled = selectors.TALK_PAGE_TALK.compiled()
    params = list(compiled.params)
    for index in compiled.slots:
        params[index] = talk.slug
    assert (compiled.sql, tuple(params)) == (expected[0], tuple(expected[1]))


def test_talk_page_is_what_the_talk_page_queryset_gives(rich_talks, django_assert_num_queries):
    for talk in rich_talks:  # the second run reuses the SQL compiled for the first
        expected = selectors.talk_page_queryset().get(slug=talk.slug)
        with django_assert_num_queries(2):
            found = selectors.talk_page(talk.slug)
        assert fields(found) == fields(expected)
        for relation in ("series", "event_type", "summary", "registration_policy"):
            assert getattr(found, relation, None) == getattr(expected, relation, None)
            if getattr(found, relation, None) is not None:
                assert fields(getattr(found, relation)) == fields(getattr(expected, relation))
        found_parts, expected_parts = list(found.participations.all()), list(expected.participations.all())
        assert [fields(p) for p in found_parts] == [fields(p) for p in expected_parts] and len(found_parts) == 2
        assert [fields(p.person) for p in found_parts] == [fields(p.person) for p in expected_parts]
        assert all(p.talk is found for p in found_parts)
    with django_assert_num_queries(1):
        assert selectors.talk_page("no-such-talk") is None


def test_materials_are_what_the_plain_querysets_give(rich_talks, django_assert_num_queries):
    from clustertalks.materials.models import Attachment, Takeaway

    for talk in rich_talks:
        with django_assert_num_queries(1):
            recordings = materials.talk_page_recordings(talk)
        expected = materials.recordings_of(talk, with_cues=False)
        assert [fields(r) for r in recordings] == [fields(r) for r in expected] and len(recordings) == 2
        assert [r.cue_count for r in recordings] == [3, 3] and all(r.has_captions for r in recordings)
        assert [fields(r.transcript) for r in recordings] == [fields(r.transcript) for r in expected]
        attachments = materials.TALK_ATTACHMENTS.fetch(talk_id=talk.pk)
        assert [fields(a) for a in attachments] == [fields(a) for a in materials.TALK_ATTACHMENTS.build(talk.pk)]
        assert [(a.speaker_name, a.speaker_slug) for a in attachments] == [
            (a.speaker.name, a.speaker.slug) for a in Attachment.objects.filter(talk=talk)]
        takeaways = materials.TALK_TAKEAWAYS.fetch(talk_id=talk.pk)
        assert [fields(t) for t in takeaways] == [fields(t) for t in materials.TALK_TAKEAWAYS.build(talk.pk)]
        assert [(t.pk, t.text, t.topic_name, t.topic_slug, t.person_name, t.person_slug) for t in takeaways] == [
            (t.pk, t.text, t.topic.name, t.topic.slug, t.person.name, t.person.slug) for t in Takeaway.objects.filter(talk=talk)]


def test_the_queryset_a_fetch_uses_never_leaves_and_the_template_stays_plain(rich_talks):
    query = Precompiled(lambda slug: Talk.objects.filter(slug=slug), slug="\x00slug\x00")
    assert [t.pk for t in query.fetch(slug=rich_talks[0].slug)] == [rich_talks[0].pk]
    assert "get_compiler" not in vars(query.template().query)
    with CaptureQueriesContext(connection) as queries:
        found = query.fetch("topics", slug=rich_talks[1].slug)
    assert [t.pk for t in found] == [rich_talks[1].pk] and len(queries) == 2
    assert [t.slug for t in found[0].topics.all()] == ["topic-1"]


def test_a_placeholder_missing_from_the_sql_is_refused(db):
    query = Precompiled(lambda slug: Talk.objects.filter(title="x"), slug="\x00slug\x00")
    with pytest.raises(ValueError, match="slug"):
        query.fetch(slug="a")


def test_values_list_rows_are_django_s_converted_values_and_a_list(make_talk):
    talks = [make_talk(f"Rows {n}") for n in range(2)]
    rows = Precompiled(lambda pk: Talk.objects.filter(pk=pk).order_by().values_list("title", "start", "end"),
                       pk=-1)
    for talk in talks:
        found = rows.rows(pk=talk.pk)
        assert found == list(Talk.objects.filter(pk=talk.pk).values_list("title", "start", "end"))
        assert found[0][1] == talk.start  # an aware datetime, converted as Django converts it
    assert rows.rows(pk=10**9) == []  # a list, so an empty answer is falsy
    with pytest.raises(ValueError):
        rows.fetch(pk=talks[0].pk)
    with pytest.raises(ValueError):
        Precompiled(lambda pk: Talk.objects.filter(pk=pk), pk=-1).rows(pk=talks[0].pk)
