"""Numbers written in Chinese (二〇二五, 一百四十五, 百分之三十四) as the Arabic digits they stand for."""

from __future__ import annotations

import re
import unicodedata

_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}
_RUN = re.compile("(百分之)?([〇零一二两三四五六七八九十百千万亿]+)")
# A single numeral is usually part of a word (一些, 统一, 唯一); before these it is a quantity or a date.
_UNIT_AFTER = (*"年月日号个家项名人倍天周条款次岁点%％", "美元", "元", "小时", "分钟")


def parse_chinese_number(run: str) -> int | None:
    """The value of a run of Chinese numerals, or None when it is not a well-formed number."""
    if not run or run[0] in _LARGE or (run[0] in _SMALL and run[0] != "十"):
        return None
    if all(ch in _DIGITS for ch in run):
        # Read digit by digit, as years are written: 二〇二五 is 2025.
        return int("".join(str(_DIGITS[ch]) for ch in run))
    total = section = digit = 0
    for ch in run:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            section += (digit or 1) * _SMALL[ch]
            digit = 0
        else:
            section += digit
            total = (total + section) * _LARGE[ch] if total and _LARGE[ch] > total else total + section * _LARGE[ch]
            section = digit = 0
    return total + section + digit


def _quantities(text: str) -> list[tuple[re.Match[str], int]]:
    """The numeral runs of text that state a quantity, with their values."""
    out = []
    for match in _RUN.finditer(text):
        percent, run = match.group(1), match.group(2)
        after = text[match.end() : match.end() + 2]
        if not percent and len(run) < 2 and not after.startswith(_UNIT_AFTER):
            continue
        value = parse_chinese_number(run)
        if value is not None:
            out.append((match, value))
    return out


def chinese_numbers(text: str) -> set[str]:
    """The quantities text states in Chinese numerals, as Arabic digit strings (百分之一百四十五 → '145')."""
    return {str(value) for _, value in _quantities(text)}


def without_numbers(text: str) -> str:
    """text with its Chinese-numeral quantities blanked out, so word matching sees no half-numbers (五年, 十二日)."""
    found = _quantities(text)
    if not found:
        return text
    parts, last = [], 0
    for match, _ in found:
        parts.append(text[last : match.start()])
        parts.append(" ")
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


def ascii_digits(number: str) -> str:
    """A number written with any Unicode digits (full-width ３４) in ASCII digits."""
    if number.isascii():
        return number
    return "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in number)


_NUMERAL_CHARS = frozenset("〇零一二两三四五六七八九十百千万亿分之")


def is_numeral_word(word: str) -> bool:
    """A word that only writes a number (八十四, 百分之): its value is checked as a number, not as a word."""
    return bool(word) and all(ch in _NUMERAL_CHARS for ch in word)
