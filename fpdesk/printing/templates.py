"""Print layouts kept as data under resources/templates (wording, field order, sizes per paper).

The loader is strict: an unknown key, a field value the layout cannot fill or a missing size is
refused with the file and the key named, so an edited template never prints a blank where text
was meant to be.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from fpdesk.core.paths import resources_dir

CERTIFICATE_VALUES = ("office_name", "product_name", "insurer", "policy_number", "period", "head_name",
                      "address", "premium", "payer", "village")
MEMBER_VALUES = ("seq", "name", "relation", "masked_id", "sums")
SIZE_KEYS = ("margin_mm", "title_pt", "subtitle_pt", "number_pt", "body_pt", "row_mm", "table_pt",
             "table_row_mm", "note_pt", "qr_mm", "stamp_mm")
PAPER_SIZES = ("A4", "A5")


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Column:
    value: str
    title: str
    width: float  # relative; the columns share the table's width in proportion


@dataclass(frozen=True)
class CertificateTemplate:
    title: str
    subtitle: str
    number_label: str
    fields: tuple[tuple[str, str], ...]  # (label, value key)
    members_title: str
    columns: tuple[Column, ...]
    notes: tuple[str, ...]
    issued_label: str
    stamp_label: str
    qr_label: str
    sizes: dict[str, dict[str, float]]

    def size(self, paper: str) -> dict[str, float]:
        return self.sizes[paper]


def _require(node: dict[str, Any], key: str, where: str) -> Any:
    if key not in node:
        raise TemplateError(f"{where}: missing '{key}'")
    return node[key]


def _check_keys(node: dict[str, Any], allowed: tuple[str, ...], where: str) -> None:
    unknown = sorted(set(node) - set(allowed))
    if unknown:
        raise TemplateError(f"{where}: unknown keys {unknown}")


def parse_certificate_template(data: dict[str, Any], where: str = "certificate.yaml") -> CertificateTemplate:
    top_keys = ("format_version", "title", "subtitle", "number_label", "fields", "members", "notes",
                "issued_label", "stamp_label", "qr_label", "sizes")
    _check_keys(data, top_keys, where)
    if _require(data, "format_version", where) != 1:
        raise TemplateError(f"{where}: format_version {data['format_version']} is not supported (1)")
    fields = []
    for index, node in enumerate(_require(data, "fields", where)):
        _check_keys(node, ("label", "value"), f"{where} fields[{index}]")
        if node.get("value") not in CERTIFICATE_VALUES:
            raise TemplateError(f"{where} fields[{index}]: value must be one of {CERTIFICATE_VALUES}")
        fields.append((str(_require(node, "label", where)), node["value"]))
    members = _require(data, "members", where)
    _check_keys(members, ("title", "columns"), f"{where} members")
    columns = []
    for index, node in enumerate(_require(members, "columns", f"{where} members")):
        _check_keys(node, ("value", "title", "width"), f"{where} members.columns[{index}]")
        if node.get("value") not in MEMBER_VALUES:
            raise TemplateError(f"{where} members.columns[{index}]: value must be one of {MEMBER_VALUES}")
        columns.append(Column(node["value"], str(_require(node, "title", where)), float(_require(node, "width", where))))
    sizes = {}
    for paper in PAPER_SIZES:
        node = _require(_require(data, "sizes", where), paper, f"{where} sizes")
        _check_keys(node, SIZE_KEYS, f"{where} sizes.{paper}")
        sizes[paper] = {key: float(_require(node, key, f"{where} sizes.{paper}")) for key in SIZE_KEYS}
    return CertificateTemplate(
        title=str(_require(data, "title", where)), subtitle=str(data.get("subtitle", "")),
        number_label=str(_require(data, "number_label", where)), fields=tuple(fields),
        members_title=str(_require(members, "title", where)), columns=tuple(columns),
        notes=tuple(str(n) for n in data.get("notes", ())), issued_label=str(_require(data, "issued_label", where)),
        stamp_label=str(_require(data, "stamp_label", where)), qr_label=str(_require(data, "qr_label", where)),
        sizes=sizes)


def templates_dir() -> Path:
    return resources_dir() / "templates"


@functools.cache
def certificate_template(path: Path | None = None) -> CertificateTemplate:
    path = path or templates_dir() / "certificate.yaml"
    with open(path, encoding="utf-8") as handle:
        return parse_certificate_template(yaml.safe_load(handle), path.name)
