"""Building roster spreadsheets for the tests (imported by name: tests/ is on sys.path via conftest)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook

from fpdesk.core.idnumber import make_number

D = dt.date
PRODUCT = "fp_family_accident_100"
HEADER = ["序号", "乡镇", "村", "户主姓名", "姓名", "身份证号码", "与户主关系", "联系电话", "家庭类别", "险种", "份数",
          "缴费方式", "身体健康", "受益人"]

ZHANG = make_number("350421", D(1980, 1, 1), 17)
LI = make_number("350421", D(1982, 5, 1), 24)
ZHANG_GIRL = make_number("350421", D(2010, 3, 3), 32)
WANG = make_number("350421", D(1975, 7, 7), 55)
WANG_WIFE = make_number("350421", D(1976, 8, 8), 66)


def person(seq, name, number, relation, *, head="张三", village="罗翠村", category="二女结扎户", phone="",
           payer="政府", shares=1, product=PRODUCT):
    return [seq, "城关乡", village, head, name, number, relation, phone, category, product, shares, payer, "是", "法定"]


def good_rows() -> list[list]:
    """Two households: 张三's (government-paid, three people) and 王五's (self-paid, two)."""
    return [
        person(1, "张三", ZHANG, "户主", phone="13800138000"),
        person(2, "李梅", LI, "配偶"),
        person(3, "张小妹", ZHANG_GIRL, "女"),
        person(4, "王五", WANG, "户主", head="王五", village="城东村", category="其他计生家庭", payer="自费"),
        person(5, "赵兰", WANG_WIFE, "妻", head="王五", village="城东村", category="其他计生家庭", payer="自费"),
    ]


def write_roster(path: Path, rows: list[list], *, header: list[str] | None = None, title: bool = True,
                 sheet: str = "花名册") -> Path:
    """An ugly-but-real roster: a merged title row, an office row, the header, the rows, a total row."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    header = header or HEADER
    if title:
        ws.append(["2024年城关乡计划生育家庭意外伤害保险花名册"])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        ws.append(["填报单位：城关乡计生协", None, None, None, None, None, "填报日期：2024年4月20日"])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append(["合计", None, None, None, f"{len(rows)}人"])
    book.save(path)
    return path


def first_data_row(title: bool = True) -> int:
    return 4 if title else 2


# ---- the rosters townships already keep ---------------------------------------------------------------
# The common layout: 序号, 乡镇, 村, 户主姓名, 户主身份证号, 姓名, 身份证号码, 性别, 出生日期, 与户主关系 (子女 for
# both sons and daughters), 联系电话, 家庭类别, 险种, 份数, 缴费方式; a column nobody planned for (是否低保);
# two title rows above the header; numbers typed as text; a 合计 and a 填表人 row at the foot. No column
# of the product's form (被保险人身体健康, 身故受益人): no roster an office keeps has them.
COMMON_HEADER = ["序号", "乡镇", "村", "户主姓名", "户主身份证号", "姓名", "身份证号码", "性别", "出生日期", "与户主关系",
                 "联系电话", "家庭类别", "险种", "份数", "缴费方式", "是否低保"]
ACCIDENT_NAME = "生育关怀—计划生育家庭意外伤害保险（100元版）"
SURNAMES = "林张陈王李刘黄吴赵周徐孙马朱胡郭何罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "国华建明志强秀英丽娟海燕文俊伟芳红梅桂兰玉珍德福春生晓东小龙雪琴思远佳怡子涵雨欣浩然宇轩"


