"""Bytes of a plain-text extract (or a Markdown file) -> text: UTF-8, UTF-16 with its mark,
GB18030 or Big5 (or what charset-normalizer finds, if it reads as Chinese); CRLF and CR
read as LF. Binary data, PDFs and images, mixed encodings are refused with one line.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

from charset_normalizer import from_bytes

from errors import EmptyInput, NotText, UnsupportedInput
from grammar.chars import han_count, is_han

# Encodings a Chinese plan extract realistically comes in. GB18030 is a superset of
# GBK and GB2312, so it decodes those correctly too.
_CJK_ENCODINGS = ("gb18030", "big5")

_MAGIC = {
    b"%PDF-": "a PDF",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
    b"PK\x03\x04": "a ZIP archive other than a Word .docx (XLSX?)",
}


def decode_text(name: str, data: bytes) -> tuple[str, str]:
    """The text and the encoding it was read in."""
    if not data.strip():
        raise EmptyInput(f"{name}: the file is empty")
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise UnsupportedInput(f"{name}: this is {what}; give a plain-text extract (UTF-8 or GB18030)")
    text, encoding = _decode(name, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _reject_binary(name, text)
    return text, encoding


def _decode(name: str, data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise NotText(f"{name}: has a UTF-16 byte-order mark but does not decode as UTF-16") from None
    if b"\x00" in data:
        raise NotText(f"{name}: contains NUL bytes; this looks like binary data, not a text extract")
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8"), "utf-8-sig"
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        _refuse_mixed(name, data, exc.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0))
    # Not UTF-8: a Chinese extract is most likely GBK/GB18030. Try the Chinese codecs
    # first and keep a decoding only if it yields Chinese text; charset-normalizer
    # then gets the last word for anything else.
    for encoding in _CJK_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _han_share(text) >= 0.2:
            return text, encoding
    best = from_bytes(data).best()
    if best is not None and best.encoding and _han_share(str(best)) >= 0.2:
        return str(best), best.encoding
    raise NotText(f"{name}: not UTF-8 and not recognisable Chinese text (tried GB18030, Big5); is it binary?")


def _refuse_mixed(name: str, data: bytes, bad: int) -> None:
    """UTF-8 text (with characters beyond ASCII) that turns into other bytes part-way is two
    encodings in one file (or damage): decoding it all as GB18030 would garble the UTF-8 part."""
    before = data[:bad]
    # GB18030 text can open with byte pairs that happen to be valid UTF-8 (某 is C4 B3: "ĳ"),
    # but those decode to Latin or Cyrillic letters, not Han: only Han text counts as UTF-8.
    if han_count(before.decode("utf-8", "ignore")) >= 2:
        line = before.count(b"\n") + 1
        raise NotText(f"{name}: mixed encodings: UTF-8 up to line {line}, then bytes that are not UTF-8 (GB18030, or damage); save the file in one encoding")


def _han_share(text: str) -> float:
    visible = [c for c in text if not c.isspace()]
    if not visible:
        return 0.0
    return sum(1 for c in visible if is_han(c)) / len(visible)


def _reject_binary(name: str, text: str) -> None:
    if not text.strip():
        raise EmptyInput(f"{name}: the file holds only white space")
    kinds = Counter(_odd_kind(c) for c in text)
    kinds.pop(None, None)
    if sum(kinds.values()) / len(text) > 0.01:
        said = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
        raise NotText(f"{name}: {said} characters (over 1 % of the text); binary data or text lost in an earlier conversion")
    if _plausible_share(text) < 0.9:
        raise NotText(f"{name}: decodes to characters of no script a plan uses; this looks like binary data")


def _odd_kind(c: str) -> str | None:
    """What makes a character no part of a text: a control, U+FFFD (lost in a conversion), private use, a lone surrogate."""
    if c == "\ufffd":
        return "U+FFFD replacement"
    category = unicodedata.category(c)
    if category == "Cc" and c not in "\n\t\f":
        return "control"
    return {"Co": "private-use", "Cs": "lone surrogate"}.get(category)


def _plausible_share(text: str) -> float:
    """Share of characters a Chinese plan is written in: Han, ASCII, CJK and full-width punctuation."""
    def plausible(c: str) -> bool:
        code = ord(c)
        return (
            code < 0x80
            or 0x2000 <= code <= 0x27BF  # general punctuation, number forms, ①, arrows, —
            or 0x2E80 <= code <= 0x2FDF  # radicals (damage we repair)
            or 0x3000 <= code <= 0x303F  # CJK punctuation
            or is_han(c)
            or 0xFF00 <= code <= 0xFFEF  # full-width forms
            or c in "·°±×÷"
        )

    return sum(1 for c in text if plausible(c)) / len(text)
