"""Scores: text against truth (CER, wrongly deleted characters, residue kept, per damage
kind repaired or missed) and structure against truth (indicator cells, box numbers and
titles, agencies, leads).

Every score here is a set of counts that add up over documents; ``rate`` divides them at
the end, so a figure over 200 documents is a figure over all their characters, not a
mean of per-document rates.

CER is the Levenshtein distance (rapidfuzz) over the truth's length. The alignment of the
repaired text with the truth (``Levenshtein.editops``) also says *where* the errors are:
an error inside a damage record's truth region means that damage was not repaired; an
error outside every region is the pipeline's own (a false repair, or an extraction
artefact).
"""

from __future__ import annotations

import bisect
from collections import Counter
from types import SimpleNamespace

from rapidfuzz.distance import Levenshtein

from .damage import LOSSY, Damaged
from .generate import LEAD, PARTICIPANT, programme_agencies

RESIDUE_KINDS = ("residue", "body_dropped", "residue_in_box")


def cer(hypothesis: str, truth: str) -> float:
    return Levenshtein.distance(hypothesis, truth) / max(1, len(truth))


def rate(numerator: float, denominator: float) -> float | None:
    return None if not denominator else numerator / denominator


class ErrorMap:
    """Where the hypothesis differs from the truth, in truth offsets.

    A *character* error at t: truth[t] is missing or replaced. A *point* error at t: the
    hypothesis has extra characters between truth[t-1] and truth[t]. Truth characters
    marked in ``ignore`` (lost to damage for good) are not errors when missing."""

    def __init__(self, hypothesis: str, truth: str, ignore: bytes | None = None):
        self.all_ops = Levenshtein.editops(hypothesis, truth)
        self.n = len(truth)
        # A true character lost to damage is no error when missing (nor when the alignment
        # pairs it with some other character).
        self.ops = [op for op in self.all_ops if not (ignore and op.tag != "delete" and ignore[op.dest_pos])]
        chars = [0] * (self.n + 1)
        points = [0] * (self.n + 2)
        for op in self.ops:
            if op.tag == "delete":  # extra text in the hypothesis
                points[op.dest_pos] += 1
            else:  # insert (truth missing) or replace
                chars[op.dest_pos] += 1
        self._chars = _cumulative(chars)
        self._points = _cumulative(points)

    @property
    def distance(self) -> int:
        return len(self.ops)

    def errors_in(self, start: int, end: int) -> int:
        """Errors touching truth[start:end], the points at both ends included."""
        start, end = max(0, start), min(self.n, max(start, end))
        return self._chars[end] - self._chars[start] + self._points[end + 1] - self._points[start]


def _cumulative(values: list[int]) -> list[int]:
    out = [0]
    for v in values:
        out.append(out[-1] + v)
    return out


# How a damage record is judged repaired. By origin (exact, whatever the alignment): none
# of the non-blank text it added survives, every true character in its region survives
# exactly once. By region (for damage that writes, moves or only adds white space): the
# repaired text equals the truth there.
BY_REGION = (
    "box_number_skipped", "box_number_duplicated", "box_number_split", "box_number_missing",
    "box_number_doubled_digit", "box_number_dropped_digit", "box_number_transposed", "box_number_lookalike",
    "table_shift", "kangxi", "letter_spacing", "split_word", "line_wrap", "layout_whitespace",
)


