"""The admin site of clustertalks: the organiser dashboard as its home page, technical
sections listed for administrators only, and the small JSON endpoints of its scripts."""

from django.contrib import admin
from django.urls import path
from django.utils.translation import gettext_lazy as _

from clustertalks.roles import services as roles

from . import dashboard, views

# Screens for whoever runs the machine, not the series: hidden from everybody else's index and
# navigation (their permissions, not this list, decide what they may open).
TECHNICAL_APPS = frozenset({
    "auth", "axes", "otp_static", "otp_totp", "django_otp_webauthn", "django_tasks_database",
    "core", "audit", "roles",
})
TECHNICAL_MODELS = frozenset({
    "api.webhookendpoint", "api.webhookdelivery", "api.importedtalk",
    "captions.transcriptionjob", "feeds.shareimage",
    "people.participation",  # edited as "Speakers and roles" inside the talk form
})


def is_technical(app_label: str, model_name: str) -> bool:
    return app_label in TECHNICAL_APPS or f"{app_label}.{model_name}" in TECHNICAL_MODELS


class BackOfficeSite(admin.AdminSite):
    site_header = _("clustertalks")
    site_title = _("clustertalks back office")
    index_title = _("Back office")
    index_template = "admin/backoffice/index.html"

    def get_app_list(self, request, app_label=None):
        apps = super().get_app_list(request, app_label)
        if roles.is_administrator(request.user):
            return apps
        kept = []
        for app in apps:
            models = [m for m in app["models"]
                      if not is_technical(app["app_label"], m["object_name"].lower())]
            if models:
                kept.append({**app, "models": models})
        return kept

    def index(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dashboard": dashboard.build(request.user)}
        return super().index(request, extra_context)

    def get_urls(self):
        own = [
            path("backoffice/people/<int:pk>/details.json",
                 self.admin_view(views.person_details), name="backoffice_person_details"),
        ]
        return own + super().get_urls()
