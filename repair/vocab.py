"""jieba with a plan-vocabulary dictionary: is this a word, does a gap split one.

The tokenizer is private to planrecover (``jieba.Tokenizer()``), so loading our words
does not change jieba's global dictionary for anyone else in the process.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from grammar.chars import is_han
from grammar.words import private_tokenizer

_VOCAB_FILE = Path(__file__).with_name("data") / "plan_vocab.txt"
_AGENCY_WORD_FREQ = 50000


class Vocabulary:
    def __init__(self, extra_words: list[str] = ()):
        self._tokenizer = private_tokenizer()
        for word, freq in _read_vocab(_VOCAB_FILE):
            self._tokenizer.add_word(word, freq)
        for word in extra_words:
            self._tokenizer.add_word(word, _AGENCY_WORD_FREQ)

    def is_word(self, text: str) -> bool:
        return self._tokenizer.FREQ.get(text, 0) > 0

    def words(self, text: str) -> list[str]:
        # HMM off: the HMM invents "words" from any two characters, which is exactly
        # what must not decide a join.
        return list(self._tokenizer.cut(text, HMM=False))

    def word_across(self, left: str, right: str, context: int = 8) -> str | None:
        """The dictionary word that spans the boundary between ``left`` and ``right``."""
        left, right = left[-context:], right[:context]
        if not left or not right or not is_han(left[-1]) or not is_han(right[0]):
            return None
        boundary = len(left)
        position = 0
        for word in self.words(left + right):
            end = position + len(word)
            if position < boundary < end and len(word) >= 2 and self.is_word(word):
                return word
            position = end
        return None

    def coverage(self, text: str) -> float:
        """Share of Han characters that sit in multi-character dictionary words."""
        han = sum(1 for c in text if is_han(c))
        if not han:
            return 0.0
        covered = sum(len(w) for w in self.words(text) if len(w) >= 2 and self.is_word(w) and all(is_han(c) for c in w))
        return covered / han


def _read_vocab(path: Path) -> list[tuple[str, int]]:
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, freq = line.partition(" ")
        entries.append((word, int(freq) if freq else 10000))
    return entries


@lru_cache(maxsize=1)
def plan_vocabulary() -> Vocabulary:
    from grammar.registry import load_registry  # agency names are words too

    return Vocabulary(sorted(load_registry().all_forms()))
