"""What each role reaches in the back office: lists, change and add forms, actions, the CSV
export and the attendance import. Every "cannot" is asserted with what the user would see."""

import io

import pytest
from django.urls import reverse

from clustertalks.api.models import ApiToken
from clustertalks.registrations.models import Registration
from clustertalks.talks.models import Talk
from tests.roles.helpers import *  # noqa: F403 - fixtures

ROLES = ["administrator", "series organiser", "editor", "viewer", "no role"]


def changelist(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def change(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


# (role, status of: talks list, registrations list, talk add form, audit trail, users list)
SCREENS = {
    "administrator": (200, 200, 200, 200, 200),
    "series organiser": (200, 200, 200, 403, 403),
    "editor": (200, 403, 200, 403, 403),
    "viewer": (200, 403, 403, 403, 403),
    "no role": (403, 403, 403, 403, 403),
}


@pytest.mark.parametrize("role", ROLES)
def test_screens_each_role_reaches(client, login_as, role):
    login_as(role)
    urls = ["/admin/talks/talk/", "/admin/registrations/registration/", "/admin/talks/talk/add/",
            "/admin/audit/entry/", "/admin/auth/user/"]
    assert tuple(client.get(url).status_code for url in urls) == SCREENS[role]


@pytest.mark.parametrize("role", ["editor", "viewer", "no role"])
def test_personal_data_stays_out_of_reach(client, world, login_as, role):
    login_as(role)
    registration = world.registrations[world.ours.slug]
    assert client.get(change(registration)).status_code == 403
    assert client.get("/admin/registrations/registration/import-attendance/").status_code == 403
    index = client.get("/admin/").content.decode()
    assert "registration/" not in index and "ada@" not in index
    exported = client.post(changelist(Registration), {"action": "export_csv", "_selected_action": [registration.pk]})
    assert exported.status_code == 403 and b"ada@" not in exported.content
    assert client.get("/admin/core/outboundemail/").status_code == 403


def test_series_organiser_sees_only_their_series(client, world, login_as):
    login_as("series organiser")
    talks = client.get("/admin/talks/talk/").content.decode()
    assert world.draft(world.ours).title in talks and world.draft(world.theirs).title not in talks
    assert world.theirs.name not in talks  # not even as a filter choice
    registrations = client.get(changelist(Registration)).content.decode()
    assert "ada@our-series.example" in registrations and "ada@their-series.example" not in registrations
    materials = client.get("/admin/materials/talkmaterials/").content.decode()
    assert world.talk(world.ours).title in materials and world.talk(world.theirs).title not in materials
    series = client.get("/admin/talks/series/").content.decode()
    assert world.ours.name in series and world.theirs.name not in series
    # Their series' objects answer as missing, in every screen.
    for obj in (world.draft(world.theirs), world.registrations[world.theirs.slug], world.theirs):
        response = client.get(change(obj))
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(change(world.draft(world.ours))).status_code == 200


def test_series_organiser_cannot_put_a_talk_in_another_series_or_none(client, world, login_as):
    login_as("series organiser")
    form = client.get("/admin/talks/talk/add/").content.decode()
    assert world.theirs.name not in form
    data = {"title": "Sneaky", "status": "draft", "start_0": "2030-01-01", "start_1": "08:30",
            "end_0": "2030-01-01", "end_1": "09:30", "language": "en", "attendance_mode": "online",
            "agenda_items-TOTAL_FORMS": 0, "agenda_items-INITIAL_FORMS": 0,
            "participations-TOTAL_FORMS": 0, "participations-INITIAL_FORMS": 0,
            "translations-TOTAL_FORMS": 0, "translations-INITIAL_FORMS": 0}
    for series in (world.theirs.pk, ""):
        response = client.post("/admin/talks/talk/add/", {**data, "series": series})
        assert response.status_code == 200 and "errors" in response.content.decode()
    assert not Talk.objects.filter(title="Sneaky").exists()
    response = client.post("/admin/talks/talk/add/", {**data, "series": world.ours.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Talk.objects.get(title="Sneaky").series == world.ours


def test_series_organiser_exports_only_their_series(client, world, login_as):
    login_as("series organiser")
    every = [r.pk for r in world.registrations.values()]
    response = client.post(changelist(Registration), {"action": "export_csv", "_selected_action": every})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "ada@our-series.example" in body and "ada@their-series.example" not in body


def publish(client, talks):
    return client.post("/admin/talks/talk/", {"action": "publish_selected",
                                              "_selected_action": [t.pk for t in talks]})


@pytest.mark.parametrize("role, published", [
    ("administrator", {"ours", "theirs"}), ("series organiser", {"ours"}), ("editor", {"ours", "theirs"}),
    ("viewer", set()), ("no role", set()),
])
def test_publishing_per_role(client, world, login_as, role, published):
    login_as(role)
    drafts = {"ours": world.draft(world.ours), "theirs": world.draft(world.theirs)}
    publish(client, drafts.values())
    now_public = {name for name, talk in drafts.items()
                  if Talk.objects.get(pk=talk.pk).status == Talk.Status.PUBLISHED}
    assert now_public == published


def test_viewer_cannot_save_a_change(client, world, login_as):
    login_as("viewer")
    talk = world.talk(world.ours)
    page = client.get(change(talk)).content.decode()
    assert 'name="_save"' not in page  # read-only form
    client.post(change(talk), {"title": "Changed by a viewer"})
    assert Talk.objects.get(pk=talk.pk).title == talk.title


ATTENDANCE = b"Name,Email\nAda,ada@our-series.example\nBob,bob@example.org\n"


def import_attendance(client, talk, content=ATTENDANCE):
    return client.post("/admin/registrations/registration/import-attendance/",
                       {"talk": talk.pk, "file": io.BytesIO(content)})


@pytest.mark.parametrize("role", ["editor", "viewer", "no role"])
def test_attendance_import_refused_without_the_registrations_right(client, world, login_as, role):
    login_as(role)
    response = import_attendance(client, world.talk(world.ours))
    assert response.status_code == 403
    assert b"registered" not in response.content  # says nothing about the addresses
    assert not Registration.objects.filter(attended=True).exists()


def test_attendance_import_for_a_series_organiser(client, world, login_as):
    login_as("series organiser")
    page = client.get(changelist(Registration)).content.decode()
    assert "import-attendance/" in page
    refused = import_attendance(client, world.talk(world.theirs), b"ada@their-series.example\n")
    assert refused.status_code == 400 and "ada@their-series" not in refused.content.decode()
    assert not Registration.objects.filter(attended=True).exists()
    done = import_attendance(client, world.talk(world.ours))
    assert done.status_code == 302
    assert Registration.objects.get(attended=True) == world.registrations[world.ours.slug]


def test_import_link_hidden_from_who_may_not_import(client, world, login_as, person_with_role):
    from django.contrib.auth.models import Permission

    reader = person_with_role("no role")
    reader.user_permissions.add(Permission.objects.get(codename="view_registration"))
    client.force_login(reader)
    page = client.get(changelist(Registration)).content.decode()
    assert page and "import-attendance/" not in page
    assert client.get("/admin/registrations/registration/import-attendance/").status_code == 403


# ---------------------------------------------------------------- API tokens in the back office


@pytest.mark.parametrize("role", ["series organiser", "editor"])
def test_a_token_is_created_only_for_oneself(client, login_as, organiser, role):
    user = login_as(role)
    form = client.get("/admin/api/apitoken/add/").content.decode()
    assert organiser.username not in form
    data = {"name": "mine", "scope": "write", "expires_at_0": "", "expires_at_1": ""}
    response = client.post("/admin/api/apitoken/add/", {**data, "user": organiser.pk})
    assert response.status_code == 200 and not ApiToken.objects.filter(user=organiser).exists()
    assert client.post("/admin/api/apitoken/add/", {**data, "user": user.pk}).status_code == 200
    assert ApiToken.objects.get().user == user


def test_others_tokens_are_invisible_except_to_administrators(client, login_as, organiser, person_with_role):
    from clustertalks.api.services import issue_token

    theirs, _plain = issue_token(organiser, "root's")
    login_as("editor")
    assert "root&#x27;s" not in client.get("/admin/api/apitoken/").content.decode()
    assert client.get(change(theirs)).status_code == 302
    client.force_login(person_with_role("administrator"))
    assert "root&#x27;s" in client.get("/admin/api/apitoken/").content.decode()


@pytest.mark.parametrize("role", ["viewer", "no role"])
def test_viewers_cannot_create_tokens(client, login_as, role):
    login_as(role)
    assert client.get("/admin/api/apitoken/add/").status_code == 403


def test_issue_token_refuses_minting_for_someone_else(person_with_role, organiser):
    from django.core.exceptions import PermissionDenied

    from clustertalks.api.services import issue_token

    editor = person_with_role("editor")
    with pytest.raises(PermissionDenied):
        issue_token(organiser, "stolen", ApiToken.Scope.WRITE, by=editor)
    assert issue_token(editor, "own", ApiToken.Scope.WRITE, by=editor)[0].user == editor
    assert issue_token(editor, "given", by=person_with_role("administrator"))[0].user == editor


# ---------------------------------------------------------------- previews of drafts


@pytest.mark.parametrize("role, sees_ours, sees_theirs", [
    ("administrator", True, True), ("series organiser", True, False), ("editor", True, True),
    ("viewer", True, True), ("no role", False, False),
])
def test_draft_previews_follow_the_roles(client, world, login_as, role, sees_ours, sees_theirs):
    login_as(role)
    for talk, sees in ((world.draft(world.ours), sees_ours), (world.draft(world.theirs), sees_theirs)):
        assert client.get(talk.get_absolute_url()).status_code == (200 if sees else 404)
