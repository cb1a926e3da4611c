"""Exact arithmetic for scores, and rounding for display.

Every score enters as the decimal number it was written as (``85.5`` is
171/2, ``0.7`` is 7/10) and is carried as a ``fractions.Fraction``, so a sum,
a mean or a weighted total is the exact rational value a person gets on paper.
Two entries tie only when their exact values are equal: 0.7 × 87 + 0.3 × 84 and
0.7 × 84 + 0.3 × 91 are both exactly 86.1, and share a rank, where binary
floating point would have put one of them 1e-14 ahead of the other and cut a
tie at the quota line arbitrarily.
"""

from __future__ import annotations

import functools
import math
from decimal import Decimal
from fractions import Fraction
from numbers import Rational

Number = int | float | Decimal | Fraction


def exact(value: Number) -> Fraction:
    """The exact value of a number as written (floats through their shortest repr)."""
    if isinstance(value, bool):
        raise TypeError("a score cannot be a boolean")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, (int, Rational)):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value}")
        return Fraction(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        return _exact_float(value)
    raise TypeError(f"not a number: {value!r}")


@functools.lru_cache(maxsize=1 << 16)
def _exact_float(value: float) -> Fraction:
    """Scores repeat (multiples of 0.5): each float's Fraction made once (at 100x, 5.7 million Fractions were
    made for 350,000 scores and the sensitivity variants).  Fractions are immutable, so sharing one is safe."""
    return Fraction(repr(value))


def to_float(value: Fraction | None) -> float | None:
    """Full-precision float (None stays None)."""
    return None if value is None else float(value)


def round2(value: Number | None, decimals: int = 2) -> float | None:
    """Round for display, half away from zero like Excel's ROUND (2.675 -> 2.68).

    Ranking never uses this; it is for what people read.
    """
    if value is None:
        return None
    q = exact(value)
    scale = 10**decimals
    units = math.floor(abs(q) * scale + Fraction(1, 2))  # exact half-up on the magnitude
    return float(Fraction(units if q >= 0 else -units, scale))
