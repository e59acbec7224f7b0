"""Roster columns: the Chinese names offices give them, finding the header row, and the mapping.

The header is searched in the first rows (rosters start with titles such as "2020年城关乡…花名册"
and "填报单位："), as one row or as two rows under merged group cells ("被保险人信息" over
姓名 | 身份证号码). Columns are matched by their normalised names; what is not matched is offered
for manual mapping in the GUI, and a confirmed mapping is remembered per layout (its signature).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fpdesk.core.enrollment_forms import EnrollmentForm

HEADER_SCAN_ROWS = 30


@dataclass(frozen=True)
class RosterField:
    key: str
    label_zh: str  # the column name fpdesk writes in templates and exports
    label_en: str
    aliases: tuple[str, ...] = ()


# docs/rules.md#roster-columns plus the names seen in township rosters.
STANDARD_FIELDS: tuple[RosterField, ...] = (
    RosterField("seq", "序号", "No.", ("编号", "顺序号")),
    RosterField("township", "乡镇", "Township", ("乡镇(街道)", "乡(镇)", "乡", "镇", "街道", "乡镇名称")),
    RosterField("village", "村（社区）", "Village", ("村", "村(社区)", "村（居）", "村居", "村委会", "行政村", "社区",  # glossary: also read
                                                    "村名", "村/单位", "单位/村", "所在村")),
    RosterField("division_code", "区划代码", "Division code", ("统计用区划代码", "村代码")),
    RosterField("group", "村民小组", "Villager group", ("组", "小组", "村民组")),
    RosterField("household_ref", "户号", "Household no.", ("户编号", "家庭编号", "户序号")),
    RosterField("head_name", "户主姓名", "Head of household", ("户主",)),
    RosterField("head_id_number", "户主身份证号码", "Head's ID number", ("户主身份证号", "户主公民身份号码")),
    RosterField("address", "家庭住址", "Address", ("住址", "地址", "详细地址", "居住地址")),
    RosterField("category", "家庭类别", "Household category", ("类别", "户类别", "计生家庭类别", "家庭类型", "对象类别")),  # glossary: also read
    RosterField("certificate_no", "独生子女证号", "Only-child certificate no.", ("独生子女证编号", "光荣证号")),
    RosterField("name", "姓名", "Name", ("被保险人姓名", "被保险人", "参保人姓名", "参保人", "对象姓名")),
    RosterField("sex", "性别", "Sex", ()),
    RosterField("birth_date", "出生日期", "Birth date", ("出生年月", "出生年月日", "生日")),
    RosterField("id_number", "身份证号码", "ID number", ("身份证号", "公民身份号码", "身份证", "被保险人身份证号码",
                                                       "被保险人身份证号", "证件号码", "参保人身份证号码")),
    RosterField("relation", "与户主关系", "Relation to head", ("关系", "家庭关系", "与户主的关系")),
    RosterField("phone", "联系电话", "Phone", ("电话", "手机", "手机号", "手机号码", "联系方式", "电话号码")),
    RosterField("phone2", "其他电话", "Second phone", ("座机", "固定电话", "备用电话")),
    RosterField("product", "险种", "Product", ("保险产品", "参保险种", "产品", "保险名称", "险种名称")),  # glossary: also read
    RosterField("shares", "份数", "Shares", ("投保份数", "参保份数")),
    RosterField("premium", "保费（元）", "Premium (yuan)", ("保费", "保险费", "金额", "保费金额")),
    RosterField("payer", "缴费方式", "Payer", ("付费方式", "出资方式", "投保方式", "缴费类型", "出资")),  # glossary: also read
    RosterField("enrolled_on", "投保日期", "Enrollment date", ("缴费日期", "参保日期", "登记日期", "交费日期")),
    RosterField("remarks", "备注", "Remarks", ("说明",)),
)
IGNORED_FIELDS = frozenset({"seq", "premium", "remarks", "group"})
FORM_PREFIX = "form:"
# First-column words of rows below the data: totals, signatures, dates.
FOOTER_WORDS = ("合计", "小计", "总计", "填报", "填表", "制表", "审核", "审批", "负责人", "经办人", "单位（盖章）",
                "备注：", "说明：")


def header_key(text: object) -> str:
    """A column name as compared: no spaces or line breaks, no required-marks, ASCII brackets."""
    value = str(text or "").translate(str.maketrans("（）：", "():", " \u3000\n\r\t*＊"))
    return value.strip(":").lower()


def _without_brackets(key: str) -> str:
    return re.sub(r"\(.*?\)", "", key)


def roster_fields(form: EnrollmentForm | None = None) -> tuple[RosterField, ...]:
    """The standard fields plus the product form's questions (keys ``form:<key>``)."""
    fields = list(STANDARD_FIELDS)
    if form is not None:
        for item in form.fields:
            if item.maps_to == "household.certificate_no":
                continue  # the standard certificate column holds it
            fields.append(RosterField(FORM_PREFIX + item.key, item.roster_columns[0] if item.roster_columns
                                      else item.label_zh, item.label_en, (item.label_zh, *item.roster_columns)))
    return tuple(fields)


