"""Plan-like documents with exact truth, generated from a seed number.

``generate_plan(seed)`` returns a ``Plan``: the clean text in the layout the pipeline's
repaired text uses (a title line, the key-indicators table with tab-separated cells,
then per box a header line ``专栏N title`` and its paragraphs; one empty line between
blocks, a final newline), the offsets of everything in it (so the damage model can aim
at a sentence, a cell, an agency entry and keep the truth aligned), and ``truth()``:
the clean structure in plan.json's shape.

The text is assembled from ``bench.phrases``: it need not mean much, but it has what
the pipeline looks at: lead sentences, commas, numbers, quotes, book titles, the agency
statement forms the plans use, names drawn from the agency registry (national plans) or
local bodies (provincial and city plans), and sentences that legitimately recur in
different boxes.

It also prints the *real negatives*: sound text that looks like damage to a rule tuned
on damage — two sentences of one paragraph that differ by one verb (建立X机制。完善X机制。),
units with slashes (万件/套, 元/千瓦时, km/h), dates and ratios (2021/2025, 1/3), tables
inside boxes (a header row 类别	重点任务 and short cells), Latin letters and digits (GDP,
R&D, 5G, PM2.5), book titles and quotations. ``Plan.negatives`` says where they are:
their truth is that repair leaves them as they are. Body text (the chapters around the boxes) is generated too but is not
part of the truth: in this family of documents it is what a broken font loses, and the
damage model turns it into residue.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import lru_cache


from rapidfuzz.distance import Levenshtein

from . import phrases as P

LEAD = "lead"
PARTICIPANT = "participant"


# ---------------------------------------------------------------- rendered plan (truth)


@dataclass(frozen=True)
class Entry:
    printed: str
    name: str  # official name (registry) or, for a local body, the printed name
    role: str  # lead | participant
    start: int  # offsets in the truth text
    end: int


@dataclass(frozen=True)
class Statement:
    start: int
    end: int
    raw: str
    form: str
    entries: tuple[Entry, ...]
    standalone: bool  # a paragraph of its own


@dataclass(frozen=True)
class Negative:
    kind: str  # a key of phrases.NEGATIVE_SENTENCES, parallel_sentences or box_table
    start: int  # truth offsets
    end: int


@dataclass(frozen=True)
class Paragraph:
    start: int
    end: int
    text: str
    sentences: tuple[tuple[int, int], ...]  # sentence spans (agency statements excluded)
    lead: tuple[int, int] | None  # the lead sentence, 。 included
    statements: tuple[Statement, ...]
    is_item: bool  # False for a paragraph holding only an agency statement, or a table
    is_table: bool = False  # a table inside the box: lines of tab-separated cells

    @property
    def heading(self) -> str | None:
        if not self.is_item or self.lead is None:
            return None
        return self.text[: self.lead[1] - self.start - 1]


@dataclass(frozen=True)
class Box:
    number: int
    title: str
    header: str
    start: int  # the header line
    end: int
    number_span: tuple[int, int]
    title_span: tuple[int, int]
    paragraphs: tuple[Paragraph, ...]

    @property
    def block_end(self) -> int:
        return self.paragraphs[-1].end if self.paragraphs else self.end


@dataclass(frozen=True)
class Row:
    seq: int
    seq_cell: str
    name: str
    name_raw: str
    unit: str
    baseline: str
    target: str
    increase: str
    attribute: str
    start: int
    end: int
    cells: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Table:
    header: str
    start: int
    end: int
    cells: tuple[tuple[int, int], ...]
    years: tuple[int, int]
    change: str
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Plan:
    seed: int
    level: str  # national | provincial | city
    plan_year: int
    title: str
    title_span: tuple[int, int]
    table: Table
    boxes: tuple[Box, ...]
    # Body text lost in this family of documents, per gap: gap i is at offset gaps[i].
    gaps: tuple[int, ...]
    body: tuple[tuple[str, ...], ...]
    alphabet: str  # the residue glyphs of this document's broken font
    text: str
    negatives: tuple[Negative, ...] = ()  # sound text that looks like damage

    def truth(self) -> dict:
        """The clean structure, in plan.json's shape (the fields the bench scores)."""
        return {
            "indicators": [_row_truth(row, self.table) for row in self.table.rows],
            "programmes": [_box_truth(box) for box in self.boxes],
        }


