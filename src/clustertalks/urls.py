from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path

from clustertalks.core import views as core_views
from clustertalks.core.media import serve_media


urlpatterns = [
    # accounts: the sign-in steps and passkey calls, ahead of the admin (it owns admin/login/).
    path("admin/", include("clustertalks.accounts.urls")),
    path("admin/account/passkeys/", include("django_otp_webauthn.urls")),
    path("admin/", admin.site.urls),
    # Addresses that are the same in every language: feeds, calendars, images, the sitemap,
    # the embed, the API (its clients send Accept-Language), caption files.
    path("", include("clustertalks.feeds.urls")),
    path("", include("clustertalks.captions.urls")),
    path("", include("clustertalks.api.urls")),
    path("", include("clustertalks.branding.urls")),  # identity.css: the same in every language
]
# Pages: English at the root, every other offered language under its prefix (/fr/talks/...);
# core.language_choice sends a first visit to the browser's language.
urlpatterns += i18n_patterns(
    path("", include("clustertalks.talks.urls")),
    path("", include("clustertalks.people.urls")),
    path("", include("clustertalks.core.urls")),
    path("", include("clustertalks.materials.urls")),
    path("", include("clustertalks.search.urls")),
    path("", include("clustertalks.registrations.urls")),
    path("", include("clustertalks.newsletter.urls")),
    path("", include("clustertalks.insights.urls")),
    prefix_default_language=False,
)

if settings.SERVE_MEDIA:
    urlpatterns.append(
        # Only what the public may see, or organisers (materials/media.py), with HTTP Range.
        re_path(r"^media/(?P<path>.*)$", serve_media, name="media")
    )

handler400 = core_views.bad_request
handler404 = core_views.page_not_found
handler500 = core_views.server_error
