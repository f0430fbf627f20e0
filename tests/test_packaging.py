"""Every user-facing command runs from a plain ``pip install .``: each third-party module
the package imports is installed by the main dependencies (directly or as one of their
own requirements), optional back-ends aside. ``zhanchi eval`` once failed that way: the
generator's ``qrcode`` and ``reportlab`` came only with the ``dev`` extra."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Imported only behind their extras, with a message naming the extra when missing.
OPTIONAL = {"paddleocr": "paddle", "prefect_dask": "dask", "dask": "dask", "distributed": "dask"}


def third_party_imports() -> dict[str, str]:
    """Top-level module → first file importing it, for every import in zhanchi/."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "zhanchi").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and \
                node.level == 0 else []
            for name in names:
                top = name.split(".")[0]
                if top != "zhanchi" and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(ROOT)))
    return found


def norm(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;(]", requirement.strip())[0].lower().replace("_", "-")


def installed_by(dependencies: list[str]) -> set[str]:
    """The distributions ``pip install`` of ``dependencies`` brings (no extras)."""
    seen: set[str] = set()
    todo = [norm(d) for d in dependencies]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = requires(name) or []
        except PackageNotFoundError:
            continue
        todo += [norm(r) for r in reqs if "extra ==" not in r]
    return seen


def test_every_imported_package_is_a_main_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    main = installed_by(project["dependencies"])
    dists = packages_distributions()
    missing = {}
    for module, where in third_party_imports().items():
        if module in OPTIONAL:
            continue
        owners = {d.lower().replace("_", "-") for d in dists.get(module, [])}
        if not owners & main:
            missing[module] = (where, sorted(owners))
    assert not missing, f"imported but not in [project.dependencies]: {missing}"
