"""The 24 catalogues are installed, complete and compiled.

Fails until every catalogue is in src/clustertalks/locale/<lang>/LC_MESSAGES/ (the translators'
work is installed there at merge): a missing language, an untranslated or fuzzy entry
(`msgfmt --statistics`), or a .mo that is not its .po compiled is a failure, never a skip.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clustertalks.core.languages import CODES, SOURCE_LANGUAGE

LOCALE = Path(__file__).resolve().parents[2] / "src" / "clustertalks" / "locale"
TRANSLATED = [code for code in CODES if code != SOURCE_LANGUAGE]  # English is the source text
STATISTICS = re.compile(r"(?:(\d+) translated messages?)?(?:, )?(?:(\d+) fuzzy translations?)?(?:, )?"
                        r"(?:(\d+) untranslated messages?)?")


def statistics(po: Path) -> tuple[int, int, int]:
    """(translated, fuzzy, untranslated) as msgfmt counts them."""
    result = subprocess.run(["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    translated, fuzzy, untranslated = (int(n or 0) for n in STATISTICS.match(line).groups())
    return translated, fuzzy, untranslated


def compile_afresh(po: Path, folder: Path) -> Path:
    mo = folder / "django.mo"
    subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True, capture_output=True)
    return mo


def compiled_messages(mo: Path) -> dict:
    """What a compiled catalogue answers. Compared by content, not by file dates: a git clone
    gives both files the time of the checkout, in either order."""
    with mo.open("rb") as handle:
        return gettext.GNUTranslations(handle)._catalog


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext's msgfmt is not installed")
@pytest.mark.parametrize("code", TRANSLATED)
def test_catalogue_is_complete_and_compiled(code, tmp_path):
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    assert po.is_file(), f"{code}: no catalogue at {po}"
    translated, fuzzy, untranslated = statistics(po)
    assert (fuzzy, untranslated) == (0, 0), f"{code}: {fuzzy} fuzzy, {untranslated} untranslated"
    assert translated > 0
    assert mo.is_file(), f"{code}: not compiled (compilemessages)"
    assert compiled_messages(mo) == compiled_messages(compile_afresh(po, tmp_path)), \
        f"{code}: the .mo is not the compiled .po (run compilemessages)"


def test_the_statistics_line_is_read_right(tmp_path):
    if shutil.which("msgfmt") is None:
        pytest.skip("gettext's msgfmt is not installed")
    po = tmp_path / "x.po"
    po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "A"\nmsgstr "Ä"\n\n#, fuzzy\nmsgid "B"\nmsgstr "B?"\n\nmsgid "C"\nmsgstr ""\n')
    assert statistics(po) == (1, 1, 1)



@pytest.fixture(scope="module")
def extracted_strings(tmp_path_factory) -> Path:
    """Every string marked in the code and templates, extracted afresh by `makemessages` from a
    copy of the package (the real locale folder is left alone)."""
    if shutil.which("xgettext") is None or shutil.which("msgcmp") is None:
        pytest.skip("gettext's xgettext/msgcmp are not installed")
    copy = tmp_path_factory.mktemp("extract") / "clustertalks"
    shutil.copytree(LOCALE.parent, copy,
                    ignore=shutil.ignore_patterns("locale*", "static", "__pycache__", "*.mo"))
    (copy / "locale").mkdir()  # makemessages writes here, never into the real LOCALE_PATHS
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    subprocess.run(["django-admin", "makemessages", "-l", "xx", "--no-obsolete",
                    "--settings=clustertalks.settings"],
                   cwd=copy, check=True, capture_output=True, env=environment)
    return copy / "locale" / "xx" / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_marked_string_is_translated_in_the_catalogue(code, extracted_strings):
    """A string added to the code but never brought into a catalogue fails here too, not only an
    empty or fuzzy entry (msgcmp counts untranslated and fuzzy entries as missing)."""
    po = LOCALE / code / "LC_MESSAGES" / "django.po"
    assert po.is_file(), f"{code}: no catalogue at {po}"
    result = subprocess.run(["msgcmp", str(po), str(extracted_strings)],
                            capture_output=True, text=True, check=False)
    missing = [line for line in result.stderr.splitlines() if "this message" in line]
    assert result.returncode == 0, f"{code}: {len(missing)} strings missing or untranslated:\n" + \
        "\n".join(result.stderr.splitlines()[:6])


def test_every_catalogue_string_is_still_found_in_the_code(extracted_strings):
    """The reverse: a string the code writes in a way makemessages cannot see (a gettext() call
    inside an f-string's braces, a helper xgettext does not know) would be dropped as obsolete by
    the next makemessages, and the page would fall back to English. Checked on the French
    catalogue (all catalogues hold the same strings)."""
    po = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(["msgcmp", "--use-untranslated", str(extracted_strings), str(po)],
                            capture_output=True, text=True, check=False)
    lost = [line for line in result.stderr.splitlines() if "used but not defined" in line]
    assert not lost, f"{len(lost)} catalogue strings no longer extracted, e.g.:\n" + "\n".join(
        _entry_at(po, int(line.split(":")[1])) for line in lost[:8])


def _entry_at(po: Path, line_number: int) -> str:
    """The msgid of the entry msgcmp points into."""
    lines = po.read_text().splitlines()[:line_number]
    return next(line for line in reversed(lines) if line.startswith("msgid "))
