"""Makes the committed .xls/.ods/encrypted fixtures once (CI does not need LibreOffice):

    python tests/data/rosters/make_fixtures.py     # needs soffice (libreoffice-calc) and msoffcrypto-tool

- township_2024.xlsx → .xls and .ods through LibreOffice headless (what WPS and old Excel save);
- merged_header.xlsx: a two-row header under a merged group title, also as .xls;
- encrypted.xlsx: township_2024.xlsx with the opening password "1234" (msoffcrypto-tool).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from openpyxl import Workbook  # noqa: E402
from roster_builders import good_rows, write_roster  # noqa: E402


def merged_header(path: Path) -> None:
    book = Workbook()
    ws = book.active
    ws.title = "名册"
    ws.append(["城关乡2024年参保名册"])
    ws.append(["序号", "户主姓名", "被保险人信息", None, None, "家庭类别", "险种", "缴费方式", "身体健康", "受益人", "村"])
    ws.append([None, None, "姓名", "公民身份号码", "与户主关系"])
    ws.merge_cells("A1:K1")
    ws.merge_cells("C2:E2")
    for column in "ABFGHIJK":
        ws.merge_cells(f"{column}2:{column}3")
    for row in good_rows()[:3]:
        seq, _t, village, head, name, number, relation, _p, category, product, _s, payer, health, beneficiary = row
        ws.append([seq, head, name, number, relation, category, product, payer, health, beneficiary, village])
    book.save(path)


def convert(source: Path, extension: str, filter_name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["soffice", "--headless", "--convert-to", f"{extension}:{filter_name}", "--outdir", folder,
                        str(source)], check=True, capture_output=True)
        shutil.move(str(Path(folder) / (source.stem + "." + extension)), HERE / (source.stem + "." + extension))


def main() -> None:
    township = write_roster(HERE / "township_2024.xlsx", good_rows())
    convert(township, "xls", "MS Excel 97")
    convert(township, "ods", "calc8")
    merged = HERE / "merged_header.xlsx"
    merged_header(merged)
    convert(merged, "xls", "MS Excel 97")
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile

    with township.open("rb") as plain, (HERE / "encrypted.xlsx").open("wb") as secret:
        OOXMLFile(plain).encrypt("1234", secret)
    del msoffcrypto


if __name__ == "__main__":
    main()
