"""Facts stated in prose: 单位概况 (profile) and 情况说明 (narrative figures).

Each fact becomes a raw_narrative_facts row with a stable fact_key, the subject
it is about (as printed), its value and unit, and the sentence it came from.
Changes are signed: 减少/下降 → negative; 增加（减少）0 → 0; 无变化 → 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from ingest import fact_keys
from ingest.amounts import normalize_number_text
from ingest.disclosure import Disclosure
from ingest.grid import Paragraph

N = r"(\d+(?:,\d{3})*(?:\.\d*)?)"
_HEADING = re.compile(r"^([一二三四五六七八九十]+)、(.*)$")
_SUBHEADING = re.compile(r"^（([一二三四五六七八九十]+)）(.*)$")
_PART = re.compile(r"^第([一二三四])部分\s*(.*)$")


def num(text: str) -> Decimal:
    t = normalize_number_text(text).replace(",", "")
    return Decimal(t.rstrip(".")) if t.endswith(".") else Decimal(t)


def signed(direction: str, value: str) -> Decimal:
    v = num(value)
    if "（" in direction or "(" in direction:  # 增加（减少）: template wording, the value carries no sign
        return v
    return -v if direction in ("减少", "下降", "降低") else v


def search_across(pattern: str, prev: str, text: str) -> re.Match | None:
    """`pattern` in `text`, or else in the line before and `text` read as one (中央 "国家信访局 2026 年“三公”
    经费财政拨款预算数为" / "112.61万元，与2025年…", 西安 "…2021年本部门预算收入" / "25859.6万元，其中…":
    a sentence printed over two lines, the amount on the second). Only a match that starts in the line
    before and ends in `text` counts there: one wholly in either line is that line's own, read with it.
    The match's positions are in `prev + text` then (m.string is the text it was found in)."""
    m = re.search(pattern, text)
    if m or not prev:
        return m
    for m in re.finditer(pattern, prev + text):
        if m.start() < len(prev) < m.end():
            return m
    return None


@dataclass
class FactSink:
    d: Disclosure
    section: str = ""
    sentence: str = ""
    line: int | None = None
    prev: str = ""  # the printed line (paragraph) before this one: a sentence may continue from it
    n: int = 0
    seen: set = field(default_factory=set)

    def amount(self, key: str, pattern: str, text: str, unit: str = "万元") -> re.Match | None:
        """Emit the number `pattern` captures first in `text`, or in the line before and `text` read as
        one (search_across); return the match."""
        m = search_across(pattern, self.prev, text)
        if m and (key, self.line, num(m.group(1))) in self.seen:
            return m  # this line's figure, already read by another of the key's patterns ("…；" / "支出预算…")
        if m:
            self.seen.add((key, self.line, num(m.group(1))))
            sentence = self.sentence
            if m.string is not text:
                self.sentence = m.string
            self.emit(key, num(m.group(1)), unit)
            self.sentence = sentence
        return m

    def emit(
        self,
        key: str,
        value: Decimal | None,
        unit: str | None = None,
        subject: str | None = None,
        text: str | None = None,
    ) -> None:
        fact_keys.check(key, unit)  # every key declared once, with its unit (ingest/fact_keys.py)
        self.n += 1
        self.d.add(
            "raw_narrative_facts",
            {
                "fact_no": self.n,
                "section": self.section or None,
                "fact_key": key,
                "subject": subject,
                "value": value,
                "value_unit": unit,
                "value_text": text,
                "sentence": self.sentence,
                "line_no": self.line,
            },
        )


_CHANGE = re.compile(rf"(?:比上年|与上年相比|较上年)(?:预算数?)?(增加（减少）|增加|减少)?{N}万元")
_CHANGE_PCT = re.compile(rf"(增长（下降）|增长|下降|降低){N}%")
_NO_CHANGE = re.compile(r"(?:与上年相比|比上年)(?:持平|无变化)")
_SHARE = re.compile(rf"占(?:[^0-9，。]*?)?{N}%")