def _row_truth(row: Row, table: Table) -> dict:
    return {
        "seq": row.seq,
        "name": row.name,
        "name_raw": row.name_raw,
        "unit": row.unit,
        "baseline": {"year": table.years[0], "value": parse_number(row.baseline), "raw": row.baseline},
        "target": {"year": table.years[1], "value": parse_number(row.target), "raw": row.target},
        "increase": {"kind": table.change, "value": parse_number(row.increase), "raw": row.increase},
        "attribute": row.attribute,
    }


def _box_truth(box: Box) -> dict:
    items = [p for p in box.paragraphs if p.is_item]
    statements = [s for p in box.paragraphs for s in p.statements]
    lead, participants = programme_agencies(statements)
    return {
        "number": box.number,
        "title": box.title,
        "items": [{"index": i + 1, "heading": p.heading, "text": p.text} for i, p in enumerate(items)],
        "lead": lead,
        "participants": participants,
        "statements": [
            {
                "raw": s.raw,
                "form": s.form,
                "lead": _unique(e.name for e in s.entries if e.role == LEAD),
                "participants": _unique(e.name for e in s.entries if e.role == PARTICIPANT),
            }
            for s in statements
        ],
    }


def programme_agencies(statements) -> tuple[list[str], list[str]]:
    """A box's leads and participants from its statements, as plan.json defines them:
    leads in order of appearance; participants are the others named, leads excluded."""
    lead: list[str] = []
    participants: list[str] = []
    for s in statements:
        s_lead = _unique(e.name for e in s.entries if e.role == LEAD)
        s_part = [n for n in _unique(e.name for e in s.entries if e.role == PARTICIPANT) if n not in s_lead]
        lead += [n for n in s_lead if n not in lead]
        participants += [n for n in s_part if n not in participants]
    return lead, [n for n in participants if n not in lead]


def parse_number(raw: str) -> int | float | None:
    """A value cell as the pipeline reads it: '11.6 ^③' -> 11.6, '12' -> 12, '—' -> None."""
    bare = raw.split("^")[0].strip()
    if not bare or bare == "—":
        return None
    return float(bare) if "." in bare else int(bare)


def _unique(names) -> list[str]:
    out: list[str] = []
    for n in names:
        if n not in out:
            out.append(n)
    return out


# ---------------------------------------------------------------- specs (before layout)


@dataclass
class _StatementSpec:
    parts: list  # str literals and (printed, name, role) entries
    form: str


@dataclass
class _ParagraphSpec:
    sentences: list[str]
    has_lead: bool
    statement: _StatementSpec | None = None
    standalone: bool = False  # the paragraph is only the statement
    negatives: list[tuple[str, int, int]] = field(default_factory=list)  # kind, sentences [i, j)
    table: list[list[str]] | None = None  # rows of cells, the header row first


@dataclass
class _BoxSpec:
    title: str
    paragraphs: list[_ParagraphSpec]
    style: str  # header layout: "{n} " etc.


@dataclass
class _PlanSpec:
    seed: int
    level: str
    years: tuple[int, int]
    title: str
    header_style: int
    seq_style: str
    change: str
    rows: list[tuple]
    boxes: list[_BoxSpec]
    body: list[list[str]] = field(default_factory=list)
    alphabet: str = ""


HEADER_STYLES = ("专栏{n} ", "专栏 {n} ", "专栏 {n}. ", "专栏{n}：", "专栏{n} ")


def generate_plan(seed: int, boxes: int | None = None, repeat: int = 1) -> Plan:
    """The plan of this seed; ``boxes`` fixes the box count, ``repeat`` repeats the boxes
    (numbered on) to make the same document k times longer (for the scaling figures)."""
    spec = _plan_spec(seed, boxes)
    if repeat > 1:
        spec.boxes = spec.boxes * repeat
        spec.body = spec.body[:-1] * repeat + spec.body[-1:]
    return _render(spec)


