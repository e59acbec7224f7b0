"""The same text limits on SQLite as on PostgreSQL: SQLite stores any length in a VARCHAR(50) column,
PostgreSQL refuses it (a DataError that aborted a whole job). Every ORM flush is checked against the
columns' lengths here, and PostgreSQL's refusal of a Core insert is turned into the same message."""

from __future__ import annotations

from sqlalchemy import String, event, inspect
from sqlalchemy.orm import Session

from fpdesk.core.errors import DomainError
from fpdesk.core.limits import TEXT_FIELDS


def too_long(field: str, limit: int, length: int) -> DomainError:
    _limit, field_zh, field_en = TEXT_FIELDS.get(field, (limit, f"“{field}”", f"'{field}'"))
    return DomainError("text_too_long", {"field_zh": field_zh, "field_en": field_en, "limit": limit,
                                         "length": length})


def _check(session: Session, _context, _instances) -> None:
    for instance in (*session.new, *session.dirty):
        mapper = inspect(instance).mapper
        for column in mapper.columns:
            if isinstance(column.type, String) and column.type.length:
                value = getattr(instance, column.key, None)
                if isinstance(value, str) and len(value) > column.type.length:
                    raise too_long(column.name, column.type.length, len(value))


def check_lengths_on_flush(sessions) -> None:
    event.listen(sessions, "before_flush", _check)


def from_database_error(message: str) -> DomainError | None:
    """PostgreSQL's 'value too long for type character varying(N)' as our refusal."""
    marker = "value too long for type character varying("
    if marker not in message:
        return None
    try:
        limit = int(message.split(marker, 1)[1].split(")", 1)[0])
    except ValueError:
        return None
    return DomainError("text_too_long", {"field_zh": "一项内容", "field_en": "a value", "limit": limit,
                                         "length": f"＞{limit}"})
