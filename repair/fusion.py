"""fuse_scan_reading: fuse a damaged text extract with an OCR reading of its scan.

The text extract stays the source: fusion proposes edits to it, recorded in the change
log like any rule's (``take_ocr_reading``, ``fill_from_scan``), so replaying the log
still rebuilds the output, and every character taken from the scan carries its page,
box and confidence as evidence (and its origin points into the scan reading). It runs
once residue and sidebar fragments are gone: their own rules judge and count them.

The two readings are aligned character by character (rapidfuzz). Then, per aligned
region:
- both agree: nothing to do (the characters are confirmed);
- they differ: the scan wins when OCR was confident or the extract is residue there;
  the extract keeps its reading when OCR was unsure, and keeps the digits of a number
  it holds intact, box numbers excepted (OCR misreads digits confidently);
- the scan has text the extract lacks: the scan fills it in (lost body text, lost
  characters like 徐[州]);
- the extract has text the scan lacks: fusion leaves it to the repair rules (residue,
  repeated sentences, split words are theirs to judge and explain).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from grammar.chars import han_chars
from grammar.headers import box_header_match

from .changes import Edit, scan_origin

LOW_CONFIDENCE = 0.80  # below this, an OCR character does not overrule an intact extract


@dataclass(frozen=True)
class ScanReading:
    """OCR text in reading order, laid out like an extract (tabs in table rows,
    blank lines between blocks), with where each character came from."""

    text: str
    confidence: tuple[float, ...]  # per character
    where: tuple[tuple[int, tuple[int, int, int, int]] | None, ...]  # per character: (page, line bbox)
    # The text it is fused with is good where it has text (a sound PDF text layer whose
    # tables or boxes are images): the reading may only fill what that text lacks.
    fill_only: bool = False
    # Fixes of the text layer's own garbled spans, measured from its glyph positions
    # (ocr.layer_glyphs.GlyphFix): applied where their line stands unchanged.
    glyph_fixes: tuple = ()
    # OCR's half-width marks inside Chinese text, written full-width in ``text`` (records
    # with offset, before, after, context: ocr.punctuation): fusion compares the marks as
    # printed; where the reading is itself the source, it starts from ``read_text``.
    widths: tuple = ()
    # Characters the recognizer was unsure of, with its other readings (offset, (read, p),
    # ((other, p), ...)): where the reading is the source, repair may take another reading.
    alternatives: tuple = ()

    @property
    def read_text(self) -> str:
        """The text as OCR read it."""
        chars = list(self.text)
        for change in self.widths:
            chars[change.offset] = change.before
        return "".join(chars)

    def __post_init__(self):
        if not (len(self.text) == len(self.confidence) == len(self.where)):
            raise ValueError("a scan reading needs one confidence and one location per character")


def fuse_scan_reading(text: str, ctx) -> list[tuple[str, Edit]]:
    """The rule: nothing to do without a scan reading in the repair context."""
    if ctx.scan is None:
        return []
    return glyph_fix_edits(text, ctx.scan.glyph_fixes) + fuse_edits(text, ctx.scan, ctx.alphabet)


def glyph_fix_edits(text: str, fixes) -> list[tuple[str, Edit]]:
    """The layer fixes its glyph positions evidence, each on the one line of ``text`` that
    is exactly the line it was measured on (none where that line is changed or repeated)."""
    lines: dict[str, list[int]] = {}
    start = 0
    for line in text.split("\n"):
        lines.setdefault(line, []).append(start)
        start += len(line) + 1
    out = []
    for fix in fixes:
        found = lines.get(fix.line, [])
        if len(found) != 1 or fix.line[fix.start:fix.end] == fix.after:
            continue
        at = found[0]
        evidence = fix.evidence | {"line": fix.line}
        out.append((fix.rule, Edit(at + fix.start, at + fix.end, fix.after, fix.reason, 1.0, evidence)))
    return out


def fuse_edits(extract: str, scan: ScanReading, residue_alphabet: frozenset[str] = frozenset()) -> list[tuple[str, Edit]]:
    """(rule name, edit) pairs against ``extract`` that bring in what the scan reads better."""
    out: list[tuple[str, Edit]] = []
    for (a_start, a_end), (b_start, b_end) in _differing_blocks(extract, scan.text):
        ours, theirs = extract[a_start:a_end], scan.text[b_start:b_end]
        if not theirs.strip():
            continue  # the scan has nothing here: residue, repeats, split words are repair's to judge
        if not _adds_reading(ours, theirs) or _punctuation_only(ours, theirs):
            continue
        if not _same_row_shape(extract, a_start, a_end, scan.text, b_start, b_end):
            continue
        confidence = _mean(scan.confidence[b_start:b_end])
        evidence = {"scan": _locations(scan, b_start, b_end), "ocr_confidence": round(confidence, 3)}
        if not ours.strip():
            out.append(("fill_from_scan", Edit(a_start, a_end, theirs, "the scan reads text the extract lost here", confidence, evidence, origins=_origins(b_start, b_end))))
        elif scan.fill_only:
            continue  # the text holds a sound reading here: OCR never replaces it
        elif _is_residue(ours, residue_alphabet):
            why = "the extract holds only residue here"
            out.append(("take_ocr_reading", Edit(a_start, a_end, theirs, why, confidence, evidence | {"extract_read": ours}, origins=_origins(b_start, b_end))))
        elif confidence >= LOW_CONFIDENCE:
            why = "the scan reads this clearly and the extract differs"
            for start, end, after, origins in _sub_edits(ours, theirs, a_start, b_start):
                if _changes_a_number(extract, start, end, after) or _touches_footnote_mark(extract, start, end):
                    continue
                out.append(("take_ocr_reading", Edit(start, end, after, why, confidence, evidence | {"extract_read": ours}, origins=origins)))
    return out


def _sub_edits(ours: str, theirs: str, a_start: int, b_start: int):
    """The scan's reading of a block as edits of its differing parts only.

    What both read stays untouched (keeping its source offsets); white space and
    punctuation the OCR merely left out or read in another width stay too; the rest is
    replaced by the scan's reading, or dropped where the scan shows nothing."""
    for op in Levenshtein.opcodes(ours, theirs):
        removed, after = ours[op.src_start:op.src_end], theirs[op.dest_start:op.dest_end]
        if op.tag == "equal" or _plain(removed) == _plain(after) or _punctuation_only(removed, after):
            continue
        if op.tag == "delete":
            for i, j in _runs(removed, lambda c: not _is_mark(c)):
                yield a_start + op.src_start + i, a_start + op.src_start + j, "", ()
            continue
        yield a_start + op.src_start, a_start + op.src_end, after, _origins(b_start + op.dest_start, b_start + op.dest_end)


