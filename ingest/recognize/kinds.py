"""The catalogue of table kinds (``table_kinds.yaml``) and the matching of a printed title to a kind.

A kind is what a table *is* (收支总表, 支出总表, “三公”经费支出表 …), whatever a template family
titles or numbers it (表一, 公开01表, 预算01表, 部门公开表1 …). Findings and reports name the kind
and keep the printed title for messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

CATALOGUE_PATH = Path(__file__).with_name("table_kinds.yaml")

# Quotes and bracket widths vary between templates ("三公" / “三公”, （ / ( ): fold them away.
_FOLD = str.maketrans({"“": "", "”": "", '"': "", "＂": "", "（": "(", "）": ")", "：": ":"})
_SPACES = re.compile(r"[\s\u3000]+")


def fold(text: str) -> str:
    """A title as the catalogue matches it: no spaces or quotes, half-width brackets and colons."""
    return _SPACES.sub("", text or "").translate(_FOLD)


@dataclass(frozen=True)
class Kind:
    id: str
    name: str
    slot: int | None  # the 昌吉 表N whose raw tables load this kind today; None: recognised only
    titles: tuple[tuple[str, ...], ...]  # each: fragments that must all be in the title
    exclude: tuple[str, ...] = ()
    required: bool = False  # one of the eight tables the 操作规程 requires of every 部门预算
    column_orders: dict = field(default_factory=dict, hash=False, compare=False)  # family: figure keys in printed order
    families: dict = field(default_factory=dict, hash=False, compare=False)
    load: dict = field(default_factory=dict, hash=False, compare=False)  # how a slot's rows load (tables.py)

    def match(self, folded: str) -> int:
        """Length of the longest title fragment this title matches (0: no match)."""
        if any(x in folded for x in self.exclude):
            return 0
        return max((sum(map(len, parts)) for parts in self.titles if all(p in folded for p in parts)), default=0)


LOADS = ("summary", "code", "three_public")  # how a slot kind's rows load (`load: {rows: …}`)


@lru_cache(maxsize=1)
def catalogue() -> tuple[Kind, ...]:
    data = yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))
    kinds = []
    for kind_id, spec in data["kinds"].items():
        titles = tuple(tuple(fold(p) for p in (t if isinstance(t, list) else [t])) for t in spec["titles"])
        kinds.append(
            Kind(
                kind_id,
                spec["name"],
                spec.get("slot"),
                titles,
                tuple(fold(x) for x in spec.get("exclude") or ()),
                bool(spec.get("required")),
                spec.get("column_orders") or {},
                spec.get("families") or {},
                spec.get("load") or {},
            )
        )
    slots = [k.slot for k in kinds if k.slot is not None]
    if len(slots) != len(set(slots)):
        raise ValueError(f"{CATALOGUE_PATH}: two kinds share a slot")
    unloaded = [k.id for k in kinds if k.slot is not None and k.load.get("rows") not in LOADS]
    if unloaded:
        raise ValueError(f"{CATALOGUE_PATH}: kinds with a slot need `load: {{rows: {'|'.join(LOADS)}, …}}`: {unloaded}")
    return tuple(kinds)


def by_id(kind_id: str) -> Kind:
    return next(k for k in catalogue() if k.id == kind_id)


def by_slot(slot: int) -> Kind:
    return next(k for k in catalogue() if k.slot == slot)


_NUMERALS = "一二三四五六七八九"
_PRINTED_NO = re.compile(r"^表([一二三四五六七八九]|[1-9])(?![0-9十])")


def printed_number(text: str) -> int | None:
    """The 表N number a title line prints at its start (表七： / 表7 …), or None."""
    m = _PRINTED_NO.match(fold(text))
    if not m:
        return None
    n = m.group(1)
    return int(n) if n.isdigit() else _NUMERALS.index(n) + 1


def classify(title: str) -> Kind | None:
    """The kind a printed title names, or None. A title must name a table (contain 表, or be a
    "…绩效目标情况" heading over one); the longest matching fragment wins, then catalogue order."""
    folded = fold(title)
    if "表" not in folded and not folded.endswith("绩效目标情况"):
        return None
    best, score = None, 0
    for kind in catalogue():
        s = kind.match(folded)
        if s > score:
            best, score = kind, s
    return best
