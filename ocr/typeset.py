"""Typeset the hand-verified reconstruction onto clean A4 page images.

This lays out what survives of the plan (golden/plan.repaired.txt and
golden/plan.json) the way State Council plans are printed: a title page, the
key-indicators table with ruled lines, and the programme boxes (专栏) in
rectangular frames.  It is a stand-in made from our reconstruction, not a
picture of the real document: the lost body text is not invented, so pages
hold only the table and the boxes.

Layout choices:
- Page geometry follows GB/T 9704 (official documents): text block 156 mm x
  225 mm, 37 mm from the top and 28 mm from the left, page number 7 mm below.
- Boxes flow one after another and may break across pages between lines; each
  page's part of a box gets its own closed frame, and the header is printed
  only on the first part (as in print, it is not repeated).
- Every page but the title page carries a centred page number `— N —`, where
  N is the stand-in's own page index (the real page numbers are unknown).

Every region drawn is recorded with its pixel bbox and exact text: that record
is the ground truth the OCR bench scores against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont


@dataclass(frozen=True)
class FontSpec:
    path: str
    index: int
    package: str


FONTS = {
    # Song/Ming body face.
    "song": FontSpec("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "fonts-arphic-uming"),
    # Hei face for titles and headers.
    "hei": FontSpec("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"),
}


class FontMissingError(RuntimeError):
    """A font file the typesetter needs is not installed."""


def check_fonts() -> None:
    for spec in FONTS.values():
        if not Path(spec.path).is_file():
            raise FontMissingError(
                f"font {spec.path} not found: install the Debian package {spec.package}"
                f" (apt-get install -y {spec.package})"
            )


@lru_cache(maxsize=None)
def load_font(face: str, size_px: int) -> ImageFont.FreeTypeFont:
    spec = FONTS[face]
    # BASIC layout: the same glyph positions whether or not libraqm is present.
    return ImageFont.truetype(
        spec.path, size_px, index=spec.index, layout_engine=ImageFont.Layout.BASIC
    )


# ---------------------------------------------------------------- geometry

A4_MM = (210.0, 297.0)
TEXT_LEFT_MM, TEXT_TOP_MM = 28.0, 37.0
TEXT_WIDTH_MM, TEXT_HEIGHT_MM = 156.0, 225.0
PAGE_NUMBER_GAP_MM = 7.0


@dataclass(frozen=True)
class Geometry:
    dpi: int

    def mm(self, mm: float) -> float:
        return mm / 25.4 * self.dpi

    def pt(self, pt: float) -> int:
        return max(1, round(pt / 72.0 * self.dpi))

    @property
    def page_size(self) -> tuple[int, int]:
        return round(self.mm(A4_MM[0])), round(self.mm(A4_MM[1]))

    @property
    def left(self) -> float:
        return self.mm(TEXT_LEFT_MM)

    @property
    def top(self) -> float:
        return self.mm(TEXT_TOP_MM)

    @property
    def width(self) -> float:
        return self.mm(TEXT_WIDTH_MM)

    @property
    def bottom(self) -> float:
        return self.mm(TEXT_TOP_MM + TEXT_HEIGHT_MM)


# Type sizes in points (Chinese sizes: 二号 22, 四号 14, 小四 12, 五号 10.5).
TITLE_PT, ISSUER_PT = 22, 18
BOX_HEADER_PT, BOX_BODY_PT = 14, 12
TABLE_PT = 10.5
PAGE_NUMBER_PT = 14
BODY_PITCH = 1.75  # line pitch as a multiple of the type size
CELL_PITCH = 1.4
FRAME_LINE_PT, TABLE_OUTER_PT, TABLE_INNER_PT = 1.0, 1.0, 0.5
FRAME_PAD_MM = (4.0, 3.0)  # horizontal, vertical
CELL_PAD_MM = (1.5, 1.8)
TABLE_COLUMNS_MM = (10, 70, 19, 19, 22, 16)  # seq, name, 2020, 2025, increase, attribute
INK = 0
PAPER = 255


# ---------------------------------------------------------------- tokens and lines

@dataclass(frozen=True)
class Token:
    """An unbreakable piece of text in one face and size."""

    text: str
    face: str
    size: int  # px
    rise: int = 0  # px the baseline is raised (superscript footnote markers)

    @property
    def width(self) -> float:
        return load_font(self.face, self.size).getlength(self.text)

    @property
    def is_space(self) -> bool:
        return self.text.isspace()


FOOTNOTE_MARK = re.compile(r"\s*\^([①-⑳])\s*")  # golden writes a superscript ③ as " ^③"
LATIN_WORD = re.compile(r"[A-Za-z0-9.%+/]+")  # numbers and Latin words never break inside

# Chinese line-breaking rules (禁则): no line starts with closing punctuation,
# no line ends with opening punctuation.
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…—·,.;:?!)]}%")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")


def tokenize(text: str, face: str, size: int) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        mark = FOOTNOTE_MARK.match(text, pos)
        word = LATIN_WORD.match(text, pos)
        if mark:
            tokens.append(Token(mark.group(1), face, round(size * 0.6), round(size * 0.38)))
            pos = mark.end()
        elif word:
            tokens.append(Token(word.group(), face, size))
            pos = word.end()
        else:
            tokens.append(Token(text[pos], face, size))
            pos += 1
    return tokens


def visible_width(tokens: list[Token]) -> float:
    """Width without trailing spaces (they hang past the line end, unseen)."""
    end = len(tokens)
    while end and tokens[end - 1].is_space:
        end -= 1
    return sum(t.width for t in tokens[:end])


def break_lines(tokens: list[Token], width: float, indent: float = 0.0) -> list[list[Token]]:
    """Greedy line breaking with the 禁则 rules; the first line is indented."""
    lines: list[list[Token]] = []
    current: list[Token] = []
    available = width - indent
    for tok in tokens:
        # Spaces always join the current line: they may hang at its end, and
        # keeping them makes the joined lines equal the source text.
        if tok.is_space or not current or visible_width(current + [tok]) <= available:
            current.append(tok)
            continue
        carry: list[Token] = []
        # Pull characters down so the next line does not start with closing punctuation.
        while len(current) > 1 and (carry[0] if carry else tok).text[0] in NO_LINE_START:
            carry.insert(0, current.pop())
        # Opening punctuation never ends a line.
        while len(current) > 1 and current[-1].text[-1] in NO_LINE_END:
            carry.insert(0, current.pop())
        lines.append(current)
        current = carry + [tok]
        available = width
    if current:
        lines.append(current)
    return lines


def token_offsets(tokens: list[Token], width: float, justify: bool) -> list[float]:
    """x offset of each token; justified lines spread the slack over the gaps."""
    gaps = len(tokens) - 1
    slack = width - visible_width(tokens)
    size = max(t.size for t in tokens)
    gap = min(slack / gaps, size * 0.5) if justify and gaps > 0 and slack > 0 else 0.0
    offsets, x = [], 0.0
    for tok in tokens:
        offsets.append(x)
        x += tok.width + gap
    return offsets


def ink_bbox(tokens: list[Token], offsets: list[float], x: float, baseline: float) -> list[int]:
    """Pixel bbox of the glyph boxes of the visible tokens (spaces excluded)."""
    boxes = []
    for tok, off in zip(tokens, offsets):
        if tok.is_space:
            continue
        left, top, right, bottom = load_font(tok.face, tok.size).getbbox(tok.text, anchor="ls")
        ox, oy = x + off, baseline - tok.rise
        boxes.append((ox + left, oy + top, ox + right, oy + bottom))
    return [
        round(min(b[0] for b in boxes)),
        round(min(b[1] for b in boxes)),
        round(max(b[2] for b in boxes)),
        round(max(b[3] for b in boxes)),
    ]


def union_bbox(bboxes: list[list[int]]) -> list[int]:
    return [
        min(b[0] for b in bboxes),
        min(b[1] for b in bboxes),
        max(b[2] for b in bboxes),
        max(b[3] for b in bboxes),
    ]


def glyph_box_baseline(top: float, pitch: float, size: int) -> float:
    """Baseline that centres a CJK glyph box (ascent ~0.88 em) in a row."""
    return top + (pitch - size) / 2 + 0.88 * size


# ---------------------------------------------------------------- page drafts

@dataclass
class PageDraft:
    """What one page holds: drawing commands plus the truth regions."""

    number: int
    texts: list[tuple[float, float, Token]] = field(default_factory=list)  # x, baseline, token
    rects: list[tuple[list[int], int]] = field(default_factory=list)  # bbox, line width
    rules: list[tuple[list[int], int]] = field(default_factory=list)  # [x0,y0,x1,y1] line, width
    regions: list[dict] = field(default_factory=list)

    def place_line(self, tokens: list[Token], x: float, baseline: float, width: float,
                   justify: bool = False) -> dict:
        offsets = token_offsets(tokens, width, justify)
        for tok, off in zip(tokens, offsets):
            if not tok.is_space:
                self.texts.append((x + off, baseline - tok.rise, tok))
        return {"text": "".join(t.text for t in tokens),
                "bbox": ink_bbox(tokens, offsets, x, baseline)}


@dataclass
class PageImage:
    """A rendered page: clean image plus the truth regions drawn on it."""

    number: int
    printed_number: str | None
    image: Image.Image
    dpi: int
    regions: list[dict]


def draw_page(draft: PageDraft, geometry: Geometry) -> Image.Image:
    image = Image.new("L", geometry.page_size, PAPER)
    draw = ImageDraw.Draw(image)
    for bbox, width in draft.rects:
        draw.rectangle(bbox, outline=INK, width=width)
    for line, width in draft.rules:
        draw.line(line, fill=INK, width=width)
    for x, baseline, tok in draft.texts:
        draw.text((x, baseline), tok.text, font=load_font(tok.face, tok.size), fill=INK, anchor="ls")
    return image


# ---------------------------------------------------------------- golden input

@dataclass(frozen=True)
class Box:
    number: int
    title: str
    paragraphs: tuple[str, ...]

    @property
    def header(self) -> str:
        return f"专栏{self.number}\u3000{self.title}"


BOX_HEADER_LINE = re.compile(r"^专栏\s*\d")


def parse_table(golden_text: str) -> list[list[str]]:
    """The key-indicators table: the tab-separated block before the first box."""
    block = golden_text.split("\n\n", 1)[0]
    return [line.split("\t") for line in block.split("\n")]


def parse_boxes(golden_text: str, golden_plan: dict) -> list[Box]:
    """Box paragraphs from the repaired text; numbers and titles from plan.json."""
    blocks = [b for b in golden_text.split("\n\n")[1:] if b.strip()]
    grouped: list[list[str]] = []
    for block in blocks:
        if BOX_HEADER_LINE.match(block):
            grouped.append([])
        else:
            grouped[-1].append(block)
    programmes = golden_plan["programmes"]
    if len(grouped) != len(programmes):
        raise ValueError(f"golden text has {len(grouped)} boxes, plan.json {len(programmes)}")
    return [
        Box(p["number"], p["title"], tuple(paras)) for p, paras in zip(programmes, grouped)
    ]


# ---------------------------------------------------------------- title page

def layout_title_page(draft: PageDraft, title: str, issuer: str, g: Geometry) -> None:
    page_w = g.page_size[0]
    size = g.pt(TITLE_PT)
    tokens = tokenize(title, "hei", size)
    while sum(t.width for t in tokens) > g.width:  # shrink to one line if needed
        size -= 1
        tokens = tokenize(title, "hei", size)
    baseline = g.mm(100)
    x = (page_w - sum(t.width for t in tokens)) / 2
    line = draft.place_line(tokens, x, baseline, g.width)
    draft.regions.append({"kind": "title", "role": "plan_title", **line})
    issuer_tokens = tokenize(issuer, "hei", g.pt(ISSUER_PT))
    x = (page_w - sum(t.width for t in issuer_tokens)) / 2
    line = draft.place_line(issuer_tokens, x, baseline + g.mm(30), g.width)
    draft.regions.append({"kind": "title", "role": "issuer", **line})


# ---------------------------------------------------------------- indicator table

def layout_table(draft: PageDraft, rows: list[list[str]], top: float, g: Geometry) -> float:
    """Draw the ruled indicator table at `top`; return the y of its bottom edge."""
    size = g.pt(TABLE_PT)
    pitch = size * CELL_PITCH
    pad_x, pad_y = g.mm(CELL_PAD_MM[0]), g.mm(CELL_PAD_MM[1])
    col_x = [g.left]
    for w in TABLE_COLUMNS_MM:
        col_x.append(col_x[-1] + g.mm(w))

    # Each cell: (row, col, colspan, text, face, align).  The header's 指标
    # spans the seq and name columns (golden leaves the second cell empty).
    cells = []
    header = rows[0]
    cells.append((0, 0, 2, header[0], "hei", "center"))
    for col in range(2, len(header)):
        cells.append((0, col, 1, header[col], "hei", "center"))
    for r, row in enumerate(rows[1:], start=1):
        for col, text in enumerate(row):
            cells.append((r, col, 1, text, "song", "left" if col == 1 else "center"))

    wrapped = {}
    for r, col, span, text, face, align in cells:
        inner = col_x[col + span] - col_x[col] - 2 * pad_x
        wrapped[(r, col)] = break_lines(tokenize(text, face, size), inner)
    row_heights = []
    for r in range(len(rows)):
        most = max(len(lines) for (rr, _), lines in wrapped.items() if rr == r)
        row_heights.append(most * pitch + 2 * pad_y)
    row_y = [top]
    for h in row_heights:
        row_y.append(row_y[-1] + h)

    truth_cells = []
    for r, col, span, text, face, align in cells:
        x0, x1 = col_x[col], col_x[col + span]
        y0, y1 = row_y[r], row_y[r + 1]
        lines = wrapped[(r, col)]
        first_top = y0 + (y1 - y0 - len(lines) * pitch) / 2
        placed = []
        for i, tokens in enumerate(lines):
            natural = visible_width(tokens)
            inner = x1 - x0 - 2 * pad_x
            x = x0 + pad_x + (0 if align == "left" else (inner - natural) / 2)
            baseline = glyph_box_baseline(first_top + i * pitch, pitch, size)
            placed.append(draft.place_line(tokens, x, baseline, inner))
        cell = {"row": r, "col": col, "colspan": span, "text": text,
                "glyphs": "".join(p["text"] for p in placed),
                "bbox": [round(x0), round(y0), round(x1), round(y1)]}
        if len(placed) > 1:
            cell["lines"] = placed
        truth_cells.append(cell)

    outer, inner_w = g.pt(TABLE_OUTER_PT), g.pt(TABLE_INNER_PT)
    left, right, bottom = round(col_x[0]), round(col_x[-1]), round(row_y[-1])
    for y in row_y[1:-1]:
        draft.rules.append(([left, round(y), right, round(y)], inner_w))
    for c, x in enumerate(col_x[1:-1], start=1):
        # No rule between seq and name in the header row: 指标 spans both.
        start = row_y[1] if c == 1 else row_y[0]
        draft.rules.append(([round(x), round(start), round(x), bottom], inner_w))
    bbox = [left, round(top), right, bottom]
    draft.rects.append((bbox, outer))
    draft.regions.append({"kind": "table", "bbox": bbox, "n_rows": len(rows),
                          "n_cols": len(TABLE_COLUMNS_MM), "cells": truth_cells})
    return row_y[-1]


# ---------------------------------------------------------------- boxes

@dataclass(frozen=True)
class BoxRow:
    """One row of a box: its header or one line of one paragraph."""

    kind: str  # "header" | "line"
    tokens: tuple[Token, ...]
    height: float
    paragraph: int = 0  # 1-based, for lines
    indent: float = 0.0  # first line of a paragraph is indented two characters
    justify: bool = False
    hard_break: bool = False  # an explicit line break of the source follows


def box_rows(box: Box, inner_width: float, g: Geometry) -> list[BoxRow]:
    header_size, body_size = g.pt(BOX_HEADER_PT), g.pt(BOX_BODY_PT)
    rows = [BoxRow("header", tuple(tokenize(box.header, "hei", header_size)),
                   header_size * BODY_PITCH + body_size * 0.5)]
    for p, paragraph in enumerate(box.paragraphs, start=1):
        # Source line breaks (box 2 marks lost text with them) stay line breaks.
        segments = paragraph.split("\n")
        for s, segment in enumerate(segments):
            indent = 2 * body_size if s == 0 else 0.0
            lines = break_lines(tokenize(segment, "song", body_size), inner_width, indent)
            for i, tokens in enumerate(lines):
                last = i == len(lines) - 1
                rows.append(BoxRow("line", tuple(tokens), body_size * BODY_PITCH, p,
                                   indent=indent if i == 0 else 0.0, justify=not last,
                                   hard_break=last and s < len(segments) - 1))
    return rows


@dataclass
class ParagraphPart:
    """The lines of one paragraph that landed on one page."""

    paragraph: int
    continued: bool  # the paragraph began on an earlier page
    lines: list[dict] = field(default_factory=list)  # {"text", "bbox", "hard_break"}

    def region(self, box: Box, continues: bool) -> dict:
        # Source line breaks inside a paragraph stay "\n" in the truth text.
        text = "".join(l["text"] + ("\n" if l["hard_break"] else "") for l in self.lines)
        return {"kind": "text", "box": box.number, "paragraph": self.paragraph, "text": text,
                "bbox": union_bbox([l["bbox"] for l in self.lines]),
                "continues_from_previous_page": self.continued,
                "continues_on_next_page": continues,
                "lines": [{"text": l["text"], "bbox": l["bbox"]} for l in self.lines]}


class BoxFlow:
    """Flows boxes down the pages, breaking a box between lines when needed."""

    def __init__(self, g: Geometry, new_page):
        self.g = g
        self.new_page = new_page  # () -> PageDraft, appends a page to the document
        self.pad_x, self.pad_y = g.mm(FRAME_PAD_MM[0]), g.mm(FRAME_PAD_MM[1])
        self.inner_width = g.width - 2 * self.pad_x
        self.line_width = g.pt(FRAME_LINE_PT)

    def close_frame(self, draft: PageDraft, box: Box, part: int, top: float, bottom: float,
                    at: int, continues: bool) -> None:
        g = self.g
        bbox = [round(g.left), round(top), round(g.left + g.width), round(bottom)]
        draft.rects.append((bbox, self.line_width))
        frame = {"kind": "frame", "box": box.number, "title": box.title, "part": part,
                 "bbox": bbox, "continues_from_previous_page": part > 1,
                 "continues_on_next_page": continues}
        draft.regions.insert(at, frame)  # the frame precedes its contents in reading order

    def place(self, draft: PageDraft, y: float, box: Box) -> tuple[PageDraft, float]:
        """Place `box` from height `y` on `draft`; return the last page and the y below it."""
        g = self.g
        rows = box_rows(box, self.inner_width, g)
        # Start on a new page unless the header and three lines fit here.
        if y + 2 * self.pad_y + sum(r.height for r in rows[:4]) > g.bottom:
            draft, y = self.new_page(), g.top
        part, frame_top, frame_at = 1, y, len(draft.regions)
        y += self.pad_y
        paragraph: ParagraphPart | None = None
        for row in rows:
            if y + row.height + self.pad_y > g.bottom:  # break the box here
                if paragraph:
                    splits = row.kind == "line" and row.paragraph == paragraph.paragraph
                    draft.regions.append(paragraph.region(box, continues=splits))
                    paragraph = ParagraphPart(row.paragraph, continued=True) if splits else None
                self.close_frame(draft, box, part, frame_top, y + self.pad_y, frame_at, True)
                draft = self.new_page()
                part, frame_top, frame_at = part + 1, g.top, 0
                y = g.top + self.pad_y
            tokens, size = list(row.tokens), row.tokens[0].size
            if row.kind == "header":
                natural = visible_width(tokens)
                baseline = glyph_box_baseline(y, size * BODY_PITCH, size)
                line = draft.place_line(tokens, g.left + (g.width - natural) / 2, baseline, natural)
                draft.regions.append({"kind": "title", "box": box.number, **line})
            else:
                if paragraph is None or paragraph.paragraph != row.paragraph:
                    if paragraph:
                        draft.regions.append(paragraph.region(box, continues=False))
                    paragraph = ParagraphPart(row.paragraph, continued=False)
                line = draft.place_line(tokens, g.left + self.pad_x + row.indent,
                                        glyph_box_baseline(y, row.height, size),
                                        self.inner_width - row.indent, row.justify)
                paragraph.lines.append({**line, "hard_break": row.hard_break})
            y += row.height
        if paragraph:
            draft.regions.append(paragraph.region(box, continues=False))
        self.close_frame(draft, box, part, frame_top, y + self.pad_y, frame_at, False)
        return draft, y + self.pad_y


# ---------------------------------------------------------------- whole document

def page_number_text(number: int) -> str:
    return f"— {number} —"


def layout_document(golden_text: str, golden_plan: dict, g: Geometry) -> list[PageDraft]:
    drafts: list[PageDraft] = []

    def new_page() -> PageDraft:
        drafts.append(PageDraft(number=len(drafts) + 1))
        return drafts[-1]

    document = golden_plan["document"]
    layout_title_page(new_page(), document["title"], document["issuer"], g)

    draft = new_page()
    y = layout_table(draft, parse_table(golden_text), g.top, g)
    gap = g.pt(BOX_BODY_PT) * BODY_PITCH * 1.5
    flow = BoxFlow(g, new_page)
    for box in parse_boxes(golden_text, golden_plan):
        draft, y = flow.place(draft, y + gap, box)

    for draft in drafts[1:]:
        add_page_number(draft, g)
    return drafts


def add_page_number(draft: PageDraft, g: Geometry) -> None:
    size = g.pt(PAGE_NUMBER_PT)
    tokens = tokenize(page_number_text(draft.number), "song", size)
    natural = visible_width(tokens)
    x = (g.page_size[0] - natural) / 2
    baseline = g.bottom + g.mm(PAGE_NUMBER_GAP_MM) + 0.88 * size
    line = draft.place_line(tokens, x, baseline, natural)
    draft.regions.append({"kind": "page-number", **line})


def render_pages(golden_text: str, golden_plan: dict, dpi: int = 200) -> list[PageImage]:
    """Clean typeset pages with their truth regions (degrade them separately)."""
    check_fonts()
    g = Geometry(dpi)
    pages = []
    for draft in layout_document(golden_text, golden_plan, g):
        printed = next((r["text"] for r in draft.regions if r["kind"] == "page-number"), None)
        pages.append(PageImage(draft.number, printed, draw_page(draft, g), dpi, draft.regions))
    return pages
