"""docs/mart_contract.md's column tables are generated from the marts yml: a forgotten regenerate fails here."""

from __future__ import annotations

from pathlib import Path

from ingest import mart_contract
from ingest.mart_contract import DOCS, mart_models, missing_blocks, problems, render_docs, split_description


def test_every_mart_column_has_a_type_and_a_chinese_label():
    assert problems() == []


def test_every_mart_model_has_a_column_table_in_the_contract():
    assert missing_blocks(DOCS.read_text(encoding="utf-8")) == []


def test_every_mart_sql_model_is_declared_in_the_yml():
    sql_models = {p.stem for p in mart_contract.MARTS_DIR.glob("mart_*.sql")}
    assert sql_models == set(mart_models())


def test_contract_column_tables_are_regenerated():
    current = DOCS.read_text(encoding="utf-8")
    assert render_docs(current) == current, "run: uv run python -m ingest.mart_contract --write-docs"


def test_label_split():
    assert split_description("预算年度 Budget (fiscal) year.") == ("预算年度", "Budget (fiscal) year.")
    assert split_description("基本支出（万元）Basic expenditure, 10k yuan.") == (
        "基本支出（万元）",
        "Basic expenditure, 10k yuan.",
    )
    assert split_description("文件SHA-256 Document.") == ("文件SHA-256", "Document.")
    assert split_description("完整度 (tables_found + x) ÷ 2") == ("完整度", "(tables_found + x) ÷ 2")
    assert split_description("同比增减（万元）total − prior") == ("同比增减（万元）", "total − prior")
    assert split_description("功能分类“类”编码 (3 位) Functional class code.") == (
        "功能分类“类”编码 (3 位)",
        "Functional class code.",
    )


def test_a_changed_description_changes_the_generated_table(tmp_path: Path, monkeypatch):
    marts = tmp_path / "marts"
    marts.mkdir()
    (marts / "m.yml").write_text(
        "models:\n  - name: mart_x\n    columns:\n      - {name: a, data_type: integer, description: 甲 First.}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(mart_contract, "MARTS_DIR", marts)
    mart_contract.mart_models.cache_clear()
    try:
        text = f"x\n{mart_contract.BEGIN.format('mart_x')}\nold\n{mart_contract.END}\ny"
        rendered = render_docs(text)
        assert "| a | INTEGER | 甲 | First. |" in rendered and "old" not in rendered
    finally:
        mart_contract.mart_models.cache_clear()


def test_every_unit_grain_mart_row_names_its_document_and_file():
    """Issue 11 item 5: a unit-grain mart row leads to its file (document_id = SHA-256, source_file); a row
    that compares two documents (the execution marts: a 预算 and a 决算) names each, budget_document_id /
    budget_source_file and final_document_id / final_source_file."""
    for model, columns in mart_models().items():
        names = {c.name for c in columns}
        if "unit_id" in names:
            pairs = [
                ("document_id", "source_file"),
                ("budget_document_id", "budget_source_file"),
                ("final_document_id", "final_source_file"),
            ]
            present = [pair for pair in pairs if set(pair) <= names]
            assert present, model
            assert all(set(pair) <= names for pair in pairs if pair[0] in names), model
            if "document_id" not in names:
                assert len(present) == 2, model
