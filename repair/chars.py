"""Character classes shared by the repair rules."""

from __future__ import annotations

SENTENCE_END = "。！？；"
OPEN_BRACKETS = "（("
CLOSE_BRACKETS = "）)"
# Punctuation that never occurs in a stray-character fragment cut from a sidebar.
SENTENCE_PUNCT = set(SENTENCE_END + OPEN_BRACKETS + CLOSE_BRACKETS + "《》【】")


def is_han(char: str) -> bool:
    """A CJK unified ideograph (BMP blocks; plans use nothing rarer)."""
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF


def han_chars(text: str) -> list[str]:
    return [c for c in text if is_han(c)]
