"""Relevance on the demo archive: for each query, the talk a person means is in the top 3.

Runs on the database in use: SQLite (FTS5) by default, PostgreSQL with DATABASE_URL set.
Talk-level results count for their own talk; a takeaway, slide or transcript hit counts for the
talk it belongs to; a person or organisation hit counts for no talk."""

import datetime as dt

import pytest

from clustertalks.search.engine import get_engine
from clustertalks.talks.demo import load_demo
from clustertalks.talks.models import Talk

CONFERENCE = "European Cluster Conference: Results and visions for the future of clusters"
RECAP = "EU Clusters Talks Special: Recap on key policies and takeaways"

# (query, title of the talk that must be among the first three talks found)
CASES = [
    # titles, in the words a visitor remembers
    ("cluster conference prague", CONFERENCE),
    ("future of clusters", CONFERENCE),
    ("recap key policies", RECAP),
    ("hydrogen valleys", "Hydrogen valleys and the role of clusters"),
    ("digital product passport", "Digital product passports: what clusters need to know"),
    ("micro-credentials", "Micro-credentials for industry"),
    ("quantum", "Quantum technologies: a primer for clusters"),
    ("cascade funding", "Cascade funding explained for SMEs"),
    ("chip shortage", "Chip shortages and the cluster response"),
    ("critical raw materials", "Critical raw materials: securing supply for SMEs"),
    ("reskilling automotive", "Reskilling workers in the automotive ecosystem"),
    ('"twin transition"', "Clusters as drivers of the twin transition"),
    ("nearshor*", "Nearshoring and reshoring: opportunities for European suppliers"),
    ("carbon footprint value chain", "Measuring the carbon footprint of a value chain"),
    # people and organisations of the seed talks, with and without their accents
    ("Przeor", CONFERENCE),
    ("Sermuksnyte-Alesiuniene", CONFERENCE),
    ("Veerle de Graef", CONFERENCE),
    ("Council of European BioRegions", CONFERENCE),
    ("Lightmirror", RECAP),
    ("Antonowicz", RECAP),
    ("Polish Agency for Enterprise Development", RECAP),
    ("Distretto Aerospaziale Piemonte", RECAP),
    # abstract sentences
    ("European Cluster Manager of the Year", CONFERENCE),
    ("nearly 50 EU Clusters Talks", RECAP),
    # takeaways, slides and transcripts (made below)
    ("euroclusters cross-border", CONFERENCE),
    ("single market emergency instrument", RECAP),
    ("repair cafés", "Circular business models for manufacturing SMEs"),
    ("photonic integrated circuits", "Photonics as a key enabling technology"),
    ("smart specialisation strategy", "Interregional innovation investments: preparing a proposal"),
    ("technology readiness level", "Advanced materials: from lab to market"),
]

MATERIALS = {
    CONFERENCE: {
        "takeaways": [("next_step", "Euroclusters will fund cross-border cooperation between cluster partnerships.")],
        "transcript": [(0, "Good morning and welcome."), (40, "In Prague we heard about the Euroclusters.")],
    },
    RECAP: {
        "slides": ["Recap", "The Single Market Emergency Instrument protects supply in a crisis."],
        "summary": "Policy highlights of two years of talks: the Single Market, skills and funding.",
    },
    "Circular business models for manufacturing SMEs": {
        "transcript": [(0, "Thank you."), (31, "Our members run repair cafés in every town of the region.")],
    },
    "Photonics as a key enabling technology": {
        "slides": ["Photonic integrated circuits move from research to production lines."],
    },
    "Interregional innovation investments: preparing a proposal": {
        "takeaways": [("good_practice", "Align the proposal with the smart specialisation strategy of each region.")],
    },
    "Advanced materials: from lab to market": {
        "transcript": [(600, "Moving from technology readiness level four to seven takes pilot lines.")],
    },
}


@pytest.fixture
def demo_archive(db, add_materials, settings, django_capture_on_commit_callbacks):
    settings.SEARCH_INDEX_AFTER_COMMIT = True  # as in production: one task per row changed
    with django_capture_on_commit_callbacks(execute=True):
        load_demo(now=dt.datetime(2024, 1, 10, tzinfo=dt.UTC))
    settings.SEARCH_INDEX_AFTER_COMMIT = False
    talks = {talk.title: talk for talk in Talk.objects.all()}
    for title, materials in MATERIALS.items():
        add_materials(talks[title], **materials)
    return talks


def top_talks(query: str, count: int = 3) -> list[str]:
    found: list[str] = []
    for hit in get_engine().search(query).hits:
        if hit.talk_id and hit.talk_id not in found:
            found.append(hit.talk_id)
    titles = dict(Talk.objects.filter(pk__in=found).values_list("pk", "title"))
    return [titles[pk] for pk in found[:count]]


def test_the_expected_talk_is_in_the_top_three(demo_archive):
    assert len(CASES) >= 20
    misses = []
    for query, expected in CASES:
        assert expected in demo_archive, expected
        top = top_talks(query)
        if expected not in top:
            misses.append(f"{query!r}: expected {expected!r}, got {top}")
    assert not misses, "\n".join(misses)
    # On the same archive (loading it is slow): a takeaway before a transcript, same word.
    hits = get_engine().search("euroclusters").hits
    kinds = [hit.kind for hit in hits] + [child.kind for hit in hits for child in hit.children]
    assert kinds[0] == "takeaway" and "passage" in kinds
