"""What every rule may consult besides the text: learnt once from the source."""

from __future__ import annotations

from dataclasses import dataclass

from .layout import Line, classify_lines, residue_alphabet
from .vocab import Vocabulary, plan_vocabulary


@dataclass(frozen=True)
class RepairContext:
    alphabet: frozenset[str]  # residue characters of this document
    vocab: Vocabulary
    scan: object | None = None  # a repair.fusion.ScanReading of the same document, if any

    @classmethod
    def for_source(cls, source: str, vocab: Vocabulary | None = None, scan=None) -> "RepairContext":
        return cls(alphabet=residue_alphabet(source), vocab=vocab or plan_vocabulary(), scan=scan)

    def lines(self, text: str) -> list[Line]:
        return classify_lines(text, self.alphabet)
