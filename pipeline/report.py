"""report.html: one self-contained page researchers review a recovery with.

``build_report`` is a pure function of the source text, the repaired text, the change
records and the plan dict (and, when a scan was used, its page images): the same
inputs give the same bytes. The page needs nothing from the network (a Content
Security Policy forbids it); its CSS and its bit of JavaScript are inline.

- The text, side by side: the original on the left, the repaired text on the right,
  aligned by line through the change log (``changetrace.trace``): every highlighted
  span on the left is exactly what one record removed, and each right-hand row holds
  the repaired lines the kept characters of the left-hand lines ended up in. Each
  record is one focusable ``<del class="chg">`` on the left (a record that removed no
  source character gets an empty one where it acted), so the counts per kind at the
  top, the highlighted changes and changes.jsonl agree by construction.
- The structured result: the indicator table with its arithmetic checks, each
  programme box with its items, agencies and open issues, the agencies, the issues.
- With a scan: page thumbnails, and a viewer that shows the page region a recovered
  span was read from, with its OCR box drawn.
"""

from __future__ import annotations

import base64
import bisect
import html
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from .changetrace import Trace, trace
from .errors import ReplayMismatch

# Kinds of change, in the order the page lists them: (id, label, what it means).
KINDS: tuple[tuple[str, str, str], ...] = (
    ("residue", "residue removed", "stray characters left where body text was lost"),
    ("duplicate", "duplicate removed", "a sentence, an agency or a fake-bold character printed twice"),
    ("join", "words joined", "a word split by a line break or spaced-out type"),
    ("renumber", "box renumbered", "a programme box number corrected from its neighbours"),
    ("cell", "cell moved", "a table cell shifted into the wrong column"),
    ("aside", "fragment set aside", "sidebar fragments whose place in the text is lost"),
    ("ocr", "OCR reading", "text the scan reads where the extract lost it"),
    ("fusion", "fusion choice", "the scan's reading chosen over the extract's"),
    ("layout", "layout", "white space: indents, trailing blanks, blank lines"),
    ("mark", "mark removed", "a stray mark inside a word"),
    ("glyph", "character normalised", "a Kangxi radical or compatibility code point read as its ideograph"),
    ("other", "other", "a rule this report does not know"),
)
KIND_LABEL = {k: label for k, label, _ in KINDS}

RULE_KINDS = {
    "drop_residue_lines": "residue",
    "drop_repeated_sentences": "duplicate",
    "drop_repeated_agencies": "duplicate",
    "join_split_words": "join",
    "join_letter_spaced": "join",
    "undo_fake_bold": "duplicate",
    "normalize_radicals": "glyph",
    "renumber_boxes": "renumber",
    "fix_shifted_attribute_cell": "cell",
    "set_aside_sidebar_fragments": "aside",
    "blank_whitespace_only_lines": "layout",
    "strip_line_indent": "layout",
    "strip_trailing_whitespace": "layout",
    "normalize_blank_lines": "layout",
    "drop_stray_marks": "mark",
    "fill_from_scan": "ocr",
    "take_ocr_reading": "fusion",
}

ISSUE_LABEL = {
    "body_text_lost": "body text lost",
    "missing_agency_statement": "no agency statement",
    "truncated_agency_statement": "agency statement breaks off",
    "ambiguous_agency": "ambiguous agency name",
    "unknown_agency": "unknown agency",
    "agency_not_in_plan_year": "agency did not exist in the plan year",
    "footnote_text_lost": "footnote text lost",
    "unplaced_fragment": "fragment set aside",
    "box_number_uncertain": "box number uncertain",
    "box_not_found": "box not in the text",
    "indicator_check_failed": "indicator check failed",
    "indicator_row_unparsed": "indicator row not understood",
    "table_cell_conflict": "table cell conflict",
    "no_plan_structure": "no plan structure",
    "page_unreadable": "page unreadable",
    "text_layer_garbled": "text layer garbled",
    "text_layer_incomplete": "text layer incomplete",
    "no_agency_statements": "no box names agencies (a note)",
    "unregistered_agency": "name not in the registry",
}

REPORT_HTML = "report.html"
LONG_GONE = 12  # a removed run of more source lines than this scrolls in its own box


def change_kind(rule: str) -> str:
    """The kind of change a rule makes (``ocr_*``/``fuse_*`` are the scan rules to come)."""
    if rule in RULE_KINDS:
        return RULE_KINDS[rule]
    if rule.startswith("ocr_"):
        return "ocr"
    if rule.startswith("fuse_"):
        return "fusion"
    return "other"


def kind_counts(records: Iterable[dict]) -> dict[str, int]:
    """Records per kind, in the order of KINDS, kinds without records left out."""
    counts = Counter(change_kind(str(r.get("rule", ""))) for r in records)
    return {k: counts[k] for k, _, _ in KINDS if counts[k]}


@dataclass(frozen=True)
class ReportPage:
    """One scan page for the report: an image, and the size of the page the OCR boxes measure."""

    number: int
    width: int  # pixels of the page as OCR read it (bbox coordinates)
    height: int
    image: bytes
    mime: str = "image/jpeg"


def e(text) -> str:
    return html.escape(str(text), quote=True)


def build_report(
    source: str,
    repaired: str,
    records: Sequence[dict],
    plan: dict,
    pages: Sequence[ReportPage] = (),
    source_note: str = "",
) -> str:
    """The report page as one string of HTML."""
    records = sorted(records, key=lambda r: int(r["id"]))
    tr = trace(source, records)
    if tr.text != repaired:
        raise ReplayMismatch("the change log does not turn the source into the repaired text; were they written by the same run?")
    by_id = {int(r["id"]): r for r in records}
    kind_of = {i: change_kind(str(r.get("rule", ""))) for i, r in by_id.items()}
    counts = kind_counts(records)
    doc = plan.get("document", {})
    title = doc.get("title") or doc.get("source_name") or "plan"
    has_pages = bool(pages)
    scan_index = _ScanIndex(plan) if has_pages else None

    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
        "<link rel=\"icon\" href=\"data:,\">\n",
        f"<title>Review: {e(title)}</title>\n<style>{CSS}{_kind_css()}</style>\n</head>\n<body>\n",
        _header(plan, title, records, counts, source, repaired, source_note),
        "<main>\n",
        _damage_section(plan),
        _text_section(tr, by_id, kind_of, scan_index),
        _indicator_section(plan, has_pages),
        _box_section(plan, has_pages),
        _task_section(plan, has_pages),
        _agency_section(plan),
        _issue_section(plan),
        _scan_section(pages) if has_pages else _no_scan_note(plan),
        "</main>\n",
        '<div id="tip" role="tooltip" hidden></div>\n',
        _viewer() if has_pages else "",
        _data_script(by_id, kind_of, pages),
        f"<script>{JS}</script>\n</body>\n</html>\n",
    ]
    return "".join(parts)


# --- header -------------------------------------------------------------------------