def _plan_spec(seed: int, n_boxes: int | None) -> _PlanSpec:
    rng = random.Random(seed)
    level = rng.choices(("national", "provincial", "city"), (7, 2, 1))[0]
    y0 = rng.choice((2015, 2020, 2020, 2025))
    years = (y0, y0 + 5)
    area = P.NATIONAL_AREA if level == "national" else rng.choice(P.PROVINCES if level == "provincial" else P.CITIES)
    plan_title = rng.choice(P.PLAN_TITLES).format(period=P.PERIODS[y0], area=area, y0=y0 + 1, y1=y0 + 5)
    agencies = _AgencyPicker(rng, level, y0 + 1)
    writer = _Sentences(rng, years)
    rows = _indicator_rows(rng)
    n_boxes = n_boxes if n_boxes is not None else rng.randint(3, 20)
    doc_style = rng.randrange(len(HEADER_STYLES))
    titles: list[str] = []
    box_specs = []
    for _ in range(n_boxes):
        topic = rng.choice(P.TOPICS)
        title = _box_title(rng, topic, titles)
        titles.append(title)
        style = HEADER_STYLES[doc_style if rng.random() < 0.8 else rng.randrange(len(HEADER_STYLES))]
        box_specs.append(_BoxSpec(title, _box_paragraphs(rng, topic, writer, agencies), style))
    body = [[writer.body_paragraph(rng.choice(P.TOPICS)) for _ in range(rng.randint(0, 3))] for _ in range(n_boxes + 3)]
    alphabet = "".join(rng.sample(P.RESIDUE_POOL, rng.randint(8, 16)))
    return _PlanSpec(
        seed=seed,
        level=level,
        years=years,
        title=plan_title,
        header_style=0 if rng.random() < 0.7 else 1,
        seq_style=rng.choice(("{n}.", "{n}.", "{n}")),
        change=rng.choice(P.CHANGE_HEADERS),
        rows=rows,
        boxes=box_specs,
        body=body,
        alphabet=alphabet,
    )


def _box_title(rng: random.Random, topic: str, taken: list[str]) -> str:
    for _ in range(50):
        title = topic + rng.choice(P.TITLE_CORES) + rng.choice(P.TITLE_SUFFIXES)
        if title not in taken:
            return title
    return title + str(len(taken) + 1)


# How often the real negatives occur: per item paragraph (a sentence of one kind, a
# parallel pair) and per box (a table). Often enough that 50 documents hold hundreds.
NEGATIVE_SENTENCE_RATE = 0.25
PARALLEL_RATE = 0.12
BOX_TABLE_RATE = 0.15


def _box_paragraphs(rng: random.Random, topic: str, writer: "_Sentences", agencies: "_AgencyPicker") -> list[_ParagraphSpec]:
    n_items = rng.randint(1, 4)
    placement = rng.choices(("end", "each", "standalone"), (55, 30, 15))[0]
    used: set[str] = set()
    paragraphs = [_item_paragraph(rng, topic, writer, used) for _ in range(n_items)]
    if placement == "each":
        for p in paragraphs:
            p.statement = agencies.statement()
    elif placement == "end":
        paragraphs[-1].statement = agencies.statement()
    if rng.random() < BOX_TABLE_RATE:
        # Tables come between items, never after the statement that closes the box.
        paragraphs.insert(rng.randint(0, len(paragraphs) - (placement == "end")), _ParagraphSpec([], False, table=writer.box_table()))
    if placement == "standalone":
        paragraphs.append(_ParagraphSpec([], False, agencies.statement(), standalone=True))
    return paragraphs


