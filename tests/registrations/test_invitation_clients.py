"""Invitations read right in Thunderbird (Mozilla's ical.js) as well as with icalendar,
for a talk in summer time: a VTIMEZONE with several dates on one RDATE line made ical.js
put summer talks an hour off."""

import pytest
from django.utils import timezone

from clustertalks.registrations.emails import invitation
from clustertalks.registrations.models import Registration

from ..conftest import utc
from ..feeds.helpers import parse_both


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_summer_talk_invitation_is_at_0830_brussels_in_both_parsers(make_talk, method):
    talk = make_talk(start=utc(2027, 6, 16, 6, 30))  # 08:30 CEST
    registration = Registration.objects.create(
        talk=talk, name="Ada", email="ada@example.org", organisation="Org",
        organisation_type="cluster", country="BE", position="M", status="approved",
        consented_at=timezone.now(),
    )
    calendar, parsed = parse_both(invitation(registration, method))
    assert str(calendar["METHOD"]) == method
    [event] = parsed["events"]
    assert event["start_local"].endswith("T08:30:00")
    assert event["start_utc"] == "2027-06-16T06:30:00Z"