def _header(plan: dict, title: str, records, counts: dict[str, int], source: str, repaired: str, source_note: str) -> str:
    doc = plan.get("document", {})
    facts = [doc.get(k) for k in ("issuer", "doc_number", "date") if doc.get(k)]
    period = doc.get("plan_period")
    if period:  # the years the plan covers, as the genre writes them (2021—2025年)
        facts.append(f"{period['start']}—{period['end']}年")
    inputs = doc.get("inputs") or [{"kind": "text", "name": doc.get("source_name", "?"), "sha256": doc.get("sha256", "")}]
    read = "; ".join(
        f"{e(i['kind'])} <code>{e(i['name'])}</code>" + (f" ({e(i['pages'])} pages, {e(i.get('engine', '?'))} at {e(i.get('dpi', '?'))} dpi)" if i.get("pages") else "")
        for i in inputs
    )
    summary = plan.get("summary", {})
    gen = plan.get("generator", {})
    out = [
        '<header>\n<div class="top">',
        f'<h1 lang="zh-CN">{e(title)}</h1>',
        f'<p class="facts" lang="zh-CN">{" · ".join(e(f) for f in facts)}</p>' if facts else "",
        f'<p class="facts">Read: {read}. {e(len(source.splitlines()))} source lines → {e(len(repaired.splitlines()))} repaired lines. '
        f'{e(len(plan.get("indicators", [])))} indicators, {e(len(plan.get("programmes", [])))} programme boxes, '
        + (f'{e(len(plan["tasks"]))} tasks, ' if plan.get("tasks") else "")
        + f'{e(len(plan.get("agencies", [])))} agencies, {e(len(plan.get("issues", [])))} open issues. '
        f'<span class="muted">{e(gen.get("name", "planrecover"))} {e(gen.get("version", ""))}, plan.json schema {e(plan.get("schema_version", "?"))}'
        + (f"; {e(source_note)}" if source_note else "")
        + "</span></p>",
        "</div>\n</header>",
        '<div class="bar">',
        '<nav aria-label="sections"><a href="#text">Text</a> <a href="#indicators">Indicators</a> <a href="#boxes">Programme boxes</a> '
        + ('<a href="#tasks">Tasks</a> ' if plan.get("tasks") else "")
        + '<a href="#agencies">Agencies</a> <a href="#issues">Issues</a> <a href="#scan">Scan</a></nav>',
        f'<div class="kinds" role="group" aria-label="changes by kind; untick a kind to hide its highlights">'
        f'<span class="total"><b id="total-changes">{len(records)}</b> changes</span>',
    ]
    for kind, count in counts.items():
        description = next(d for k, _, d in KINDS if k == kind)
        out.append(
            f'<label class="kind k-{kind}" title="{e(description)}"><input type="checkbox" checked data-kind="{kind}"> '
            f'<span class="sw k-{kind}"></span>{e(KIND_LABEL[kind])} <b class="count" data-kind="{kind}">{count}</b></label>'
        )
    by_rule = summary.get("changes_by_rule") or {}
    if by_rule:
        rules = ", ".join(f"{e(rule)} {e(n)}" for rule, n in by_rule.items())
        out.append(f'<details class="rules"><summary>by rule</summary><p>{rules}</p></details>')
    out.append("</div>\n</div>\n")
    return "\n".join(o for o in out if o)


# --- the text, side by side ---------------------------------------------------------


