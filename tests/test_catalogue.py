"""The Russian catalogue is complete: every message the project's code and templates mark for translation has its
Russian, none waits as "fuzzy". Checked as a translator would find it, with Django's ``makemessages`` run on a copy
of the tracked sources (the working tree is left as it is: the team appends to the catalogue by hand)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale/ru/LC_MESSAGES/django.po")


def tracked_sources(destination: Path) -> None:
    listed = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for name in listed.splitlines():
        if name.startswith(("tests/", "docs/")) or not name.endswith((".py", ".html", ".txt", ".po", ".js")):
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)


def messages(catalogue: Path, *flags: str) -> list[str]:
    """The msgids ``msgattrib`` selects with ``flags`` (the header entry left out)."""
    selected = subprocess.run(["msgattrib", *flags, str(catalogue)], capture_output=True, text=True, check=True)
    entries = selected.stdout.split("\n\n")
    return [entry.strip() for entry in entries if "msgid" in entry and 'msgid ""\nmsgstr ""\n"Project' not in entry]


def test_the_checker_finds_an_untranslated_message(tmp_path):
    """So that a passing test below says something."""
    catalogue = tmp_path / "django.po"
    catalogue.write_text(
        'msgid ""\nmsgstr ""\n"Project-Id-Version: x\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Callbacks"\nmsgstr "Обратные звонки"\n\nmsgid "Customers\' rating"\nmsgstr ""\n',
        encoding="utf-8",
    )
    (missing,) = messages(catalogue, "--untranslated")
    assert "Customers' rating" in missing


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed (CI installs it)")
def test_every_message_of_the_code_has_its_russian(tmp_path):
    tracked_sources(tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "ru", "--no-obsolete", "--verbosity", "0"],
        cwd=tmp_path,
        env={"PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin", "VAR_DIR": str(tmp_path / "var")},
        check=True,
    )
    catalogue = tmp_path / CATALOGUE
    assert messages(catalogue, "--untranslated") == []
    assert messages(catalogue, "--only-fuzzy") == []
