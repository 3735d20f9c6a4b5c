"""The demo loader: the two seed talks exactly as their pages state, a labelled sample history,
and nothing changed by a second run."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from clustertalks.people.models import Honour, Organisation, Participation, Person
from clustertalks.talks.demo import load_demo
from clustertalks.talks.models import AgendaItem, Series, Talk, Topic

NOW = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)
SEED_TITLES = (
    "European Cluster Conference: Results and visions for the future of clusters",
    "EU Clusters Talks Special: Recap on key policies and takeaways",
)
TOPIC_NAMES = {
    "Green and digital transition",
    "Supply chains and resilience",
    "Funding and programmes",
    "Skills",
    "Technologies",
}


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def speakers(talk: Talk) -> list[tuple]:
    return [
        (
            part.person.name,
            part.role,
            part.position,
            part.organisation.name if part.organisation else "",
            part.agenda_item.order if part.agenda_item else None,
        )
        for part in talk.participations.select_related("person", "organisation", "agenda_item")
    ]


@pytest.fixture
def seeds_only(db):
    return load_demo(sample=False, now=NOW)


def test_series_is_the_eu_clusters_talks(seeds_only):
    series = Series.objects.get(slug="eu-clusters-talks")
    assert series.name == "EU Clusters Talks"
    assert series.time_zone == "Europe/Brussels"
    assert (series.cadence_weekday, series.cadence_start_time) == (2, dt.time(8, 30))
    assert (series.cadence_interval_weeks, series.default_duration_minutes) == (2, 60)
    assert series.tagline == "The bi-weekly meeting point for the cluster community"
    assert series.description.startswith("The European Cluster Collaboration Platform invites")
    assert series.description.endswith("the latest ECCP news, and funding opportunities.")
    invitation, rhythm = series.boilerplate.split("\n\n")
    assert invitation == series.description  # the seed page repeats it under every talk
    assert rhythm == (
        "The EU Clusters Talks take place every two weeks. Information on the next Talks will be "
        "published on the website – stay tuned for more!"
    )
    assert str(series.organiser) == "European Cluster Collaboration Platform (ECCP)"
    assert series.on_behalf_of.full_name == "DG GROW, European Commission"
    assert set(Topic.objects.values_list("name", flat=True)) == TOPIC_NAMES


def test_seed_talk_of_october_2022_is_as_its_page_states(seeds_only):
    talk = Talk.objects.get(title=SEED_TITLES[0])
    assert (talk.start, talk.end) == (utc(2022, 10, 5, 6, 30), utc(2022, 10, 5, 7, 30))
    assert talk.zone_abbreviation == "CEST"
    assert talk.local_start.time() == dt.time(8, 30)
    assert talk.status == Talk.Status.PUBLISHED and talk.attendance_mode == "online"
    assert talk.event_type.name == "Webinar"
    assert set(talk.topics.values_list("name", flat=True)) == {
        "Green and digital transition",
        "Supply chains and resilience",
    }
    assert talk.abstract.startswith("On 26-27 September 2022, the European Cluster Conference")
    assert "\n\nIn this context, the European Cluster Collaboration Platform" in talk.abstract
    assert list(talk.agenda_items.values_list("order", "kind", "title")) == [
        (1, "keynote", "Takeaways and future perspectives from the European Commission"),
        (
            2,
            "panel",
            "Panel discussion: key learning points from the conference and outlook for the next "
            "1-2 years",
        ),
    ]
    assert speakers(talk) == [
        ("Marek Przeor", "keynote", "Team Leader D.2 – Industrial forum, Alliances, Clusters",
         "DG GROW", 1),
        ("Kristina Sermuksnyte-Alesiuniene", "panellist", "General Manager",
         "Agri-Food Lithuania DIH", 2),
        ("Veerle de Graef", "panellist", "Programme Manager", "Flander’s Food", 2),
        ("Antonio Novo", "panellist", "President", "European Clusters Alliance", 2),
        ("Anais Le Corvec", "panellist", "Network Manager", "Council of European BioRegions", 2),
    ]  # fmt: skip
    assert set(Honour.objects.values_list("person__name", "title", "year")) == {
        ("Kristina Sermuksnyte-Alesiuniene", "European Cluster Manager of the Year", 2022),
        ("Veerle de Graef", "European Cluster Partnership of the Year", 2022),
    }
    acronyms = dict(Organisation.objects.values_list("name", "acronym"))
    assert acronyms["Flander’s Food"] == "FF"
    assert acronyms["Council of European BioRegions"] == "CEBR"
    assert acronyms["European Clusters Alliance"] == "ECA"
    dg_grow = Organisation.objects.get(name="DG GROW")
    assert dg_grow.parent.name == "European Commission"
    assert dg_grow.parent.kind == Organisation.Kind.EU_BODY
    keynote = Person.objects.get(name="Marek Przeor")
    assert keynote.current_organisation == dg_grow
    assert keynote.current_position == "Team Leader D.2 – Industrial forum, Alliances, Clusters"


def test_seed_talk_of_december_2023_is_as_its_page_states(seeds_only):
    talk = Talk.objects.get(title=SEED_TITLES[1])
    assert talk.start == utc(2023, 12, 13, 7, 30)
    assert talk.zone_abbreviation == "CET"
    assert talk.local_start.time() == dt.time(8, 30)
    assert talk.duration_minutes == 75
    assert talk.event_type.name == "Special"
    assert set(talk.topics.values_list("name", flat=True)) == TOPIC_NAMES
    assert "nearly 50 EU Clusters Talks" in talk.abstract
    assert "Over 200 speakers" in talk.abstract
    assert "to summarise important policy information" in talk.abstract
    assert speakers(talk) == [
        ("Marek Przeor", "speaker", "", "DG GROW", None),
        ("Valentino Izzo", "speaker", "", "EISMEA", None),
        ("Dimitri Ionescu", "speaker", "Founder", "Lightmirror", None),
        ("Giacomo Martinotti", "speaker", "Vice President",
         "Distretto Aerospaziale Piemonte", None),
        ("Mike Richardson", "speaker", "Senior Project Manager", "OpTecBB", None),
        ("Monika Antonowicz", "speaker", "Expert in Strategy and Analysis Department",
         "Polish Agency for Enterprise Development", None),
    ]  # fmt: skip
    assert Organisation.objects.get(name="EISMEA").parent.name == "European Commission"
    przeor = Person.objects.get(name="Marek Przeor")
    assert set(przeor.participations.values_list("talk__title", flat=True)) == set(SEED_TITLES)


def test_seeds_only_loads_no_sample_rows(seeds_only):
    assert Talk.objects.count() == 2
    assert Person.objects.count() == 10
    assert seeds_only["organisations_created"] == Organisation.objects.count() == 12
    assert not Talk.objects.filter(is_sample=True).exists()


def test_existing_rows_are_left_alone(series):
    series.tagline = "Our own tagline"
    series.save()
    load_demo(sample=False, now=NOW)
    series.refresh_from_db()
    assert series.tagline == "Our own tagline"
    assert Series.objects.count() == 1
    assert series.talks.count() == 2


def test_command_loads_and_prints_a_summary(db):
    out = io.StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    talks = Talk.objects.count()
    assert f"Talks: {talks} created, 0 already present" in text
    assert f"People: {Person.objects.count()} created" in text
    assert f"Organisations: {Organisation.objects.count()} created" in text
    assert "Upcoming talks: 3 created, 0 already scheduled" in text

    again = io.StringIO()
    call_command("demo", stdout=again)
    assert Talk.objects.count() == talks
    assert f"Talks: 0 created, {talks - 3} already present" in again.getvalue()
    assert "Upcoming talks: 0 created, 3 already scheduled" in again.getvalue()


def test_command_without_sample(db):
    out = io.StringIO()
    call_command("demo", "--no-sample", stdout=out)
    assert Talk.objects.count() == 2
    assert "Talks: 2 created, 0 already present" in out.getvalue()
    assert "Organisations: 12 created, 0 already present" in out.getvalue()

    again = io.StringIO()
    call_command("demo", "--no-sample", stdout=again)
    assert "Organisations: 0 created, 12 already present" in again.getvalue()


@pytest.fixture(scope="class")
def full_demo(django_db_setup, django_db_blocker):
    """The full demo, loaded once per test class in a transaction rolled back at the end; each
    test runs in its own savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield load_demo(now=NOW)
        transaction.set_rollback(True)


