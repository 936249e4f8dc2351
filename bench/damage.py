"""A seeded damage model: the clean text of a generated plan, damaged the way real
extracts are, with a record of every damage so scores can be given per kind.

Each damage kind is one small function ``(state, profile) -> records``: it edits the
working text through ``_State.apply`` and returns what it did. The kinds aim at a
``Layout``: the clean text and the spans in it they need (boxes, paragraphs, sentences,
agency statements, the table, the gaps between blocks). A generated plan gives one
(``plan_layout``), and so does the clean text of a real document (bench.realdamage);
a kind whose spans a text lacks does not occur in it. The working text keeps,
for every character, where it came from:

- ``align[i]``: the truth offset the character stands for (a copy of a true character,
  a doubled glyph, a radical look-alike: the same offset), or -1 for text that is not
  in the truth at all (residue, a sidebar fragment, a line break, a wrong box number);
- ``source[i]``: the id of the damage that wrote it, or -1.

A ``Damage`` record names its kind, the truth ``region`` it touches (where the repaired
text must equal the truth for the damage to count as repaired; an empty region is a
point between two characters) and, for damage that destroys text, the truth span
``lost`` for good (truncated or dropped agency statements: nothing can bring it back).

``DEFAULT`` is calibrated on what the corpus document shows (see the notes at each
rate); ``HEAVY`` is about three times worse and reaches places the corpus does not
show (residue inside boxes, letter-spaced paragraphs and titles, doubled header lines).

Two splits. The ``calibrated`` split (``DEFAULT``, ``HEAVY``) makes damage in the shapes
the corpus shows, which are also the shapes the repair rules were written for. The
``heldout`` split (``HELDOUT``: the default rates) makes the same kinds independently of
the rules: near-duplicates swap verbs of a list written here (phrases.HELDOUT_SWAP_GROUPS),
sidebar fragments run to 12 characters and keep their punctuation, hard wraps come at
any width from 8 to 60 characters with ragged line ends (where Chinese typesetting may
break a line), box numbers are misprinted in
several ways (doubled, dropped or transposed digits, OCR look-alikes, 1 4), and line
breaks fall anywhere inside agency names. Nothing here reads the repair rules' data or
limits: the held-out figures say how the rules fare on damage they were not tuned on.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field

from grammar.chars import is_han

from . import phrases as P
from .generate import LEAD, Box, Paragraph, Plan, Table

NOT_TRUTH = -1


@dataclass(frozen=True)
class Damage:
    id: int
    kind: str
    region: tuple[int, int]  # truth span; start == end: the point between two characters
    lost: tuple[int, int] | None = None  # truth characters removed for good
    detail: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Layout:
    """What the damage kinds aim at in a clean text, as offsets into it: a generated
    plan's (``plan_layout``) or a real document's (bench.realdamage). A part the text
    lacks is empty, and the damage that needs it does not occur."""

    text: str
    title_span: tuple[int, int] | None
    table: Table | None  # the key-indicators table (rows with an attribute cell)
    table_lines: tuple[tuple[int, int], ...]  # lines of tab-separated cells: where trailing tabs go
    boxes: tuple[Box, ...]
    loose: tuple[Paragraph, ...] = ()  # paragraphs outside any box (a real document's body)
    gaps: tuple[int, ...] = ()  # block starts where lost text leaves residue
    body: tuple[tuple[str, ...], ...] = ()  # per gap: paragraphs whose glyphs a broken font leaves there
    alphabet: str = ""  # the residue glyphs of the broken font


def plan_layout(plan: Plan) -> Layout:
    table = plan.table
    lines = ((table.start, table.end),) + tuple((r.start, r.end) for r in table.rows)
    return Layout(plan.text, plan.title_span, table, lines, plan.boxes, (), plan.gaps, plan.body, plan.alphabet)


@dataclass(frozen=True)
class Damaged:
    plan: Plan | Layout  # the clean document: a generated plan, or a real text's layout
    profile: str
    seed: int
    text: str
    align: tuple[int, ...]
    source: tuple[int, ...]
    records: tuple[Damage, ...]

    @property
    def truth_text(self) -> str:
        return self.plan.text

    def lost_spans(self) -> list[tuple[int, int]]:
        return sorted(r.lost for r in self.records if r.lost)

    def lost_characters(self) -> int:
        covered = set()
        for start, end in self.lost_spans():
            covered.update(range(start, end))
        return len(covered)

    def entries_with(self, key: str) -> set[tuple[int, int]]:
        """(start, end) truth offsets of agency entries a damage marked: ``lost_entries``
        (the name is gone), ``cut_entries`` (part of the name is gone),
        ``role_unknown_entries`` (the name survives, the role words after it do not)."""
        out = set()
        for r in self.records:
            for span in r.detail.get(key, ()):
                out.add(tuple(span))
        return out


# ---------------------------------------------------------------- profiles


CALIBRATED = "calibrated"
HELD_OUT = "heldout"


@dataclass(frozen=True)
class Profile:
    name: str
    rates: dict
    split: str = CALIBRATED  # which shapes the damage takes (see the module docstring)

    def rate(self, key: str) -> float:
        return self.rates.get(key, 0.0)


# Calibration on the corpus document (15 boxes, ~33 items, ~20 agency statements, one
# 8-row table, 16 gaps between blocks):
DEFAULT = Profile(
    "default",
    {
        "residue": 0.5,  # per gap: stray lines not traceable to a paragraph (“ ”, digits)
        "residue_lines": (1, 8),
        "body_dropped": 0.9,  # per lost body paragraph: it leaves residue (every gap has some)
        "sidebar": 0.25,  # per box: 4 of 15 boxes carry cut sidebar lines
        "repeat": 0.06,  # per item: 2 of 33 items repeat sentences 2-4x
        "near_dup": 0.03,  # per item: 1 of 33 (支持/鼓励 variant)
        "split_word": 0.03,  # per paragraph: box 2 (国家知|识产权局, 探|索建立)
        "line_wrap": 0.03,  # per paragraph: box 2 is hard-wrapped
        "stray_mark_title": 0.05,  # per box title: 1 of 15 (知识产权/保护)
        "stray_mark": 0.005,  # per paragraph: none seen, kept low
        "box_number_skipped": 0.15,  # per box: 6->10, 8->9, 9->10
        "box_number_duplicated": 0.05,
        "box_number_split": 0.05,  # 14 -> '11 4'
        "box_number_missing": 0.02,  # not seen; low
        "agency_repeat": 0.10,  # per statement: 2 of ~20 lists repeat names
        "agency_truncated": 0.05,  # 1 of ~20 (box 14)
        "agency_dropped": 0.05,  # 1 of ~20 (box 13)
        "table_shift": 0.5,  # per table: the last 3 rows of the corpus table
        "letter_spacing_header": 0.5,  # 指 标
        "letter_spacing_name": 0.02,  # not seen; low
        "letter_spacing_title": 0.02,
        "kangxi": 0.05,  # per document (a font with radical code points); not seen in the corpus
        "kangxi_chars": (1, 3),
        "fake_bold_title": 0.02,  # not seen in the corpus; low
        "fake_bold_lead": 0.01,
        "trailing_tabs": 0.5,  # per table: every corpus table line ends in a tab
        "whitespace_line": 0.25,  # per gap: 4 lines holding a space
        "extra_blank_lines": 0.35,  # per gap: 6 gaps have 3 empty lines
        "indent": 0.01,  # per paragraph
    },
)

HEAVY = Profile(
    "heavy",
    {
        "residue": 0.9,
        "residue_lines": (2, 20),
        "body_dropped": 1.0,
        "residue_in_box": 0.15,  # per box: a page break inside a box leaves residue between items
        "sidebar": 0.6,
        "repeat": 0.18,
        "near_dup": 0.1,
        "split_word": 0.1,
        "line_wrap": 0.1,
        "stray_mark_title": 0.15,
        "stray_mark": 0.03,
        "box_number_skipped": 0.25,
        "box_number_duplicated": 0.12,
        "box_number_split": 0.1,
        "box_number_missing": 0.06,
        "agency_repeat": 0.3,
        "agency_truncated": 0.12,
        "agency_dropped": 0.1,
        "table_shift": 1.0,
        "letter_spacing_header": 1.0,
        "letter_spacing_name": 0.1,
        "letter_spacing_title": 0.1,
        "letter_spacing_plan_title": 0.3,
        "letter_spacing_paragraph": 0.03,
        "kangxi": 0.5,
        "kangxi_chars": (2, 6),
        "fake_bold_title": 0.1,
        "fake_bold_header": 0.05,  # the whole header line, 专栏 and number included
        "fake_bold_lead": 0.05,
        "trailing_tabs": 1.0,
        "whitespace_line": 0.5,
        "extra_blank_lines": 0.6,
        "indent": 0.05,
    },
)

# The held-out split at the default rates, so its column compares with the default one.
# Box numbers: the default's 11 4 split becomes five misprint kinds, each with its rate
# among the boxes it fits (a dropped digit needs two): about as many of each, and about
# as many wrong numbers in all as the default prints.
# Name breaks are drawn per agency statement (the default's split words per paragraph).
HELDOUT = Profile(
    "heldout",
    {
        **DEFAULT.rates,
        "box_number_doubled_digit": 0.02,
        "box_number_lookalike": 0.03,
        "box_number_dropped_digit": 0.03,
        "box_number_transposed": 0.03,
        "box_number_split": 0.03,
        "split_name": 0.08,
    },
    split=HELD_OUT,
)

PROFILES = {p.name: p for p in (DEFAULT, HEAVY, HELDOUT)}

KINDS = (
    "residue",
    "body_dropped",
    "residue_in_box",
    "sidebar",
    "repeat",
    "near_dup",
    "split_word",
    "line_wrap",
    "stray_mark",
    "box_number_skipped",
    "box_number_duplicated",
    "box_number_split",
    "box_number_missing",
    "box_number_doubled_digit",
    "box_number_dropped_digit",
    "box_number_transposed",
    "box_number_lookalike",
    "agency_repeat",
    "agency_truncated",
    "agency_dropped",
    "table_shift",
    "letter_spacing",
    "kangxi",
    "fake_bold",
    "layout_whitespace",
)
# Kinds that destroy text: scored by whether the loss is reported, not by repair.
LOSSY = ("agency_truncated", "agency_dropped")


# ---------------------------------------------------------------- the working text


class _State:
    def __init__(self, doc: Layout, rng: random.Random):
        self.doc = doc
        self.truth = doc.text
        self.rng = rng
        self.text = doc.text
        self.align = list(range(len(doc.text)))
        self.source = [NOT_TRUTH] * len(doc.text)
        self.records: list[Damage] = []
        self.touched = bytearray(len(doc.text) + 1)  # truth offsets some damage already uses
        self.broken: set[int] = set()  # paragraphs (by start) already given line breaks
        self._pos: list[int] | None = None

    # positions

    def pos(self, t: int) -> int:
        """Where truth offset ``t`` (its first copy) is now; the text end for len(truth)."""
        if t >= len(self.truth):
            return len(self.text)
        if self._pos is None:
            pos = [-1] * len(self.truth)
            for i, a in enumerate(self.align):
                if a >= 0 and pos[a] < 0:
                    pos[a] = i
            self._pos = pos
        return self._pos[t]

    def end_pos(self, t_end: int) -> int:
        """Just past the last character standing for truth offset ``t_end - 1`` (copies included)."""
        p = self.pos(t_end - 1)
        while p + 1 < len(self.align) and self.align[p + 1] == t_end - 1:
            p += 1
        return p + 1

    def alive(self, start: int, end: int) -> bool:
        """None of truth[start:end] was removed or is used by another damage."""
        return all(self.pos(t) >= 0 for t in range(start, end)) and not any(self.touched[start:end])

    def touch(self, start: int, end: int) -> None:
        for t in range(start, max(end, start + 1)):
            self.touched[t] = 1

    # records and edits

    def record(self, kind: str, region: tuple[int, int], lost=None, **detail) -> Damage:
        damage = Damage(len(self.records), kind, region, lost, detail)
        self.records.append(damage)
        return damage

    def apply(self, edits: list[tuple[int, int, str, list[int], int]]) -> None:
        """Edits (start, end, new text, its truth offsets, damage id) in current positions."""
        if not edits:
            return
        edits.sort(key=lambda e: (e[0], e[1]))
        text, align, source = [], [], []
        cursor = 0
        for start, end, new, new_align, damage_id in edits:
            if start < cursor:
                raise ValueError(f"overlapping damage edits at {start}")
            text.append(self.text[cursor:start])
            align.extend(self.align[cursor:start])
            source.extend(self.source[cursor:start])
            text.append(new)
            align.extend(new_align)
            source.extend([damage_id] * len(new))
            cursor = end
        text.append(self.text[cursor:])
        align.extend(self.align[cursor:])
        source.extend(self.source[cursor:])
        self.text = "".join(text)
        self.align = align
        self.source = source
        self._pos = None

    def junk(self, text: str) -> list[int]:
        return [NOT_TRUTH] * len(text)


def damage_plan(plan: Plan, profile: Profile = DEFAULT, seed: int | None = None) -> Damaged:
    """The damaged document of ``plan`` under ``profile``, seeded (by default from the plan's seed)."""
    seed = plan.seed if seed is None else seed
    state = run_damage(plan_layout(plan), profile, random.Random(f"{profile.name}:{seed}"))
    return Damaged(plan, profile.name, seed, state.text, tuple(state.align), tuple(state.source), tuple(state.records))


def run_damage(doc: Layout, profile: Profile, rng: random.Random) -> _State:
    """Every damage kind, in order, on the clean text of ``doc``."""
    state = _State(doc, rng)
    for step in STEPS:
        step(state, profile)
    return state


# ---------------------------------------------------------------- helpers over the layout


def _all_paragraphs(doc: Layout):
    """(box index, box, paragraph): the boxes' paragraphs first, then those outside boxes
    (None, None): a generated plan's order, which the seeded draws follow."""
    for j, box in enumerate(doc.boxes):
        for para in box.paragraphs:
            yield j, box, para
    for para in doc.loose:
        yield None, None, para


def _statements(doc: Layout):
    for j, box, para in _all_paragraphs(doc):
        for s in para.statements:
            yield j, box, para, s


def _items(doc: Layout):
    for j, box, para in _all_paragraphs(doc):
        if para.is_item:
            yield j, box, para


def _paragraphs(doc: Layout):
    """Paragraphs of running text (tables are left alone)."""
    for j, box, para in _all_paragraphs(doc):
        if not para.is_table:
            yield j, box, para


def _line_start(text: str, t: int) -> tuple[int, str]:
    """Where whole lines go in before the paragraph at ``t`` (its line start, before any
    indentation) and the break that closes them: a blank line between blocks, a line
    break between the lines of one block (a real document's list items)."""
    while t > 0 and text[t - 1] in " \u3000\t":
        t -= 1
    return t, ("\n\n" if t < 2 or text[t - 2:t] == "\n\n" else "\n")


def _clauses(statement):
    """Runs of consecutive entries with the same role: the lists repair compares within."""
    runs: list[list] = []
    for entry in statement.entries:
        if runs and runs[-1][-1].role == entry.role and statement.raw[runs[-1][-1].end - statement.start: entry.start - statement.start] == "、":
            runs[-1].append(entry)
        else:
            runs.append([entry])
    return runs


# ---------------------------------------------------------------- damage kinds


def drop_agency_statements(state: _State, profile: Profile) -> None:
    """agency_dropped: a whole agency statement is lost (box 13 of the corpus has none left)."""
    rate = profile.rate("agency_dropped")
    edits = []
    for j, box, para, s in _statements(state.doc):
        if state.rng.random() >= rate:
            continue
        start, end = (para.start - 2, para.end) if s.standalone else (s.start, s.end)
        damage = state.record(
            "agency_dropped",
            (start, end),
            lost=(start, end),
            box=j,
            standalone=s.standalone,
            lost_entries=[(e.start, e.end) for e in s.entries],
        )
        state.touch(start, end)
        edits.append((state.pos(start), state.end_pos(end), "", [], damage.id))
    state.apply(edits)


def truncate_agency_statements(state: _State, profile: Profile) -> None:
    """agency_truncated: a statement breaks off (…知识产权局等按职责分工, box 14)."""
    rate = profile.rate("agency_truncated")
    edits = []
    for j, box, para, s in _statements(state.doc):
        if not state.alive(s.start, s.end) or state.rng.random() >= rate:
            continue
        last = s.entries[-1]
        if len(s.entries) >= 2 and state.rng.random() < 0.2:
            cut = state.rng.randint(last.start + 1, last.end - 1) if last.end - last.start >= 2 else last.start
        else:
            cut = state.rng.randint(last.end, s.end - 1)  # lose the closing bracket at least
        gone = [(e.start, e.end) for e in s.entries if e.start >= cut]
        cut_names = [(e.start, e.end) for e in s.entries if e.start < cut < e.end]
        # The role words after the last list lost characters: its names' role is unknowable.
        role_cut = s.form not in ("labelled_units", "bare_list") and cut < s.end - 1
        last_clause = _clauses(s)[-1]
        flex = [(e.start, e.end) for e in last_clause if e.end <= cut] if role_cut else []
        damage = state.record(
            "agency_truncated",
            (cut, s.end),
            lost=(cut, s.end),
            box=j,
            lost_entries=gone,
            cut_entries=cut_names,
            role_unknown_entries=flex,
            kept=state.truth[s.start:cut],
        )
        state.touch(s.start, s.end)
        edits.append((state.pos(cut), state.end_pos(s.end), "", [], damage.id))
    state.apply(edits)


def repeat_sentences(state: _State, profile: Profile) -> None:
    """repeat: a sentence (or two) printed 2-3 times in a row (box 10, box 13)."""
    rate = profile.rate("repeat")
    edits = []
    for j, box, para in _items(state.doc):
        if state.rng.random() >= rate:
            continue
        sentences = [s for s in para.sentences if s[1] - s[0] >= 6]
        if not sentences:
            continue
        k = state.rng.randrange(len(sentences))
        span = sentences[k]
        if state.rng.random() < 0.3 and k + 1 < len(sentences) and sentences[k + 1][0] == span[1]:
            span = (span[0], sentences[k + 1][1])
        if not state.alive(*span):
            continue
        copies = 1 if state.rng.random() < 0.7 else 2
        damage = state.record("repeat", span, copies=copies, sentence=state.truth[span[0]:span[1]])
        state.touch(*span)
        piece = state.truth[span[0]:span[1]]
        at = state.end_pos(span[1])
        edits.append((at, at, piece * copies, list(range(*span)) * copies, damage.id))
    state.apply(edits)


def swap_groups(profile: Profile) -> tuple[tuple[str, ...], ...]:
    """The words near-duplicates swap: the corpus's (支持/鼓励) or the held-out list."""
    return P.HELDOUT_SWAP_GROUPS if profile.split == HELD_OUT else P.SWAP_GROUPS


def near_duplicates(state: _State, profile: Profile) -> None:
    """near_dup: a copy of a sentence with one word swapped (支持/鼓励/推动), right after it.
    Held out: the verbs of phrases.HELDOUT_SWAP_GROUPS, in sentences of any length."""
    rate = profile.rate("near_dup")
    min_length = 10 if profile.split == CALIBRATED else 0  # held out: short sentences too
    edits = []
    for j, box, para in _items(state.doc):
        if state.rng.random() >= rate:
            continue
        options = []
        for start, end in para.sentences:
            sentence = state.truth[start:end]
            if end - start < min_length or not state.alive(start, end):
                continue
            for group in swap_groups(profile):
                for word in group:
                    i = sentence.find(word)
                    if i >= 0:
                        options.append((start, end, i, word, group))
        if not options:
            continue
        start, end, i, word, group = state.rng.choice(options)
        other = state.rng.choice([w for w in group if w != word])
        sentence = state.truth[start:end]
        variant = sentence[:i] + other + sentence[i + len(word):]
        variant_align = list(range(start, start + i)) + [NOT_TRUTH] * len(other) + list(range(start + i + len(word), end))
        damage = state.record("near_dup", (start, end), swapped=(word, other), variant=variant)
        state.touch(start, end)
        at = state.end_pos(end)
        edits.append((at, at, variant, variant_align, damage.id))
    state.apply(edits)


def repeat_agencies(state: _State, profile: Profile) -> None:
    """agency_repeat: a name listed twice in one list (银保监会、银保监会; 公安部 … 公安部)."""
    rate = profile.rate("agency_repeat")
    edits = []
    for j, box, para, s in _statements(state.doc):
        clauses = [c for c in _clauses(s) if len(c) >= 2]
        if not clauses or not state.alive(s.start, s.end) or state.rng.random() >= rate:
            continue
        clause = state.rng.choice(clauses)
        picks = sorted({state.rng.randrange(len(clause)) for _ in range(state.rng.choice((1, 1, 2)))})
        for i in picks:
            entry = clause[i]
            after = clause[state.rng.randint(i, len(clause) - 1)]
            damage = state.record("agency_repeat", (clause[0].start, clause[-1].end), box=j, repeated=entry.printed)
            piece = "、" + entry.printed
            at = state.end_pos(after.end)
            edits.append((at, at, piece, state.junk(piece), damage.id))
        state.touch(s.start, s.end)
    state.apply(edits)


def shift_table_cells(state: _State, profile: Profile) -> None:
    """table_shift: the 属性 cell slides to the start of the last rows (copied or moved)."""
    table = state.doc.table
    if table is None or not table.rows or state.rng.random() >= profile.rate("table_shift"):
        return
    k = state.rng.randint(1, min(3, len(table.rows)))
    edits = []
    for row in table.rows[-k:]:
        if not state.alive(row.start, row.end):
            continue
        a_start, a_end = row.cells[-1]
        attribute = row.attribute
        row_at = state.pos(row.start)
        if state.rng.random() < 0.7:
            damage = state.record("table_shift", (row.start, row.end), how="copied", attribute=attribute)
            piece = attribute + "\t"
            edits.append((row_at, row_at, piece, state.junk(piece), damage.id))
        else:
            damage = state.record("table_shift", (row.start, row.end), how="moved", attribute=attribute)
            tab = a_start - 1  # the tab before the attribute cell
            edits.append((row_at, row_at, attribute + "\t", list(range(a_start, a_end)) + [tab], damage.id))
            edits.append((state.pos(tab), state.end_pos(a_end), "", [], damage.id))
        state.touch(row.start, row.end)
    state.apply(edits)


# OCR look-alikes of digits (held-out misprints).
LOOKALIKES = {"1": "lI", "0": "Oo"}


def double_digit(digits: str) -> list[str]:
    """14 -> 114, 144; 4 -> 44."""
    return sorted({digits[: i + 1] + digits[i:] for i in range(len(digits))})


def drop_digit(digits: str) -> list[str]:
    """14 -> 1, 4 (a one-digit number has none to spare)."""
    return sorted({digits[:i] + digits[i + 1:] for i in range(len(digits))}) if len(digits) > 1 else []


def transpose_digits(digits: str) -> list[str]:
    """12 -> 21: two different neighbours swapped."""
    return sorted({digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:] for i in range(len(digits) - 1) if digits[i] != digits[i + 1]})


