"""Reading the YAML definitions under ``forms/`` node by node.

Every refusal names the file and the dotted field path (``liabilities[0].split``) so the person
who edits a product file can find the mistake without reading code. Every mapping is closed:
a key the reader did not ask for is reported as an unknown field, which catches typos
(``max_age_nwe``) that would otherwise silently fall back to a default.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from fpdesk.core.errors import DomainError
from fpdesk.core.paths import display_path

_MISSING = object()
_MONTH_DAY = re.compile(r"^(\d{2})-(\d{2})$")
# Days per month for a month-day that must exist every year: 29 February is refused.
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, order=True)
class MonthDay:
    """A calendar day without a year (deadlines, cycle starts): ``"04-30"`` in the files."""

    month: int
    day: int

    def in_year(self, year: int) -> dt.date:
        return dt.date(year, self.month, self.day)

    def __str__(self) -> str:
        return f"{self.month:02d}-{self.day:02d}"


def read_yaml(path: Path, error_code: str, text: str | None = None) -> tuple[Any, str]:
    """Parse one file as ``yaml.safe_load`` does; a syntax error is a refusal naming the line.
    ``text``: the file's content when it did not come from a file (a definition received by sync)."""
    import yaml  # imported here: the CLI's --help must not pay for it

    shown = display_path(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise DomainError(error_code, _params(shown, "(file)", f"无法读取：{exc.strerror}",
                                                  f"cannot be read: {exc.strerror}")) from None
        except UnicodeDecodeError:  # a GBK file, a spreadsheet: definitions are UTF-8 text
            raise DomainError(error_code, _params(shown, "(file)", "不是 UTF-8 编码的文本文件（定义文件须用 UTF-8 保存）",
                                                  "not a UTF-8 text file (definitions are saved as UTF-8)")) from None
    # libyaml's parser with the same safe constructors: the product catalog parses in a seventh of the
    # time (about 0.09 s of every roster check and CLI command); PyYAML's wheels carry it on Windows and
    # Linux, and the pure-Python loader stays for a build without it.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader), shown
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise DomainError(error_code, _params(shown, where, f"YAML 语法错误：{problem}",
                                              f"YAML syntax error: {problem}")) from None


def _params(file: str, path: str, detail_zh: str, detail_en: str) -> dict[str, str]:
    return {"file": file, "path": path or "(top level)", "detail_zh": detail_zh, "detail_en": detail_en}


def _kind_name(value: Any) -> str:
    return {bool: "true/false", int: "an integer", float: "a decimal number", str: "text",
            list: "a list", dict: "a mapping", type(None): "nothing (null)"}.get(type(value), type(value).__name__)


@dataclass
class Node:
    """One mapping of a definition file, with its location for error messages."""

    data: dict[str, Any]
    file: str
    path: str
    error_code: str
    _asked: set[str] = field(default_factory=set)

    @classmethod
    def root(cls, data: Any, file: str, error_code: str) -> Node:
        if not isinstance(data, dict):
            raise DomainError(error_code, _params(file, "", "文件内容应为键值映射（mapping）",
                                                  f"the file must hold a mapping, found {_kind_name(data)}"))
        return cls(data, file, "", error_code)

    # -- locations and refusals ------------------------------------------------------------------

    def where(self, key: str | int | None = None) -> str:
        if key is None:
            return self.path
        if isinstance(key, int):
            return f"{self.path}[{key}]"
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str | int | None, detail_zh: str, detail_en: str) -> NoReturn:
        raise DomainError(self.error_code, _params(self.file, self.where(key), detail_zh, detail_en))

    # -- typed access ----------------------------------------------------------------------------

    def raw(self, key: str, *, required: bool = True, nullable: bool = False, default: Any = None) -> Any:
        """The value under ``key``; a missing required key or an unwanted null is refused."""
        self._asked.add(key)
        value = self.data.get(key, _MISSING)
        if value is _MISSING:
            if required:
                self.fail(key, "缺少必填字段", "missing required field")
            return default
        if value is None and not nullable:
            if required:
                self.fail(key, "不能为空", "must have a value (found null)")
            return default
        return value

    def text(self, key: str, *, required: bool = True, default: str | None = None,
             nullable: bool = False) -> str | None:
        if key not in self.data or (self.data[key] is None and nullable):
            return self.raw(key, required=required, default=default, nullable=nullable)
        value = self.raw(key, required=required, nullable=nullable)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, "应为非空文字", f"must be non-empty text, found {_kind_name(value)}")
        return value.strip()

    def integer(self, key: str, *, required: bool = True, default: int | None = None, nullable: bool = False,
                minimum: int | None = None, maximum: int | None = None) -> int | None:
        value = self.raw(key, required=required, default=default, nullable=nullable)
        if value is None:
            return None
        return self.check_integer(key, value, minimum=minimum, maximum=maximum)

    def check_integer(self, key: str | int, value: Any, *, minimum: int | None = None,
                      maximum: int | None = None) -> int:
        # bool is an int subclass in Python; `true` where a number belongs is a mistake.
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, "应为整数", f"must be an integer, found {_kind_name(value)} {value!r}")
        if minimum is not None and value < minimum:
            self.fail(key, f"不能小于 {minimum}（现为 {value}）", f"must be at least {minimum}, found {value}")
        if maximum is not None and value > maximum:
            self.fail(key, f"不能大于 {maximum}（现为 {value}）", f"must be at most {maximum}, found {value}")
        return value

    def boolean(self, key: str, *, default: bool | None = None) -> bool:
        value = self.raw(key, required=default is None, default=default)
        if not isinstance(value, bool):
            self.fail(key, "应为 true 或 false", f"must be true or false, found {_kind_name(value)} {value!r}")
        return value

    def choice(self, key: str, allowed: Iterable[str], *, required: bool = True,
               default: str | None = None) -> str | None:
        value = self.raw(key, required=required, default=default)
        if value is None:
            return None
        return self.check_choice(key, value, allowed)

    def check_choice(self, key: str | int, value: Any, allowed: Iterable[str]) -> str:
        options = list(allowed)
        if not isinstance(value, str) or value not in options:
            self.fail(key, f"未知取值 {value!r}（可选：{', '.join(options)}）",
                      f"unknown value {value!r} (expected one of: {', '.join(options)})")
        return value

    def month_day(self, key: str, *, required: bool = True) -> MonthDay | None:
        value = self.raw(key, required=required)
        if value is None:
            return None
        match = _MONTH_DAY.match(value) if isinstance(value, str) else None
        month, day = (int(match[1]), int(match[2])) if match else (0, 0)
        if not match or not 1 <= month <= 12 or not 1 <= day <= _DAYS_IN_MONTH[month - 1]:
            self.fail(key, f"应为“月-日”格式，如 \"04-30\"（2月29日不可用），现为 {value!r}",
                      f"must be a month-day like \"04-30\" (not 02-29), found {value!r}")
        return MonthDay(month, day)

    def mapping(self, key: str, *, required: bool = True, nullable: bool = False) -> Node | None:
        value = self.raw(key, required=required, nullable=nullable)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(key, "应为键值映射", f"must be a mapping, found {_kind_name(value)}")
        return Node(value, self.file, self.where(key), self.error_code)

    def items(self, key: str, *, required: bool = True, allow_empty: bool = False) -> list[Any]:
        value = self.raw(key, required=required, default=[])
        if not isinstance(value, list):
            self.fail(key, "应为列表", f"must be a list, found {_kind_name(value)}")
        if not value and not allow_empty and required:
            self.fail(key, "列表不能为空", "must not be empty")
        return value

    def sub_nodes(self, key: str, **kwargs) -> Iterator[tuple[int, Node]]:
        """Each element of a list of mappings as a Node located at ``key[i]``."""
        elements = self.items(key, **kwargs)
        base = Node({}, self.file, self.where(key), self.error_code)
        for index, element in enumerate(elements):
            if not isinstance(element, dict):
                base.fail(index, "应为键值映射", f"must be a mapping, found {_kind_name(element)}")
            yield index, Node(element, self.file, base.where(index), self.error_code)

    def text_list(self, key: str, *, allowed: Iterable[str] | None = None, required: bool = True,
                  allow_empty: bool = False) -> tuple[str, ...]:
        values = self.items(key, required=required, allow_empty=allow_empty)
        base = Node({}, self.file, self.where(key), self.error_code)
        options = list(allowed) if allowed is not None else None
        seen: list[str] = []
        for index, value in enumerate(values):
            if options is not None:
                base.check_choice(index, value, options)
            elif not isinstance(value, str) or not value.strip():
                base.fail(index, "应为非空文字", f"must be non-empty text, found {_kind_name(value)}")
            if value in seen:
                base.fail(index, f"重复的取值 {value!r}", f"duplicate value {value!r}")
            seen.append(value)
        return tuple(seen)

    def finish(self) -> None:
        """Refuse keys nobody asked for: a typo must not turn into a silent default."""
        for key in self.data:
            if key not in self._asked:
                close = difflib.get_close_matches(str(key), sorted(self._asked), n=1)
                hint_zh = f"（是否应为 {close[0]!r}？）" if close else ""
                hint_en = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(str(key), f"未知字段{hint_zh}", f"unknown field{hint_en}")


def open_definition(path: Path, error_code: str, *, format_version: int, what_zh: str,
                    what_en: str, text: str | None = None) -> tuple[Node, dict, str]:
    """Read a definition file (or its ``text``) and check what every one of them must have: the
    format version, and a ``code`` equal to the file name. Returns (root node, raw data, code)."""
    data, shown = read_yaml(path, error_code, text)
    root = Node.root(data, shown, error_code)
    root.integer("format_version", minimum=format_version, maximum=format_version)
    code = root.text("code")
    if code != path.stem:
        root.fail("code", f"{what_zh}代码 {code!r} 应与文件名 {path.stem!r} 相同",
                  f"{what_en} code {code!r} must equal the file name {path.stem!r}")
    return root, data, code


def resolve_dotted(data: Any, dotted: str) -> bool:
    """Whether ``liabilities[0].split``-style path names a key present in ``data``."""
    current = data
    for part in re.findall(r"[^.\[\]]+|\[\d+\]", dotted):
        if part.startswith("["):
            index = int(part[1:-1])
            if not isinstance(current, list) or index >= len(current):
                return False
            current = current[index]
        else:
            if not isinstance(current, dict) or part not in current:
                return False
            current = current[part]
    return True
