"""Domain errors with stable English codes and Chinese-first messages.

A code never changes once released: the CLI's ``--json`` output, roster reports and acceptance
checks outside this repository match on it. The Chinese text is what users read; the English
text is for the English UI and for logs.
"""

from __future__ import annotations

from typing import Any

from fpdesk.core.language import pick

# code -> (Chinese template, English template). Templates use str.format fields.
MESSAGES: dict[str, tuple[str, str]] = {
    # resident ID numbers (GB 11643)
    "id_empty": ("请填写身份证号码。", "Enter the ID number."),
    "id_format": (
        "身份证号码应为18位（最后一位可以是X），现在是“{value}”。",
        "An ID number has 18 characters (the last may be X); got '{value}'.",
    ),
    "id_checksum": (
        "身份证号码“{value}”的校验位不对，请逐位核对。",
        "The check digit of ID number '{value}' is wrong; check each digit.",
    ),
    "id_birthdate": (
        "身份证号码“{value}”中的出生日期{birth}不存在或晚于今天。",
        "The birth date {birth} in ID number '{value}' does not exist or is in the future.",
    ),
    "id_region": (
        "身份证号码“{value}”的前两位{province}不是有效的省级代码。",
        "The first two digits {province} of ID number '{value}' are not a province code.",
    ),
    "id_legacy_not_allowed": (
        "新登记须填写18位身份证号码；15位旧号码只能在导入旧名册时使用。",
        "New registrations need the 18-digit ID number; 15-digit numbers are accepted only when importing old rosters.",
    ),
    # phones
    "bad_phone": (
        "电话号码“{value}”不正确：手机号应为1开头的11位数字，座机如 0598-1234567。",
        "Phone number '{value}' is not valid: a mobile has 11 digits starting with 1; a landline looks like 0598-1234567.",
    ),
    # people and households
    "missing_field": ("请填写“{field_zh}”。", "Fill in '{field_en}'."),
    "bad_date": ("日期“{value}”无法识别。", "The date '{value}' is not recognised."),
    "birth_date_mismatch": (
        "出生日期{typed}与身份证号码中的{derived}不一致。",
        "Birth date {typed} does not match {derived} in the ID number.",
    ),
    "sex_mismatch": (
        "性别与身份证号码不一致（号码表明为{derived}）。",
        "Sex does not match the ID number (it says {derived}).",
    ),
    "person_in_other_household": (
        "身份证号码{masked}已登记在{village}户主“{head}”的家庭中。",
        "ID number {masked} is already registered in the household of {head}, {village}.",
    ),
    "person_not_found": ("找不到这个人员记录{why_zh}。", "That person record was not found{why_en}."),
    "household_not_found": ("找不到这个家庭户记录。", "That household record was not found."),
    "household_not_empty": (
        "这户还有{count}名在册人员，请先迁出或登记死亡后再注销。",
        "This household still has {count} registered members; move them out or record their death first.",
    ),
    "household_needs_head": (
        "每户必须且只能有一名户主。",
        "A household needs exactly one head.",
    ),
    "unknown_division": (
        "找不到行政区划“{value}”。{hint_zh}",
        "Division '{value}' is not known.{hint_en}",
    ),
    "division_code_format": (
        "区划代码“{value}”格式不对：应为12位统计用区划代码。",
        "Division code '{value}' is malformed: a 12-digit statistical code is expected.",
    ),
    "unknown_category": ("未知的家庭类别“{value}”。", "Unknown household category '{value}'."),
    "unknown_relation": ("未知的与户主关系“{value}”。", "Unknown relation to head '{value}'."),
    "person_not_active": (
        "{name}已{status_zh}，不能再做此操作。",
        "{name} is {status_en}; this cannot be done any more.",
    ),
    "stale_record": (
        "这条记录已被他人修改（版本{expected}→{actual}），请刷新后再改。",
        "This record was changed meanwhile (revision {expected} → {actual}); reload and edit again.",
    ),
    # storage
    "db_newer_schema": (
        "数据库“{path}”由更新版本的 fpdesk 写入（结构版本 {revision}），请升级 fpdesk 后再打开。",
        "Database '{path}' was written by a newer fpdesk (schema {revision}); upgrade fpdesk to open it.",
    ),
    "db_not_initialised": (
        "数据库还没有设置本机单位，请先运行 fpdesk init 或打开设置向导。",
        "The database has no office yet; run 'fpdesk init' or the setup wizard first.",
    ),
    "db_already_initialised": (
        "这个数据库已经设置为“{name}”（{code}）。",
        "This database is already set up as '{name}' ({code}).",
    ),
    "db_unreachable": ("无法打开数据库：{detail}", "Cannot open the database: {detail}"),
    "office_code_format": (
        "单位代码“{value}”与级别不符：县为6位，乡镇为9位，村为12位数字。",
        "Office code '{value}' does not fit the level: 6 digits for a county, 9 for a township, 12 for a village.",
    ),
    "bad_argument": ("参数不正确：{detail}", "Bad argument: {detail_en}"),
    "file_error": ("无法读写“{path}”：{reason_zh}。请检查路径是否写对、文件夹是否存在。",
                   "Cannot read or write '{path}': {reason_en}. Check the path and that its folder exists."),
}


