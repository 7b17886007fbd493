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


FLOORS = (
    ("machine", "sim.errors", "sim.files", "sim.tomlfile", "sim.shipped"),
    ("sim.world",),
    ("sim.measures",),
    ("sim.experiments",),
    ("sim.fitting",),
    ("sim.discovery",),
    ("sim.views",),
    ("sim.tooling", "sim.api", "sim.cli", "sim.verbs", "sim.arguments", "sim.__main__", "sim"),
)
"""machine -> world -> measures -> experiments -> fitting -> discovery -> views -> command
line, API and tooling: each floor imports only floors below it (or itself)."""


def floor(module: str) -> int:
    for level, names in enumerate(FLOORS):
        if any(module == n or module.startswith(n + ".") for n in names if n != "sim"):
            return level
    assert module == "sim", f"{module} is on no floor: add it to FLOORS"
    return len(FLOORS) - 1


def test_no_import_points_up_a_floor():
    upward = {
        (name, target)
        for name, targets in imports().items()
        for target in targets
        if floor(target) > floor(name)
    }
    assert not upward, sorted(upward)


def test_the_floors_hold_what_the_architecture_says():
    """The world's input and output, and the figure catalogue, sit on their own floors."""
    graph = imports()
    assert {"sim.world.scenario", "sim.world.runner", "sim.world.records.results"} <= set(graph)
    assert {"sim.measures.metrics", "sim.measures.figure"} <= set(graph)
    assert not any(name.startswith("sim.views") and "modeldoc" in name for name in graph)


WORLD = ROOT / "sim" / "world"
WORLD_FLOORS = (
    ("sim.world.params",),
    ("sim.world.window", "sim.world.seeds", "sim.world.market", "sim.world.behaviour.profiles",
     "sim.world.behaviour.team", "sim.world.behaviour.fitted", "sim.world.population.settings",
     "sim.world.population.adaptation"),
    ("sim.world.scenario",),
    ("sim.world.records",),
    ("sim.world.population",),
    ("sim.world.behaviour",),
    ("sim.world.engines",),
    ("sim.world.runner", "sim.world"),
)  # fmt: skip
"""Inside the world: the parameters and the scenario they make, then the rooms (records ->
population -> behaviour -> engines), then `run`. A room's parameter modules sit below the
scenario, which holds them; the rest of the room sits above it, and reads it."""


def world_floor(module: str) -> int:
    """The floor of a world module: the most specific name that holds it."""
    held = [
        (len(name), level)
        for level, names in enumerate(WORLD_FLOORS)
        for name in names
        if module == name or (name != "sim.world" and module.startswith(name + "."))
    ]
    assert held or module == "sim.world", f"{module} is on no floor of the world"
    return max(held)[1] if held else len(WORLD_FLOORS) - 1


def test_the_world_s_rooms_import_one_way():
    """records -> population -> behaviour -> engines -> run: a room imports only the rooms
    before it, the scenario and its parts; no part of the scenario reads the scenario."""
    upward = {
        (name, target)
        for name, targets in imports().items()
        if name.startswith("sim.world")
        for target in targets
        if target.startswith("sim.world") and world_floor(target) > world_floor(name)
    }
    assert not upward, sorted(upward)


def test_the_world_s_top_holds_its_input_and_its_entry_and_every_room_says_what_it_holds():
    """At most eight modules at the world's top; each room's docstring names every module
    it holds and says what the room may import."""
    top = sorted(path.name for path in WORLD.glob("*.py"))
    assert len(top) <= 8, top
    rooms = sorted(path for path in WORLD.iterdir() if (path / "__init__.py").exists())
    assert {room.name for room in rooms} >= {"records", "population", "behaviour", "engines"}
    for room in rooms:
        doc = ast.get_docstring(ast.parse((room / "__init__.py").read_text())) or ""
        assert "import" in doc, f"{room.name}: the docstring says not what the room may import"
        modules = {path.stem for path in room.glob("*.py") if path.stem != "__init__"}
        packages = {path.name for path in room.iterdir() if (path / "__init__.py").exists()}
        held = modules | packages
        unnamed = sorted(name for name in held if f"`{name}`" not in doc)
        assert not unnamed, f"{room.name}: its docstring does not name {unnamed}"