class TestSampleHistory:
    @pytest.fixture
    def demo(self, full_demo, db):
        return full_demo

    def test_sample_history_has_the_volume_of_two_years(self, demo):
        series = Series.objects.get(slug="eu-clusters-talks")
        assert 45 <= series.talks.count() <= 60
        assert Person.objects.count() >= 190
        assert Organisation.objects.filter(is_sample=True).count() >= 55
        sample_topics = Topic.objects.filter(talks__is_sample=True).values_list("name", flat=True)
        assert set(sample_topics) == TOPIC_NAMES
        for talk in Talk.objects.filter(is_sample=True).prefetch_related("participations"):
            assert 3 <= len(talk.participations.all()) <= 6
            assert talk.abstract.startswith("This is a generated sample talk for the demo.")
        assert Person.objects.filter(participations__isnull=True).count() == 0
        sample_talks = Talk.objects.filter(is_sample=True)
        assert sample_talks.filter(agenda_items__isnull=False).distinct().count() >= 10
        assert any(talk.duration_minutes == 75 for talk in sample_talks)
        event_types = {talk.event_type.name for talk in sample_talks.select_related("event_type")}
        assert event_types == {"Webinar", "Panel discussion", "Special"}

    def test_every_generated_row_is_labelled_and_no_seed_row_is(self, demo):
        assert set(Talk.objects.filter(is_sample=False).values_list("title", flat=True)) == set(
            SEED_TITLES
        )
        assert Person.objects.filter(is_sample=False).count() == 10
        assert Organisation.objects.filter(is_sample=False).count() == 12
        seed_names = {"Marek Przeor", "Veerle de Graef", "Mike Richardson"}
        assert not Person.objects.filter(name__in=seed_names, is_sample=True).exists()
        sample_talks = Talk.objects.filter(is_sample=True)
        sample_parts = Participation.objects.filter(talk__in=sample_talks)
        assert not sample_parts.filter(person__is_sample=False).exists()
        assert not sample_parts.filter(organisation__is_sample=False).exists()

    def test_sample_talks_are_on_wednesday_0830_brussels_time(self, demo):
        sample_talks = Talk.objects.filter(is_sample=True)
        assert sample_talks.exists()
        for talk in sample_talks:
            assert talk.local_start.weekday() == 2, talk
            assert talk.local_start.time() == dt.time(8, 30), talk
            assert talk.duration_minutes in {60, 75}
        history = sample_talks.filter(start__lt=NOW)
        assert not history.filter(start__month=8).exists()
        called_off = history.filter(status__in=["postponed", "cancelled"])
        assert called_off.count() == 2
        assert all(talk.status_note for talk in called_off)

    def test_three_upcoming_sample_talks_follow_the_cadence(self, demo):
        series = Series.objects.get(slug="eu-clusters-talks")
        upcoming = list(series.talks.upcoming(NOW))
        assert [talk.local_start.date() for talk in upcoming] == [
            dt.date(2024, 3, 6),
            dt.date(2024, 3, 20),
            dt.date(2024, 4, 3),
        ]
        assert all(talk.is_sample for talk in upcoming)
        assert demo["upcoming_talks_created"] == 3

    def test_some_people_speak_in_several_talks(self, demo):
        talks_per_person = Person.objects.filter(is_sample=True).annotate(
            talks=Count("participations__talk", distinct=True)
        )
        assert talks_per_person.filter(talks__gt=1).count() >= 3

    @staticmethod
    def snapshot() -> dict:
        models = (Talk, Person, Organisation, Participation, AgendaItem, Honour, Series, Topic)
        rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
        rows["talk_topics"] = list(Talk.topics.through.objects.order_by("pk").values())
        rows["talk_audiences"] = list(Talk.audiences.through.objects.order_by("pk").values())
        return rows

    def test_second_run_changes_nothing(self, demo):
        before = self.snapshot()
        counts = load_demo(now=NOW)
        assert self.snapshot() == before
        assert counts["talks_created"] == counts["people_created"] == 0
        assert counts["organisations_created"] == counts["participations_created"] == 0
        assert counts["talks_existing"] == 47  # the upcoming ones are counted apart
        assert (counts["upcoming_talks_existing"], counts["upcoming_talks_created"]) == (3, 0)
        assert counts["organisations_existing"] == Organisation.objects.count()

    def test_second_run_later_on_tops_up_the_upcoming_talks_only(self, demo):
        counts = load_demo(now=NOW + dt.timedelta(weeks=1))  # the talk of 6 March is over
        assert counts["upcoming_talks_created"] == 1
        assert counts["talks_created"] == 1
