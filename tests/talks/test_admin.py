"""The talks room of the back office: pages, the series' time zone, inlines and actions."""

import datetime as dt
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from clustertalks.people.models import Participation
from clustertalks.talks.models import AgendaItem, Audience, EventType, Series, Talk, Topic

pytestmark = pytest.mark.django_db

def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def admin_url(model: str, view: str, *args) -> str:
    return reverse(f"admin:talks_{model}_{view}", args=args)


def management_form(prefix: str, total: int = 0, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def talk_form(series, day="2026-04-01", start="08:30", end="09:30", **fields) -> dict:
    return {
        "title": "Skills for green clusters",
        "series": str(series.pk) if series else "",
        "status": Talk.Status.DRAFT,
        "start_0": day,
        "start_1": start,
        "end_0": day,
        "end_1": end,
        "attendance_mode": Talk.AttendanceMode.ONLINE,
        "language": "en",
        **management_form("agenda_items"),
        **management_form("participations"),
        **management_form("translations"),
        **fields,
    }


def shown_value(response, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', response.content.decode())
    assert match, f"no {name} input on the page"
    return match.group(1)


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def frozen_now(monkeypatch):
    def freeze(instant: dt.datetime):
        monkeypatch.setattr(timezone, "now", lambda: instant)

    return freeze


def test_change_pages_load(admin_client, full_talk, series):
    talk = full_talk()
    topic = Topic.objects.get()
    event_type = EventType.objects.create(name="Webinar")
    audience = Audience.objects.create(name="Cluster managers")
    for model, obj in [("talk", talk), ("series", series), ("topic", topic),
                       ("eventtype", event_type), ("audience", audience)]:
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200


def test_talk_changelist_shows_local_start_with_zone_abbreviation(admin_client, make_talk):
    make_talk("Autumn talk", start=utc(2022, 10, 5, 6, 30))
    make_talk("Winter talk", start=utc(2022, 12, 7, 7, 30))
    content = admin_client.get(admin_url("talk", "changelist")).content.decode()
    assert "Wed 5 Oct 2022, 08:30 CEST" in content
    assert "Wed 7 Dec 2022, 08:30 CET" in content


def test_talk_changelist_filters_and_search(admin_client, full_talk, make_talk):
    talk = full_talk(title="Talk with speakers")
    make_talk("Another talk")
    speaker = talk.participations.first().person
    url = admin_url("talk", "changelist")
    content = admin_client.get(url, {"q": speaker.name}).content.decode()
    assert "Talk with speakers" in content and "Another talk" not in content
    for params in [{"status__exact": "draft"}, {"start__year": "2023"},
                   {"topics__id__exact": talk.topics.get().pk}]:
        assert admin_client.get(url, params).status_code == 200


# New talk in a series: the next free slot, in the series' wall-clock time.


def test_series_pages_link_to_a_new_talk_in_the_series(admin_client, series):
    link = f"{admin_url('talk', 'add')}?series={series.pk}"
    assert link in admin_client.get(admin_url("series", "changelist")).content.decode()
    assert link in admin_client.get(admin_url("series", "change", series.pk)).content.decode()


@pytest.mark.parametrize(
    "latest_start, today, next_day, next_utc",
    [
        # 2026-03-18 08:30 CET -> 2026-04-01 08:30 CEST
        (utc(2026, 3, 18, 7, 30), utc(2026, 3, 19, 12), "2026-04-01", utc(2026, 4, 1, 6, 30)),
        # 2026-10-21 08:30 CEST -> 2026-11-04 08:30 CET
        (utc(2026, 10, 21, 6, 30), utc(2026, 10, 22, 12), "2026-11-04", utc(2026, 11, 4, 7, 30)),
    ],
)
def test_new_talk_in_series_proposes_next_slot_across_clock_change(
    admin_client, series, make_talk, frozen_now, latest_start, today, next_day, next_utc
):
    make_talk(start=latest_start)
    frozen_now(today)
    response = admin_client.get(admin_url("talk", "add"), {"series": series.pk})
    assert (shown_value(response, "start_0"), shown_value(response, "start_1")) == (next_day, "08:30:00")
    assert (shown_value(response, "end_0"), shown_value(response, "end_1")) == (next_day, "09:30:00")
    assert "Europe/Brussels" in response.content.decode()

    response = admin_client.post(admin_url("talk", "add"), talk_form(series, day=next_day))
    assert response.status_code == 302, response.context["adminform"].form.errors
    talk = Talk.objects.get(title="Skills for green clusters")
    assert talk.start == next_utc
    assert talk.end == next_utc + dt.timedelta(hours=1)
    assert talk.status == Talk.Status.DRAFT and talk.series == series


def test_new_talk_form_leaves_event_type_unset_and_status_draft(admin_client, series):
    response = admin_client.get(admin_url("talk", "add"), {"series": series.pk})
    form = response.context["adminform"].form
    assert form.initial["status"] == Talk.Status.DRAFT
    assert form.initial["series"] == series.pk
    assert "event_type" not in form.initial


def test_times_are_shown_and_read_in_the_series_zone_not_the_server_zone(
    admin_client, make_talk, frozen_now
):
    new_york = Series.objects.create(name="Transatlantic Talks", time_zone="America/New_York")
    make_talk(series=new_york, start=utc(2026, 3, 4, 13, 30))  # Wed 08:30 EST
    frozen_now(utc(2026, 3, 5, 12))
    response = admin_client.get(admin_url("talk", "add"), {"series": new_york.pk})
    assert shown_value(response, "start_0") == "2026-03-18"
    assert shown_value(response, "start_1") == "08:30:00"  # EDT since 8 March

    admin_client.post(admin_url("talk", "add"), talk_form(new_york, day="2026-03-18"))
    talk = Talk.objects.get(title="Skills for green clusters")
    assert talk.start == utc(2026, 3, 18, 12, 30)

    response = admin_client.get(admin_url("talk", "change", talk.pk))
    assert shown_value(response, "start_1") == "08:30:00"
    assert "America/New_York" in response.content.decode()


def test_talk_without_series_uses_the_back_office_zone(admin_client):
    admin_client.post(admin_url("talk", "add"), talk_form(None, day="2026-07-01"))
    assert Talk.objects.get().start == utc(2026, 7, 1, 6, 30)


def test_unknown_series_in_the_address_is_ignored(admin_client):
    for value in ["999999", "abc", "", "²", "9" * 30, "-1"]:
        assert admin_client.get(admin_url("talk", "add"), {"series": value}).status_code == 200


# Inlines.


def test_talk_is_created_with_agenda_and_participations(
    admin_client, series, make_person, make_organisation
):
    ana, ben = make_person("Ana Keynote"), make_person("Ben Panel")
    cluster = make_organisation("Green Cluster")
    data = talk_form(
        series,
        **management_form("agenda_items", total=2),
        **{"agenda_items-0-order": "1", "agenda_items-0-title": "Keynote",
           "agenda_items-0-kind": "keynote",
           "agenda_items-1-order": "2", "agenda_items-1-title": "Panel",
           "agenda_items-1-kind": "panel"},
        **management_form("participations", total=2),
        **{"participations-0-order": "0", "participations-0-person": str(ana.pk),
           "participations-0-role": "keynote", "participations-0-organisation": str(cluster.pk),
           "participations-0-position": "Director",
           "participations-1-order": "1", "participations-1-person": str(ben.pk),
           "participations-1-role": "panellist"},
    )
    response = admin_client.post(admin_url("talk", "add"), data)
    assert response.status_code == 302
    talk = Talk.objects.get()
    assert list(talk.agenda_items.values_list("title", flat=True)) == ["Keynote", "Panel"]
    assert list(talk.participations.values_list("person__name", "role", "organisation__name")) == [
        ("Ana Keynote", "keynote", "Green Cluster"),
        ("Ben Panel", "panellist", None),
    ]


def test_participation_can_only_point_at_the_talks_own_agenda(admin_client, make_talk, make_person):
    talk, other = make_talk("Ours"), make_talk("Theirs")
    own = AgendaItem.objects.create(talk=talk, title="Our keynote")
    foreign = AgendaItem.objects.create(talk=other, title="Their keynote")
    Participation.objects.create(talk=talk, person=make_person())
    response = admin_client.get(admin_url("talk", "change", talk.pk))
    choices = response.context["inline_admin_formsets"][1].formset.forms[0].fields["agenda_item"].queryset
    assert list(choices) == [own]

    person = make_person("Cleo")
    data = talk_form(
        talk.series, title="Ours", status=talk.status,
        **management_form("participations", total=1),
        **{"participations-0-person": str(person.pk), "participations-0-role": "speaker",
           "participations-0-order": "0", "participations-0-agenda_item": str(foreign.pk)},
    )
    response = admin_client.post(admin_url("talk", "change", talk.pk), data)
    assert response.status_code == 200
    assert not Participation.objects.filter(person=person).exists()


# Actions.


def test_publish_and_unpublish_actions(admin_client, make_talk):
    drafts = [make_talk(status=Talk.Status.DRAFT) for _ in range(2)]
    published = make_talk(status=Talk.Status.PUBLISHED)
    everything = [str(talk.pk) for talk in [*drafts, published]]
    url = admin_url("talk", "changelist")

    response = admin_client.post(
        url, {"action": "publish_selected", "_selected_action": everything, "index": "0"}, follow=True
    )
    assert "2 talks published." in messages_of(response)
    assert set(Talk.objects.values_list("status", flat=True)) == {Talk.Status.PUBLISHED}

    response = admin_client.post(
        url, {"action": "unpublish_selected", "_selected_action": everything[:1], "index": "0"},
        follow=True,
    )
    assert "1 talk taken back to draft." in messages_of(response)
    assert Talk.objects.filter(status=Talk.Status.DRAFT).count() == 1


# Hostile input.


def test_script_in_title_is_escaped_on_the_changelist(admin_client, make_talk):
    make_talk("<script>alert('x')</script>")
    content = admin_client.get(admin_url("talk", "changelist")).content.decode()
    assert "<script>alert(" not in content
    assert "&lt;script&gt;alert(" in content


def test_end_before_start_is_a_form_error(admin_client, series):
    response = admin_client.post(admin_url("talk", "add"), talk_form(series, start="10:00", end="09:00"))
    assert response.status_code == 200
    assert "end" in response.context["adminform"].form.errors
    assert not Talk.objects.exists()


def test_garbage_dates_are_a_form_error(admin_client, series):
    response = admin_client.post(admin_url("talk", "add"), talk_form(series, day="tomorrow-ish"))
    assert response.status_code == 200
    assert not Talk.objects.exists()


def test_talk_change_page_keeps_meeting_address_in_private_fieldset(admin_client, make_talk):
    talk = make_talk(meeting_url="https://zoom.example/j/1")
    response = admin_client.get(admin_url("talk", "change", talk.pk))
    names = [fieldset.name for fieldset in response.context["adminform"]]
    assert "Private" in names
    assert "never shown on public pages" in response.content.decode()