def alias_index(fields: Iterable[RosterField]) -> dict[str, str]:
    index: dict[str, str] = {}
    for item in fields:
        for name in (item.label_zh, *item.aliases):
            index.setdefault(header_key(name), item.key)
    return index


def match_column(label: object, index: dict[str, str]) -> str | None:
    key = header_key(label)
    if not key:
        return None
    return index.get(key) or index.get(_without_brackets(key))


@dataclass(frozen=True)
class HeaderGuess:
    """Where the header is and what it says.

    Attributes:
        header_row: 0-based index of the (last) header row; data starts on the next row.
        labels: the header text of each column (two header rows combined).
        mapping: column index -> field key, for the columns recognised.
    """

    header_row: int
    labels: tuple[str, ...]
    mapping: dict[int, str]

    @property
    def data_start(self) -> int:
        return self.header_row + 1

    @property
    def signature(self) -> str:
        return layout_signature(self.labels)


def layout_signature(labels: Sequence[str]) -> str:
    """Identifies a layout: the same column names in the same order give the same signature."""
    text = "|".join(header_key(label) for label in labels).rstrip("|")
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _map(labels: Sequence[str], index: dict[str, str]) -> dict[int, str]:
    mapping: dict[int, str] = {}
    taken: set[str] = set()
    for position, label in enumerate(labels):
        key = match_column(label, index)
        if key and key not in taken:
            mapping[position] = key
            taken.add(key)
    return mapping


def _score(mapping: dict[int, str]) -> int:
    keys = set(mapping.values())
    return len(keys) if keys & {"name", "id_number"} else 0


def find_header(rows: Sequence[Sequence], fields: Iterable[RosterField]) -> HeaderGuess | None:
    """The best header in the first rows: one row, or two rows where the lower one names the
    columns under merged group cells. Merged cells hold their text in their first cell only, so a
    cell merged down (序号 over two rows) keeps the upper row's name and a group title merged
    across is replaced by the names below it."""
    index = alias_index(fields)
    scan = [[_text(v) for v in row] for row in rows[:HEADER_SCAN_ROWS]]
    best: tuple[tuple[int, int, int], int, tuple[str, ...], dict[int, str]] | None = None
    for position, upper in enumerate(scan):
        candidates = [(position, tuple(upper))]
        if position + 1 < len(scan):
            lower = scan[position + 1]
            width = max(len(upper), len(lower))
            combined = tuple((lower[i] if i < len(lower) and lower[i] else (upper[i] if i < len(upper) else ""))
                             for i in range(width))
            candidates.append((position + 1, combined))
        for last_row, labels in candidates:
            mapping = _map(labels, index)
            score = _score(mapping)
            # prefer more matched columns, then the single-row reading, then the earliest row
            rank = (score, -(last_row - position), -position)
            if score >= 2 and (best is None or rank > best[0]):
                best = (rank, last_row, labels, mapping)
    if best is None:
        return None
    _rank, header_row, labels, mapping = best
    while labels and not labels[-1]:
        labels = labels[:-1]
    return HeaderGuess(header_row, labels, mapping)


def apply_remembered(guess: HeaderGuess, remembered: dict[str, str] | None, fields: Iterable[RosterField]
                     ) -> dict[int, str]:
    """The guessed mapping overlaid with a remembered one (header text -> field key; "" = ignore)."""
    mapping = dict(guess.mapping)
    if not remembered:
        return mapping
    known = {f.key for f in fields}
    for position, label in enumerate(guess.labels):
        key = remembered.get(header_key(label))
        if key is None:
            continue
        mapping.pop(position, None)
        if key and key in known:
            for other, taken in list(mapping.items()):
                if taken == key:
                    del mapping[other]
            mapping[position] = key
    return mapping


def mapping_by_label(labels: Sequence[str], mapping: dict[int, str]) -> dict[str, str]:
    """What is remembered: every header's field key ("" for a column left unmapped)."""
    return {header_key(label): mapping.get(position, "") for position, label in enumerate(labels) if label}


def is_footer(row: Sequence) -> bool:
    first = next((str(v).strip() for v in row if v is not None and str(v).strip()), "")
    compact = first.replace(" ", "").replace("\u3000", "")
    return compact.startswith(FOOTER_WORDS)
