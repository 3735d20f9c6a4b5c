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


def split_apps(apps: list[dict]) -> tuple[list[dict], list[dict]]:
    """The admin's app list cut in two: the organisers' work, and the technical screens."""
    work, technical = [], []
    for app in apps:
        label = app["app_label"]
        for bucket, wanted in ((work, False), (technical, True)):
            models = [m for m in app["models"] if is_technical(label, m["object_name"].lower()) == wanted]
            if models:
                bucket.append({**app, "models": models})
    return work, technical


class BackOfficeSite(admin.AdminSite):
    site_header = _("clustertalks")
    site_title = _("clustertalks back office")
    index_title = _("Back office")
    index_template = "admin/backoffice/index.html"

    def get_app_list(self, request, app_label=None):
        work, technical = split_apps(super().get_app_list(request, app_label))
        # Administrators get the technical screens too, after the organisers' work.
        return work + technical if roles.is_administrator(request.user) else work

    def index(self, request, extra_context=None):
        work, technical = split_apps(super().get_app_list(request))
        if not roles.is_administrator(request.user):
            technical = []
        extra_context = {**(extra_context or {}), "dashboard": dashboard.build(request.user),
                         "work_apps": work, "technical_apps": technical}
        return super().index(request, extra_context)

    def get_urls(self):
        own = [
            path("backoffice/people/<int:pk>/details.json",
                 self.admin_view(views.person_details), name="backoffice_person_details"),
        ]
        return own + super().get_urls()