def lookalike_digit(digits: str) -> list[str]:
    """10 -> l0, I0, 1O, 1o: a digit read as the letter it looks like."""
    return sorted({digits[:i] + letter + digits[i + 1:] for i, c in enumerate(digits) for letter in LOOKALIKES.get(c, "")})


def split_digits(digits: str) -> list[str]:
    """14 -> 1 4: a space between two digits."""
    return [digits[:i] + " " + digits[i:] for i in range(1, len(digits))]


# Held-out misprints: each kind has its own rate among the boxes whose number it fits.
MISPRINTS = {
    "box_number_doubled_digit": double_digit,
    "box_number_dropped_digit": drop_digit,
    "box_number_transposed": transpose_digits,
    "box_number_lookalike": lookalike_digit,
    "box_number_split": split_digits,
}


def _roll(rng: random.Random, kinds: tuple[str, ...], profile: Profile) -> str | None:
    """At most one of ``kinds``, each with its rate."""
    roll = rng.random()
    for kind in kinds:
        rate = profile.rate(kind)
        if roll < rate:
            return kind
        roll -= rate
    return None


BOX_NUMBER_KINDS = ("box_number_skipped", "box_number_duplicated", "box_number_split", "box_number_missing")


def _box_number_kinds(profile: Profile, number: int) -> tuple[str, ...]:
    """The damage a box number can take: held out, the misprints that fit its digits."""
    if profile.split != HELD_OUT:
        return BOX_NUMBER_KINDS
    digits = str(number)
    return ("box_number_skipped", "box_number_duplicated", "box_number_missing") + tuple(k for k, f in MISPRINTS.items() if f(digits))


