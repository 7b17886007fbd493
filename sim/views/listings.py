"""What the commands that run nothing print: the rules traced to code and tests, the
process's structure, the levers, the presets and the files validated."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from machine.structure import Report
    from sim.views.checked import RuleTrace, Validated


def rule_lines(trace: RuleTrace) -> list[str]:
    """Each rule id, its sources, where it is implemented and which tests exercise it."""
    lines = []
    for rule in trace.rules:
        lines += [f"{rule.id:<4} {rule.text}", f"     sources: {', '.join(rule.sources)}"]
        lines += [f"     {kind}: {', '.join(names)}" for kind, names in trace.code[rule.id].items()]
        lines += [f"     test: {test}" for test in trace.tests.get(rule.id, [])] or [
            "     test: NONE"
        ]
    count = len(trace.rules)
    return [*lines, "", (
        f"{count} rules, {count - len(trace.unimplemented)} implemented, "
        f"{count - len(trace.untested)} tested ({trace.links} rule-to-test links, each from a "
        "marker on the test itself)"
    )]  # fmt: skip


def rule_gaps(trace: RuleTrace) -> list[str]:
    """The rules without code or without a test (for standard error)."""
    gaps = []
    if trace.unimplemented:
        gaps.append(f"not implemented: {', '.join(trace.unimplemented)}")
    if trace.untested:
        gaps.append(f"no test: {', '.join(trace.untested)}")
    return gaps


def check_lines(report: Report) -> list[str]:
    """The process's size, the shortest path to every state, and every structural defect."""
    from machine.table import END_STATES, STATES, TRANSITIONS

    lines = [
        f"{len(STATES)} states ({len(END_STATES)} end states), {len(TRANSITIONS)} transitions",
        "shortest path from the initial state:",
    ]
    for state, path in report.shortest_paths.items():
        lines.append(f"  {state:<22} {' > '.join(path) or '(initial)'}")
    defects = {
        "unreachable states": report.unreachable,
        "trap states (cannot reach an end)": report.traps,
        "end states with a way out": report.leaky_end_states,
        "states used by a transition but not declared": report.unknown_states,
    }
    for title, states in defects.items():
        lines.append(f"{title}: {', '.join(states) if states else 'none'}")
    return [*lines, "OK" if report.ok else "DEFECTS FOUND"]


def lever_lines() -> list[str]:
    """Every policy lever: default, accepted values, rules, source."""
    from machine.policy import Policy

    lines = []
    for info in Policy.lever_info().values():
        flag = "  (assumed)" if info.assumed else ""
        lines += [
            f"{info.name} = {info.default!r}{flag}",
            f"    {info.doc}",
            f"    accepts {info.expected}; rules {', '.join(info.rules)}; source {info.source}",
        ]
    return lines


def preset_lines(name: str | None = None) -> list[str]:
    """The named presets and seller standards, or one's levers (KeyError if unknown)."""
    from machine.presets import PRESETS, STANDARD_PRESETS, preset

    if name is not None:
        chosen = STANDARD_PRESETS.get(name) or preset(name)
        lines = [f"{chosen.name}: {chosen.title}", f"sources: {'; '.join(chosen.sources)}"]
        for lever, value in chosen.levers.items():
            note = f"  (assumed: {chosen.assumed[lever]})" if lever in chosen.assumed else ""
            lines.append(f"  {lever} = {value!r}{note}")
        kept = {lever: why for lever, why in chosen.assumed.items() if lever not in chosen.levers}
        lines += [f"  {lever}: default kept (assumed: {why})" for lever, why in kept.items()]
        return lines
    width = max(len(name) for name in (*PRESETS, *STANDARD_PRESETS))
    lines = []
    for chosen in PRESETS.values():
        kind = f"[{chosen.variant_of}] " if chosen.variant_of else ""
        lines.append(f"{chosen.name:<{width}}  {kind}{chosen.title} ({', '.join(chosen.sources)})")
    lines.append("seller standards and abuse review (policy.standards, on top of a preset):")
    lines += [f"{chosen.name:<{width}}  {chosen.title} ({', '.join(chosen.sources)})"
              for chosen in STANDARD_PRESETS.values()]  # fmt: skip
    return lines


def validated_line(found: Validated) -> str:
    """`ok  PATH: kind name (what it holds)`, or the one line that refused it."""
    if not found.ok:
        named = str(found.error).startswith(f"{found.path}:")  # the loader named the file
        return f"disputesim: error: {found.error if named else f'{found.path}: {found.error}'}"
    if found.kind == "scenario":
        *held, preset, window, size = found.details
        arms = f"{held[0]}, " if held else ""
        return f"ok  {found.path}: {found.name} ({arms}{preset}, {window}; {size})"
    return f"ok  {found.path}: {found.kind} {found.name} ({', '.join(found.details)})"