@dataclass
class _Block:
    left: list[int]  # [first, end) source lines (0-based)
    right: list[int]  # [first, end) repaired lines


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its newline; a final newline opens no line."""
    spans, start = [], 0
    for i, c in enumerate(text):
        if c == "\n":
            spans.append((start, i))
            start = i + 1
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


def align(tr: Trace) -> list[_Block]:
    """Rows of the side-by-side view: source lines and the repaired lines their kept
    characters ended up in. Source lines nothing survives of get a row of their own."""
    src_lines = _line_spans(tr.source)
    src_starts = [s for s, _ in src_lines]
    rep_lines = _line_spans(tr.text)
    blocks: list[_Block] = []
    current: _Block | None = None
    next_left = 0
    for j, (start, end) in enumerate(rep_lines):
        kept = [tr.origin[k] for k in range(start, min(end + 1, len(tr.text))) if tr.origin[k] >= 0]
        if not kept:  # a line only a rule wrote
            if current is None:
                current = _Block([next_left, next_left], [j, j + 1])
                blocks.append(current)
            else:
                current.right[1] = j + 1
            continue
        first = bisect.bisect_right(src_starts, min(kept)) - 1
        last = bisect.bisect_right(src_starts, max(kept)) - 1
        if current is not None and first < current.left[1]:
            current.left[1] = max(current.left[1], last + 1)
            current.right[1] = j + 1
            next_left = current.left[1]
            continue
        if first > next_left:
            blocks.append(_Block([next_left, first], [j, j]))
        current = _Block([first, last + 1], [j, j + 1])
        blocks.append(current)
        next_left = last + 1
    if next_left < len(src_lines):
        blocks.append(_Block([next_left, len(src_lines)], [len(rep_lines), len(rep_lines)]))
    return blocks


def _shown(text: str) -> str:
    """White space made visible inside a highlight."""
    return "".join("↵" if c == "\n" else c for c in text)


def _text_section(tr: Trace, by_id: dict, kind_of: dict, scan_index) -> str:
    src_lines = _line_spans(tr.source)
    rep_lines = _line_spans(tr.text)
    marks_at: dict[int, list[int]] = {}
    for offset, ident in tr.marks:
        marks_at.setdefault(offset, []).append(ident)
    seen: set[int] = set()
    rows = []
    for block in align(tr):
        left = [_source_line(tr, n, src_lines, seen, by_id, kind_of) for n in range(*block.left)]
        right = [_repaired_line(tr, n, rep_lines, marks_at, by_id, kind_of) for n in range(*block.right)]
        gone = not right and left
        left_html = "".join(left)
        if gone and block.left[1] - block.left[0] > LONG_GONE:
            left_html = f'<div class="scroll" tabindex="-1">{left_html}</div>'
        if gone:
            removed = Counter()
            for k in range(src_lines[block.left[0]][0], min(src_lines[block.left[1] - 1][1] + 1, len(tr.source))):
                if tr.removed_by[k] is not None:
                    removed[tr.removed_by[k]] += 1
            kinds = Counter(kind_of[i] for i in removed)
            what = ", ".join(f"{KIND_LABEL[k]}" + (f" ×{n}" if n > 1 else "") for k, n in sorted(kinds.items(), key=lambda kv: _kind_order(kv[0])))
            n_lines = block.left[1] - block.left[0]
            right_html = f'<div class="gone-note">{n_lines} source line{"s" if n_lines != 1 else ""} not in the repaired text' + (f" ({e(what)})" if what else "") + "</div>"
        else:
            right_html = "".join(right)
        scan_button = ""
        if scan_index is not None and left and not gone:
            regions = scan_index.for_lines(block.left[0] + 1, block.left[1])
            if regions:
                scan_button = _scan_button(regions)
        rows.append(
            f'<tr class="{"gone" if gone else "kept"}"><td class="L">{left_html}</td><td class="R">{scan_button}{right_html}</td></tr>\n'
        )
    return (
        '<section id="text" aria-labelledby="text-h">\n<h2 id="text-h">Text: original ⟷ repaired</h2>\n'
        '<p class="hint">Each change is highlighted where it acted: struck through on the left (what was removed), '
        "underlined on the right (what was written), a small wedge on the right where text was removed. Hover or focus "
        "(Tab) a change for its rule, reason and confidence.</p>\n"
        '<table class="sbs" lang="zh-CN"><colgroup><col class="c"><col class="c"></colgroup>\n'
        '<thead><tr><th scope="col">original (source)</th><th scope="col">repaired</th></tr></thead>\n<tbody>\n'
        + "".join(rows)
        + "</tbody></table>\n</section>\n"
    )


def _kind_order(kind: str) -> int:
    return next(i for i, (k, _, _) in enumerate(KINDS) if k == kind)


def _change_attrs(ident: int, kind: str, record: dict, first: bool) -> str:
    if first:
        return (
            f'class="chg k-{kind}" data-c="{ident}" data-kind="{kind}" id="c{ident}" tabindex="0" '
            f'aria-label="{e(KIND_LABEL[kind])}, change {ident}: {e(record.get("reason", ""))}"'
        )
    return f'class="part k-{kind}" data-c="{ident}" data-kind="{kind}"'


def _runs(owner, start: int, stop: int, points: dict) -> list[tuple[str, object]]:
    """Characters [start, stop) cut into runs of one owner, with the points between
    them: ("run", (from, to, owner)) and ("point", ident), in text order."""
    out = []
    k = start
    while k < stop:
        out += [("point", ident) for ident in points.get(k, ())]
        j = k + 1
        while j < stop and owner[j] == owner[k] and j not in points:
            j += 1
        out.append(("run", (k, j, owner[k])))
        k = j
    return out


def _source_line(tr: Trace, n: int, lines, seen: set[int], by_id, kind_of) -> str:
    start, end = lines[n]
    stop = min(end + 1, len(tr.source))  # the newline belongs to its line
    pieces = _runs(tr.removed_by, start, stop, tr.points)
    if n == len(lines) - 1:
        pieces += [("point", ident) for ident in tr.points.get(len(tr.source), ())]
    out = []
    for what, value in pieces:
        if what == "point":  # a record that removed no source character acts here
            first = value not in seen
            seen.add(value)
            out.append(f'<del {_change_attrs(value, kind_of[value], by_id[value], first)}></del>')
            continue
        k, j, owner = value
        piece = tr.source[k:j]
        if owner is None:
            out.append(e(piece.rstrip("\n")))
        else:
            first = owner not in seen
            seen.add(owner)
            out.append(f'<del {_change_attrs(owner, kind_of[owner], by_id[owner], first)}>{e(_shown(piece))}</del>')
    return f'<div class="ln" id="s{n + 1}"><a class="no" href="#s{n + 1}" tabindex="-1">{n + 1}</a><span class="tx">{"".join(out)}</span></div>'


def _repaired_line(tr: Trace, n: int, lines, marks_at, by_id, kind_of) -> str:
    start, end = lines[n]
    stop = min(end + 1, len(tr.text))
    pieces = _runs(tr.written_by, start, stop, marks_at)
    if n == len(lines) - 1:
        pieces += [("point", ident) for ident in marks_at.get(len(tr.text), ())]
    out = []
    for what, value in pieces:
        if what == "point":  # where a record removed text
            kind = kind_of[value]
            out.append(f'<span class="mk k-{kind}" data-c="{value}" data-kind="{kind}" aria-hidden="true"></span>')
            continue
        k, j, owner = value
        piece = tr.text[k:j]
        if owner is None:
            out.append(e(piece.rstrip("\n")))
        else:
            kind = kind_of[owner]
            out.append(f'<ins class="k-{kind}" data-c="{owner}" data-kind="{kind}">{e(_shown(piece))}</ins>')
    return f'<div class="ln" id="r{n + 1}"><a class="no" href="#r{n + 1}" tabindex="-1">{n + 1}</a><span class="tx">{"".join(out)}</span></div>'


# --- the structured result ----------------------------------------------------------


def _fmt(value) -> str:
    return "" if value is None else str(value)


def _lines_link(source: dict | None) -> str:
    if not source:
        return ""
    a, b = source.get("start_line"), source.get("end_line")
    label = f"{a}" if a == b else f"{a}–{b}"
    return f'<a class="lines" href="#s{e(a)}" title="source lines {e(label)}">l. {e(label)}</a>'


def _scan_button(regions: list[dict], label: str = "") -> str:
    if not regions:
        return ""
    pages = sorted({r["page"] for r in regions})
    text = label or ("p. " + ", ".join(str(p) for p in pages))
    data = json.dumps([{"page": r["page"], "bbox": r["bbox"]} for r in regions], separators=(",", ":"))
    return f'<button type="button" class="scan" data-scan="{e(data)}" title="show where this was read on the scan (page {e(", ".join(map(str, pages)))})">{e(text)}</button>'


def _check_mark(checks: list[dict]) -> str:
    if not checks:
        return '<td class="check"><span class="muted">no check</span></td>'
    marks = []
    for check in checks:
        ok = check.get("ok")
        sign, cls, word = ("✓", "ok", "passes") if ok is True else ("✗", "bad", "fails") if ok is False else ("–", "na", "cannot be checked")
        detail = f"{check.get('check', '')}: {check.get('detail', '')}"
        marks.append(
            f'<span class="mark {cls}" title="{e(detail)}" role="img" aria-label="{e(word)}: {e(detail)}">{sign}</span> '
            f'<span class="detail">{e(check.get("detail", ""))}</span>'
        )
    return f'<td class="check">{"<br>".join(marks)}</td>'


def _indicator_section(plan: dict, has_pages: bool) -> str:
    rows = plan.get("indicators", [])
    if not rows:
        return '<section id="indicators"><h2>Indicators</h2><p class="muted">No key-indicators table was found.</p></section>\n'

    def year(cells: str) -> str:
        years = {(r.get(cells) or {}).get("year") for r in rows}
        return f" {years.pop()}" if len(years) == 1 and None not in years else ""

    kinds = {(r.get("increase") or {}).get("kind") for r in rows}
    increase_head = kinds.pop() if len(kinds) == 1 and None not in kinds else "change"
    categories = any(r.get("category") for r in rows)  # a category column only where the table has one
    tables = len({r.get("table") for r in rows}) > 1
    head = (
        '<tr><th scope="col">#</th>' + ('<th scope="col">category</th>' if categories else "") + '<th scope="col">indicator</th><th scope="col">unit</th>'
        f'<th scope="col">baseline{e(year("baseline"))}</th><th scope="col">target{e(year("target"))}</th>'
        f'<th scope="col" lang="zh-CN">{e(increase_head)}</th><th scope="col">attribute</th>'
        '<th scope="col">arithmetic check</th><th scope="col">source</th></tr>'
    )
    body = []
    table = None
    for r in rows:
        if tables and r.get("table") != table:
            table = r.get("table")
            body.append(f'<tr class="tsep"><th scope="rowgroup" colspan="{10 if categories else 9}">table {e(_fmt(table))}</th></tr>')
        notes = "".join(_footnote_mark(f) for f in r.get("footnotes", []) if f.get("attached_to") == "name")
        ok = [c.get("ok") for c in r.get("checks", [])]
        cls = "bad" if False in ok else ""
        cell = lambda c: f'<td class="num">{e(_fmt((r.get(c) or {}).get("raw")))}{_value_kind((r.get(c) or {}))}</td>'
        category = f'<td lang="zh-CN">{e(_fmt(r.get("category")))}</td>' if categories else ""
        body.append(
            f'<tr class="{cls}"><td class="num">{e(_fmt(r.get("seq")))}</td>{category}<td lang="zh-CN">{e(r.get("name", ""))}{notes}</td>'
            f'<td lang="zh-CN">{e(_fmt(r.get("unit")))}</td>{cell("baseline")}{cell("target")}{cell("increase")}'
            f'<td lang="zh-CN">{e(_fmt(r.get("attribute")))}</td>{_check_mark(r.get("checks", []))}'
            f'<td>{_lines_link(r.get("source"))} {_scan_button(r.get("scan", [])) if has_pages else ""}</td></tr>'
        )
    return (
        '<section id="indicators" aria-labelledby="ind-h">\n<h2 id="ind-h">Indicators</h2>\n'
        '<table class="grid indicators"><thead>' + head + "</thead><tbody>\n" + "\n".join(body) + "\n</tbody></table>\n</section>\n"
    )


def _footnote_mark(note: dict) -> str:
    text = f": {note['text']}" if note.get("text") else ""
    mark = note.get("note") or note["marker"]
    read = f" (read as {note['marker']})" if note.get("note") and note["marker"] else " (its mark not read)" if note.get("note") else ""
    return f'<sup title="footnote {e(mark)}{e(read)} on the {e(note["attached_to"])}{e(text)}">{e(mark)}</sup>'


def _value_kind(cell: dict) -> str:
    """What a cell that is not a plain number says: a range, a bound, words."""
    kind = cell.get("value_kind")
    if kind == "range":
        said = f"range {_fmt(cell.get('low'))}–{_fmt(cell.get('high'))}"
    elif kind == "bound":
        said = f"bound {cell.get('sense', '')} {_fmt(cell.get('limit'))}"
    elif kind in ("words", "unreadable"):
        said = kind
    else:
        said = "total over the period" if cell.get("cumulative") else ""
    return f' <small class="muted vk">{e(said)}</small>' if said else ""


def _agency_chips(names: list[str]) -> str:
    if not names:
        return '<span class="muted">none named</span>'
    return " ".join(f'<span class="agency" lang="zh-CN">{e(n)}</span>' for n in names)


def _issue_item(issue: dict) -> str:
    kind = issue.get("kind", "")
    data = issue.get("data") or {}
    extra = ""
    if data.get("candidates"):
        extra = ' <span class="cands">candidates: ' + " / ".join(f'<span class="agency" lang="zh-CN">{e(c)}</span>' for c in data["candidates"]) + "</span>"
    return (
        f'<li class="issue i-{e(kind)}"><span class="ikind">{e(ISSUE_LABEL.get(kind, kind))}</span> '
        f'<span lang="zh-CN">{e(issue.get("detail", ""))}</span>{extra} {_lines_link(issue.get("source"))}</li>'
    )


def _box_section(plan: dict, has_pages: bool) -> str:
    boxes = plan.get("programmes", [])
    if not boxes:
        return '<section id="boxes"><h2>Programme boxes</h2><p class="muted">No programme box (专栏) was found.</p></section>\n'
    issues_by_box: dict = {}
    for issue in plan.get("issues", []):
        if issue.get("box") is not None:
            issues_by_box.setdefault(issue["box"], []).append(issue)
    out = ['<section id="boxes" aria-labelledby="box-h">\n<h2 id="box-h">Programme boxes (专栏)</h2>\n<div class="boxes">']
    for box in boxes:
        number = box.get("number")
        status = box.get("number_status", "")
        printed = box.get("printed_number")
        badge = ""
        if printed is not None and str(printed) != str(number):
            badge = f' <span class="badge {e(status)}">printed “{e(printed)}”</span>'
        elif status not in ("as_printed", ""):
            badge = f' <span class="badge {e(status)}">{e(status)}</span>'
        items = []
        for item in box.get("items", []):
            text = item.get("text", "")
            heading = item.get("heading")
            rest = text[len(heading):] if heading and text.startswith(heading) else text
            pieces = [e(p) for p in rest.split("\n")]
            body = '<span class="gap" title="the source lost text here">⋯</span><br>'.join(pieces)
            head = f"<b>{e(heading)}</b>" if heading and text.startswith(heading) else ""
            items.append(
                f'<li lang="zh-CN">{head}{body} <span class="where">{_lines_link(item.get("source"))} '
                f'{_scan_button(item.get("scan", [])) if has_pages else ""}</span></li>'
            )
        issues = list(issues_by_box.get(number, []))
        listed = {(i.get("data") or {}).get("printed") for i in issues}
        for u in box.get("unresolved_agencies", []):
            if u.get("printed") not in listed:
                issues.append({"kind": f"{u.get('status')}_agency", "detail": f"'{u.get('printed')}' is {u.get('status')}", "data": {"candidates": u.get("candidates", [])}, "source": None})
        statements = "".join(
            f'<li lang="zh-CN"><span class="muted">{"item " + e(a["item"]) if a.get("item") else "box"} · {e(a.get("form", ""))}'
            f'{" · breaks off" if a.get("truncated") else ""}:</span> {e(a.get("raw", ""))}</li>'
            for a in box.get("assignments", [])
        )
        out.append(
            f'<article class="box" id="box-{e(number)}" aria-labelledby="box-{e(number)}-h">'
            f'<h3 id="box-{e(number)}-h"><span class="num">专栏 {e(_fmt(number) or "?")}</span>{badge} <span lang="zh-CN">{e(box.get("title", ""))}</span></h3>'
            f'<p class="where">{_lines_link(box.get("source"))} {_scan_button(box.get("scan", [])) if has_pages else ""}</p>'
            f'<dl class="agencies"><dt>lead</dt><dd>{_agency_chips(box.get("lead", []))}</dd>'
            f'<dt>participating</dt><dd>{_agency_chips(box.get("participants", []))}</dd></dl>'
            f'<ol class="items">{"".join(items)}</ol>'
            + (f'<details class="statements"><summary>agency statements ({len(box.get("assignments", []))})</summary><ul>{statements}</ul></details>' if statements else "")
            + (f'<ul class="issues" aria-label="open issues">{"".join(_issue_item(i) for i in issues)}</ul>' if issues else '<p class="clean">no open issues</p>')
            + "</article>"
        )
    out.append("</div>\n</section>\n")
    return "\n".join(out)


def _task_label(task: dict) -> str:
    return "/".join(task.get("path") or []) or "unnumbered"


def _task_section(plan: dict, has_pages: bool) -> str:
    """Each task with its statement (lead / participants / groups, as printed, and the raw
    statement), as the boxes show theirs; only where the document has tasks."""
    tasks = plan.get("tasks") or []
    if not tasks:
        return ""
    issues_by_task: dict = {}
    for issue in plan.get("issues", []):
        task = (issue.get("data") or {}).get("task")
        if task is not None:
            issues_by_task.setdefault(task, []).append(issue)
    rows = []
    for t in tasks:
        index = t.get("index")
        has_statement = "lead" in t or t.get("form") == "table"
        if has_statement:
            roles = (
                f'<dl class="agencies"><dt>lead</dt><dd>{_agency_chips(t.get("lead", []))}</dd>'
                f'<dt>participating</dt><dd>{_agency_chips(t.get("participants", []))}</dd>'
                + (f'<dt>groups</dt><dd>{" ".join(f"<span class=group lang=zh-CN>{e(g)}</span>" for g in t.get("groups", []))}</dd>' if t.get("groups") else "")
                + "</dl>"
            )
            said = t.get("statement_from")
            raw = t.get("raw")
            statement = (
                f'<p class="statement" lang="zh-CN"><span class="muted">{e(t.get("form", ""))}{" · breaks off" if t.get("truncated") else ""}:</span> '
                + (e(raw) if raw else '<span class="muted">table row</span>')
                + (f' <span class="muted">stated once for the tasks that follow,</span> {e(said.get("raw", ""))} <a class="lines" href="#s{e(said.get("line"))}">l. {e(said.get("line"))}</a>' if said else "")
                + "</p>"
            )
        else:
            roles, statement = "", '<p class="muted">no responsibility statement</p>'
        issues = issues_by_task.get(index, [])
        rows.append(
            f'<tr id="task-{e(index)}"><td class="num">{e(_fmt(index))}</td><td lang="zh-CN">{e(_task_label(t))}</td>'
            f'<td lang="zh-CN"><b>{e(_fmt(t.get("heading")))}</b>{statement}'
            + (f'<ul class="issues" aria-label="open issues">{"".join(_issue_item(i) for i in issues)}</ul>' if issues else "")
            + f'</td><td>{roles}</td><td>{_lines_link(t.get("source"))} {_scan_button(t.get("scan", [])) if has_pages else ""}</td></tr>'
        )
    return (
        '<section id="tasks" aria-labelledby="task-h">\n<h2 id="task-h">Tasks</h2>\n<table class="grid tasks"><thead><tr>'
        '<th scope="col">#</th><th scope="col">path</th><th scope="col">heading and statement</th>'
        '<th scope="col">who answers</th><th scope="col">source</th></tr></thead><tbody>\n'
        + "\n".join(rows)
        + "\n</tbody></table>\n</section>\n"
    )


def _agency_section(plan: dict) -> str:
    agencies = plan.get("agencies", [])
    if not agencies:
        return ""
    box_link = lambda ns: " ".join(f'<a href="#box-{e(n)}">{e(n)}</a>' for n in ns)
    with_tasks = any("leads_tasks" in a for a in agencies)
    labels = {t.get("index"): _task_label(t) for t in plan.get("tasks") or []}
    task_link = lambda ns: " ".join(f'<a href="#task-{e(n)}" title="task {e(n)}" lang="zh-CN">{e(labels.get(n, n))}</a>' for n in ns)
    task_cells = lambda a: f'<td>{task_link(a.get("leads_tasks", []))}</td><td>{task_link(a.get("participates_tasks", []))}</td>' if with_tasks else ""
    rows = "\n".join(
        f'<tr><td lang="zh-CN">{e(a.get("name", ""))}{"" if a.get("registered") else " <span class=badge>not in registry</span>"}</td>'
        f'<td lang="zh-CN">{e("、".join(a.get("short_forms_seen", [])))}</td><td>{box_link(a.get("leads", []))}</td>'
        f'<td>{box_link(a.get("participates", []))}</td>{task_cells(a)}<td>{e(a.get("level", ""))}</td>'
        f'<td>{ {True: "yes", False: "<b class=bad>no</b>", None: "?"}.get(a.get("existed_in_plan_year"), "?")}</td></tr>'
        for a in agencies
    )
    return (
        '<section id="agencies" aria-labelledby="ag-h">\n<h2 id="ag-h">Agencies</h2>\n<table class="grid"><thead><tr>'
        '<th scope="col">official name</th><th scope="col">printed as</th><th scope="col">leads boxes</th>'
        '<th scope="col">takes part in boxes</th>'
        + ('<th scope="col">leads tasks</th><th scope="col">takes part in tasks</th>' if with_tasks else "")
        + '<th scope="col">level</th><th scope="col">existed in plan year</th></tr></thead><tbody>\n'
        + rows
        + "\n</tbody></table>\n</section>\n"
    )


def _damage_section(plan: dict) -> str:
    """What damage the document shows (document.damage): found kinds first, with the
    evidence they rest on; a clean document says so in one line."""
    damage = plan.get("document", {}).get("damage")
    if damage is None:
        return ""
    found = {kind: d for kind, d in damage.items() if d["found"]}
    head = '<section id="damage" aria-labelledby="dmg-h">\n<h2 id="dmg-h">Damage found</h2>\n'
    if not found:
        return head + '<p class="muted">None: no repair rule found evidence of damage; only white space may have changed.</p>\n</section>\n'
    rows = "".join(
        f"<tr><td>{e(kind)}</td><td>{e(', '.join(f'{k}: {v}' for k, v in d['evidence'].items() if k != 'needs'))}</td>"
        f"<td>{e(', '.join(_line_range(w) for w in d['where'][:8]))}{' …' if len(d['where']) > 8 else ''}</td></tr>"
        for kind, d in found.items()
    )
    clean = [kind for kind in damage if kind not in found]
    return (
        head
        + '<table class="grid"><thead><tr><th>kind</th><th>evidence</th><th>source lines</th></tr></thead><tbody>'
        + rows
        + "</tbody></table>\n"
        + f'<p class="muted">Not found: {e(", ".join(clean))}.</p>\n</section>\n'
    )


def _line_range(where: dict) -> str:
    a, b = where["start_line"], where["end_line"]
    return str(a) if a == b else f"{a}–{b}"


def _issue_section(plan: dict) -> str:
    issues = [i for i in plan.get("issues", []) if i.get("box") is None]
    inner = f'<ul class="issues">{"".join(_issue_item(i) for i in issues)}</ul>' if issues else '<p class="muted">None outside the boxes.</p>'
    return (
        '<section id="issues" aria-labelledby="iss-h">\n<h2 id="iss-h">Issues outside the boxes</h2>\n'
        '<p class="hint">What could not be recovered; the issues of a box are listed with the box.</p>\n' + inner + "\n</section>\n"
    )


# --- the scan -----------------------------------------------------------------------


class _ScanIndex:
    """Scan regions of the structured result, found by source line."""

    def __init__(self, plan: dict):
        self.spans: list[tuple[int, int, list[dict]]] = []
        for r in plan.get("indicators", []):
            if r.get("scan") and r.get("source"):
                self.spans.append((r["source"]["start_line"], r["source"]["end_line"], r["scan"]))
        for box in plan.get("programmes", []):
            for item in box.get("items", []):
                if item.get("scan") and item.get("source"):
                    self.spans.append((item["source"]["start_line"], item["source"]["end_line"], item["scan"]))

    def for_lines(self, first: int, last: int) -> list[dict]:
        found: list[dict] = []
        for a, b, regions in self.spans:
            if a <= last and first <= b:
                found += [r for r in regions if r not in found]
        return found


def _scan_section(pages: Sequence[ReportPage]) -> str:
    figures = "".join(
        f'<figure><button type="button" class="thumb" data-page="{p.number}" aria-label="open page {p.number}">'
        f'<img id="page-{p.number}" src="data:{e(p.mime)};base64,{base64.b64encode(p.image).decode("ascii")}" alt="scan page {p.number}"></button>'
        f"<figcaption>page {p.number}</figcaption></figure>"
        for p in pages
    )
    return (
        '<section id="scan" aria-labelledby="scan-h">\n<h2 id="scan-h">Scan</h2>\n'
        '<p class="hint">Click a page, or a page button (p. 2) beside recovered text, to see where it was read; OCR boxes are drawn in red.</p>\n'
        f'<div class="thumbs">{figures}</div>\n</section>\n'
    )


def _no_scan_note(plan: dict) -> str:
    scans = [i for i in (plan.get("document", {}).get("inputs") or []) if i.get("kind") == "scan"]
    if not scans:
        return '<section id="scan"><h2>Scan</h2><p class="muted">No scan was used for this result.</p></section>\n'
    return (
        '<section id="scan"><h2>Scan</h2><p class="muted">A scan was read (<code>'
        + e(scans[0]["name"])
        + "</code>) but its pages are not in this report: <code>planrecover report DIR --scan FILE</code> adds them.</p></section>\n"
    )


def _viewer() -> str:
    return (
        '<dialog id="viewer" aria-labelledby="viewer-h"><div class="vbar"><h2 id="viewer-h">page</h2><span id="viewer-pages"></span>'
        '<button type="button" id="viewer-close" aria-label="close">✕</button></div>'
        '<div class="sheet"><img id="viewer-img" alt=""><div id="viewer-boxes"></div></div></dialog>\n'
    )


# --- data and assets ----------------------------------------------------------------


def _short(text: str, limit: int = 80) -> str:
    shown = text.replace("\n", "↵").replace("\t", "→")
    return shown if len(shown) <= limit else shown[:limit] + f"… ({len(text)} characters)"


def _data_script(by_id: dict, kind_of: dict, pages: Sequence[ReportPage]) -> str:
    changes = {}
    for ident, r in by_id.items():
        src = r.get("source") or {}
        evidence = dict(r.get("evidence") or {})
        scan = evidence.pop("scan", None)
        changes[str(ident)] = {
            "kind": KIND_LABEL[kind_of[ident]],
            "rule": r.get("rule", ""),
            "reason": r.get("reason", ""),
            "confidence": r.get("confidence"),
            "before": _short(str(r.get("before", ""))),
            "after": _short(str(r.get("after", ""))),
            "where": f"source {src.get('line', '?')}:{src.get('col', '?')}–{src.get('end_line', '?')}:{src.get('end_col', '?')}, step {r.get('step', '?')}",
            "evidence": _short(json.dumps(evidence, ensure_ascii=False, sort_keys=True), 240) if evidence else "",
            "scan": scan or [],
        }
    data = {"changes": changes, "pages": {str(p.number): [p.width, p.height] for p in pages}}
    blob = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    blob = blob.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/json" id="report-data">{blob}</script>\n'


COLORS = {
    "residue": "#c9c9c9",
    "duplicate": "#ffc98a",
    "join": "#a8e6a1",
    "renumber": "#7fd8f0",
    "cell": "#c3b5ff",
    "aside": "#f7b2f0",
    "ocr": "#f3ea6a",
    "fusion": "#8fb8ff",
    "layout": "#e4e4e4",
    "mark": "#ff9f9f",
    "other": "#d0d0d0",
}


def _kind_css() -> str:
    rules = []
    for kind, color in COLORS.items():
        rules.append(
            f".k-{kind}{{--kc:{color}}}"
            f"body.hide-{kind} del.k-{kind},body.hide-{kind} ins.k-{kind}{{background:transparent;text-decoration:none;outline:none;box-shadow:none}}"
            f"body.hide-{kind} .mk.k-{kind}{{display:none}}"
        )
    return "\n".join(rules) + "\n"


CSS = """
:root{--fg:#1d1d1f;--muted:#6b6b70;--line:#e3e3e8;--bg:#fff;--soft:#f6f6f8;--accent:#0b57d0}
*{box-sizing:border-box}
body{margin:0;color:var(--fg);background:var(--bg);font:14px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif}
[lang|=zh]{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",system-ui,sans-serif}
header{background:#fbfbfd;padding:.5rem 1rem .2rem}
.bar{position:sticky;top:0;z-index:5;background:#fbfbfd;border-bottom:1px solid var(--line);padding:.2rem 1rem .35rem;display:flex;flex-wrap:wrap;gap:.2rem 1rem;align-items:center}
header h1{font-size:1.15rem;margin:0}
.facts{margin:.1rem 0;font-size:.85rem}
.muted{color:var(--muted)}
nav{font-size:.85rem}nav a{margin-right:.7rem}
a{color:var(--accent)}
.kinds{display:flex;flex-wrap:wrap;gap:.3rem .5rem;align-items:center;font-size:.85rem}
.kinds .total{margin-right:.4rem}
label.kind{display:inline-flex;align-items:center;gap:.25rem;border:1px solid var(--line);border-radius:1rem;padding:.05rem .55rem .05rem .35rem;background:#fff;cursor:pointer}
label.kind:has(input:not(:checked)){opacity:.5}
label.kind:focus-within{outline:2px solid var(--accent)}
.sw{display:inline-block;width:.9rem;height:.9rem;border-radius:.2rem;background:var(--kc);border:1px solid rgba(0,0,0,.2)}
details.rules{display:inline-block;color:var(--muted)}details.rules p{margin:.2rem 0;max-width:70rem}
main{padding:0 1rem 3rem}
h2{font-size:1.05rem;margin:1.6rem 0 .4rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
.hint{color:var(--muted);font-size:.85rem;margin:.2rem 0 .6rem}
table.sbs{width:100%;border-collapse:collapse;table-layout:fixed;font-size:13px}
table.sbs th{position:sticky;top:var(--head,0);background:var(--soft);text-align:left;font-weight:600;padding:.2rem .4rem;border-bottom:1px solid var(--line);z-index:1}
table.sbs td{vertical-align:top;padding:.1rem .3rem;border-bottom:1px solid #f0f0f3;width:50%}
table.sbs td.L{border-right:1px solid var(--line)}
tr.gone td.L{background:#fafafa}
.ln{display:grid;grid-template-columns:3.2em 1fr;min-height:1.45em}
.ln .no{color:#a0a0a8;text-decoration:none;text-align:right;padding-right:.6em;user-select:none;font-variant-numeric:tabular-nums}
.ln .tx{white-space:pre-wrap;word-break:break-all;tab-size:4}
.ln:target{background:#fff7cc}
.scroll{max-height:9em;overflow:auto;border:1px dashed var(--line)}
.gone-note{color:var(--muted);font-size:.8rem;font-style:italic;padding:.1rem .3rem}
del.chg,del.part{background:var(--kc);text-decoration:line-through;text-decoration-color:rgba(0,0,0,.45);border-radius:2px;cursor:help}
del.chg:empty{display:inline-block;width:.45em;height:1.1em;vertical-align:text-bottom;background:var(--kc);outline:1px solid rgba(0,0,0,.4)}
del.k-layout{background:transparent;outline:1px dotted #888;text-decoration:none}
del.k-layout:not(:empty){min-width:.4em;display:inline-block}
ins{background:var(--kc);text-decoration:underline;text-decoration-thickness:2px;border-radius:2px;cursor:help}
.mk{display:inline-block;width:0;height:1.1em;vertical-align:text-bottom;border-left:2px solid var(--kc);position:relative;cursor:help}
.mk::before{content:"";position:absolute;left:-4px;top:-3px;border:3px solid transparent;border-top:4px solid var(--kc);filter:brightness(.8)}
.mk.k-layout{border-left-color:transparent}.mk.k-layout::before{display:none}
del:focus,ins:focus{outline:2px solid var(--accent);outline-offset:1px}
.hl{box-shadow:0 0 0 2px var(--accent)}
.mk.hl{border-left-color:var(--accent)}
#tip{position:fixed;z-index:20;max-width:32rem;background:#222;color:#fff;border-radius:.35rem;padding:.45rem .6rem;font-size:.8rem;line-height:1.4;box-shadow:0 4px 16px rgba(0,0,0,.25);pointer-events:none}
#tip .t{font-weight:600}#tip .r{margin:.15rem 0}#tip .m{color:#cfcfd4}#tip code{font-family:inherit;background:#3a3a3e;padding:0 .2rem;border-radius:2px;white-space:pre-wrap}
table.grid{border-collapse:collapse;font-size:13px}
table.grid th,table.grid td{border:1px solid var(--line);padding:.25rem .5rem;vertical-align:top;text-align:left}
table.grid th{background:var(--soft)}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.check{min-width:12rem}
.mark{font-weight:700}.mark.ok{color:#137333}.mark.bad{color:#c5221f}.mark.na{color:var(--muted)}
.detail{color:var(--muted);font-size:.8rem}
tr.bad td{background:#fde7e7}
b.bad{color:#c5221f}
.boxes{display:grid;grid-template-columns:repeat(auto-fill,minmax(30rem,1fr));gap:.8rem}
article.box{border:1px solid var(--line);border-radius:.4rem;padding:.5rem .8rem;background:#fff}
article.box h3{margin:.1rem 0;font-size:1rem}
.num{font-variant-numeric:tabular-nums}
.badge{font-size:.75rem;font-weight:500;border-radius:.6rem;padding:0 .45rem;background:#eee;color:#333;white-space:nowrap}
.badge.corrected,.badge.inferred{background:#d6f1fb;color:#035a74}.badge.uncertain{background:#fde7e7;color:#8a1c1c}
.where{font-size:.8rem;color:var(--muted);margin:.1rem 0}
dl.agencies{display:grid;grid-template-columns:auto 1fr;gap:.15rem .6rem;margin:.3rem 0;font-size:.85rem}
dl.agencies dt{color:var(--muted)}dl.agencies dd{margin:0}
.agency{display:inline-block;background:var(--soft);border:1px solid var(--line);border-radius:.3rem;padding:0 .3rem;margin:0 .1rem .15rem 0}
ol.items{padding-left:1.4rem;margin:.3rem 0;font-size:.88rem}ol.items li{margin-bottom:.3rem}
.gap{color:#c5221f;font-weight:700;cursor:help}
ul.issues{margin:.3rem 0;padding-left:1.2rem;font-size:.85rem}
.issue .ikind{font-weight:600;color:#8a1c1c}
.cands{color:var(--muted)}
.clean{color:#137333;font-size:.85rem;margin:.3rem 0}
details.statements{font-size:.8rem;margin:.2rem 0}details.statements ul{margin:.2rem 0;padding-left:1.2rem}
a.lines{font-size:.8rem;white-space:nowrap}
.group{display:inline-block;border:1px dashed var(--line);border-radius:.3rem;padding:0 .3rem;margin:.05rem}
p.statement{font-size:.85rem;margin:.2rem 0}table.tasks dl{margin:0}
button.scan{font:inherit;font-size:.75rem;border:1px solid #c6d4f2;background:#eef3fd;color:var(--accent);border-radius:.3rem;padding:0 .35rem;cursor:pointer}
td.R button.scan{float:right;margin-left:.3rem}
.thumbs{display:flex;flex-wrap:wrap;gap:.8rem}
.thumbs figure{margin:0;text-align:center;font-size:.8rem;color:var(--muted)}
button.thumb{padding:0;border:1px solid var(--line);background:#fff;cursor:zoom-in}
button.thumb img{display:block;width:120px;height:auto}
dialog#viewer{width:min(62rem,96vw);max-height:94vh;padding:0;border:1px solid var(--line);border-radius:.5rem}
dialog#viewer::backdrop{background:rgba(0,0,0,.45)}
.vbar{position:sticky;top:0;display:flex;gap:.6rem;align-items:center;background:#fbfbfd;border-bottom:1px solid var(--line);padding:.35rem .7rem;z-index:2}
.vbar h2{margin:0;border:0;font-size:1rem}.vbar #viewer-close{margin-left:auto}
.vbar button{font:inherit;cursor:pointer}
.sheet{position:relative;margin:.5rem}
.sheet img{display:block;width:100%;height:auto}
.ocrbox{position:absolute;border:2px solid #e0201b;background:rgba(224,32,27,.08)}
@media (max-width:60rem){.boxes{grid-template-columns:1fr}}
"""

JS = r"""
(function(){
  "use strict";
  var data = JSON.parse(document.getElementById("report-data").textContent);
  var tip = document.getElementById("tip");
  var header = document.querySelector(".bar");
  function setHead(){ document.documentElement.style.setProperty("--head", header.offsetHeight + "px"); }
  setHead(); window.addEventListener("resize", setHead);

  function changeOf(el){ return el && el.closest ? el.closest("[data-c]") : null; }
  function line(cls, text){ var d = document.createElement("div"); d.className = cls; d.textContent = text; return d; }
  function lit(id, on){
    document.querySelectorAll('[data-c="' + id + '"]').forEach(function(n){ n.classList.toggle("hl", on); });
  }
  var shown = null;
  function show(el){
    var id = el.getAttribute("data-c"), c = data.changes[id];
    if (!c) return;
    if (shown && shown !== el) hide();
    tip.textContent = "";
    tip.appendChild(line("t", c.kind + " · " + c.rule + " · confidence " + c.confidence));
    tip.appendChild(line("r", c.reason));
    var ba = document.createElement("div"); ba.className = "m";
    var b = document.createElement("code"); b.textContent = c.before || "∅";
    var a = document.createElement("code"); a.textContent = c.after || "∅";
    ba.appendChild(b); ba.appendChild(document.createTextNode(" → ")); ba.appendChild(a);
    tip.appendChild(ba);
    tip.appendChild(line("m", "change " + id + " · " + c.where));
    if (c.evidence) tip.appendChild(line("m", "evidence: " + c.evidence));
    if (c.scan.length && document.getElementById("viewer")) tip.appendChild(line("m", "click or Enter: show on the scan"));
    tip.hidden = false;
    place(el);
    lit(id, true); shown = el;
    el.setAttribute("aria-describedby", "tip");
  }
  function place(el){
    var r = el.getBoundingClientRect(), w = tip.offsetWidth, h = tip.offsetHeight;
    var top = r.bottom + 6; if (top + h > window.innerHeight) top = Math.max(4, r.top - h - 6);
    tip.style.top = top + "px";
    tip.style.left = Math.max(4, Math.min(r.left, window.innerWidth - w - 8)) + "px";
  }
  function hide(){
    if (!shown) return;
    lit(shown.getAttribute("data-c"), false);
    shown.removeAttribute("aria-describedby");
    tip.hidden = true; shown = null;
  }
  function hidden(el){ return document.body.classList.contains("hide-" + el.getAttribute("data-kind")); }
  document.addEventListener("mouseover", function(ev){ var el = changeOf(ev.target); if (el && !hidden(el)) show(el); });
  document.addEventListener("mouseout", function(ev){ var el = changeOf(ev.target); if (el && el === shown && !el.contains(ev.relatedTarget)) hide(); });
  document.addEventListener("focusin", function(ev){ var el = changeOf(ev.target); if (el) show(el); else hide(); });
  document.addEventListener("focusout", function(ev){ if (changeOf(ev.target) === shown) hide(); });
  document.addEventListener("keydown", function(ev){ if (ev.key === "Escape") hide(); });
  window.addEventListener("scroll", function(){ if (shown) place(shown); }, {passive: true, capture: true});

  document.querySelectorAll(".kinds input[data-kind]").forEach(function(box){
    box.addEventListener("change", function(){
      var kind = box.getAttribute("data-kind");
      document.body.classList.toggle("hide-" + kind, !box.checked);
      document.querySelectorAll('del.chg[data-kind="' + kind + '"]').forEach(function(n){ n.tabIndex = box.checked ? 0 : -1; });
      hide();
    });
  });

  var viewer = document.getElementById("viewer");
  if (!viewer) return;
  var vimg = document.getElementById("viewer-img"), vboxes = document.getElementById("viewer-boxes");
  var vpages = document.getElementById("viewer-pages"), vtitle = document.getElementById("viewer-h");
  function openPage(page, regions){
    var size = data.pages[String(page)], img = document.getElementById("page-" + page);
    if (!size || !img) return;
    vimg.src = img.src; vimg.alt = "scan page " + page;
    vtitle.textContent = "page " + page;
    vboxes.textContent = "";
    var first = null;
    regions.filter(function(r){ return r.page === page; }).forEach(function(r){
      var b = document.createElement("div"); b.className = "ocrbox";
      b.style.left = (100 * r.bbox[0] / size[0]) + "%"; b.style.top = (100 * r.bbox[1] / size[1]) + "%";
      b.style.width = (100 * (r.bbox[2] - r.bbox[0]) / size[0]) + "%"; b.style.height = (100 * (r.bbox[3] - r.bbox[1]) / size[1]) + "%";
      vboxes.appendChild(b); first = first || b;
    });
    vpages.textContent = "";
    var pages = []; regions.forEach(function(r){ if (pages.indexOf(r.page) < 0) pages.push(r.page); });
    if (pages.length > 1) pages.forEach(function(p){
      var btn = document.createElement("button"); btn.type = "button"; btn.textContent = "p. " + p;
      btn.disabled = p === page; btn.addEventListener("click", function(){ openPage(p, regions); });
      vpages.appendChild(btn);
    });
    if (!viewer.open) viewer.showModal();
    if (first) requestAnimationFrame(function(){ first.scrollIntoView({block: "center"}); });
  }
  function openRegions(regions){ if (regions && regions.length) openPage(regions[0].page, regions); }
  document.getElementById("viewer-close").addEventListener("click", function(){ viewer.close(); });
  viewer.addEventListener("click", function(ev){ if (ev.target === viewer) viewer.close(); });
  document.addEventListener("click", function(ev){
    var t = ev.target.closest ? ev.target.closest("button.scan, button.thumb, [data-c]") : null;
    if (!t) return;
    if (t.matches("button.scan")) openRegions(JSON.parse(t.getAttribute("data-scan")));
    else if (t.matches("button.thumb")) openPage(Number(t.getAttribute("data-page")), []);
    else { var c = data.changes[t.getAttribute("data-c")]; if (c && c.scan.length) { hide(); openRegions(c.scan); } }
  });
  document.addEventListener("keydown", function(ev){
    if (ev.key !== "Enter") return;
    var el = changeOf(ev.target); var c = el && data.changes[el.getAttribute("data-c")];
    if (c && c.scan.length) { hide(); openRegions(c.scan); }
  });
})();
"""


# --- scan pages (not pure: renders the scan) ----------------------------------------


def render_scan_pages(scan_path: str | Path, plan: dict, width: int = 900, quality: int = 70) -> list[ReportPage]:
    """The pages of the scan a result was read from, as JPEGs ``width`` pixels wide,
    with the size of the page OCR measured its boxes on (rendered at the run's dpi)."""
    import io

    from PIL import Image

    from ocr.render import render_pages

    scans = [i for i in (plan.get("document", {}).get("inputs") or []) if i.get("kind") == "scan"]
    dpi = scans[0].get("dpi", 200) if scans else 200
    pages = []
    for page in render_pages(scan_path, dpi=dpi):
        image = Image.fromarray(page.pixels).convert("L")
        small = image.resize((width, round(page.height * width / page.width)), Image.LANCZOS) if page.width > width else image
        buffer = io.BytesIO()
        small.save(buffer, format="JPEG", quality=quality, optimize=True)
        pages.append(ReportPage(page.number, page.width, page.height, buffer.getvalue()))
    return pages