def score_text(damaged: Damaged, repaired_text: str, origin, changes) -> dict:
    """Counts for one damaged document and its repair (text, origin per character, changes)."""
    truth = damaged.truth_text
    lost = bytearray(len(truth) + 1)
    lost_by = {}
    for record in damaged.records:
        if record.lost:
            start, end = record.lost
            lost[start:end] = b"\x01" * (end - start)
            for t in range(start, end):
                lost_by.setdefault(t, record.kind)
    errors = ErrorMap(repaired_text, truth, ignore=lost)

    # Which damaged characters survived repair (origin: the source offset of each output character).
    retained = bytearray(len(damaged.text))
    for o in origin:
        if o >= 0:
            retained[o] = 1
    present = bytearray(len(truth))
    kept = [0] * len(truth)
    first_at = [-1] * len(truth)
    records = damaged.records
    junk_kept: Counter = Counter()
    spoiled = set()  # records with non-blank text that survived
    for i, a in enumerate(damaged.align):
        source = damaged.source[i]
        if a >= 0:
            present[a] = 1
            if first_at[a] < 0:
                first_at[a] = i
            kept[a] += retained[i]
        elif retained[i] and not damaged.text[i].isspace():
            junk_kept[records[source].kind if source >= 0 else "unknown"] += 1
            spoiled.add(source)
    # White space is not counted as deleted: a blank line kept in place of an identical
    # one removed is the same text (the region checks and CER see white-space errors).
    wrongly_deleted = [t for t in range(len(truth)) if present[t] and not kept[t] and not truth[t].isspace()]
    surplus = sum(k - 1 for t, k in enumerate(kept) if k > 1 and not truth[t].isspace())
    deleted_by = _deleting_rules([first_at[t] for t in wrongly_deleted], changes)
    wrong = bytearray(len(truth) + 1)
    for t in wrongly_deleted:
        wrong[t] = 1
    for t, k in enumerate(kept):
        if k > 1 and not truth[t].isspace():
            wrong[t] = 1
    wrong_cum = _cumulative(list(wrong))

    per_kind: dict[str, Counter] = {}
    for record in records:
        counts = per_kind.setdefault(record.kind, Counter())
        counts["instances"] += 1
        if record.kind in LOSSY:
            continue
        start, end = record.region
        if record.kind in BY_REGION:
            missed = errors.errors_in(start, end) > 0
        else:
            missed = record.id in spoiled or wrong_cum[max(start, end, start + 1)] - wrong_cum[start] > 0
        counts["missed" if missed else "repaired"] += 1

    # Each error goes to the damage whose region holds it (or to none: the pipeline's own).
    regions = sorted((r.region[0], r.region[1], r.kind) for r in records if r.kind not in LOSSY)
    starts = [r[0] for r in regions]
    by_kind: Counter = Counter()
    for op in errors.all_ops:
        t = op.dest_pos
        if op.tag != "delete" and lost[t]:
            by_kind[lost_by[t]] += 1
            continue
        kind = "none"
        i = bisect.bisect_right(starts, t) - 1
        floor = bisect.bisect_right(starts, t - 400)
        while i >= floor:
            start, end, name = regions[i]
            if start <= t < end or (op.tag == "delete" and start <= t <= end):
                kind = name
                break
            i -= 1
        by_kind[kind] += 1
    return {
        "truth_chars": len(truth),
        "lost_chars": damaged.lost_characters(),
        "damaged_chars": len(damaged.text),
        "damaged_distance": Levenshtein.distance(damaged.text, truth),
        "repaired_distance": len(errors.all_ops),
        "repaired_distance_recoverable": errors.distance,
        "wrongly_deleted": len(wrongly_deleted),
        "residue_kept": sum(junk_kept[k] for k in RESIDUE_KINDS),
        "damage_kept": sum(junk_kept.values()) + surplus,
        "junk_kept_by_kind": dict(junk_kept),
        "errors_by_kind": dict(by_kind),
        "wrongly_deleted_by_rule": dict(deleted_by),
        "per_kind": {k: dict(v) for k, v in per_kind.items()},
    }


def _deleting_rules(positions: list[int], changes) -> Counter:
    """The rule whose change removed each of these source positions."""
    spans = sorted((c.source.start, c.source.end, c.rule) for c in changes if c.before)
    starts = [s[0] for s in spans]
    out: Counter = Counter()
    for p in positions:
        i = bisect.bisect_right(starts, p) - 1
        rule = "?"
        while i >= 0:
            start, end, name = spans[i]
            if start <= p < end:
                rule = name
                break
            if end <= p and start < p - 10000:
                break
            i -= 1
        out[rule] += 1
    return out


# Role words as plans print them (the grammar of grammar/statements.py), and 等/等部门
# before them. A statement cut inside its role words keeps its names' role when what
# survives of them fits one role only: …等按职 can only be 等按职责分工负责 (take part),
# …负 only 负责 (lead); …等, or nothing, fits both.
_ROLE_WORDS = {"牵头": LEAD, "负责": LEAD, "按职责分工负责": PARTICIPANT, "按职责分工": PARTICIPANT,
               "分工负责": PARTICIPANT, "参与": PARTICIPANT, "配合": PARTICIPANT}
