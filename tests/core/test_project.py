"""The project as a new user meets it: settings, migrations, the setup command."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

PRODUCTION_ENV = {
    "SITE_URL": "https://talks.example.eu",
    "SECRET_KEY": "Kq3v-9ZpL0sW2mX8rT6yB4nC1dF7gH5jQ0aE2uI9oP3kM6lN8vR4tY7wS1zX5cV",
    "DATABASE_URL": "",
    "DEBUG": "",
}


def run_cli(tmp_path, *args, **env):
    environment = {
        **os.environ, "CLUSTERTALKS_VAR": str(tmp_path), "DATABASE_URL": "",
        "PYTHONWARNINGS": "ignore", **env,
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "clustertalks.cli", *args],
        capture_output=True, text=True, env=environment, timeout=300,
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = run_cli(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_short_production_secret_key_is_refused(tmp_path):
    result = run_cli(tmp_path, "check", **{**PRODUCTION_ENV, "SECRET_KEY": "short"})
    assert result.returncode != 0
    assert "SECRET_KEY is too short" in result.stderr


def test_a_malformed_site_url_is_refused(tmp_path):
    result = run_cli(tmp_path, "check", SITE_URL="talks.example.eu")
    assert result.returncode != 0
    assert "SITE_URL must be an absolute http(s) URL" in result.stderr


def test_every_model_change_has_its_migration(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_setup_prepares_a_fresh_install_and_prints_the_organiser_login(tmp_path):
    first = run_cli(tmp_path, "setup", "--no-demo")
    assert first.returncode == 0, first.stderr
    assert "Organiser login created: user 'organiser'" in first.stdout
    assert "asks the organiser to set up a second factor" in first.stdout
    password = (tmp_path / "organiser-password.txt").read_text().strip()
    assert password in first.stdout
    assert (tmp_path / "clustertalks.sqlite3").exists()
    assert (tmp_path / "static" / "clustertalks" / "site.css").exists()

    second = run_cli(tmp_path, "setup", "--no-demo")
    assert second.returncode == 0, second.stderr
    assert "an account exists" in second.stdout and password not in second.stdout


@pytest.mark.parametrize("setting, expected", [("SESSION_COOKIE_SECURE", "True"), ("CSRF_COOKIE_SECURE", "True"), ("SECURE_SSL_REDIRECT", "True")])
def test_production_cookies_are_secure(tmp_path, setting, expected):
    result = run_cli(tmp_path, "shell", "-c", f"from django.conf import settings; print(settings.{setting})", **PRODUCTION_ENV)
    assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def test_processes_starting_together_share_one_secret_key(tmp_path):
    """A fresh var/: web workers and the task worker start side by side and each may create the
    key; none may read a half-written file (an empty SECRET_KEY stops a process)."""
    import os
    import subprocess
    import sys

    environment = {**os.environ, "CLUSTERTALKS_VAR": str(tmp_path), "SECRET_KEY": ""}
    started = [subprocess.Popen([sys.executable, "-c", "import clustertalks.settings as s; print(s.SECRET_KEY)"],
                                env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(8)]
    keys = [process.communicate(timeout=60)[0].strip() for process in started]
    assert all(process.returncode == 0 for process in started)
    assert len(set(keys)) == 1 and len(keys[0]) >= 50
    assert (tmp_path / "secret_key").read_text().strip() == keys[0]
    assert not list(tmp_path.glob(".secret_key.*"))  # no draft left behind
