"""Where things are on a (deskewed, grayscale) page: frames, ruled tables, text blocks.

- Rules: horizontal and vertical lines are what survives a morphological opening of
  the ink with a long thin kernel (longer than any glyph stroke).
- Frames and tables: connected groups of rules. Their line positions (rows of the
  horizontal-rule mask and columns of the vertical one covering much of the group)
  give a grid; three or more vertical positions make a table (rows x columns of
  cells, cells merged where the rule between them is missing, as in a header cell
  spanning two columns), otherwise the group is a frame (专栏 box), title rule or not.
- Text: the remaining ink, glyphs joined horizontally into lines, lines stacked into
  blocks.
- Running headers, footers and page numbers (— 7 —): a short, isolated line in the top
  or bottom band of the page is dropped (kept in ``Page.dropped`` for the debug image).
- Reading order: regions top to bottom; a frame or a table is one unit.

Coordinates are pixels of the page image, (x0, top, x1, bottom) like pdfplumber's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

BBox = tuple[int, int, int, int]  # x0, top, x1, bottom (exclusive)

H_RULE_INCH = 0.4  # a horizontal rule is ink at least this long (longer than any glyph)
V_RULE_INCH = 0.35
GRID_COVERAGE = 0.3  # a grid line covers at least this share of its group's span
SEPARATOR_COVERAGE = 0.5  # a rule between two cells covers at least this share of their edge
# Bands where running headers, footers and page numbers live. GB/T 9704 puts the body
# 37 mm from the top (12.5 %) and the page number ~28 mm from the bottom (9.5 %); the
# header band stays narrower so a short first heading of a page is never dropped.
HEADER_BAND = 0.07
FOOTER_BAND = 0.12
FURNITURE_MAX_WIDTH = 0.3  # of the page width
# ... and at most this many glyph heights wide: a page number (— 12 —) is about four; a
# short heading ending a page ((三)加强文物价值阐释传播。, 14) is body text.
FURNITURE_MAX_GLYPHS = 6
FURNITURE_GAP = 1.2  # isolated: this many own heights of white above/below


@dataclass(frozen=True)
class Cell:
    row: int
    col: int
    bbox: BBox  # between the rules' centres
    row_span: int = 1
    col_span: int = 1


@dataclass(frozen=True)
class Region:
    kind: str  # "text" | "frame" | "table" | "header" | "footer"
    bbox: BBox
    cells: tuple[Cell, ...] = ()
    rows: int = 0  # tables only
    cols: int = 0


@dataclass(frozen=True)
class Page:
    number: int
    width: int
    height: int
    regions: tuple[Region, ...]  # in reading order
    dropped: tuple[Region, ...] = ()  # headers, footers, page numbers
    glyph_height: float = 0.0  # typical height of a glyph, pixels
    rule_thickness: int = 3  # typical width of a ruled line, pixels


@dataclass
class Rules:
    """Masks (uint8 0/255) of the page's horizontal and vertical rules."""

    horizontal: np.ndarray
    vertical: np.ndarray
    thickness: int = 3

    @property
    def both(self) -> np.ndarray:
        return self.horizontal | self.vertical


def analyze_page(gray: np.ndarray, dpi: float, number: int = 1) -> Page:
    """The layout of one page image (grayscale, already deskewed)."""
    import cv2

    from ocr.preprocess import ink_mask

    ink = ink_mask(cv2.medianBlur(gray, 3))  # scanner specks are not layout
    height, width = gray.shape
    # Rules from the unblurred ink: the median blur erases 1-pixel rules, and the long
    # opening kernel of find_rules already lets no speck through.
    rules = find_rules(ink_mask(gray), dpi)
    boxes = find_boxes(rules, dpi)
    text_ink = remove_rules_and_boxes(ink, rules, boxes)
    glyph = glyph_height(text_ink)
    lines = text_line_boxes(text_ink, glyph)
    dropped = furniture(lines, [b.bbox for b in boxes], width, height, glyph)
    dropped_lines = {bbox for _, bbox in dropped}
    blocks = [Region("text", bbox) for bbox in text_blocks([l for l in lines if l not in dropped_lines], glyph)]
    regions = tuple(sorted(boxes + blocks, key=lambda r: (r.bbox[1], r.bbox[0])))
    # Dropped lines cover the page's width, so stray dashes of "— 7 —" go with the number.
    furniture_regions = tuple(Region(kind, full_width_band(bbox, width, height)) for kind, bbox in dropped)
    return Page(number, width, height, regions, furniture_regions, glyph, rules.thickness)


