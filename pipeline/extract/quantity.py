"""Numbers as printed in plan documents: '5 以上', '[150]', '30 左右', '1.5%', '3-5个', '两项'.

Stage: 编制 (extract). Input: a table cell or a phrase of normalised text. Output: `Quantity`.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import cn2an

QUALIFIERS_AFTER = ("以上", "左右", "以内", "以下", "之内", "之间")
CN_DIGITS = "零〇一二两三四五六七八九十百千万"
DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"  # '1,000' (thousands separated) before '1000'
NUMBER = rf"-?(?:{DIGITS})"
_NUMBER = re.compile(NUMBER)
_CELL = re.compile(
    rf"^(?P<cmp>[≥≤><]=?)?\s*(?P<open>\[)?\s*(?P<num>{NUMBER})(?:\s*[-~至到]\s*(?P<high>{NUMBER}))?\s*(?P<close>\])?\s*"
    rf"(?P<unit>[^\d\s\[\]]*?)\s*(?P<qual>{'|'.join(QUALIFIERS_AFTER)})?$"
)


@dataclass(frozen=True)
class Quantity:
    """A printed number split into value, unit, qualifiers and the cumulative [ ] mark."""

    value: float | None
    unit: str = ""
    qualifier: str = ""
    cumulative: bool = False


@functools.lru_cache(maxsize=4096)  # the same few numbers recur; cn2an takes long over Chinese numerals
def to_number(text: str) -> float | None:
    """Arabic or Chinese numerals to a float ('两' → 2.0, '1.5' → 1.5); None when it is not a number.

    >>> [to_number(t) for t in ("0.27", "两", "十一", "三千", "-40.3", "约", "1,000", "12,500.5")]
    [0.27, 2.0, 11.0, 3000.0, -40.3, None, 1000.0, 12500.5]
    """
    text = text.strip()
    try:
        return float(text.replace(",", "") if _NUMBER.fullmatch(text) else text)
    except ValueError:
        pass
    if not text or any(c not in CN_DIGITS for c in text):
        return None
    if text in ("百", "千", "万"):
        return {"百": 100.0, "千": 1000.0, "万": 10000.0}[text]
    try:
        return float(cn2an.cn2an(text.replace("〇", "零"), "smart"))
    except ValueError:
        return None


def parse_quantity(text: str) -> Quantity:
    """Split a printed target into value, unit and qualifiers; a cell with no number keeps value None.

    >>> parse_quantity("10万亩左右")
    Quantity(value=10.0, unit='万亩', qualifier='左右', cumulative=False)
    >>> parse_quantity("[150]")
    Quantity(value=150.0, unit='', qualifier='', cumulative=True)
    >>> parse_quantity("5 以上")
    Quantity(value=5.0, unit='', qualifier='以上', cumulative=False)
    >>> parse_quantity("3-5个")
    Quantity(value=3.0, unit='个', qualifier='范围3-5', cumulative=False)
    >>> parse_quantity("≥66.92")
    Quantity(value=66.92, unit='', qualifier='≥', cumulative=False)
    >>> parse_quantity("完成市下达 指标")
    Quantity(value=None, unit='', qualifier='', cumulative=False)
    """
    m = _CELL.match(text.strip())
    if not m:
        return Quantity(None)
    qualifiers = [q for q in (m.group("cmp"), m.group("qual")) if q]
    if m.group("high"):
        qualifiers.insert(0, f"范围{m.group('num')}-{m.group('high')}")
    return Quantity(to_number(m.group("num")), m.group("unit"), "|".join(qualifiers),
                    bool(m.group("open") and m.group("close")))
