"""Load the declared types (``types/*.toml``) and layouts (``layouts/*.toml``).

Each file is validated into a frozen :mod:`.model` object, then the set is checked as a
whole: type ids unique, every layout of a known type, every field a layout names a
field of its type, and one Chinese label per field name across types (messages and the
review app label a field by its name alone). Any error names its file.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from zhanchi.doctypes.model import DocTypeDef, LayoutDef
from zhanchi.errors import DocTypeError


@dataclass(frozen=True)
class Catalogue:
    """Every declared type (in declaration order) and every layout."""

    types: tuple[DocTypeDef, ...]
    layouts: tuple[LayoutDef, ...]

    @cached_property
    def by_id(self) -> dict[str, DocTypeDef]:
        return {t.id: t for t in self.types}

    def layouts_of(self, type_id: str) -> tuple[LayoutDef, ...]:
        return tuple(lay for lay in self.layouts if lay.type == type_id)

    def in_group(self, *groups: str) -> tuple[str, ...]:
        return tuple(t.id for t in self.types if t.group in groups)


def _files(folder: Traversable | Path) -> list[Traversable | Path]:
    return sorted((f for f in folder.iterdir() if f.name.endswith(".toml")), key=lambda f: f.name)


def _parse(model: type[BaseModel], file: Traversable | Path) -> Any:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        return model.model_validate(data)
    except tomllib.TOMLDecodeError as exc:
        raise DocTypeError(f"{file.name}: not valid TOML ({exc})") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise DocTypeError(f"{file.name}: {where}: {first['msg']}") from None


def _check(types: Iterable[DocTypeDef], layouts: Iterable[LayoutDef]) -> None:
    by_id: dict[str, DocTypeDef] = {}
    labels: dict[str, str] = {}
    for t in types:
        if t.id in by_id or any(o.spec_row == t.spec_row for o in by_id.values()):
            raise DocTypeError(f"type {t.id}: its id or spec_row is declared twice")
        by_id[t.id] = t
        for f in t.fields:
            if labels.setdefault(f.name, f.label) != f.label:
                raise DocTypeError(f"{t.id}.{f.name}: label {f.label} differs from {labels[f.name]}")
    seen: set[str] = set()
    for lay in layouts:
        if lay.id in seen:
            raise DocTypeError(f"layout {lay.id} is declared twice")
        seen.add(lay.id)
        owner = by_id.get(lay.type)
        if owner is None:
            raise DocTypeError(f"layout {lay.id}: unknown type {lay.type}")
        named = [f for a in lay.anchors for f in a.fields]
        named += [*lay.labels, *lay.second_looks, *(f for side in lay.sides for f in side)]
        stray = sorted(set(named) - set(owner.field_names))
        if stray:
            raise DocTypeError(f"layout {lay.id}: {stray} are not fields of {lay.type}")


def load_catalogue(folder: Path | None = None) -> Catalogue:
    """The types and layouts of ``folder`` (``types/`` and ``layouts/`` in it), by default
    the packaged ones."""
    root: Traversable | Path = folder if folder is not None else resources.files("zhanchi.doctypes")
    types = tuple(_parse(DocTypeDef, f) for f in _files(root / "types"))
    layouts = tuple(_parse(LayoutDef, f) for f in _files(root / "layouts"))
    types = tuple(sorted(types, key=lambda t: t.spec_row))  # SPEC §2's order, not the files'
    _check(types, layouts)
    return Catalogue(types, layouts)
