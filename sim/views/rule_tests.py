"""Which tests exercise which rule ids: read from `@pytest.mark.rules(...)` markers.

The test files are parsed, not imported or run, so `disputesim rules` is instant and
works without pytest installed. A marker on a class covers each of its tests.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path


def _marked_ids(decorators: list[ast.expr]) -> list[str]:
    ids: list[str] = []
    for decorator in decorators:
        if not isinstance(decorator, ast.Call):
            continue
        func = decorator.func  # pytest.mark.rules(...) or an alias named `rules`
        named = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if named == "rules":
            ids += [
                arg.value
                for arg in decorator.args
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            ]
    return ids


def _module_ids(tree: ast.Module) -> list[str]:
    """Ids of a module-level `pytestmark = pytest.mark.rules(...)`."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            values = (
                node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
            )
            return _marked_ids(list(values))
    return []


def find_rule_tests(tests_dir: Path) -> dict[str, list[str]]:
    """rule id -> test ids ("tests/file.py::Class::test") that are marked with it."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        module_ids = _module_ids(tree)
        where = path.relative_to(tests_dir.parent).as_posix()

        def visit(body: list[ast.stmt], prefix: str, inherited: list[str]) -> None:
            for node in body:
                if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                    visit(
                        node.body,
                        f"{prefix}::{node.name}",
                        inherited + _marked_ids(node.decorator_list),
                    )
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    node.name.startswith("test") or node.name.startswith("rule_")
                ):
                    for rule in dict.fromkeys(inherited + _marked_ids(node.decorator_list)):
                        found[rule].append(f"{prefix}::{node.name}")

        visit(tree.body, where, module_ids)
    return dict(found)


def default_tests_dir() -> Path | None:
    """`tests/` in the working directory, else beside the installed package's source."""
    for candidate in (Path.cwd() / "tests", Path(__file__).resolve().parent.parent / "tests"):
        if candidate.is_dir():
            return candidate
    return None