def emit_change(sink: FactSink, key: str, clause: str, subject: str | None = None) -> None:
    m = _CHANGE.search(clause)
    if m:
        sink.emit(f"{key}.change", signed(m.group(1) or "增加", m.group(2)), "万元", subject)
    elif _NO_CHANGE.search(clause):
        sink.emit(f"{key}.change", Decimal(0), "万元", subject, text="无变化")
    p = _CHANGE_PCT.search(clause)
    if p:
        sink.emit(f"{key}.change_pct", signed(p.group(1), p.group(2)), "%", subject)


def emit_share(sink: FactSink, key: str, clause: str, subject: str | None = None) -> None:
    m = _SHARE.search(clause)
    if m:
        sink.emit(f"{key}.share_pct", num(m.group(1)), "%", subject)


# an item of a list such as 基本工资81.68万元、维修（护）费2.28万元: names may hold （…）
_ITEM = re.compile(rf"([^、，,：:；;。\d]+?)等?{N}万元")


def emit_items(sink: FactSink, key: str, text: str) -> None:
    for m in _ITEM.finditer(text):
        name = re.sub(r"^[（(][一二三四五六七八九十\d]+[)）]", "", m.group(1).strip())  # drop a （1） numbering
        if name.endswith("等"):
            name = name[:-1]
        sink.emit(key, num(m.group(2)), "万元", name)


# ------------------------------------------------------------------ profile


def recognize_profile(d: Disclosure, paragraphs: list[Paragraph]) -> None:
    rec: dict = {}
    sentences_used: list[str] = []
    for p in paragraphs:
        t = p.text
        hit = False
        for key, pattern in (
            ("authorized_staff", r"编制数?\s*(\d+)\s*人"),
            ("actual_staff", r"实有人数\s*(\d+)\s*人"),
        ):
            m = re.search(pattern, t)
            if m and key not in rec:
                rec[key] = int(m.group(1))
                hit = True
        for key, label in (("in_service", "在职"), ("retired", "退休"), ("separated", "离休")):
            m = re.search(
                rf"(?<!离){label}\s*(\d+)\s*人[，,]?\s*(增加或减少|增加（减少）|增加|减少)?\s*(\d+)?\s*人?", t
            )
            if m and f"{key}_staff" not in rec:
                rec[f"{key}_staff"] = int(m.group(1))
                if m.group(3) is not None:
                    change = int(m.group(3))
                    rec[f"{key}_change"] = -change if m.group(2) == "减少" else change
                hit = True
        m = re.search(r"下设\s*(\d+)\s*个(?:科室|处室|内设机构|股室)[，,]?(?:分别是|分别为|包括)?[:：]?\s*([^。]+)", t)
        if m:
            rec["internal_department_count"] = int(m.group(1))
            names = [n.strip() for n in re.split(r"[、，,]", m.group(2)) if n.strip()]
            rec["internal_department_names"] = "、".join(names)
            hit = True
        if "无下属预算单位" in t or "无下属单位" in t:
            rec["subordinate_unit_count"] = 0
            hit = True
        else:
            m = re.search(r"下属预算单位\s*(\d+)\s*个", t)
            if m:
                rec["subordinate_unit_count"] = int(m.group(1))
                hit = True
        if hit:
            sentences_used.append(t)
    if rec:
        rec["sentence"] = "\n".join(sentences_used)
        d.add("raw_unit_profile", rec)


# ------------------------------------------------------------------ narrative

# Headings of other templates' 情况说明, read before SECTION_KEYS: 重庆/长沙 "二、部门收支总体情况", 广州/烟台
# "一、部门预算收支增减变化情况", 中央 "一、关于部门收支总表的说明" … "三、关于部门支出总表的说明"
# ("四、关于财政拨款收支总表的说明" is about 财政拨款).
SECTION_OTHER = [
    ("部门收支总体情况", "overview"),
    ("收支增减变化", "overview"),
    ("部门收支总表", "overview"),
    ("部门收入总表", "income"),
    ("部门支出总表", "expenditure"),
    ("部门预算收支", "overview"),  # 西安 "五、2021年部门预算收支说明"
]

