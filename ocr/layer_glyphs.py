"""Garbled spans of a sound PDF text layer, found from where its glyphs are printed.

A layer that reads well may still misname a few glyphs. The 革命文物 plan's layer, for
one, maps the `（` of every `（一）` heading to a space (``extract_text`` then drops it:
`一）指导思想`), draws a stray `《` inside the box of the `“` before it (`“《 四史”`), and
draws half-width `《` glyphs where nothing is printed.
Nothing here works from the text alone: each fix rests on the glyphs' boxes
(pdfplumber's chars) and on the ink of the rendered page under them.

- ``restore_open_bracket``: a full-width space glyph with ink under it, before a `）`
  or `》` that its line (or, for a line that wraps first, the next line) never opens: the
  glyph is the `（` or `《` (`一）指导思想`, `研究起草 长征文物保护条例》`, `本省 自治区、`).
- ``drop_overprinted_glyph``: a glyph drawn inside the box of the glyph before it (two
  glyphs cannot take one place in print); the space ``extract_text`` put after it for
  the gap it left goes with it.
- ``drop_inkless_glyph``: a bracket glyph drawn half a mark wide with no ink under its
  box (`政府网《(www.gov.cn)`, and the `《` of `文物局 《 文化和旅游厅/局）`, whose inked
  space glyph is the `（`).

Each fix names its line (as ``extract_text`` gives it), the span, the text after, and
its evidence; ``repair.fusion`` applies it as a recorded change where that line stands
unchanged in the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

INK_DPI = 150
MIN_INK_SHARE = 0.02  # dark pixels in a glyph box that show a printed glyph (a （ inks ~5 %)
INKLESS = 0.005  # below this, nothing is printed in a glyph box
FULL_WIDTH = 0.8  # a glyph box this many type sizes wide is a full-width cell
TOUCH_PT = 1.0  # boxes this close are adjacent
INSIDE_PT = 0.5


@dataclass(frozen=True)
class GlyphFix:
    page: int
    line: str  # the line as extract_text gives it
    start: int  # span in the line
    end: int
    after: str
    rule: str
    reason: str
    evidence: dict


def find_glyph_fixes(path: str | Path, layouts=None) -> list[GlyphFix]:
    """The fixes the glyph positions of a PDF's text layer evidence, page by page
    (``layouts``: the PDF's ``read_pdf_layout``, when the caller has read it)."""
    from ocr.pdf_regions import read_pdf_layout
    from ocr.preprocess import to_gray
    from ocr.render import render_pages

    pages = [(page.number, page.glyph_lines, page.spaces) for page in (layouts if layouts is not None else read_pdf_layout(path))]
    # The ink is looked at only where a line closes a bracket it never opens, or holds a
    # bracket glyph drawn half as wide as a full-width mark: most layers have neither, and
    # rendering every page costs more than reading its glyphs.
    wanted = {number for number, lines, _ in pages
              if any(_unopened(line["text"]) or _narrow_brackets(line) for line in lines)}
    grays = {page.number: to_gray(page.pixels) for page in render_pages(path, dpi=INK_DPI) if page.number in wanted} if wanted else {}
    fixes: list[GlyphFix] = []
    for number, lines, spaces in pages:
        gray = grays.get(number)
        for index, line in enumerate(lines):
            following = lines[index + 1]["text"] if index + 1 < len(lines) else ""
            dropped = drop_overprinted_glyph(number, line) + drop_inkless_glyph(number, line, gray)
            fixes += dropped
            fixes += restore_open_bracket(number, line, spaces, gray, following, dropped)
    return fixes


def ink_share(gray: np.ndarray | None, box: tuple[float, float, float, float]) -> float:
    """Share of dark pixels in a box (PDF points from the top-left) of the page rendered at INK_DPI."""
    if gray is None:
        return 0.0
    scale = INK_DPI / 72
    x0, top, x1, bottom = (int(round(v * scale)) for v in box)
    cell = gray[max(0, top):max(0, bottom), max(0, x0):max(0, x1)]
    return float((cell < 128).mean()) if cell.size else 0.0


def _box(char: dict) -> tuple[float, float, float, float]:
    return (float(char["x0"]), float(char["top"]), float(char["x1"]), float(char["bottom"]))


OPENER = {"）": "（", "》": "《"}
BRACKETS = "《》（）"


def _unopened(text: str) -> list[int]:
    """Where ``text`` closes a （ or a 《 it never opens."""
    depth = {closer: 0 for closer in OPENER}
    found = []
    for at, char in enumerate(text):
        for closer, opener in OPENER.items():
            if char == opener:
                depth[closer] += 1
            elif char == closer:
                if depth[closer] == 0:
                    found.append(at)
                else:
                    depth[closer] -= 1
    return found


def _narrow_brackets(line: dict) -> list[dict]:
    """Bracket glyphs drawn less than a full-width cell wide (a full-width mark never is)."""
    return [c for c in line["chars"] if c["text"] in BRACKETS and c["x1"] - c["x0"] < FULL_WIDTH * float(c["size"])]


def _text_positions(line: dict) -> list[tuple[int, dict]] | None:
    """Each glyph of the line with its index in the line's text, or None when they do not match."""
    text, column, placed = line["text"], 0, []
    for char in line["chars"]:
        found = text.find(char["text"], column)
        if found < 0:
            return None
        placed.append((found, char))
        column = found + len(char["text"])
    return placed


def restore_open_bracket(page: int, line: dict, spaces, gray, following: str = "", dropped=()) -> list[GlyphFix]:
    """A full-width space glyph with ink under it, before a closing ） or 》 the line (or,
    for a line with none, the next line) never opens: the glyph is its opening bracket.
    Glyphs other fixes drop do not count as openers."""
    text, chars = line["text"], line["chars"]
    placed = _text_positions(line)
    if not chars or placed is None:
        return []
    masked = list(text)
    for fix in dropped:
        masked[fix.start:fix.start + 1] = ["\0"]
    unopened = _unopened("".join(masked))
    if not unopened:
        unopened = [len(text) + 1 + at for at in _unopened(following)]  # 本省 自治区、 / 直辖市）
    if not unopened:
        return []
    size = float(chars[0]["size"])
    top, bottom = min(c["top"] for c in chars), max(c["bottom"] for c in chars)
    fixes, used = [], set()
    for space in sorted(spaces, key=lambda s: s["x0"]):
        middle = (space["top"] + space["bottom"]) / 2
        if not (top <= middle <= bottom) or space["x1"] - space["x0"] < FULL_WIDTH * size:
            continue
        at = _space_position(text, placed, space)
        closer = next((u for u in unopened if u >= at[0] and u not in used), None) if at else None
        if closer is None:
            continue
        ink = ink_share(gray, _box(space))
        if ink < MIN_INK_SHARE:
            continue
        used.add(closer)
        mark = (text + "\n" + following)[closer]
        evidence = {"page": page, "glyph_box": [round(v, 1) for v in _box(space)], "glyph_text": " ",
                    "ink_share": round(ink, 3), "closed_at": closer}
        reason = f"the layer maps a printed glyph to a space before a {mark} it never opens"
        fixes.append(GlyphFix(page, text, at[0], at[1], OPENER[mark], "restore_open_bracket", reason, evidence))
    return fixes


def _space_position(text: str, placed: list[tuple[int, dict]], space: dict) -> tuple[int, int] | None:
    """Where a space glyph stands in the line's text: before the first glyph it touches
    (insert at 0), or the space ``extract_text`` wrote for it after the glyph it follows."""
    first = placed[0][1]
    if abs(space["x1"] - first["x0"]) <= TOUCH_PT:
        return (0, 0)
    before = [(at, c) for at, c in placed if abs(c["x1"] - space["x0"]) <= TOUCH_PT and c["x0"] < space["x0"]]
    if not before:
        return None
    at = before[-1][0] + 1
    return (at, at + 1) if at < len(text) and text[at] == " " else None


def drop_inkless_glyph(page: int, line: dict, gray) -> list[GlyphFix]:
    """A bracket glyph drawn half as wide as a full-width mark with no ink under it is not
    printed (the 革命文物 plan's stray 《 before `(www.gov.cn)`); the space ``extract_text``
    put after it for its gap goes with it."""
    placed = _text_positions(line)
    if gray is None or placed is None:
        return []
    text, fixes = line["text"], []
    narrow = {id(c) for c in _narrow_brackets(line)}
    for at, char in placed:
        if id(char) not in narrow:
            continue
        ink = ink_share(gray, _box(char))
        if ink >= INKLESS:
            continue
        end = at + 2 if at + 1 < len(text) and text[at + 1] == " " else at + 1
        evidence = {"page": page, "glyph_box": [round(v, 1) for v in _box(char)], "glyph_text": char["text"], "ink_share": round(ink, 3)}
        reason = f"{char['text']} is drawn half a mark wide with no ink under it: print shows nothing there"
        fixes.append(GlyphFix(page, text, at, end, "", "drop_inkless_glyph", reason, evidence))
    return fixes


def drop_overprinted_glyph(page: int, line: dict) -> list[GlyphFix]:
    text, fixes = line["text"], []
    placed = _text_positions(line)
    if placed is None:
        return fixes  # the line's text and its chars do not match: nothing to say
    for (_, before), (at, char) in zip(placed, placed[1:]):
        if char["text"].isspace() or before["text"].isspace():
            continue
        if char["x0"] >= before["x0"] - INSIDE_PT and char["x1"] <= before["x1"] + INSIDE_PT:
            end = at + 1
            if end < len(text) and text[end] == " ":
                end += 1  # the gap it left, which extract_text read as a space
            evidence = {"page": page, "glyph_box": [round(v, 1) for v in _box(char)],
                        "inside": {"text": before["text"], "box": [round(v, 1) for v in _box(before)]}}
            reason = f"{char['text']} is drawn inside the box of the {before['text']} before it: print shows one glyph there"
            fixes.append(GlyphFix(page, text, at, end, "", "drop_overprinted_glyph", reason, evidence))
    return fixes