def damage_box_numbers(state: _State, profile: Profile) -> None:
    """box_number_*: printed numbers duplicated, skipped (6 -> 10), split ('11 4') or missing;
    held out, misprinted in several ways (MISPRINTS)."""
    boxes = state.doc.boxes
    edits = []
    for i, box in enumerate(boxes):
        n = box.number
        kind = _roll(state.rng, _box_number_kinds(profile, n), profile)
        if kind is None:
            continue
        if kind in MISPRINTS and profile.split == HELD_OUT:
            printed = state.rng.choice(MISPRINTS[kind](str(n)))
        elif kind == "box_number_skipped":
            printed = str(n + state.rng.choice((1, 1, 2, 4)))
        elif kind == "box_number_duplicated":
            neighbour = boxes[i - 1] if i > 0 and (i + 1 >= len(boxes) or state.rng.random() < 0.5) else (boxes[i + 1] if i + 1 < len(boxes) else None)
            if neighbour is None:
                continue
            printed = str(neighbour.number)
        elif kind == "box_number_split":
            digits = str(n)
            printed = f"{digits[0]}{digits[0]} {digits[1:]}" if len(digits) > 1 else f"1 {digits}"
        else:
            printed = ""
        start, end = box.number_span
        # The region is the header up to the title: where the number stands depends on the layout.
        damage = state.record(kind, (box.start, box.title_span[0]), number=n, printed=printed)
        state.touch(start, end)
        edits.append((state.pos(start), state.end_pos(end), printed, state.junk(printed), damage.id))
    state.apply(edits)