class Families:
    """Families of a township, made up deterministically: ID numbers unique, ages as a roster has them."""

    def __init__(self, seed: int = 7, region: str = "350421") -> None:
        import random

        self.random = random.Random(seed)
        self.region = region
        self.used: set[str] = set()

    def number(self, birth: dt.date, male: bool) -> str:
        while True:
            seq = self.random.randrange(0, 500) * 2 + (1 if male else 0)
            value = make_number(self.region, birth, seq)
            if value not in self.used:
                self.used.add(value)
                return value

    def name(self, surname: str) -> str:
        r = self.random
        return surname + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2))))

    def birth(self, year: int) -> dt.date:
        return dt.date(year, 1, 1) + dt.timedelta(days=self.random.randrange(0, 364))

    def family(self, village: str, *, grandparent: bool = False, children: int = 2, category: str = "二女结扎户",
               today: dt.date = dt.date(2026, 3, 10)) -> list[dict]:
        """The members of one family, head first: (name, number, sex, birth, relation)."""
        r = self.random
        surname = r.choice(SURNAMES)
        head_year = today.year - r.randrange(32, 55)
        members = [self._member(self.name(surname), head_year, True, "户主")]
        members.append(self._member(self.name(r.choice(SURNAMES)), head_year + r.randrange(-2, 3), False, "配偶"))
        for _ in range(children):
            members.append(self._member(self.name(surname), r.randrange(head_year + 22, today.year - 1),
                                        (category == "其他计生家庭" and r.random() < 0.5) or r.random() < 0.3, "子女"))
        if grandparent:  # the head's mother, past the product's 65 years
            members.append(self._member(self.name(r.choice(SURNAMES)), today.year - r.randrange(72, 84), False, "母亲"))
        for member in members:
            member.update(village=village, category=category, head=members[0])
        return members

    def _member(self, name: str, year: int, male: bool, relation: str) -> dict:
        birth = self.birth(year)
        return {"name": name, "number": self.number(birth, male), "male": male, "birth": birth, "relation": relation}


def common_rows(families: list[list[dict]], *, township: str = "城关乡", product: str = ACCIDENT_NAME) -> list[list]:
    """The families as rows of the common layout, the way clerks type them."""
    rows: list[list] = []
    for family in families:
        head = family[0]
        phone = "139" + head["number"][9:17]
        government = family[0]["category"] != "其他计生家庭"
        for member in family:
            is_head = member is head
            rows.append([
                len(rows) + 1, township, member["village"], head["name"], head["number"], member["name"],
                member["number"], "男" if member["male"] else "女", member["birth"].strftime("%Y-%m-%d"),
                member["relation"], phone if is_head else None, member["category"] if is_head else None,
                product, "1" if is_head else None, ("政府" if government else "自费") if is_head else None,
                "否" if is_head else None])
    return rows


def write_common_roster(path: Path, rows: list[list], *, header: list[str] | None = None) -> Path:
    """Two title rows, the header, the rows (ID and phone cells as text), 合计 and 填表人 at the foot."""
    book = Workbook()
    ws = book.active
    ws.title = "Sheet1"
    header = header or COMMON_HEADER
    ws.append(["2026年城关乡计划生育家庭意外伤害保险参保花名册"])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["填报单位（盖章）：城关乡卫生计生办", None, None, None, None, None, None, None, None, None,
               "填报日期：2026年3月"])
    ws.append(header)
    for number, row in enumerate(rows, start=4):
        ws.append(row)
        for column in (5, 7, 11):  # 户主身份证号, 身份证号码, 联系电话 typed into text-formatted cells
            ws.cell(number, column).number_format = "@"
    ws.append(["合计", None, None, None, None, f"{len(rows)}人"])
    ws.append(["填表人：", None, None, "审核人：", None, None, "联系电话：0598-2812345"])
    book.save(path)
    return path


COUNTY_DIVISIONS = [
    ("350421000000", "明溪县", "", ""), ("350421200000", "城关乡", "350421000000", "乡"),
    ("350421200201", "罗翠村委会", "350421200000", "村"), ("350421200202", "城东村委会", "350421200000", "村"),
    ("350421200203", "坪埠村委会", "350421200000", "村"), ("350421200204", "旦上村委会", "350421200000", "村"),
    ("350421200205", "下坊村委会", "350421200000", "村"), ("350421200001", "城关社区居委会", "350421200000", "社区"),
    ("350421101000", "雪峰镇", "350421000000", "镇"), ("350421101201", "城西村委会", "350421101000", "村"),
    ("", "县教育局", "", "机关单位"), ("", "县卫健局", "", "机关单位"), ("350421900003", "县财政局", "", "单位"),
]