def _changes_a_number(extract: str, start: int, end: int, after: str) -> bool:
    """True when the edit would alter digits of a number the extract holds intact.

    OCR misreads digits (1 for 4, 8 for 0) with high confidence, and nothing in the
    text checks a figure in a sentence or a table cell, so those stay as extracted (a
    failed row check is flagged by extraction instead). A box number is the exception:
    the extract's are often wrong (10 for 6 in the corpus), and the box sequence checks
    whatever the scan reads (renumber_boxes runs after fusion)."""
    around = extract[max(0, start - 1):end + 1]
    if not any(_is_digit(c) for c in around) or not any(_is_digit(c) for c in extract[start:end] + after):
        return False
    line_start = extract.rfind("\n", 0, start) + 1
    line_end = extract.find("\n", end)
    return box_header_match(extract[line_start:line_end if line_end >= 0 else len(extract)]) is None


def _is_digit(char: str) -> bool:
    return unicodedata.category(char) == "Nd"


def _touches_footnote_mark(extract: str, start: int, end: int) -> bool:
    """True when the edit touches a table's footnote mark (a circled number ②, printed
    as a superscript, that an extract writes `` ^②``): OCR reads a small ② as ® or ª
    with high confidence, and the mark ties the cell to its note."""
    return any(c == "^" or unicodedata.category(c) == "No" for c in extract[max(0, start - 1):end + 1])


