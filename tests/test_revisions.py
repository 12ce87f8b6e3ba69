"""Revisions with a policy: inside one batch a unit-year's documents are ordered by their printed 编制
date, then file mtime, then name; a revision that would lose tables, narrative facts or 三公/asset
figures, or adds error findings, is held (marts.mart_pending_revisions) until `budget-warehouse accept`.

The slow test loads the batch of issue 12 (five files claiming 昌吉州外事办 2021: the seed, a GBK copy,
one with a bad amount, one with a huge repeated section, one cut after 表三) through the real pipeline
and dbt; the policy's SQL is unit-tested in dbt (int_document_revisions: test_revision_order_and_policy,
run by tests/test_dbt_unit_tests.py)."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from decimal import Decimal

import duckdb
import pytest

from ingest import lake
from ingest.pipeline import parse_path, provenance_rows, sha256_bytes
from ingest.settings import ENV_VAR, Settings
from tests.conftest import materialize
from tests.seedtext import SEED_TEXT, mutate

D = Decimal


# ---- the five files ---------------------------------------------------------------------------


def five_files() -> dict[str, bytes]:
    """The issue's batch, made from the seed: name → bytes."""
    lines = SEED_TEXT.split("\n")
    table3 = next(i for i, line in enumerate(lines) if line.startswith("表三"))
    table4 = next(i for i, line in enumerate(lines) if line.startswith("表四"))
    return {
        "waishiban_2021.txt": SEED_TEXT.encode("utf-8"),
        "waishiban_2021_gbk.txt": SEED_TEXT.encode("gbk"),
        # 表三 行政运行 printed 182.3 where its 基本支出 and every other table say 172.3
        "waishiban_2021_bad_amounts.txt": mutate(
            SEED_TEXT, "表三", ["\t172.3", "\t172.3"], ["\t182.3", "\t172.3"]
        ).encode("utf-8"),
        # 表三 printed 200 times over (a botched export): 225 KB
        "waishiban_2021_repeated.txt": "\n".join(lines[:table4] + lines[table3:table4] * 200 + lines[table4:]).encode(
            "utf-8"
        ),
        # the file cut after 表三: 表一–表三 only, no 情况说明, no 编制 date
        "waishiban_2021_cut.txt": "\n".join(lines[:table4]).encode("utf-8"),
    }


# modification times (minutes after a fixed start): the GBK copy is the oldest export, the seed next,
# then the bad and the repeated ones; the cut file is the newest *and* would come last anyway (undated)
MTIME_ORDER = [
    "waishiban_2021_gbk.txt",
    "waishiban_2021.txt",
    "waishiban_2021_bad_amounts.txt",
    "waishiban_2021_repeated.txt",
    "waishiban_2021_cut.txt",
]


def write_batch(inbox, start: float) -> dict[str, str]:
    """Write the five files with their mtimes; name → document_id."""
    inbox.mkdir(parents=True, exist_ok=True)
    ids = {}
    for name, data in five_files().items():
        path = inbox / name
        path.write_bytes(data)
        at = start + 60 * MTIME_ORDER.index(name)
        os.utime(path, (at, at))
        ids[name] = sha256_bytes(data)
    return ids


# ---- fast: what the ingest records, the acceptance records, the job ----------------------------


def test_each_document_row_keeps_the_file_mtime_and_the_printed_date(tmp_path):
    ids = write_batch(tmp_path, start=1_700_000_000)
    parsed = parse_path(tmp_path / "waishiban_2021_gbk.txt")
    row = provenance_rows(parsed, "b", datetime(2024, 1, 1, tzinfo=timezone.utc))["raw_documents"][0]
    assert row["document_id"] == ids["waishiban_2021_gbk.txt"]
    assert row["file_modified_at"] == datetime.fromtimestamp(1_700_000_000, timezone.utc)
    assert str(row["signed_date"]) == "2021-02-02"  # the 编制 date printed under the 情况说明
    cut = provenance_rows(
        parse_path(tmp_path / "waishiban_2021_cut.txt"), "b", datetime(2024, 1, 1, tzinfo=timezone.utc)
    )["raw_documents"][0]
    assert cut["signed_date"] is None and cut["publication_part"] == "tables"


