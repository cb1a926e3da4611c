"""Masking of personal information (身份证号码, phone numbers) in published text."""

from __future__ import annotations
import re
from typing import Any
from xl_awards.schema import publicity as P


# -- masking -------------------------------------------------------------------------

# 18-digit resident ID (last may be X) or the old 15-digit one, not inside a longer digit run.
_ID_RE = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mobile numbers (optionally +86), and landlines with an area code (0xx-xxxxxxxx).
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)0\d{2,3}[- ]?\d{7,8}(?!\d)")


def mask_personal_info(value: Any) -> str:
    """Text with 身份证号码 and phone numbers replaced by a marker (the list never shows them).

    >>> mask_personal_info("张三 43010219850312123X 13907310000")
    '张三 ［身份证号码已隐去］ ［电话已隐去］'
    """
    text = "" if value is None else str(value).strip()  # no other change to the text (keeps full-width marks)
    text = _ID_RE.sub(P.MASK_ID, text)
    text = _MOBILE_RE.sub(P.MASK_PHONE, text)
    return _LANDLINE_RE.sub(P.MASK_PHONE, text)