def _runs(text: str, wanted):
    start = None
    for i, c in enumerate(text + "\0"):
        if i < len(text) and wanted(c):
            start = i if start is None else start
        elif start is not None:
            yield start, i
            start = None


def _is_mark(char: str) -> bool:
    return char.isspace() or unicodedata.category(char).startswith("P")


def _punctuation_only(ours: str, theirs: str) -> bool:
    """。 read as · : OCR confuses punctuation marks; the extract's own mark stands."""
    return all(_is_mark(c) for c in ours) and all(_is_mark(c) for c in theirs)


def _same_row_shape(extract: str, a_start: int, a_end: int, scan_text: str, b_start: int, b_end: int) -> bool:
    """A block touching table rows is taken only if the scan's lines there have the same cells."""
    ours = _row_shapes(extract, a_start, a_end)
    return not ours or ours == _row_shapes(scan_text, b_start, b_end)


def _row_shapes(text: str, start: int, end: int) -> list[int]:
    """Tab counts of the table rows (3 tabs or more) among the lines a span touches."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    lines = text[first:last if last != -1 else len(text)].split("\n")
    return [line.count("\t") for line in lines if line.count("\t") >= 3]


def _line_around(text: str, position: int) -> str:
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    return text[start:end if end != -1 else len(text)]


MIN_ANCHOR = 3  # agreeing characters needed to separate two differing blocks


def _differing_blocks(a: str, b: str):
    """Spans where the readings differ, merged across agreements too short to trust."""
    block = None
    for op in Levenshtein.opcodes(a, b):
        if op.tag == "equal" and (op.src_end - op.src_start >= MIN_ANCHOR or block is None):
            if block:
                yield block
            block = None
            continue
        if block is None:
            block = ((op.src_start, op.src_end), (op.dest_start, op.dest_end))
        else:
            block = ((block[0][0], op.src_end), (block[1][0], op.dest_end))
    if block:
        yield block


def _adds_reading(ours: str, theirs: str) -> bool:
    """False when the scan only drops characters the extract has (or differs in white
    space and character width): OCR missing a dot or a space is no evidence of damage."""
    a, b = _plain(ours), _plain(theirs)
    if a == b:
        return False
    i = 0
    for char in a:
        if i < len(b) and b[i] == char:
            i += 1
    return i < len(b)  # b is not a subsequence of a


def _keeps_table_structure(ours: str, theirs: str) -> bool:
    """A table row is taken from the scan only cell for cell: the same tabs."""
    return "\t" not in ours or ours.count("\t") == theirs.count("\t")


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKC", "".join(text.split()))


def _is_residue(text: str, alphabet: frozenset[str]) -> bool:
    """Stray glyphs of lost text (or only white space): nothing there to keep."""
    han = han_chars(text)
    if not text.strip():
        return True
    return bool(han) and all(c in alphabet for c in han)


def _origins(start: int, end: int) -> tuple[int, ...]:
    return tuple(scan_origin(i) for i in range(start, end))


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def _locations(scan: ScanReading, start: int, end: int) -> list[dict]:
    """The distinct (page, line box) regions a span of the scan reading came from."""
    seen: list[dict] = []
    for where in scan.where[start:end]:
        if where is None:
            continue
        page, bbox = where
        record = {"page": page, "bbox": list(bbox)}
        if record not in seen:
            seen.append(record)
    return seen


def confirmed_locations(extract: str, scan: ScanReading) -> tuple:
    """For each character of the extract, where the scan shows the same character (its
    page and line box), or None: the characters both readings confirm."""
    where: list = [None] * len(extract)
    for op in Levenshtein.opcodes(extract, scan.text):
        if op.tag == "equal":
            for k in range(op.src_end - op.src_start):
                where[op.src_start + k] = scan.where[op.dest_start + k]
    return tuple(where)