def test_rebuild_of_a_year_keeps_the_loaded_files_mtime(tmp_path):
    """`rebuild --year` re-parses a copy of the original: the document row keeps the loaded file's mtime."""
    from ingest.pipeline import ingest_inbox, reparse_year

    settings = Settings(data_dir=tmp_path)
    settings.inbox.mkdir(parents=True)
    path = settings.inbox / "waishiban_2021.txt"
    path.write_bytes(five_files()["waishiban_2021.txt"])
    os.utime(path, (1_600_000_000, 1_600_000_000))
    ingest_inbox(settings)
    assert reparse_year(settings, 2021).reparsed
    (row,) = lake.read_table(settings.lake, "raw_documents").to_pylist()
    assert row["file_modified_at"] == datetime.fromtimestamp(1_600_000_000, timezone.utc)


def _lake_with(tmp_path, *document_ids: str):
    rows = [
        {
            "document_id": d,
            "source_file": f"{d[:4]}.txt",
            "unit_name": "昌吉州外事办",
            "fiscal_year": 2021,
            "parser_version": "t",
            "loaded_at": datetime(2024, 1, 1, tzinfo=timezone.utc),
            "batch_id": "b1",
            "disclosure_kind": "预算",
            "reader": "text",
            "file_size_bytes": 1,
            "tables_found": 9,
        }
        for d in document_ids
    ]
    lake.write_batch(tmp_path / "lake", "b1", {"raw_documents": rows})
    return tmp_path / "lake"


def test_document_ids_resolve_from_a_unique_prefix(tmp_path):
    a, b, c = "ab12cd34" + "0" * 56, "ab12cd34" + "1" * 56, "ff" * 32
    path = _lake_with(tmp_path, a, b, c)
    assert lake.resolve_document_id(path, a) == a
    assert lake.resolve_document_id(path, "FFFFFFFF") == c  # as printed, any case
    assert lake.resolve_document_id(path, "ab12cd341") == b
    with pytest.raises(ValueError, match="start of 2 document ids"):
        lake.resolve_document_id(path, "ab12cd34")
    with pytest.raises(ValueError, match="no loaded document"):
        lake.resolve_document_id(path, "0123456789")
    with pytest.raises(ValueError, match="not a document id"):
        lake.resolve_document_id(path, "ab12cd3")  # fewer than 8 digits
    with pytest.raises(ValueError, match="not a document id"):
        lake.resolve_document_id(path, "seed.txt")


def test_an_acceptance_is_recorded_once_and_kept(tmp_path):
    path = tmp_path / "lake"
    lake.ensure_acceptances(path)
    assert lake.read_acceptances(path).num_rows == 0  # the empty file keeps dbt's glob matching
    first, new = lake.record_acceptance(
        path, "ab" * 32, "clerk", "cut on purpose", "run-1", now=datetime(2024, 5, 1, tzinfo=timezone.utc)
    )
    assert new
    again, new = lake.record_acceptance(path, "ab" * 32, "someone else", "again", "run-2")
    assert not new and again == first
    (row,) = lake.read_acceptances(path).to_pylist()
    assert (row["document_id"], row["accepted_by"], row["note"], row["run_id"]) == (
        "ab" * 32,
        "clerk",
        "cut on purpose",
        "run-1",
    )


def test_accept_cli_refuses_what_cannot_be_accepted_before_any_run(tmp_path, monkeypatch, capsys):
    from orchestration import cli

    a = "ab12cd34" + "0" * 56
    _lake_with(tmp_path, a)
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert cli.main(["accept"]) == 2
    assert "give the held document's id" in capsys.readouterr().err
    assert cli.main(["accept", "0123456789"]) == 2
    assert "no loaded document has the id 0123456789" in capsys.readouterr().err
    assert cli.main(["accept", "ab12cd34"]) == 2  # known, but there is no warehouse to say it is held
    assert "no warehouse" in capsys.readouterr().err
    assert (
        not lake.acceptances_folder(tmp_path / "lake").exists()
        or lake.read_acceptances(tmp_path / "lake").num_rows == 0
    )


