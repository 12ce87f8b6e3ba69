"""The 中文 labels of the mart contract, where BI users look: column comments and `bi_zh` views.

One source of truth: the descriptions in `dbt_project/models/marts/_marts*.yml`. Each mart's and
each column's description starts with its Chinese label (`预算年度 Budget (fiscal) year.`,
`基本支出（万元）Basic expenditure, 10k yuan.`); `label_of` cuts it off as the contract's column
tables do (`ingest/mart_contract.py`). From those labels come

* `COMMENT ON TABLE/COLUMN marts.…` (DuckDB: on the build file before it is published;
  PostgreSQL: at publication), so tools that show comments (DataEase, FineBI, DBeaver) show
  预算年度 next to `fiscal_year`;
* schema `bi_zh`: one view per mart, same name, every column renamed to its label
  (`select fiscal_year as "预算年度", …`) for tools that show names, not comments.

The statements are plain SQL that DuckDB and PostgreSQL both accept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

from ingest.mart_contract import read_models, split_description
from ingest.settings import DBT_PROJECT_DIR

MARTS_SCHEMA = "marts"
ZH_SCHEMA = "bi_zh"
PG_MAX_IDENTIFIER_BYTES = 63  # a bi_zh column name is an identifier; PostgreSQL would truncate it

_CJK = re.compile(r"[\u3400-\u9fff]")


def label_of(description: str | None) -> str | None:
    """The Chinese label a description starts with (ingest.mart_contract.split_description, the
    same cut the contract's column tables use), or None when it starts with no CJK text."""
    label, _ = split_description(" ".join((description or "").split()))
    return label if _CJK.search(label) else None


@dataclass(frozen=True)
class MartLabels:
    name: str
    label: str | None
    columns: Mapping[str, str] = field(default_factory=dict)  # column → label, in yml order


def mart_labels(project_dir: Path = DBT_PROJECT_DIR) -> dict[str, MartLabels]:
    """Every mart of the yml contract (read by ingest.mart_contract) with its label and its columns' labels.

    Raises ValueError naming the file when two columns of one mart share a label (a bi_zh view
    could not have both) or a contract column has no label."""
    models = read_models(Path(project_dir) / "models" / "marts")
    if not models:
        raise FileNotFoundError(f"no mart contract yml under {project_dir}/models/marts")
    out: dict[str, MartLabels] = {}
    for model in models.values():
        columns: dict[str, str] = {}
        for col in model.columns:
            label = col.label_zh if _CJK.search(col.label_zh) else None
            if label is None:
                raise ValueError(
                    f"{model.file}: {model.name}.{col.name}: description does not start with a Chinese label"
                )
            if len(label.encode()) > PG_MAX_IDENTIFIER_BYTES:
                raise ValueError(
                    f"{model.file}: {model.name}.{col.name}: label {label!r} is longer "
                    f"than PostgreSQL's {PG_MAX_IDENTIFIER_BYTES}-byte names"
                )
            if label in columns.values():
                raise ValueError(f"{model.file}: {model.name}: label {label!r} is used twice")
            columns[col.name] = label
        out[model.name] = MartLabels(model.name, label_of(model.description), columns)
    return out


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def comment_statements(
    labels: Mapping[str, MartLabels], tables: Mapping[str, Sequence[str]], schema: str = MARTS_SCHEMA
) -> list[str]:
    """COMMENT ON TABLE / COLUMN for the marts present (`tables`: name → its columns)."""
    out = []
    for table, columns in tables.items():
        mart = labels.get(table)
        if mart is None:
            continue
        qualified = f"{quote_ident(schema)}.{quote_ident(table)}"
        if mart.label:
            out.append(f"comment on table {qualified} is {quote_literal(mart.label)}")
        for column in columns:
            if column in mart.columns:
                out.append(
                    f"comment on column {qualified}.{quote_ident(column)} is {quote_literal(mart.columns[column])}"
                )
    return out


def zh_view_sql(
    labels: Mapping[str, MartLabels],
    table: str,
    columns: Sequence[str],
    source_schema: str = MARTS_SCHEMA,
    view_schema: str = ZH_SCHEMA,
    replace: bool = False,
) -> str:
    """`create view bi_zh.<mart> as select <column> as "<label>", … from marts.<mart>`; a column
    without a label (none in the contract) keeps its name."""
    mart = labels.get(table, MartLabels(table, None))
    select = ",\n  ".join(f"{quote_ident(c)} as {quote_ident(mart.columns.get(c, c))}" for c in columns)
    return (
        f"create {'or replace ' if replace else ''}view {quote_ident(view_schema)}.{quote_ident(table)} as\n"
        f"select\n  {select}\nfrom {quote_ident(source_schema)}.{quote_ident(table)}"
    )


def _duckdb_marts(con) -> dict[str, list[str]]:
    rows = con.execute(
        """select c.table_name, c.column_name
           from information_schema.columns c
           join information_schema.tables t
             on t.table_catalog = c.table_catalog and t.table_schema = c.table_schema
            and t.table_name = c.table_name
           where c.table_schema = ? and t.table_catalog = current_database()
           order by c.table_name, c.ordinal_position""",
        [MARTS_SCHEMA],
    ).fetchall()
    tables: dict[str, list[str]] = {}
    for table, column in rows:
        tables.setdefault(table, []).append(column)
    return tables


def apply_to_duckdb(path: Path, labels: Mapping[str, MartLabels] | None = None) -> int:
    """Comments on every mart and its columns, and the `bi_zh` views, in the DuckDB file at `path`
    (the build file, before it is published). Returns the number of marts labelled."""
    import duckdb

    labels = mart_labels() if labels is None else labels
    with duckdb.connect(str(path)) as con:
        tables = _duckdb_marts(con)
        con.execute("begin")
        for sql in comment_statements(labels, tables):
            con.execute(sql)
        con.execute(f"create schema if not exists {quote_ident(ZH_SCHEMA)}")
        for table, columns in tables.items():
            con.execute(zh_view_sql(labels, table, columns, replace=True))
            if labels.get(table) and labels[table].label:
                con.execute(
                    f"comment on view {quote_ident(ZH_SCHEMA)}.{quote_ident(table)} is "
                    f"{quote_literal(labels[table].label)}"
                )
        con.execute("commit")
    return len(tables)
