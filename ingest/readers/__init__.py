"""Readers: turn a file into a GridDocument. No disclosure knowledge lives here.

To add a reader, write a function `read_xxx(path) -> GridDocument` in a module of
this package and register its suffixes in READERS below (see docs/adding-a-reader.md).
"""
from __future__ import annotations

from pathlib import Path

from ingest.grid import GridDocument
from ingest.readers.text import read_text


class UnreadableFileError(Exception):
    """The file cannot be turned into a grid at all (it is quarantined)."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


READERS = {
    ".txt": read_text,
}


def read_document(path: Path) -> GridDocument:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise UnreadableFileError(
            path, f"no reader for files ending in {path.suffix!r} (known: {', '.join(sorted(READERS))})"
        )
    return reader(path)
