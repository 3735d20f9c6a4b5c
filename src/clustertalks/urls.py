from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from clustertalks.core import views as core_views
from clustertalks.core.media import serve_media


urlpatterns = [
    # accounts: the sign-in steps and passkey calls, ahead of the admin (it owns admin/login/).
    path("admin/", include("clustertalks.accounts.urls")),
    path("admin/account/passkeys/", include("django_otp_webauthn.urls")),
    path("admin/", admin.site.urls),
    path("", include("clustertalks.talks.urls")),
    path("", include("clustertalks.people.urls")),
    path("", include("clustertalks.feeds.urls")),
    path("", include("clustertalks.core.urls")),
    path("", include("clustertalks.materials.urls")),
    path("", include("clustertalks.captions.urls")),
    path("", include("clustertalks.search.urls")),
    path("", include("clustertalks.registrations.urls")),
    path("", include("clustertalks.newsletter.urls")),
    path("", include("clustertalks.insights.urls")),
    path("", include("clustertalks.api.urls")),
    path("", include("clustertalks.branding.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        # Only what the public may see, or organisers (materials/media.py), with HTTP Range.
        re_path(r"^media/(?P<path>.*)$", serve_media, name="media")
    )

handler400 = core_views.bad_request
handler404 = core_views.page_not_found
handler500 = core_views.server_error
