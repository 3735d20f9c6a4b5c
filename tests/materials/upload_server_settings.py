"""Settings of the real gunicorn started by test_upload_limits_gunicorn: small upload limits."""

from clustertalks.settings import *  # noqa: F403

MATERIALS_MAX_PDF_BYTES = 256 * 1024
MATERIALS_MAX_VIDEO_BYTES = 512 * 1024
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The test signs in with a password only: no second factor, no lockout (tests/accounts covers them).
ADMIN_REQUIRE_TWO_FACTOR = False
AXES_ENABLED = False