_ROLE_TAILS = {etc + word: role for etc in ("", "等", "等部门", "等单位") for word, role in _ROLE_WORDS.items()}
# A cut name is recoverable when its surviving characters (at least this many) are the
# start of the forms of exactly one registered body.
CUT_MIN_CHARS = 2


def surviving_role(tail: str) -> str | None:
    """The role the surviving start of a statement's role words fits, if only one."""
    tail = "".join(tail.split())
    if not tail:
        return None
    roles = {role for words, role in _ROLE_TAILS.items() if words.startswith(tail)}
    return roles.pop() if len(roles) == 1 else None


def cut_name_fits(surviving: str) -> set[str]:
    """The registered bodies (official names) a name cut off after ``surviving`` can be:
    those with a form that starts with it (the form itself included: 中央军委 may be cut
    from 中央军委政治工作部). Every body of the registry, whatever the plan's year: the
    bench does not tell the pipeline the year."""
    from grammar.registry import load_registry

    surviving = "".join(surviving.split())
    if len(surviving) < CUT_MIN_CHARS:
        return set()
    return {a.name for a in load_registry().agencies if any(f.startswith(surviving) for f in a.forms)}


def recoverable_truth(damaged: Damaged) -> dict:
    """The truth without what the damage destroyed, so that the pipeline is scored on what
    the text still holds. Per box: ``lead``/``participants`` from the surviving entries;
    ``any_role``: names that survive but whose role words were cut off (found under any
    role counts); ``lost``: names destroyed by the damage (for information).

    What a truncated statement leaves recoverable, and how it is scored:
    - a name whose entry is gone (``lost_entries``) is not required;
    - a name that survives whole is required, under its role when the role words survive
      or what survives of them fits one role only (…等按职, …负), else under any role;
    - a name cut off inside (``cut_entries``: …、最高人民) is required only when its
      surviving characters identify it: they start the forms of exactly one registered
      body, this one (…、国家知识产 → 国家知识产权局). Otherwise (最高人民: 最高人民法院 or
      最高人民检察院; 省高级人民: local names are no registry's; one character) the name is
      lost: not required, and not excused either. Reporting it as ambiguous or unknown
      costs nothing; naming a body for it is a guess and counts as a false positive,
      even when the guess happens to be right (unless the box names that body elsewhere).
    """
    truth = damaged.plan.truth()
    text = damaged.plan.text
    gone = damaged.entries_with("lost_entries")
    cut = damaged.entries_with("cut_entries")
    flex = damaged.entries_with("role_unknown_entries")
    cut_at = {r.lost[1]: r.lost[0] for r in damaged.records if r.kind == "agency_truncated" and r.lost}
    for j, box in enumerate(damaged.plan.boxes):
        statements, any_role, lost = [], [], []
        for para in box.paragraphs:
            for s in para.statements:
                at = cut_at.get(s.end)
                role_known = at is not None and at >= s.entries[-1].end and surviving_role(text[s.entries[-1].end:at]) is not None
                entries = []
                for e in s.entries:
                    span = (e.start, e.end)
                    if span in gone:
                        lost.append(e.name)
                    elif span in cut:
                        if cut_name_fits(text[e.start:at]) != {e.name}:
                            lost.append(e.name)
                        elif s.form in ("labelled_units", "bare_list"):
                            entries.append(e)  # the clause, not the cut role words, says the role
                        else:
                            any_role.append(e.name)
                    elif span in flex and not role_known:
                        any_role.append(e.name)
                    else:
                        entries.append(e)
                statements.append(SimpleNamespace(entries=entries))
        lead, participants = programme_agencies(statements)
        programme = truth["programmes"][j]
        programme["lead"] = lead
        programme["participants"] = participants
        named = set(lead) | set(participants)
        programme["any_role"] = sorted(set(any_role) - named)
        programme["lost"] = sorted(set(lost) - named - set(any_role))
    return truth


