"""QR codes as modules drawn straight onto the page.

reportlab's QR widget builds a drawing of one rectangle per module and picks the best of eight
masks by scoring each; its encoder also rebuilds the Reed–Solomon generator polynomial for every
block. For thousands of certificates that is most of the time, so we take reportlab's encoder
(reportlab.graphics.barcode.qrencoder) for the bit stream and placement, cache the generator
polynomials, compute the error-correction bytes with lookup tables, lay out each version's fixed
patterns and data places once, use one fixed mask (the standard lets an encoder use any of the
eight; the scoring only avoids patterns that might confuse a poor reader, and tests decode our
codes with zbar), and draw each run of dark modules in a row as one rectangle of a single filled
path.
"""

from __future__ import annotations

import functools
import itertools
import operator
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


@functools.cache
def _products(length: int) -> tuple[int, ...]:
    """For each byte ``f``: ``f`` times the generator's coefficients after the first, as one integer
    of ``length`` bytes (highest first). A step of the shift register is then a shift and an XOR of
    integers instead of a list of ``length`` products."""
    logs, log = _generator_logs(length), qrencoder.LOG_TABLE
    return (0, *(int.from_bytes(bytes(_EXP_TWICE[log[f] + g] if g >= 0 else 0 for g in logs), "big")
                 for f in range(1, 256)))


def _error_correction(data: list[int], length: int) -> list[int]:
    """Remainder of data·x^length divided by the generator, by the usual shift register."""
    products = _products(length)
    top, keep = 8 * (length - 1), (1 << 8 * length) - 1
    remainder = 0
    for byte in data:
        remainder = ((remainder << 8) & keep) ^ products[byte ^ (remainder >> top)]
    return list(remainder.to_bytes(length, "big"))


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
    grid, count = _grid(text)
    return [[bool(module) for module in grid[row * (count + 1):row * (count + 1) + count]] for row in range(count)]


def _grid(text: str) -> tuple[bytes, int]:
    """The modules of ``text``'s code row by row, 1 dark and 0 light, each row followed by a light
    module that is not part of the code (so that no run of dark modules reaches into the next row),
    and the number of modules in a row.

    Everything but the data bits (finder, timing and alignment patterns, format and version
    information) is the same for every code of a version, and so is the place of each data bit and
    its mask: worked out once per version (_layout). A code is then its bits turned by the mask and
    gathered into place, in C."""
    code = qrencoder.QRCode(None, ERROR_CORRECTION)
    code.addData(text)
    version = code.calculate_version()
    codewords = _codewords(version, ERROR_CORRECTION, code.dataList)
    count, places, mask, gather = _layout(version, FIXED_MASK)
    length = 8 * len(codewords)
    bits = format(int.from_bytes(bytes(codewords), "big"), f"0{length}b").encode().translate(_BINARY)
    # every data place after the codewords' bits (the remainder bits) is light before the mask
    data = (int.from_bytes(bits, "big") << 8 * (places - length)) ^ mask
    return bytes(gather(data.to_bytes(places, "big") + _fixed(version, FIXED_MASK))), count


_BINARY = bytes.maketrans(b"01", b"\x00\x01")


@functools.cache
def _fixed(version: int, mask_pattern: int) -> bytes:
    """reportlab's modules for a version with no data placed (the data places light), row by row,
    then the light module that ends each row."""
    code = qrencoder.QRCode(version, ERROR_CORRECTION)
    code.dataCache = []  # makeImpl computes no codewords
    code.mapData = lambda data, mask: None
    code.makeImpl(False, mask_pattern)
    return bytes(module for row in code.modules for module in row) + b"\x00"


@functools.cache
def _layout(version: int, mask_pattern: int):
    """(modules in a row, data places, the mask over the data places as one integer, and the
    gathering of the grid from the data places' modules followed by _fixed)."""
    code = qrencoder.QRCode(version, ERROR_CORRECTION)
    count = code.moduleCount = version * 4 + 17  # as makeImpl sets it
    positions = code.dataPosIterator()  # reportlab's own zigzag order for this version
    mask = qrencoder.QRUtil.getMask(mask_pattern)
    mask_bits = int.from_bytes(bytes(1 if mask(row, column) else 0 for column, row in positions), "big")
    places = len(positions)
    source = {(row, column): index for index, (column, row) in enumerate(positions)}
    separator = places + count * count
    order = [source.get((row, column), places + row * count + column) if column < count else separator
             for row in range(count) for column in range(count + 1)]
    return count, places, mask_bits, operator.itemgetter(*order)


def draw_qr(canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw the QR code of ``text`` with its lower-left corner at (x, y), ``size`` points wide
    including the quiet zone.

    Each run of dark modules in a row is one rectangle of a single filled path, written as raw
    operators in module units under one transformation: integers format fast, where reportlab's
    path API formats every float in Python (most of the time of a certificate went there).
    """
    grid, count = _grid(text)
    module = size / (count + 2 * QUIET_ZONE)
    width = count + 1
    numbers: list[int] = []  # column, row below the top (negative) and length of each run
    add = numbers.extend
    for start, end in map(re.Match.span, _DARK_RUN.finditer(grid)):
        add((start % width, -1 - start // width, end - start))
    # one formatting of all the numbers at once, in C
    rects = "%d %d %d 1 re " * (len(numbers) // 3) % tuple(numbers)
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    # origin at the top-left module, one unit per module, y growing upwards as PDF wants
    canvas.transform(module, 0, 0, module, x + QUIET_ZONE * module, y + size - QUIET_ZONE * module)
    canvas.addLiteral(rects + "f")
    canvas.restoreState()
