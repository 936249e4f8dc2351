"""drop_repeated_blocks: a document, page, box or line printed twice in a row.

A bad export prints a whole block again right after itself (a page, a box, the whole
document) or every line twice. Left alone, the copy becomes new boxes, doubled indicator
rows and agencies pieced together across the seam. The copy of a block goes in one
change, its evidence the block and where its copy starts; the first printing stays.

Evidence is the repetition itself: the lines of the copy equal the block's lines, white
space aside. A block must carry text (at least ``MIN_HAN`` ideographs on a line that is
no table row): rows of a division-of-labour table that name the same bodies, or short
cells (预期性, —) printed one per line, repeat by design.
"""

from __future__ import annotations

import bisect
import re

from grammar.chars import han_chars

from .changes import Edit
from .context import RepairContext
from .layout import split_lines

MIN_HAN = 6  # ideographs on one prose line of the block
CANDIDATES = 4  # later printings of a line tried as the start of a copy
MIN_DOUBLED_SHARE = 0.8  # of the lines in equal pairs: the whole document printed line by line twice


def drop_repeated_blocks(text: str, ctx: RepairContext) -> list[Edit]:
    raw = split_lines(text)
    lines = [(start, end, _key(line)) for start, end, line in raw if line.strip()]
    keys = [key for _, _, key in lines]
    later: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        later.setdefault(key, []).append(i)
    # Every line printed twice (a bad export): then a doubled table row or short cell is
    # a copy too, not a row that repeats by design.
    doubled_lines = _doubled_line_share(keys) >= MIN_DOUBLED_SHARE
    edits = []
    i = 0
    while i < len(lines):
        # A document printed line by line twice pairs each line with the next.
        size = 1 if doubled_lines and i + 1 < len(keys) and keys[i] == keys[i + 1] else _doubled_block(keys, i, later)
        if size and (doubled_lines or _carries_text(lines[i:i + size], text)):
            # From the end of the block to the end of its copy: the copy's line break
            # goes, the blank lines after it stay where they were.
            copy_start = lines[i + size - 1][1]
            copy_end = lines[i + 2 * size - 1][1]
            block = text[lines[i][0]:lines[i + size - 1][1]]
            edits.append(
                Edit(
                    copy_start,
                    copy_end,
                    "",
                    reason=f"a block of {size} line(s) printed again right after itself; the copy goes, the first printing stays",
                    confidence=0.97 if size > 1 else 0.9,
                    evidence={"lines": size, "characters": len("".join(block.split())), "block": block[:120], "copy_starts_at": lines[i + size][0]},
                )
            )
            i += 2 * size
        else:
            i += 1
    return edits


def _doubled_line_share(keys: list[str]) -> float:
    """Share of non-blank lines that are the first of a pair of equal lines in a row."""
    pairs, i = 0, 0
    while i + 1 < len(keys):
        if keys[i] == keys[i + 1]:
            pairs += 1
            i += 2
        else:
            i += 1
    return 2 * pairs / len(keys) if keys else 0.0


def _key(line: str) -> str:
    return re.sub(r"\s+", "", line)


def _doubled_block(keys: list[str], i: int, later: dict[str, list[int]]) -> int:
    """The longest k such that lines i..i+k-1 equal lines i+k..i+2k-1 (0: none)."""
    best = 0
    positions = later[keys[i]]
    at = bisect.bisect_right(positions, i)
    after = positions[at:at + CANDIDATES]
    for j in after:
        k = j - i
        if i + 2 * k > len(keys):
            continue
        if all(keys[i + t] == keys[j + t] for t in range(k)):
            best = max(best, k)
    return best


def _carries_text(block, text: str) -> bool:
    return any("\t" not in text[s:e].strip() and len(han_chars(text[s:e])) >= MIN_HAN for s, e, _ in block)
