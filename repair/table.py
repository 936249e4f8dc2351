"""fix_shifted_attribute_cell: a 属性 cell that slid to the start of an indicator row.

Rows 6–8 of our corpus read ``预期性	6.	版权产业…	预期性``: the attribute cell was
shifted to the front. If the row already ends with the same attribute, the front copy
is deleted; if the row has no attribute at its end, the cell is moved there (a
reorder, recorded as a deletion and an insertion of the same source characters). A
row with two different attributes is left alone and reported.
"""

from __future__ import annotations

from grammar.tables import ATTRIBUTES, table_cells

from .changes import Edit
from .context import RepairContext
from .layout import TABLE_ROW


def fix_shifted_attribute_cell(text: str, ctx: RepairContext) -> list[Edit]:
    edits = []
    for line in ctx.lines(text):
        if line.kind != TABLE_ROW:
            continue
        cells = table_cells(line.text)
        if len(cells) < 3 or cells[0] not in ATTRIBUTES:
            continue
        first_tab = line.text.index("\t")
        lead_start, lead_end = line.start, line.start + first_tab + 1  # the cell, any indent before it, its tab
        cell_start = line.start + line.text.index(cells[0])  # the cell's own characters, not the indent
        last = next((c for c in reversed(cells) if c), "")
        if last == cells[0] and cells.count(cells[0]) >= 2:
            edits.append(
                Edit(
                    lead_start,
                    lead_end,
                    "",
                    reason=f"extra {cells[0]} cell at the start of the row; the row already ends with {last}",
                    confidence=0.95,
                    evidence={"row_cells": cells},
                )
            )
        elif last not in ATTRIBUTES:
            trimmed_end = line.start + len(line.text.rstrip("\t "))
            edits.append(Edit(lead_start, lead_end, "", reason=f"{cells[0]} cell shifted to the row start: moved to the 属性 column", confidence=0.9, evidence={"row_cells": cells}))
            cell_positions = tuple(range(cell_start, cell_start + len(cells[0])))
            edits.append(
                Edit(
                    trimmed_end,
                    trimmed_end,
                    "\t" + cells[0],
                    reason=f"{cells[0]} cell moved here from the row start",
                    confidence=0.9,
                    evidence={"row_cells": cells},
                    moved_from=(lead_start + first_tab,) + cell_positions,
                )
            )
    return edits
