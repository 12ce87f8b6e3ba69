"""The marts' columns as the dbt yml declares them: one source for the contract's column tables.

Every mart column in ``dbt_project/models/marts/*.yml`` has a ``data_type`` and a description that
starts with its 中文 label and goes on in English (``预算年度 Budget (fiscal) year.``). The column
tables of ``docs/mart_contract.md`` are generated from them (``python -m ingest.mart_contract
--write-docs``; tests/test_mart_contract_docs.py fails when the doc differs), and BI labels (column
comments, Chinese-named views) read the same ``label_zh``.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from ingest.settings import DBT_PROJECT_DIR, PROJECT_ROOT

MARTS_DIR = DBT_PROJECT_DIR / "models" / "marts"
DOCS = PROJECT_ROOT / "docs" / "mart_contract.md"
BEGIN = "<!-- columns of {} (generated from the marts yml: python -m ingest.mart_contract --write-docs) -->"
END = "<!-- end of columns -->"
_LATIN_WORD = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u3400-\u9fff]")
# a label word and an English word with no space between them: 基本支出（万元）Basic
_GLUED = re.compile(r"^(.*[\u3400-\u9fff\u3001-\u3011\u201c\u201d\uff08\uff09])([A-Z][a-z]+.*|[a-z_].*)$")


@dataclass(frozen=True)
class MartColumn:
    model: str
    name: str
    data_type: str  # as dbt's contract enforces it, upper case: DECIMAL(20,6), VARCHAR …
    label_zh: str  # the description's leading 中文 label: 预算年度, 基本支出（万元）…
    description_en: str  # the rest of the description


def split_description(description: str) -> tuple[str, str]:
    """(中文 label, English rest). The label is the leading words up to the first word with Latin
    letters and no CJK character (``文件SHA-256`` is a label word, ``(tables_found`` is English); a
    capitalised English word glued to the label (``基本支出（万元）Basic``) starts the English."""
    words = description.split()
    for i, word in enumerate(words):
        glued = _GLUED.match(word)
        if glued:
            return " ".join([*words[:i], glued.group(1)]), " ".join([glued.group(2), *words[i + 1 :]])
        if _LATIN_WORD.search(word) and not _CJK.search(word):
            return " ".join(words[:i]), " ".join(words[i:])
    return " ".join(words), ""


@dataclass(frozen=True)
class MartModel:
    name: str
    file: str  # the yml file that declares it
    description: str
    columns: tuple[MartColumn, ...]


def read_models(marts_dir: Path) -> dict[str, MartModel]:
    """Every mart model of the yml files in `marts_dir`, in file order, its columns in declared order."""
    models: dict[str, MartModel] = {}
    for path in sorted(marts_dir.glob("*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models", []):
            columns = []
            for column in model.get("columns", []):
                label, english = split_description(" ".join(str(column.get("description", "")).split()))
                columns.append(
                    MartColumn(model["name"], column["name"], str(column.get("data_type", "")).upper(), label, english)
                )
            models[model["name"]] = MartModel(
                model["name"], path.name, " ".join(str(model.get("description", "")).split()), tuple(columns)
            )
    return models


@lru_cache(maxsize=1)
def mart_models() -> dict[str, tuple[MartColumn, ...]]:
    """Every mart model of the project's marts yml with its columns in declared order."""
    return {name: m.columns for name, m in read_models(MARTS_DIR).items()}


def problems() -> list[str]:
    """Columns the contract cannot label: no data_type, or no 中文 label before the English."""
    out = []
    for model, columns in mart_models().items():
        for c in columns:
            if not c.data_type:
                out.append(f"{model}.{c.name}: no data_type")
            if not _CJK.search(c.label_zh):
                out.append(f"{model}.{c.name}: the description does not start with a 中文 label")
            elif not c.description_en:
                out.append(
                    f"{model}.{c.name}: no English after the 中文 label (the label would swallow "
                    f"the whole description: {c.label_zh!r})"
                )
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def table(model: str) -> str:
    lines = ["| column | type | 中文 | English |", "|---|---|---|---|"]
    for c in mart_models()[model]:
        lines.append(f"| {c.name} | {c.data_type} | {_cell(c.label_zh)} | {_cell(c.description_en)} |")
    return "\n".join(lines)


def render_docs(text: str) -> str:
    """`text` (docs/mart_contract.md) with each model's generated column table replaced."""
    for model in mart_models():
        begin = BEGIN.format(model)
        if begin not in text:
            continue
        start = text.index(begin) + len(begin)
        stop = text.index(END, start)
        text = text[:start] + "\n" + table(model) + "\n" + text[stop:]
    return text


def missing_blocks(text: str) -> list[str]:
    return [m for m in mart_models() if BEGIN.format(m) not in text]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    bad = problems()
    if bad:
        print("the marts yml cannot be rendered:\n  " + "\n  ".join(bad), file=sys.stderr)
        return 1
    current = DOCS.read_text(encoding="utf-8")
    missing = missing_blocks(current)
    if missing:
        print(
            f"{DOCS} has no column block for: {', '.join(missing)} (add the marker line "
            f"{BEGIN.format('MODEL')!r} … {END!r} to its section)",
            file=sys.stderr,
        )
        return 1
    wanted = render_docs(current)
    if "--write-docs" in args:
        DOCS.write_text(wanted, encoding="utf-8")
        print(f"wrote {DOCS}")
        return 0
    print(wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main())
