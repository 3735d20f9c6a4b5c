from functools import wraps

from django.urls import path, re_path

from . import views
from .api import api
from .errors import error_response


def json_method_not_allowed(view):
    """Ninja answers a wrong method with a plain-text 405; make it JSON like every other error."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type", "").startswith("text/"):
            allowed = response.get("Allow", "")
            response = error_response(405, "Method not allowed.")
            response["Allow"] = allowed
        return response

    return wrapper


def api_urls():
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = json_method_not_allowed(pattern.callback)
    return patterns, app_name, namespace


app_name = "api"
urlpatterns = [
    path("api/v1/docs", views.docs, name="docs"),
    path("api/v1/", api_urls()),
    # Anything else under /api/ answers with a JSON 404, never the HTML error page.
    re_path(r"^api/", views.not_found),
]
