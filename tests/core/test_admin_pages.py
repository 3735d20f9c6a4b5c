"""Every page of the back office opens for an organiser and stays closed to anybody else."""

import pytest
from django.contrib import admin
from django.urls import reverse

OUR_MODELS = [
    model
    for model in admin.site._registry
    if model._meta.app_config.name.startswith("clustertalks.")
]


def admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_organiser_sees_every_page(admin_client, model, view):
    assert admin_client.get(admin_url(model, view)).status_code == 200


@pytest.mark.parametrize("model", OUR_MODELS, ids=lambda m: m._meta.label)
@pytest.mark.parametrize("view", ["changelist", "add"])
def test_anonymous_visitor_is_sent_to_login(client, db, model, view):
    response = client.get(admin_url(model, view))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_all_our_models_are_in_the_back_office():
    assert len(OUR_MODELS) >= 8
