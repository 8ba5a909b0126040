"""Reproducible installs: every package, transitive ones included, is pinned with its hashes in the locked
requirements, which ``make install`` installs with ``--require-hashes``; the hand-written ``requirements*.in``
name the direct dependencies, each at the version locked."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]+\])?==(?P<version>\S+)")


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path: Path) -> dict[str, tuple[str, int]]:
    """``{name: (version, number of hashes)}`` of a file written by ``uv pip compile --generate-hashes``."""
    text = path.read_text().replace("\\\n", " ")
    found = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        match = REQUIREMENT.match(line)
        assert match, f"{path.name}: not pinned with ==: {line}"
        found[normalized(match["name"])] = (match["version"], line.count("--hash=sha256:"))
    return found


def direct(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            match = REQUIREMENT.match(line)
            assert match, f"{path.name}: a direct dependency is pinned with ==: {line}"
            found[normalized(match["name"])] = match["version"]
    return found


def test_every_locked_package_is_pinned_with_a_hash():
    for name in ("requirements.txt", "requirements-dev.txt"):
        packages = locked(ROOT / name)
        assert packages, name
        assert {package for package, (_version, hashes) in packages.items() if hashes == 0} == set(), name


def test_the_direct_dependencies_are_locked_at_their_versions():
    runtime, development = locked(ROOT / "requirements.txt"), locked(ROOT / "requirements-dev.txt")
    for package, version in direct(ROOT / "requirements.in").items():
        assert runtime.get(package, (None,))[0] == version, package
    for package, version in {**direct(ROOT / "requirements.in"), **direct(ROOT / "requirements-dev.in")}.items():
        assert development.get(package, (None,))[0] == version, package


def test_production_installs_the_same_versions_as_development():
    runtime, development = locked(ROOT / "requirements.txt"), locked(ROOT / "requirements-dev.txt")
    assert {package: version for package, (version, _h) in runtime.items()} == {
        package: development[package][0] for package in runtime
    }


def test_make_install_requires_the_hashes():
    makefile = (ROOT / "Makefile").read_text()
    assert "pip install --quiet --require-hashes -r requirements-dev.txt" in makefile