@pytest.mark.slow  # loads the Dagster definitions (dbt's manifest)
def test_accept_revision_job_takes_a_document_id_and_loads_nothing():
    from orchestration.definitions import defs

    job = defs.resolve_job_def("accept_revision")
    config = job.config_mapping.resolve_from_unvalidated_config({"document_id": "c7bb5a34f88a", "note": "ok"})
    assert config == {
        "ops": {"raw_disclosures": {"config": {"paths": [], "accept_document_id": "c7bb5a34f88a", "accept_note": "ok"}}}
    }
    assert {"raw_disclosures", "warehouse_dbt"} <= {n.name for n in job.nodes}  # records it, then rebuilds


# ---- slow: the five-file batch through the pipeline and dbt, then accept -------------------------


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    data = tmp_path_factory.mktemp("data")
    ids = write_batch(data / "inbox", start=time.time() - 3600)
    result = materialize(data)
    assert result.success
    return Settings(data_dir=data), ids


def q(settings: Settings, sql: str, params=None) -> list[dict]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]


@pytest.mark.slow
def test_five_files_one_batch_the_seed_is_current_and_the_worse_ones_are_held(batch):
    settings, ids = batch
    name = {v: k for k, v in ids.items()}
    history = q(
        settings,
        """select document_id, publication_part, revision, revision_status, is_latest_tables,
                                    is_latest_narrative, superseded_by_document_id
                             from core.fct_document_history order by loaded_at, revision, publication_part""",
    )
    status = {name[h["document_id"]]: h for h in history}
    assert len(status) == 5
    # one batch, ordered by the printed date (2021-02-02 on four; the cut file has none: last), then mtime
    assert [(n, status[n]["revision"]) for n in MTIME_ORDER[:4]] == [(n, i) for i, n in enumerate(MTIME_ORDER[:4], 1)]
    seed = status["waishiban_2021.txt"]
    assert (seed["revision_status"], seed["is_latest_tables"], seed["is_latest_narrative"]) == ("current", True, True)
    assert status["waishiban_2021_gbk.txt"]["revision_status"] == "superseded"
    assert status["waishiban_2021_gbk.txt"]["superseded_by_document_id"] == ids["waishiban_2021.txt"]
    assert {n: h["revision_status"] for n, h in status.items() if h["revision_status"] == "pending"} == {
        "waishiban_2021_bad_amounts.txt": "pending",
        "waishiban_2021_repeated.txt": "pending",
        "waishiban_2021_cut.txt": "pending",
    }

    pending = {name[r["document_id"]]: r for r in q(settings, "select * from marts.mart_pending_revisions")}
    cut = pending["waishiban_2021_cut.txt"]
    assert cut["publication_part"] == "tables" and cut["unit_id"] == "652300-waishiban" and cut["fiscal_year"] == 2021
    assert cut["lost_tables"] == "表四、表五、表六、表七、表八、表九"
    assert cut["lost_three_public_figures"] == 5  # 表八's printed cells (the narrative stays the seed's)
    assert cut["added_error_findings"] == "DOC-TABLE-MISSING +5"
    assert cut["hold_reason"] == (
        "loses tables 表四、表五、表六、表七、表八、表九; loses 5 三公 figures; "
        "adds error findings DOC-TABLE-MISSING +5"
    )
    assert cut["current_tables_document_id"] == ids["waishiban_2021.txt"]
    assert cut["current_tables_source_file"] == "waishiban_2021.txt"
    assert cut["accept_command"] == "budget-warehouse accept " + ids["waishiban_2021_cut.txt"]
    bad = pending["waishiban_2021_bad_amounts.txt"]
    assert (bad["lost_tables"], bad["lost_narrative_facts"], bad["lost_asset_figures"]) == (None, 0, 0)
    assert bad["added_error_findings"] == "NR-ITEM +1, ROW-PARTS +1, SUM-ROWS +1, XT-TOTALS +1"
    assert pending["waishiban_2021_repeated.txt"]["added_error_findings"] == "SUM-ROWS +3, XT-TOTALS +4"

    # the marts read the seed: its 三公 and assets are there, its 表三 total
    (three,) = q(settings, "select total_wan_yuan, document_id from core.fct_three_public where fiscal_year = 2021")
    assert three == {"total_wan_yuan": D("5.12"), "document_id": ids["waishiban_2021.txt"]}
    (trend,) = q(settings, "select total_wan_yuan from marts.mart_three_public_trends where fiscal_year = 2021")
    assert trend["total_wan_yuan"] == D("5.12")
    (assets,) = q(
        settings, "select vehicle_count, building_area_m2 from marts.mart_asset_holdings where fiscal_year = 2021"
    )
    assert assets == {"vehicle_count": 3, "building_area_m2": D("5059.61")}
    (total,) = q(settings, "select sum(total_wan_yuan) as t from marts.mart_regional_spending where fiscal_year = 2021")
    assert total["t"] == D("320.06")


