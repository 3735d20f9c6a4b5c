"""An upload over the limits, sent to a real gunicorn as a browser sends it: the answer is the
screen with "Nothing was saved", not a reset connection (issue 8)."""

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
SETUP = """
import django; django.setup()
import datetime as dt
from django.contrib.auth import get_user_model
from clustertalks.talks.models import Talk
get_user_model().objects.create_superuser("organiser", "o@example.org", "pw-organiser-1")
start = dt.datetime(2024, 3, 6, 7, 30, tzinfo=dt.UTC)
print(Talk.objects.create(title="Big files", start=start, end=start + dt.timedelta(hours=1), status="published").pk)
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """A real gunicorn (sync worker, as `clustertalks serve`) on its own SQLite database."""
    home = tmp_path_factory.mktemp("upload-server")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.materials.upload_server_settings",
           "DATABASE_URL": f"sqlite:///{home}/db.sqlite3", "MEDIA_ROOT": str(home / "media"),
           "PYTHONPATH": str(ROOT), "DEBUG": "", "SEARCH_INDEX_AFTER_COMMIT": ""}
    python = sys.executable
    subprocess.run([python, "-m", "django", "migrate", "-v0"], env=env, cwd=ROOT, check=True, timeout=300)
    talk_pk = subprocess.run([python, "-c", SETUP], env=env, cwd=ROOT, check=True, timeout=120,
                             capture_output=True, text=True).stdout.split()[-1]
    port = free_port()
    process = subprocess.Popen(
        [python, "-m", "gunicorn", "clustertalks.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "60"],
        env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        yield port, talk_pk
    finally:
        process.terminate()
        process.wait(timeout=15)


class Browser:
    """Just enough of a browser: cookies, CSRF token, a streamed multipart upload."""

    def __init__(self, port):
        self.port, self.cookies = port, {}

    def request(self, method, path, body=None, headers=None, stream=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), **(headers or {})}
        if stream is None:
            connection.request(method, path, body=body, headers=headers)
        else:
            connection.putrequest(method, path)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders()
            for chunk in stream:
                connection.send(chunk)
        response = connection.getresponse()
        for value in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name] = rest.split(";")[0]
        content = response.read().decode(errors="replace")
        connection.close()
        return response, content

    def csrf(self, path) -> str:
        _response, page = self.request("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def log_in(self):
        token = self.csrf("/admin/login/")
        body = f"csrfmiddlewaretoken={token}&username=organiser&password=pw-organiser-1&next=/admin/"
        response, _ = self.request("POST", "/admin/login/", body,
                                   {"Content-Type": "application/x-www-form-urlencoded",
                                    "Referer": f"http://127.0.0.1:{self.port}/admin/login/"})
        assert response.status == 302


def multipart(token: str, file_field: str, file_size: int, padding: int = 0):
    """The screen's form with one big file (and optionally a big text field after it)."""
    boundary = uuid.uuid4().hex
    fields = {"csrfmiddlewaretoken": token, "recordings-TOTAL_FORMS": "0", "recordings-INITIAL_FORMS": "0",
              "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
              "attachments-0-order": "0", "attachments-0-kind": "slides", "attachments-0-title": "Big",
              "summary-TOTAL_FORMS": "0", "summary-INITIAL_FORMS": "0",
              "takeaways-TOTAL_FORMS": "0", "takeaways-INITIAL_FORMS": "0"}
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="big.pdf"\r\n'
             f"Content-Type: application/pdf\r\n\r\n%PDF-1.4\n").encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    size = len(head) + file_size + len(tail)

    def chunks():
        yield head
        left = file_size
        while left:
            step = min(left, 256 * 1024)
            yield b"0" * step
            left -= step
        yield tail

    return boundary, size, chunks()


@pytest.mark.parametrize("file_size", [10 * MB, 16 * MB], ids=["file-over-its-limit", "body-over-the-limit"])
def test_an_oversized_upload_gets_the_nothing_saved_screen(server, file_size):
    port, talk_pk = server
    browser = Browser(port)
    browser.log_in()
    path = f"/admin/materials/talkmaterials/{talk_pk}/change/"
    boundary, size, stream = multipart(browser.csrf(path), "attachments-0-file", file_size)

    started = time.monotonic()
    response, _ = browser.request("POST", path, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Content-Length": str(size),
        "Referer": f"http://127.0.0.1:{port}{path}",
    }, stream=stream)

    assert response.status == 302 and response.headers["Location"] == path
    _response, page = browser.request("GET", path)
    assert "Nothing was saved: the upload is too large" in page
    assert time.monotonic() - started < 30
