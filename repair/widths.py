"""write_ocr_marks_full_width: OCR's ``(一)`` is the page's ``（一）``.

An OCR engine reads a full-width （ ） ， ： ； as its ASCII look-alike (the glyphs
differ only in their advance, which a line crop does not show). Where the source is
itself an OCR reading, ``ocr.punctuation`` has found each such mark inside Chinese text
and handed its offset over (``RepairContext.ocr_widths``); this rule writes the full
form there, one character for one, each a recorded change. Text that did not come from
OCR (an extract, a text layer, a Word file) is never touched: a clean document that
prints ``(一)`` keeps it.
"""

from __future__ import annotations

from .changes import Edit
from .context import RepairContext

REASON = "OCR reads the full-width mark as its ASCII look-alike; inside Chinese text the page prints the full form"


def write_ocr_marks_full_width(text: str, ctx: RepairContext) -> list[Edit]:
    return [
        Edit(
            change.offset,
            change.offset + 1,
            change.after,
            reason=REASON,
            confidence=0.95,
            evidence={"read_by": "ocr", "context": change.context},
            moved_from=(change.offset,),  # the same glyph OCR read, written as printed
        )
        for change in ctx.ocr_widths
        if change.offset < len(text) and text[change.offset] == change.before
    ]
