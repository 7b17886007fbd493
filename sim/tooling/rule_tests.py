"""Which tests exercise which rule ids: read from `@pytest.mark.rules(...)` markers.

The test files are parsed, not imported or run, so `disputesim rules` is instant and
works without pytest installed. Only markers on a test itself (or on its class) count: a
file-wide `pytestmark` would claim every rule for every test of the file, so it is not
read (and `tests/test_traceability.py` forbids it). A Hypothesis state machine exported as
`TestName = Machine.TestCase` counts through the markers on its rules and invariants.
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


def module_rule_marks(tree: ast.Module) -> list[str]:
    """Rule ids of a module-level `pytestmark = pytest.mark.rules(...)` (not counted)."""
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "pytestmark" for target in node.targets
        ):
            values = (
                node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else [node.value]
            )
            return _marked_ids(list(values))
    return []


def _state_machines(tree: ast.Module) -> dict[str, str]:
    """Hypothesis state machines run as tests: class name -> exported test name."""
    exported = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "TestCase"
            and isinstance(node.value.value, ast.Name)
        ):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id.startswith("Test"):
                    exported[node.value.value.id] = target.id
    return exported


def _visit(
    body: list[ast.stmt],
    prefix: str,
    inherited: list[str],
    machines: dict[str, str],
    found: dict[str, list[str]],
) -> None:
    """Record the marked tests of `body` (a module's or a test class's) in `found`."""
    for node in body:
        if isinstance(node, ast.ClassDef) and node.name in machines:
            for method in node.body:
                if isinstance(method, ast.FunctionDef):
                    for rule in _marked_ids(method.decorator_list):
                        found[rule].append(f"{prefix}::{machines[node.name]}")
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            marks = inherited + _marked_ids(node.decorator_list)
            _visit(node.body, f"{prefix}::{node.name}", marks, machines, found)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and (
            node.name.startswith("test") or node.name.startswith("rule_")
        ):
            for rule in dict.fromkeys(inherited + _marked_ids(node.decorator_list)):
                found[rule].append(f"{prefix}::{node.name}")


def find_rule_tests(tests_dir: Path) -> dict[str, list[str]]:
    """rule id -> test ids ("tests/file.py::Class::test") that are marked with it."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(tests_dir.parent).as_posix()
        _visit(tree.body, where, [], _state_machines(tree), found)
    return {rule: list(dict.fromkeys(tests)) for rule, tests in found.items()}


def default_tests_dir() -> Path | None:
    """`tests/` in the working directory, else beside the installed package's source."""
    for candidate in (Path.cwd() / "tests", Path(__file__).resolve().parent.parent / "tests"):
        if candidate.is_dir():
            return candidate
    return None
