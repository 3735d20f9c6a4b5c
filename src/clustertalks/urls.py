from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve as serve_file

from clustertalks.core import views as core_views

admin.site.site_header = "clustertalks"
admin.site.site_title = "clustertalks back office"
admin.site.index_title = "Back office"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("clustertalks.talks.urls")),
    path("", include("clustertalks.people.urls")),
    path("", include("clustertalks.feeds.urls")),
    path("", include("clustertalks.core.urls")),
    path("", include("clustertalks.materials.urls")),
    path("", include("clustertalks.captions.urls")),
    path("", include("clustertalks.search.urls")),
    path("", include("clustertalks.registrations.urls")),
    path("", include("clustertalks.api.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns.append(
        re_path(r"^media/(?P<path>.*)$", serve_file, {"document_root": settings.MEDIA_ROOT})
    )

handler400 = core_views.bad_request
handler404 = core_views.page_not_found
handler500 = core_views.server_error
