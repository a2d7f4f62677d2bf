"""Chinese and Arabic numeral parsing (pure functions, no pandas).

The metric extractor (:mod:`lawgov_analysis.measures.metrics`) finds *where* a quantity is written; this module only
turns the written number into a value:

>>> parse_number("一百二十")
120
>>> parse_number("九十一点八七")
91.87
>>> parse_number("2.5万")
25000
>>> parse_number("１,２３４")
1234
>>> parse_number("二〇二一")
2021
>>> parse_number("三四") is None          # "three or four": not one number
True
>>> parse_number("5万4千6百"), parse_number("５，２３６"), parse_number("肆佰陸拾")
(54600, 5236, 460)

Values are exact: integers come back as ``int``; decimals go through :class:`decimal.Decimal` so that
``2.5万`` is exactly 25000 and ``1.1万`` exactly 11000. Every function returns ``None`` for a string that is not
a well-formed number instead of raising.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

__all__ = [
    "CN_DIGITS",
    "CN_UNITS",
    "CN_BIG_UNITS",
    "CN_NUMERAL_CHARS",
    "MULTIPLIERS",
    "is_chinese_numeral",
    "parse_arabic",
    "parse_chinese",
    "parse_mixed",
    "parse_number",
]

#: Chinese digit characters (lower-case, financial upper-case and traditional forms) and their values.
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
#: Units inside a four-digit section.
CN_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Section units.
CN_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
#: Every character that may appear in a Chinese numeral (the decimal point 点 included).
CN_NUMERAL_CHARS = frozenset(CN_DIGITS) | frozenset(CN_UNITS) | frozenset(CN_BIG_UNITS) | {"点", "點"}

#: Multipliers written after an Arabic number (``34万``, ``1.2亿``, ``3千``), longest first.
MULTIPLIERS: dict[str, int] = {"万亿": 10**12, "亿": 10**8, "億": 10**8, "万": 10**4, "萬": 10**4, "千": 1000}

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
#: Units of a number written with Arabic digits and Chinese units (5万4千6百, 1亿2千万), largest first.
_MIXED_UNITS: dict[str, int] = {"千万": 10**7, "百万": 10**6, "十万": 10**5, "亿": 10**8, "億": 10**8, "万": 10**4,
                                "萬": 10**4, "千": 1000, "仟": 1000, "百": 100, "佰": 100, "十": 10, "拾": 10}
_ARABIC_OK = frozenset("0123456789.,")
_ASCII_DIGITS = frozenset("0123456789")


def _exact(value: Decimal) -> int | float:
    """``int`` when the decimal is whole, else ``float``."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def is_chinese_numeral(text: str) -> bool:
    """True when ``text`` is non-empty and made only of Chinese numeral characters (it need not be well formed)."""
    return bool(text) and all(ch in CN_NUMERAL_CHARS for ch in text)


def parse_arabic(text: str) -> int | float | None:
    """Value of an Arabic numeral: ASCII or full-width digits, optional ``,`` thousands groups and decimals.

    >>> parse_arabic("4,860"), parse_arabic("97.46"), parse_arabic("１２３")
    (4860, 97.46, 123)
    >>> parse_arabic("1,23") is None
    True
    """
    s = text.strip().translate(_FULLWIDTH)
    if not s or any(ch not in _ARABIC_OK for ch in s) or s.count(".") > 1:
        return None
    whole, _, frac = s.partition(".")
    if "," in frac or (s.count(".") and not frac):
        return None
    if "," in whole:
        groups = whole.split(",")
        if not (1 <= len(groups[0]) <= 3) or any(len(g) != 3 for g in groups[1:]):
            return None
        whole = "".join(groups)
    if not whole or not whole.isdigit():
        return None
    try:
        return _exact(Decimal(whole + ("." + frac if frac else "")))
    except InvalidOperation:  # pragma: no cover - guarded above
        return None


