"""Character classes of the genre: what a Han character is, where a sentence ends, brackets.

The one definition of the Han class. Every Han test and pattern in the project (ocr,
repair, extract, read, pipeline, bench) goes through it, so they cannot disagree on a
rare character: a compatibility ideograph (﨑 U+FA11, printed in names), an Ext-B
character (𠀋), Ext A (㐀). Kangxi radicals (⼈ U+2F08) and the CJK radicals supplement
are *not* Han here: they are damage that ``grammar.ideographs`` maps to the ideograph
they stand for. Full-width punctuation is not Han either.
"""

from __future__ import annotations

import re

# (first, last) code points, inclusive.
HAN_BLOCKS = (
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs (﨑 U+FA11 …)
    (0x20000, 0x2EBEF),  # extensions B–F (supplementary ideographic plane)
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
    (0x30000, 0x3134F),  # extension G (tertiary ideographic plane)
)

# For use inside a character class: rf"[{HAN_RANGE}A-Za-z]".
HAN_RANGE = "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in HAN_BLOCKS)
# One Han character, as a pattern piece: rf"(?<={HAN}) (?={HAN})".
HAN = f"[{HAN_RANGE}]"
HAN_RE = re.compile(HAN)
HAN_RUN_RE = re.compile(f"{HAN}+")

SENTENCE_END = "。！？；"
OPEN_BRACKETS = "（("
CLOSE_BRACKETS = "）)"
# Punctuation that never occurs in a stray-character fragment cut from a sidebar.
SENTENCE_PUNCT = set(SENTENCE_END + OPEN_BRACKETS + CLOSE_BRACKETS + "《》【】")


def is_han(char: str) -> bool:
    """A Han ideograph (unified, any extension, or a compatibility ideograph)."""
    code = ord(char)
    # HAN_BLOCKS spelt out, most frequent first: this runs on every character of a document.
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x2EBEF
        or 0x2F800 <= code <= 0x2FA1F
        or 0x30000 <= code <= 0x3134F
    )


def han_chars(text: str) -> list[str]:
    return [c for c in text if is_han(c)]


def han_count(text: str) -> int:
    return sum(1 for c in text if is_han(c))
