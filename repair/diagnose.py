"""Diagnose before repairing: what damage does this document show, and where.

A repair rule that deletes or rewrites text runs only where the damage it repairs is
evidenced (principle: do no harm). ``diagnose`` measures that evidence once, on the
source as read, and the rules consult it through the ``RepairContext``:

- ``glyph_loss``: body text whose font lost its Unicode mapping leaves a small residue
  alphabet (产, 创, 公 …) on many short lines that read as no word (产 产 产, 创). Clean
  short lines — table cells split one per line (约束性, 下降15%, 2), an issuer line (国务院),
  a heading — are words or numbers, so they are no evidence. Residue deletion, sidebar
  fragments and stray marks are the damage of such an extract and run only where it shows.
- the self-evidencing kinds (Kangxi radicals, doubled glyphs, spaced-out type, a line
  break inside a word, a sentence or block printed twice in a row — near repeats go
  only inside such a block —, a list naming one body twice, an attribute cell shifted
  into the first column, box numbers out of sequence) show in the edit itself: each rule records
  its evidence per edit, and ``damage_report`` counts them into ``document.damage``.

The diagnosis is a plain value: per kind, found or not, the figures it rests on and the
source lines where it shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grammar.chars import han_chars
from grammar.headers import BOX_HEADER_RE

from .layout import is_fragment_shaped, split_lines
from .vocab import Vocabulary

# Residue lines a document must show before glyph loss counts as evidenced: the seed
# shows 265; a clean plan with a table flattened one cell per line shows none (every
# cell is a word or a number), so the margin is wide on both sides.
MIN_RESIDUE_LINES = 8
# Of them, lines of glyphs scattered apart (产 产 主): a flattened table of one-glyph
# cells (是, 否) is no word either, but never prints several glyphs spaced on one line.
MIN_SCATTERED_LINES = 3
# Residue is made of the few glyphs that kept their mapping, each seen again and again:
# distinct ideographs per ideograph on those lines (the seed: 38 in 390, 0.1).
MAX_DISTINCT_SHARE = 0.5
# A residue line reads as no word: under half its ideographs sit in dictionary words.
MAX_WORD_COVERAGE = 0.5
MAX_WHERE = 40  # source spans listed per kind; the count says how many there were


@dataclass(frozen=True)
class Finding:
    kind: str
    found: bool
    evidence: dict = field(default_factory=dict)
    where: tuple[tuple[int, int], ...] = ()  # (start_line, end_line), 1-based, in the source

    def to_json(self) -> dict:
        return {
            "found": self.found,
            "evidence": self.evidence,
            "where": [{"start_line": a, "end_line": b} for a, b in self.where[:MAX_WHERE]],
        }


@dataclass(frozen=True)
class Diagnosis:
    findings: tuple[Finding, ...]

    def found(self, kind: str) -> bool:
        return any(f.kind == kind and f.found for f in self.findings)

    def get(self, kind: str) -> Finding | None:
        return next((f for f in self.findings if f.kind == kind), None)

    def to_json(self) -> dict:
        return {f.kind: f.to_json() for f in self.findings}


def diagnose(source: str, vocab: Vocabulary) -> Diagnosis:
    return Diagnosis((glyph_loss(source, vocab),))


def reads_as_no_word(line: str, vocab: Vocabulary) -> bool:
    """Ideographs of which under half sit in dictionary words (产 产 产, 创; not 约束性)."""
    han = "".join(han_chars(line))
    return bool(han) and vocab.coverage(han) < MAX_WORD_COVERAGE


def reads_as_cut_word(line: str, vocab: Vocabulary) -> bool:
    """Some ideograph outside every dictionary word: a word cut at the line's edge
    (海外知, 报告建), or glyphs that read as no word at all."""
    han = "".join(han_chars(line))
    return bool(han) and vocab.coverage(han) < 1.0


def residue_lines(source: str, vocab: Vocabulary) -> list[tuple[int, str]]:
    """(1-based line number, text) of short lines whose ideographs read as no word."""
    return [
        (number, line)
        for number, (_, _, line) in enumerate(split_lines(source), start=1)
        if line.strip() and is_fragment_shaped(line) and not BOX_HEADER_RE.match(line) and reads_as_no_word(line, vocab)
    ]


def glyph_loss(source: str, vocab: Vocabulary) -> Finding:
    lines = residue_lines(source, vocab)
    han = [c for _, line in lines for c in han_chars(line)]
    distinct = len(set(han)) / len(han) if han else 1.0
    scattered = sum(1 for _, line in lines if len(line.split()) >= 2)
    found = len(lines) >= MIN_RESIDUE_LINES and distinct <= MAX_DISTINCT_SHARE and scattered >= MIN_SCATTERED_LINES
    return Finding(
        "glyph_loss",
        found,
        {
            "residue_lines": len(lines),
            "scattered_lines": scattered,
            "glyphs": "".join(sorted(set(han))),
            "distinct_share": round(distinct, 3),
            "needs": (
                f">= {MIN_RESIDUE_LINES} short lines that read as no word, {MIN_SCATTERED_LINES} of them scattered glyphs,"
                f" few distinct glyphs (<= {MAX_DISTINCT_SHARE} per glyph)"
            ),
        },
        _spans(n for n, _ in lines),
    )


# Kinds counted from the change log, so the report and the rules cannot disagree: the
# damage shows in each edit itself, or (sidebar pieces, stray marks) its rule runs only
# where glyph loss is evidenced and records its own evidence per edit.
SELF_EVIDENCING = {
    "normalize_radicals": "kangxi_radicals",
    "undo_fake_bold": "doubled_glyphs",
    "join_letter_spaced": "letter_spacing",
    "join_split_words": "split_words",
    "set_aside_sidebar_fragments": "sidebar_fragments",
    "drop_stray_marks": "stray_marks",
    "drop_repeated_blocks": "repeated_blocks",
    "drop_repeated_sentences": "repeated_sentences",
    "drop_repeated_agencies": "repeated_agencies",
    "fix_shifted_attribute_cell": "shifted_cells",
    "renumber_boxes": "box_numbers",
}


def damage_report(diagnosis: Diagnosis, changes) -> dict:
    """``document.damage``: the diagnosis, then the kinds evidenced edit by edit."""
    report = diagnosis.to_json()
    for rule, kind in SELF_EVIDENCING.items():
        mine = [c for c in changes if c.rule == rule]
        lines = [c.source.line for c in mine if c.source is not None]
        report[kind] = Finding(kind, bool(mine), {"changes": len(mine)}, _spans(sorted(lines))).to_json()
    return report


def _spans(numbers) -> tuple[tuple[int, int], ...]:
    """Consecutive line numbers (gaps of blank lines allowed, up to 2) as spans."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n - spans[-1][1] <= 2:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return tuple((a, b) for a, b in spans)