def write_division_list(path: Path, rows=COUNTY_DIVISIONS) -> Path:
    """The list a county gets from the statistics bureau (12-digit codes padded with zeros), with the
    county's agency units appended by hand (two without a code)."""
    book = Workbook()
    ws = book.active
    ws.append(["明溪县2024年统计用区划代码和城乡划分代码"])
    ws.append(["统计用区划代码", "名称", "上级代码", "类别"])
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return path


# ---- a roster full of mistakes ------------------------------------------------------------------------
# Every kind of cell an office's roster has been seen to hold, right and wrong, as python-calamine
# reads them (numbers as floats, dates as dates): the column checks (fpdesk.excel.column_checks) must
# say exactly what the row checker says of each row. Used by tests/services/test_roster_by_columns.py.
MISTAKES_HEADER = ["序号", "乡镇", "村", "户主姓名", "户主身份证号", "姓名", "身份证号码", "性别", "出生日期", "与户主关系",
                   "联系电话", "家庭类别", "险种", "份数", "缴费方式", "身体健康", "受益人", "投保日期", "投保单位", "备注"]


class MistakenRoster:
    """Households of the common layout with a mistake in about ``rate`` of the rows, made up
    deterministically from ``seed``."""

    def __init__(self, seed: int = 11, rate: float = 0.35, today: dt.date = dt.date(2026, 1, 5)) -> None:
        import random

        self.random = random.Random(seed)
        self.rate, self.today = rate, today
        self.families = Families(seed=seed + 1)
        self.rows: list[list] = []

    def build(self, count: int) -> list[list]:
        r = self.random
        while len(self.rows) < count:
            if r.random() < 0.02:
                self.rows.append(r.choice(self._odd_lines()))
                continue
            village = r.choice(["罗翠村", "城东村", "罗翠村委会", "城东"])
            category = r.choice(["二女结扎户", "其他计生家庭", "独生子女户", "二女结扎户、困难计生家庭"])
            members = self.families.family(village, grandparent=r.random() < 0.15, children=r.choice((0, 1, 2)),
                                           category=category, today=self.today)
            head = members[0]
            for member in members:
                self.rows.append(self._row(member, head, member is head))
        return self.rows[:count]

    def _row(self, member: dict, head: dict, is_head: bool) -> list:
        r = self.random
        birth = member["birth"]
        row = [float(len(self.rows) + 1), "城关乡", member["village"], head["name"], head["number"], member["name"],
               member["number"], "男" if member["male"] else "女", birth.strftime("%Y-%m-%d"), member["relation"],
               ("139" + head["number"][9:17]) if is_head else None, member["category"] if is_head else None,
               PRODUCT if is_head else None, 1.0 if is_head else None, None, "是", "法定", None, None, None]
        if r.random() < self.rate:
            r.choice(self._mistakes())(row, member)
        return row

    def _odd_lines(self) -> list[list]:
        return [[None] * 20, ["合计", None, None, None, None, "100人"], ["填表人：张三", None, None, "审核人："],
                [float(len(self.rows) + 1)] + [None] * 19, [None, None, None, None, None, " ", "  "],
                ["备注：以上人员均已核实"], list(self.rows[-1]) if self.rows else [None] * 20]

    def _mistakes(self):
        r = self.random
        n = lambda birth, seq: make_number("350421", birth, seq)  # noqa: E731

        def cell(index, *values):
            return lambda row, member: row.__setitem__(index, r.choice(values))

        def id_cell(row, member):
            number = member["number"]
            row[6] = r.choice([
                number[:-1] + ("0" if number[-1] != "0" else "1"), number[:17], number.lower() if "X" in number
                else number[:-1] + "x", " ".join((number[:6], number[6:14], number[14:])), number.replace("1", "１"),
                float(number[:17] + "0") if number[-1] != "X" else float(number[:17]), float(number[:6] + number[8:17]),
                number[:6] + number[8:17], "99" + number[2:], n(dt.date(2027, 1, 1), 11), "3.50421E+17", None,
                "350421" + "19800230" + "0011", True, number + "1", "  " + number + " "])
            if row[6] is None and r.random() < 0.5:
                row[7], row[8] = None, None

        def duplicate(row, member):
            if self.rows:
                previous = self.rows[r.randrange(len(self.rows))]
                if len(previous) <= 6:  # a blank or cut-short row drawn by another mistake: nothing to copy
                    return
                row[6] = previous[6]
                if r.random() < 0.5:
                    row[:] = [row[0], *previous[1:]]

        return [
            id_cell, id_cell, duplicate,
            cell(5, None, "  ", "张 三", " 李四 ", "王\u3000五", 12.0, "阿" * 60),
            cell(7, "男" if not member_sex(r) else "女", "M", "男性", "female", None),
            lambda row, member: row.__setitem__(8, r.choice([
                member["birth"], dt.datetime.combine(member["birth"], dt.time()), member["birth"].strftime("%Y/%m/%d"),
                member["birth"].strftime("%Y%m%d"), float((member["birth"] - dt.date(1899, 12, 30)).days),
                "1980-13-01", "1981年2月3日", "明年", dt.date(1950, 1, 1), None])),
            cell(9, "邻居", "子女", "本人", "户主本人", "02", "3", "020", "儿子", "女儿", "孙女", "公婆", None, "之子"),
            cell(10, "12345", "138 0013 8000", "0598-1234567", 13800138000.0, "+86 139-0000-1111", "电话", "1380013800"),
            cell(2, "火星村", None, "罗翠", "城东村委会", "坪埠村"),
            cell(11, "外星户", "低保户", "二女结扎户，独生子女户", "计生特殊家庭", None, "特扶"),
            cell(12, "火星保险", "fp_family_accident_100", "计生家庭意外伤害保险", None, "计划生育家庭意外伤害保险（100元版）"),
            cell(13, "2", 0.0, "abc", 1.0, 2.0, "1", "一", 1.5, True),
            cell(14, "村里", "政府", "自费", "单位", "政府出资", None),
            cell(15, "否", "也许", None, "是", True, "Y", 1.0),
            cell(16, None, "法定", "张三", "指定", 5.0),
            cell(17, "2024-03-01", dt.date(2024, 2, 30 - 1), "2024年13月1日", 45352.0, "不详", dt.date(2027, 1, 1)),
            cell(18, "县教育局", "火星局", None),
            cell(3, None, "某某", "张 三"),
            cell(4, None, "35042119800101001X", 3.50421198001011e17),
        ]


