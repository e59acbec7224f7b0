"""Error codes of roster files: file-level refusals and row-level problems, with their texts.

A row-level problem is reported as ``roster_cell`` wrapping the problem's own message, so every
message names the row and the column the clerk has to fix ("第7行“身份证号码”列：…").
"""

from __future__ import annotations

from dataclasses import dataclass

from fpdesk.core import products as _products  # noqa: F401  (registers unknown_product)
from fpdesk.core.errors import DomainError

ROW_CODES = (
    "id_format", "id_checksum", "id_birthdate", "id_region", "id_lost_precision", "id_duplicate_in_file",
    "person_in_other_household", "missing_field", "bad_date", "bad_phone", "unknown_division",
    "over_max_shares",
)
FILE_CODES = ("unreadable_file", "encrypted_file", "no_header", "empty_file", "file_too_large")
# said once for the whole file; the file imports (what these stop is left out, and said)
FILE_NOTICE_CODES = ("form_columns_missing", "unknown_product", "outside_enrollment_window", "product_withdrawn")


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


@dataclass(frozen=True)
class RowNote:
    """Something done with a row that needs no fixing (an identical line merged), said to the clerk."""

    row: int
    code: str
    message: str
    message_en: str

    def as_dict(self) -> dict:
        return {"row": self.row, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class NotInsured:
    """A registered member the product's rules leave out of the enrollment, with the engine's reason
    (``code`` is the reason code: age_above_max, category_not_eligible …). Not a rejection."""

    row: int
    code: str
    message: str
    message_en: str

    def as_dict(self) -> dict:
        return {"row": self.row, "code": self.code, "message": self.message}


@dataclass(frozen=True)
class FileIssue:
    """A problem of the whole file, said once with what to do (a missing column, an unknown product,
    a closed enrollment window); ``rows`` is how many rows it concerns."""

    code: str
    message: str
    message_en: str
    rows: int = 0

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


def file_issue(code: str, template: str, **params) -> FileIssue:
    error = DomainError(template, params)
    return FileIssue(code, error.message_zh, error.message_en, int(params.get("count", 0) or 0))


def row_issue(row: int, column: str, error: DomainError, column_index: int | None = None) -> RowIssue:
    wrapped = DomainError("roster_cell", {"row": row, "column": column, "detail_zh": error.message_zh,
                                          "detail_en": error.message_en})
    return RowIssue(row, column, error.code, wrapped.message_zh, wrapped.message_en, column_index)


def file_error(code: str, **params) -> DomainError:
    return DomainError(code, params)
