"""Dependencies point one way: nothing in ``contactcenter/`` imports the apps that sit above it."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABOVE_THE_CORE = ("callbacks", "complaints", "escalations", "dashboard")


def imported_modules(path: Path, *, root: Path) -> set[str]:
    """Every module a file imports, anywhere in it (inside functions too), relative imports resolved."""
    package = list(path.relative_to(root).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package[: len(package) - node.level + 1] if node.level else []
            base = ".".join([*parts, node.module] if node.module else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def forbidden_imports(directory: Path, forbidden: tuple[str, ...]) -> list[str]:
    """``"<file> imports <module>"`` for every import, by a module under ``directory``, of a forbidden package."""
    return sorted(
        f"{path.relative_to(directory.parent)} imports {module}"
        for path in directory.rglob("*.py")
        for module in imported_modules(path, root=directory.parent)
        if module.split(".")[0] in forbidden
    )


def test_the_core_imports_no_case_app_nor_the_dashboard():
    assert forbidden_imports(ROOT / "contactcenter", ABOVE_THE_CORE) == []


def test_the_check_finds_imports_inside_functions_and_relative_ones(tmp_path):
    (tmp_path / "contactcenter" / "inner").mkdir(parents=True)
    (tmp_path / "contactcenter" / "inner" / "probe.py").write_text(
        "import dashboard.views\n"
        "def late():\n"
        "    from escalations import services\n"
        "    from .. import navigation\n"
        "    from . import callbacks\n"
    )
    assert forbidden_imports(tmp_path / "contactcenter", ABOVE_THE_CORE) == [
        "contactcenter/inner/probe.py imports dashboard.views",
        "contactcenter/inner/probe.py imports escalations",
        "contactcenter/inner/probe.py imports escalations.services",
    ]
