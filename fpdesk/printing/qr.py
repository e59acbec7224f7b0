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
from itertools import zip_longest

from reportlab.graphics.barcode import qrencoder

ERROR_CORRECTION = qrencoder.QRErrorCorrectLevel.M  # 15 %: survives a stamp's edge or a fold
FIXED_MASK = 0
QUIET_ZONE = 4  # modules of white border the standard asks for


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
        column = 0
        for dark, group in itertools.groupby(modules):
            length = sum(1 for _ in group)
            if dark:
                runs.append((row, column, length))
            column += length
    return runs


def draw_qr(canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``text`` with its lower-left corner at (x, y), ``size`` points wide
    including the quiet zone."""
    matrix = qr_matrix(text)
    count = len(matrix) + 2 * QUIET_ZONE
    module = size / count
    top = y + size - QUIET_ZONE * module
    left = x + QUIET_ZONE * module
    path = canvas.beginPath()
    for row, column, length in dark_runs(matrix):
        # A hair of overlap between rows keeps renderers from drawing white seams.
        path.rect(left + column * module, top - (row + 1) * module, length * module, module * 1.02)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
