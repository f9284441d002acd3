"""Every third-party package that unspun imports is declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    names = {re.split(r"[<>=!~\[ ;]", spec, maxsplit=1)[0] for spec in specs}
    return {n.lower().replace("_", "-") for n in names if n}


def _with_their_requirements(names: set[str]) -> set[str]:
    """The declared distributions plus what each of them requires (jinja2 brings markupsafe)."""
    out = set(names)
    for name in names:
        try:
            reqs = requires(name) or []
        except PackageNotFoundError:
            continue
        out.update(re.split(r"[<>=!~\[ ;(]", r, maxsplit=1)[0].lower().replace("_", "-")
                   for r in reqs if "extra ==" not in r)
    return out


def _imported() -> set[str]:
    found: set[str] = set()
    for path in (ROOT / "src" / "unspun").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names and name != "unspun"}


def test_every_imported_package_is_declared() -> None:
    dists = packages_distributions()
    declared = _with_their_requirements(_declared())
    missing = []
    for module in sorted(_imported()):
        names = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
        if not names & declared:
            missing.append(module)
    assert missing == [], f"imported but not declared in pyproject.toml: {missing}"


def test_charset_normalizer_is_a_core_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert any(d.startswith("charset-normalizer") for d in project["dependencies"])