# ---------------------------------------------------------------- rules, frames, tables

def find_rules(ink: np.ndarray, dpi: float) -> Rules:
    import cv2

    h_len, v_len = max(15, int(dpi * H_RULE_INCH)), max(15, int(dpi * V_RULE_INCH))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (h_len, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, v_len)))
    return Rules(horizontal, vertical, rule_thickness(horizontal))


def rule_thickness(horizontal: np.ndarray) -> int:
    """Typical stroke width of the horizontal rules: ink pixels per vertical run."""
    mask = horizontal > 0
    runs = int((mask[1:] & ~mask[:-1]).sum() + mask[0].sum())
    return max(1, min(8, round(int(mask.sum()) / runs))) if runs else 3


def find_boxes(rules: Rules, dpi: float) -> list[Region]:
    """Frames and tables: groups of connected rules that close a rectangle."""
    import cv2

    joined = cv2.dilate(rules.both, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))  # bridge scan gaps at corners
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    min_w, min_h = dpi * 1.0, dpi * 0.3
    boxes = []
    for x, y, w, h, _ in stats[1:]:
        if w < min_w or h < min_h:
            continue
        region = box_region(rules, (int(x), int(y), int(x + w), int(y + h)))
        if region:
            boxes.append(region)
    return boxes


def line_positions(mask: np.ndarray, axis: int, min_coverage: float) -> list[int]:
    """Centres of the rules in ``mask`` (a crop) running along ``axis`` (1: horizontal)."""
    coverage = (mask > 0).sum(axis=axis) / max(1, mask.shape[axis])
    hits = np.flatnonzero(coverage >= min_coverage)
    positions, run = [], []
    for index in hits:
        if run and index > run[-1] + 2:
            positions.append(round(sum(run) / len(run)))
            run = []
        run.append(int(index))
    if run:
        positions.append(round(sum(run) / len(run)))
    return positions


def box_region(rules: Rules, bbox: BBox) -> Region | None:
    x0, top, x1, bottom = bbox
    rows = line_positions(rules.horizontal[top:bottom, x0:x1], 1, GRID_COVERAGE)
    cols = line_positions(rules.vertical[top:bottom, x0:x1], 0, GRID_COVERAGE)
    edge = max(6, 3 * rules.thickness)
    if len(cols) < 2 or cols[0] > edge or cols[-1] < (x1 - x0) - edge:
        return None  # no left and right sides: a bare rule, an underline
    ys = [top + r for r in rows]
    xs = [x0 + c for c in cols]
    if len(rows) < 2 or rows[0] > edge or rows[-1] < (bottom - top) - edge:
        # Open at the top or bottom: a frame continued from or on another page.
        return Region("frame", (xs[0], top, xs[-1], bottom))
    if len(cols) < 3:
        return Region("frame", (xs[0], ys[0], xs[-1], ys[-1]))
    cells = grid_cells(rules, ys, xs)
    return Region("table", (xs[0], ys[0], xs[-1], ys[-1]), tuple(cells), len(ys) - 1, len(xs) - 1)


def rule_covers(mask: np.ndarray, x0: int, top: int, x1: int, bottom: int) -> float:
    """Share of a rule's expected path (a thin box) that has rule ink across it."""
    patch = mask[max(0, top):max(0, bottom), max(0, x0):max(0, x1)] > 0
    if patch.size == 0:
        return 0.0
    along = patch.any(axis=0) if (x1 - x0) > (bottom - top) else patch.any(axis=1)
    return float(along.mean())