def _item_paragraph(rng: random.Random, topic: str, writer: "_Sentences", used: set[str]) -> _ParagraphSpec:
    """An item: its lead (or comma) sentence and details; some shared sentences, and
    the real negatives (one sentence of a kind, or two parallel sentences)."""
    has_lead = rng.random() < 0.8
    first = writer.lead(topic, used) if has_lead else writer.comma_sentence(topic, used)
    units: list[tuple[list[str], str | None]] = [([writer.detail(topic, used)], None) for _ in range(rng.randint(1, 5))]
    if rng.random() < 0.15:
        shared = [s for s in P.SHARED_SENTENCES if s not in used]
        if shared:
            pick = rng.choice(shared)
            used.add(pick)
            units.insert(rng.randint(0, len(units)), ([pick], None))
    if rng.random() < NEGATIVE_SENTENCE_RATE:
        kind = rng.choice(sorted(P.NEGATIVE_SENTENCES))
        units.insert(rng.randint(0, len(units)), ([writer.negative(kind, topic, used)], kind))
    if rng.random() < PARALLEL_RATE:
        units.insert(rng.randint(0, len(units)), (writer.parallel(topic, used), "parallel_sentences"))
    sentences, negatives = _flatten([([first], None)] + units)
    return _ParagraphSpec(sentences, has_lead, negatives=negatives)


def _flatten(units: list[tuple[list[str], str | None]]) -> tuple[list[str], list[tuple[str, int, int]]]:
    """Sentences in order, and the sentence ranges [i, j) of each negative."""
    sentences: list[str] = []
    negatives = []
    for group, kind in units:
        if kind:
            negatives.append((kind, len(sentences), len(sentences) + len(group)))
        sentences += group
    return sentences, negatives


