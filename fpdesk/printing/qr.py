"""QR codes as modules drawn straight onto the page.

reportlab's QR widget builds a drawing of one rectangle per module and picks the best of eight
masks by scoring each; its encoder also rebuilds the Reed–Solomon generator polynomial for every
block. For thousands of certificates that is most of the time, so we take reportlab's encoder
(reportlab.graphics.barcode.qrencoder) for the bit stream and placement, cache the generator
polynomials, compute the error-correction bytes with lookup tables, use one fixed mask (the
standard lets an encoder use any of the eight; the scoring only avoids patterns that might
confuse a poor reader, and tests decode our codes with zbar), and draw each run of dark modules
in a row as one rectangle of a single filled path.
"""

from __future__ import annotations

import functools
import itertools
import re
from itertools import zip_longest

from reportlab.graphics.barcode import qrencoder

ERROR_CORRECTION = qrencoder.QRErrorCorrectLevel.M  # 15 %: survives a stamp's edge or a fold
FIXED_MASK = 0
QUIET_ZONE = 4  # modules of white border the standard asks for
_DARK_RUN = re.compile("1+")


@functools.cache
def _generator(length: int) -> tuple[int, ...]:
    """Coefficients (as integers, highest first) of the Reed–Solomon generator of ``length``."""
    return tuple(qrencoder.QRUtil.getErrorCorrectPolynomial(length).num)


def _error_correction(data: list[int], length: int) -> list[int]:
    """Remainder of data·x^length divided by the generator, by the usual shift register."""
    generator = _generator(length)[1:]
    exp, log = qrencoder.EXP_TABLE, qrencoder.LOG_TABLE
    remainder = [0] * length
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            log_factor = log[factor]
            remainder = [r ^ exp[(log_factor + log[g]) % 255] if g else r
                         for r, g in zip(remainder, generator, strict=True)]
    return remainder


def _codewords(version: int, level: int, segments: list) -> list[int]:
    """Data and error-correction codewords, interleaved (QRCode.createData without its slow part)."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    buffer = qrencoder.QRBitBuffer()
    for data in segments:
        data.write(buffer, version)
    capacity = sum(block.dataCount for block in blocks) * 8
    if buffer.getLengthInBits() > capacity:
        raise ValueError(f"QR data too long ({buffer.getLengthInBits()} > {capacity} bits)")
    if buffer.getLengthInBits() + 4 <= capacity:
        buffer.put(0, 4)
    while buffer.getLengthInBits() % 8:
        buffer.putBit(False)
    for pad in itertools.cycle((qrencoder.QRCode.PAD0, qrencoder.QRCode.PAD1)):
        if buffer.getLengthInBits() >= capacity:
            break
        buffer.put(pad, 8)
    offset, data_blocks, ec_blocks = 0, [], []
    for block in blocks:
        data = buffer.buffer[offset:offset + block.dataCount]
        offset += block.dataCount
        data_blocks.append(data)
        ec_blocks.append(_error_correction(data, block.totalCount - block.dataCount))
    return [byte for group in itertools.chain(zip_longest(*data_blocks), zip_longest(*ec_blocks))
            for byte in group if byte is not None]


def qr_matrix(text: str) -> list[list[bool]]:
    """The dark (True) and light modules of the smallest QR code holding ``text`` at level M."""
    code = qrencoder.QRCode(None, ERROR_CORRECTION)
    code.addData(text)
    code.version = code.calculate_version()
    # makeImpl calls QRCode.createData by class name unless the codewords are already cached.
    code.dataCache = _codewords(code.version, ERROR_CORRECTION, code.dataList)
    code.makeImpl(False, FIXED_MASK)
    return code.modules


def dark_runs(matrix: list[list[bool]]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    runs = []
    for row, modules in enumerate(matrix):
        # a regular expression over the row as text finds the runs in C, not module by module
        line = "".join(["1" if dark else "0" for dark in modules])
        runs.extend((row, found.start(), found.end() - found.start()) for found in _DARK_RUN.finditer(line))
    return runs


def draw_qr(canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``text`` with its lower-left corner at (x, y), ``size`` points wide
    including the quiet zone.

    The modules are written as raw path operators in module units under one transformation:
    integers format fast, where reportlab's path API formats every float in Python (most of the
    time of a certificate went there).
    """
    matrix = qr_matrix(text)
    count = len(matrix) + 2 * QUIET_ZONE
    module = size / count
    rects = " ".join(f"{column} {-row - 1} {length} 1 re" for row, column, length in dark_runs(matrix))
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    # origin at the top-left module, one unit per module, y growing upwards as PDF wants
    canvas.transform(module, 0, 0, module, x + QUIET_ZONE * module, y + size - QUIET_ZONE * module)
    canvas.addLiteral(rects + " f")
    canvas.restoreState()
