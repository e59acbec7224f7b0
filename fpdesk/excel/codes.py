"""Error codes of roster files: file-level refusals and row-level problems, with their texts.

A row-level problem is reported as ``roster_cell`` wrapping the problem's own message, so every
message names the row and the column the clerk has to fix ("第7行“身份证号码”列：…").
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdesk.core import products as _products  # noqa: F401  (registers unknown_product)
from fpdesk.core.errors import DomainError, register_messages

register_messages({
    "roster_cell": ("第{row}行“{column}”列：{detail_zh}", "Row {row}, column '{column}': {detail_en}"),
    # file-level: nothing is written
    "unreadable_file": (
        "无法读取文件“{file}”：{detail_zh}",
        "Cannot read the file '{file}': {detail_en}",
    ),
    "encrypted_file": (
        "文件“{file}”设置了打开密码，请在 Excel/WPS 中取消密码后另存，再导入。",
        "The file '{file}' is password-protected; remove the password in Excel/WPS, save it and import again.",
    ),
    "no_header": (
        "在工作表“{sheet}”的前{scanned}行中找不到表头（至少需要“姓名”或“身份证号码”等两列）。",
        "No header row in the first {scanned} rows of sheet '{sheet}' (at least two columns such as 姓名 and 身份证号码).",
    ),
    "empty_file": ("文件“{file}”（工作表“{sheet}”）中没有数据行。", "The file '{file}' (sheet '{sheet}') holds no data rows."),
    "sheet_not_found": ("文件中没有名为“{sheet}”的工作表（有：{known}）。",
                        "The file has no sheet named '{sheet}' (it has: {known})."),
    # row-level
    "id_lost_precision": (
        "身份证号码“{value}”被 Excel 存成了数字，后几位已经丢失；请把这一列设置为“文本”格式后重新录入号码。",
        "ID number '{value}' was stored by Excel as a number and its last digits are lost; "
        "format the column as text and type the number again.",
    ),
    "id_duplicate_in_file": (
        "身份证号码{masked}在本文件第{first_row}行已经出现过。",
        "ID number {masked} already appears in row {first_row} of this file.",
    ),
    "unknown_payer": ("缴费方式“{value}”无法识别，应为政府投保、自主投保或单位投保（也可写政府、自费、单位）。",  # glossary: also read
                      "Payer '{value}' is not recognised; use government-paid, self-paid or employer-paid."),
    "bad_shares": ("份数“{value}”应为不小于1的整数。", "Shares '{value}' must be a whole number of at least 1."),
    "ineligible": ("{name}不符合参保条件（{codes}）：{reasons_zh}", "{name} cannot be enrolled ({codes}): {reasons_en}"),
    "over_max_shares": ("{detail_zh}", "{detail_en}"),
    "household_held_back": (
        "同一户的第{rows}行有错误，这一户暂不导入；改正后可将本行一起重新导入。",
        "Row(s) {rows} of the same household have errors, so this household is not imported yet; "
        "fix them and import these rows again.",
    ),
})

ROW_CODES = (
    "id_format", "id_checksum", "id_birthdate", "id_region", "id_lost_precision", "id_duplicate_in_file",
    "person_in_other_household", "missing_field", "bad_date", "bad_phone", "unknown_division", "unknown_product",
    "ineligible", "over_max_shares",
)
FILE_CODES = ("unreadable_file", "encrypted_file", "no_header", "empty_file")


@dataclass(frozen=True)
class RowIssue:
    """One problem of one cell: ``row`` is the sheet row as Excel numbers it (1-based)."""

    row: int
    column: str  # the header text as it stands in the file
    code: str
    message: str  # Chinese, naming row and column
    message_en: str
    column_index: int | None = None  # 0-based position in the sheet, for highlighting

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


def row_issue(row: int, column: str, error: DomainError, column_index: int | None = None) -> RowIssue:
    wrapped = DomainError("roster_cell", {"row": row, "column": column, "detail_zh": error.message_zh,
                                          "detail_en": error.message_en})
    return RowIssue(row, column, error.code, wrapped.message_zh, wrapped.message_en, column_index)


def file_error(code: str, **params) -> DomainError:
    return DomainError(code, params)