# Params a message may go without: a refusal raised in many places says more where it knows more.
MESSAGE_DEFAULTS: dict[str, dict[str, str]] = {"person_not_found": {"why_zh": "", "why_en": ""},
                                               "unknown_division": {"hint_zh": "", "hint_en": ""}}


class DomainError(Exception):
    """A refusal the user can act on.

    Attributes:
        code: stable English identifier (see MESSAGES).
        params: values substituted into the message templates.
    """

    def __init__(self, code: str, params: dict[str, Any] | None = None) -> None:
        if code not in MESSAGES:
            raise KeyError(f"unregistered error code {code!r}")
        super().__init__(code)
        self.code = code
        self.params = {**MESSAGE_DEFAULTS.get(code, {}), **(params or {})}

    def __repr__(self) -> str:
        return f"DomainError({self.code!r}, {self.params!r})"

    @property
    def message_zh(self) -> str:
        return _render(MESSAGES[self.code][0], self.params)

    @property
    def message_en(self) -> str:
        return _render(MESSAGES[self.code][1], self.params)

    def message(self, language: str = "zh") -> str:
        return pick(self.message_zh, self.message_en, language)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message_zh, "message_en": self.message_en}

    def __str__(self) -> str:
        return f"{self.code}: {self.message_zh}"


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        if key.endswith("_en") and key[:-3] in self:  # a detail given in one language only: that one
            return self[key[:-3]]
        return "{" + key + "}"


def _render(template: str, params: dict[str, Any]) -> str:
    return template.format_map(_Lenient(params))


def register_messages(extra: dict[str, tuple[str, str]]) -> None:
    """Let a later module (rules, rosters, sync) add its codes; a code may not be redefined."""
    for code, texts in extra.items():
        if code in MESSAGES and MESSAGES[code] != texts:
            raise ValueError(f"error code {code!r} is already defined differently")
        MESSAGES[code] = texts


# what a clerk can act on instead of "[Errno 2] No such file or directory: '…'", by errno name
_OS_REASONS = {"ENOENT": ("找不到这个文件或文件夹，请检查名称和所在位置", "no such file or folder; check the name and where it is"),
               "EACCES": ("没有权限（文件可能正在 Excel/WPS 中打开）", "permission denied (the file may be open in Excel or WPS)"),
               "EISDIR": ("这是一个文件夹，不是文件", "it is a folder, not a file"),
               "ENOTDIR": ("路径中有一段不是文件夹", "part of the path is not a folder"),
               "ENOSPC": ("磁盘已满", "the disk is full"), "EROFS": ("位置只读", "the location is read-only")}
_OS_REASONS["EPERM"] = _OS_REASONS["EACCES"]


def os_error_reason(error: OSError) -> tuple[str, str]:
    """(Chinese, English) words for why a file could not be read or written."""
    import errno

    fallback = error.strerror or str(error)
    return _OS_REASONS.get(errno.errorcode.get(error.errno or 0, ""), (fallback, fallback))

