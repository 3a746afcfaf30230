"""Integer exponential decay: ``value * 2 ** (-elapsed / half_life)`` without floats.

Method: whole half-lives are right shifts.  The remaining fraction ``f`` of a
half-life is looked up in ``TABLE``, which holds ``2 ** (-k / STEPS)`` for
``k = 0..STEPS`` in fixed point with ``FRAC_BITS`` fractional bits, and
interpolated linearly between neighbouring entries (relative error below
``2e-5``: at most ``(ln 2 / STEPS) ** 2 / 8``).  ``TABLE`` is computed once with integer square roots only:
``2 ** (-k / 64) * 2 ** 32`` is the 64th root (six nested square roots) of
``2 ** (64 * 32 - k)``, so every platform builds the same table.
Results round toward zero; a negative value decays like its absolute value.
"""

from __future__ import annotations

from math import isqrt

FRAC_BITS = 32
STEPS = 64  # must stay 2 ** 6: the table takes six square roots


def _root64(n: int) -> int:
    for _ in range(6):
        n = isqrt(n)
    return n


TABLE: tuple[int, ...] = tuple(_root64(1 << (STEPS * FRAC_BITS - k)) for k in range(STEPS + 1))


def factor(elapsed: int, half_life: int) -> tuple[int, int]:
    """Return ``(whole_halvings, fixed_point_fraction)`` for ``elapsed`` seconds."""
    halvings, rest = divmod(max(elapsed, 0), half_life)
    position, remainder = divmod(rest * STEPS, half_life)
    high, low = TABLE[position], TABLE[min(position + 1, STEPS)]
    return halvings, high - (high - low) * remainder // half_life


def decay(value: int, elapsed: int, half_life: int) -> int:
    """Return ``value`` decayed over ``elapsed`` seconds of block time with ``half_life``."""
    if value == 0 or elapsed <= 0:
        return value
    halvings, fraction = factor(elapsed, half_life)
    magnitude = (abs(value) * fraction >> FRAC_BITS) >> halvings
    return magnitude if value > 0 else -magnitude
