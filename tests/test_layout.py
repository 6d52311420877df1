"""The package layout is the workflow: no module imports a stage above its own, and no circles.

Walks every import statement (module level and inside functions) with ``ast``, so a late import
cannot hide an upward dependency. The stage order is the one the packages' docstrings state.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Lowest first. A module may import its own package or a strictly lower stage. The longest
#: matching prefix decides a module's stage; within `evidence` and `cases` the integrity and
#: reference modules sit low because every stage records into them.
STAGES: list[tuple[str, ...]] = [
    ("monitor.redact",),
    ("monitor.paths", "monitor.atomic", "monitor.config", "monitor.store", "monitor.store.transfer",
     "monitor.store.pgdump"),
    ("monitor.glossary", "monitor.timefmt"),  # labels and local times for people: every stage above may use them
    ("monitor.spreadsheet",),  # the one XLSX writer (uses timefmt)
    ("monitor.evidence.keys", "monitor.evidence.audit", "monitor.evidence.netguard",
     "monitor.evidence.seal"),
    ("monitor.auth", "monitor.people"),
    ("monitor.evidence.media", "monitor.evidence.capture"),
    ("monitor.collect",),
    ("monitor.flagging", "monitor.flagging.classify", "monitor.flagging.training", "monitor.claims",
     "monitor.cases.codes", "monitor.cases.deadlines"),
    ("monitor.pipeline", "monitor.cases"),
    ("monitor.workers",),  # collectors on many hosts: the pipeline's per-account path under leases
    ("monitor.flagging.review", "monitor.flagging.groups", "monitor.flagging.report_link"),
    ("monitor.evidence", "monitor.evidence.moveup"),
    ("monitor.demo", "monitor.web"),
    ("monitor.cli",),
]
# Reading pictures (OCR, issue 17) re-scores posts, so it sits with classification.
STAGES = [(*s, "monitor.flagging.pictures") if "monitor.flagging.classify" in s else s for s in STAGES]


def stage_of(module: str) -> tuple[int, str]:
    """(rank, prefix) of the longest stage prefix that names this module or a package above it."""
    best: tuple[int, str] | None = None
    for rank, prefixes in enumerate(STAGES):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > len(best[1])):
                best = (rank, prefix)
    if best is None:
        raise AssertionError(f"{module} belongs to no stage: add it to STAGES and to its package docstring")
    return best


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Absolute names of every monitor/classifiers module this file imports, anywhere in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    me = module_name(path)
    package = me.split(".") if path.name == "__init__.py" else me.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            # `from monitor.cases import workflow` imports the submodule; `from .store import Store`
            # imports the package itself
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                found.add(sub if sub in KNOWN else target)
    return {name for name in found if name in KNOWN and name != me}


def _files() -> list[Path]:
    """Every module of the two packages the rules speak of."""
    return sorted(p for folder in ("monitor", "classifiers") for p in (ROOT / folder).rglob("*.py"))


KNOWN = {module_name(p) for p in _files()}


def import_graph() -> dict[str, set[str]]:
    return {module_name(p): imported_modules(p) for p in _files()}


def test_every_monitor_module_has_a_stage():
    for name in import_graph():
        if name.startswith("monitor.") and name != "monitor":
            stage_of(name)


def test_no_module_imports_a_higher_stage():
    upward = []
    for name, targets in import_graph().items():
        if not name.startswith("monitor."):
            continue
        rank, prefix = stage_of(name)
        for target in targets:
            if not target.startswith("monitor.") or target == "monitor":
                continue
            their_rank, their_prefix = stage_of(target)
            same_package = target.split(".")[:2] == name.split(".")[:2] and their_rank == rank
            if their_rank > rank or (their_rank == rank and not same_package and their_prefix != prefix):
                upward.append(f"{name} (stage {rank}) imports {target} (stage {their_rank})")
    assert not upward, "\n".join(sorted(upward))


def test_classifiers_import_nothing_from_monitor():
    offenders = [f"{name} imports {t}" for name, targets in import_graph().items()
                 if name.startswith("classifiers") for t in targets if t.startswith("monitor")]
    assert not offenders, "\n".join(offenders)


def test_nothing_imports_the_cli_or_the_web_layer():
    offenders = [f"{name} imports {t}" for name, targets in import_graph().items()
                 for t in targets
                 if (t.startswith("monitor.cli") and not name.startswith("monitor.cli"))
                 or (t == "monitor.web" and name != "monitor.web")]
    assert not offenders, "\n".join(offenders)


def test_no_import_circles():
    graph = {name: {t for t in targets if t.startswith("monitor")}
             for name, targets in import_graph().items() if name.startswith("monitor")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(trail[trail.index(nxt):] + [nxt] if nxt in trail else [node, nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize("bad", [
    "from ..cli import main\n",
    "def f():\n    from ..flagging import review\n",
])
def test_the_checker_catches_an_upward_import(tmp_path, monkeypatch, bad):
    """The walk itself must see late and relative imports, or the tests above prove nothing."""
    pkg = ROOT / "monitor" / "people"
    probe = pkg / "_layout_probe.py"
    probe.write_text(bad)
    try:
        targets = imported_modules(probe)
        rank, _ = stage_of("monitor.people._layout_probe")
        assert any(stage_of(t)[0] > rank for t in targets), targets
    finally:
        probe.unlink()