def align_boxes(predicted: list[dict], truth: list[dict]) -> list[tuple[int | None, int | None]]:
    """Pairs (predicted index, truth index), by title, in order; unmatched sides get None."""
    pairs: list[tuple[int | None, int | None]] = []
    ops = Levenshtein.opcodes([p["title"] for p in predicted], [t["title"] for t in truth])
    for op in ops:
        src = list(range(op.src_start, op.src_end))
        dst = list(range(op.dest_start, op.dest_end))
        if op.tag in ("equal", "replace"):
            n = min(len(src), len(dst))
            pairs += list(zip(src[:n], dst[:n]))
            pairs += [(i, None) for i in src[n:]] + [(None, j) for j in dst[n:]]
        elif op.tag == "delete":
            pairs += [(i, None) for i in src]
        else:
            pairs += [(None, j) for j in dst]
    return pairs


INDICATOR_CELLS = ("seq", "name", "unit", "baseline", "target", "increase", "attribute")


def _cell(record: dict, cell: str):
    if cell in ("baseline", "target"):
        return (record[cell]["year"], record[cell]["raw"].strip())
    if cell == "increase":
        return record[cell]["raw"].strip() if record.get(cell) else None
    return record[cell]


def _agency_set(programme: dict) -> set[tuple[str, str]]:
    return {(LEAD, n) for n in programme["lead"]} | {(PARTICIPANT, n) for n in programme["participants"]}


AGENCY_DAMAGE = ("agency_truncated", "agency_dropped", "agency_repeat")


def agency_causes(damaged: Damaged) -> dict[int, str]:
    """Per box (truth index): the agency damage it took, the most destructive first."""
    causes: dict[int, str] = {}
    for kind in AGENCY_DAMAGE:
        for record in damaged.records:
            if record.kind == kind:
                causes.setdefault(record.detail["box"], kind)
    return causes


def score_structure(plan: dict, truth: dict, recoverable: dict | None = None, causes: dict[int, str] | None = None) -> dict:
    """Counts comparing a plan.json with the truth (and the recoverable truth, if given).
    ``causes`` (box -> damage kind) sorts the agency errors of each box by what hit it."""
    recoverable = recoverable or truth
    out: Counter = Counter()
    # indicators, matched by sequence number (or position when the pipeline read none)
    predicted_rows = {}
    for k, row in enumerate(plan["indicators"]):
        predicted_rows.setdefault(row["seq"] if row["seq"] is not None else f"#{k}", row)
    for k, row in enumerate(truth["indicators"]):
        got = predicted_rows.get(row["seq"])
        for cell in INDICATOR_CELLS:
            out["indicator_cells"] += 1
            if got is not None and _cell(got, cell) == _cell(row, cell):
                out["indicator_cells_correct"] += 1
    out["indicator_rows_extra"] += max(0, len(plan["indicators"]) - len(truth["indicators"]))
    # boxes
    predicted = plan["programmes"]
    for i, j in align_boxes(predicted, truth["programmes"]):
        p = predicted[i] if i is not None else None
        t = truth["programmes"][j] if j is not None else None
        r = recoverable["programmes"][j] if j is not None else None
        if t is not None:
            out["boxes"] += 1
            if p is not None:
                out["box_numbers_correct"] += p["number"] == t["number"]
                out["box_numbers_flagged"] += p["number"] is None
                out["box_numbers_wrong_silent"] += p["number"] is not None and p["number"] != t["number"]
                out["box_titles_correct"] += p["title"] == t["title"]
            else:
                out["boxes_missing"] += 1
        else:
            out["boxes_extra"] += 1
        predicted_set = _agency_set(p) if p else set()
        for key, truth_box in (("", t), ("recoverable_", r)):
            want = _agency_set(truth_box) if truth_box else set()
            any_role = set(truth_box.get("any_role", ())) if truth_box else set()
            # Names lost to damage (truth_box["lost"]) are not excused: a name given for
            # one is a guess and counts as a false positive (see recoverable_truth).
            got = {(role, n) for role, n in predicted_set if n not in any_role}
            got_names = {n for _, n in predicted_set}
            found_any = len(any_role & got_names)
            out[f"{key}agency_tp"] += len(got & want) + found_any
            out[f"{key}agency_fp"] += len(got - want)
            out[f"{key}agency_fn"] += len(want - got) + len(any_role) - found_any
            want_names = {n for _, n in want} | any_role
            named = got_names
            out[f"{key}agency_name_tp"] += len(named & want_names)
            out[f"{key}agency_name_fp"] += len(named - want_names)
            out[f"{key}agency_name_fn"] += len(want_names - named)
            want_lead = {n for role, n in want if role == LEAD}
            got_lead = {n for role, n in got if role == LEAD}
            if want_lead or got_lead:
                out[f"{key}lead_boxes"] += 1
                out[f"{key}lead_correct"] += want_lead == got_lead
            if key == "recoverable_" and causes is not None:
                missed = len(got - want) + len(want - got) + len(any_role) - found_any
                if missed:
                    cause = causes.get(j, "none") if j is not None else "box not matched"
                    out[f"agency_errors:{cause}"] += missed
                    if want_lead != got_lead:
                        out[f"lead_errors:{cause}"] += 1
    return dict(out)


