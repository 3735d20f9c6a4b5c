"""Every page of the back office opens for an organiser and stays closed to anybody else."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

OUR_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_config.name.startswith("clustertalks.")
]


def admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


def can_add(model, user) -> bool:
    """Logs (sent emails, webhook deliveries) are written by the system, never added by hand."""
    request = RequestFactory().get("/")
    request.user = user
    return admin.site._registry[model].has_add_permission(request)


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_organiser_sees_every_list(admin_client, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
def test_organiser_sees_every_add_form_that_exists(admin_client, organiser, model):
    expected = 200 if can_add(model, organiser) else 403
    assert admin_client.get(admin_url(model, "add")).status_code == expected


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_anonymous_visitor_is_sent_to_login(client, db, model, view):
    response = client.get(admin_url(model, view))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_all_our_models_are_in_the_back_office():
    assert len(OUR_MODELS) >= 8