@pytest.mark.slow
def test_accept_refuses_a_current_document_and_the_ui_job_says_why(batch, monkeypatch, capsys):
    import dagster as dg

    from orchestration import cli
    from orchestration.definitions import defs

    settings, ids = batch
    monkeypatch.setenv(ENV_VAR, str(settings.data_dir))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    assert cli.main(["accept", ids["waishiban_2021.txt"][:12]]) == 2
    err = capsys.readouterr().err
    assert "is not a held revision" in err and "waishiban_2021_cut.txt" in err  # the pending ones are listed
    with dg.DagsterInstance.ephemeral() as instance:
        run = defs.resolve_job_def("accept_revision").execute_in_process(
            run_config={"document_id": ids["waishiban_2021.txt"]}, instance=instance, raise_on_error=False
        )
    assert not run.success
    (failure,) = [e for e in run.all_events if e.is_step_failure]
    assert failure.step_key == "raw_disclosures" and "is not a held revision" in str(failure.event_specific_data.error)
    assert lake.read_acceptances(settings.lake).num_rows == 0


@pytest.mark.slow
def test_accepting_the_cut_file_makes_it_current_without_reparsing(batch, monkeypatch, capsys):
    from orchestration import cli

    settings, ids = batch
    cut_id = ids["waishiban_2021_cut.txt"]
    monkeypatch.setenv(ENV_VAR, str(settings.data_dir))
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    batches_before = lake.batches(settings.lake)
    documents_before = lake.read_table(settings.lake, "raw_documents").sort_by("document_id").to_pylist()

    assert cli.main(["accept", cut_id[:16], "--note", "the tables were re-cut on purpose", "--by", "clerk"]) == 0
    out = capsys.readouterr().out
    assert f"accepted {cut_id[:12]} (waishiban_2021_cut.txt): current" in out

    (row,) = lake.read_acceptances(settings.lake).to_pylist()
    assert (row["document_id"], row["accepted_by"], row["note"]) == (
        cut_id,
        "clerk",
        "the tables were re-cut on purpose",
    )
    assert row["run_id"]
    # nothing was loaded or re-parsed: same batches, same document rows
    assert lake.batches(settings.lake) == batches_before
    assert lake.read_table(settings.lake, "raw_documents").sort_by("document_id").to_pylist() == documents_before

    (cut,) = q(settings, "select * from core.fct_document_history where document_id = ?", [cut_id])
    assert (cut["revision_status"], cut["is_latest_tables"], cut["is_accepted"], cut["is_held"]) == (
        "current",
        True,
        True,
        False,
    )
    assert cut["hold_reason"].startswith("loses tables 表四")  # what was accepted stays on record
    (seed,) = q(settings, "select * from core.fct_document_history where document_id = ?", [ids["waishiban_2021.txt"]])
    # the seed still supplies the narrative (the cut file is a tables part), not the tables
    assert (seed["revision_status"], seed["is_latest_tables"], seed["is_latest_narrative"]) == ("current", False, True)
    pending = {r["document_id"] for r in q(settings, "select document_id from marts.mart_pending_revisions")}
    assert cut_id not in pending
    # the bad and repeated ones were held against the seed's tables, which are no longer current: history
    assert pending == set()
    (tables,) = q(settings, "select count(*) as n from core.fct_three_public where fiscal_year = 2021")
    assert tables["n"] == 0  # the cut file has no 表八
    (total,) = q(settings, "select sum(total_wan_yuan) as t from marts.mart_regional_spending where fiscal_year = 2021")
    assert total["t"] == D("320.06")  # its 表三 is the seed's
