"""Snapshots of the public pages, to show a speed change leaves every byte a visitor gets alone.

    .venv/bin/python bench/page_snapshots.py save /tmp/before [--var /tmp/ct-cpu-bench]
    ... change the code ...
    .venv/bin/python bench/page_snapshots.py compare /tmp/before

Renders, with the page cache off and straight through the WSGI handler (as gunicorn calls it),
every public talk page and recording page of the demo series, and the home, archive (pages 1
and 2, filtered), topics, people, organisations, series, search and fixed pages, each in every
offered language: about 1,500 responses. The CSP nonce, the only part that changes from one
request to the next, is masked. `compare` renders them again and names every page whose
status, headers or body differ (with the first differing line).
"""

import argparse
import difflib
import hashlib
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cpu_talk_page  # noqa: E402  (the same demo database and environment)

NONCE = re.compile(rb'nonce(=|-)"?[A-Za-z0-9+/=_-]{8,}"?')


def application():
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def addresses() -> list[str]:
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from clustertalks.materials.models import Recording
    from clustertalks.people.models import Organisation, Person
    from clustertalks.talks.models import Series, Talk, Topic

    with translation.override(settings.LANGUAGE_CODE):
        paths = ["/", "/talks/", "/talks/?page=2", "/topics/", "/people/", "/organisations/",
                 "/privacy/", "/accessibility/", "/search/", "/search/?q=cluster", "/search/?q=green+transition",
                 "/talks/?year=2024", "/talks/?topic=" + (Topic.objects.values_list("slug", flat=True).first() or "")]
        paths += [talk.get_absolute_url() for talk in Talk.objects.published()]
        paths += [topic.get_absolute_url() for topic in Topic.objects.all()[:8]]
        paths += [person.get_absolute_url() for person in Person.objects.all()[:12]]
        paths += [organisation.get_absolute_url() for organisation in Organisation.objects.all()[:6]]
        paths += [series.get_absolute_url() for series in Series.objects.all()[:3]]
        paths += [reverse("materials:recording", args=[recording.talk.slug, recording.pk])
                  for recording in Recording.objects.select_related("talk")[:6]]
    languages = [code for code, _name in settings.LANGUAGES]
    prefixed = []
    for code in languages:
        prefix = "" if code == settings.LANGUAGE_CODE else f"/{code}"
        prefixed += [prefix + path for path in paths]
    return prefixed


def mask(header: str) -> str:
    return re.sub(r"expires=[^;]+", "expires=MASKED", NONCE.sub(b"nonce=MASKED", header.encode()).decode())


def render_all(app) -> dict[str, dict]:
    from django.test.client import RequestFactory

    factory = RequestFactory()
    pages = {}
    for path in addresses():
        environ = factory.get(path).environ
        environ["HTTP_HOST"] = "localhost"
        status, headers = [], []
        body = app(dict(environ), lambda s, h, *a: (status.append(s), headers.extend(h)))
        data = NONCE.sub(b"nonce=MASKED", b"".join(body))
        body.close()
        kept_headers = sorted(f"{k}: {mask(v)}" for k, v in headers if k.lower() not in {"date", "expires"})
        pages[path] = {"status": status[0], "headers": kept_headers, "body": data.decode("utf-8", "replace")}
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["save", "compare"])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--var", type=Path, default=Path("/tmp/ct-cpu-bench"))
    args = parser.parse_args()
    args.var.mkdir(parents=True, exist_ok=True)
    cpu_talk_page.prepare(args.var)
    os.environ.update(cpu_talk_page.app_env(args.var))
    sys.path.insert(0, str(cpu_talk_page.ROOT / "src"))
    pages = render_all(application())
    if args.action == "save":
        args.directory.mkdir(parents=True, exist_ok=True)
        (args.directory / "pages.json").write_text(json.dumps(pages))
        digest = hashlib.sha256(json.dumps(pages, sort_keys=True).encode()).hexdigest()[:16]
        print(f"saved {len(pages)} pages to {args.directory} ({digest})")
        return
    before = json.loads((args.directory / "pages.json").read_text())
    differing = 0
    for path, page in before.items():
        now = pages.get(path)
        if now == page:
            continue
        differing += 1
        if differing <= 20:
            old, new = page["body"].splitlines(), (now or {}).get("body", "").splitlines()
            first = next(difflib.unified_diff(old, new, lineterm="", n=0), None)
            print(f"DIFFERS {path}: status {page['status']} -> {(now or {}).get('status')}"
                  f"; headers {'same' if now and now['headers'] == page['headers'] else 'differ'}")
            for line in list(difflib.unified_diff(old, new, lineterm="", n=0))[2:6]:
                print("   ", line[:300])
            del first
    print(f"{len(before) - differing} of {len(before)} pages identical; {differing} differ")
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
