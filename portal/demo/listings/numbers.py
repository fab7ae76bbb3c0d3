"""Application numbers of the demo patents: a deterministic, collision-free mapping from (listing, position).

The 7-digit serial of patent `position` of listing `index` is
  SERIAL_OFFSET + position * SERIAL_POSITION_STRIDE + scramble((index + position * POSITION_SHIFT) mod 2**21).
For each position the scrambled part is a bijection of the index, and the stride is wider than 2**21, which keeps
the positions' bands apart: no two demo patents share a number, whatever their filing year and type. The shift gives
the patents of a portfolio unrelated-looking serials. The offset keeps the demo clear of the low serials that
factories, tests and import files count up from (e.g. 100000 + row).
"""

from listings.models import PatentType
from listings.patents.numbers import compute_check_digit

MAX_DEMO_LISTINGS = 1 << 21  # 2,097,152
SERIAL_OFFSET = 1_500_000
SERIAL_POSITION_STRIDE = 2_100_000
POSITION_SHIFT = 0x2F1B7
MAX_PATENTS_PER_LISTING = 4  # 1,500,000 + 3 * 2,100,000 + 2**21 < 10,000,000: still seven digits
TYPE_DIGITS = {PatentType.INVENTION: 1, PatentType.UTILITY_MODEL: 2, PatentType.DESIGN: 3}


def scramble(index: int) -> int:
    """A bijection of [0, 2**21): odd multipliers and xor-shifts are invertible modulo a power of two. It gives
    neighbouring listings unrelated-looking serials."""
    mask = MAX_DEMO_LISTINGS - 1
    value = (index * 0x5BD1D + 0x3C6EF) & mask
    value ^= value >> 11
    value = (value * 0x1E3B5) & mask
    value ^= value >> 7
    return value


def application_number(index: int, position: int, year: int, type_digit: int) -> str:
    shifted = (index + position * POSITION_SHIFT) % MAX_DEMO_LISTINGS
    serial = SERIAL_OFFSET + position * SERIAL_POSITION_STRIDE + scramble(shifted)
    digits = f"{year}{type_digit}{serial:07d}"
    return f"{digits}.{compute_check_digit(digits)}"
