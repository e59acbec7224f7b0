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
_DARK_RUN = re.compile(b"\x01+")


@functools.cache
def _generator(length: int) -> tuple[int, ...]:
    """Coefficients (as integers, highest first) of the Reed–Solomon generator of ``length``."""
    return tuple(qrencoder.QRUtil.getErrorCorrectPolynomial(length).num)


@functools.cache
def _generator_logs(length: int) -> tuple[int, ...]:
    """The generator's coefficients after the first as logarithms (-1 for a zero coefficient)."""
    log = qrencoder.LOG_TABLE
    return tuple(log[g] if g else -1 for g in _generator(length)[1:])


_EXP_TWICE = [qrencoder.EXP_TABLE[i % 255] for i in range(510)]  # exp of a sum of two logs, no modulo


def _error_correction(data: list[int], length: int) -> list[int]:
    """Remainder of data·x^length divided by the generator, by the usual shift register."""
    logs = _generator_logs(length)
    exp, log = _EXP_TWICE, qrencoder.LOG_TABLE
    remainder = [0] * length
    for byte in data:
        factor = byte ^ remainder[0]
        remainder = [*remainder[1:], 0]
        if factor:
            log_factor = log[factor]
            remainder = [r ^ exp[log_factor + g] if g >= 0 else r for r, g in zip(remainder, logs, strict=True)]
    return remainder


class _BitBuffer:
    """qrencoder.QRBitBuffer's bits held in one integer: ``put`` appends the low ``length`` bits of
    ``num`` at once, where QRBitBuffer sets them one by one (a segment writes thousands)."""

    def __init__(self) -> None:
        self.value = 0
        self.length = 0

    def put(self, num: int, length: int) -> None:
        self.value = (self.value << length) | (num & ((1 << length) - 1))
        self.length += length

    def putBit(self, bit: bool) -> None:  # qrencoder's names
        self.put(1 if bit else 0, 1)

    def getLengthInBits(self) -> int:
        return self.length

    @property
    def buffer(self) -> list[int]:
        """The bytes, the last one filled with zero bits as QRBitBuffer leaves it."""
        count = (self.length + 7) // 8
        return list((self.value << (count * 8 - self.length)).to_bytes(count, "big"))


def _codewords(version: int, level: int, segments: list) -> list[int]:
    """Data and error-correction codewords, interleaved (QRCode.createData without its slow part)."""
    blocks = qrencoder.QRRSBlock.getRSBlocks(version, level)
    buffer = _BitBuffer()
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
    codewords = buffer.buffer
    for block in blocks:
        data = codewords[offset:offset + block.dataCount]
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
    code.mapData = functools.partial(_map_data, code)  # makeImpl places the data bits with this
    code.makeImpl(False, FIXED_MASK)
    return code.modules


def _map_data(code, data: list[int], mask_pattern: int) -> None:
    """QRCode.mapData: the data bits (then light modules) in the standard's zigzag order, each
    turned by the mask, with the order and the mask of each place worked out once per version."""
    positions, masks = _placement(code, mask_pattern)
    bits = [bit for byte in data for bit in _BYTE_BITS[byte]]
    bits += [False] * (len(positions) - len(bits))
    modules = code.modules
    for (column, row), dark, mask in zip(positions, bits, masks, strict=True):
        modules[row][column] = dark ^ mask


_BYTE_BITS = [tuple(bool(byte & bit) for bit in (0x80, 0x40, 0x20, 0x10, 0x08, 0x04, 0x02, 0x01))
              for byte in range(256)]
_PLACEMENTS: dict[tuple[int, int], tuple[list, list]] = {}


def _placement(code, mask_pattern: int) -> tuple[list[tuple[int, int]], list[bool]]:
    found = _PLACEMENTS.get((code.version, mask_pattern))
    if found is None:
        positions = code.dataPosIterator()  # reportlab's own order for this version
        mask = qrencoder.QRUtil.getMask(mask_pattern)
        found = _PLACEMENTS[(code.version, mask_pattern)] = (positions, [mask(r, c) for c, r in positions])
    return found


def dark_runs(matrix: list[list[bool]]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules."""
    runs = []
    for row, modules in enumerate(matrix):
        # a regular expression over the row as bytes (True is 1) finds the runs in C, not module by module
        line = bytes(modules)
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