SECTION_KEYS = [
    ("财政拨款收支预算", "appropriation"),
    ("收支预算情况的总体说明", "overview"),
    ("收入预算", "income"),
    ("支出预算", "expenditure"),
    ("当年拨款", "general_budget"),
    ("基本支出", "basic"),
    ("项目支出", "project"),
    ("三公", "three_public"),
    ("政府性基金", "gov_fund"),
    ("其他重要事项", "other"),
]
# Headings of the 江苏 情况说明 (2017–2019), read before SECTION_KEYS: "九、一般公共预算“三公”经费、会议费、
# 培训费支出预算情况说明" is about 三公 (not 支出预算), "六、财政拨款基本支出预算情况说明" about 基本支出,
# "四、财政拨款收支预算总表情况说明" about 财政拨款 (not the 收支预算总表).
SECTION_FIRST = [
    ("三公", "three_public"),
    ("机关运行经费", "operating_cost"),  # "十、一般公共预算机关运行经费支出预算表说明" is not about 支出预算
    ("基本支出预算", "basic"),
    ("一般公共预算支出预算", "general_budget"),
    ("财政拨款支出预算", "appropriation"),
    ("财政拨款收支预算", "appropriation"),
    ("收支预算总", "overview"),  # 收支预算总体情况说明 (2018–19), 收支预算总表情况说明 (2017)
]
SUBSECTION_KEYS = [
    ("机关运行经费", "operating_cost"),
    ("政府采购", "procurement"),
    ("国有资产", "assets"),
    ("绩效", "performance"),
    ("规模变化", "scale"),
    ("结构", "structure"),
    ("具体使用", "detail"),
    ("三公", "three_public"),  # 长沙 "六、其他重要事项的情况说明" … "（二）“三公”经费预算：2026年长沙市信访局“三公”"
]

THREE_PUBLIC_PARTS = [
    (r"因公出国[（(]境[)）]费?(?:用)?", "overseas_travel"),
    (r"公务用车购置及运行(?:维护)?费", "vehicle_total"),
    (r"公务用车购置费?", "vehicle_purchase"),
    (r"公务用车运行(?:维护)?费", "vehicle_operation"),
    (r"公务接待费", "official_reception"),
]

VEHICLE_KINDS = r"(一般公务用车|执法执勤用车|特种专业技术用车|其他车辆|其他用车|业务用车|应急保障用车)"


