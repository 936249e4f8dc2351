"""The damage model on real documents: the clean text of a real plan, damaged the way
the generated ones are (bench.damage), repaired, and scored against the clean text.

``text_layout(text)`` reads a clean text as the pipeline shows it (``read_input``'s text
view) into the ``Layout`` the damage kinds aim at:

- paragraphs: the non-blank lines (in these documents a line is a paragraph; blocks are
  separated by blank lines), their indentation left out; tab-separated lines are table
  lines, left to trailing-tab damage only;
- sentences: runs ending in 。！？ (a closing quote after it included); a paragraph's
  first sentence is its lead when more follow and it is short (a bold lead in print);
- agency statements: a bracket closing a paragraph that holds only body names, with a
  label (（责任单位：…）, （牵头部门：…）) or role words (X牵头，Y等按职责分工负责) or bare
  (（市科委、市卫生健康委）);
- boxes: a line ``专栏N title``; the box holds the lines after it up to the next heading
  or the next gap of two blank lines;
- gaps: the start, the end, and the blocks opening with a heading (一、 （一） 附件) or
  a box: the section boundaries where lost text leaves residue. Each gap's body is the
  paragraph after it: its glyphs are what a broken font leaves there (the truth keeps
  the paragraph);
- no key-indicator table: none of these documents prints one as tab-separated rows with
  an attribute column.

Kinds whose spans a document lacks are skipped for it and said so (``skipped_kinds``).
Nothing here reads the repair rules: damage stays independent of what it measures;
repair is loaded only to score (``evaluate``).

``python -m bench.realdamage`` prints the section alone; ``make bench`` puts it after
the real-corpus section (results["real_damaged"]).
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from rapidfuzz.distance import Levenshtein

from . import phrases as P
from .damage import HELD_OUT, KINDS, LOSSY, PROFILES, Damaged, Layout, Profile, run_damage
from .generate import LEAD, PARTICIPANT, Box, Entry, Paragraph, Statement
from .metrics import add_counts, cer, rate, score_text, visible

SEEDS = (1, 2, 3, 4, 5)
PROFILE_NAMES = ("default", "heldout")
FORMATS = ("markdown", "html", "docx", "doc")  # the text path's formats (PDFs are the scan path's)

# ---------------------------------------------------------------- the layout of a clean text

BLANK = " \u3000\t\u2002\u2003\u00a0"  # white space inside a line (indentation: ideographic, em and en spaces)
INDENT = " \u3000\u2002\u2003\u00a0"
MARKUP = "#*> \u3000"  # Markdown marks (and spaces between them) before a heading
HEADING = re.compile(r"[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[)）]|附件")
HEADING_MAX = 40  # a longer line opening with 一、 or （一） is an item paragraph
BOX_HEADER = re.compile(r"专栏[ \u3000]*(\d+)[ \u3000.．、：:]*")
SENTENCE_END = "。！？"
CLOSERS = "”’"
LEAD_MAX = 40  # characters: longer first sentences are not set as bold leads
STATEMENT = re.compile(r"[（(]([^（）()\n]+)[）)][。；]?$")
LABEL = re.compile(r"^(?:责任|牵头|配合|参与|协办|主办)(?:单位|部门|处室)[：:]")
ROLE_TAIL = re.compile(r"(?:等部门|等单位|等)?(?:按职责分工负责|分工负责|牵头|负责|配合|参与)$")
AGENCY_ENDS = ("委", "局", "部", "办", "厅", "院", "会", "府", "单位", "中心", "署", "行", "总部", "区", "室", "所", "处", "司", "组", "馆", "队", "协", "关", "联", "团", "社")
BARE_NAME_MIN = 3  # a bare list's names: 市科委 and longer (（机组） is no list of bodies)


@dataclass(frozen=True)
class Line:
    start: int  # the line's first character
    begin: int  # past its indentation
    end: int  # past its last non-blank character
    block_start: bool  # the first line after a blank line (or of the text)
    blanks_before: int  # blank lines just before it


def text_layout(text: str) -> Layout:
    """The spans of a clean real text the damage kinds aim at (see the module docstring)."""
    lines = _lines(text)
    boxes: list[Box] = []
    loose: list[Paragraph] = []
    gaps = [0]
    box_header: tuple | None = None
    box_paragraphs: list[Paragraph] = []
    for line in lines:
        content = text[line.begin:line.end]
        opens = _opens_section(content)
        if line.block_start and opens and line.start not in gaps:
            gaps.append(line.start)
        if box_header is not None and line.block_start and (opens or line.blanks_before >= 2):
            boxes.append(_box(text, box_header, box_paragraphs))
            box_header, box_paragraphs = None, []
        header = _box_header(text, line)
        if header is not None:
            if box_header is not None:
                boxes.append(_box(text, box_header, box_paragraphs))
            box_header, box_paragraphs = header, []
            continue
        paragraph = _paragraph(text, line, heading=_is_heading(content))
        (box_paragraphs if box_header is not None else loose).append(paragraph)
    if box_header is not None:
        boxes.append(_box(text, box_header, box_paragraphs))
    if len(text) not in gaps:
        gaps.append(len(text))
    return Layout(
        text=text,
        title_span=_title_span(text, lines),
        table=None,
        table_lines=tuple((line.start, line.end) for line in lines if "\t" in text[line.start:line.end]),
        boxes=tuple(boxes),
        loose=tuple(loose),
        gaps=tuple(gaps),
        body=tuple(_body_after(g, boxes, loose) for g in gaps),
    )


def _lines(text: str) -> list[Line]:
    out, blanks, offset = [], 0, 0
    for raw in text.split("\n"):
        start, offset = offset, offset + len(raw) + 1
        if not raw.strip(BLANK):
            blanks += 1
            continue
        # A table line keeps its leading tabs (empty cells under a merged cell).
        begin = start + len(raw) - len(raw.lstrip(INDENT if "\t" in raw else BLANK))
        end = start + len(raw.rstrip(BLANK))
        out.append(Line(start, begin, end, not out or blanks > 0, blanks))
        blanks = 0
    return out


def _unmarked(content: str) -> str:
    return content.lstrip(MARKUP)


def _opens_section(content: str) -> bool:
    bare = _unmarked(content)
    return bool(HEADING.match(bare) or BOX_HEADER.match(bare))


def _is_heading(content: str) -> bool:
    return bool(HEADING.match(_unmarked(content))) and len(content) <= HEADING_MAX


def _box_header(text: str, line: Line) -> tuple[int, int, tuple[int, int], tuple[int, int]] | None:
    """(start, end, number span, title span) of a ``专栏N title`` line with a title."""
    content = text[line.begin:line.end]
    lead = len(content) - len(_unmarked(content))
    match = BOX_HEADER.match(content, lead)
    if not match:
        return None
    end = line.begin + len(content.rstrip("*# "))
    start, title = line.begin + lead, line.begin + match.end()
    if title >= end:
        return None  # a bare 专栏N: no title to aim at
    return start, end, (line.begin + match.start(1), line.begin + match.end(1)), (title, end)


def _box(text: str, header, paragraphs: list[Paragraph]) -> Box:
    start, end, number_span, title_span = header
    number = int(text[slice(*number_span)])
    return Box(number, text[slice(*title_span)], text[start:end], start, end, number_span, title_span, tuple(paragraphs))


def _paragraph(text: str, line: Line, heading: bool) -> Paragraph:
    content = text[line.begin:line.end]
    if "\t" in content:
        return Paragraph(line.begin, line.end, content, (), None, (), is_item=False, is_table=True)
    statement = _statement(text, line)
    body_end = statement.start if statement else line.end
    sentences = _sentences(text, line.begin, body_end)
    first = sentences[0] if sentences else None
    lead = first if len(sentences) >= 2 and first[1] - first[0] <= LEAD_MAX else None
    only_statement = statement is not None and not text[line.begin:statement.start].strip(BLANK)
    statements = (statement,) if statement else ()
    return Paragraph(line.begin, line.end, content, tuple(sentences), lead, statements, is_item=not heading and not only_statement)


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, s, i = [], start, start
    while i < end:
        if text[i] in SENTENCE_END:
            j = i + 1
            while j < end and text[j] in CLOSERS:
                j += 1
            spans.append((s, j))
            s = i = j
        else:
            i += 1
    return spans


def _statement(text: str, line: Line) -> Statement | None:
    """The agency statement closing the line, if its bracket holds body names only."""
    content = text[line.begin:line.end]
    match = STATEMENT.search(content)
    if not match:
        return None
    inner_start = line.begin + match.start(1)
    entries, labelled, worded = [], False, False
    for clause in re.finditer(r"[^，,]+", match.group(1)):
        at, words = inner_start + clause.start(), clause.group()
        label = LABEL.match(words)
        role = PARTICIPANT
        if label:
            labelled = True
            role = PARTICIPANT if words[:2] in ("配合", "参与", "协办") else LEAD
            at, words = at + label.end(), words[label.end():]
        tail = ROLE_TAIL.search(words)
        if tail:
            worded = True
            role = LEAD if tail.group().endswith(("牵头", "负责")) and "分工" not in tail.group() else PARTICIPANT
            words = words[: tail.start()]
        for name in re.finditer(r"[^、]+", words):
            printed = name.group()
            if not _agency_like(printed):
                return None
            entries.append(Entry(printed, printed, role, at + name.start(), at + name.end()))
    if not entries:
        return None
    form = "labelled_units" if labelled else ("lead_and_participants" if worded else "bare_list")
    if form == "bare_list" and any(len(e.printed) < BARE_NAME_MIN for e in entries):
        return None
    start, end = line.begin + match.start(), line.begin + match.start() + len(match.group(0).rstrip("。；"))
    return Statement(start, end, text[start:end], form, tuple(entries), standalone=False)


def _agency_like(name: str) -> bool:
    return 2 <= len(name) <= 40 and name.endswith(AGENCY_ENDS) and not any(c.isdigit() or c in BLANK for c in name)


def _title_span(text: str, lines: list[Line]) -> tuple[int, int] | None:
    if not lines:
        return None
    line = lines[0]
    content = text[line.begin:line.end]
    start = line.begin + len(content) - len(_unmarked(content))
    end = line.begin + len(content.rstrip("*# "))
    return (start, end) if 0 < end - start <= 60 else None


def _body_after(gap: int, boxes: list[Box], loose: list[Paragraph]) -> tuple[str, ...]:
    """The first running paragraph after a gap: whose glyphs a broken font leaves there."""
    paragraphs = [p for b in boxes for p in b.paragraphs] + list(loose)
    after = [p for p in paragraphs if p.start >= gap and p.is_item]
    return (min(after, key=lambda p: p.start).text,) if after else ()


# ---------------------------------------------------------------- which kinds a text can take

BOX_KINDS = tuple(k for k in KINDS if k.startswith("box_number")) + ("sidebar", "residue_in_box")
AGENCY_KINDS = ("agency_repeat", "agency_truncated", "agency_dropped")
# The rates that draw each kind: a kind no rate of the profile draws is not the profile's.
KIND_RATES = {
    "split_word": ("split_word", "split_name"),
    "stray_mark": ("stray_mark", "stray_mark_title"),
    "letter_spacing": ("letter_spacing_header", "letter_spacing_name", "letter_spacing_title", "letter_spacing_plan_title", "letter_spacing_paragraph"),
    "fake_bold": ("fake_bold_title", "fake_bold_header", "fake_bold_lead"),
    "layout_whitespace": ("trailing_tabs", "whitespace_line", "extra_blank_lines", "indent"),
}


def profile_kinds(profile: Profile) -> tuple[str, ...]:
    return tuple(k for k in KINDS if any(profile.rate(r) > 0 for r in KIND_RATES.get(k, (k,))))


def skipped_kinds(doc: Layout, profile: Profile) -> dict[str, str]:
    """Kinds of the profile this text lacks the spans for, with why."""
    out = {}
    if not doc.boxes:
        out.update({k: "no 专栏 box" for k in BOX_KINDS})
    elif not any(len(b.paragraphs) >= 2 for b in doc.boxes):
        out["residue_in_box"] = "no box of two paragraphs"
    if not any(p.statements for p in _paragraphs(doc)):
        out.update({k: "no agency statement in brackets" for k in AGENCY_KINDS})
        if profile.split == HELD_OUT:
            out["split_word"] = "no agency names (held-out breaks fall inside names)"
    if doc.table is None:
        out["table_shift"] = "no key-indicator table with an attribute column"
        spaced = ("letter_spacing_plan_title", "letter_spacing_paragraph")
        if not doc.boxes and not any(profile.rate(r) > 0 for r in spaced):
            out["letter_spacing"] = "no table header, indicator name or box title"
    kinds = profile_kinds(profile)
    return {k: why for k, why in out.items() if k in kinds}


def _paragraphs(doc: Layout) -> list[Paragraph]:
    return [p for b in doc.boxes for p in b.paragraphs] + list(doc.loose)


# ---------------------------------------------------------------- damage

ALPHABET_SIZE = (8, 16)  # residue glyphs per damaged document, as the generator draws them


def damage_text(doc: Layout, profile: Profile, seed: int, name: str = "") -> Damaged:
    """``doc``'s clean text damaged under ``profile``, seeded by (profile, name, seed); the
    broken font's residue glyphs are drawn per damaged document from the corpus's pool."""
    rng = random.Random(f"{profile.name}:{name}:{seed}")
    doc = replace(doc, alphabet="".join(rng.sample(P.RESIDUE_POOL, rng.randint(*ALPHABET_SIZE))))
    state = run_damage(doc, profile, rng)
    return Damaged(doc, profile.name, seed, state.text, tuple(state.align), tuple(state.source), tuple(state.records))


# ---------------------------------------------------------------- must-survive strings


def _fold(text: str) -> tuple[str, list[int]]:
    """The text without white space, widths folded (NFKC, as bench.real compares), and
    the text offset of each folded character."""
    chars, where = [], []
    for i, c in enumerate(text):
        if c.isspace():
            continue
        for f in unicodedata.normalize("NFKC", c):
            if not f.isspace():
                chars.append(f)
                where.append(i)
    return "".join(chars), where


def locate(text: str, strings: list[str]) -> list[tuple[str, tuple[int, int] | None]]:
    """Each string with its span in ``text`` (white space and widths aside), or None."""
    folded, where = _fold(text)
    out = []
    for s in strings:
        needle = _fold(s)[0]
        k = folded.find(needle) if needle else -1
        out.append((s, (where[k], where[k + len(needle) - 1] + 1) if k >= 0 else None))
    return out


def untouched(damaged: Damaged, span: tuple[int, int], first: list[int]) -> bool:
    """truth[span] stands in the damaged text once, whole, as it was (``first``: where
    each truth offset's first copy is)."""
    start, end = span
    p = first[start]
    if p < 0 or p + end - start > len(damaged.text):
        return False
    truth = damaged.truth_text
    return list(damaged.align[p:p + end - start]) == list(range(start, end)) and damaged.text[p:p + end - start] == truth[start:end] and (
        p + end - start >= len(damaged.align) or damaged.align[p + end - start] != end - 1
    )


def _first_copies(damaged: Damaged) -> list[int]:
    first = [-1] * (len(damaged.truth_text) + 1)
    for i, a in enumerate(damaged.align):
        if a >= 0 and first[a] < 0:
            first[a] = i
    return first


def survival(damaged: Damaged, repaired: str, located) -> Counter:
    """Must-survive strings the damage left whole, and of those how many repair kept
    (found in the repaired text, white space and widths aside); the others for information."""
    out: Counter = Counter()
    text = _fold(repaired)[0]
    first = _first_copies(damaged)
    for s, span in located:
        if span is None:
            out["not_in_text"] += 1
            continue
        kept = _fold(s)[0] in text
        key = "untouched" if untouched(damaged, span, first) else "touched"
        out[key] += 1
        out[f"{key}_kept"] += kept
    return out


# ---------------------------------------------------------------- one damaged document


def evaluate(name: str, text: str, must_survive: list[str], profile_name: str, seed: int) -> tuple[dict, list[dict]]:
    """Counts for one real text damaged under one profile and seed, then repaired, and
    examples: the first missed damage of each kind, the first true text each rule deleted."""
    from repair.rules import repair_text  # to score only: the damage above never loads repair/

    from .run import missed_examples

    damaged = damage_text(text_layout(text), PROFILES[profile_name], seed, name)
    result = repair_text(damaged.text)
    counts = score_text(damaged, result.text, result.origin, result.changes)
    counts["visible_truth_chars"] = len(visible(text))
    counts["visible_damaged_distance"] = Levenshtein.distance(visible(damaged.text), visible(text))
    counts["visible_repaired_distance"] = Levenshtein.distance(visible(result.text), visible(text))
    counts["must_survive"] = dict(survival(damaged, result.text, locate(text, must_survive)))
    examples = missed_examples(damaged, result) + deleted_examples(damaged, result)
    return counts, [{"document": name, **e} for e in examples]


def deleted_examples(damaged: Damaged, result) -> list[dict]:
    """Per rule, the first change that removed true (non-white-space) characters of
    which no copy is left (a repeat or a doubled glyph removed is no loss)."""
    kept = {damaged.align[o] for o in result.origin if o >= 0}
    out, seen = [], set()
    for change in result.changes:
        start, end = change.source.start, change.source.end
        gone = [i for i in range(start, end) if damaged.align[i] >= 0 and damaged.align[i] not in kept and not damaged.text[i].isspace()]
        if not gone or change.rule in seen:
            continue
        seen.add(change.rule)
        t = damaged.align[gone[0]]
        out.append({"seed": damaged.seed, "kind": "wrongly_deleted", "rule": change.rule, "before": change.before[:60],
                    "truth": damaged.truth_text[max(0, t - 25):t + 35], "reason": change.reason[:120]})
    return out


def clean_repair(text: str) -> dict:
    """What repair does to the undamaged text: the floor under the damaged figures (real
    texts carry indentation and blank lines that repair normalises)."""
    from repair.rules import repair_text

    result = repair_text(text)
    return {
        "cer": cer(result.text, text),
        "visible_cer": Levenshtein.distance(visible(result.text), visible(text)) / max(1, len(visible(text))),
        "changes": len(result.changes),
    }


# ---------------------------------------------------------------- the corpus


def documents() -> tuple[list[tuple[str, str, dict]], dict[str, str]]:
    """(name, clean text, truth) of each real text-path document whose state is clean, and
    the documents left out with why."""
    from pipeline.ingest import read_input

    from .real import REALDOCS, truth_files

    docs, left_out = [], {}
    for path in truth_files():
        truth = json.loads(path.read_text(encoding="utf-8"))
        name = truth["document"]
        if truth["format"] not in FORMATS:
            left_out[name] = f"{truth['format']}: the scan path's, no text view"
        elif truth["state"] != "clean":
            left_out[name] = "its text is damaged already: no clean truth"
        else:
            try:
                docs.append((name, read_input(REALDOCS / name).text, truth))
            except Exception as exc:  # a reader missing here (antiword) must not stop the bench
                left_out[name] = f"unreadable here: {str(exc).splitlines()[0][:80]}"
    return docs, left_out


def figures(counts: dict) -> dict:
    """Rates from the counts summed over documents and seeds (of one profile)."""
    truth = counts.get("truth_chars", 0)
    visible_truth = counts.get("visible_truth_chars", 0)
    survive = counts.get("must_survive", {})
    per_kind = {}
    for kind in KINDS:
        c = counts.get("per_kind", {}).get(kind)
        if not c:
            continue
        n = c.get("instances", 0)
        per_kind[kind] = {"instances": n} if kind in LOSSY else {"instances": n, "repaired": rate(c.get("repaired", 0), n), "missed": rate(c.get("missed", 0), n)}
    return {
        "truth_characters": truth,
        "text": {
            "cer_damaged": rate(counts.get("damaged_distance", 0), truth),
            "cer_repaired": rate(counts.get("repaired_distance", 0), truth),
            "cer_repaired_recoverable": rate(counts.get("repaired_distance_recoverable", 0), truth - counts.get("lost_chars", 0)),
            "visible_cer_damaged": rate(counts.get("visible_damaged_distance", 0), visible_truth),
            "visible_cer_repaired": rate(counts.get("visible_repaired_distance", 0), visible_truth),
            "wrongly_deleted": rate(counts.get("wrongly_deleted", 0), truth),
            "wrongly_deleted_chars": counts.get("wrongly_deleted", 0),
            "damage_kept": rate(counts.get("damage_kept", 0), truth),
            "errors_outside_damage": rate(counts.get("errors_by_kind", {}).get("none", 0), truth),
        },
        "must_survive": {
            "untouched": survive.get("untouched", 0),
            "untouched_kept": survive.get("untouched_kept", 0),
            "touched": survive.get("touched", 0),
            "touched_kept": survive.get("touched_kept", 0),
            "not_in_text": survive.get("not_in_text", 0),
        },
        "per_kind": per_kind,
        "wrongly_deleted_by_rule": counts.get("wrongly_deleted_by_rule", {}),
        "errors_by_kind": dict(sorted(counts.get("errors_by_kind", {}).items(), key=lambda kv: -kv[1])),
    }


def run(seeds=SEEDS, profiles=PROFILE_NAMES) -> dict:
    docs, left_out = documents()
    out: dict = {"seeds": list(seeds), "profiles": list(profiles), "left_out": left_out, "documents": {}}
    totals: dict = {p: {} for p in profiles}
    examples: dict = {p: [] for p in profiles}
    started = time.perf_counter()
    for name, text, truth in docs:
        layout = text_layout(text)
        entry = {
            "format": truth["format"],
            "characters": len(text),
            "paragraphs": len(_paragraphs(layout)),
            "boxes": len(layout.boxes),
            "statements": sum(len(p.statements) for p in _paragraphs(layout)),
            "gaps": len(layout.gaps),
            "clean_repair": clean_repair(text),
        }
        for profile in profiles:
            counts: dict = {}
            for seed in seeds:
                doc_counts, doc_examples = evaluate(name, text, truth.get("must_survive", []), profile, seed)
                add_counts(counts, doc_counts)
                examples[profile] += doc_examples
            add_counts(totals[profile], counts)
            entry[profile] = figures(counts)
            entry[profile]["skipped"] = skipped_kinds(layout, PROFILES[profile])
        out["documents"][name] = entry
    for profile in profiles:
        out[profile] = figures(totals[profile])
        out[profile]["examples"] = _first_per_kind(examples[profile])
    out["seconds"] = time.perf_counter() - started
    return out


def _first_per_kind(examples: list[dict], per_kind: int = 2) -> list[dict]:
    """A few examples of each kind (and of each deleting rule), documents in order."""
    seen: Counter = Counter()
    out = []
    for e in examples:
        key = (e["kind"], e.get("rule"))
        if seen[key] < per_kind:
            seen[key] += 1
            out.append(e)
    return out


# ---------------------------------------------------------------- the table


def _pct(value, digits: int = 2) -> str:
    return "—" if value is None else f"{100 * value:.{digits}f} %"


def render(results: dict) -> list[str]:
    profiles = results["profiles"]
    seeds = results["seeds"]
    n = len(results["documents"])
    lines = [
        f"REAL CORPUS, DAMAGED: the damage model on the clean texts of {n} real documents"
        f" ({len(seeds)} seeds each: {', '.join(map(str, seeds))}; profiles {', '.join(profiles)}), repaired, against the clean text",
        "  CER: all characters / white space aside; clean: what repair does to the undamaged text;"
        " deleted: true non-white-space characters repair removed; survive: must-survive strings the damage left whole, kept",
        f"  {'document':<36}{'chars':>7}  {'profile':<8}{'CER damaged':>18}{'CER repaired':>18}{'clean':>9}{'deleted':>9}{'survive':>10}",
    ]

    def row(label: str, chars: str, profile: str, f: dict, clean: str) -> str:
        t, s = f["text"], f["must_survive"]
        return (
            f"  {label:<36}{chars:>7}  {profile:<8}"
            f"{_pct(t['cer_damaged'], 1) + ' / ' + _pct(t['visible_cer_damaged'], 1):>18}"
            f"{_pct(t['cer_repaired'], 2) + ' / ' + _pct(t['visible_cer_repaired'], 2):>18}"
            f"{clean:>9}{t['wrongly_deleted_chars']:>9}{str(s['untouched_kept']) + '/' + str(s['untouched']):>10}"
        )

    for name, doc in results["documents"].items():
        for k, profile in enumerate(profiles):
            label, chars, clean = (name[:36], str(doc["characters"]), _pct(doc["clean_repair"]["cer"], 2)) if k == 0 else ("", "", "")
            lines.append(row(label, chars, profile, doc[profile], clean))
    total_chars = sum(d["characters"] for d in results["documents"].values())
    for k, profile in enumerate(profiles):
        lines.append(row(f"all ({n} documents × {len(seeds)} seeds)" if k == 0 else "", str(total_chars) if k == 0 else "", profile, results[profile], ""))
    for profile in profiles:
        s = results[profile]["must_survive"]
        lines.append(
            f"  {profile}: must-survive strings the damage left whole {s['untouched_kept']}/{s['untouched']} kept;"
            f" the damage touched {s['touched']} more, {s['touched_kept']} of them read whole after repair"
        )
    lines.append(f"  {'per damage kind':<36}" + "".join(f"{p + ' n':>12}{'repaired':>10}" for p in profiles) + "   ((lost): the damage destroys the text)")
    for kind in KINDS:
        entries = [results[p]["per_kind"].get(kind) for p in profiles]
        if not any(entries):
            continue
        cells = ""
        for e in entries:
            if not e:
                cells += f"{'—':>12}{'':>10}"
            else:
                cells += f"{e['instances']:>12}{'(lost)' if kind in LOSSY else _pct(e['repaired'], 1):>10}"
        lines.append(f"    {kind:<32}{cells}")
    for profile in profiles:
        by_rule = results[profile]["wrongly_deleted_by_rule"]
        if by_rule:
            lines.append(f"  {profile}: true characters deleted by " + ", ".join(f"{r} {c}" for r, c in sorted(by_rule.items(), key=lambda kv: -kv[1])))
        for e in results[profile].get("examples", []):
            if e["kind"] == "wrongly_deleted" and e is next(x for x in results[profile]["examples"] if x.get("rule") == e["rule"]):
                lines.append(f"    e.g. {e['document']} seed {e['seed']}: {e['rule']} removed {e['before']!r} from …{e['truth']!r}…")
    lines.extend(_skipped_lines(results))
    for name, why in results["left_out"].items():
        lines.append(f"  left out: {name}: {why}")
    return lines


def _skipped_lines(results: dict) -> list[str]:
    """Skipped kinds, one line per set of kinds and reasons (documents that share it named together)."""
    groups: dict[str, list[str]] = {}
    for name, doc in results["documents"].items():
        for profile in results["profiles"]:
            skipped = doc[profile]["skipped"]
            by_reason: dict[str, list[str]] = {}
            for kind, why in skipped.items():
                by_reason.setdefault(why, []).append(kind)
            text = "; ".join(f"{_kind_list(kinds)} ({why})" for why, kinds in by_reason.items()) or "none"
            groups.setdefault(f"{profile}: {text}", []).append(name.split(".")[0])
    return [f"  skipped kinds, {key} — {', '.join(dict.fromkeys(names))}" for key, names in groups.items()]


def _kind_list(kinds: list[str]) -> str:
    """Kinds named once per family: box_number_* for the misprints of box numbers."""
    boxes = [k for k in kinds if k.startswith("box_number")]
    rest = [k for k in kinds if not k.startswith("box_number")]
    return ", ".join(([f"box_number_* ({len(boxes)})"] if len(boxes) > 1 else boxes) + rest)


def real_damage_section() -> tuple[dict, list[str]]:
    """The figures (results["real_damaged"]) and the table lines of this section."""
    from .real import REALDOCS

    if not REALDOCS.is_dir():
        return {"skipped": "no real documents (../shared/realdocs)"}, ["real corpus, damaged: skipped (../shared/realdocs not found)"]
    results = run()
    return results, render(results)


def main() -> int:
    figures_, lines = real_damage_section()
    print("\n".join(lines))
    if "seconds" in figures_:
        print(f"\n({figures_['seconds']:.0f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
