"""The empty import template of a product: the columns the importer knows, drop-down lists for
the closed vocabularies, ID and phone columns formatted as text (so Excel cannot turn an ID number
into 3.50421198001010E+17), a frozen header and print setup. Written with openpyxl: it is small,
and openpyxl writes data validations and column formats reliably."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from fpdesk.core.enrollment_forms import EnrollmentForm
from fpdesk.core.products import Product, in_vocabulary_order
from fpdesk.core.vocabulary import HouseholdCategory, PayerType

FORMAT_VERSION = 1
TEMPLATE_ROWS = 500  # rows pre-formatted (text format, drop-downs)
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


# The words a clerk picks from (GB/T 4761-2008's and the rosters', fpdesk.core.relations reads them all);
# 子女 and 孙子女 are taken by the person's sex.
RELATION_WORDS = ("户主", "配偶", "子女", "子", "女", "儿媳", "女婿", "孙子女", "孙子", "孙女", "父亲", "母亲", "公公",
                  "婆婆", "岳父", "岳母", "祖父", "祖母", "兄弟姐妹", "其他")


def has_unit_channel(product: Product, form: EnrollmentForm) -> bool:
    """Whether units enroll their staff in the product (the 机关 channel)."""
    return HouseholdCategory.UNIT_EMPLOYEE in product.eligibility.categories or any(
        "village" not in f.channels for f in form.fields)


def template_columns(product: Product, form: EnrollmentForm) -> list[tuple[str, float, str, list[str] | None]]:
    """(header, width, kind, choices): kind is text (format as text), plain, or date. Every question
    of the product's form has its column, in every channel the product has (the unit channel's
    投保单位 beside 村（居）: a staff member's row names the unit instead of a village)."""
    categories = [c.label_zh for c in in_vocabulary_order(product.eligibility.categories)]
    unit_fields = [f for f in form.fields if "village" not in f.channels]
    columns: list[tuple[str, float, str, list[str] | None]] = [
        ("序号", 6, "plain", None), ("乡镇", 10, "plain", None), ("村（社区）", 12, "plain", None),
    ]
    for item in unit_fields:
        columns.append((_column_name(item), 16, "plain", None))
    columns += [("户主姓名", 10, "plain", None), ("户主身份证号码", 21, "text", None),
                ("家庭类别", 16, "plain", categories)]
    if "one_child_cert" in product.eligibility.required_documents or any(
            f.maps_to == "household.certificate_no" for f in form.fields):
        columns.append(("独生子女证号", 16, "text", None))
    columns += [
        ("姓名", 10, "plain", None), ("身份证号码", 21, "text", None),
        ("与户主关系", 11, "plain", list(RELATION_WORDS)), ("联系电话", 13, "text", None),
        ("险种", max(12, len(product.name_zh) + 2), "plain", [product.name_zh]),
        ("份数", 6, "plain", None), ("缴费方式", 9, "plain", [p.label_zh for p in PayerType]),
        ("投保日期", 12, "date", None),
    ]
    for item in form.fields:
        if item.maps_to == "household.certificate_no" or item in unit_fields:
            continue
        name = _column_name(item)
        choices = None
        if item.type == "choice":
            choices = [c.label_zh for c in item.validation.choices]
        elif item.type == "bool":
            choices = ["是", "否"]
        kind = "text" if item.type in ("id_number", "phone", "text") else "date" if item.type == "date" else "plain"
        columns.append((name, max(10, len(name) * 2 + 2), kind, choices))
    columns.append(("备注", 16, "plain", None))
    return columns


def _blank_note(form: EnrollmentForm) -> str:
    """What a blank means, where the trade has a rule for it (身故受益人 不填即为法定)."""
    notes = []
    for item in form.fields:
        if item.blank_means is not None:
            shown = next((c.label_zh for c in item.validation.choices if c.value == item.blank_means), item.blank_means)
            notes.append(f"“{_column_name(item)}”不填即为{shown}")
    return "；".join(notes) + ("。" if notes else "")


def _column_name(item) -> str:
    return item.roster_columns[0] if item.roster_columns else item.label_zh


def write_template(path: str | Path, product: Product, form: EnrollmentForm, *, office: str = "") -> Path:
    path = Path(path)
    book = Workbook()
    sheet = book.active
    sheet.title = "花名册"
    columns = template_columns(product, form)
    last = get_column_letter(len(columns))
    sheet["A1"] = f"{product.name_zh} 投保花名册（导入模板 v{FORMAT_VERSION}）"
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.merge_cells(f"A1:{last}1")
    sheet.row_dimensions[1].height = 28
    unit_note = "单位为职工投保时，“投保单位”填单位名称、“村（社区）”空着；" if has_unit_channel(product, form) else ""
    sheet["A2"] = (f"填报单位：{office}    身份证号码、电话两列已设为文本格式，请直接填写或粘贴为“值”；"
                   f"带下拉箭头的列请从列表中选择；一户多人时每人一行，户主在前；{unit_note}{_blank_note(form)}")
    sheet["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.merge_cells(f"A2:{last}2")
    sheet.row_dimensions[2].height = 32
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    for index, (name, width, kind, choices) in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=3, column=index, value=name)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[letter].width = width
        number_format = "@" if kind == "text" else "yyyy-mm-dd" if kind == "date" else "General"
        for row in range(4, 4 + TEMPLATE_ROWS):
            body = sheet.cell(row=row, column=index)
            body.border = _BORDER
            if number_format != "General":
                body.number_format = number_format
        if choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                        showErrorMessage=True, errorTitle="请从列表中选择",
                                        error=f"“{name}”只能填写：{'、'.join(choices)}")
            validation.add(f"{letter}4:{letter}{3 + TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "1:3"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    book.properties.title = f"{product.name_zh} 导入模板"
    book.properties.keywords = f"fpdesk roster template v{FORMAT_VERSION} product={product.code}"
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
