"""The back office's site: technical sections for administrators only (index and navigation),
and dates as "Wed 9 Dec 2026, 08:30 CET" in the back office only."""

import datetime as dt
import re

import pytest
from django.utils import timezone, translation

from clustertalks.backoffice.dates import back_office_datetime
from clustertalks.core.models import OutboundEmail
from tests.roles.helpers import *  # noqa: F403 - fixtures

TECHNICAL = ["django_tasks_database/dbtaskresult", "auth/group", "auth/user", "api/webhookendpoint",
             "api/webhookdelivery", "audit/entry", "core/outboundemail", "axes/accessattempt",
             "roles/seriesassignment", "captions/transcriptionjob", "feeds/shareimage",
             "people/participation"]
WORK = ["talks/talk", "people/person", "people/organisation", "materials/talkmaterials"]


def listed(html):
    return set(re.findall(r'href="/admin/([a-z_]+/[a-z_]+)/"', html))


@pytest.mark.parametrize("role", ["series organiser", "editor", "viewer"])
def test_technical_sections_are_hidden_from_index_and_nav(client, world, login_as, role):
    login_as(role)
    index = listed(client.get("/admin/").content.decode())
    nav = listed(client.get("/admin/talks/talk/").content.decode())  # the sidebar
    assert set(WORK) <= index and set(WORK) <= nav
    assert not index & set(TECHNICAL), index & set(TECHNICAL)
    assert not nav & set(TECHNICAL), nav & set(TECHNICAL)


def test_administrators_still_see_technical_sections(client, world, login_as):
    login_as("administrator")
    html = client.get("/admin/").content.decode()
    assert set(TECHNICAL) <= listed(html)
    # on the home page, below the organisers' work, under their own heading
    technical = html[html.index("Technical (administrators only)"):]
    assert set(TECHNICAL) <= listed(technical)
    assert not set(WORK) & listed(technical)
    assert set(TECHNICAL) <= listed(client.get("/admin/talks/talk/").content.decode())  # the sidebar


def test_hidden_sections_keep_their_permissions(client, world, login_as):
    """Hiding from the index is no barrier and no grant: the role model decides."""
    login_as("editor")
    assert client.get("/admin/audit/entry/").status_code == 403
    assert client.get("/admin/people/participation/").status_code == 200


def test_datetime_reads_like_a_sentence_with_the_zone_from_the_date():
    brussels = timezone.get_default_timezone()
    with translation.override("en"):
        assert back_office_datetime(dt.datetime(2026, 12, 9, 7, 30, tzinfo=dt.UTC), brussels) == "Wed 9 Dec 2026, 08:30 CET"
        assert back_office_datetime(dt.datetime(2026, 6, 10, 6, 30, tzinfo=dt.UTC), brussels) == "Wed 10 Jun 2026, 08:30 CEST"


def test_change_list_and_readonly_dates_use_the_back_office_format(client, world, login_as):
    login_as("administrator")
    email = OutboundEmail.objects.create(to="x@example.org", subject="s", body_text="b", kind="reminder")
    OutboundEmail.objects.filter(pk=email.pk).update(created_at=dt.datetime(2026, 12, 1, 2, 16, tzinfo=dt.UTC))
    listing = client.get("/admin/core/outboundemail/").content.decode()
    assert "Tue 1 Dec 2026, 03:16 CET" in listing
    assert "3:16 a.m." not in listing
    detail = client.get(f"/admin/core/outboundemail/{email.pk}/change/").content.decode()
    assert "Tue 1 Dec 2026, 03:16 CET" in detail


def test_public_pages_keep_the_site_wide_formats(client, world):
    """Only the admin's display is ours: the site-wide DATETIME_FORMAT is unchanged."""
    from django.conf import settings
    from django.utils.formats import date_format

    assert date_format(dt.datetime(2026, 12, 1, 3, 16), "DATETIME_FORMAT") != "Tue 1 Dec 2026, 03:16"
    assert not hasattr(settings, "FORMAT_MODULE_PATH") or settings.FORMAT_MODULE_PATH is None


def test_talk_form_says_the_zone_and_loads_the_script_that_drops_the_server_time_note(client, world, login_as):
    login_as("series organiser")
    html = client.get(f"/admin/talks/talk/{world.draft(world.ours).pk}/change/").content.decode()
    assert "Europe/Brussels" in html
    assert re.search(r'<script src="/static/backoffice/backoffice.js" defer>', html)
    assert "<script>" not in html  # nothing inline: the admin's CSP forbids it


def test_start_and_end_say_the_series_zone_next_to_the_field(client, world, login_as):
    world.ours.time_zone = "America/New_York"
    world.ours.save()
    login_as("administrator")
    html = client.get(f"/admin/talks/talk/add/?series={world.ours.pk}").content.decode()
    assert html.count("Wall-clock time in America/New_York.") == 2
