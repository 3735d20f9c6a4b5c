"""The engine behind the search box, on the database in use (SQLite or PostgreSQL)."""

import pytest
from django.core.management import call_command

from clustertalks.materials.models import TalkSummary, Takeaway
from clustertalks.people.models import Participation
from clustertalks.search.engine import MAX_RESULTS, PAGE_SIZE, Filters, get_engine
from clustertalks.search.models import SearchDocument
from clustertalks.search.query import parse
from clustertalks.talks.models import EventType, Talk, Topic

from .hostile import HOSTILE_QUERIES

pytestmark = pytest.mark.django_db



def search(text, **filters):
    return get_engine().search(text, Filters(**filters))


def headings(results):
    return [hit.heading for hit in results.hits]


def test_every_hostile_query_returns_results_or_nothing_never_an_error(make_talk):
    make_talk("Cluster policy for the twin transition", abstract="Clusters and policy.")
    for text in HOSTILE_QUERIES:
        results = search(text)
        assert results.count >= 0, text
    assert search("cluster) OR (1=1").count == 1  # read as words, not as syntax
    assert Talk.objects.count() == 1


def test_the_parser_reads_phrases_negations_or_and_prefixes():
    query = parse('"green deal" -coal hydrogen OR ammonia innov* the')
    assert [[t.words for t in group] for group in query.groups] == [
        [("green", "deal")], [("hydrogen",), ("ammonia",)], [("innov",)],
    ]
    assert [t.words for t in query.excluded] == [("coal",)]
    assert query.groups[2][0].prefix
    assert not parse("the of and")  # only small words: nothing to look for
    assert not parse("-only -excluded")


def test_a_talk_is_found_by_title_abstract_speaker_and_organisation(make_talk, make_person, make_organisation):
    talk = make_talk("Hydrogen valleys", abstract="Electrolysers in **industrial** regions.")
    person = make_person("Zuzana Horváthová")
    organisation = make_organisation("Košice Hydrogen Cluster")
    Participation.objects.create(talk=talk, person=person, organisation=organisation)
    for text in ("hydrogen", "electrolysers", "industrial", "horvathova", "kosice"):
        assert talk.title in headings(search(text)), text
    assert headings(search("horvathova"))[0] == "Zuzana Horváthová"  # the person, diacritics removed
    assert "Košice Hydrogen Cluster" in headings(search("Kosice"))


def test_prefix_and_phrase_and_or_and_negation(make_talk):
    make_talk("Innovation vouchers for SMEs")
    make_talk("Innovative procurement in regions")
    make_talk("Green deal industrial plan")
    assert search("innov*").count == 2
    assert search('"deal industrial"').count == 1
    assert search('"industrial deal"').count == 0
    assert search("vouchers OR procurement").count == 2
    assert search("innov* -vouchers").count == 1
    assert search("innov* NOT procurement").count == 1


def test_drafts_never_appear_and_a_talk_back_to_draft_disappears(make_talk, add_materials):
    make_talk("Secret hydrogen plan", status=Talk.Status.DRAFT)
    assert search("secret").count == 0
    talk = make_talk("Public hydrogen plan")
    add_materials(talk, takeaways=[("policy", "Hydrogen needs certainty")], transcript=[(0, "hydrogen words")])
    assert search("hydrogen").count == 3
    talk.status = Talk.Status.DRAFT
    talk.save()
    assert search("hydrogen").count == 0
    assert not SearchDocument.objects.filter(talk=talk).exists()
    talk.status = Talk.Status.PUBLISHED
    talk.save()
    assert search("hydrogen").count == 3


def test_a_draft_made_by_a_bulk_update_is_hidden_even_before_reindexing(make_talk):
    talk = make_talk("Quantum primer")
    Talk.objects.filter(pk=talk.pk).update(status=Talk.Status.DRAFT)  # no signal
    assert SearchDocument.objects.filter(talk=talk).exists()
    assert search("quantum").count == 0


def test_unpublished_materials_are_not_searchable(make_talk, add_materials):
    talk = add_materials(make_talk("A talk"), takeaways=[("policy", "Photonics matters")], published=False)
    assert search("photonics").count == 0
    add_materials(talk)  # publishes the materials
    assert search("photonics").count == 1
    TalkSummary.objects.filter(talk=talk).update(materials_published_at=None)  # no signal
    assert search("photonics").count == 0


def test_deleting_rows_removes_them_from_the_index(make_talk, add_materials, make_person):
    talk = add_materials(make_talk("Battery passports"), takeaways=[("solution", "Passports for batteries")])
    Participation.objects.create(talk=talk, person=make_person("Ilze Bērziņa"))
    assert search("berzina").count == 2  # the person, and the talk naming her
    Takeaway.objects.filter(talk=talk).first().delete()
    assert search("passports").count == 1
    talk.delete()
    assert search("battery").count == 0
    assert search("berzina").count == 0  # she has no public talk left
    assert not SearchDocument.objects.exists()


def test_transcripts_are_indexed_as_passages_linking_to_their_moment(make_talk, add_materials):
    cues = [(second, f"sentence {second}") for second in range(0, 120, 5)]
    cues[15] = (75, "the circular economy needs repair cafés")
    talk = add_materials(make_talk("A long talk"), transcript=cues)
    passages = SearchDocument.objects.filter(talk=talk, kind="passage")
    assert passages.count() == 4  # 2 minutes in passages of 30 seconds
    hit = search("repair cafes").hits[0]
    assert hit.kind == "passage"
    assert hit.url.startswith(f"{talk.get_absolute_url()}recording/{talk.recordings.first().pk}/?t=60#cue-")
    assert "<mark>repair</mark>" in hit.snippet and "<mark>cafés</mark>" in hit.snippet


