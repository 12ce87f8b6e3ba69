"""Renderers: write a GridDocument as a file in one of the formats units publish.

The inverse of ingest.readers: `render(grid, path, fmt)` then `read_document(path)` should
give back the same paragraphs and cell strings (merged header cells aside). Each format's
module is imported on first use.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from ingest.grid import GridDocument

# format → ("module:function", file suffix)
RENDERERS: dict[str, tuple[str, str]] = {
    "txt": ("generator.render.text:render_text", ".txt"),
    "docx": ("generator.render.docx:render_docx", ".docx"),
    "xlsx": ("generator.render.xlsx:render_xlsx", ".xlsx"),
    "xls": ("generator.render.xlsx:render_xls", ".xls"),
    "pdf": ("generator.render.pdf:render_pdf", ".pdf"),
}


def suffix_for(fmt: str) -> str:
    return RENDERERS[fmt][1]


def render(grid: GridDocument, path: Path, fmt: str, **options) -> Path:
    """Write `grid` to `path` in format `fmt`; options are format-specific (see each module)."""
    target, _ = RENDERERS[fmt]
    module, func = target.split(":")
    return getattr(importlib.import_module(module), func)(grid, Path(path), **options)
