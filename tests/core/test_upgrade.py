"""Data lasts: the previous release's demo database migrates to this release and still serves.

`tests/data/demo-release-0.1.sqlite3.gz` is the database `clustertalks setup` made with release
0.1 (the first platform: the demo series, 50 talks, 212 people, materials), plus three
registrations, an API token and a webhook made with that release's code. Migrating it must
keep every row and leave the public pages, the manage page and the back office working.
"""

import gzip
import json
import shutil
from pathlib import Path

from tests.core.test_project import run_cli

OLD_DEMO = Path(__file__).resolve().parents[1] / "data" / "demo-release-0.1.sqlite3.gz"

CHECK = r"""
import json
from django.conf import settings
from django.test import Client, override_settings
from django.contrib.auth import get_user_model
from clustertalks.talks.models import Talk
from clustertalks.people.models import Person
from clustertalks.registrations.models import Registration
from clustertalks.registrations import services as registrations
from clustertalks.materials.models import Takeaway
from clustertalks.api.models import ApiToken, WebhookEndpoint

# Static files are not collected here: plain storage, as in the other tests.
# The organiser signs in with force_login: no second factor asked here (tests/accounts does).
override_settings(ADMIN_REQUIRE_TWO_FACTOR=False, STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client(HTTP_HOST="127.0.0.1")
talk = Talk.objects.filter(status="published").order_by("-start").first()
person = Person.objects.order_by("pk").first()
registration = Registration.objects.order_by("pk").first()
pages = {
    "home": "/", "archive": "/talks/", "talk": talk.get_absolute_url(),
    "person": person.get_absolute_url(), "search": "/search/?q=cluster",
    "manage": registrations.manage_url(registration).split("://", 1)[-1].split("/", 1)[-1],
}
statuses = {name: client.get("/" + path.lstrip("/")).status_code for name, path in pages.items()}
admin = get_user_model().objects.get(username="organiser")
client.force_login(admin)
statuses["admin talk"] = client.get(f"/admin/talks/talk/{talk.pk}/change/").status_code
print("RESULT " + json.dumps({
    "talks": Talk.objects.count(), "people": Person.objects.count(),
    "registrations": sorted(Registration.objects.values_list("status", flat=True)),
    "takeaways": Takeaway.objects.count(), "tokens": ApiToken.objects.count(),
    "webhooks": WebhookEndpoint.objects.count(), "statuses": statuses,
}))
"""


def test_previous_release_demo_database_migrates_and_serves(tmp_path):
    database = tmp_path / "previous.sqlite3"
    with gzip.open(OLD_DEMO) as packed, database.open("wb") as unpacked:
        shutil.copyfileobj(packed, unpacked)
    env = {"DATABASE_URL": f"sqlite:///{database}"}

    migrated = run_cli(tmp_path, "migrate", "--no-input", **env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    checked = run_cli(tmp_path, "shell", "-c", CHECK, **env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    line = next(x for x in checked.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    assert result["talks"] == 50
    assert result["people"] == 212
    assert result["registrations"] == ["approved"] * 3
    assert result["takeaways"] == 253
    assert result["tokens"] == 1 and result["webhooks"] == 1
    assert all(code == 200 for code in result["statuses"].values()), result["statuses"]
