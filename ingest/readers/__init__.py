"""Readers: turn a file into a GridDocument. No disclosure knowledge lives here.

To add a reader, write a function `read_xxx(path) -> GridDocument` in a module of
this package and register its suffixes in READERS below (see docs/adding-a-reader.md).
Readers are imported on first use, so a heavy library (pdfplumber, openpyxl) costs
nothing to a run that never meets its format.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ingest.grid import GridDocument


class UnreadableFileError(Exception):
    """The file cannot be turned into a grid at all (it is quarantined)."""

    def __init__(self, path: Path | str, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{path}: {reason}")


# suffix → "module:function"
READERS: dict[str, str] = {
    ".txt": "ingest.readers.text:read_text",
    ".docx": "ingest.readers.docx:read_docx",
    ".xlsx": "ingest.readers.xlsx:read_xlsx",
    ".xls": "ingest.readers.xlsx:read_xls",
    ".pdf": "ingest.readers.pdf:read_pdf",
}


def reader_for(path: Path):
    target = READERS.get(path.suffix.lower())
    if target is None:
        raise UnreadableFileError(
            path, f"no reader for files ending in {path.suffix!r} (known: {', '.join(sorted(READERS))})"
        )
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)


def read_document(path: Path) -> GridDocument:
    return reader_for(Path(path))(Path(path))
