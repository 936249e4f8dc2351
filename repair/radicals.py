"""normalize_radicals: ⼯ (a Kangxi radical, U+2F2F) stands for 工; ⺠ for 民.

Broken text layers carry look-alike code points that defeat every dictionary and
search. Each is replaced by the unified ideograph it stands for (grammar.ideographs holds
the table and leaves full-width punctuation alone). It is the same source character
re-encoded, so its origin stays its source offset.
"""

from __future__ import annotations

from grammar.ideographs import normalize_ideographs

from .changes import Edit
from .context import RepairContext


def normalize_radicals(text: str, ctx: RepairContext) -> list[Edit]:
    _, changes = normalize_ideographs(text)
    return [
        Edit(
            c.offset,
            c.offset + 1,
            c.after,
            reason=f"{c.before} (U+{ord(c.before):04X}) is a radical or compatibility code point standing for the ideograph {c.after}",
            confidence=0.99,
            evidence={"code_point": f"U+{ord(c.before):04X}", "unified": f"U+{ord(c.after):04X}"},
            moved_from=(c.offset,),  # the same source character, re-encoded
        )
        for c in changes
    ]
