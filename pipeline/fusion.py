"""Fuse a damaged text extract with an OCR reading of the same document's scan.

The text extract stays the source: fusion proposes edits to it, which become the
first records of the change log, so replaying the log still rebuilds the output and
every character taken from the scan carries its page, box and confidence as evidence.

The two readings are aligned character by character (rapidfuzz). Then, per aligned
region:
- both agree: nothing to do (the characters are confirmed);
- they differ: the scan wins when OCR was confident or the extract is residue there;
  the extract keeps its reading when OCR was unsure;
- the scan has text the extract lacks: the scan fills it in (lost body text, lost
  characters like 徐[州]);
- the extract has text the scan lacks: fusion leaves it to the repair rules (residue,
  repeated sentences, split words are theirs to judge and explain).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from repair.changes import Edit, scan_origin
from repair.chars import han_chars

LOW_CONFIDENCE = 0.80  # below this, an OCR character does not overrule an intact extract


@dataclass(frozen=True)
class ScanReading:
    """OCR text in reading order, laid out like an extract (tabs in table rows,
    blank lines between blocks), with where each character came from."""

    text: str
    confidence: tuple[float, ...]  # per character
    where: tuple[tuple[int, tuple[int, int, int, int]] | None, ...]  # per character: (page, line bbox)

    def __post_init__(self):
        if not (len(self.text) == len(self.confidence) == len(self.where)):
            raise ValueError("a scan reading needs one confidence and one location per character")


def fuse_edits(extract: str, scan: ScanReading, residue_alphabet: frozenset[str] = frozenset()) -> list[tuple[str, Edit]]:
    """(rule name, edit) pairs against ``extract`` that bring in what the scan reads better."""
    out: list[tuple[str, Edit]] = []
    for (a_start, a_end), (b_start, b_end) in _differing_blocks(extract, scan.text):
        ours, theirs = extract[a_start:a_end], scan.text[b_start:b_end]
        if not theirs.strip():
            continue  # the scan has nothing here: residue, repeats, split words are repair's to judge
        confidence = _mean(scan.confidence[b_start:b_end])
        evidence = {"scan": _locations(scan, b_start, b_end), "ocr_confidence": round(confidence, 3)}
        if not ours.strip():
            out.append(("fill_from_scan", Edit(a_start, a_end, theirs, "the scan reads text the extract lost here", confidence, evidence, origins=_origins(b_start, b_end))))
        elif _is_residue(ours, residue_alphabet) or confidence >= LOW_CONFIDENCE:
            why = "the extract holds only residue here" if _is_residue(ours, residue_alphabet) else "the scan reads this clearly and the extract differs"
            out.append(("take_ocr_reading", Edit(a_start, a_end, theirs, why, confidence, evidence | {"extract_read": ours}, origins=_origins(b_start, b_end))))
    return out


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
