"""Headings of the genre: box headers (专栏), chapter and section headings, item numbers.

Patterns and pure functions over one line; the line classifier that uses them with a
document's context is ``repair.layout``.
"""

from __future__ import annotations

import re

from .chars import HAN

_DIGITS = "0-9０-９"
_CN_NUMERALS = "一二三四五六七八九十"
# 专栏1：title, 专栏 1, 专栏一, 【专栏1】, # 专栏2 … (Markdown), **专栏3** …; the title may
# stand on the next line (专栏1 alone: a number but no title).
# Letters OCR and broken fonts print for digits (专栏l, 专栏1O): read as the number's
# place, so renumbering replaces them instead of writing a digit beside them.
_LOOKALIKES = "lIOo"
BOX_HEADER_RE = re.compile(
    rf"^(?P<lead>\s*(?:#{{1,6}}\s*)?(?:\*\*)?[【\[〔]?\s*专栏\s*)"
    rf"(?P<num>[{_DIGITS}]+(?:[ \t]+[{_DIGITS}]+(?=[\s.．、:：]))*(?![{_LOOKALIKES}])"
    rf"|[{_DIGITS}{_LOOKALIKES}]{{1,3}}(?=[\s.．、:：】\]〕])|[{_CN_NUMERALS}]+)?"
    rf"(?P<sep>\s*[】\]〕]?(?:\*\*)?\s*[.．、:：]?\s*)"
    rf"(?P<title>\S.*?)?(?:\*\*)?\s*$"
)
MAX_TITLE = 40
# Chapter and section headings that end a box: 第三章 …, 一、…, （一）….
HEADING_RE = re.compile(rf"^\s*(第[{_CN_NUMERALS}百零〇]+[章节篇]|[{_CN_NUMERALS}]+、|[（(][{_CN_NUMERALS}]+[）)])\s*\S")
MAX_HEADING = 30
# A box item opens with its number: 1． / 1. / 1、 / （1）, or two digits and a space before
# the text (01 技术攻关工程, as national plans print boxes); a decimal (1.5亿) is no number.
ITEM_NUMBER_RE = re.compile(
    r"^\s*(?P<label>[0-9０-９]{1,2}\s*[．.、](?![0-9０-９])|[（(]\s*[0-9０-９]{1,2}\s*[）)]"
    rf"|(?:0[1-9]|[1-9][0-9])(?=[ \u3000]+{HAN}))\s*"
)


def box_header_match(line: str) -> re.Match | None:
    match = BOX_HEADER_RE.match(line)
    if not match:
        return None
    title = match.group("title")
    if title is None:
        return match if match.group("num") else None  # 专栏1 alone: its title is on the next line
    if len(title) > MAX_TITLE or any(c in "。！？；" for c in title):
        return None
    return match
