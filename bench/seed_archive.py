"""Fill an empty database with an archive of N published talks, fast (bulk inserts).

    CLUSTERTALKS_VAR=... DATABASE_URL=... python bench/seed_archive.py 10000

Shapes like the real series: one series, 24 topics, 3 event types, a speaker pool that grows with
the archive (hundreds of talks for the most frequent speakers and organisations), 2 topics and
3 speakers per talk, a Markdown abstract, a few upcoming talks; then the search index (`reindex`
up to 1,000 talks; above, every talk in bulk with search.services.index_talks_in_bulk).
"""

import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from clustertalks.core.pagecache import bump_public_generation  # noqa: E402
from clustertalks.people.models import Organisation, Participation, Person  # noqa: E402
from clustertalks.talks.models import EventType, Series, Talk, Topic  # noqa: E402

INDEX_ALL_UP_TO = 1000
ABSTRACT = (
    "Clusters bring together **SMEs**, research and public authorities. In this talk we look at "
    "*skills*, the green and digital transitions and [European funding](https://example.org).\n\n"
    "- What works\n- What does not\n- What next\n"
)


def seed(count: int) -> None:
    with transaction.atomic():
        series = Series.objects.create(name="EU Clusters Talks", slug="eu-clusters-talks")
        topics = Topic.objects.bulk_create(Topic(name=f"Topic {n}", slug=f"topic-{n}") for n in range(24))
        types = EventType.objects.bulk_create(
            EventType(name=name, slug=name.lower()) for name in ("Webinar", "Panel", "Conference")
        )
        organisations = Organisation.objects.bulk_create(
            Organisation(name=f"Cluster {n}", slug=f"cluster-{n}") for n in range(max(10, count // 20))
        )
        people = Person.objects.bulk_create(
            Person(name=f"Speaker {n}", slug=f"speaker-{n}") for n in range(max(20, count // 3))
        )
        now = timezone.now().replace(microsecond=0)
        first = now - dt.timedelta(weeks=2 * (count - 8))
        talks = Talk.objects.bulk_create(
            Talk(
                series=series, title=f"Talk {n}: clusters, skills and the twin transition",
                slug=f"talk-{n}", status=Talk.Status.PUBLISHED, abstract=ABSTRACT,
                start=first + dt.timedelta(weeks=2 * n), end=first + dt.timedelta(weeks=2 * n, hours=1),
                event_type=types[n % 3],
            )
            for n in range(count)
        )
        through = Talk.topics.through
        through.objects.bulk_create(
            through(talk_id=talk.pk, topic_id=topics[(n + k) % 24].pk)
            for n, talk in enumerate(talks) for k in (0, 7)
        )
        Participation.objects.bulk_create(
            Participation(
                talk=talk, person=people[(n * 3 + k) % len(people)] if k else people[0],
                organisation=organisations[(n + k) % len(organisations)], order=k,
                position="Cluster manager",
            )
            for n, talk in enumerate(talks) for k in range(3)
        )
        bump_public_generation()


def main() -> None:
    count = int(sys.argv[1])
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if Talk.objects.exists():
        print("database already seeded")
        return
    started = time.perf_counter()
    seed(count)
    seeded = time.perf_counter()
    with transaction.atomic():  # one commit, not one per talk
        if count <= INDEX_ALL_UP_TO:
            call_command("reindex", verbosity=0)
        else:  # every talk, in bulk (chunks of 500 talks, one insert each)
            from clustertalks.search.services import index_talks_in_bulk

            index_talks_in_bulk(Talk.objects.order_by("-start").values_list("pk", flat=True))
    print(f"seeded {count} talks in {seeded - started:.1f}s, indexed in {time.perf_counter() - seeded:.1f}s")


if __name__ == "__main__":
    main()