def _parse_cn_integer(s: str, *, allow_digit_sequence: bool) -> int | None:
    if not s:
        return None
    if all(ch in CN_DIGITS for ch in s):
        if len(s) == 1:
            return CN_DIGITS[s]
        # digit-by-digit form (二〇二一): only when written with a zero sign, else it is "three or four" (三四)
        if allow_digit_sequence and any(CN_DIGITS[ch] == 0 for ch in s) and CN_DIGITS[s[0]] != 0:
            return int("".join(str(CN_DIGITS[ch]) for ch in s))
        return None
    total = 0          # value of the completed big sections
    section = 0        # value of the current four-digit section
    digit: int | None = None
    last_small = 10**5  # the last small unit used in this section (units must descend)
    last_big = 10**17
    prev = ""          # previous character kind: "d" digit, "z" zero, "u" small unit, "b" big unit
    prev_unit = 1
    for i, ch in enumerate(s):
        if ch in CN_DIGITS:
            d = CN_DIGITS[ch]
            if d == 0:
                if prev in ("", "z") and i == 0:
                    return None  # leading zero
                if prev == "d":
                    return None
                prev = "z"
                continue
            if prev == "d":
                return None  # two digits in a row (三四)
            digit = d
            prev = "d"
        elif ch in CN_UNITS:
            u = CN_UNITS[ch]
            if u >= last_small:
                return None
            if digit is None:
                if prev == "" or prev == "b":  # 十五, 十万; but not 一百十? (accepted below)
                    if u != 10:
                        return None
                    digit = 1
                elif prev == "z" or prev == "u":
                    if u != 10:
                        return None
                    digit = 1      # 一百零十? unusual but harmless; 一百十五 (colloquial)
                else:
                    return None
            section += digit * u
            digit = None
            last_small = u
            prev = "u"
            prev_unit = u
        elif ch in CN_BIG_UNITS:
            u = CN_BIG_UNITS[ch]
            if prev == "z":
                return None
            value = section + (digit or 0)
            if value == 0 and prev != "b":
                return None  # a bare 万 is not a number here
            if u >= last_big or prev == "b":
                # 万亿 or a larger section unit following a smaller one: multiply everything so far
                total = (total + value) * u
            else:
                total += value * u
            last_big = u
            section = 0
            digit = None
            last_small = 10**5
            prev = "b"
            prev_unit = u
        else:
            return None
    if digit is not None:
        if prev == "d" and len(s) >= 2 and s[-2] in CN_UNITS | CN_BIG_UNITS and prev_unit >= 100:
            # colloquial abbreviation: 一百二 = 120, 两万五 = 25000
            section += digit * (prev_unit // 10)
        else:
            section += digit
    return total + section


def parse_chinese(text: str, *, allow_digit_sequence: bool = True) -> int | float | None:
    """Value of a Chinese numeral (一百二十, 两万五, 九十一点八七, 壹佰零伍, 二〇二一), or ``None``.

    Parameters
    ----------
    text : str
        The numeral alone, without unit or hedge.
    allow_digit_sequence : bool, keyword-only
        Accept digit-by-digit forms written with a zero sign (二〇二一 → 2021). Sequences of non-zero digits
        (三四, "three or four") are never one number.

    Examples
    --------
    >>> parse_chinese("十五"), parse_chinese("一亿零一万零一"), parse_chinese("零点零五")
    (15, 100010001, 0.05)
    """
    s = text.strip()
    if not s:
        return None
    for point in ("点", "點"):
        if point in s:
            whole, _, frac = s.partition(point)
            if not frac or any(ch not in CN_DIGITS for ch in frac):
                return None
            if whole in ("零", "〇"):
                int_part = 0
            else:
                int_part = _parse_cn_integer(whole, allow_digit_sequence=False)
                if int_part is None:
                    return None
            digits = "".join(str(CN_DIGITS[ch]) for ch in frac)
            return _exact(Decimal(f"{int_part}.{digits}"))
    if s in ("零", "〇"):
        return 0
    return _parse_cn_integer(s, allow_digit_sequence=allow_digit_sequence)


def parse_mixed(text: str) -> int | float | None:
    """Value of Arabic digits mixed with Chinese units (5万4千6百 → 54600, 1亿2千万, 3万5千, 12万3千), or ``None``.

    Each run of digits is followed by a unit; units inside a 万 or 亿 section descend (千 百 十), the section
    units 万 and 亿 close a section, and a last run of digits without a unit is accepted only after 十 (3百2十5;
    5万4 and 5千6 are ambiguous and rejected).
    Digits may be full-width. Only the first run may have a decimal point (1.5万3千 = 18000; 5万1.5千 is
    rejected).

    >>> parse_mixed("5万4千6百"), parse_mixed("1亿2千万"), parse_mixed("3千")
    (54600, 120000000, 3000)
    """
    s = text.strip().translate(_FULLWIDTH)
    if not s or s[0] not in _ASCII_DIGITS:
        return None
    total = Decimal(0)      # closed 亿/万 sections
    section = Decimal(0)    # the current section below 万
    last_small = 10**4      # small units must descend inside a section
    last_big = 10**13       # section units must descend
    i, n, first = 0, len(s), True
    while i < n:
        j = i
        while j < n and (s[j] in _ASCII_DIGITS or s[j] == "."):
            j += 1
        if j == i:
            return None
        digits = s[i:j]
        if digits.count(".") > 1 or digits.endswith(".") or ("." in digits and not first):
            return None
        value = Decimal(digits)
        if j == n:  # trailing digits without a unit: only ones after 十 (3百2十5); 5万4 and 5千6 are ambiguous
            if first or last_small != 10 or value >= 10:
                return None
            section += value
            break
        unit = next((u for u in _MIXED_UNITS if s.startswith(u, j)), None)
        if unit is None:
            return None
        factor = _MIXED_UNITS[unit]
        if factor >= 10**4:
            # a section unit (万, 亿, 千万 …) closes everything written so far in this section
            big = 10**8 if factor >= 10**8 else 10**4
            if big >= last_big:
                return None
            total += (section + value * (factor // big)) * big
            section = Decimal(0)
            last_big, last_small = big, 10**4
        else:
            if factor >= last_small or value >= 10:
                return None  # 4千5千, 45百
            section += value * factor
            last_small = factor
        i = j + len(unit)
        first = False
    return _exact(total + section)


def parse_number(text: str) -> int | float | None:
    """Value of an Arabic, Chinese or mixed number (``34万``, ``1.2亿``, ``三千``, ``２０``, ``5万4千6百``,
    ``５，２３６``, ``壹万贰仟``), or ``None``.

    A trailing multiplier (万 亿 千 万亿) multiplies an Arabic number; a Chinese numeral carries its own;
    Arabic digits mixed with Chinese units are read by :func:`parse_mixed`.
    """
    s = text.strip()
    if not s:
        return None
    arabic = parse_arabic(s)
    if arabic is not None:
        return arabic
    for mult, factor in MULTIPLIERS.items():
        if s.endswith(mult) and len(s) > len(mult):
            head = s[: -len(mult)]
            base = parse_arabic(head)
            if base is not None:
                return _exact(Decimal(str(base)) * factor)
    if is_chinese_numeral(s):
        return parse_chinese(s)
    return parse_mixed(s)
