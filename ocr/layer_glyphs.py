"""Garbled spans of a sound PDF text layer, found from where its glyphs are printed.

A layer that reads well may still misname a few glyphs. The 革命文物 plan's layer, for
one, maps the `（` of every `（一）` heading to a space (``extract_text`` then drops it:
`一）指导思想`), and draws a stray `《` inside the box of the `“` before it (`“《 四史”`).
Nothing here works from the text alone: each fix rests on the glyphs' boxes
(pdfplumber's chars) and on the ink of the rendered page under them.

- ``restore_open_bracket``: a line's first glyph is a full-width space glyph with ink
  under it, and the line closes a bracket it never opens: the glyph is the `（`.
- ``drop_overprinted_glyph``: a glyph drawn inside the box of the glyph before it (two
  glyphs cannot take one place in print); the space ``extract_text`` put after it for
  the gap it left goes with it.

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
    # The ink is looked at only where a line closes a （ it never opens: most layers have
    # none, and rendering every page costs more than reading its glyphs.
    wanted = {number for number, lines, _ in pages if any(_opens_nothing(line["text"]) for line in lines)}
    grays = {page.number: to_gray(page.pixels) for page in render_pages(path, dpi=INK_DPI) if page.number in wanted} if wanted else {}
    fixes: list[GlyphFix] = []
    for number, lines, spaces in pages:
        for line in lines:
            fixes += restore_open_bracket(number, line, spaces, grays.get(number))
            fixes += drop_overprinted_glyph(number, line)
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


def _opens_nothing(text: str) -> bool:
    """The line closes a （ it never opens."""
    depth = 0
    for char in text:
        if char == "（":
            depth += 1
        elif char == "）":
            if depth == 0:
                return True
            depth -= 1
    return False


def restore_open_bracket(page: int, line: dict, spaces: list[dict], gray) -> list[GlyphFix]:
    chars = line["chars"]
    if not chars or not _opens_nothing(line["text"]):
        return []
    first = chars[0]
    size = float(first["size"])
    for space in spaces:
        middle = (space["top"] + space["bottom"]) / 2
        if not (first["top"] <= middle <= first["bottom"]) or abs(space["x1"] - first["x0"]) > TOUCH_PT:
            continue
        if space["x1"] - space["x0"] < FULL_WIDTH * size:
            continue
        ink = ink_share(gray, _box(space))
        if ink < MIN_INK_SHARE:
            continue
        evidence = {"page": page, "glyph_box": [round(v, 1) for v in _box(space)], "glyph_text": " ",
                    "ink_share": round(ink, 3), "closed_at": line["text"].index("）")}
        reason = "the layer maps a printed glyph to a space before a line that closes a （ it never opens"
        return [GlyphFix(page, line["text"], 0, 0, "（", "restore_open_bracket", reason, evidence)]
    return []


def drop_overprinted_glyph(page: int, line: dict) -> list[GlyphFix]:
    text, chars = line["text"], line["chars"]
    fixes = []
    column = 0
    placed = []  # (column in text, char)
    for char in chars:
        found = text.find(char["text"], column)
        if found < 0:
            return fixes  # the line's text and its chars do not match: nothing to say
        placed.append((found, char))
        column = found + len(char["text"])
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