class Narrative:
    def __init__(self, d: Disclosure):
        self.d = d
        self.sink = FactSink(d)
        self.section = ""
        self.sub = ""
        self.project: str | None = None

    def feed(self, p: Paragraph) -> None:
        try:
            self._feed(p)
        finally:
            self.sink.prev = p.text  # the next line may continue its sentence (search_across)

    def _feed(self, p: Paragraph) -> None:
        t = p.text
        # 上海普陀 "2025年部门预算编制说明", "2025年单位预算编制说明", "部门预算编制说明" (2023): its 收支
        # sentences follow
        if re.fullmatch(r"(?:\d{4}年)?(?:部门|单位)预算编制说明", re.sub(r"\s", "", t)):
            self.section, self.sub, self.sink.section = "overview", "", t
            return
        m = _HEADING.match(t)
        if m and len(t) < 80 and "万元" not in t:
            self.section = next((k for frag, k in SECTION_FIRST + SECTION_OTHER + SECTION_KEYS if frag in t), "unknown")
            self.sub = ""
            self.sink.section = t
            return
        m = _SUBHEADING.match(t)
        if m and len(t) < 60 and "万元" not in t:
            self.sub = next((k for frag, k in SUBSECTION_KEYS if frag in t), "")
            self.sink.section = t
            return
        self.sink.line = p.line
        handler = getattr(self, f"on_{self.sub if self.section == 'other' else self.section}", None)
        if handler is None:
            return
        self.sink.sentence = t
        handler(t)

    # -- 一、总体说明
    def on_overview(self, t: str) -> None:
        s = self.sink
        s.amount("budget.total", rf"收支总预算{N}万元", t)
        # 江苏: "…2019年度收入、支出预算总计18330.37万元", "（一）收入预算总计18330.37万元。包括：",
        # "（二）支出预算总计 9,146.79万元。包括：" (the numbers may be letter-spaced)
        s.amount("budget.total", rf"收入、支出预算总计\s*{N}\s*万元", t)
        s.amount("income.total", rf"^（一）收入预算总计\s*{N}\s*万元", t)
        s.amount("expenditure.total", rf"^（二）支出预算总计\s*{N}\s*万元", t)
        # 重庆 "（一）收入预算。2026年年初预算数19,230.18万元，其中：…",
        # 烟台 "（一）收入预算：2026年收入预算3,558.35万元"
        s.amount("income.total", rf"^（一）收入预算[。:：]\s*\d{{4}}年(?:年初预算数|收入预算)\s*{N}\s*万元", t)
        s.amount("expenditure.total", rf"^（二）支出预算[。:：]\s*\d{{4}}年(?:年初预算数|支出预算)\s*{N}\s*万元", t)
        # 广州 "2026年本部门收入预算16,410.71万元，比上年减少" … "目的预算安排；支出预算16,410.71万元，
        # 比上年减少", 长沙 "位资金。2026年本单位收入预算1935.36万元，其中，一般公" / "（二）支出预算：
        # 2026年本单位支出预算1935.36万元，", 西安 "…2021年本部门预算收入" / "25859.6万元，其中一般公共预算
        # 拨款收入…" / "年增加；2021年本部门预算支出25859.6万元，其中一般公共预算拨款支出…"
        s.amount("income.total", rf"\d{{4}}\s*年\s*本(?:部门|单位)(?:收入预算|预算收入)\s*{N}\s*万元", t)
        s.amount("expenditure.total", rf"\d{{4}}\s*年\s*本(?:部门|单位)(?:支出预算|预算支出)\s*{N}\s*万元", t)
        s.amount("expenditure.total", rf"[；;]支出预算\s*{N}\s*万元", t)
        # 上海普陀 "2025年，上海市普陀区人民政府办公室收入预算9,101.68万元，其中：…" / "支出预算9,101.68万元，其中：…"
        s.amount("income.total", rf"^\d{{4}}年，\S{{2,40}}?收入预算\s*{N}\s*万元，其中", t)
        s.amount("expenditure.total", rf"^支出预算\s*{N}\s*万元，其中", t)
        m = re.search(r"收入预算包括[:：](.+)", t)
        if m:
            emit_items(s, "income.by_source", m.group(1))
        m = re.search(r"支出预算包括[:：](.+)", t)
        if m:
            emit_items(s, "expenditure.by_class", m.group(1))

    # -- 二、收入预算
    def on_income(self, t: str) -> None:
        s = self.sink
        if s.amount("income.total", rf"收入预算{N}万元", t):
            return
        if s.amount(
            "income.total", rf"收入预算总计\s*{N}\s*万元", t
        ):  # 中央 "2026年国家信访局收入预算总计50,616.94万元，其中，"
            return
        m = re.match(
            rf"^(一般公共预算|政府性基金预算|国有资本经营预算|财政专户管理资金|财政专户|事业收入|事业单位经营收入|单位其他资金收入|其他收入|上年结转)(?:收入)?{N}万元(.*)$",
            t,
        )
        if m:
            s.emit("income.by_source", num(m.group(2)), "万元", m.group(1))
            emit_share(s, "income.by_source", m.group(3), m.group(1))
            emit_change(s, "income.by_source", m.group(3), m.group(1))
            return
        m = re.match(
            r"^(一般公共预算|政府性基金预算|国有资本经营预算|财政专户管理资金|事业收入|其他收入)(?:收入)?未安排", t
        )
        if m:
            s.emit("income.by_source", Decimal(0), "万元", m.group(1), text="未安排")

    # -- 三、支出预算
    def on_expenditure(self, t: str) -> None:
        s = self.sink
        if s.amount("expenditure.total", rf"(?<!基本)(?<!项目)支出预算{N}万元", t):
            return
        if s.amount(
            "expenditure.total", rf"(?<!基本)(?<!项目)支出预算总计\s*{N}\s*万元", t
        ):  # 中央 "…支出预算总计50,616.94万元，其中，"
            return
        # 北京: "（一）基本支出。基本支出预算28016.26万元，占本年支出预算63.43%。"
        m = re.match(rf"^(?:（[一二]）(?:基本支出|项目支出)。)?(基本支出|项目支出)(?:预算)?{N}万元(.*)$", t)
        if m:
            key = "expenditure.basic" if m.group(1) == "基本支出" else "expenditure.project"
            s.emit(key, num(m.group(2)), "万元")
            emit_share(s, key, m.group(3))
            emit_change(s, key, m.group(3))

    # -- 四、财政拨款
    def on_appropriation(self, t: str) -> None:
        s = self.sink
        s.amount("appropriation.total", rf"财政拨款收支总预算{N}万元", t)
        m = re.search(r"收入预算包括[:：](.+)", t)
        if m:
            emit_items(s, "appropriation.income.by_source", m.group(1))
        if t.startswith("一般公共预算支出包括"):
            for m in re.finditer(rf"([\u4e00-\u9fa5]+?支出){N}万元", t.split("：", 1)[-1]):
                name = re.sub(r"^(?:主要用于[^。]*?。)", "", m.group(1))
                s.emit("appropriation.by_class", num(m.group(2)), "万元", name)

    # -- 五、一般公共预算当年拨款
    def on_general_budget(self, t: str) -> None:
        s = self.sink
        if self.sub == "scale":
            s.amount("general_budget.total", rf"拨款合计{N}万元", t)
            for part in re.split(r"(?=基本支出|项目支出)", t):
                m = re.match(rf"^(基本支出|项目支出){N}万元(.*?)(?=基本支出|项目支出|$)", part)
                if m:
                    key = "general_budget.basic" if m.group(1) == "基本支出" else "general_budget.project"
                    s.emit(key, num(m.group(2)), "万元")
                    emit_change(s, key, m.group(3))
        elif self.sub == "structure":
            m = re.match(rf"^\d+[.、．]\s*(项目支出){N}万元(.*)$", t)
            if m:
                s.emit("general_budget.project", num(m.group(2)), "万元")
                emit_share(s, "general_budget.project", m.group(3))
                return
            m = re.match(rf"^\d+[.、．]\s*(.+?支出){N}万元(.*)$", t)
            if m:
                s.emit("general_budget.by_class", num(m.group(2)), "万元", m.group(1))
                emit_share(s, "general_budget.by_class", m.group(3), m.group(1))
                return
            m = re.match(rf"^[（(]\d+[)）]\s*(.+?){N}万元(.*)$", t)
            if m:
                s.emit("general_budget.by_item", num(m.group(2)), "万元", m.group(1))
                emit_share(s, "general_budget.by_item", m.group(3), m.group(1))
        elif self.sub == "detail":
            m = re.search(
                rf"(.+?)[（(]类[)）](.+?)[（(]款[)）](.+?)[（(]项[)）][:：]?\s*\d{{4}}年预算数为{N}万元(.*)$", t
            )
            if m:
                cls = re.sub(r"^\d+[.、．]\s*", "", m.group(1)).strip()
                path = f"{cls}/{m.group(2).strip()}/{m.group(3).strip()}"
                item = m.group(3).strip()
                s.emit("general_budget.item_detail", num(m.group(4)), "万元", item, text=path)
                emit_change(s, "general_budget.item_detail", m.group(5), item)

    # -- 六、基本支出
    def on_basic(self, t: str) -> None:
        s = self.sink
        s.amount("basic.total", rf"基本支出{N}万元", t)
        for label, key in (("人员经费", "basic.personnel"), ("公用经费", "basic.public_use")):
            m = re.match(rf"^{label}{N}万元[，,]?(?:主要)?(?:包括)?[:：]?(.*)$", t)
            if m:
                s.emit(key, num(m.group(1)), "万元")
                emit_items(s, f"{key}.item", m.group(2))

    # -- 七、项目支出
    def on_project(self, t: str) -> None:
        s = self.sink
        m = re.match(r"^\d+[、.．]\s*项目名称[:：]\s*(.+)$", t)
        if m:
            self.project = m.group(1).strip()
            s.emit("project.name", None, None, self.project, text=self.project)
            return
        if self.project is None:
            return
        m = re.match(rf"^预算安排规模[:：].*?{N}万元", t)
        if m:
            s.emit("project.amount", num(m.group(1)), "万元", self.project)
            return
        for label, key in (
            ("设立的政策依据", "project.policy_basis"),
            ("项目承担单位", "project.undertaking_unit"),
            ("资金分配情况", "project.allocation"),
            ("资金执行时间", "project.period"),
        ):
            m = re.match(rf"^{label}[:：]\s*(.+)$", t)
            if m:
                s.emit(key, None, None, self.project, text=m.group(1).strip())

    # -- 八、三公
    def on_three_public(self, t: str) -> None:
        s = self.sink
        # …“三公”经费预算数为867.50万元 / 预算394.49万元 / 预算共3.4万元 (烟台) / 预算支出6.51万元 (西安) /
        # 财政拨款预算数为112.61万元 (中央); the amount may be on the next printed line (search_across)
        m = search_across(rf"三公”?经费(?:财政拨款)?(?:预算)?(?:支出)?(?:共|数?为?)\s*{N}\s*万元", s.prev, t)
        if m and "比上年" not in m.string[: m.start()]:
            sentence = s.sentence
            s.sentence = m.string
            s.emit("three_public.total", num(m.group(1)), "万元")
            s.sentence = sentence
            rest = m.string[m.end() :]
            for pattern, key in THREE_PUBLIC_PARTS:
                pm = re.search(rf"({pattern}){N}万元", rest)
                if pm:
                    s.emit(f"three_public.{key}", num(pm.group(2)), "万元", pm.group(1))
                    rest = rest[: pm.start()] + "#" * (pm.end() - pm.start()) + rest[pm.end() :]
        elif not m:
            # 江苏: no total, the parts: "因公出国（境）费支出199.25万元，占…",
            # "（2）公务用车运行维护费预算支出183.6万元"
            rest = t
            for pattern, key in THREE_PUBLIC_PARTS:
                pm = re.search(rf"({pattern})(?:预算)?支出{N}万元", rest)
                if pm:
                    s.emit(f"three_public.{key}", num(pm.group(2)), "万元", pm.group(1))
                    rest = rest[: pm.start()] + "#" * (pm.end() - pm.start()) + rest[pm.end() :]
        m = re.search(rf"三公”?经费比上年(增加|减少){N}万元", t)
        if m:
            s.emit("three_public.change.total", signed(m.group(1), m.group(2)), "万元")
        elif re.search(r"三公”?经费(?:与上年持平|比上年无变化|与上年相比无变化)", t):
            s.emit("three_public.change.total", Decimal(0), "万元", text="无变化")
        if m or "比上年" in t:
            tail = t[m.end() :] if m else t
            for pattern, key in THREE_PUBLIC_PARTS:
                pm = re.search(rf"({pattern})(?:比上年)?(增加（减少）|增加|减少){N}万元", tail)
                if pm:
                    s.emit(f"three_public.change.{key}", signed(pm.group(2), pm.group(3)), "万元", pm.group(1))

    # -- 九、政府性基金
    def on_gov_fund(self, t: str) -> None:
        if "没有" in t or "无" in t or "为空表" in t:
            self.sink.emit("gov_fund.total", Decimal(0), "万元", text="没有使用政府性基金预算拨款安排的支出")
        else:
            self.sink.amount("gov_fund.total", rf"政府性基金预算(?:拨款)?(?:安排的)?支出{N}万元", t)

    # -- 十、其他重要事项
    def on_operating_cost(self, t: str) -> None:
        m = self.sink.amount("operating_cost.total", rf"机关运行经费(?:财政拨款)?预算{N}万元(.*)$", t)
        if m:
            emit_change(self.sink, "operating_cost", m.group(2))

    def on_procurement(self, t: str) -> None:
        s = self.sink
        s.amount("procurement.total", rf"政府采购预算{N}万元", t)
        for m in re.finditer(rf"政府采购(货物|工程|服务)预算{N}万元", t):
            key = {"货物": "goods", "工程": "works", "服务": "services"}[m.group(1)]
            s.emit(f"procurement.{key}", num(m.group(2)), "万元", f"政府采购{m.group(1)}预算")
        s.amount("procurement.sme_reserved", rf"面向中小企业预留政府采购项目预算金额{N}万元", t)
        s.amount("procurement.small_micro_reserved", rf"面向小微企业预留政府采购项目预算金额{N}万元", t)

    def on_assets(self, t: str) -> None:
        s = self.sink
        m = re.search(r"截至\s*(\d{4})\s*年(?:底|末|12月31日)", t)
        if m:
            s.emit("assets.as_of_date", None, None, text=f"{m.group(1)}-12-31")
        if "安排购置" in t or "未安排购置" in t:
            if re.search(r"未安排购置车辆", t):
                s.emit("assets.planned.vehicle.count", Decimal(0), "辆", text="未安排购置车辆经费")
            else:
                pm = re.search(rf"安排购置车辆{N}辆", t)
                if pm:
                    s.emit("assets.planned.vehicle.count", num(pm.group(1)), "辆")
            for size, key in (("50", "equipment_over_500k"), ("100", "equipment_over_1m")):
                pm = re.search(rf"{size}万元以上大型设备{N}台", t)
                if pm:
                    s.emit(f"assets.planned.{key}.count", num(pm.group(1)), "台（套）")
            return
        m = re.search(rf"房屋{N}平方米[，,]?价值{N}万元", t)
        if m:
            s.emit("assets.building.area_m2", num(m.group(1)), "平方米")
            s.emit("assets.building.value", num(m.group(2)), "万元")
        m = re.search(rf"(?:^|[.、．\s])车辆{N}辆[，,]?价值{N}万元", t)
        if m:
            s.emit("assets.vehicle.count", num(m.group(1)), "辆")
            s.emit("assets.vehicle.value", num(m.group(2)), "万元")
        for m in re.finditer(rf"{VEHICLE_KINDS}{N}辆[，,]?价值{N}万元", t):
            s.emit("assets.vehicle_kind.count", num(m.group(2)), "辆", m.group(1))
            s.emit("assets.vehicle_kind.value", num(m.group(3)), "万元", m.group(1))
        s.amount("assets.furniture.value", rf"家具价值{N}万元", t)
        s.amount("assets.other.value", rf"其他资产价值{N}万元", t)
        for size, key in (("50", "equipment_over_500k"), ("100", "equipment_over_1m")):
            m = re.search(rf"单位价值{size}万元以上大型设备{N}台", t)
            if m:
                s.emit(f"assets.{key}.count", num(m.group(1)), "台（套）")

    def on_performance(self, t: str) -> None:
        m = re.search(rf"绩效管理的(?:一般公共预算)?项目{N}个[，,]?涉及(?:预算)?金额{N}万元", t)
        if m:
            self.sink.emit("performance.project_count", num(m.group(1)), "个")
            self.sink.emit("performance.amount", num(m.group(2)), "万元")


def recognize_narrative(d: Disclosure, paragraphs: list[Paragraph]) -> None:
    n = Narrative(d)
    for p in paragraphs:
        n.feed(p)