def grid_cells(rules: Rules, ys: list[int], xs: list[int]) -> list[Cell]:
    """Cells of the grid ys x xs, merged across missing rules, in row-major order."""
    slack = max(3, 2 * rules.thickness)
    rows, cols = len(ys) - 1, len(xs) - 1

    def open_right(r: int, c: int) -> bool:  # no rule between (r, c) and (r, c + 1)
        return rule_covers(rules.vertical, xs[c + 1] - slack, ys[r] + slack, xs[c + 1] + slack + 1, ys[r + 1] - slack) < SEPARATOR_COVERAGE

    def open_below(r: int, c: int) -> bool:
        return rule_covers(rules.horizontal, xs[c] + slack, ys[r + 1] - slack, xs[c + 1] - slack, ys[r + 1] + slack + 1) < SEPARATOR_COVERAGE

    taken = [[False] * cols for _ in range(rows)]
    cells = []
    for r in range(rows):
        for c in range(cols):
            if taken[r][c]:
                continue
            col_span = 1
            while c + col_span < cols and not taken[r][c + col_span] and open_right(r, c + col_span - 1):
                col_span += 1
            row_span = 1
            while r + row_span < rows and all(open_below(r + row_span - 1, cc) for cc in range(c, c + col_span)):
                row_span += 1
            for rr in range(r, r + row_span):
                for cc in range(c, c + col_span):
                    taken[rr][cc] = True
            cells.append(Cell(r, c, (xs[c], ys[r], xs[c + col_span], ys[r + row_span]), row_span, col_span))
    return cells


def cell_interior(cell: Cell, thickness: int) -> BBox:
    """A cell's box inside its rules (what to OCR)."""
    inset = thickness + 2
    x0, top, x1, bottom = cell.bbox
    return (x0 + inset, top + inset, max(x0 + inset + 1, x1 - inset), max(top + inset + 1, bottom - inset))


def box_interior(region: Region, thickness: int) -> BBox:
    return cell_interior(Cell(0, 0, region.bbox), thickness)


# ---------------------------------------------------------------- text

def remove_rules_and_boxes(ink: np.ndarray, rules: Rules, boxes: list[Region]) -> np.ndarray:
    """Ink that is neither a rule nor inside a frame or table."""
    import cv2

    text = cv2.subtract(ink, cv2.dilate(rules.both, np.ones((3, 3), np.uint8)))
    for box in boxes:
        x0, top, x1, bottom = box.bbox
        text[max(0, top - 2):bottom + 3, max(0, x0 - 2):x1 + 3] = 0
    return text


def glyph_height(text_ink: np.ndarray) -> float:
    """Median height of the ink's connected pieces that look like glyph parts."""
    import cv2

    count, _, stats, _ = cv2.connectedComponentsWithStats(text_ink)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    areas = stats[1:, cv2.CC_STAT_AREA]
    usable = heights[(heights >= 6) & (areas >= 20)]
    # Han glyphs break into radicals; the upper half of the pieces is the glyph height.
    return float(np.percentile(usable, 75)) if len(usable) else 0.0


def text_line_boxes(text_ink: np.ndarray, glyph: float) -> list[BBox]:
    """Boxes of text lines: glyphs joined across the gaps inside a line."""
    import cv2

    if glyph <= 0:
        return []
    join = max(3, int(glyph * 1.6))  # wider than the white after a full-width comma
    smeared = cv2.dilate(text_ink, cv2.getStructuringElement(cv2.MORPH_RECT, (join, 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(smeared)
    min_area = max(6, int((glyph / 10) ** 2))
    boxes = []
    for x, y, w, h, area in stats[1:]:
        if area < min_area + join or h < 0.4 * glyph:  # specks and dust (grown by the smear)
            continue
        half = join // 2
        boxes.append((int(x + half), int(y), int(x + w - half), int(y + h)))
    return sorted(boxes, key=lambda b: (b[1], b[0]))


def text_blocks(lines: list[BBox], glyph: float) -> list[BBox]:
    """Lines stacked with at most one glyph of white between them, merged into blocks."""
    blocks: list[list[int]] = []
    for x0, top, x1, bottom in sorted(lines, key=lambda b: (b[1], b[0])):
        for block in reversed(blocks):
            close = top - block[3] <= glyph * 1.0 and bottom >= block[1]
            overlap = min(x1, block[2]) > max(x0, block[0])
            if close and overlap:
                block[0], block[1] = min(block[0], x0), min(block[1], top)
                block[2], block[3] = max(block[2], x1), max(block[3], bottom)
                break
        else:
            blocks.append([x0, top, x1, bottom])
    return merge_overlapping([tuple(b) for b in blocks])


def merge_overlapping(blocks: list[BBox]) -> list[BBox]:
    """Blocks whose boxes overlap, as one: a line cut in two pieces at a wide gap (after a
    closing quote) started a block of its own beside the block its second piece joined,
    and the line was read twice."""
    merged = [list(b) for b in blocks]
    changed = True
    while changed:
        changed = False
        for i in range(len(merged)):
            for j in range(i + 1, len(merged)):
                a, b = merged[i], merged[j]
                if min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1]):
                    merged[i] = [min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3])]
                    del merged[j]
                    changed = True
                    break
            if changed:
                break
    return sorted((tuple(b) for b in merged), key=lambda b: (b[1], b[0]))


