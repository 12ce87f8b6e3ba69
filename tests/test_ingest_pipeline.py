"""Inbox → lake: quarantine, skip of identical re-drops, revisions, atomic batches, the check CLI."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from ingest import cli, lake
from ingest.pipeline import ingest_inbox, parse_path
from ingest.readers import read_document
from ingest.readers.text import parse_text
from ingest.recognize import recognize
from ingest.settings import Settings

from seedtext import SEED, SEED_TEXT, mutate


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(tmp_path / "data").ensure()


def test_bad_file_is_quarantined_and_good_file_still_loads(settings):
    shutil.copy(SEED, settings.inbox / "seed.txt")
    (settings.inbox / "meeting-notes.txt").write_text("会议纪要\n今天讨论了预算。\n", encoding="utf-8")
    (settings.inbox / "scan.bmp").write_bytes(b"BM\x00\x01")

    report = ingest_inbox(settings)

    assert [p.path.name for p in report.loaded] == ["seed.txt"]
    assert sorted(p.path.name for p in report.quarantined) == ["meeting-notes.txt", "scan.bmp"]
    reasons = {
        json.loads(p.read_text(encoding="utf-8"))["file"]: json.loads(p.read_text(encoding="utf-8"))
        for p in settings.quarantine.glob("*.reason.json")
    }
    assert "no table found" in reasons["meeting-notes.txt"]["error"]
    assert "no reader for files ending in '.bmp'" in reasons["scan.bmp"]["error"]
    assert len(reasons["scan.bmp"]["sha256"]) == 64
    assert not (settings.inbox / "scan.bmp").exists()  # moved, not copied
    docs = lake.read_table(settings.lake, "raw_documents").to_pylist()
    assert [d["source_file"] for d in docs] == ["seed.txt"]
    # originals are kept by hash so any row traces back to exact bytes
    assert (settings.originals / docs[0]["document_id"]).read_bytes() == SEED.read_bytes()


def test_identical_redrop_is_skipped_and_a_changed_file_is_a_new_revision(settings):
    shutil.copy(SEED, settings.inbox / "seed.txt")
    first = ingest_inbox(settings)
    assert len(first.loaded) == 1

    shutil.copy(SEED, settings.inbox / "seed-copy.txt")
    again = ingest_inbox(settings)
    assert again.batch_id is None and len(again.skipped) == 2 and not again.loaded

    corrected = mutate(SEED_TEXT, "表七：", ["\t合 计", "\t36", "\t", "\t36"], ["\t合 计", "\t66", "\t", "\t66"])
    (settings.inbox / "seed-corrected.txt").write_text(corrected, encoding="utf-8")
    third = ingest_inbox(settings)
    assert [p.path.name for p in third.loaded] == ["seed-corrected.txt"]

    docs = lake.read_table(settings.lake, "raw_documents").to_pylist()
    assert len(docs) == 2 and len({d["document_id"] for d in docs}) == 2
    assert {d["unit_name"] for d in docs} == {"昌吉州外事办"} and {d["fiscal_year"] for d in docs} == {2021}
    assert len(lake.batches(settings.lake)) == 2
    rules = [
        f["rule_id"]
        for f in lake.read_table(settings.lake, "raw_findings").to_pylist()
        if f["document_id"] == third.loaded[0].document_id
    ]
    assert "SUM-ROWS" not in rules  # the corrected 表七 total now adds up


def test_every_row_carries_provenance(settings):
    shutil.copy(SEED, settings.inbox / "seed.txt")
    report = ingest_inbox(settings)
    doc_id = report.loaded[0].document_id
    for batch in lake.batches(settings.lake):
        for f in batch.glob("raw_*.parquet"):
            rows = pq.read_table(f).to_pylist()
            for r in rows:
                assert r["document_id"] == doc_id and r["source_file"] == "seed.txt"
                assert r["unit_name"] == "昌吉州外事办" and r["fiscal_year"] == 2021
                assert r["parser_version"] and r["loaded_at"] is not None and r["batch_id"] == report.batch_id


def test_money_is_decimal_in_parquet(settings):
    shutil.copy(SEED, settings.inbox / "seed.txt")
    ingest_inbox(settings)
    table = lake.read_table(settings.lake, "raw_expenditure")
    assert str(table.schema.field("total_wan_yuan").type) == "decimal128(20, 6)"
    total = [r for r in table.to_pylist() if r["is_total"] and r["table_no"] == 3][0]
    assert total["total_wan_yuan"] == Decimal("320.06")


def test_failed_batch_write_leaves_nothing_behind(settings, monkeypatch):
    calls = {"n": 0}

    class FlakyWriter(pq.ParquetWriter):
        def write_table(self, table, *args, **kw):
            calls["n"] += 1
            if calls["n"] == 5:
                raise OSError("disk full")
            return super().write_table(table, *args, **kw)

    monkeypatch.setattr(lake.pq, "ParquetWriter", FlakyWriter)
    with pytest.raises(OSError):
        lake.write_batch(settings.lake, "b1", {})
    assert list(settings.lake.iterdir()) == []
    # the same inside a load: the good file stays in the inbox, no batch appears
    shutil.copy(SEED, settings.inbox / "seed.txt")
    calls["n"] = 0
    with pytest.raises(OSError):
        ingest_inbox(settings)
    assert lake.batches(settings.lake) == [] and (settings.inbox / "seed.txt").exists()
    assert not [p for p in settings.lake.iterdir() if p.name.startswith(".tmp-batch")]


def test_batch_is_written_as_documents_arrive_in_row_groups(settings, tmp_path):
    """A load streams rows into the batch (row groups of `flush_rows`) instead of holding
    them all; the batch reads back the same as one written at once, in load order."""
    docs = [parse_path(SEED), parse_path(SEED)]
    from datetime import datetime, timezone

    from ingest.pipeline import provenance_rows

    now = datetime.now(timezone.utc)
    rows = [provenance_rows(d, "b", now) for d in docs]
    whole = lake.write_batch(tmp_path / "one", "b", {t: rows[0][t] + rows[1][t] for t in rows[0]})
    with lake.BatchWriter(tmp_path / "many", "b", flush_rows=10) as writer:
        for r in rows:
            writer.add(r)
        streamed = writer.publish()
    n = len(rows[0]["raw_expenditure"]) * 2
    assert n > 20 and writer.rows_written["raw_expenditure"] == n
    assert pq.ParquetFile(streamed / "raw_expenditure.parquet").num_row_groups > 1
    for name in lake.RAW_TABLES:
        assert pq.read_table(streamed / f"{name}.parquet").equals(pq.read_table(whole / f"{name}.parquet")), name


def test_load_report_keeps_findings_not_rows(settings):
    shutil.copy(SEED, settings.inbox / "seed.txt")
    report = ingest_inbox(settings)
    (parsed,) = report.loaded
    assert parsed.disclosure.rows == {} and len(parsed.disclosure.findings) == 19
    assert report.findings_by_severity == {"error": 10, "warning": 8, "info": 1}
    assert lake.read_table(settings.lake, "raw_findings").num_rows == 19


def test_gb18030_copy_parses_identically(tmp_path):
    gb = tmp_path / "seed-gb.txt"
    gb.write_bytes(SEED_TEXT.encode("gb18030"))
    a, b = parse_path(SEED), parse_path(gb)
    assert b.encoding == "gb18030" and a.encoding == "utf-8"
    rows_a, rows_b = dict(a.disclosure.rows), dict(b.disclosure.rows)
    assert rows_a.pop("raw_documents")[0] | {"encoding": "gb18030"} == rows_b.pop("raw_documents")[0]
    assert rows_a == rows_b
    assert [f.as_row() for f in a.disclosure.findings] == [f.as_row() for f in b.disclosure.findings]


def test_negative_amount_is_a_schema_finding_not_a_crash():
    text = mutate(
        SEED_TEXT, "表三：", ["\t其他国防支出", "\t28", "\t", "\t28"], ["\t其他国防支出", "\t-28", "\t", "\t-28"]
    )
    from ingest.validate import validate

    d = validate(recognize(parse_text(text, "negative.txt")))
    schema = [f for f in d.findings if f.rule_id == "SCHEMA"]
    assert schema and all(f.table_ref == "raw_expenditure" for f in schema)
    assert any("non-negative" in f.message for f in schema)


def test_yuan_tables_convert_exactly_to_wan_yuan():
    unit_line = next(
        line
        for line in SEED_TEXT.split("\n")[SEED_TEXT[: SEED_TEXT.index("表三：")].count("\n") :]
        if "单位：万元" in line
    )
    text = mutate(SEED_TEXT, "表三：", [unit_line], [unit_line.replace("单位：万元", "单位：元")])
    text = mutate(text, "表三：", ["\t行政运行", "\t172.3", "\t172.3"], ["\t行政运行", "\t1723000.01", "\t1723000.01"])
    d = recognize(parse_text(text, "yuan.txt"))
    t3 = [r for r in d.rows["raw_tables"] if r["table_no"] == 3][0]
    assert t3["money_unit"] == "元"
    row = [r for r in d.rows["raw_expenditure"] if r["table_no"] == 3 and r["functional_code"] == "2010301"][0]
    assert row["total_wan_yuan"] == Decimal("172.300001")


def test_thousand_yuan_tables_convert_exactly_to_wan_yuan():
    unit_line = next(
        line
        for line in SEED_TEXT.split("\n")[SEED_TEXT[: SEED_TEXT.index("表三：")].count("\n") :]
        if "单位：万元" in line
    )
    text = mutate(SEED_TEXT, "表三：", [unit_line], [unit_line.replace("单位：万元", "金额单位 : 千元")])
    text = mutate(text, "表三：", ["\t行政运行", "\t172.3", "\t172.3"], ["\t行政运行", "\t1723.001", "\t1723.001"])
    d = recognize(parse_text(text, "thousand.txt"))
    assert [r for r in d.rows["raw_tables"] if r["table_no"] == 3][0]["money_unit"] == "千元"
    row = [r for r in d.rows["raw_expenditure"] if r["table_no"] == 3 and r["functional_code"] == "2010301"][0]
    assert row["total_wan_yuan"] == Decimal("172.3001")


def test_check_cli_exit_codes_and_json(capsys, tmp_path):
    assert cli.main([str(SEED)]) == 1  # the seed has error findings
    out = capsys.readouterr().out
    assert "表九  empty" in out and "NR-ASSET-VEHICLE" in out
    assert cli.main([str(SEED), "--json"]) == 1
    rep = json.loads(capsys.readouterr().out)
    assert rep["unit_name"] == "昌吉州外事办" and rep["fiscal_year"] == 2021
    assert {f["rule_id"] for f in rep["findings"]} >= {"PT-COST", "NR-INCOME"}
    bad = tmp_path / "x.txt"
    bad.write_text("hello", encoding="utf-8")
    assert cli.main([str(bad)]) == 2
    assert "cannot be read" in capsys.readouterr().err


def test_reader_keeps_empty_cells_and_row_widths():
    grid = read_document(SEED)
    t8 = [b for b in grid.blocks if hasattr(b, "rows") and any("5.12" in c for r in b.rows for c in r)][0]
    data = [r for r in t8.rows if "5.12" in r][0]
    assert data == ["5.12", "0", "4.5", "", "4.5", "0.62"]


def test_load_log_names_every_file_in_grouped_messages(settings, caplog, monkeypatch):
    """One message per group of files (a Dagster event each), every file named with its findings."""
    import logging

    from ingest import pipeline

    monkeypatch.setattr(pipeline._LoadLog, "FILES", 2)
    for name in ("a.txt", "b.txt", "c.txt"):
        (settings.inbox / name).write_text(SEED_TEXT.replace("外事办", f"外事办{name[0]}", 1), encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="budget_warehouse.ingest"):
        ingest_inbox(settings)
    groups = [r.getMessage() for r in caplog.records if r.getMessage().startswith("loaded ")]
    assert [g.splitlines()[0] for g in groups] == ["loaded 2/3 files:", "loaded 3/3 files:"]
    lines = [line.strip() for g in groups for line in g.splitlines()[1:]]
    assert [line.split(" ")[0] for line in lines] == ["a.txt", "b.txt", "c.txt"]
    assert all("findings: 10 error (" in line and "SUM-ROWS" in line for line in lines)


def test_a_lake_written_before_new_columns_gets_a_batch_with_them(settings, caplog):
    # a batch written by an older version lacks a column the model has since gained: with nothing
    # new in the inbox, the load still writes one empty batch carrying every current column, so
    # dbt's union_by_name sources read the old batches' missing columns as empty instead of failing
    shutil.copy(SEED, settings.inbox / "seed.txt")
    ingest_inbox(settings)
    (old,) = lake.batches(settings.lake)
    path = old / "raw_expenditure.parquet"
    pq.write_table(pq.read_table(path).drop_columns(["reserve_wan_yuan"]), path)
    assert lake.missing_columns(old) == {"raw_expenditure": ["reserve_wan_yuan"]}

    with caplog.at_level("INFO", logger="budget_warehouse"):
        report = ingest_inbox(settings)
    assert not report.loaded and len(report.skipped) == 1
    batches = lake.batches(settings.lake)
    assert len(batches) == 2 and lake.missing_columns(batches[-1]) == {}
    assert "predates columns raw_expenditure.reserve_wan_yuan" in caplog.text
    rows = lake.read_table(settings.lake, "raw_expenditure").to_pylist()
    assert rows and all(r["reserve_wan_yuan"] is None for r in rows)
    ingest_inbox(settings)  # the newest batch is current now: no further empty batch
    assert len(lake.batches(settings.lake)) == 2
