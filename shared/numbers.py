"""Whole numbers typed the Vietnamese way: "1.139.000.000" đồng, "8.524" labour days.

Money is stored exactly, as an integer number of đồng; never as a float.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from babel.numbers import NumberFormatError, parse_decimal

MAX_AMOUNT = 10**15  # more than any commune's model could mobilise: a slip of the keyboard


class NumberError(ValueError):
    """A typed number that cannot be taken; ``reason`` says why, for the right message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "format", "negative", "fraction" or "too_large"


def parse_whole_number(value: str | int | float | Decimal, maximum: int = MAX_AMOUNT) -> int:
    """Read a non-negative whole number, typed with Vietnamese separators or sent as a number."""
    if isinstance(value, bool):
        raise NumberError("format")
    if isinstance(value, str):
        number = _parse_text(value)
    else:
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise NumberError("format") from None
    return _whole(number, maximum)


def _parse_text(text: str) -> Decimal:
    if "e" in text.casefold():  # babel reads "1e5"; nobody types money that way
        raise NumberError("format")
    try:
        return parse_decimal(text.strip(), locale="vi_VN", strict=True)
    except (NumberFormatError, InvalidOperation):
        raise NumberError("format") from None


def _whole(number: Decimal, maximum: int) -> int:
    if not number.is_finite():
        raise NumberError("format")
    if number < 0:
        raise NumberError("negative")
    if number != number.to_integral_value():
        raise NumberError("fraction")
    if number > maximum:
        raise NumberError("too_large")
    return int(number)


def parse_decimal_number(value: str | int | Decimal, decimals: int, maximum: int) -> Decimal:
    """Read a non-negative number with at most ``decimals`` places: "1,5" km, "9.952" m².

    Vietnamese writing: a dot groups thousands and a comma marks the decimals, so "1.5" is
    refused (it is neither) rather than guessed at.
    """
    if isinstance(value, bool):
        raise NumberError("format")
    # A JSON number arrives as a float: its shortest spelling (1.5) is what the sender wrote.
    number = _parse_text(value) if isinstance(value, str) else Decimal(str(value))
    if not number.is_finite():
        raise NumberError("format")
    if number < 0:
        raise NumberError("negative")
    if number != round(number, decimals):
        raise NumberError("fraction")
    if number > maximum:
        raise NumberError("too_large")
    return number.quantize(Decimal(1).scaleb(-decimals)) if decimals else Decimal(int(number))
