"""The form's rate limit is shared by every process when the cache is Redis."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from clustertalks.registrations import services

REDIS = "redis://127.0.0.1:6379/0"


def redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_attempts_in_another_process_count_here(settings, tmp_path):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS, "KEY_PREFIX": "clustertalks"}}
    settings.REGISTRATION_RATE_LIMIT, settings.REGISTRATION_RATE_WINDOW = 5, 600
    address = f"test-{uuid.uuid4()}"
    code = ("import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'clustertalks.settings'); django.setup(); "
            "from clustertalks.registrations import services; "
            f"print(all(services.allow_attempt({address!r}) for _ in range(5)))")
    env = {**os.environ, "REDIS_URL": REDIS, "REGISTRATION_RATE_LIMIT": "5",
           "CLUSTERTALKS_VAR": str(tmp_path), "PYTHONPATH": str(Path.cwd())}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.stdout.strip().endswith("True"), done.stderr[-2000:]
    assert services.allow_attempt(address) is False
    assert services.allow_attempt(f"{address}-other") is True
