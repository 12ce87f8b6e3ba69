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
        if lines[i:i + len(old)] == old:
            return "\n".join(lines[:i] + new + lines[i + len(old):])
    raise ValueError(f"{old!r} not found after {after!r}")
