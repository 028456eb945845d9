"""One style for numbers in every human format: 27,361 (never 2.736e+04), yes/no, 62%, "-" when missing."""

from __future__ import annotations

from collections.abc import Sequence

MISSING = "-"


def count(value: int) -> str:
    """An integer, with thousands separators from five digits on: 27,361 (a year stays 2024)."""
    return f"{value:,}" if abs(value) >= 10_000 else str(value)


def decimal(value: float) -> str:
    """A measured figure: at most four significant digits below 1,000, whole with separators above.

    27361.4 -> 27,361; 1.234567 -> 1.235; 0.000123 -> 0.000123; 12.0 -> 12.
    """
    if value != value:  # NaN is missing, not a number
        return MISSING
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if value == int(value):
        return f"{int(value)}"
    text = f"{value:.4g}"
    if "e" in text:  # tiny values: plain decimals, never an exponent
        text = f"{value:.8f}".rstrip("0").rstrip(".")
    return text


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage: 0.62 -> 62%."""
    return MISSING if value is None else f"{value:.{digits}%}"


def share(value: float) -> str:
    """A share as a percentage that keeps small shares visible: 0.4 -> 40.0%, 0.00023 -> 0.023%."""
    if value == 0 or abs(value) >= 0.01:
        return f"{value:.1%}"
    return f"{decimal(value * 100)}%"


def fixed(value: float | None, digits: int = 3) -> str:
    """A score to a fixed number of decimals: 0.854."""
    return MISSING if value is None else f"{value:.{digits}f}"


def signed(value: float | None, digits: int = 3) -> str:
    """A change with its sign: +0.012, -0.040."""
    return MISSING if value is None else f"{value:+.{digits}f}"


def yes_no(value: bool) -> str:
    return "yes" if value else "no"


def codes(items: Sequence[str]) -> str:
    """Codes or names joined for reading: EU, NOR, USA ("-" when there are none)."""
    return ", ".join(items) if items else MISSING


def cell(value: object) -> str:
    """Any cell or field value, in the one style."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, int):
        return count(value)
    if isinstance(value, float):
        return decimal(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return codes([cell(v) for v in value])
    return str(value)


def is_number(value: object) -> bool:
    """Whether a raw value is drawn as a number (right-aligned)."""
    return isinstance(value, int | float) and not isinstance(value, bool)
