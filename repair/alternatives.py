"""take_ocr_alternative: OCR's 纳人 is the page's 纳入, when the document says so.

A CTC recognizer gives, for every character it reads, how probable each reading is. Where
it was unsure (``ocr.engines.uncertain_characters``: its reading below 0.9 and another at
0.2 or more) and the source is that OCR reading, this rule takes the other reading when
the document's own text decides between them:

- the other reading forms, with a neighbouring character, a pair the document uses at
  least MIN_USES times elsewhere, and the reading as made forms that pair nowhere else;
- on no side does the reading as made form a pair the document uses that the other
  reading does not (no evidence against it).

Only a Han character for a Han character: the recognizer's own hypothesis, never a
character it did not consider, and the change records the probabilities and the counts.
The 文物 plan's indicator table (an image): 纳人 (人 0.553, 入 0.446), while its text uses
纳入 eight times and 纳人 never.
"""

from __future__ import annotations

from grammar.chars import is_han

from .changes import Edit
from .context import RepairContext

MIN_USES = 2


def take_ocr_alternative(text: str, ctx: RepairContext) -> list[Edit]:
    edits = []
    for offset, (read, p_read), others in ctx.ocr_alternatives:
        if offset >= len(text) or text[offset] != read or not is_han(read):
            continue
        for other, p_other in others:
            if not is_han(other):
                continue
            uses = _pair_uses(text, offset, read, other)
            if uses is None:
                continue
            edits.append(Edit(
                offset, offset + 1, other,
                reason=f"OCR was unsure between {read} ({p_read}) and {other} ({p_other}); this document uses {' '.join(uses['other'])} and never {' '.join(uses['read'])}",
                confidence=0.9,
                evidence={"read_by": "ocr", "read": [read, p_read], "taken": [other, p_other], "document_uses": uses["counts"]},
                moved_from=(offset,),  # the same glyph, its other reading
            ))
            break
    return edits


def _pair_uses(text: str, offset: int, read: str, other: str) -> dict | None:
    """The evidence for ``other`` over ``read`` at ``offset`` from the pairs each forms with
    its neighbours elsewhere in ``text``, or None when there is none (or some against)."""
    counts, for_other, against = {}, [], False
    for before, after in ((text[offset - 1] if offset else "", ""), ("", text[offset + 1] if offset + 1 < len(text) else "")):
        neighbour = before or after
        if not is_han(neighbour):
            continue
        as_read, as_other = before + read + after, before + other + after
        n_read = text.count(as_read) - 1  # not the one here
        n_other = text.count(as_other)
        counts[as_read], counts[as_other] = n_read, n_other
        if n_other >= MIN_USES and n_read == 0:
            for_other.append(as_other)
        elif n_read > 0 and n_other == 0:
            against = True
    if not for_other or against:
        return None
    return {"counts": counts, "other": for_other, "read": [k for k in counts if k not in for_other and counts[k] == 0 and read in k]}
