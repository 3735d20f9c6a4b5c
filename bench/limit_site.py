"""The limit: a bare Django view behind Django's default middleware (as `startproject` makes
it), served by gunicorn exactly like the app. bench/load.py compares every page with it.

    python -m gunicorn --chdir bench limit_site:application
"""

import django
from django.conf import settings
from django.http import HttpResponse
from django.urls import path

PAGE = "<!doctype html><html lang=en><title>limit</title><p>" + "Hello, clusters. " * 40 + "</p>"


def hello(request):
    return HttpResponse(PAGE)


urlpatterns = [path("", hello)]

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-limit-site-" + "x" * 40,
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions",
        "django.contrib.messages",
    ],
    DATABASES={},
    MIDDLEWARE=[  # Django 5.2's startproject default
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.contrib.messages.middleware.MessageMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
