"""One search interface, two engines: SQLite FTS5 and PostgreSQL full-text search.

    get_engine().search(query, filters, page) -> Results

The engine is chosen by the database in use (`connection.vendor`). Both read the same table
(`SearchDocument`), rank a match in a title or a takeaway above one in slides, and above one in
a transcript, and return snippets with the matched words between markers that `render_snippet`
turns into <mark> elements after escaping everything else.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import SearchDocument
from .query import Query, Term, parse

PAGE_SIZE = 20
MAX_RESULTS = 1000  # counted up to this; deeper pages are not offered
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use characters, removed from indexed text
SNIPPET_WORDS = 24
# PostgreSQL: the text search configuration made by migration 0002 (English stems, unaccented).
PG_CONFIG = "clustertalks_search"
# SQLite: bm25 weights of the FTS5 columns (title, body of weight A, B, C, D), as PostgreSQL's
# default ts_rank weights (A 1.0, B 0.4, C 0.2, D 0.1) scaled by ten.
FTS_WEIGHTS = (10.0, 10.0, 4.0, 2.0, 1.0)
# Ranking every match of a word found in most of a million documents takes seconds on either
# engine, so each engine ranks candidates: the newest CANDIDATES matches among all documents,
# and the newest CANDIDATES matches in the strong tier (titles, takeaways, summaries, talks,
# people, organisations). Below CANDIDATES matches (most queries) the ranking is exact; above,
# a title or takeaway match is still never missed for a transcript one, only the oldest
# transcript and slide matches are left out. Newest means most recently indexed: after a
# `reindex`, talks are indexed from oldest to newest.
CANDIDATES = 1000
STRONG_COLUMNS = ("title", "body_a", "body_b")
STRONG_KINDS = ("talk", "takeaway", "summary", "person", "organisation")


@dataclass(frozen=True)
class Filters:
    """Narrowing choices, as ids; a talk filter leaves out people and organisations."""

    kind: str | None = None
    year: int | None = None
    topic_id: int | None = None
    event_type_id: int | None = None
    speaker_id: int | None = None


@dataclass
class Hit:
    id: int
    kind: str
    url: str
    heading: str
    talk_id: int | None
    snippet: SafeString
    talk: object = None  # filled in by the view, from one query for the whole page
    children: list = field(default_factory=list)  # other hits of the same talk, grouped under it

    @property
    def kind_label(self) -> str:
        return SearchDocument.Kind(self.kind).label


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    count: int = 0  # documents found, capped at MAX_RESULTS + 1
    page: int = 1
    searched: bool = True  # False when the text held no word to look for
    group_count: int | None = None  # results once grouped by talk (pages are of groups)

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1

    @property
    def count_is_capped(self) -> bool:
        return self.count > MAX_RESULTS

    @property
    def shown_count(self) -> int:
        return min(self.count, MAX_RESULTS)

    @property
    def page_count(self) -> int:
        shown = self.shown_count if self.group_count is None else min(self.group_count, MAX_RESULTS)
        return max(1, -(-shown // PAGE_SIZE))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.page_count

    # The names of Django's Page, for the shared pagination template.
    @property
    def number(self) -> int:
        return self.page

    @property
    def has_other_pages(self) -> bool:
        return self.page_count > 1

    @property
    def previous_page_number(self) -> int:
        return self.page - 1

    @property
    def next_page_number(self) -> int:
        return self.page + 1

    @property
    def paginator(self):
        return self

    @property
    def num_pages(self) -> int:
        return self.page_count


def render_snippet(text: str) -> SafeString:
    """Escape everything, then turn the engine's markers (and only them) into <mark>."""
    safe = escape(text or "")
    opened = safe.count(MARK_START)
    safe = safe.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    if opened != text.count(MARK_END):  # never leave a tag open
        safe = safe.replace("<mark>", "").replace("</mark>", "")
    return mark_safe(safe)


def clean_text(text: str) -> str:
    """Indexed text without the snippet markers, so a document cannot fake a highlight."""
    return (text or "").replace(MARK_START, "").replace(MARK_END, "").replace("\x00", "")