def _kangxi_table() -> dict[str, str]:
    """Ideograph -> a radical code point that looks the same (built here, independently of
    the repair rule: NFKC of the Kangxi block, and a few Radicals Supplement forms)."""
    table: dict[str, str] = {}
    for code in range(0x2F00, 0x2FD6):
        radical = chr(code)
        ideograph = unicodedata.normalize("NFKC", radical)
        if len(ideograph) == 1 and is_han(ideograph):
            table.setdefault(ideograph, radical)
    for radical, ideograph in (("⺠", "民"), ("⻓", "长"), ("⻔", "门"), ("⻅", "见"), ("⻋", "车"), ("⻢", "马"), ("⻛", "风"), ("⻜", "飞"), ("⻰", "龙"), ("⻥", "鱼"), ("⻦", "鸟"), ("⻩", "黄"), ("⻬", "齐"), ("⻉", "贝"), ("⻚", "页")):
        table[ideograph] = radical
    return table


KANGXI = _kangxi_table()


def replace_with_radicals(state: _State, profile: Profile) -> None:
    """kangxi: a font maps some ideographs to radical code points (⼯ for 工, ⺠ for 民)."""
    if state.rng.random() >= profile.rate("kangxi"):
        return
    text = state.truth
    present = sorted({c for c in text if c in KANGXI})
    if not present:
        return
    low, high = profile.rates["kangxi_chars"]
    chosen = set(state.rng.sample(present, min(len(present), state.rng.randint(low, high))))
    edits = []
    for t, c in enumerate(text):
        if c in chosen and state.alive(t, t + 1) and state.rng.random() < 0.8:
            damage = state.record("kangxi", (t, t + 1), ideograph=c, radical=KANGXI[c])
            state.touch(t, t + 1)
            p = state.pos(t)
            edits.append((p, p + 1, KANGXI[c], [t], damage.id))
    state.apply(edits)