def test_no_class_of_the_world_is_longer_than_a_reader_takes_in_at_once():
    long = {
        f"{path.relative_to(ROOT)}:{node.name}": node.end_lineno - node.lineno + 1
        for path in WORLD.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > 300
    }
    assert not long, long


def test_no_module_re_exports_what_it_imports():
    """A name is imported where it lives: outside a package's own `__init__` (its public
    face), an import kept though unused (`noqa: F401`) only loads a module for what
    loading it does (filling the machine's registries), never hands a name on."""
    modules = set(imports())
    passed_on = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if path.name == "__init__.py":
                continue
            lines = path.read_text().splitlines()
            for node in ast.walk(ast.parse("\n".join(lines))):
                if (
                    not isinstance(node, ast.ImportFrom)
                    or "noqa: F401" not in lines[node.lineno - 1]
                ):
                    continue
                names = [f"{node.module}.{alias.name}" for alias in node.names]
                passed_on += [f"{path.relative_to(ROOT)}: {n}" for n in names if n not in modules]
    assert not passed_on, passed_on


def test_the_command_line_runs_nothing_of_its_own():
    """The command line parses and prints: every experiment it starts goes through the
    Python API, never a plan or runner of its own, and every line it prints about a
    result is built by a view (it has no print of a result's fields of its own)."""
    source = (ROOT / "sim" / "cli.py").read_text()
    verbs = sorted((ROOT / "sim" / "verbs").glob("*.py"))
    tree = ast.Module(
        body=[
            node
            for path in [ROOT / "sim" / "cli.py", *verbs]
            for node in ast.parse(path.read_text()).body
        ],
        type_ignores=[],
    )
    called = {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
    }
    own = {"Plan", "Point", "carry_out", "execute", "process_pool", "run", "replication_series",
           "run_sweep", "study_warmup", "analyse_warmup", "indices", "checks"}  # fmt: skip
    assert not called & own, sorted(called & own)
    taken = {
        (node.module, alias.name)
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    below_views = {(m, n) for m, n in taken if m.startswith(("sim.experiments", "sim.world"))}
    assert below_views <= {
        ("sim.experiments.experiment", "Precision"),  # the --precision option's type
        ("sim.experiments.scenario", "load_scenario"),
        ("sim.experiments.folder", "ResultsFolder"),  # opened for the folder views
        ("sim.world.records.footprint", "MEMORY_VARIABLE"),  # --memory, passed to workers
        ("sim.world.runner", "Engine"),  # the --engine option's type
    }, below_views
    assert len(source.splitlines()) < 400
    assert all(len(path.read_text().splitlines()) < 400 for path in verbs)


def test_actors_ask_the_machine_instead_of_copying_its_windows():
    """The actors take every window from the machine (`opening`, `allows`, the bank's
    `earliest_credit`): no deadline of machine.deadlines that the table names, and no
    lever a window is made of, appears in their code."""
    from machine.registry import DEADLINES

    source = (ROOT / "sim" / "world" / "behaviour" / "actors.py").read_text()
    import machine.process  # noqa: F401  (fills the registries)

    assert len(DEADLINES.entries) > 10
    for name in DEADLINES.entries:
        assert f"deadlines.{name}" not in source, name
    levers = ("protection_days", "appeal_days", "return_ship_days", "reason_change_days",
              "max_appeals", "max_extension_days", "earliest_dispute_days",
              "manual_escalation_days", "post_completion_days", "instant_cancel")  # fmt: skip
    for lever in levers:
        assert lever not in source, lever
