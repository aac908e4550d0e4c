"""Promises about the project itself: the README's commands, layering, lint."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DEMO_TODAY

ROOT = Path(__file__).resolve().parents[1]


def _domain_modules() -> list[str]:
    """Every module under kequ/domain, found by walking it: a new one is checked the day it lands."""
    import pkgutil

    import kequ.domain

    found = [m.name for m in pkgutil.walk_packages(kequ.domain.__path__, "kequ.domain.") if not m.ispkg]
    return sorted(found)


# The pure layer, and what sits below every layer.
PURE_MODULES = [*_domain_modules(), "kequ.errors", "kequ.i18n", "kequ.inert"]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.+?)\n```", text)[:2]


def test_readme_opens_with_two_commands_and_ci_runs_the_second() -> None:
    run_app, run_tests = readme_commands()
    assert "kequ" in run_app and "--open" in run_app
    assert "pytest" in run_tests
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert run_tests in ci


@pytest.mark.parametrize("module", PURE_MODULES)
def test_domain_modules_import_no_ui_and_no_database(module: str) -> None:
    code = (
        f"import sys, {module}; "
        "bad = [m for m in ('textual', 'sqlalchemy', 'sqlmodel', 'sqlite3') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_the_app_module_does_not_load_the_orm() -> None:
    """The first frame must not wait for SQLAlchemy: it loads in a worker."""
    code = "import sys, kequ.cli.main, kequ.ui.app; print('sqlalchemy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_every_text_exists_in_both_languages() -> None:
    from kequ.i18n import catalogue

    for key, entry in catalogue().items():
        assert entry.get("zh") and entry.get("en"), key


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ruff", "check", "src", "tests", "bench"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stdout


def test_the_agenda_reads_without_the_orm(db) -> None:
    """Today's data comes from plain SQL: the ORM's half-second import is not on its path."""
    from kequ.domain.records import NewCustomer
    from kequ.services.customers import add_customer

    add_customer(db, NewCustomer(name="王建国", honorific="王总", tier="key"))
    code = (
        "import sys, datetime; from kequ.storage.database import Database; "
        "from kequ.storage.fast_reads.agenda import agenda; "
        f"day = datetime.date.fromisoformat({DEMO_TODAY.isoformat()!r}); "
        f"items = agenda(Database(__import__('pathlib').Path({str(db.path)!r})), day); "
        "print(len(items), 'sqlalchemy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["2", "False"]


def test_the_layers_hold() -> None:
    """cli over ui over exchange over services over storage over domain (pyproject.toml)."""
    lint = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "1 kept, 0 broken" in result.stdout


def test_no_module_imports_itself_round_a_cycle() -> None:
    """Not even through an import inside a function: each cycle hid a tangle once."""
    import grimp

    graph = grimp.build_graph("kequ")
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    assert cycles == []


def _texts_in_source() -> tuple[set[str], set[str], set[str]]:
    """(every string literal, the fixed start of every f-string, the keys handed to t() or an error)."""
    import ast

    literals: set[str] = set()
    prefixes: set[str] = set()
    asked: set[str] = set()
    for path in (ROOT / "src" / "kequ").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                prefixes.add(str(node.values[0].value))
            elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                if name in ("t", "KequError", "ComplaintError", "DateInputError") and isinstance(
                    node.args[0].value, str
                ):
                    asked.add(node.args[0].value)
    return literals, prefixes, asked


def test_every_text_the_code_asks_for_exists_and_every_text_is_asked_for() -> None:
    from kequ.i18n import catalogue

    keys = set(catalogue())
    literals, prefixes, asked = _texts_in_source()
    assert sorted(asked - keys) == []
    dynamic = tuple(p for p in prefixes if "." in p)
    unused = sorted(k for k in keys if k not in literals and not k.startswith(dynamic))
    assert unused == []
