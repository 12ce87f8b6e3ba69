"""Property-based tests (hypothesis) of the readers and recognisers: random and mutated inputs give a
result or an UnreadableFileError (the pipeline quarantines the file), never another exception or a
hang.

* readers: the seed and its renderings (text, DOCX, XLSX, PDF) with random byte edits (flip,
  delete, insert, truncate), and for the zip formats also with edits inside one XML part (the zip
  stays valid, so the reader itself meets the damage); each file goes through the whole parse
  (read, recognise, validate: `parse_path`) in a capped process (ingest/caps.py), so a hang fails
  the example instead of the suite;
* recognisers: random grids, and the seed's grid with random cells, rows and blocks changed.

The fast tier runs a few examples per property (derandomized: the same ones every run); the `slow`
group runs many more, random each run (docs/reliability.md has the figures of the last run).
"""

from __future__ import annotations

import io
import shutil
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generator.render import render
from ingest.grid import GridDocument, Paragraph, Table
from ingest.pipeline import parse_capped
from ingest.publications import part_rules
from ingest.readers import UnreadableFileError
from ingest.readers.text import read_text
from ingest.recognize import recognize
from ingest.settings import Caps
from ingest.validate import validate

from seedtext import SEED

# A parse that takes this long on a seed-sized file is a hang (the seed parses in well under 2 s).
HANG_SECONDS = 60
GUARD = Caps(max_file_mb=0, max_pages=0, parse_seconds=HANG_SECONDS, parse_memory_mb=2048)