def double_glyphs(state: _State, profile: Profile) -> None:
    """fake_bold: a bold run drawn twice comes out doubled (知知识识产产权权)."""
    targets = []
    for box in state.doc.boxes:
        if state.rng.random() < profile.rate("fake_bold_header"):
            targets.append((box.start, box.end, "header"))
        elif state.rng.random() < profile.rate("fake_bold_title"):
            targets.append((box.title_span[0], box.title_span[1], "title"))
        for para in box.paragraphs:
            if para.lead and state.rng.random() < profile.rate("fake_bold_lead"):
                targets.append((para.lead[0], para.lead[1], "lead"))
    for para in state.doc.loose:
        if para.lead and state.rng.random() < profile.rate("fake_bold_lead"):
            targets.append((para.lead[0], para.lead[1], "lead"))
    edits = []
    for start, end, what in targets:
        if not state.alive(start, end):
            continue
        damage = state.record("fake_bold", (start, end), target=what)
        state.touch(start, end)
        doubled = "".join(c + c for c in state.truth[start:end])
        edits.append((state.pos(start), state.end_pos(end), doubled, [t for t in range(start, end) for _ in (0, 1)], damage.id))
    state.apply(edits)


def space_letters(state: _State, profile: Profile) -> None:
    """letter_spacing: a space between every two characters of a spaced-out run (指 标;
    a title, an indicator name, in the heavy profile a whole paragraph)."""
    doc = state.doc
    targets = []
    table = doc.table
    if table is not None:
        first_cell = table.cells[0] if table.cells[0][1] - table.cells[0][0] >= 2 else table.cells[1]
        if state.rng.random() < profile.rate("letter_spacing_header"):
            targets.append((*first_cell, "table_header"))
        for row in table.rows:
            if state.rng.random() < profile.rate("letter_spacing_name"):
                name_start = row.cells[1][0]
                targets.append((name_start, name_start + len(row.name), "indicator_name"))
    for box in doc.boxes:
        if state.rng.random() < profile.rate("letter_spacing_title"):
            targets.append((*box.title_span, "box_title"))
        for para in box.paragraphs:
            if para.is_item and state.rng.random() < profile.rate("letter_spacing_paragraph"):
                targets.append((para.start, para.end, "paragraph"))
    for para in doc.loose:
        if para.is_item and state.rng.random() < profile.rate("letter_spacing_paragraph"):
            targets.append((para.start, para.end, "paragraph"))
    if doc.title_span is not None and state.rng.random() < profile.rate("letter_spacing_plan_title"):
        targets.append((*doc.title_span, "plan_title"))
    edits = []
    for start, end, what in targets:
        text = doc.text[start:end]
        # A run that has spaces of its own (占 GDP 比重) would lose them for good once spaced out.
        if not state.alive(start, end) or " " in text:
            continue
        gaps = list(range(start + 1, end))
        if not gaps:
            continue
        # The region is the gaps between the characters (the characters themselves stay).
        damage = state.record("letter_spacing", (start + 1, end - 1), target=what, spaces=len(gaps))
        state.touch(start, end)
        for t in gaps:
            p = state.pos(t)
            edits.append((p, p, " ", [NOT_TRUTH], damage.id))
    state.apply(edits)


