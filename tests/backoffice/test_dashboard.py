"""The organiser dashboard (the back office's home): next talks with registrations against
capacity, what needs doing with links that fix it, scoped by role, in fixed queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clustertalks.core.models import OutboundEmail
from clustertalks.materials.models import Recording, TalkSummary
from clustertalks.people.models import Participation, Person
from clustertalks.registrations.models import Registration, RegistrationPolicy
from clustertalks.talks.models import Talk
from tests.roles.helpers import *  # noqa: F403 - fixtures

INDEX = "/admin/"


def register(talk, n, status):
    for i in range(n):
        Registration.objects.create(
            talk=talk, name=f"Person {i}", email=f"p{talk.pk}-{status}-{i}@example.org",
            status=status, consented_at=timezone.now(), country="BE",
        )


def links(html):
    return re.findall(r'href="([^"]+)"', html)


@pytest.fixture
def held_talk(world):
    end = timezone.now() - dt.timedelta(days=3, hours=1)
    return Talk.objects.create(title="Held without recording", series=world.ours,
                               status=Talk.Status.PUBLISHED, start=end - dt.timedelta(hours=1), end=end)


def test_next_talk_shows_registrations_against_capacity_and_waiting_list(client, world, login_as):
    login_as("administrator")
    talk = world.talk(world.ours)
    RegistrationPolicy.objects.create(talk=talk, capacity=50)
    register(talk, 3, Registration.Status.APPROVED)
    register(talk, 2, Registration.Status.WAITLISTED)
    html = client.get(INDEX).content.decode()
    table = html[html.index('id="next-talks-title"'):]
    row = table[table.index(talk.title):]
    row = row[:row.index("</tr>")]
    assert "3 of 50" in row
    assert re.search(r"<td>2</td>\s*<td>1</td>", row)  # waiting list, awaiting approval
    assert reverse("admin:registrations_registration_changelist") + f"?talk__id__exact={talk.pk}" in row


def test_series_capacity_applies_when_the_talk_has_none(client, world, login_as):
    login_as("administrator")
    RegistrationPolicy.objects.create(series=world.ours, capacity=120)
    html = client.get(INDEX).content.decode()
    assert "0 of 120" in html


def test_what_needs_doing_links_to_the_screens_that_fix_it(client, world, login_as, held_talk):
    login_as("administrator")
    register(world.talk(world.ours), 4, Registration.Status.PENDING)  # and the world's one
    OutboundEmail.objects.create(to="x@example.org", subject="s", body_text="b",
                                 status=OutboundEmail.Status.FAILED, kind="reminder")
    html = client.get(INDEX).content.decode()
    assert "Held without recording: held 3 days ago, no recording yet" in html
    assert reverse("admin:materials_talkmaterials_change", args=[held_talk.pk]) in links(html)
    assert "5 registrations waiting for approval" in html, html[html.index("tasks-title"):][:2000]
    pending = (reverse("admin:registrations_registration_changelist")
               + f"?talk__id__exact={world.talk(world.ours).pk}&amp;status__exact=pending")
    assert pending in html
    assert "1 email failing: given up" in html
    assert "/admin/core/outboundemail/?status__exact=failed" in html
    draft = world.draft(world.ours)
    assert f"Draft “{draft.title}” has no speakers yet" in html
    assert reverse("admin:talks_talk_change", args=[draft.pk]) in links(html)


def test_recorded_talk_and_draft_with_speakers_are_not_listed(client, world, login_as, held_talk):
    login_as("administrator")
    Recording.objects.create(talk=held_talk, source=Recording.Source.YOUTUBE,
                             url="https://www.youtube.com/watch?v=abc")
    draft = world.draft(world.ours)
    Participation.objects.create(talk=draft, person=Person.objects.create(name="Ana"))
    html = client.get(INDEX).content.decode()
    assert "no recording yet" not in html
    assert f"Draft “{draft.title}” has no speakers" not in html
    # Recording uploaded but materials not published: a task of its own.
    assert "Held without recording: materials uploaded but not published" in html
    TalkSummary.objects.create(talk=held_talk, materials_published_at=timezone.now())
    assert "materials uploaded but not published" not in client.get(INDEX).content.decode()


def test_series_organiser_sees_only_their_series(client, world, login_as):
    login_as("series organiser")
    register(world.talk(world.theirs), 4, Registration.Status.PENDING)
    register(world.talk(world.ours), 2, Registration.Status.PENDING)
    OutboundEmail.objects.create(to="x@example.org", subject="s", body_text="b",
                                 status=OutboundEmail.Status.FAILED, kind="reminder")
    html = client.get(INDEX).content.decode()
    assert world.talk(world.ours).title in html
    assert world.ours.name in html
    for title in (world.talk(world.theirs).title, world.draft(world.theirs).title, world.theirs.name):
        assert title not in html
    assert "3 registrations waiting" in html and "5 registrations" not in html  # with the world's one each
    assert "email failing" not in html  # the outbox is the administrators'


def test_editor_sees_talks_but_no_registration_figures(client, world, login_as):
    login_as("editor")
    register(world.talk(world.ours), 2, Registration.Status.PENDING)
    html = client.get(INDEX).content.decode()
    assert world.talk(world.ours).title in html
    assert "waiting for approval" not in html and "Registered / places" not in html


def test_new_talk_links_propose_the_series_of_the_user(client, world, login_as):
    login_as("series organiser")
    html = client.get(INDEX).content.decode()
    assert f"/admin/talks/talk/add/?series={world.ours.pk}" in html
    assert f"/admin/talks/talk/add/?series={world.theirs.pk}" not in html


def test_dashboard_query_count_does_not_grow_with_talks(client, world, login_as, django_assert_max_num_queries):
    user = login_as("series organiser")

    def add_talks(n):
        now = timezone.now()
        for i in range(n):
            start = now + dt.timedelta(days=2 + i)
            talk = Talk.objects.create(title=f"Upcoming {i}", series=world.ours, status=Talk.Status.PUBLISHED,
                                       start=start, end=start + dt.timedelta(hours=1))
            register(talk, 1, Registration.Status.PENDING)
            end = now - dt.timedelta(days=1 + i)
            Talk.objects.create(title=f"Held {i}", series=world.ours, status=Talk.Status.PUBLISHED,
                                start=end - dt.timedelta(hours=1), end=end)
            Talk.objects.create(title=f"Draft {i}", series=world.ours, start=start, end=start + dt.timedelta(hours=1))

    def count():
        client.force_login(user)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(INDEX).status_code == 200
        return len(ctx.captured_queries)

    add_talks(1)
    few = count()
    print(f"\ndashboard queries (series organiser, session included): {few}")
    add_talks(12)
    assert count() == few
    with django_assert_max_num_queries(few):
        client.get(INDEX)


def test_emails_retried_after_an_error_are_failing_too(client, world, login_as):
    login_as("administrator")
    for n in range(2):
        OutboundEmail.objects.create(to=f"x{n}@example.org", subject="s", body_text="b", kind="reminder",
                                     attempts=2, last_error="SMTP 451 try later")
    OutboundEmail.objects.create(to="ok@example.org", subject="s", body_text="b", kind="reminder")
    html = client.get(INDEX).content.decode()
    assert "2 emails failing: being retried after an error" in html
    assert "given up" not in html
