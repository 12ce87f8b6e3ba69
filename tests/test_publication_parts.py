"""Split publications (issue 11, item 3): which part a file is, how the parts are paired, and the
narrative-vs-table rules across the two (ingest/recognize/parts.py, ingest/publications.py).
The warehouse side (one disclosure in dbt) is tests/test_split_publications.py."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest import lake
from ingest.disclosure import Finding
from ingest.pipeline import ingest_inbox, parse_path, reparse_year
from ingest.publications import Part, match, name_key, publication_stem, rounded
from ingest.readers import UnreadableFileError
from ingest.readers.text import parse_text
from ingest.recognize import recognize
from ingest.recognize.parts import NARRATIVE, TABLES, WHOLE, narrative_sections, publication_part
from ingest.grid import Paragraph
from ingest.settings import Settings
from tests.conftest import SEED_PATH
from tests.seedtext import split_seed

NARRATIVE_TEXT, TABLES_TEXT = split_seed()


def key(f) -> tuple:
    return f.rule_id, f.severity, f.message


# ---- which part a file is ----------------------------------------------------------------------


def test_the_whole_seed_is_a_whole_disclosure(seed_disclosure):
    assert publication_part(seed_disclosure.disclosure) == WHOLE


def test_the_narrative_half_is_accepted_as_the_narrative_part():
    d = recognize(parse_text(NARRATIVE_TEXT, "waishiban-2021-text.txt"))
    doc = d.table("raw_documents")[0]
    assert doc["publication_part"] == NARRATIVE
    assert (d.unit_name, d.fiscal_year, doc["budget_level"]) == ("昌吉州外事办", 2021, "部门")
    assert doc["tables_found"] == 0 and not d.table("raw_tables")  # no table is missing from a narrative
    assert d.fact("budget.total")["value"] == Decimal("320.06")
    assert d.table("raw_unit_profile")[0]["actual_staff"] == 15
    assert len(d.table("raw_performance_targets")) == 4  # the 绩效目标表 its 情况说明 prints


def test_the_tables_half_is_the_tables_part():
    d = recognize(parse_text(TABLES_TEXT, "waishiban-2021-tables.txt"))
    assert publication_part(d) == TABLES
    assert (d.unit_name, d.fiscal_year) == ("昌吉州外事办", 2021)
    assert not d.table("raw_narrative_facts")


def test_a_narrative_part_alone_raises_no_finding_that_needs_the_tables():
    parsed = parse_path_text(NARRATIVE_TEXT, "n-text.txt")
    rules = {f.rule_id for f in parsed.disclosure.findings}
    assert "DOC-TABLE-MISSING" not in rules
    assert not rules & {"NR-TOTALS", "NR-INCOME", "NR-CLASS", "NR-ITEM", "NR-THREE-PUBLIC"}
    assert {"NR-SHARE", "NR-ASSET-VEHICLE"} <= rules  # what the narrative alone shows is still checked


def test_a_table_of_contents_alone_is_still_refused():
    toc = "目录\n第一部分 单位概况\n第二部分 2021年部门预算公开表\n第三部分 2021年部门预算情况说明\n"
    with pytest.raises(
        UnreadableFileError, match="table of contents.*neither|without the disclosure's tables or its narrative"
    ):
        recognize(parse_text(toc, "toc.txt"))


def test_a_letter_is_still_refused():
    with pytest.raises(UnreadableFileError, match="no table found"):
        recognize(parse_text("会议通知\n请各单位于周五前报送材料。\n", "note.txt"))


def test_narrative_sections_pass_over_the_table_of_contents():
    lines = [
        "目录",
        "第一部分 部门概况",
        "第二部分 2019年度部门预算表",
        "第三部分 2019年度部门预算情况说明",
        "第四部分 名词解释",
        "第一部分 部门概况",
        "编制338名。",
        "第二部分 2019年度部门预算表",
        "附后",
        "第三部分 2019年度部门预算情况说明",
        "一、收支预算总体情况说明",
        "（一）收入预算总计18330.37万元。包括：",
        "第四部分 名词解释",
        "一、财政拨款：…",
    ]
    profile, narrative = narrative_sections([Paragraph(t, i) for i, t in enumerate(lines)])
    assert [p.text for p in profile] == ["第一部分 部门概况", "编制338名。"]
    assert [p.text for p in narrative] == lines[9:12]


# ---- pairing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a,b,stem",
    [
        ("js-renda-bgt-2019-dept-text.pdf", "js-renda-bgt-2019-dept-tables.pdf", "js-renda-bgt-2019-dept"),
        ("bj-caizhengju-2026-dept-text.pdf", "bj-caizhengju-2026-dept-tables.pdf", "bj-caizhengju-2026-dept"),
        (
            "北京市财政局2026年部门预算附件1情况说明.pdf",
            "北京市财政局2026年部门预算附件2报表.pdf",
            "北京市财政局2026年部门预算",
        ),
        (
            "江苏省政协办公厅2019年部门预算（文字部分）.pdf",
            "江苏省政协办公厅2019年部门预算（公开表）.pdf",
            "江苏省政协办公厅2019年部门预算",
        ),
    ],
)
def test_file_name_stems_without_the_part_marker(a, b, stem):
    assert publication_stem(a) == publication_stem(b) == stem


def test_a_name_without_a_part_marker_has_no_stem():
    assert publication_stem("js-renda-bgt-2018-dept.pdf") is None


def test_unit_names_compare_without_the_party_prefix():
    assert name_key("江苏省委办公厅") == name_key("中国共产党江苏省委员会办公厅") == name_key("中共江苏省委办公厅")


def part(name, part_, year=2019, unit="江苏省委办公厅", level="部门"):
    return Part("0" * 64, name, part_, "预算", year, unit, [], level)


def test_parts_pair_by_stem_and_year_or_by_unit_and_year():
    text, tables = part("a-text.pdf", NARRATIVE), part("a-tables.pdf", TABLES, unit="中国共产党江苏省委员会办公厅")
    assert match(text, tables)[1] == "same file-name stem 'a' and fiscal year 2019, same unit 江苏省委办公厅"
    assert match(part("x.pdf", NARRATIVE), part("y.pdf", TABLES))[1] == "same unit 江苏省委办公厅 and fiscal year 2019"
    # a narrative part that printed no year pairs by its file name alone
    assert match(part("a-text.pdf", NARRATIVE, year=None, unit=None), tables)[0] == 1
    # never two parts of different years, two narratives, or a part and a whole disclosure
    assert match(part("a-text.pdf", NARRATIVE, year=2018), tables) is None
    assert match(part("a-text.pdf", NARRATIVE), part("a-tables.pdf", NARRATIVE)) is None
    assert match(part("a-text.pdf", NARRATIVE), part("a-tables.pdf", WHOLE)) is None
    assert match(part("x.pdf", NARRATIVE), part("y.pdf", TABLES, unit="江苏省政协办公厅")) is None


def test_a_mismatch_only_in_the_tables_extra_decimals_is_rounding():
    f = Finding(
        "NR-TOTALS",
        "error",
        "情况说明 income.total 44169.36 万元 ≠ 表一 收入总计 44169.357532 万元",
        "情况说明",
        expected=Decimal("44169.357532"),
        actual=Decimal("44169.36"),
    )
    r = rounded(f)
    assert (r.rule_id, r.severity) == ("NR-ROUNDED", "info") and "NR-TOTALS" in r.message
    real = Finding("NR-TOTALS", "error", "x", expected=Decimal("320.06"), actual=Decimal("320.096"))
    assert rounded(real) is real


# ---- through the pipeline ----------------------------------------------------------------------


def parse_path_text(text: str, name: str, tmp=None):
    import tempfile
    from pathlib import Path

    folder = Path(tmp or tempfile.mkdtemp())
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return parse_path(path)


def load(tmp_path, files: dict[str, str]) -> tuple[Settings, object]:
    settings = Settings(data_dir=tmp_path)
    settings.inbox.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (settings.inbox / name).write_text(text, encoding="utf-8")
    return settings, ingest_inbox(settings)


def documents(settings) -> dict[str, dict]:
    return {r["source_file"]: r for r in lake.read_table(settings.lake, "raw_documents").to_pylist()}


def findings(settings) -> list[dict]:
    return lake.read_table(settings.lake, "raw_findings").to_pylist()


def test_a_pair_in_one_load_links_both_parts_and_finds_what_the_whole_file_finds(tmp_path):
    settings, report = load(tmp_path, {"w-2021-text.txt": NARRATIVE_TEXT, "w-2021-tables.txt": TABLES_TEXT})
    assert len(report.loaded) == 2 and not report.quarantined
    docs = documents(settings)
    text, tables = docs["w-2021-text.txt"], docs["w-2021-tables.txt"]
    assert (text["publication_part"], tables["publication_part"]) == ("narrative", "tables")
    assert text["companion_document_id"] == tables["document_id"]
    assert tables["companion_document_id"] == text["document_id"]
    assert "paired in the same load with w-2021-tables.txt" in text["publication_note"]
    rows = findings(settings)
    across = [r for r in rows if r["companion_document_id"]]
    assert across and {r["document_id"] for r in across} == {text["document_id"]}  # on the narrative part
    assert {r["companion_document_id"] for r in across} == {tables["document_id"]}
    whole = sorted(key(f) for f in parse_path(SEED_PATH).disclosure.findings)
    assert sorted((r["rule_id"], r["severity"], r["message"]) for r in rows) == whole
    # numbered after the narrative part's own findings, unique per document
    numbers = [(r["document_id"], r["finding_no"]) for r in rows]
    assert len(numbers) == len(set(numbers))


def test_the_second_part_in_a_later_load_reads_the_first_back_from_the_lake(tmp_path):
    settings, _ = load(tmp_path, {"w-2021-tables.txt": TABLES_TEXT})
    assert "not loaded yet" in documents(settings)["w-2021-tables.txt"]["publication_note"]
    _, report = load(tmp_path, {"w-2021-text.txt": NARRATIVE_TEXT})
    [parsed] = report.loaded
    assert parsed.cross_companion == documents(settings)["w-2021-tables.txt"]["document_id"]
    assert "NR-INCOME" in {f.rule_id for f in parsed.cross_findings}
    whole = sorted(key(f) for f in parse_path(SEED_PATH).disclosure.findings)
    assert sorted((r["rule_id"], r["severity"], r["message"]) for r in findings(settings)) == whole


def test_a_tables_part_after_its_narrative_records_the_findings_on_the_narrative(tmp_path):
    settings, first = load(tmp_path, {"w-2021-text.txt": NARRATIVE_TEXT})
    own = len(first.loaded[0].disclosure.findings)
    _, second = load(tmp_path, {"w-2021-tables.txt": TABLES_TEXT})
    docs = documents(settings)
    text_id, tables_id = docs["w-2021-text.txt"]["document_id"], docs["w-2021-tables.txt"]["document_id"]
    assert docs["w-2021-tables.txt"]["companion_document_id"] == text_id
    assert docs["w-2021-text.txt"]["companion_document_id"] is None  # its row was written before
    across = [r for r in findings(settings) if r["companion_document_id"]]
    assert {(r["document_id"], r["source_file"], r["batch_id"]) for r in across} == {
        (text_id, "w-2021-text.txt", second.batch_id)
    }
    assert sorted(r["finding_no"] for r in across) == list(range(own + 1, own + 1 + len(across)))
    assert {r["companion_document_id"] for r in across} == {tables_id}
    whole = sorted(key(f) for f in parse_path(SEED_PATH).disclosure.findings)
    assert sorted((r["rule_id"], r["severity"], r["message"]) for r in findings(settings)) == whole


def test_a_narrative_part_without_unit_or_year_takes_them_from_its_companion(tmp_path):
    # no name, no year anywhere in the narrative: only the file name ties it to its tables part
    prose = "\n".join(line for line in NARRATIVE_TEXT.split("\n") if line.strip() and not line.startswith("\t"))
    text = prose.replace("昌吉州外事办", "").replace("昌吉州外办", "").replace("2021", "本")
    parsed = parse_path_text(text, "w-2021-text.txt")
    assert parsed.disclosure.unit_name is None and parsed.disclosure.fiscal_year is None
    assert {"DOC-UNIT", "DOC-YEAR"} <= {f.rule_id for f in parsed.disclosure.findings}
    settings, _ = load(tmp_path, {"w-2021-text.txt": text, "w-2021-tables.txt": TABLES_TEXT})
    doc = documents(settings)["w-2021-text.txt"]
    assert (doc["unit_name"], doc["fiscal_year"], doc["budget_level"]) == ("昌吉州外事办", 2021, "部门")
    assert "unit 昌吉州外事办, fiscal year 2021" in doc["publication_note"]
    assert "taken from it" in doc["publication_note"]
    mine = {r["rule_id"] for r in findings(settings) if r["document_id"] == doc["document_id"]}
    assert "DOC-PART" in mine and not mine & {"DOC-UNIT", "DOC-YEAR"}


def test_reparsing_a_year_repairs_the_pair_and_keeps_one_set_of_cross_findings(tmp_path):
    settings, _ = load(tmp_path, {"w-2021-text.txt": NARRATIVE_TEXT})
    load(tmp_path, {"w-2021-tables.txt": TABLES_TEXT})
    before = sorted((r["rule_id"], r["message"]) for r in findings(settings))
    report = reparse_year(settings, 2021)
    assert len(report.reparsed) == 2
    after = findings(settings)
    assert sorted((r["rule_id"], r["message"]) for r in after) == before
    numbers = [(r["document_id"], r["finding_no"]) for r in after]
    assert len(numbers) == len(set(numbers))
    docs = documents(settings)
    assert docs["w-2021-text.txt"]["companion_document_id"] == docs["w-2021-tables.txt"]["document_id"]