class _Sentences:
    """Plan-like sentences from the phrase vocabulary; never the same one twice in a box
    (sentences that differ by a word do occur, as in real plans)."""

    def __init__(self, rng: random.Random, years: tuple[int, int]):
        self.rng = rng
        self.years = years

    def _obj(self, topic: str) -> str:
        t = topic if self.rng.random() < 0.6 else self.rng.choice(P.TOPICS)
        return self.rng.choice(P.OBJECT_PATTERNS).format(t=t)

    def _fill(self, pattern: str, topic: str) -> str:
        r = self.rng
        return pattern.format(t=topic, s=r.choice(P.SUBJECTS))

    def _unique(self, make, used: set[str]) -> str:
        """A sentence this box has not printed yet. Only exact repeats are avoided (those
        are the damage model's): real plans print sentences that differ by one word."""
        for _ in range(50):
            sentence = make()
            if sentence not in used:
                break
        used.add(sentence)
        return sentence

    def parallel(self, topic: str, used: set[str]) -> list[str]:
        """Two sentences that differ by their verb only (建立X机制。完善X机制。), neither
        printed in the box before."""
        for _ in range(50):
            first, second = self.rng.sample(P.VERBS, 2)
            obj = self._obj(topic)
            pair = [f"{first}{obj}。", f"{second}{obj}。"]
            if not used.intersection(pair):
                break
        used.update(pair)
        return pair

    def negative(self, kind: str, topic: str, used: set[str]) -> str:
        """A sentence of one kind of real negative (units with slashes, ratios, Latin …)."""
        r = self.rng
        y0, y1 = self.years

        def make():
            return r.choice(P.NEGATIVE_SENTENCES[kind]).format(
                t=topic, o=self._obj(topic), v=r.choice(P.VERBS), b=r.choice(P.BOOKS),
                c=r.choice(P.CAMPAIGNS).format(t=topic), n=r.choice((2, 3, 5, 8, 10, 12, 20, 35, 50, 120, 300)),
                x=f"{r.uniform(0.1, 9.9):.2f}", y0=y0 + 1, y1=y1,
            )

        return self._unique(make, used)

    def box_table(self) -> list[list[str]]:
        """A table inside a box: a header row, then rows of a short category and a task
        or a short cell (12个, 全覆盖, —)."""
        r = self.rng
        header = list(r.choice(P.BOX_TABLE_HEADERS))
        rows = [header]
        for k, category in enumerate(r.sample(P.BOX_TABLE_CATEGORIES, r.randint(2, 5)), 1):
            if r.random() < 0.5:
                content = self.detail(category, set())
            else:
                content = r.choice(P.BOX_TABLE_SHORT_CELLS).format(n=r.randint(2, 60), y1=self.years[1])
            rows.append(([str(k)] if len(header) == 3 else []) + [category, content])
        return rows

    def lead(self, topic: str, used: set[str]) -> str:
        r = self.rng

        def make():
            sentence = r.choice(P.VERBS) + self._obj(topic) + "。"
            return sentence if len(sentence) <= 40 else sentence[:39] + "。"

        return self._unique(make, used)

    def comma_sentence(self, topic: str, used: set[str]) -> str:
        r = self.rng
        templates = (
            lambda: f"{r.choice(P.VERBS)}{self._obj(topic)}，{r.choice(P.VERBS)}{self._obj(topic)}。",
            lambda: f"{r.choice(P.VERBS)}{self._obj(topic)}，{self._fill(r.choice(P.PURPOSES), topic)}。",
            lambda: f"以{self._obj(topic)}、{self._obj(topic)}等为重点，{r.choice(P.VERBS)}{self._obj(topic)}。",
            lambda: f"利用{r.choice(P.TECH)}、{r.choice(P.TECH)}等技术，{r.choice(P.VERBS)}{self._obj(topic)}。",
            lambda: f"实施“{r.choice(P.CAMPAIGNS).format(t=topic)}”专项行动，{r.choice(P.VERBS)}{self._obj(topic)}。",
            lambda: f"{r.choice(P.VERBS)}{self._obj(topic)}与{self._obj(topic)}的衔接，{self._fill(r.choice(P.PURPOSES), topic)}。",
        )
        return self._unique(lambda: r.choice(templates)(), used)

    def detail(self, topic: str, used: set[str]) -> str:
        r = self.rng
        y1 = self.years[1]
        templates = (
            lambda: self.comma_sentence(topic, set()),
            lambda: f"{r.choice(('支持', '鼓励', '推动', '引导'))}{r.choice(P.SUBJECTS)}等{r.choice(('开展', '参与', '建设', '加强'))}{self._obj(topic)}。",
            lambda: f"在{r.choice(P.REGIONS)}布局建设一批{r.choice(P.FACILITIES).format(t=topic)}。",
            lambda: f"到{y1}年，{r.choice(P.METRICS).format(t=topic)}达到{r.randint(60, 98)}%以上。",
            lambda: f"建成{r.choice((10, 20, 30, 50, 100, 200))}个{r.choice(P.FACILITIES).format(t=topic)}。",
            lambda: f"培育{r.randint(2, 30) * 10}家{topic}示范企业。",
            lambda: f"研究制定{topic}{r.choice(P.DOCS)}。",
            lambda: f"修订完善《{r.choice(P.BOOKS)}》配套制度，{r.choice(P.VERBS)}{self._obj(topic)}。",
            lambda: f"定期发布{r.choice(P.REPORTS).format(t=topic)}。",
            lambda: f"{topic}审查周期压缩至{r.choice(('5.5', '6', '8', '12', '15', '18'))}个月以内。",
            lambda: f"推动{self._obj(topic)}向{r.choice(P.REGIONS)}延伸。",
            lambda: f"加强{topic}创造、运用、保护、管理和服务等环节的全链条衔接。",
            lambda: f"{r.choice(P.VERBS)}{self._obj(topic)}。",
            lambda: f"{r.choice(P.VERBS)}{self._obj(topic)}，{r.choice(P.VERBS)}{self._obj(topic)}，{self._fill(r.choice(P.PURPOSES), topic)}。",
        )
        return self._unique(lambda: r.choice(templates)(), used)

    def body_paragraph(self, topic: str) -> str:
        used: set[str] = set()
        return "".join(self.detail(topic, used) for _ in range(self.rng.randint(2, 6)))


# ---------------------------------------------------------------- agencies


@lru_cache(maxsize=1)
def _registry():
    from grammar.registry import load_registry

    return load_registry()


