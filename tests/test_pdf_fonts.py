"""The PDF reader reads the same whatever fonts the host has (the fresh-machine issue).

pdfium substitutes a font for every font a PDF names without embedding it (the STSong-Light of
generated PDFs, SimSun/Times New Roman in older Word and WPS exports). The reader hands pdfium one
font of the project's (`ingest/readers/pdfium_fonts.py`) and takes glyph positions from the PDF.
Here the same PDFs are read in fresh processes with other fonts substituted — box fonts of very
different shapes, and a CJK font of the host with pdfium's own lookup when the host has one — and
the reader's output must be identical, while pdfium's own char boxes (which the reader does not
use) do change: so the situations really differ."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.pdfgen import canvas

from generator.render import render
from generator.render.pdf import FONT, _font
from ingest.readers import read_document
from ingest.readers.pdfium_fonts import FONT_PATH, build_font
from tests.conftest import SEED_PATH, real_disclosure

pytestmark = pytest.mark.slow  # a whole load, a subprocess per case or a browser: `make test-fast` leaves it out

ROOT = Path(__file__).resolve().parents[1]
# Real files whose fonts are not all embedded (a space in a non-embedded font; Times New Roman
# not embedded) or whose pages are turned (/Rotate 90).
REAL = ["js-gaoyuan-2019-dept.pdf", "js-shengweibgt-2018-dept-text.pdf", "js-renda-bgt-2019-dept-tables.pdf"]
SHAPES = ["boxes:1600,-600,300", "boxes:500,-40,1400"]
CJK_FONT_NAMES = ("*CJK*", "*wqy*", "*Droid*Fallback*", "*uming*", "*ukai*", "*simsun*", "*SimSun*")


def host_cjk_font() -> Path | None:
    for folder in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts"):
        for pattern in CJK_FONT_NAMES:
            hits = sorted(p for p in folder.rglob(pattern) if p.suffix.lower() in (".ttf", ".ttc", ".otf"))
            if hits:
                return hits[0]
    return None


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("fonts")
    grid = read_document(SEED_PATH)
    files = [render(grid, folder / "seed.pdf", "pdf"), render(grid, folder / "seed_narrow.pdf", "pdf", narrow=True)]
    _font()
    glyphs = folder / "one_glyph_objects.pdf"  # a title drawn one character per text object
    c = canvas.Canvas(str(glyphs))
    c.setFont(FONT, 10)
    for k, ch in enumerate("预算情况说明"):
        c.drawString(72 + k * 12, 720, ch)
    c.drawString(72, 700, "编制部门：外事办")
    c.save()
    return files + [glyphs] + [real_disclosure(n) for n in REAL]


def probe(mode: str, files: list[Path]) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tests.pdf_font_probe", mode, *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def shipped(pdfs) -> dict:
    return probe("project", pdfs)


def test_the_shipped_reader_keeps_every_glyph(shipped):
    blocks = shipped["one_glyph_objects.pdf"]["grid"]
    assert [b[1] for b in blocks] == ["预算情况说明编制部门：外事办"]  # the title reached the margin: one paragraph
    rotated = shipped["js-renda-bgt-2019-dept-tables.pdf"]["grid"]
    assert "unreadable" not in rotated and any(
        "江苏省人大常委会办公厅" in json.dumps(b, ensure_ascii=False) for b in rotated
    )


@pytest.mark.parametrize("mode", SHAPES)
def test_substitute_font_shape_changes_nothing(mode, pdfs, shipped):
    other = probe(mode, pdfs)
    for name in shipped:
        assert other[name]["grid"] == shipped[name]["grid"], name
    # what pdfium itself reports did change (the situations differ): the generated PDFs name a font
    # they do not embed, so pdfium's boxes come from the substitute
    assert other["seed.pdf"]["pdfium_boxes"] != shipped["seed.pdf"]["pdfium_boxes"]


@pytest.mark.parametrize("mode", ["file", "host"])
def test_a_host_cjk_font_changes_nothing(mode, pdfs, shipped):
    font = host_cjk_font()
    if font is None:
        pytest.skip("this host has no CJK font (as on a fresh machine); the box-font shapes above still ran")
    other = probe(f"file:{font}" if mode == "file" else "host", pdfs)
    for name in shipped:
        assert other[name]["grid"] == shipped[name]["grid"], (name, font)


def test_committed_font_is_what_build_font_makes(tmp_path):
    assert build_font(tmp_path / "glyph-boxes.ttf").read_bytes() == FONT_PATH.read_bytes()
