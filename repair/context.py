"""What every rule may consult besides the text: learnt once from the source."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnose import Diagnosis, diagnose, reads_as_cut_word, reads_as_no_word
from .layout import Line, classify_lines, is_residue_shaped, residue_alphabet
from .vocab import Vocabulary, plan_vocabulary


@dataclass(frozen=True)
class RepairContext:
    alphabet: frozenset[str]  # residue characters of this document (empty: no glyph loss shows)
    vocab: Vocabulary
    scan: object | None = None  # a repair.fusion.ScanReading of the same document, if any
    diagnosis: Diagnosis | None = None  # None: trust the text's shapes (rule unit tests)
    # Where the source is an OCR reading (a scan, an image region of a PDF): the marks
    # OCR read half-width inside Chinese text, at their source offsets (ocr.punctuation).
    ocr_widths: tuple = ()
    # and the characters it was unsure of, with its other readings (ScanReading.alternatives)
    ocr_alternatives: tuple = ()

    @classmethod
    def for_source(cls, source: str, vocab: Vocabulary | None = None, scan=None, ocr_widths: tuple = (),
                   ocr_alternatives: tuple = ()) -> "RepairContext":
        vocab = vocab or plan_vocabulary()
        diagnosis = diagnose(source, vocab)
        # Without evidenced glyph loss there is no residue: a short line is real text.
        alphabet = residue_alphabet(source) if diagnosis.found("glyph_loss") else frozenset()
        return cls(alphabet=alphabet, vocab=vocab, scan=scan, diagnosis=diagnosis, ocr_widths=tuple(ocr_widths),
                   ocr_alternatives=tuple(ocr_alternatives))

    def evidenced(self, kind: str) -> bool:
        return self.diagnosis is None or self.diagnosis.found(kind)

    def lines(self, text: str) -> list[Line]:
        return classify_lines(
            text,
            self.alphabet,
            glyph_loss=self.evidenced("glyph_loss"),
            # Evidence is a line of the residue alphabet that reads as no word: a lone
            # real glyph (围, half of a title split over two lines) is neither.
            is_residue_evidence=lambda line: reads_as_no_word(line, self.vocab) and is_residue_shaped(line, self.alphabet),
            is_cut_evidence=lambda line: reads_as_cut_word(line, self.vocab),
        )