def printable_forms(agency) -> tuple[str, ...]:
    """Forms a plan prints for this body (official name, short forms) that name it alone."""
    registry = _registry()
    return tuple(f for f in (agency.name,) + agency.short_forms if [a.id for a in registry.lookup(f)] == [agency.id])


class _AgencyPicker:
    def __init__(self, rng: random.Random, level: str, plan_year: int):
        self.rng = rng
        self.level = level
        registry = _registry()
        alive = [a for a in registry.agencies if a.existed_in(plan_year) and printable_forms(a)]
        self.national = alive
        by_id = {a.id: a for a in alive}
        self.leads = [(by_id[i], w) for i, w in P.NATIONAL_LEADS if i in by_id]
        common = set(P.COMMON_PARTICIPANTS)
        self.weighted = [(a, 8 if a.id in common else 1) for a in alive]
        if level == "provincial":
            self.local = list(P.PROVINCIAL_AGENCIES)
        elif level == "city":
            self.local = list(P.CITY_AGENCIES)
        else:
            self.local = []

    def _entry(self, agency, role: str) -> tuple[str, str, str]:
        forms = printable_forms(agency)
        short = forms[1:]
        printed = self.rng.choice(short) if short and self.rng.random() < 0.65 else forms[0]
        return (printed, agency.name, role)

    def _pick(self, n: int, role: str, exclude: set[str]) -> list[tuple[str, str, str]]:
        out = []
        if self.local:
            pool = [a for a in self.local if a not in exclude]
            for name in self.rng.sample(pool, min(n, len(pool))):
                exclude.add(name)
                out.append((name, name, role))
            return out
        for _ in range(n):
            pool = [(a, w) for a, w in self.weighted if a.name not in exclude]
            if not pool:
                break
            agencies, weights = zip(*pool)
            agency = self.rng.choices(agencies, weights)[0]
            exclude.add(agency.name)
            out.append(self._entry(agency, role))
        return out

    def _lead(self, exclude: set[str]) -> tuple[str, str, str]:
        if self.local or not self.leads:
            return self._pick(1, LEAD, exclude)[0]
        agencies, weights = zip(*[(a, w) for a, w in self.leads if a.name not in exclude])
        agency = self.rng.choices(agencies, weights)[0]
        exclude.add(agency.name)
        return self._entry(agency, LEAD)

    def statement(self) -> _StatementSpec:
        r = self.rng
        taken: set[str] = set()
        weights = {
            "lead_and_participants": 40,
            "lead_fuze_participants": 10,
            "lead": 14,
            "joint_leads": 10,
            "participants": 14,
            "lead_and_departments": 5,
            "bare_list": 5,
            "labelled_units": 2,
        }
        if self.local:
            weights["labelled_units"] = 40
        form = r.choices(list(weights), list(weights.values()))[0]
        parts: list = []

        def names(entries):
            for i, e in enumerate(entries):
                if i:
                    parts.append("、")
                parts.append(e)

        if form in ("lead_and_participants", "lead_fuze_participants", "lead_and_departments"):
            lead = self._lead(taken)
            others = self._pick(r.randint(1, 5), PARTICIPANT, taken)
            names([lead])
            parts.append("负责，" if form == "lead_fuze_participants" else "牵头，")
            names(others)
            parts.append("等部门按职责分工负责" if form == "lead_and_departments" else "等按职责分工负责")
        elif form == "lead":
            names([self._lead(taken)])
            parts.append("负责")
        elif form == "joint_leads":
            first = self._lead(taken)
            names([first] + self._pick(r.randint(1, 3), LEAD, taken))
            parts.append("等负责")
        elif form == "participants":
            names(self._pick(r.randint(1, 4), PARTICIPANT, taken))
            parts.append("等按职责分工负责")
        elif form == "bare_list":
            names(self._pick(r.randint(2, 8), PARTICIPANT, taken))
        else:  # labelled_units
            parts.append("牵头单位：")
            names([self._lead(taken)])
            parts.append("，配合单位：")
            names(self._pick(r.randint(1, 5), PARTICIPANT, taken))
        if form == "lead_and_departments":
            form = "lead_and_participants"
        if form == "lead_fuze_participants":
            form = "lead_and_participants"
        ascii_brackets = r.random() < 0.05
        return _StatementSpec(["(" if ascii_brackets else "（"] + parts + [")" if ascii_brackets else "）"], form)