def test_slide_pages_link_to_their_page(make_talk, add_materials):
    add_materials(make_talk("Slides talk"), slides=["Intro", "Agenda", "Digital product passports"])
    hit = search("passports").hits[0]
    assert hit.kind == "slide"
    assert hit.url.endswith("#page=3")


def test_a_title_or_takeaway_match_outranks_a_transcript_match(make_talk, add_materials):
    spoken = add_materials(make_talk("Talk one"), transcript=[(0, "we discussed microcredentials at length today")])
    titled = make_talk("Microcredentials for industry")
    taken = add_materials(make_talk("Talk three"), takeaways=[("solution", "Microcredentials work")])
    kinds = [hit.kind for hit in search("microcredentials").hits]
    assert kinds.index("passage") > kinds.index("talk")
    assert kinds.index("passage") > kinds.index("takeaway")
    assert {hit.talk_id for hit in search("microcredentials").hits} == {spoken.pk, titled.pk, taken.pk}


def test_snippets_escape_the_content_and_mark_only_the_match(make_talk):
    make_talk("Escaping", abstract="robotics <script>alert('x')</script> \ue000fake\ue001 & more")
    snippet = str(search("robotics").hits[0].snippet)
    assert "<script" not in snippet  # escaped (FTS5) or dropped as a tag (ts_headline)
    assert snippet.count("<mark>") == 1 and "<mark>robotics</mark>" in snippet
    assert "&amp;" in snippet


def test_filters_by_year_topic_type_speaker_and_kind(make_talk, make_person, add_materials, utc):
    webinar = EventType.objects.create(name="Webinar")
    skills = Topic.objects.create(name="Skills")
    old = make_talk("Robotics 2022", start=utc(2022, 5, 4, 6, 30), event_type=webinar)
    new = make_talk("Robotics 2023", start=utc(2023, 5, 3, 6, 30))
    new.topics.add(skills)
    speaker = make_person("Robotics Expert")
    Participation.objects.create(talk=old, person=speaker)
    add_materials(new, takeaways=[("solution", "Robotics for small factories")])
    assert search("robotics").count == 4  # two talks, the takeaway and the person
    assert {h.talk_id for h in search("robotics", year=2022).hits} == {old.pk}
    assert {h.talk_id for h in search("robotics", topic_id=skills.pk).hits} == {new.pk}
    assert {h.talk_id for h in search("robotics", event_type_id=webinar.pk).hits} == {old.pk}
    speaker_hits = search("robotics", speaker_id=speaker.pk).hits
    assert {h.kind for h in speaker_hits} == {"talk", "person"}
    assert [h.kind for h in search("robotics", kind="takeaway").hits] == ["takeaway"]


@pytest.fixture
def utc():
    from tests.conftest import utc

    return utc


def test_pages_of_results_grouped_by_talk(make_talk, add_materials):
    for number in range(45):
        make_talk(f"Timber construction {number}")
    wood = add_materials(make_talk("Wood"), slides=[f"timber page {n}" for n in range(5)])
    first = get_engine().search("timber", page=1)
    assert first.count == 50 and len(first.hits) == PAGE_SIZE and first.has_next
    last = get_engine().search("timber", page=99)  # beyond the end: the last page
    assert last.page == 3 and len(last.hits) == 6 and not last.has_next
    pages = [get_engine().search("timber", page=p).hits for p in (1, 2, 3)]
    assert len({h.talk_id for hits in pages for h in hits}) == 46  # one result per talk
    wood_hit = next(h for hits in pages for h in hits if h.talk_id == wood.pk)
    assert len(wood_hit.children) == 3  # its other slide pages, under it


def test_the_reindex_command_rebuilds_everything(make_talk, add_materials, capsys):
    add_materials(make_talk("Space data"), takeaways=[("funding", "Copernicus calls")])
    make_talk("Hidden", status=Talk.Status.DRAFT)
    SearchDocument.objects.all().delete()
    assert search("copernicus").count == 0
    call_command("reindex")
    assert "talks: 1/1" in capsys.readouterr().out
    assert search("copernicus").count == 1
    assert search("space").count == 1
    assert search("hidden").count == 0


def test_max_results_constant_is_a_whole_number_of_pages():
    assert MAX_RESULTS % PAGE_SIZE == 0


def test_changes_in_one_transaction_are_indexed_once_on_commit(
    make_talk, make_person, settings, django_capture_on_commit_callbacks
):
    from django.db import transaction

    settings.SEARCH_INDEX_AFTER_COMMIT = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        talk = make_talk("Batched talk")
        for n in range(3):
            Participation.objects.create(talk=talk, person=make_person(f"Batched person {n}"))
        talk.title = "Batched talk, renamed"
        talk.save()
    batches = [c for c in callbacks if type(getattr(c, "__self__", None)).__name__ == "Batch"]
    assert len(batches) == 1  # one batch, not one task per row
    assert search("batched").count == 0  # nothing before the commit
    batches[0]()
    assert {hit.heading for hit in search("batched").hits} == {
        "Batched talk, renamed", "Batched person 0", "Batched person 1", "Batched person 2",
    }
