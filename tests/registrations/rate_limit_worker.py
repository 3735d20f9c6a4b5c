"""Run in a separate process by test_rate_limit.py: count N attempts against one key in the
`ratelimit` cache and print how many were allowed. Settings come from the environment."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clustertalks.settings")
django.setup()

from clustertalks.core import ratelimit  # noqa: E402

key, attempts, limit = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
print(sum(ratelimit.hit("test", key, limit, 600) for _ in range(attempts)))