def f1(tp: int, fp: int, fn: int) -> tuple[float | None, float | None, float | None]:
    precision = rate(tp, tp + fp)
    recall = rate(tp, tp + fn)
    if precision is None or recall is None or precision + recall == 0:
        return precision, recall, None
    return precision, recall, 2 * precision * recall / (precision + recall)


def lossy_reported(damaged: Damaged, plan: dict) -> Counter:
    """For text-destroying damage: did plan.json say so (truncated statement, missing statement)?"""
    out: Counter = Counter()
    truth = damaged.plan.truth()["programmes"]
    predicted = plan["programmes"]
    by_truth = {j: i for i, j in align_boxes(predicted, truth) if i is not None and j is not None}
    missing = {(issue.get("box")) for issue in plan["issues"] if issue["kind"] == "missing_agency_statement"}
    for record in damaged.records:
        if record.kind not in LOSSY:
            continue
        i = by_truth.get(record.detail["box"])
        p = predicted[i] if i is not None else None
        if record.kind == "agency_truncated":
            ok = p is not None and any(a["truncated"] for a in p["assignments"])
        else:
            ok = p is not None and (p["number"] in missing or not p["assignments"])
        out[f"{record.kind}:reported"] += ok
        out[f"{record.kind}:instances"] += 1
    return out


# ---------------------------------------------------------------- false repairs on clean text


def visible(text: str) -> str:
    """The text without white space: what a false repair must not change."""
    return "".join(text.split())


def changes_visible_text(change) -> bool:
    """A change that does more than move white space."""
    return visible(change.before) != visible(change.after)


def _overlaps(start: int, end: int, negative) -> bool:
    """The change's source span [start, end) touches the negative (an insertion: its point)."""
    return start < negative.end and negative.start < max(end, start + 1)


def false_repairs(truth: str, repaired: str, changes, negatives) -> dict:
    """Counts for a clean document, where every change of non-white-space text is a false
    repair: how many, by rule, by the kind of sound text they hit (``negatives``; "other"
    outside them), which negatives were changed, and the non-white-space characters the
    repaired text differs by."""
    false = [c for c in changes if changes_visible_text(c)]
    by_negative: Counter = Counter()
    for c in false:
        hit = {n.kind for n in negatives if _overlaps(c.source.start, c.source.end, n)}
        by_negative.update(hit or {"other"})
    negative_counts: dict[str, Counter] = {}
    for n in negatives:
        counts = negative_counts.setdefault(n.kind, Counter())
        counts["instances"] += 1
        counts["changed"] += any(_overlaps(c.source.start, c.source.end, n) for c in false)
    return {
        "chars": len(truth),
        "false_repairs": len(false),
        "documents_changed": int(bool(false)),
        "visible_distance": Levenshtein.distance(visible(repaired), visible(truth)),
        "by_rule": dict(Counter(c.rule for c in false)),
        "by_negative": dict(by_negative),
        "negatives": {k: dict(v) for k, v in negative_counts.items()},
    }


def add_counts(into: dict, more: dict) -> None:
    """Add the numbers of ``more`` into ``into``, nested dicts key by key."""
    for key, value in more.items():
        if isinstance(value, dict):
            add_counts(into.setdefault(key, {}), value)
        elif isinstance(value, (int, float)):
            into[key] = into.get(key, 0) + value
