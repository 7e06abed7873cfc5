"""The dependency rule of docs/architecture.md, checked over the source: `cms` imports no app of
ours, `compass` never imports `questionnaire` or `exports`, nothing imports `exports`."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "cms": {"compass", "questionnaire", "exports"},
    "compass": {"questionnaire", "exports"},
    "questionnaire": {"exports"},
}


def imported_apps(path: Path) -> set[str]:
    """The top-level packages a module imports, also inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def sources(app: str) -> list[Path]:
    return sorted(p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_only_what_the_dependency_rule_allows(app):
    broken = {
        str(path.relative_to(ROOT)): sorted(imported_apps(path) & FORBIDDEN[app])
        for path in sources(app)
        if imported_apps(path) & FORBIDDEN[app]
    }
    assert not broken, f"{app} imports what the dependency rule forbids: {broken}"


def test_the_check_sees_an_import_inside_a_function(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from questionnaire.x import y\n", encoding="utf-8")
    assert imported_apps(module) == {"questionnaire"}
