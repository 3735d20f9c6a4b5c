"""Page render time and page-cache behaviour with languages off (English only) and on (the 24
EU languages offered, talks translated into French), on the demo series.

    .venv/bin/python bench/languages.py [--rounds 30]

For each page: queries and median/p95 render time without the page cache (languages off, on in
English, on in French), then with the page cache: the miss, the hit, and how many cache entries
a page takes once visited in N languages (one per language: an entry is never shared between
languages). Uses a throw-away SQLite database under a temporary var/.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("CLUSTERTALKS_VAR", tempfile.mkdtemp(prefix="ct-bench-"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from clustertalks.core import pagecache  # noqa: E402
from clustertalks.core.languages import EU_LANGUAGES  # noqa: E402
from clustertalks.talks.demo import load_demo  # noqa: E402
from clustertalks.talks.models import Talk, TalkTranslation  # noqa: E402

ENGLISH_ONLY = [("en", "English")]
ALL_24 = [(code, name) for code, name, _locale in EU_LANGUAGES]


def pages() -> dict[str, str]:
    talk = Talk.objects.published().order_by("-start").first()
    return {"home": "/", "talk": talk.get_absolute_url(), "archive": "/talks/",
            "series": talk.series.get_absolute_url(), "people": "/people/"}


def timed(client: Client, url: str, rounds: int) -> tuple[int, float, float]:
    executed = []
    with connection.execute_wrapper(lambda execute, *args: executed.append(1) or execute(*args)):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return len(executed), statistics.median(timings), statistics.quantiles(timings, n=20)[-1]


def prefixed(url: str, code: str) -> str:
    return url if code == "en" else f"/{code}{url}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    load_demo()
    for talk in Talk.objects.all():
        TalkTranslation.objects.create(talk=talk, language="fr", title=f"[fr] {talk.title}",
                                       abstract=f"[fr] {talk.abstract}")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    print(f"{Talk.objects.count()} talks (each translated into French); {rounds} rounds each\n")

    print("Without the page cache: queries, median and p95 ms")
    print(f"{'page':<10}{'languages off':>24}{'on, English':>24}{'on, French':>24}")
    with override_settings(PAGE_CACHE_ENABLED=False):
        rows = {}
        with override_settings(LANGUAGES=ENGLISH_ONLY):
            pagecache.prime()
            for name, url in pages().items():
                rows[name] = [timed(client, url, rounds)]
        with override_settings(LANGUAGES=ALL_24):
            pagecache.prime()
            for name, url in pages().items():
                rows[name].append(timed(client, url, rounds))
                rows[name].append(timed(client, prefixed(url, "fr"), rounds))
        for name, cells in rows.items():
            print(f"{name:<10}" + "".join(f"{q:>6}q {p50:>6.1f} {p95:>7.1f}   " for q, p50, p95 in cells))

    print("\nWith the page cache: miss and hit (ms), entries after visiting in N languages")
    print(f"{'page':<10}{'miss off':>10}{'hit off':>9}{'miss on':>9}{'hit on':>8}{'entries(24 langs)':>19}")
    with override_settings(PAGE_CACHE_ENABLED=True):
        for name, url in pages().items():
            cells = []
            for languages in (ENGLISH_ONLY, ALL_24):
                with override_settings(LANGUAGES=languages):
                    caches["pages"].clear()
                    pagecache.bump_now()
                    pagecache.prime()
                    started = time.perf_counter()
                    client.get(url)
                    miss = (time.perf_counter() - started) * 1000
                    hits = []
                    for _ in range(rounds):
                        started = time.perf_counter()
                        client.get(url)
                        hits.append((time.perf_counter() - started) * 1000)
                    cells += [miss, statistics.median(hits)]
            with override_settings(LANGUAGES=ALL_24):
                caches["pages"].clear()
                for code, _name in ALL_24:
                    client.get(prefixed(url, code))
                entries = sum("pagecache:page:" in key for key in getattr(caches["pages"], "_cache", {}))
            print(f"{name:<10}{cells[0]:>10.1f}{cells[1]:>9.2f}{cells[2]:>9.1f}{cells[3]:>8.2f}{entries:>19}")


if __name__ == "__main__":
    main()