# ---------------------------------------------------------------- the indicators table


def _indicator_rows(rng: random.Random) -> list[tuple]:
    n = rng.randint(3, 12)
    rows = []
    markers = iter(P.FOOTNOTES)
    for name, unit, (low, high), decimals in rng.sample(P.INDICATORS, n):
        quantum = Decimal(1).scaleb(-decimals)
        base = Decimal(str(rng.uniform(low, high))).quantize(quantum)
        share = rng.uniform(0.02, 0.15) if unit in ("%", "分") else rng.uniform(0.05, 0.8)
        increase = max((base * Decimal(str(share))).quantize(quantum), quantum)
        target = base + increase
        base_s, target_s, inc_s = str(base), _target_text(rng, target, decimals), str(increase)
        name_raw_head = name
        if rng.random() < 0.12:
            marker = next(markers, None)
            if marker:
                if rng.random() < 0.5:
                    name_raw_head = f"{name} ^{marker} "
                else:
                    base_s = f"{base_s} ^{marker}"
        if rng.random() < 0.12:
            base_s, inc_s = "—", "—"
        attribute = "预期性" if rng.random() < 0.85 else "约束性"
        rows.append((name, name_raw_head + f"（{unit}）", unit, base_s, target_s, inc_s, attribute))
    return rows


def _target_text(rng: random.Random, target: Decimal, decimals: int) -> str:
    """Targets are printed with the row's decimals, or without trailing zeros (12, 13.0 both occur)."""
    text = str(target)
    if "." in text and rng.random() < 0.5:
        stripped = text.rstrip("0").rstrip(".")
        return stripped
    return text


# ---------------------------------------------------------------- layout


class _Writer:
    def __init__(self):
        self.parts: list[str] = []
        self.n = 0
        self.negatives: list[Negative] = []

    def mark(self, kind: str, span: tuple[int, int]) -> None:
        self.negatives.append(Negative(kind, *span))

    def add(self, text: str) -> tuple[int, int]:
        start = self.n
        self.parts.append(text)
        self.n += len(text)
        return start, self.n

    def text(self) -> str:
        return "".join(self.parts)


def _render(spec: _PlanSpec) -> Plan:
    w = _Writer()
    gaps = [w.n]
    title_span = w.add(spec.title)
    w.add("\n\n")
    gaps.append(w.n)
    table = _render_table(w, spec)
    boxes = []
    for number, box_spec in enumerate(spec.boxes, 1):
        w.add("\n\n")
        gaps.append(w.n)
        boxes.append(_render_box(w, box_spec, number))
    w.add("\n")
    gaps.append(w.n)
    body = [tuple(b) for b in spec.body[: len(gaps)]]
    body += [()] * (len(gaps) - len(body))
    return Plan(
        seed=spec.seed,
        level=spec.level,
        plan_year=spec.years[0] + 1,
        title=spec.title,
        title_span=title_span,
        table=table,
        boxes=tuple(boxes),
        gaps=tuple(gaps),
        body=tuple(body),
        alphabet=spec.alphabet,
        text=w.text(),
        negatives=tuple(w.negatives),
    )


