"""Masking of personal information (身份证号码, phone numbers) in published text.

Every ID-like or phone-like digit run is replaced by a marker, wherever it sits in the text and
however it was typed (``xl_awards.base.personal_numbers``: separators, full-width digits, glued
to letters or Chinese); a ``+`` right before a phone number goes with it.  Nothing else in the
text changes.
"""

from __future__ import annotations

from typing import Any

from xl_awards.base.personal_numbers import ID, find_personal_numbers
from xl_awards.schema import publicity as P


def mask_personal_info(value: Any) -> str:
    """Text with 身份证号码 and phone numbers replaced by a marker (the list never shows them).

    >>> mask_personal_info("张三 43010219850312123X 13907310000")
    '张三 ［身份证号码已隐去］ ［电话已隐去］'
    >>> mask_personal_info("…平台 4301 0219 9001 0112 34")
    '…平台 ［身份证号码已隐去］'
    >>> mask_personal_info("手机：139.1234.5678")
    '手机：［电话已隐去］'
    """
    text = "" if value is None else str(value).strip()  # no other change to the text (keeps full-width marks)
    pieces = []
    last = 0
    for kind, start, end in find_personal_numbers(text):
        if kind != ID and start > 0 and text[start - 1] in "+＋":
            start -= 1
        pieces.append(text[last:start])
        pieces.append(P.MASK_ID if kind == ID else P.MASK_PHONE)
        last = end
    pieces.append(text[last:])
    return "".join(pieces)
