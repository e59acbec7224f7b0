"""Reading our PDFs back the way a person or a scanner would: text (pypdf), pixels (poppler's
pdftoppm) and QR codes (zbar's zbarimg). Both tools come from Debian's packages (.ci/run)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

# An 18-character resident ID number standing alone: what a printout must never contain.
FULL_ID = re.compile(r"(?<![0-9*])\d{17}[\dX](?![0-9])")


def needs(*tools: str):
    missing = [tool for tool in tools if shutil.which(tool) is None]
    return pytest.mark.skipif(bool(missing), reason=f"needs {', '.join(missing)} (Debian: poppler-utils, zbar-tools)")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def page_count(path: Path) -> int:
    return len(PdfReader(path).pages)


def render(pdf: Path, out_stem: Path, *, page: int = 1, dpi: int = 150, env: dict | None = None) -> Path:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(out_stem)], check=True, env=env, capture_output=True)
    return out_stem.with_suffix(".png")


def decode_qr(png: Path) -> list[str]:
    result = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
                            capture_output=True, text=True)
    return [line for line in result.stdout.splitlines() if line.strip()]


def no_system_fonts_env(folder: Path) -> dict[str, str]:
    """Environment for poppler with a fontconfig that knows no font at all (a PC without Chinese fonts)."""
    import os

    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                      f"<fontconfig><cachedir>{folder / 'cache'}</cachedir></fontconfig>\n", encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(config), "FONTCONFIG_PATH": str(folder)}
