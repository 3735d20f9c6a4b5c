"""Demo materials: realistic, labelled, nothing invented for the real seed talks, idempotent."""

import datetime as dt
import io

from django.core.management import call_command
from django.db.models import Count

from clustertalks.materials.demo import load_materials_demo
from clustertalks.materials.models import (
    Attachment,
    Recording,
    Takeaway,
    TalkSummary,
    TranscriptCue,
)
from clustertalks.talks.demo import load_demo
from clustertalks.talks.models import Talk

NOW = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def snapshot():
    return [model.objects.count() for model in (TalkSummary, Takeaway, Recording, TranscriptCue, Attachment)]


def test_demo_materials_are_complete_labelled_and_idempotent(db, media_root):
    load_demo(now=NOW)
    counts = load_materials_demo()

    seeds = Talk.objects.filter(is_sample=False, summary__isnull=False)
    assert seeds.count() == 2
    for seed in seeds:
        assert not seed.recordings.exists() and not seed.attachments.exists()  # nothing invented
        assert 4 <= seed.takeaways.count() <= 8
        assert seed.takeaways.filter(person__isnull=False).exists()
    per_talk = Talk.objects.filter(is_sample=True).annotate(n=Count("takeaways")).filter(n__gt=0)
    assert per_talk.count() == counts["summaries_created"] - 2
    assert all(4 <= talk.n <= 8 for talk in per_talk)
    assert Takeaway.objects.values("kind").distinct().count() == len(Takeaway.Kind.choices)
    assert not Recording.objects.filter(talk__is_sample=False).exists()
    assert all("watch?v=SAMPLE" in url for url in Recording.objects.values_list("url", flat=True))
    transcripts = Recording.objects.filter(transcript__isnull=False).annotate(n=Count("transcript__cues"))
    assert transcripts.count() == 5 and all(30 <= r.n <= 60 for r in transcripts)
    slides = Attachment.objects.all()
    assert 3 <= slides.count() <= 8
    assert all(a.processing == "done" and a.page_count and a.thumbnail for a in slides)
    assert "Generated sample slides" in slides[0].pages.get(number=1).text
    assert not TalkSummary.objects.filter(materials_published_at__isnull=True).exists()
    before = snapshot()

    again = load_materials_demo()

    assert snapshot() == before
    assert again.get("summaries_created", 0) == 0 and again["summaries_existing"] == counts["summaries_created"]


def test_the_demo_command_loads_the_materials(db, media_root):
    out = io.StringIO()

    call_command("demo", "--no-sample", stdout=out)

    assert "Materials: 2 summaries" in out.getvalue()
    assert Takeaway.objects.filter(talk__is_sample=False).exists()
