"""From ranked document ids to the results a visitor reads: fusion of the full-text and the
semantic rankings, grouping by talk, identical takeaways collapsed, snippets with the matched
words marked. The same for both engines (plain SQL on the document table, Python for the rest)."""

import re
import unicodedata

from django.db import connection

from .engine import DOCUMENTS, MARK_END, MARK_START, SNIPPET_WORDS, Hit, render_snippet
from .query import Query

RRF_K = 60  # reciprocal-rank fusion: score = sum of 1 / (RRF_K + rank) over the rankings
SEMANTIC_SPREAD = 0.045  # keep semantic hits within this cosine of the best one
SEMANTIC_FLOOR = 0.80  # and above this (multilingual-e5 places unrelated text near 0.75)
MAX_CHILDREN = 3
TOKEN = re.compile(r"[^\W_]+")


def semantic_ids(text: str, query: Query, where_sql: str, where_params: list) -> list[int]:
    """Documents near the query in meaning that pass the filters and visibility, best first.
    Not used for a query with exclusions (-word): meaning cannot promise their absence."""
    from . import semantic

    if query.excluded or not semantic.enabled():
        return []
    found = semantic.nearest(text)
    if not found:
        return []
    best = found[0][1]
    kept = [pk for pk, score in found if score >= max(SEMANTIC_FLOOR, best - SEMANTIC_SPREAD)]
    if not kept:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id FROM {DOCUMENTS} AS d WHERE d.id IN ({', '.join(['%s'] * len(kept))}){where_sql}",
            kept + where_params,
        )
        allowed = {row[0] for row in cursor.fetchall()}
    return [pk for pk in kept if pk in allowed]


def fuse(rankings: list[list[int]]) -> list[int]:
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, pk in enumerate(ranking, start=1):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(scores, key=lambda pk: (-scores[pk], pk))


def fold(text: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(TOKEN.findall(bare.casefold()))


def group(ids: list[int]) -> list[list[int]]:
    """Ids grouped by talk in rank order (a talk's own document leads its group); a takeaway
    with the same text as one already listed is left out."""
    if not ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, kind, talk_id, CASE WHEN kind = 'takeaway' THEN body ELSE '' END FROM {DOCUMENTS} "
            f"WHERE id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        meta = {row[0]: row[1:] for row in cursor.fetchall()}
    groups: dict[object, list[int]] = {}
    seen_takeaways: set[str] = set()
    for pk in ids:
        if pk not in meta:
            continue
        kind, talk_id, text = meta[pk]
        if kind == "takeaway":
            key = fold(text)
            if key in seen_takeaways:
                continue
            seen_takeaways.add(key)
        groups.setdefault(talk_id or ("doc", pk), []).append(pk)
    ordered = []
    for members in groups.values():
        talk_doc = [pk for pk in members if meta[pk][0] == "talk"]
        ordered.append(talk_doc + [pk for pk in members if pk not in talk_doc])
    return ordered


def hits_for(groups: list[list[int]], query: Query) -> list[Hit]:
    """The page's hits (a group's first document, with up to MAX_CHILDREN others under it)."""
    wanted = [pk for members in groups for pk in members[: 1 + MAX_CHILDREN]]
    if not wanted:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, kind, url, heading, talk_id, title, body FROM {DOCUMENTS} "
            f"WHERE id IN ({', '.join(['%s'] * len(wanted))})",
            wanted,
        )
        rows = {row[0]: row for row in cursor.fetchall()}
    words = query.words()
    hits = []
    for members in groups:
        made = [make_hit(rows[pk], words) for pk in members[: 1 + MAX_CHILDREN] if pk in rows]
        if made:
            made[0].children = made[1:]
            hits.append(made[0])
    return hits


def make_hit(row, words: set[str]) -> Hit:
    pk, kind, url, heading, talk_id, title, body = row
    text = body
    if kind == "talk":  # what the talk is about: its description, not the list of its people
        text = (body or "").split("\n", 1)[0] or title
    return Hit(id=pk, kind=kind, url=url, heading=heading, talk_id=talk_id,
               snippet=render_snippet(snippet(text or "", words)))


def stem(word: str) -> str:
    return word if len(word) < 5 else word[: max(4, len(word) - 3)]


def snippet(text: str, words: set[str], length: int = SNIPPET_WORDS) -> str:
    """About `length` words of `text` around the most matched words, those marked."""
    tokens = text.split()
    if not tokens:
        return ""
    folded = {fold(word) for word in words if word}
    stems = {stem(word) for word in folded if len(word) >= 4}
    exact = {word for word in folded if len(word) < 4}

    def matches(token: str) -> bool:
        key = fold(token)
        return key in exact or any(key.startswith(s) for s in stems)

    marked = [matches(token) for token in tokens]
    start = 0
    if any(marked):
        best = -1
        for position in range(0, max(1, len(tokens) - length + 1)):
            score = sum(marked[position:position + length])
            if score > best:
                best, start = score, position
            if position > 400:  # long passages: the first windows are enough
                break
        start = max(0, min(start, len(tokens) - length))
    window = []
    for token, hit in zip(tokens[start:start + length], marked[start:start + length], strict=True):
        window.append(f"{MARK_START}{token}{MARK_END}" if hit else token)
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + length < len(tokens) else ""
    return prefix + " ".join(window) + suffix
