"""drop_repeated_sentences: sentences repeated inside one box, exactly or nearly.

Scope is one box (or one paragraph outside boxes): a phrase that two boxes share is
legitimate and stays. The first occurrence is kept. Repetition must be evidenced by an
exact copy close by (a doubled sentence or block); a near-duplicate — one word replaced,
or one character in a long sentence — goes only inside such a repeated block. The word
groups (支持 → 鼓励, data/interchangeable_words.txt) raise confidence, they do not decide.
Clauses inside a sentence are never touched, nor agency statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from grammar.chars import CLOSE_BRACKETS, OPEN_BRACKETS, SENTENCE_END

from .changes import Edit
from .context import RepairContext
from .layout import paragraphs

_WORDS_FILE = Path(__file__).with_name("data") / "interchangeable_words.txt"
MIN_EXACT = 4  # characters; shorter "sentences" (是。) repeat legitimately
MIN_NEAR = 10
LONG_SENTENCE = 20
BLOCK = 4  # a copy within this many sentences shows a repeated sentence or block
MAX_SWAP = 4  # characters of a word replaced in a near copy
_SENTENCE_RE = re.compile(rf"[^{SENTENCE_END}]*[{SENTENCE_END}]")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return re.sub(r"\s+", "", self.text)


def drop_repeated_sentences(text: str, ctx: RepairContext) -> list[Edit]:
    lines = ctx.lines(text)
    scopes: dict[object, list[Sentence]] = {}
    for number, para in enumerate(paragraphs(lines)):
        scope = ("box", para[0].box) if para[0].box is not None else ("paragraph", number)
        for run in _prose_runs(para):
            scopes.setdefault(scope, []).extend(_sentences(text, run[0].start, run[-1].end))
    edits = []
    for sentences in scopes.values():
        for index, earlier, how, confidence, evidence in _repeats(sentences):
            sentence = sentences[index]
            edits.append(
                Edit(
                    sentence.start,
                    sentence.end,
                    "",
                    reason=f"{how} of an earlier sentence in the same box",
                    confidence=confidence,
                    evidence={"kept": earlier.text, "kept_at": earlier.start, "similarity": round(fuzz.ratio(earlier.key, sentence.key), 1), **evidence},
                )
            )
    return sorted(edits, key=lambda e: e.start)


def _repeats(sentences: list[Sentence]):
    """(index, kept sentence, how, confidence, evidence) of each sentence to drop.

    Repetition must show: a sentence whose exact copy follows within a block of
    ``BLOCK`` sentences (a doubled sentence or block: 甲。乙。甲。乙。). Its later copies go,
    and so does a near copy printed among them (甲。甲′。甲。: a swapped word inside the
    repeated block). A near repeat with no exact copy beside it is a parallel sentence
    (建立X机制。完善X机制。) and stays.
    """
    keys = [s.key for s in sentences]
    positions: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if len(key) >= MIN_EXACT:
            positions.setdefault(key, []).append(i)

    first = {at[0] for at in positions.values()}
    # A near copy that goes stops counting as a new sentence, which can bring two copies
    # within a block: search again until nothing more goes, so that a second repair
    # finds nothing the first did not (repair stays idempotent).
    near: set[int] = set()
    while True:
        dropped = _dropped(sentences, keys, positions, first, near)
        found = {i for i, (_, how, *_rest) in dropped.items() if how != "exact repeat"}
        if found <= near:
            return [(i, *dropped[i]) for i in sorted(dropped)]
        near |= found


def _dropped(sentences: list[Sentence], keys: list[str], positions: dict[str, list[int]], first: set[int], near: set[int]) -> dict[int, tuple]:
    """One search for repeats, the near copies ``near`` not counted as new sentences."""
    # new[k]: sentences before k that are no copy of an earlier one (a prefix sum, so
    # a gap costs nothing to measure, however long the box).
    new = [0]
    for k, key in enumerate(keys):
        new.append(new[-1] + ((k in first or len(key) < MIN_EXACT) and k not in near))

    def gap(a: int, b: int) -> int:
        # New sentences between two copies, plus one: copies of earlier sentences in
        # between do not count, so removing them never brings two copies closer
        # (repair stays idempotent).
        return new[b] - new[a + 1] + 1 if b > a else 1

    repeated = {key: at for key, at in positions.items() if len(at) > 1 and any(gap(a, b) <= BLOCK for a, b in zip(at, at[1:]))}
    dropped: dict[int, tuple] = {}
    for key, at in repeated.items():
        for i in at[1:]:
            dropped[i] = (sentences[at[0]], "exact repeat", 0.99, {"copies": len(at)})

    def in_step(j: int, i: int) -> bool:
        # The near copy i stands where a copy of j would: beside an exact copy of j
        # (甲。甲′。甲。), or with the same repeated sentence after or before both
        # (甲。乙。甲′。乙。). A parallel clause next to a repeated block is neither.
        beside = any(abs(k - i) == 1 for k in repeated.get(keys[j], ()))
        after = i + 1 < len(keys) and keys[i + 1] == keys[j + 1] and keys[i + 1] in repeated
        before = j > 0 and keys[i - 1] == keys[j - 1] and keys[i - 1] in repeated
        return beside or after or before

    def in_repeated_block(i: int) -> list[int] | None:
        return next((at for at in repeated.values() if at[0] < i and (i < at[-1] or gap(at[-1], i) <= BLOCK)), None)

    for i, key in enumerate(keys):
        if i in dropped or len(key) < MIN_NEAR:
            continue
        block = in_repeated_block(i)
        if block is None:
            continue
        for j in range(i - 1, -1, -1):
            if gap(j, i) > BLOCK:
                break
            if j in dropped or keys[j] == key or not in_step(j, i):
                continue
            how = _near_copy(keys[j], key)
            if how:
                name, confidence = how
                dropped[i] = (sentences[j], f"near-duplicate ({name}) inside a repeated block", confidence, {"copies": len(block)})
                break
    return dropped


def _prose_runs(para):
    """The paragraph's lines split at table rows: cells of different rows repeat by
    design (查看相关文件、佐证材料。 in every row's 数据来源 column) and are never compared."""
    runs, current = [], []
    for line in para:
        if "\t" in line.text.strip():
            if current:
                runs.append(current)
            current = []
        else:
            current.append(line)
    if current:
        runs.append(current)
    return runs


def _sentences(text: str, start: int, end: int) -> list[Sentence]:
    """Sentences ending in 。！？； — an unterminated tail (an agency statement) is not one."""
    out = []
    depth = 0
    sentence_start = start
    for i in range(start, end):
        c = text[i]
        if c in OPEN_BRACKETS:
            depth += 1
        elif c in CLOSE_BRACKETS:
            depth = max(0, depth - 1)
        elif c in SENTENCE_END and depth == 0:
            piece = text[sentence_start:i + 1]
            if not piece.lstrip().startswith(tuple(OPEN_BRACKETS)):
                out.append(Sentence(sentence_start, i + 1, piece))
            sentence_start = i + 1
    return out


def _near_copy(a: str, b: str) -> tuple[str, float] | None:
    """How b is a near copy of a: one word swapped (a listed synonym raises confidence),
    or one character changed in a long sentence."""
    if _swapped_word(a, b):
        return "one interchangeable word swapped", 0.9
    if len(b) >= LONG_SENTENCE and len(a) == len(b) and Levenshtein.distance(a, b) == 1:
        return "one character differs", 0.8
    if _one_word_replaced(a, b):
        return "one word replaced", 0.75
    return None


def _one_word_replaced(a: str, b: str) -> bool:
    """b is a with one run of at most ``MAX_SWAP`` characters replaced by another."""
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return 0 < len(a) - head - tail <= MAX_SWAP and 0 < len(b) - head - tail <= MAX_SWAP and head + tail >= 0.7 * max(len(a), len(b))


def _swapped_word(a: str, b: str) -> bool:
    """b is a with one word replaced by another word of the same group."""
    if abs(len(a) - len(b)) > 2 or fuzz.ratio(a, b) < 80:
        return False
    for group in _interchangeable_groups():
        for left in group:
            i = a.find(left)
            while i != -1:
                head, tail = a[:i], a[i + len(left):]
                if b.startswith(head) and b.endswith(tail):
                    if b[len(head):len(b) - len(tail)] in group and b[len(head):len(b) - len(tail)] != left:
                        return True
                i = a.find(left, i + 1)
    return False


@lru_cache(maxsize=1)
def _interchangeable_groups() -> tuple[tuple[str, ...], ...]:
    groups = []
    for line in _WORDS_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            groups.append(tuple(line.split()))
    return tuple(groups)