FAST = dict(max_examples=6, derandomize=True)
SLOW = dict(max_examples=60)
COMMON = dict(
    database=None,
    deadline=timedelta(seconds=HANG_SECONDS),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> dict[str, Path]:
    """The seed as a text file and rendered to DOCX, XLSX and PDF (once per module)."""
    folder = tmp_path_factory.mktemp("fuzz-seeds")
    grid = read_text(SEED)
    out = {"txt": shutil.copy(SEED, folder / "seed.txt")}
    for fmt in ("docx", "xlsx", "pdf"):
        out[fmt] = render(grid, folder / f"seed.{fmt}", fmt)
    return {k: Path(v) for k, v in out.items()}


# ---- byte mutations ----------------------------------------------------------------------


@st.composite
def byte_edits(draw, data: bytes) -> bytes:
    """`data` with 1-8 random edits: flip a byte, delete a range, insert random bytes, truncate."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["flip", "delete", "insert", "truncate", "duplicate"]))
        at = draw(st.integers(0, max(len(out) - 1, 0)))
        if kind == "flip" and out:
            out[at] = draw(st.integers(0, 255))
        elif kind == "delete":
            del out[at : at + draw(st.integers(1, 64))]
        elif kind == "insert":
            out[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "truncate":
            del out[at:]
        elif kind == "duplicate":
            n = draw(st.integers(1, 256))
            out[at:at] = out[at : at + n]
    return bytes(out)


@st.composite
def zip_member_edits(draw, data: bytes) -> bytes:
    """A valid zip package whose one XML part has random edits (text of it replaced, tags cut)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    names = [n for n in src.namelist() if n.endswith((".xml", ".rels"))]
    victim = draw(st.sampled_from(sorted(names)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            body = src.read(name)
            if name == victim:
                body = draw(byte_edits(body))
            dst.writestr(name, body)
    return buf.getvalue()


def assert_result_or_unreadable(path: Path) -> None:
    """The whole parse of `path`, as the pipeline runs it (`parse_capped`), returns a disclosure or
    the UnreadableFileError reason the pipeline quarantines with; any other exception propagates and
    fails the example, and so does a hang or a crash of the parse process (a cap's reason)."""
    parsed = parse_capped(path, GUARD)
    assert (parsed.disclosure is None) != (parsed.error is None)
    event("a disclosure" if parsed.error is None else "UnreadableFileError")  # --hypothesis-show-statistics
    if parsed.error is not None:
        assert parsed.error.strip()  # a reason someone can read
        assert not parsed.error.startswith(("parse time cap", "parse memory cap", "parse process")), parsed.error


def _fuzz_file(seeds, tmp_path, fmt: str, strategy, data) -> None:
    raw = seeds[fmt].read_bytes()
    mutated = data.draw(strategy(raw), label="mutated bytes")
    path = tmp_path / f"mutated.{fmt}"
    path.write_bytes(mutated)
    assert_result_or_unreadable(path)


READER_CASES = [
    ("txt", byte_edits),
    ("docx", byte_edits),
    ("docx", zip_member_edits),
    ("xlsx", byte_edits),
    ("xlsx", zip_member_edits),
    ("pdf", byte_edits),
]
CASE_IDS = [f"{fmt}-{s.__name__}" for fmt, s in READER_CASES]


@pytest.mark.parametrize("fmt,strategy", READER_CASES, ids=CASE_IDS)
@settings(**FAST, **COMMON)
@given(data=st.data())
def test_mutated_files_give_a_result_or_unreadable(seeds, tmp_path, fmt, strategy, data):
    _fuzz_file(seeds, tmp_path, fmt, strategy, data)


@pytest.mark.slow
@pytest.mark.parametrize("fmt,strategy", READER_CASES, ids=CASE_IDS)
@settings(**SLOW, **COMMON)
@given(data=st.data())
def test_mutated_files_give_a_result_or_unreadable_many(seeds, tmp_path, fmt, strategy, data):
    _fuzz_file(seeds, tmp_path, fmt, strategy, data)


@pytest.mark.parametrize("fmt", ["txt", "docx", "xlsx", "pdf"])
@settings(**FAST, **COMMON)
@given(raw=st.binary(max_size=4096))
def test_random_bytes_give_a_result_or_unreadable(tmp_path, fmt, raw):
    path = tmp_path / f"random.{fmt}"
    path.write_bytes(raw)
    assert_result_or_unreadable(path)


# ---- grids for the recognisers ---------------------------------------------------------------

SEED_GRID = read_text(SEED)
# cells and words the recognisers key on, from the seed itself and a few that it lacks
SEED_CELLS = sorted(
    {c for b in SEED_GRID.blocks if isinstance(b, Table) for r in b.rows for c in r}
    | {b.text for b in SEED_GRID.blocks if isinstance(b, Paragraph)}
)
WORDS = SEED_CELLS + [
    "",
    "合计",
    "总计",
    "表一",
    "表十",
    "单位：元",
    "单位：千元",
    "单位：万元",
    "2021年",
    "1900年",
    "-",
    "—",
    "0",
    "-0.00",
    "1e308",
    "NaN",
    "１２３",
    "2010101",
    "201",
    "20101",
    "（一）",
    "其中：",
    "99999999999999999999.999",
    "（12.5）",
    "12,345.67",
    "%",
    "　",
]
cells = st.one_of(
    st.sampled_from(WORDS), st.text(max_size=12), st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str)
)
rows = st.lists(cells, min_size=0, max_size=9)
tables = st.builds(
    lambda rs, line: Table(rows=rs, line=line, row_lines=list(range(line, line + len(rs)))),
    st.lists(rows, min_size=0, max_size=14),
    st.integers(1, 10_000),
)
paragraphs = st.builds(Paragraph, st.one_of(st.sampled_from(WORDS), st.text(max_size=40)), st.integers(1, 10_000))
random_grids = st.builds(
    lambda blocks: GridDocument("random.txt", blocks, "text"), st.lists(st.one_of(paragraphs, tables), max_size=25)
)


@st.composite
def seed_grid_edits(draw) -> GridDocument:
    """The seed's grid with 1-10 random changes: a cell replaced, a row dropped or doubled, a block
    dropped, doubled or moved."""
    blocks = [
        Table([list(r) for r in b.rows], b.line, list(b.row_lines))
        if isinstance(b, Table)
        else Paragraph(b.text, b.line)
        for b in SEED_GRID.blocks
    ]
    for _ in range(draw(st.integers(1, 10))):
        if not blocks:
            break
        i = draw(st.integers(0, len(blocks) - 1))
        block = blocks[i]
        kind = draw(st.sampled_from(["cell", "row", "double-row", "drop", "double", "move", "text"]))
        if kind in ("cell", "row", "double-row") and isinstance(block, Table) and block.rows:
            r = draw(st.integers(0, len(block.rows) - 1))
            if kind == "cell" and block.rows[r]:
                block.rows[r][draw(st.integers(0, len(block.rows[r]) - 1))] = draw(cells)
            elif kind == "row":
                del block.rows[r]
                if r < len(block.row_lines):
                    del block.row_lines[r]
            elif kind == "double-row":
                block.rows.insert(r, list(block.rows[r]))
                if r < len(block.row_lines):
                    block.row_lines.insert(r, block.row_lines[r])
        elif kind == "text" and isinstance(block, Paragraph):
            block.text = draw(st.one_of(st.sampled_from(WORDS), st.text(max_size=40)))
        elif kind == "drop":
            del blocks[i]
        elif kind == "double":
            blocks.insert(i, block)
        elif kind == "move":
            blocks.insert(draw(st.integers(0, len(blocks) - 1)), blocks.pop(i))
    return GridDocument("edited.txt", blocks, "text")


def assert_recognised_or_unreadable(grid: GridDocument) -> None:
    try:
        disclosure = recognize(grid)
        validate(disclosure, rules=part_rules(disclosure))
        event("a disclosure")
    except UnreadableFileError as exc:
        assert exc.reason.strip()
        event("UnreadableFileError")


@settings(max_examples=25, derandomize=True, **COMMON)
@given(grid=st.one_of(random_grids, seed_grid_edits()))
def test_recognisers_give_a_result_or_unreadable(grid):
    assert_recognised_or_unreadable(grid)


@pytest.mark.slow
@settings(max_examples=300, **COMMON)
@given(grid=st.one_of(random_grids, seed_grid_edits()))
def test_recognisers_give_a_result_or_unreadable_many(grid):
    assert_recognised_or_unreadable(grid)