def insert_stray_marks(state: _State, profile: Profile) -> None:
    """stray_mark: a slash between two characters of a word (知识产权/保护机构建设工程)."""
    text = state.truth
    spans = [(box.title_span, profile.rate("stray_mark_title")) for box in state.doc.boxes]
    spans += [((para.start, para.end), profile.rate("stray_mark")) for _, _, para in _paragraphs(state.doc)]
    edits = []
    for (start, end), rate in spans:
        if state.rng.random() >= rate:
            continue
        points = [t for t in range(start + 1, end) if is_han(text[t - 1]) and is_han(text[t]) and state.alive(t - 1, t + 1)]
        if not points:
            continue
        t = state.rng.choice(points)
        damage = state.record("stray_mark", (t, t), context=text[t - 3:t + 3])
        state.touch(t - 1, t + 1)
        p = state.pos(t)
        edits.append((p, p, "/", [NOT_TRUTH], damage.id))
    state.apply(edits)


# A line of a printed paragraph is never shorter than this (a shorter piece inside a box
# is a cut sidebar, and the pipeline rightly treats it as one).
MIN_LINE = 12
SPLIT_WORDS = tuple(
    sorted(
        set(P.VERBS + P.SPLIT_WORDS),
        key=lambda w: (-len(w), w),
    )
)


def split_words(state: _State, profile: Profile) -> None:
    """split_word: a line break (with indentation) or a space inside a word (国家知|识产权局)."""
    if profile.split == HELD_OUT:
        return split_names(state, profile)
    text = state.truth
    edits = []
    for _, _, para in _paragraphs(state.doc):
        if state.rng.random() >= profile.rate("split_word"):
            continue
        words = [e.printed for s in para.statements for e in s.entries if len(e.printed) >= 3] + list(SPLIT_WORDS)
        candidates = []
        for word in words:
            i = text.find(word, para.start, para.end)
            if i >= 0 and state.alive(i, i + len(word)):
                candidates.append((i, word))
        breaks = [para.start]
        for i, word in state.rng.sample(candidates, min(len(candidates), state.rng.choice((1, 1, 2)))):
            t = state.rng.randint(i + 1, i + len(word) - 1)
            if not state.alive(i, i + len(word)) or any(abs(t - b) < MIN_LINE for b in breaks):
                continue
            breaks.append(t)
            state.broken.add(para.start)
            gap = "\n" + " " * state.rng.choice((0, 1, 1, 2)) if state.rng.random() < 0.7 else " "
            damage = state.record("split_word", (t, t), word=word, gap=gap)
            state.touch(i, i + len(word))
            p = state.pos(t)
            edits.append((p, p, gap, state.junk(gap), damage.id))
    state.apply(edits)


# Held-out name breaks: any gap a PDF extract leaves where a line ends.
HELDOUT_GAPS = ("\n", "\n", "\n ", "\n  ", "\n\u3000\u3000", " ", "\u3000")


def split_names(state: _State, profile: Profile) -> None:
    """split_word, held out: a line break or space at any place inside an agency name
    (省委|宣传部, 国家知识产|权局), national or local, wherever a dictionary would cut it."""
    edits = []
    for j, box, para, s in _statements(state.doc):
        names = [e for e in s.entries if e.end - e.start >= 2 and state.alive(e.start, e.end)]
        if not names or state.rng.random() >= profile.rate("split_name"):
            continue
        entry = state.rng.choice(names)
        t = state.rng.randint(entry.start + 1, entry.end - 1)
        gap = state.rng.choice(HELDOUT_GAPS)
        state.broken.add(para.start)
        damage = state.record("split_word", (t, t), word=entry.printed, gap=gap, at=t - entry.start)
        state.touch(entry.start, entry.end)
        p = state.pos(t)
        edits.append((p, p, gap, state.junk(gap), damage.id))
    state.apply(edits)


