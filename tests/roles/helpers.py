"""People with each role, two series (one theirs, one not) with a draft talk and a registration
each. Import the fixtures into a test module: `from tests.roles.helpers import *`."""

import datetime as dt
import itertools

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from clustertalks.api.models import ApiToken
from clustertalks.api.services import issue_token
from clustertalks.registrations.models import Registration
from clustertalks.roles.definitions import ADMINISTRATOR, EDITOR, SERIES_ORGANISER, VIEWER
from clustertalks.roles.models import SeriesAssignment
from clustertalks.talks.models import Series, Talk

__all__ = ["world", "person_with_role", "login_as", "bearer_for", "ROLE_NAMES"]

ROLE_NAMES = {"administrator": ADMINISTRATOR, "series organiser": SERIES_ORGANISER,
              "editor": EDITOR, "viewer": VIEWER, "no role": None}
_numbers = itertools.count(1)


class World:
    """Series "ours" (assigned to the series organiser) and "theirs", each with a draft talk,
    a published talk and a registration."""

    def __init__(self):
        self.ours = Series.objects.create(name="Our series", time_zone="Europe/Brussels")
        self.theirs = Series.objects.create(name="Their series", time_zone="Europe/Brussels")
        start = timezone.now() + dt.timedelta(days=30)
        self.talks = {}
        for series in (self.ours, self.theirs):
            for status in (Talk.Status.DRAFT, Talk.Status.PUBLISHED):
                n = next(_numbers)
                self.talks[series.slug, status] = Talk.objects.create(
                    title=f"{series.name} {status} talk {n}", series=series, status=status,
                    start=start + dt.timedelta(days=n), end=start + dt.timedelta(days=n, hours=1),
                )
        self.registrations = {
            series.slug: Registration.objects.create(
                talk=self.talk(series), name=f"Ada {series.name}", email=f"ada@{series.slug}.example",
                organisation="Cluster", organisation_type="cluster", country="BE", position="Lead",
                consented_at=timezone.now(),
            )
            for series in (self.ours, self.theirs)
        }

    def talk(self, series, status=Talk.Status.PUBLISHED) -> Talk:
        return self.talks[series.slug, status]

    def draft(self, series) -> Talk:
        return self.talk(series, Talk.Status.DRAFT)


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def person_with_role(db, django_user_model, world):
    """person_with_role("editor") -> a staff user holding that role (series organisers get
    the series "ours")."""

    def make(role: str):
        user = django_user_model.objects.create_user(
            f"user{next(_numbers)}", f"user{next(_numbers)}@example.org", "pw-role-1", is_staff=True)
        if ROLE_NAMES[role]:
            user.groups.add(Group.objects.get(name=ROLE_NAMES[role]))
        if role == "series organiser":
            SeriesAssignment.objects.create(user=user, series=world.ours)
        return user

    return make


@pytest.fixture
def login_as(client, person_with_role):
    def login(role: str):
        user = person_with_role(role)
        client.force_login(user)
        return user

    return login


def bearer_for(user, scope=ApiToken.Scope.WRITE) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {issue_token(user, 'tests', scope)[1]}"}
