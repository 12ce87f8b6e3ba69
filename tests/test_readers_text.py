"""The text reader: encodings (detected and recorded), what is not a budget disclosure, amounts as printed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ingest.amounts import NotANumber, parse_decimal
from ingest.pipeline import parse_path
from ingest.readers import UnreadableFileError, read_document
from ingest.recognize import recognize
from ingest.readers.text import detect_layout, parse_text
from seedtext import SEED, SEED_TEXT

BASE = parse_path(SEED).disclosure


def _norm(value, spaces: bool):
    return re.sub(r"\s{2,}", " ", value) if spaces and isinstance(value, str) else value


def same_as_seed(parsed, lines: bool = True, spaces: bool = False) -> None:
    """Rows and findings equal to the seed's. lines=False: positions may differ (another layout);
    spaces=True: runs of spaces inside cells count as one (the spaced layout cannot print them)."""

    def rows(d):
        return {
            t: [{k: _norm(v, spaces) for k, v in r.items() if lines or k != "line_no"} for r in rs]
            for t, rs in d.rows.items()
            if t != "raw_documents"
        }

    def findings(d):
        return [
            {
                k: _norm(re.sub(r"line \d+", "line N", v) if not lines and isinstance(v, str) else v, spaces)
                for k, v in f.as_row().items()
            }
            for f in d.findings
        ]

    assert rows(parsed.disclosure) == rows(BASE)
    assert findings(parsed.disclosure) == findings(BASE)


@pytest.mark.parametrize(
    "codec,data",
    [
        ("utf-8-sig", b"\xef\xbb\xbf" + SEED_TEXT.encode("utf-8")),
        ("utf-16", SEED_TEXT.encode("utf-16")),  # with BOM
        ("utf-16-le", SEED_TEXT.encode("utf-16-le")),  # no BOM
        ("utf-16-be", SEED_TEXT.encode("utf-16-be")),
        ("gb18030", SEED_TEXT.encode("gb18030")),
    ],
    ids=lambda value: value if isinstance(value, str) else "bytes",
)
def test_every_encoding_parses_identically_and_is_recorded(tmp_path, codec, data):
    path = tmp_path / f"seed-{codec}.txt"
    path.write_bytes(data)
    parsed = parse_path(path)
    assert parsed.encoding == codec
    same_as_seed(parsed)


def test_undecodable_bytes_are_unreadable_with_reason(tmp_path):
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(128, 256)) * 20)
    with pytest.raises(UnreadableFileError, match="not text in UTF-8, UTF-16 or GB18030"):
        read_document(path)


def test_final_accounts_disclosure_is_refused_as_such():
    text = SEED_TEXT.replace("2021年部门（单位）预算公开表", "2020年部门（单位）决算公开表").replace(
        "预算情况说明", "决算情况说明"
    )
    with pytest.raises(UnreadableFileError, match="决算"):
        recognize(parse_text(text, "juesuan.txt"))


def test_table_of_contents_is_refused_as_such():
    toc = "目录\n第一部分 单位概况\n第二部分 2021年部门预算公开表\n表一 部门收支总体情况表 ........ 5\n"
    with pytest.raises(UnreadableFileError, match="table of contents"):
        recognize(parse_text(toc, "toc.txt"))


def test_unrelated_document_is_refused():
    with pytest.raises(UnreadableFileError, match="no table found"):
        recognize(parse_text("会议通知\n请各单位于周五前报送材料。\n", "note.txt"))


def test_layout_detection():
    assert detect_layout(SEED_TEXT.split("\n")) == "cells"
    assert detect_layout(["标题", "| 类 | 款 | 项 | 名称 | 合计 |", "| 201 | 03 | 01 | 行政运行 | 1.00 |"]) == "pipe"
    assert detect_layout(["标题", "201  03  01  行政运行  1.00", "201  03  02  一般行政管理事务  2.00"]) == "spaced"


def test_pipe_layout_keeps_empty_cells():
    grid = parse_text("标题\n| 201 | 03 | 01 | 行政运行 | 172.3 |  | 172.3 |\n|---|---|\n", "p.txt")
    assert grid.reader == "text-pipe"
    assert grid.blocks[1].rows == [["201", "03", "01", "行政运行", "172.3", "", "172.3"]]


def test_spaced_layout_recovers_blank_columns_from_positions():
    text = "\n".join(
        [
            "合  计  因公出国（境）费  公务用车购置及运行费                    公务接待费",
            "        合计              合  计    公务用车购置费  公务用车运行费",
            "5.12    0                 4.5                       4.5             0.62",
        ]
    )
    grid = parse_text(text, "s.txt", layout="spaced")
    assert grid.blocks[0].rows[-1] == ["5.12", "0", "4.5", "", "4.5", "0.62"]


@pytest.mark.parametrize(
    "printed,value",
    [
        ("16,745.59", "16745.59"),
        ("1,234", "1234"),
        ("０.６２", "0.62"),
        ("320.06", "320.06"),
        ("-3.52", "-3.52"),
        ("　", None),
        ("", None),
    ],
)
def test_amounts_as_printed(printed, value):
    assert parse_decimal(printed) == (Decimal(value) if value else None)


@pytest.mark.parametrize("printed", ["12,34.5", "三百", "1.2.3", "320.06万元"])
def test_not_amounts(printed):
    with pytest.raises(NotANumber):
        parse_decimal(printed)


@pytest.mark.parametrize("layout", ["pipe", "spaced"])
def test_seed_in_other_text_layouts_parses_identically(tmp_path, layout):
    from generator.render.text import render_text

    path = render_text(read_document(SEED), tmp_path / f"seed-{layout}.txt", layout=layout)
    parsed = parse_path(path)
    assert parsed.reader == f"text-{layout}"
    same_as_seed(parsed, lines=False, spaces=layout == "spaced")


def test_generated_corpus_in_every_text_layout_and_encoding_round_trips(tmp_path):
    from generator.build import Options
    from generator.corpus import generate
    from generator.roundtrip import check

    opts = Options(
        seed=11,
        defect_rate=0.4,
        layout_variants=True,
        text_layouts=("cells", "pipe", "spaced"),
        encodings=("utf-8", "utf-8-sig", "gb18030", "utf-16"),
    )
    corpus = generate(tmp_path, ["652300", "652325"], 3, [2022, 2023], opts)
    layouts = set()
    for truth, path in zip(corpus.truths, corpus.files):
        parsed = parse_path(path)
        layouts.add(parsed.reader)
        problems, found, unexpected = check(truth, parsed)
        assert not problems and found == len(truth.defects), (path.name, problems)
    assert layouts == {"text", "text-pipe", "text-spaced"}
