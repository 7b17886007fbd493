"""The package layout shows the architecture: no import cycles, and layers that only look down."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("machine", "sim")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports() -> dict[str, set[str]]:
    """Every project module and the project modules it imports (typing-only imports too)."""
    modules = {
        module_name(path): path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
    }
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        graph[name] = {target for target in found if target in modules and target != name}
    return graph


def test_no_module_imports_itself_through_others():
    graph = imports()
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            cycle = " -> ".join((*path[path.index(name) :], name))
            raise AssertionError(f"import cycle: {cycle}")
        if name in done:
            return
        for target in sorted(graph[name]):
            if not name.startswith(target + "."):  # a package's own __init__ is not a cycle
                visit(target, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_the_machine_never_imports_the_world():
    graph = imports()
    leaks = {name: targets for name, targets in graph.items() if name.startswith("machine")}
    assert all(not t.startswith("sim") for targets in leaks.values() for t in targets), leaks


def test_the_world_does_not_import_views_or_the_command_line():
    graph = imports()
    for name, targets in graph.items():
        if name.startswith("sim.world"):
            upward = [t for t in targets if t.startswith(("sim.views", "sim.cli"))]
            assert not upward, (name, upward)
