"""Indexing many talks at once (seeding, whole-archive imports) makes the same documents as
indexing them one by one, with a number of queries that does not grow with each talk."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from clustertalks.search.models import SearchDocument
from clustertalks.search.services import index_talk, index_talks_in_bulk
from clustertalks.talks.models import Talk


def documents():
    return sorted(SearchDocument.objects.values_list("talk_id", "kind", "title", "body"))


def test_bulk_indexing_makes_the_same_documents_as_one_by_one(full_talk, make_talk):
    talks = [full_talk() for _ in range(4)] + [make_talk(status=Talk.Status.DRAFT)]
    ids = [talk.pk for talk in talks]
    SearchDocument.objects.all().delete()
    for talk_id in ids:
        index_talk(talk_id)
    one_by_one = documents()
    SearchDocument.objects.all().delete()
    made = index_talks_in_bulk(ids)
    assert documents() == one_by_one and made == len(one_by_one) > 0
    assert not SearchDocument.objects.filter(talk_id=talks[-1].pk).exists()  # drafts stay out


def test_bulk_indexing_costs_queries_per_chunk_not_per_talk(full_talk):
    few = [full_talk().pk for _ in range(2)]
    many = few + [full_talk().pk for _ in range(8)]
    counts = []
    for ids in (few, many):
        with CaptureQueriesContext(connection) as ctx:
            index_talks_in_bulk(ids)
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