class Engine:
    vendor = ""

    def search(self, query: str | Query, filters: Filters = Filters(), page: int = 1) -> Results:
        """Documents with all the words first, then those with some of them (more and rarer words
        first), fused with the documents closest in meaning (reciprocal-rank fusion); grouped by
        talk, identical takeaways collapsed, snippets for the page's hits only."""
        from . import results as shaping
        from .expand import expand

        raw = query if isinstance(query, str) else ""
        parsed = parse(query) if isinstance(query, str) else query
        page = min(max(int(page or 1), 1), MAX_RESULTS // PAGE_SIZE)
        if not parsed:
            return Results(page=page, searched=False)
        expanded = expand(parsed, raw)
        where_sql, where_params = filter_sql(filters)
        depth = min(MAX_RESULTS, (page + 1) * PAGE_SIZE * 3)
        match_sql, match_params = self.match(expanded)
        lexical = self.ranked(match_sql, match_params, where_sql, where_params, depth)
        count = self.count(match_sql, match_params, where_sql, where_params)
        any_query = expanded.any_of()
        if any_query is not None:
            any_sql, any_params = self.match(any_query)
            seen = set(lexical)
            lexical += [pk for pk in self.ranked(any_sql, any_params, where_sql, where_params, depth) if pk not in seen]
            count = max(count, self.count(any_sql, any_params, where_sql, where_params))
        semantic = shaping.semantic_ids(raw or parsed.text(), parsed, where_sql, where_params)
        fused = shaping.fuse([lexical, semantic])[:depth]
        count = min(MAX_RESULTS + 1, count + len(set(semantic) - set(lexical)))
        groups = shaping.group(fused)
        page = min(page, max(1, -(-min(len(groups), MAX_RESULTS) // PAGE_SIZE)))
        shown = groups[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
        hits = shaping.hits_for(shown, expanded)
        return Results(hits=hits, count=max(count, len(groups)), page=page, group_count=len(groups))

    def match(self, query: Query) -> tuple[str, list]:
        raise NotImplementedError

    def count(self, match_sql, match_params, where_sql, where_params) -> int:
        raise NotImplementedError

    def rows(self, match_sql, match_params, where_sql, where_params, offset: int) -> list:
        raise NotImplementedError


def visibility_conditions() -> list[str]:
    """Checked at query time too, so that a change made without signals (a bulk update) can
    never show a draft talk or unpublished materials: the index may lag, visibility may not."""
    from clustertalks.materials.models import TalkSummary
    from clustertalks.talks.models import Talk

    talks, summaries = Talk._meta.db_table, TalkSummary._meta.db_table
    outside_materials = ", ".join(f"'{kind}'" for kind in ("talk", "person", "organisation"))
    return [
        f"(d.talk_id IS NULL OR d.talk_id IN (SELECT id FROM {talks} WHERE status <> 'draft'))",
        f"(d.kind IN ({outside_materials}) OR d.talk_id IN "
        f"(SELECT talk_id FROM {summaries} WHERE materials_published_at IS NOT NULL))",
    ]


def filter_sql(filters: Filters) -> tuple[str, list]:
    """SQL conditions on the document table `d` (the same for both engines)."""
    from clustertalks.people.models import Participation
    from clustertalks.talks.models import Talk

    topics_table = Talk.topics.through._meta.db_table
    parts_table = Participation._meta.db_table
    conditions, params = visibility_conditions(), []
    if filters.kind:
        conditions.append("d.kind = %s")
        params.append(filters.kind)
    if filters.year:
        conditions.append("d.year = %s")
        params.append(filters.year)
    if filters.event_type_id:
        conditions.append("d.event_type_id = %s")
        params.append(filters.event_type_id)
    if filters.topic_id:
        conditions.append(f"d.talk_id IN (SELECT talk_id FROM {topics_table} WHERE topic_id = %s)")
        params.append(filters.topic_id)
    if filters.speaker_id:
        conditions.append(
            f"(d.talk_id IN (SELECT talk_id FROM {parts_table} WHERE person_id = %s)"
            " OR (d.kind = 'person' AND d.object_id = %s))"
        )
        params += [filters.speaker_id, filters.speaker_id]
    return "".join(f" AND {condition}" for condition in conditions), params


DOCUMENTS = SearchDocument._meta.db_table


class SQLiteEngine(Engine):
    """FTS5: porter-stemmed unicode61 tokens with diacritics removed, prefix indexes of 2, 3
    and 4 characters, bm25 with column weights, snippet() for the excerpt."""

    vendor = "sqlite"

    def match(self, query: Query) -> tuple[str, list]:
        expression = " AND ".join(
            "(" + " OR ".join(fts_term(term) for term in group) + ")" for group in query.groups
        )
        for term in query.excluded:
            expression = f"({expression}) NOT {fts_term(term)}"
        return "search_fts MATCH %s", [expression]

    def count(self, match_sql, match_params, where_sql, where_params) -> int:
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM search_fts JOIN {DOCUMENTS} AS d "
            f"ON d.id = search_fts.rowid WHERE {match_sql}{where_sql} LIMIT {MAX_RESULTS + 1})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, match_params + where_params)
            return cursor.fetchone()[0]

    def ranked(self, match_sql, match_params, where_sql, where_params, limit: int) -> list[int]:
        """The ids of the best `limit` documents among the candidates (see CANDIDATES)."""
        weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
        strong_params = [f"{{{' '.join(STRONG_COLUMNS)}}} : ({match_params[0]})"]

        def tier(params):
            return (
                f"SELECT search_fts.rowid AS id, bm25(search_fts, {weights}) AS score "
                f"FROM search_fts JOIN {DOCUMENTS} AS d ON d.id = search_fts.rowid "
                f"WHERE {match_sql}{where_sql} ORDER BY search_fts.rowid DESC LIMIT {CANDIDATES}"
            ), params + where_params

        general_sql, general_params = tier(match_params)
        strong_sql, strong_params = tier(strong_params)
        sql = (
            f"SELECT id, min(score) AS best FROM (SELECT * FROM ({general_sql}) "
            f"UNION ALL SELECT * FROM ({strong_sql})) GROUP BY id "
            f"ORDER BY best, id LIMIT {int(limit)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, general_params + strong_params)
            return [row[0] for row in cursor.fetchall()]


def fts_term(term: Term) -> str:
    """A term as an FTS5 string: only letters and digits inside double quotes, so no operator,
    column filter or NEAR( can come from the visitor."""
    text = '"' + " ".join(term.words) + '"'
    return text + "*" if term.prefix else text


class PostgresEngine(Engine):
    """websearch_to_tsquery over a weighted tsvector (GIN index), ts_rank and ts_headline; an
    unaccenting English configuration on both sides. Prefix terms (`clust*`) go through
    to_tsquery's `:*`, built from letters and digits only."""

    vendor = "postgresql"

    def match(self, query: Query) -> tuple[str, list]:
        # Prefix terms and synonyms' words need to_tsquery: websearch_to_tsquery has neither `:*`
        # nor a way to say "all these words" inside an OR (a synonym's phrase would miss
        # "medium-sized", which PostgreSQL indexes as three positions).
        web_groups = [group for group in query.groups if not any(t.prefix or t.loose for t in group)]
        prefix_groups = [group for group in query.groups if any(t.prefix or t.loose for t in group)]
        web = " ".join(
            " or ".join(pg_web_term(term) for term in group) for group in web_groups
        )
        web = " ".join([web] + ["-" + pg_web_term(term) for term in query.excluded]).strip()
        parts, params = [], []
        if web:
            parts.append(f"websearch_to_tsquery('{PG_CONFIG}', %s)")
            params.append(web)
        if prefix_groups:
            parts.append(f"to_tsquery('{PG_CONFIG}', %s)")
            params.append(
                " & ".join(
                    "(" + " | ".join(pg_tsquery_term(t) for t in group) + ")"
                    for group in prefix_groups
                )
            )
        return " && ".join(parts), params

    def count(self, match_sql, match_params, where_sql, where_params) -> int:
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {DOCUMENTS} AS d "
            f"WHERE d.vector @@ ({match_sql}){where_sql} LIMIT {MAX_RESULTS + 1}) AS found"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, match_params + where_params)
            return cursor.fetchone()[0]

    def ranked(self, match_sql, match_params, where_sql, where_params, limit: int) -> list[int]:
        """The ids of the best `limit` documents among the candidates (see CANDIDATES)."""
        strong = ", ".join(f"'{kind}'" for kind in STRONG_KINDS)
        # The tsquery is written out in each clause (not read from a CTE), so that the planner
        # sees a constant and estimates how many rows match: for a word in most documents it
        # then walks the newest rows instead of reading the whole GIN posting list.
        query = f"({match_sql})"
        sql = (
            f"WITH general AS (SELECT d.id FROM {DOCUMENTS} AS d WHERE d.vector @@ {query}{where_sql} "
            f"ORDER BY d.id DESC LIMIT {CANDIDATES}), "
            f"strong AS (SELECT d.id FROM {DOCUMENTS} AS d WHERE d.vector @@ {query} "
            f"AND d.kind IN ({strong}){where_sql} ORDER BY d.id DESC LIMIT {CANDIDATES}), "
            "candidates AS (SELECT id FROM general UNION SELECT id FROM strong) "
            f"SELECT d.id FROM candidates JOIN {DOCUMENTS} AS d ON d.id = candidates.id "
            f"ORDER BY ts_rank(d.vector, {query}, 1) DESC, d.id LIMIT {int(limit)}"
        )
        params = match_params + where_params + match_params + where_params + match_params
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]


def pg_web_term(term: Term) -> str:
    text = " ".join(term.words)
    return f'"{text}"' if term.is_phrase else text


def pg_tsquery_term(term: Term) -> str:
    """A to_tsquery operand from letters and digits only: 'word':* or a phrase (or, for a
    synonym's words, all of them)."""
    operand = (" & " if term.loose else " <-> ").join(f"'{word}'" for word in term.words)
    return f"{operand}:*" if term.prefix and not term.is_phrase else f"({operand})"


ENGINES = {"sqlite": SQLiteEngine, "postgresql": PostgresEngine}


def get_engine() -> Engine:
    try:
        return ENGINES[connection.vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"Search supports SQLite and PostgreSQL, not {connection.vendor}."
        ) from None
