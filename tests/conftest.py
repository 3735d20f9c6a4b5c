"""Shared fixtures: small factories for the domain, and a query counter."""

import datetime as dt
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clustertalks.core import pagecache
from clustertalks.people.models import Organisation, Participation, Person
from clustertalks.talks.models import AgendaItem, Series, Talk, Topic

_counter = itertools.count(1)


@pytest.fixture(autouse=True)
def _fast_test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # accounts: tests sign in with force_login (and client.login, which axes cannot see);
    # tests/accounts switches the second factor and the lockout back on.
    settings.ADMIN_REQUIRE_TWO_FACTOR = False
    settings.AXES_ENABLED = False
    settings.SEARCH_EMBEDDINGS = False  # model inference is slow: only the tests that need it switch it on
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def series(db):
    return Series.objects.create(name="EU Clusters Talks", time_zone="Europe/Brussels")


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.fixture
def make_talk(db, series):
    def make(title=None, *, start=None, minutes=60, status=Talk.Status.PUBLISHED, **fields):
        n = next(_counter)
        start = start or utc(2023, 3, 1, 7, 30) + dt.timedelta(weeks=2 * n)
        fields.setdefault("series", series)
        return Talk.objects.create(
            title=title or f"Talk number {n}",
            start=start,
            end=start + dt.timedelta(minutes=minutes),
            status=status,
            **fields,
        )

    return make


@pytest.fixture
def make_person(db):
    def make(name=None, **fields):
        return Person.objects.create(name=name or f"Speaker {next(_counter)}", **fields)

    return make


@pytest.fixture
def make_organisation(db):
    def make(name=None, **fields):
        return Organisation.objects.create(name=name or f"Cluster {next(_counter)}", **fields)

    return make


@pytest.fixture
def full_talk(make_talk, make_person, make_organisation):
    """A published talk with the shape of the seed pages: topics, agenda, speakers, honours."""

    def make(**fields):
        talk = make_talk(**fields)
        topic, _ = Topic.objects.get_or_create(name="Skills")
        talk.topics.add(topic)
        keynote = AgendaItem.objects.create(talk=talk, order=1, title="Keynote", kind="keynote")
        panel = AgendaItem.objects.create(talk=talk, order=2, title="Panel", kind="panel")
        commission = make_organisation(kind=Organisation.Kind.EU_BODY)
        for order, item in enumerate([keynote, panel, panel]):
            person = make_person()
            person.honours.create(title="Cluster Manager of the Year", year=2022)
            Participation.objects.create(
                person=person, talk=talk, agenda_item=item, order=order,
                position="Team Leader", organisation=make_organisation(parent=commission),
            )
        return talk

    return make


@pytest.fixture
def count_queries(db):
    """Run a callable and return how many SQL queries it issued."""

    def count(func, *args, **kwargs):
        # The page cache looks up the next state change once per content generation (three
        # queries on the first miss after a write): not a cost of the page being counted.
        pagecache.prime()
        with CaptureQueriesContext(connection) as ctx:
            func(*args, **kwargs)
        return len(ctx.captured_queries)

    return count


@pytest.fixture
def organiser(db, django_user_model):
    return django_user_model.objects.create_superuser("organiser", "org@example.org", "pw-organiser-1")


@pytest.fixture
def admin_client(client, organiser):
    """A client logged in as the organiser (overrides pytest-django's own)."""
    client.force_login(organiser)
    return client


@pytest.fixture(autouse=True)
def _empty_page_cache():
    """Each test starts with an empty page cache (core/pagecache.py): no page of another test."""
    from django.core.cache import caches

    caches["pages"].clear()


@pytest.fixture(autouse=True)
def _english_between_tests():
    """A request leaves its language active in the thread (LocaleMiddleware never deactivates):
    a test that visited /fr/... must not make the next one reverse /fr/ addresses."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def languages(settings):
    """English, French, German and Polish offered, as when their catalogues are installed
    (without a catalogue, Django's own strings still come in the language; ours stay English)."""
    from clustertalks.core.languages import NATIVE_NAMES

    settings.LANGUAGES = [(code, NATIVE_NAMES[code]) for code in ("en", "fr", "de", "pl")]
    return [code for code, _name in settings.LANGUAGES]