def _render_table(w: _Writer, spec: _PlanSpec) -> Table:
    y0, y1 = spec.years
    if spec.header_style == 0:
        header_cells = ["指标", "", f"{y0}年", f"{y1}年", spec.change, "属性"]
    else:
        header_cells = ["序号", "指标名称", f"{y0}年", f"{y1}年", spec.change, "属性"]
    start = w.n
    cells = _write_cells(w, header_cells)
    table_header = "\t".join(header_cells)
    rows = []
    for seq, (name, name_raw, unit, base, target, inc, attribute) in enumerate(spec.rows, 1):
        w.add("\n")
        seq_cell = spec.seq_style.format(n=seq)
        row_start = w.n
        row_cells = _write_cells(w, [seq_cell, name_raw, base, target, inc, attribute])
        if "/" in unit:
            w.mark("slash_unit", row_cells[1])
        rows.append(Row(seq, seq_cell, name, name_raw, unit, base, target, inc, attribute, row_start, w.n, tuple(row_cells)))
    return Table(table_header, start, start + len(table_header), tuple(cells), (y0, y1), spec.change, tuple(rows))


def _write_cells(w: _Writer, cells: list[str]) -> list[tuple[int, int]]:
    spans = []
    for i, cell in enumerate(cells):
        if i:
            w.add("\t")
        spans.append(w.add(cell))
    return spans


def _render_box(w: _Writer, spec: _BoxSpec, number: int) -> Box:
    prefix, _, suffix = spec.style.partition("{n}")
    start = w.n
    w.add(prefix)
    number_span = w.add(str(number))
    w.add(suffix)
    title_span = w.add(spec.title)
    header = spec.style.format(n=number) + spec.title
    end = w.n
    paragraphs = []
    for p_spec in spec.paragraphs:
        w.add("\n\n")
        paragraphs.append(_render_paragraph(w, p_spec))
    _mark_similar_sentences(w, paragraphs)
    return Box(number, spec.title, header, start, end, number_span, title_span, tuple(paragraphs))


def _render_paragraph(w: _Writer, spec: _ParagraphSpec) -> Paragraph:
    if spec.table is not None:
        return _render_box_table(w, spec.table)
    start = w.n
    sentences = [w.add(s) for s in spec.sentences]
    for kind, i, j in spec.negatives:
        w.mark(kind, (sentences[i][0], sentences[j - 1][1]))
    statements = []
    if spec.statement:
        statements.append(_render_statement(w, spec.statement, spec.standalone))
    end = w.n
    text = "".join(spec.sentences) + (statements[0].raw if statements else "")
    lead = sentences[0] if spec.has_lead and sentences else None
    return Paragraph(start, end, text, tuple(sentences), lead, tuple(statements), not spec.standalone)


# Sentences of one box this close (edits) are near-identical: 压缩至15个月 / 压缩至18个月.
SIMILAR_EDITS = 2


def _mark_similar_sentences(w: _Writer, paragraphs: list[Paragraph]) -> None:
    """Mark a sentence as a negative where an earlier one of its box differs from it by a
    word or a number (the writer drew them so; parallel pairs are marked already)."""
    spans = [(start, end, p.text[start - p.start:end - p.start]) for p in paragraphs for start, end in p.sentences]
    parallel = [(n.start, n.end) for n in w.negatives if n.kind == "parallel_sentences"]
    for k, (start, end, sentence) in enumerate(spans):
        if any(a <= start < b for a, b in parallel):
            continue
        if any(Levenshtein.distance(sentence, earlier, score_cutoff=SIMILAR_EDITS) <= SIMILAR_EDITS for _, _, earlier in spans[:k]):
            w.mark("similar_sentences", (start, end))


def _render_box_table(w: _Writer, rows: list[list[str]]) -> Paragraph:
    start = w.n
    for k, row in enumerate(rows):
        if k:
            w.add("\n")
        _write_cells(w, row)
    w.mark("box_table", (start, w.n))
    text = "\n".join("\t".join(row) for row in rows)
    return Paragraph(start, w.n, text, (), None, (), is_item=False, is_table=True)


def _render_statement(w: _Writer, spec: _StatementSpec, standalone: bool) -> Statement:
    start = w.n
    entries = []
    raw = []
    for part in spec.parts:
        if isinstance(part, tuple):
            printed, name, role = part
            s, e = w.add(printed)
            entries.append(Entry(printed, name, role, s, e))
            raw.append(printed)
        else:
            w.add(part)
            raw.append(part)
    return Statement(start, w.n, "".join(raw), spec.form, tuple(entries), standalone)