def furniture(lines: list[BBox], boxes: list[BBox], width: int, height: int, glyph: float = 0.0) -> list[tuple[str, BBox]]:
    """Lines that are running headers, footers or page numbers: ("header"|"footer", bbox).

    Narrow and alone in the top or bottom band; a line's width is that of its row (all
    pieces of the same line), never of one piece of it."""
    found = []
    everything = lines + boxes
    widest = min(width * FURNITURE_MAX_WIDTH, glyph * FURNITURE_MAX_GLYPHS) if glyph > 0 else width * FURNITURE_MAX_WIDTH
    for line in lines:
        x0, top, x1, bottom = line
        kind = "header" if bottom <= height * HEADER_BAND else "footer" if top >= height * (1 - FOOTER_BAND) else None
        row = [o for o in lines if o[1] >= top - 2 and o[3] <= bottom + 2]  # pieces of the same line
        if kind is None or max(o[2] for o in row) - min(o[0] for o in row) > widest:
            continue
        gap = FURNITURE_GAP * (bottom - top)
        neighbours = [o for o in everything if o != line and o[1] < bottom + gap and o[3] > top - gap
                      and not (o[1] >= top - 2 and o[3] <= bottom + 2)]  # same row: pieces of the same line
        if not neighbours:
            found.append((kind, line))
    return found


def text_rows(image: np.ndarray, min_gap: int = 2) -> list[BBox]:
    """Boxes of the ink rows of a small image (a table cell): one per line of text.

    Ink is what is clearly darker than the cell's paper (its median), cleaned of specks;
    rows are split where at least ``min_gap`` pixel rows hold no ink, and each box is
    trimmed to its ink left and right. A thin row spanning the crop is a remnant of the
    cell's rule, not text, and is dropped."""
    import cv2

    from ocr.preprocess import to_gray

    gray = to_gray(image)
    if gray.size == 0:
        return []
    paper = float(np.median(gray))
    ink = (gray < paper - max(40.0, 0.3 * paper)).astype(np.uint8) * 255
    # Drop specks of 1-3 pixels (scanner noise); a median filter would also erase the
    # one-pixel strokes of a serif glyph and split it into rows.
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink)
    ink[np.isin(labels, np.flatnonzero(stats[:, cv2.CC_STAT_AREA] <= 3))] = 0
    has_ink = ink.sum(axis=1) > 0
    boxes, start, blank = [], None, 0
    width = gray.shape[1]
    for y, inked in enumerate(list(has_ink) + [False] * (min_gap + 1)):
        if inked:
            start = y if start is None else start
            blank = 0
        elif start is not None:
            blank += 1
            if blank >= min_gap:
                bottom = y - blank + 1
                cols = np.flatnonzero(ink[start:bottom].any(axis=0))
                height, span = bottom - start, (int(cols[-1]) - int(cols[0]) + 1) if len(cols) else 0
                rule = height <= 4 and span >= 0.9 * width
                # Keep a thin row only when it is wide: a dash (—) is a cell's whole text.
                if span and not rule and (height >= 3 or span >= 4 * height):
                    boxes.append((int(cols[0]), start, int(cols[-1]) + 1, bottom))
                start, blank = None, 0
    return boxes


def full_width_band(bbox: BBox, width: int, height: int) -> BBox:
    pad = int(0.3 * (bbox[3] - bbox[1])) + 2
    return (0, max(0, bbox[1] - pad), width, min(height, bbox[3] + pad))


def crop(gray: np.ndarray, bbox: BBox) -> np.ndarray:
    x0, top, x1, bottom = bbox
    return gray[max(0, top):max(0, bottom), max(0, x0):max(0, x1)]
