"""The generator's spin table stays out of reach of every detector module."""

from __future__ import annotations

import ast
from pathlib import Path

import unspun

PACKAGE = Path(unspun.__file__).parent
# Only the generator itself and the command that runs it may reach the spin table; the
# command is a front end (the CLI group lists it), so the walk does not go through it.
ALLOWED = ("unspun.bench", "unspun.cli.bench")
FRONT_ENDS = frozenset({"unspun.cli.bench"})


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, name: str) -> set[str]:
    """Every unspun module ``path`` imports (``from a import b`` yields a and a.b)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m.startswith("unspun")}


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p, _module_name(p)) for p in PACKAGE.rglob("*.py")}


def _reaches_spin(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    """The import chain from ``start`` to a ``unspun.bench.spin*`` module, if there is one."""
    stack, seen = [(start, [start])], {start}
    while stack:
        mod, chain = stack.pop()
        for dep in graph.get(mod, set()):
            if dep.startswith("unspun.bench.spin"):
                return [*chain, dep]
            if dep in graph and dep not in seen and dep not in FRONT_ENDS:
                seen.add(dep)
                stack.append((dep, [*chain, dep]))
    return None


def test_no_detector_module_reaches_the_spin_table() -> None:
    graph = _graph()
    checked = [m for m in graph if not m.startswith(ALLOWED)]
    assert "unspun.eval.bench" in checked  # the scorer is checked too
    leaks = {m: chain for m in checked if (chain := _reaches_spin(m, graph))}
    assert not leaks, f"modules reaching the generator's spin table: {leaks}"


def test_the_check_would_catch_a_leak() -> None:
    graph = {"unspun.align.x": {"unspun.bench.generate"},
             "unspun.bench.generate": {"unspun.bench.spin_table"}}
    assert _reaches_spin("unspun.align.x", graph) == [
        "unspun.align.x", "unspun.bench.generate", "unspun.bench.spin_table"]