def member_sex(random) -> bool:
    return random.random() < 0.5


# A family of 城东村 registered before the roster comes (its head 刘已登, born 1970-02-02), and the
# roster's row that names him again: the row is an update of a registered person (the ORM's logged
# writes between the bulk ones), where every other row of a mistaken roster is new.
REGISTERED_HEAD = make_number("350421", D(1970, 2, 2), 71)


def register_known_family(ws) -> None:
    from fpdesk.core.people import HouseholdDraft, PersonDraft
    from fpdesk.core.vocabulary import HouseholdCategory, Relation
    from fpdesk.services.registry import households

    households.register_household(
        ws, HouseholdDraft("350421200202", categories=frozenset({HouseholdCategory.OTHER_FP})),
        [PersonDraft("刘已登", REGISTERED_HEAD, Relation.HEAD)], today=D(2024, 1, 1))


def write_mistaken_roster(path: Path, *, seed: int, count: int) -> Path:
    """A titled sheet of ``count`` rows with mistakes (MistakenRoster at a rate of 0.15) and the
    known family's head at the end."""
    rows = MistakenRoster(seed=seed, rate=0.15).build(count)
    rows.append([9999.0, "城关乡", "城东村", "刘已登", None, "刘已登记", REGISTERED_HEAD, "男", "1970-02-02", "户主",
                 "13900001111", "其他计生家庭", None, 1.0, "自费", "是", "法定", None, None, None])
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    sheet.append(["2025年城关乡计划生育家庭意外伤害保险花名册"])
    sheet.append(MISTAKES_HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
