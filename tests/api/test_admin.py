"""Back office: a token is shown once at creation, deliveries can be retried, nothing leaks."""

import re

from clustertalks.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
from clustertalks.api.services import authenticate


def test_creating_a_token_shows_it_once_and_it_works(admin_client, organiser):
    response = admin_client.post("/admin/api/apitoken/add/", {
        "user": organiser.pk, "name": "CI pipeline", "scope": "write", "expires_at_0": "", "expires_at_1": "",
    })
    assert response.status_code == 200
    html = response.content.decode()
    token = ApiToken.objects.get()
    plain = re.search(r'id="new-token"[^>]*value="([^"]+)"', html).group(1)
    assert plain.startswith(f"ct_{token.prefix}_")
    assert authenticate(plain) == token
    assert "no-store" in response["Cache-Control"]
    detail = admin_client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
    assert plain not in detail and plain.split("_", 2)[2] not in detail


def test_endpoint_form_and_delivery_retry(admin_client, django_capture_on_commit_callbacks, settings):
    settings.WEBHOOK_ALLOWED_HOSTS = ["127.0.0.1"]  # a local receiver, allowed by the administrator
    response = admin_client.post("/admin/api/webhookendpoint/add/", {
        "name": "CRM", "url": "http://127.0.0.1:9/hook", "events": ["talk.published"],
        "secret": "abc", "active": "on",
    })
    assert response.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["talk.published"]
    bad = admin_client.post("/admin/api/webhookendpoint/add/", {
        "name": "x", "url": "ftp://example.org", "events": ["talk.published"], "secret": "abc",
    })
    assert bad.status_code == 200 and WebhookEndpoint.objects.count() == 1

    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint, event="talk.published", event_id="6f1c1a4e-1c2a-4c55-9a7e-0d7c1f0e2b11",
        payload={"id": "x"}, status="failed", attempts=8,
    )
    assert admin_client.get("/admin/api/webhookdelivery/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post("/admin/api/webhookdelivery/", {"action": "retry", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    # Exactly one more attempt (port 9 refuses it), so it is given up again.
    assert (delivery.attempts, delivery.status) == (8, "failed") and delivery.last_error
