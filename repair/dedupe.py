"""drop_repeated_sentences: sentences repeated inside one box, exactly or nearly.

Scope is one box (or one paragraph outside boxes): a phrase that two boxes share is
legitimate and stays. The first occurrence is kept. A near-duplicate is the same
sentence with one word swapped for an interchangeable one (支持 → 鼓励; the groups are
data, data/interchangeable_words.txt), or, for long sentences, one character changed.
Clauses inside a sentence are never touched, nor agency statements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from .changes import Edit
from .chars import CLOSE_BRACKETS, OPEN_BRACKETS, SENTENCE_END
from .context import RepairContext
from .layout import paragraphs

_WORDS_FILE = Path(__file__).with_name("data") / "interchangeable_words.txt"
MIN_EXACT = 4  # characters; shorter "sentences" (是。) repeat legitimately
MIN_NEAR = 10
LONG_SENTENCE = 20
WINDOW = 40  # earlier sentences compared with: keeps the cost linear in box length
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
        scopes.setdefault(scope, []).extend(_sentences(text, para[0].start, para[-1].end))
    edits = []
    for sentences in scopes.values():
        kept: list[Sentence] = []
        for sentence in sentences:
            match = _earlier_match(sentence, kept[-WINDOW:])
            if match is None:
                kept.append(sentence)
                continue
            earlier, how, confidence = match
            edits.append(
                Edit(
                    sentence.start,
                    sentence.end,
                    "",
                    reason=f"{how} of an earlier sentence in the same box",
                    confidence=confidence,
                    evidence={"kept": earlier.text, "kept_at": earlier.start, "similarity": round(fuzz.ratio(earlier.key, sentence.key), 1)},
                )
            )
    return edits


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


def _earlier_match(sentence: Sentence, earlier: list[Sentence]) -> tuple[Sentence, str, float] | None:
    key = sentence.key
    if len(key) < MIN_EXACT:
        return None
    for candidate in earlier:
        if candidate.key == key:
            return candidate, "exact repeat", 0.99
    if len(key) < MIN_NEAR:
        return None
    for candidate in earlier:
        if _swapped_word(candidate.key, key):
            return candidate, "near-duplicate (one interchangeable word swapped)", 0.9
        if len(key) >= LONG_SENTENCE and len(candidate.key) == len(key) and Levenshtein.distance(candidate.key, key) == 1:
            return candidate, "near-duplicate (one character differs)", 0.8
    return None


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