def wrap_lines(state: _State, profile: Profile) -> None:
    """line_wrap: a paragraph hard-wrapped at the page width, each line indented (box 2)."""
    if profile.split == HELD_OUT:
        return wrap_lines_ragged(state, profile)
    edits = []
    for _, _, para in _paragraphs(state.doc):
        if para.end - para.start < 60 or para.start in state.broken or state.rng.random() >= profile.rate("line_wrap"):
            continue
        width = state.rng.randint(32, 45)
        for t in range(para.start + width, para.end - 2, width):
            if not state.alive(t - 1, t + 1):
                continue
            edits.append(_line_break(state, t, "\n "))
    state.apply(edits)


def _line_break(state: _State, t: int, gap: str) -> tuple:
    """The edit that breaks the line at truth offset ``t``, recorded as a line_wrap."""
    damage = state.record("line_wrap", (t, t), left=state.truth[t - 2:t], right=state.truth[t:t + 2])
    state.touch(t - 1, t + 1)
    p = state.pos(t)
    return (p, p, gap, state.junk(gap), damage.id)


# Held-out hard wraps: column widths from a narrow box column to a wide page, and lines
# that end up to RAGGED characters short of or past it (justified type, half-width digits).
HELDOUT_WRAP_WIDTHS = (8, 60)
RAGGED = 3
HELDOUT_WRAP_INDENTS = ("", " ", "  ", "\u3000\u3000")


def wrap_breaks(rng: random.Random, start: int, end: int) -> list[int]:
    """Where a paragraph [start, end) wrapped at a drawn width, ragged, breaks."""
    width = rng.randint(*HELDOUT_WRAP_WIDTHS)
    breaks, t = [], start
    while True:
        t += max(2, width + rng.randint(-RAGGED, RAGGED))
        if t >= end - 1:
            return breaks
        breaks.append(t)


# Chinese typesetting keeps closing marks off a line's start and opening marks off its
# end, and does not break a run of Latin letters or digits (2021/2025, PM2.5).
NO_LINE_START = "。，、；：？！）》”’%％)"
NO_LINE_END = "（《“‘("
UNBREAKABLE = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./&+-")


def typeset_break(text: str, t: int) -> int:
    """Where a typesetter breaks a line asked to break before ``text[t]``: later, until
    the break leaves no mark where it may not stand and splits no Latin or digit run."""
    while 0 < t < len(text) and (
        text[t] in NO_LINE_START or text[t - 1] in NO_LINE_END or (text[t] in UNBREAKABLE and text[t - 1] in UNBREAKABLE)
    ):
        t += 1
    return t


def wrap_lines_ragged(state: _State, profile: Profile) -> None:
    """line_wrap, held out: a paragraph wrapped at any width, lines ragged, breaks after a
    full stop too, two-line paragraphs included, any indentation (or none)."""
    text = state.truth
    edits = []
    for _, _, para in _paragraphs(state.doc):
        if para.start in state.broken or state.rng.random() >= profile.rate("line_wrap"):
            continue
        gap = "\n" + state.rng.choice(HELDOUT_WRAP_INDENTS)
        breaks = sorted({typeset_break(text, t) for t in wrap_breaks(state.rng, para.start, para.end)})
        for t in breaks:
            if t >= para.end - 1 or not state.alive(t - 1, t + 1):
                continue
            edits.append(_line_break(state, t, gap))
    state.apply(edits)


# Held-out sidebar pieces: up to 12 characters, punctuation kept (the rules' fragment
# test looks for at most 5 characters without sentence punctuation).
HELDOUT_FRAGMENT_LENGTHS = (1, 12)


def _fragment_pieces_heldout(rng: random.Random, text: str) -> list[str]:
    """A run of real text cut into lines of 1-12 characters, punctuation and all."""
    start = rng.randrange(max(1, len(text) - 30))
    run = text[start:start + rng.randint(6, 40)]
    pieces, i = [], 0
    while i < len(run):
        n = rng.randint(*HELDOUT_FRAGMENT_LENGTHS)
        piece = run[i:i + n].strip()
        if piece:
            pieces.append(piece)
        i += n
    return pieces


def _fragment_pieces(rng: random.Random, text: str) -> list[str]:
    """A run of real text cut into 1-5 character lines, as a sidebar is cut by extraction."""
    clean = "".join(c for c in text if c not in "。；（）()《》【】！？“”")
    start = rng.randrange(max(1, len(clean) - 20))
    run = clean[start:start + rng.randint(6, 24)]
    pieces, i = [], 0
    while i < len(run):
        n = rng.choice((2, 3, 3, 4, 4, 5, 1))
        piece = run[i:i + n].strip("，、")
        if piece:
            pieces.append(piece)
        i += n
    return pieces


def insert_sidebar_fragments(state: _State, profile: Profile) -> None:
    """sidebar: lines of 1-5 characters cut from a sidebar, inside a box (运营平台, 海外知);
    held out, 1-12 characters with their punctuation."""
    edits = []
    for j, box in enumerate(state.doc.boxes):
        if not box.paragraphs or state.rng.random() >= profile.rate("sidebar"):
            continue
        running = [p for p in box.paragraphs if not p.is_table]
        if not running:
            continue
        source_para = state.rng.choice(running)
        cut = _fragment_pieces_heldout if profile.split == HELD_OUT else _fragment_pieces
        pieces = cut(state.rng, source_para.text)[: state.rng.randint(1, 6)]
        if not pieces:
            continue
        slot = state.rng.randint(0, len(box.paragraphs))
        block = "\n".join(pieces)
        if slot < len(box.paragraphs) and state.pos(box.paragraphs[slot].start) < 0:
            continue  # that paragraph was dropped: nothing to stand between
        if slot < len(box.paragraphs):
            t, gap = _line_start(state.truth, box.paragraphs[slot].start)
            piece, at = block + gap, state.pos(t)
        else:
            t, gap = box.block_end, "\n\n"  # the line end after the box: past whatever the last paragraph carries
            piece, at = "\n\n" + block, state.pos(t)
            if at < 0:
                continue
        damage = state.record("sidebar", (t - len(gap), t), box=j, fragments=pieces)
        edits.append((at, at, piece, state.junk(piece), damage.id))
    state.apply(edits)


