"""Random draws for the generator, and step texts with numbers to draw ("在{650-850}℃下煅烧").

Built on Random.random() alone: it is implemented in C, while random.choice and friends go through a Python path
that made generation several times slower. Its sequence is the same on every platform and Python version.
"""

import bisect
import itertools
import random
import re
from collections.abc import Sequence
from functools import cache


def pick[T](rng: random.Random, items: Sequence[T]) -> T:
    return items[min(int(rng.random() * len(items)), len(items) - 1)]


def between(rng: random.Random, low: int, high: int) -> int:
    """An integer from low to high, both included."""
    return low + min(int(rng.random() * (high - low + 1)), high - low)


def sample[T](rng: random.Random, items: Sequence[T], count: int) -> list[T]:
    """`count` distinct items in random order (a partial Fisher-Yates shuffle)."""
    pool = list(items)
    for position in range(count):
        chosen = between(rng, position, len(pool) - 1)
        pool[position], pool[chosen] = pool[chosen], pool[position]
    return pool[:count]


class Weights[T]:
    """A fixed set of choices with their weights."""

    def __init__(self, weights: dict[T, float]) -> None:
        self.items = tuple(weights)
        self.cum_weights = tuple(itertools.accumulate(weights.values()))

    def draw(self, rng: random.Random) -> T:
        position = bisect.bisect(self.cum_weights, rng.random() * self.cum_weights[-1])
        return self.items[min(position, len(self.items) - 1)]


@cache
def _template(text: str) -> tuple[str | tuple[float, float, int], ...]:
    """A step text split into literal pieces and number ranges (low, high, decimals)."""
    pieces: list[str | tuple[float, float, int]] = []
    last = 0
    for match in _NUMBER_RANGE.finditer(text):
        pieces.append(text[last : match.start()])
        pieces.append((float(match[1]), float(match[3]), len(match[2] or "")))
        last = match.end()
    pieces.append(text[last:])
    return tuple(pieces)


def fill(rng: random.Random, text: str) -> str:
    """Draw the numbers of a step text: '{650-850}' becomes e.g. '712', '{0.5-2.0}' e.g. '1.3'."""
    drawn = []
    for piece in _template(text):
        if isinstance(piece, str):
            drawn.append(piece)
        else:
            low, high, decimals = piece
            value = low + (high - low) * rng.random()
            drawn.append(f"{value:.{decimals}f}" if decimals else str(round(value)))
    return "".join(drawn)


_NUMBER_RANGE = re.compile(r"\{(\d+(?:\.(\d+))?)-(\d+(?:\.\d+)?)\}")
