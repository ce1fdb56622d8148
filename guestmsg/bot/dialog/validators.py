"""Checks and coercions for what the guest types and what the context holds."""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation


def as_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def as_count(value) -> int | None:
    """A non-negative whole number, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float) and value.is_integer():
        return as_count(int(value))
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def as_money(value) -> Decimal:
    """Rounded to cents; 0.00 when ``value`` is not a number."""
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return Decimal("0.00")
