"""Make the fallback fonts in resources/fonts from Debian's font packages (run on Debian/Ubuntu).

    apt-get install fonts-noto-core fonts-hanazono fonts-babelstone-han
    pip install fonttools          # a tool of this script only: fpdesk itself does not need it
    python build/make_fallback_fonts.py

WenQuanYi Micro Hei (the printouts' face) covers the common characters. What a name may also hold,
and where it comes from, each cut down to what Micro Hei lacks (fpdesk/printing/fonts.py draws each
character with the first face of the chain that has it):

- NotoSans-fallback.ttf   Latin (Vietnamese, pinyin with tone marks), Greek, Cyrillic   SIL OFL 1.1
                          (drawn in place of Micro Hei's accented Latin letters, some of which are empty or broken)
- NotoSansYi-fallback.ttf Yi syllables                                                   SIL OFL 1.1
- HanaMinA-fallback.ttf   CJK Extension A, compatibility ideographs, radicals, the few
                          unified ideographs Micro Hei lacks                             Hanazono / OFL
- HanaMinB.ttf            CJK Extensions B–F, as Debian ships it                         Hanazono / OFL
- BabelStoneHan-fallback.ttf  CJK Extensions G and H (and what HanaMin lacks of B–F)     Arphic PL

The outlines are the originals; only the characters Micro Hei already has are dropped.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "resources" / "fonts"
DEBIAN = Path("/usr/share/fonts/truetype")


def _cmap(path: Path, index: int = 0) -> set[int]:
    """The characters a face draws: mapped and with an outline (Micro Hei maps pinyin's ǚ and ǎ to
    empty glyphs), spaces included."""
    font = TTCollection(str(path)).fonts[index] if path.suffix == ".ttc" else TTFont(str(path))
    glyphs = font["glyf"]
    return {code for code, name in font.getBestCmap().items()
            if chr(code).isspace() or glyphs[name].numberOfContours != 0}


def _ranges(*pairs: tuple[int, int]) -> set[int]:
    return {c for start, end in pairs for c in range(start, end + 1)}


def _subset(source: Path, target: Path, wanted: set[int]) -> int:
    have = _cmap(source) & wanted
    options = subset.Options()
    options.layout_features = ["*"]
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    font = TTFont(str(source))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(have))
    subsetter.subset(font)
    font.save(str(target))
    return len(have)


def main() -> None:
    primary = _cmap(FONTS / "wqy-microhei.ttc")
    latin = _ranges((0x00A0, 0x024F), (0x0300, 0x036F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x1E00, 0x1EFF))
    han = _ranges((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3100, 0x312F), (0x31A0, 0x31BF), (0x31C0, 0x31EF),
                  (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
    extensions = _ranges((0x20000, 0x2A6DF), (0x2A700, 0x2EBEF), (0x30000, 0x323AF))
    made = {}
    # all of them: Micro Hei's accented letters beyond Latin-1 are partly broken (ǖ is a bare macron)
    made["NotoSans-fallback.ttf"] = _subset(DEBIAN / "noto" / "NotoSans-Regular.ttf", FONTS / "NotoSans-fallback.ttf",
                                            latin)
    made["NotoSansYi-fallback.ttf"] = _subset(DEBIAN / "noto" / "NotoSansYi-Regular.ttf",
                                              FONTS / "NotoSansYi-fallback.ttf", _ranges((0xA000, 0xA4CF)))
    made["HanaMinA-fallback.ttf"] = _subset(DEBIAN / "hanazono" / "HanaMinA.ttf", FONTS / "HanaMinA-fallback.ttf",
                                            han - primary)
    shutil.copyfile(DEBIAN / "hanazono" / "HanaMinB.ttf", FONTS / "HanaMinB.ttf")
    hana = _cmap(DEBIAN / "hanazono" / "HanaMinA.ttf") | _cmap(DEBIAN / "hanazono" / "HanaMinB.ttf")
    made["BabelStoneHan-fallback.ttf"] = _subset(DEBIAN / "babelstone" / "BabelStoneHan.ttf",
                                                 FONTS / "BabelStoneHan-fallback.ttf", (extensions | han) - primary - hana)
    for name, count in made.items():
        print(f"{name}: {count} characters, {(FONTS / name).stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
