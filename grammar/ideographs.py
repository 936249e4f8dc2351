"""Map radical and compatibility code points to the unified ideographs they stand for.

Broken PDF text layers (and some OCR output) carry look-alike code points: Kangxi
radicals (U+2F00-U+2FDF, e.g. ⼯ U+2F2F for 工), CJK Radicals Supplement
(U+2E80-U+2EFF, e.g. ⺠ U+2EA0 for 民) and CJK compatibility ideographs (U+F900-U+FAFF,
U+2F800-U+2FA1F). They look right and break every search and dictionary lookup.

NFKC maps the Kangxi radicals and compatibility ideographs, but applied to a whole
text it also turns full-width punctuation (，：（）０-９) into ASCII, which plans must
keep. So NFKC is applied per character, only inside those ranges.

NFKC maps just two Radicals Supplement characters (⺟, ⻳). The rest come from
RADICALS_SUPPLEMENT below, built for this module because Unicode's
EquivalentUnifiedIdeograph.txt could not be fetched here: every entry marked "font"
was found by glyph identity (the radical renders to exactly the same bitmap as the
ideograph in WenQuanYi Zen Hei or AR PL UMing, searched over U+3400-U+9FFF and
U+20000-U+2A6DF) and agrees with EquivalentUnifiedIdeograph.txt as we know it;
entries marked "ucd" are taken by hand from that file where neither font covers the
radical. Radicals whose equivalent we could not establish either way are left alone
(they are reported by triage as radicals, never silently rewritten).

Every mapping is one character to one character, so offsets are the same before and
after; each change is returned for the caller's change log.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# source: "font" = same glyph in WenQuanYi Zen Hei / AR PL UMing; "ucd" = EquivalentUnifiedIdeograph.txt
RADICALS_SUPPLEMENT: dict[str, str] = {
    "\u2e81": "\U00020086",  # ⺁ CLIFF -> 𠂆 (font)
    "\u2e82": "\u4e5b",  # ⺂ SECOND ONE -> 乛 (ucd)
    "\u2e83": "\u4e5a",  # ⺃ SECOND TWO -> 乚 (font)
    "\u2e85": "\u4ebb",  # ⺅ PERSON -> 亻 (font)
    "\u2e86": "\u5182",  # ⺆ BOX -> 冂 (ucd)
    "\u2e89": "\u5202",  # ⺉ KNIFE TWO -> 刂 (font)
    "\u2e8a": "\u535c",  # ⺊ DIVINATION -> 卜 (ucd)
    "\u2e8b": "\u353e",  # ⺋ SEAL -> 㔾 (ucd)
    "\u2e8e": "\u5140",  # ⺎ LAME ONE -> 兀 (font)
    "\u2e8f": "\u5c23",  # ⺏ LAME TWO -> 尣 (font)
    "\u2e90": "\u5c22",  # ⺐ LAME THREE -> 尢 (font)
    "\u2e91": "\U00021bc2",  # ⺑ LAME FOUR -> 𡯂 (font)
    "\u2e92": "\u5df3",  # ⺒ SNAKE -> 巳 (font)
    "\u2e93": "\u5e7a",  # ⺓ THREAD -> 幺 (font)
    "\u2e94": "\u5f51",  # ⺔ SNOUT ONE -> 彑 (font)
    "\u2e95": "\u5f50",  # ⺕ SNOUT TWO -> 彐 (font)
    "\u2e96": "\u5fc4",  # ⺖ HEART ONE -> 忄 (font)
    "\u2e97": "\u38fa",  # ⺗ HEART TWO -> 㣺 (ucd)
    "\u2e98": "\u624c",  # ⺘ HAND -> 扌 (font)
    "\u2e99": "\u6535",  # ⺙ RAP -> 攵 (font)
    "\u2e9b": "\u65e1",  # ⺛ CHOKE -> 旡 (font)
    "\u2e9c": "\u65e5",  # ⺜ SUN -> 日 (ucd)
    "\u2e9d": "\u6708",  # ⺝ MOON -> 月 (ucd)
    "\u2e9e": "\u6b7a",  # ⺞ DEATH -> 歺 (font)
    "\u2e9f": "\u6bcd",  # ⺟ MOTHER -> 母 (font; also NFKC)
    "\u2ea0": "\u6c11",  # ⺠ CIVILIAN -> 民 (font)
    "\u2ea1": "\u6c35",  # ⺡ WATER ONE -> 氵 (font)
    "\u2ea2": "\u6c3a",  # ⺢ WATER TWO -> 氺 (font)
    "\u2ea3": "\u706c",  # ⺣ FIRE -> 灬 (font)
    "\u2ea4": "\u722b",  # ⺤ PAW ONE -> 爫 (font)
    "\u2ea6": "\u4e2c",  # ⺦ SIMPLIFIED HALF TREE TRUNK -> 丬 (font)
    "\u2ea8": "\u72ad",  # ⺨ DOG -> 犭 (font)
    "\u2ea9": "\u738b",  # ⺩ JADE -> 王 (ucd)
    "\u2eaa": "\u758b",  # ⺪ BOLT OF CLOTH -> 疋 (ucd)
    "\u2eab": "\u7f52",  # ⺫ EYE -> 罒 (font)
    "\u2eac": "\u793a",  # ⺬ SPIRIT ONE -> 示 (ucd)
    "\u2ead": "\u793b",  # ⺭ SPIRIT TWO -> 礻 (font)
    "\u2eaf": "\u7cf9",  # ⺯ SILK -> 糹 (font)
    "\u2eb0": "\u7e9f",  # ⺰ C-SIMPLIFIED SILK -> 纟 (font)
    "\u2eb1": "\u7f53",  # ⺱ NET ONE -> 罓 (font)
    "\u2eb2": "\u7f52",  # ⺲ NET TWO -> 罒 (font)
    "\u2eb9": "\u8002",  # ⺹ OLD -> 耂 (font)
    "\u2eba": "\u8080",  # ⺺ BRUSH ONE -> 肀 (font)
    "\u2ebe": "\u8279",  # ⺾ GRASS ONE -> 艹 (font)
    "\u2ec0": "\u535d",  # ⻀ GRASS THREE -> 卝 (font)
    "\u2ec1": "\u864e",  # ⻁ TIGER -> 虎 (font)
    "\u2ec2": "\u8864",  # ⻂ CLOTHES -> 衤 (font)
    "\u2ec3": "\u8980",  # ⻃ WEST ONE -> 覀 (font)
    "\u2ec4": "\u897f",  # ⻄ WEST TWO -> 西 (font)
    "\u2ec5": "\u89c1",  # ⻅ C-SIMPLIFIED SEE -> 见 (font)
    "\u2ec6": "\u89d2",  # ⻆ SIMPLIFIED HORN -> 角 (font)
    "\u2ec7": "\U000278b2",  # ⻇ HORN -> 𧢲 (font)
    "\u2ec8": "\u8ba0",  # ⻈ C-SIMPLIFIED SPEECH -> 讠 (font)
    "\u2ec9": "\u8d1d",  # ⻉ C-SIMPLIFIED SHELL -> 贝 (font)
    "\u2ecb": "\u8f66",  # ⻋ C-SIMPLIFIED CART -> 车 (font)
    "\u2ecc": "\u8fb6",  # ⻌ SIMPLIFIED WALK -> 辶 (font)
    "\u2ecf": "\u961d",  # ⻏ CITY -> 阝 (ucd)
    "\u2ed0": "\u9485",  # ⻐ C-SIMPLIFIED GOLD -> 钅 (font)
    "\u2ed1": "\u9577",  # ⻑ LONG ONE -> 長 (font)
    "\u2ed2": "\u9578",  # ⻒ LONG TWO -> 镸 (font)
    "\u2ed3": "\u957f",  # ⻓ C-SIMPLIFIED LONG -> 长 (font)
    "\u2ed4": "\u95e8",  # ⻔ C-SIMPLIFIED GATE -> 门 (font)
    "\u2ed5": "\U00028e0f",  # ⻕ MOUND ONE -> 𨸏 (font)
    "\u2ed6": "\u961d",  # ⻖ MOUND TWO -> 阝 (ucd)
    "\u2ed8": "\u9752",  # ⻘ BLUE -> 青 (font)
    "\u2ed9": "\u97e6",  # ⻙ C-SIMPLIFIED TANNED LEATHER -> 韦 (font)
    "\u2eda": "\u9875",  # ⻚ C-SIMPLIFIED LEAF -> 页 (font)
    "\u2edb": "\u98ce",  # ⻛ C-SIMPLIFIED WIND -> 风 (font)
    "\u2edc": "\u98de",  # ⻜ C-SIMPLIFIED FLY -> 飞 (font)
    "\u2edd": "\u98df",  # ⻝ EAT ONE -> 食 (font)
    "\u2edf": "\u98e0",  # ⻟ EAT THREE -> 飠 (font)
    "\u2ee0": "\u9963",  # ⻠ C-SIMPLIFIED EAT -> 饣 (font)
    "\u2ee2": "\u9a6c",  # ⻢ C-SIMPLIFIED HORSE -> 马 (font)
    "\u2ee3": "\u9aa8",  # ⻣ BONE -> 骨 (font)
    "\u2ee4": "\u9b3c",  # ⻤ GHOST -> 鬼 (font)
    "\u2ee5": "\u9c7c",  # ⻥ C-SIMPLIFIED FISH -> 鱼 (font)
    "\u2ee6": "\u9e1f",  # ⻦ C-SIMPLIFIED BIRD -> 鸟 (font)
    "\u2ee7": "\u5364",  # ⻧ C-SIMPLIFIED SALT -> 卤 (font)
    "\u2ee8": "\u9ea6",  # ⻨ SIMPLIFIED WHEAT -> 麦 (font)
    "\u2ee9": "\u9ec4",  # ⻩ SIMPLIFIED YELLOW -> 黄 (font)
    "\u2eea": "\u9efe",  # ⻪ C-SIMPLIFIED FROG -> 黾 (font)
    "\u2eeb": "\u6589",  # ⻫ J-SIMPLIFIED EVEN -> 斉 (font)
    "\u2eec": "\u9f50",  # ⻬ C-SIMPLIFIED EVEN -> 齐 (font)
    "\u2eed": "\u6b6f",  # ⻭ J-SIMPLIFIED TOOTH -> 歯 (font)
    "\u2eee": "\u9f7f",  # ⻮ C-SIMPLIFIED TOOTH -> 齿 (font)
    "\u2eef": "\u7adc",  # ⻯ J-SIMPLIFIED DRAGON -> 竜 (font)
    "\u2ef0": "\u9f99",  # ⻰ C-SIMPLIFIED DRAGON -> 龙 (font)
    "\u2ef1": "\u9f9c",  # ⻱ TURTLE -> 龜 (font)
    "\u2ef2": "\u4e80",  # ⻲ J-SIMPLIFIED TURTLE -> 亀 (font)
    "\u2ef3": "\u9f9f",  # ⻳ C-SIMPLIFIED TURTLE -> 龟 (font; also NFKC)
}


@dataclass(frozen=True)
class CharChange:
    """One character replaced at ``offset`` (the same in the input and the output)."""

    offset: int
    before: str
    after: str


def is_kangxi_radical(char: str) -> bool:
    return 0x2F00 <= ord(char) <= 0x2FDF


def is_radicals_supplement(char: str) -> bool:
    return 0x2E80 <= ord(char) <= 0x2EFF


def is_compatibility_ideograph(char: str) -> bool:
    code = ord(char)
    return 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F


def is_radical(char: str) -> bool:
    """A Kangxi radical or a CJK Radicals Supplement code point."""
    return is_kangxi_radical(char) or is_radicals_supplement(char)


def unified_ideograph(char: str) -> str | None:
    """The unified ideograph ``char`` stands for, or None when it is not a look-alike we map."""
    if is_radicals_supplement(char):
        return RADICALS_SUPPLEMENT.get(char)
    if is_kangxi_radical(char) or is_compatibility_ideograph(char):
        mapped = unicodedata.normalize("NFKC", char)
        # Twelve code points in the compatibility block are unified ideographs themselves.
        return mapped if mapped != char and len(mapped) == 1 else None
    return None


def normalize_ideographs(text: str) -> tuple[str, list[CharChange]]:
    """``text`` with look-alike radicals and compatibility ideographs unified, and the changes.

    Nothing else is touched: full-width punctuation, digits and letters stay as they are."""
    out: list[str] = []
    changes: list[CharChange] = []
    for offset, char in enumerate(text):
        mapped = unified_ideograph(char) if ord(char) >= 0x2E80 else None
        if mapped is None:
            out.append(char)
        else:
            out.append(mapped)
            changes.append(CharChange(offset, char, mapped))
    return "".join(out), changes