def _residue_lines(rng: random.Random, alphabet: str, n: int) -> list[str]:
    lines = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.6:
            lines.append(rng.choice(alphabet))
        elif roll < 0.85:
            lines.append(" ".join(rng.choice(alphabet) for _ in range(rng.randint(2, 5))))
        elif roll < 0.92:
            lines.append(rng.choice(P.RESIDUE_MARKS))
        else:
            tokens = [rng.choice(alphabet + "0123456789.%") for _ in range(rng.randint(3, 8))]
            lines.append(" ".join(tokens))
    return lines


def _residue_grid(rng: random.Random, alphabet: str) -> str:
    rows = []
    for _ in range(rng.randint(3, 12)):
        cells = [" ".join(rng.choice(alphabet) for _ in range(rng.randint(0, 2))) for _ in range(4)]
        rows.append("\t".join(cells).rstrip())
    return "\n".join(r if r.strip() else rng.choice(alphabet) for r in rows)


def _insert_at_gap(state: _State, g: int, block: str, edits: list, damage_id: int) -> None:
    if g >= len(state.truth):
        piece = "\n" + block
    else:
        piece = block + "\n\n"
    at = state.pos(g)
    edits.append((at, at, piece, state.junk(piece), damage_id))


def insert_residue(state: _State, profile: Profile) -> None:
    """residue: lines of stray glyphs between blocks, spaced or in a tab grid (产 创 产)."""
    alphabet = state.doc.alphabet
    low, high = profile.rates["residue_lines"]
    edits = []
    for g in state.doc.gaps:
        if state.rng.random() >= profile.rate("residue"):
            continue
        if state.rng.random() < 0.1:
            block = _residue_grid(state.rng, alphabet)
        else:
            block = "\n\n".join(_residue_lines(state.rng, alphabet, state.rng.randint(low, high)))
        damage = state.record("residue", (max(0, g - 2), g), characters=len("".join(block.split())))
        _insert_at_gap(state, g, block, edits, damage.id)
    for j, box in enumerate(state.doc.boxes):
        if len(box.paragraphs) < 2 or state.rng.random() >= profile.rate("residue_in_box"):
            continue
        t = state.rng.choice(box.paragraphs[1:]).start
        if state.pos(t) < 0:
            continue
        block = "\n\n".join(_residue_lines(state.rng, alphabet, state.rng.randint(low, high)))
        t, gap = _line_start(state.truth, t)
        damage = state.record("residue_in_box", (t - len(gap), t), box=j)
        at = state.pos(t)
        edits.append((at, at, block + gap, state.junk(block + gap), damage.id))
    state.apply(edits)


def drop_body_to_residue(state: _State, profile: Profile) -> None:
    """body_dropped: a body paragraph whose font lost its mapping leaves only a few glyphs."""
    alphabet = set(state.doc.alphabet)
    edits = []
    for g, paragraphs in zip(state.doc.gaps, state.doc.body):
        for paragraph in paragraphs:
            if state.rng.random() >= profile.rate("body_dropped"):
                continue
            survivors = []
            for c in paragraph:
                roll = state.rng.random()
                if (c in alphabet and roll < 0.9) or (c.isdigit() and roll < 0.2) or (c in "、%." and roll < 0.3) or (is_han(c) and roll < 0.004):
                    survivors.append(c)
            if not survivors:
                continue
            lines, i = [], 0
            while i < len(survivors):
                n = state.rng.choice((1, 1, 1, 1, 2, 3, 4))
                lines.append(" ".join(survivors[i:i + n]))
                i += n
            block = "\n\n".join(lines)
            damage = state.record("body_dropped", (max(0, g - 2), g), paragraph=paragraph[:20], characters=len(survivors))
            _insert_at_gap(state, g, block, edits, damage.id)
    state.apply(edits)


def layout_whitespace(state: _State, profile: Profile) -> None:
    """layout_whitespace: trailing tabs on table lines, lines holding a space, extra empty
    lines between blocks, indented paragraphs."""
    doc = state.doc
    edits = []
    if doc.table_lines and state.rng.random() < profile.rate("trailing_tabs"):
        for start, end in doc.table_lines:
            damage = state.record("layout_whitespace", (end, end), what="trailing_tab")
            at = state.pos(end)  # before the line's newline (its cells may have moved)
            edits.append((at, at, "\t", [NOT_TRUTH], damage.id))
    for g in doc.gaps[1:-1]:
        if state.rng.random() < profile.rate("extra_blank_lines"):
            piece = "\n" * state.rng.randint(1, 2)
            damage = state.record("layout_whitespace", (g - 2, g), what="extra_blank_lines")
            at = state.pos(g)
            edits.append((at, at, piece, state.junk(piece), damage.id))
        if state.rng.random() < profile.rate("whitespace_line"):
            piece = state.rng.choice((" ", "  ", "\u3000")) + "\n"
            damage = state.record("layout_whitespace", (g - 2, g), what="whitespace_line")
            at = state.pos(g)
            edits.append((at, at, piece, state.junk(piece), damage.id))
    for _, _, para in _paragraphs(doc):
        if state.rng.random() < profile.rate("indent") and state.pos(para.start) >= 0:
            piece = state.rng.choice(("  ", "\u3000\u3000", " "))
            damage = state.record("layout_whitespace", (para.start, para.start), what="indent")
            at = state.pos(para.start)
            edits.append((at, at, piece, state.junk(piece), damage.id))
    state.apply(edits)


# Order: text-destroying damage first (nothing else aims at lost text), then copies, then
# character-level damage on true characters only (never two on the same characters),
# then whole lines and blocks between paragraphs, then layout white space.
STEPS = (
    drop_agency_statements,
    truncate_agency_statements,
    repeat_sentences,
    near_duplicates,
    repeat_agencies,
    shift_table_cells,
    damage_box_numbers,
    replace_with_radicals,
    double_glyphs,
    space_letters,
    insert_stray_marks,
    split_words,
    wrap_lines,
    insert_sidebar_fragments,
    insert_residue,
    drop_body_to_residue,
    layout_whitespace,
)
