"""Dependencies point one way: nothing in ``contactcenter/`` imports the apps that sit above it, and the audit
trail, the lowest app, imports no other (the directory uses it, never the reverse)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABOVE_THE_CORE = ("callbacks", "complaints", "escalations", "phrases", "feedback", "dashboard", "privacy", "api")


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


def module_file(module: str, *, root: Path) -> Path | None:
    """The project's file of a module; None for a name imported from a module, or a module of another package."""
    parts = module.split(".")
    for candidate in (root.joinpath(*parts).with_suffix(".py"), root.joinpath(*parts, "__init__.py")):
        if candidate.is_file():
            return candidate
    return None


def reached_modules(directory: Path, *, root: Path) -> dict[str, Path]:
    """Every project module that the modules under ``directory`` import, directly or through other project
    modules: ``{module: the file that imports it}``."""
    reached: dict[str, Path] = {}
    pending = list(directory.rglob("*.py"))
    seen = set(pending)
    while pending:
        path = pending.pop()
        for module in imported_modules(path, root=root):
            found = module_file(module, root=root)
            if found is None:
                continue
            reached.setdefault(module, path)
            if found not in seen:
                seen.add(found)
                pending.append(found)
    return reached


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


def test_the_audit_trail_imports_no_other_app_even_through_a_shared_module():
    reached = reached_modules(ROOT / "contactcenter" / "audit", root=ROOT)
    apps = ("directory", "calendars", "deadlines", "alerts")
    others = {
        module: str(path.relative_to(ROOT))
        for module, path in reached.items()
        if module.split(".")[0] in ABOVE_THE_CORE or any(module.startswith(f"contactcenter.{app}") for app in apps)
    }
    assert others == {}


def test_reaching_follows_a_shared_module(tmp_path):
    (tmp_path / "contactcenter" / "audit").mkdir(parents=True)
    (tmp_path / "contactcenter" / "directory").mkdir()
    (tmp_path / "contactcenter" / "audit" / "admin.py").write_text("from contactcenter.shared import Mixin\n")
    (tmp_path / "contactcenter" / "shared.py").write_text("from contactcenter.directory.models import Branch\n")
    (tmp_path / "contactcenter" / "directory" / "models.py").write_text("Branch = object\n")
    reached = reached_modules(tmp_path / "contactcenter" / "audit", root=tmp_path)
    assert reached["contactcenter.directory.models"] == tmp_path / "contactcenter" / "shared.py"
