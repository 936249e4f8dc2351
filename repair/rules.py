"""The repair rules, in the order they run, and ``repair_text`` that runs them.

Order matters: white-space-only lines must be blank before residue runs are found;
residue and sidebar lines go before words are joined (a fragment must never be glued
to a sentence); sentences are compared after their words are whole; box numbers are
inferred from the headers that remain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .agency_lists import drop_repeated_agencies
from .blocks import drop_repeated_blocks
from .boxes import renumber_boxes
from .changes import Change, Edit, TrackedText
from .context import RepairContext
from .dedupe import drop_repeated_sentences
from .fakebold import undo_fake_bold
from .fusion import fuse_scan_reading
from .letterspacing import join_letter_spaced
from .marks import drop_stray_marks
from .radicals import normalize_radicals
from .residue import drop_residue_lines
from .sidebar import set_aside_sidebar_fragments
from .table import fix_shifted_attribute_cell
from .widths import write_ocr_marks_full_width
from .alternatives import take_ocr_alternative
from .whitespace import blank_whitespace_only_lines, normalize_blank_lines, strip_line_indent, strip_trailing_whitespace
from .words import join_split_words

Rule = Callable[[str, RepairContext], list[Edit]]  # or list[(rule name, Edit)]

RULES: tuple[Rule, ...] = (
    write_ocr_marks_full_width,  # first, and the next: their offsets are the source's
    take_ocr_alternative,
    normalize_radicals,
    undo_fake_bold,
    join_letter_spaced,
    blank_whitespace_only_lines,
    drop_repeated_blocks,
    drop_residue_lines,
    set_aside_sidebar_fragments,
    fuse_scan_reading,
    strip_line_indent,
    strip_trailing_whitespace,
    join_split_words,
    drop_stray_marks,
    fix_shifted_attribute_cell,
    drop_repeated_sentences,
    drop_repeated_agencies,
    # Again: removing repeated sentences can leave a doubled paragraph behind (甲。（X负责） twice
    # becomes （X负责） twice); a second repair must find nothing the first did not.
    drop_repeated_blocks,
    renumber_boxes,
    normalize_blank_lines,
)


@dataclass(frozen=True)
class RepairResult:
    source: str
    text: str
    changes: tuple[Change, ...]
    origin: tuple[int, ...]  # source offset of each character of ``text`` (-1: written)
    context: RepairContext

    def explain(self) -> list[str]:
        """Like ftfy's explain: which rules ran and how often."""
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change.rule] = counts.get(change.rule, 0) + 1
        names = dict.fromkeys(r.__name__ for r in RULES)  # a rule that runs twice is listed once
        return [f"{rule}: {counts[rule]}" for rule in names if rule in counts]


def repair_text(source: str, context: RepairContext | None = None, rules: tuple[Rule, ...] = RULES, scan=None,
                ocr_widths: tuple = (), ocr_alternatives: tuple = ()) -> RepairResult:
    """Run the rules over ``source``; with ``scan`` (an OCR reading), fuse it in too;
    ``ocr_widths``: OCR's half-width marks in the source to write as printed;
    ``ocr_alternatives``: characters OCR was unsure of in the source, with its other readings."""
    context = context or RepairContext.for_source(source, scan=scan, ocr_widths=ocr_widths, ocr_alternatives=ocr_alternatives)
    tracked = TrackedText(source)
    for rule in rules:
        edits = rule(tracked.text, context)
        if edits and isinstance(edits[0], tuple):  # a rule that names each edit (fusion)
            tracked.apply_named(edits)
        else:
            tracked.apply(rule.__name__, edits)
        if rule is drop_repeated_blocks and edits:
            # The copy skewed what was learnt from the document (its residue alphabet
            # counted every glyph twice): learn it again from the text without the copy.
            # (ocr_widths and ocr_alternatives not again: their offsets are the source's, and their rules have run)
            context = RepairContext.for_source(tracked.text, vocab=context.vocab, scan=context.scan)
    return RepairResult(source, tracked.text, tuple(tracked.changes), tuple(tracked.origin), context)
