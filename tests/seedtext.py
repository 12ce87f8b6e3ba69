"""Edit the seed text the way a unit's clerk would: change printed cells after a marker.

Used to build documents whose correct answer is known (one changed number ⇒ the
findings that must appear or disappear), without hand-typing DataFrames.
"""

from __future__ import annotations

from pathlib import Path

SEED = Path(__file__).parent / "fixtures" / "seed_changji_waishiban_2021.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")


def mutate(text: str, after: str, old: list[str], new: list[str]) -> str:
    """Replace the first run of lines `old` that follows the first line containing `after`."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if after in line)
    for i in range(start, len(lines) - len(old) + 1):
        if lines[i : i + len(old)] == old:
            return "\n".join(lines[:i] + new + lines[i + len(old) :])
    raise ValueError(f"{old!r} not found after {after!r}")


def split_seed(text: str = SEED_TEXT) -> tuple[str, str]:
    """The seed as a split publication: (narrative part, tables part). The narrative part is the
    单位概况 (第一部分) and the 情况说明 to the end (第三/四部分); the tables part is 第二部分, the
    预算公开表, under a cover line naming the unit and year (as 江苏's 公开表 files print one)."""
    lines = text.split("\n")
    tables_at = next(i for i, line in enumerate(lines) if line.strip().startswith("第二部分"))
    narrative_at = next(i for i, line in enumerate(lines) if line.strip().startswith("第三部分"))
    narrative = "\n".join(lines[:tables_at] + lines[narrative_at:])
    tables = "\n".join(lines[tables_at:narrative_at])
    return narrative, tables
