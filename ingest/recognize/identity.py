"""Who published a disclosure, for which year, and at which level — in all the forms templates print.

* Labelled lines, in tables' title rows or in paragraphs: 编制部门（单位）：X (昌吉), 部门：X (江苏
  公开表), 预算主管部门：X (上海 部门预算), 预算单位：X (上海 单位预算), 单位名称：X, 部门名称：X.
  The name most tables give wins (a wrapped title cell may garble one of them).
* The title on the cover, however it wraps: "国家信访局2026年度部门预算", "2026年烟台市审计局部门预算",
  "江苏省人民检察院" / "2017年部门预算", "2026年" / "广州市人民政府办公厅部门预算",
  "中共西安市委宣传部2021年部门综合预算".
* Level: 单位 when the document calls itself a 单位预算 (or names its 预算单位), else 部门 — a 部门
  budget consolidates its subordinate units.
The printed name is returned as printed; resolving it to a registered unit is the warehouse's job.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ingest.grid import GridDocument, Paragraph, Table

_LABEL = (
    r"(?:编制(?:部门|单位)(?:（单位）|\(单位\))?|预算主管部门|预算单位|主管部门|单位名称|部门名称"
    r"|部\s*门(?:（单位）|\(单位\))?)"
)
_LABELLED = re.compile(_LABEL + r"\s*[:：]\s*(?P<name>[^\s:：][^:：]*?)(?=\s{2,}|\s*(?:金额)?单位\s*[:：]|$)")
_MONEY = {"万元", "元", "千元"}

_YEAR = r"(?P<year>20\d{2})\s*年\s*度?"
_LEVEL_WORDS = r"(?:省级|市级|区级|县级|州级|本级|中央)?"
_KIND_WORDS = r"(?P<level>部门|单位)?\s*(?:综合)?\s*预算"
_TITLES = [
    # 国家信访局2026年度部门预算, 中共西安市委宣传部2021年部门综合预算, 江苏省人民检察院 2017年部门预算
    re.compile(r"^(?P<name>[^\d：:]{2,40}?)" + _YEAR + _LEVEL_WORDS + _KIND_WORDS),
    # 2026年烟台市审计局部门预算, 2017年度江苏省高级人民法院部门预算公开, 2026年 广州市人民政府办公厅部门预算
    re.compile(r"^" + _YEAR + r"(?P<name>[^\d：:]{2,40}?)" + _LEVEL_WORDS + _KIND_WORDS),
]
_NOT_A_NAME = re.compile(
    r"^(?:上海市|北京市|天津市|重庆市|江苏省|浙江省|广东省|[\u4e00-\u9fff]{2,3}[省市区县])$|目录|部门预算|说明|^第[一二三四五六七八九十]+部分"
)
_ANY_YEAR = re.compile(r"(20\d{2})\s*年")
# A sentence that opens with the body's name and the year: "江苏省政协办公厅2019年度收入、支出预算总计…"
_SENTENCE_NAME = re.compile(
    r"^(?P<name>[\u4e00-\u9fff（）()]{3,30}?(?:厅|局|委|办|院|部|会|室|处|所|中心|馆|站|队|校|社|团|府|署))"
    r"\s*20\d{2}\s*年"
)
_SENTENCE = re.compile(r"[，。；：,;:]|万元")
_NAME_CELLS = {"部门名称", "单位名称", "预算单位", "预算主管部门", "主管部门", "部门(单位)名称", "部门（单位）名称"}


@dataclass
class Identity:
    unit_name: str | None = None
    names: list[str] = field(default_factory=list)  # every name printed for the unit, most used first
    fiscal_year: int | None = None
    level: str | None = None  # 部门 | 单位
    title: str | None = None


def labelled_name(text: str) -> str | None:
    """The name after a 编制部门/部门/预算单位…： label in one line, or None."""
    m = _LABELLED.search(text or "")
    if not m:
        return None
    name = m.group("name").strip(" ：:，,。")
    return None if not name or name in _MONEY or len(name) > 50 else name


def cover_title(grid: GridDocument, limit: int = 4) -> str:
    """The first paragraphs before a 目录 (or the first `limit`), joined as one title line."""
    parts: list[str] = []
    for block in grid.blocks:
        if isinstance(block, Table):
            if parts:
                break
            continue
        text = block.text.strip()
        if re.sub(r"\s", "", text) in ("目录",) or len(parts) >= limit:
            break
        if re.match(r"^(?:20\d{2}\s*年\s*\d{1,2}\s*月|二〇)", text):
            continue  # a date line on the cover
        parts.append(re.sub(r"\s+", "", text))
    return "".join(parts)


def _title_match(text: str):
    for pattern in _TITLES:
        m = pattern.search(text)
        if m and not _NOT_A_NAME.search(m.group("name")):
            return m
    return None


def _form_names(grid: GridDocument) -> list[str]:
    """Names a form-like table gives in the cell after a name label (部门名称 | 北京市财政局), once per
    occurrence."""
    out: list[str] = []
    for block in grid.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                cells = [c for c in row if c]
                for k, cell in enumerate(cells[:-1]):
                    value = re.sub(r"\s", "", cells[k + 1])
                    # the label's own cell left blank: the next non-empty cell is the form's next
                    # label (预算单位 | | 项目名称 | …), not a name
                    if (
                        re.sub(r"\s", "", cell) in _NAME_CELLS
                        and not value.endswith("名称")
                        and value not in _NAME_CELLS
                    ):
                        out.append(cells[k + 1].strip())
    return out


def identify(grid: GridDocument, table_texts: list[str]) -> Identity:
    """`table_texts`: the title lines of the document's tables (paragraphs above them and their
    title rows), where templates print 编制部门/部门：."""
    out = Identity()
    names: Counter = Counter()
    level = None
    for text in table_texts:
        name = labelled_name(text)
        if name:
            names[name] += 1
    paragraphs = [b.text for b in grid.blocks if isinstance(b, Paragraph)]
    for text in paragraphs[:40]:
        name = labelled_name(text)
        if name:
            names[name] += 1
            if re.search(r"预算单位\s*[:：]", text):
                level = level or "单位"
            elif re.search(r"预算主管部门\s*[:：]", text):
                level = level or "部门"
    if not names:  # a form-like table: 部门名称 | 北京市财政局 (a 绩效目标表, a 部门整体 table)
        names.update(_form_names(grid))
    cover = cover_title(grid)
    m = _title_match(cover)
    if m is None:  # no cover title: a title line anywhere near the top
        for text in paragraphs[:60]:
            if _SENTENCE.search(text):  # "2022年支出预算377.28万元，其中：" opens a sentence, not a title
                continue
            m = _title_match(re.sub(r"\s+", "", text))
            if m:
                break
    if m is not None:
        out.title = m.group(0)
        out.fiscal_year = int(m.group("year"))
        if not names:
            names[m.group("name")] += 1
        level = level or m.group("level")
    if out.fiscal_year is None:  # 2017年政府采购预算表, 上海市普陀区2025年区级部门预算
        years = Counter(int(y) for t in [cover, *table_texts, *paragraphs[:10]] for y in _ANY_YEAR.findall(t or ""))
        if years:
            out.fiscal_year = years.most_common(1)[0][0]
    if re.search(r"单位预算", cover) and not re.search(r"部门预算", cover):
        level = "单位"
    if not names:  # no label, no cover title: the name the narrative's sentences open with
        names.update(m.group("name") for m in map(_SENTENCE_NAME.match, paragraphs) if m)
        names = Counter({n: c for n, c in names.items() if c >= 2})
    out.names = [n for n, _ in names.most_common()]
    out.unit_name = out.names[0] if out.names else None
    out.level = level or ("部门" if out.unit_name else None)
    return out
