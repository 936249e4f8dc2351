"""Put the cells of a table on its grid, the way a browser lays out rowspan and colspan.

Shared by the readers whose tables come as rows of cells with spans (HTML, the DocBook
that antiword writes). Spans are capped: a span never reaches past the table's last
row, and a span over ``MAX_SPAN`` (HTML allows colspan up to 1000, rowspan up to
65534) is clamped with a warning, so a hostile page cannot make a grid of millions of
positions. Grid columns in which no cell begins are dropped: they only widen merged
cells and would print as empty columns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from errors import DocumentUnreadable

from .model import Cell, Provenance

MAX_SPAN = 1000
# A plan's tables (a division-of-labour table the largest) hold a few thousand cells;
# a document with far more is refused before its tables are read, so a hostile page
# cannot make the reader and the stages after it run for minutes.
MAX_TABLE_CELLS = 50_000


def check_table_cells(cells: int, name: str) -> None:
    if cells > MAX_TABLE_CELLS:
        raise DocumentUnreadable(f"{name}: its tables hold {cells} cells, more than any plan's ({MAX_TABLE_CELLS}); refused")


@dataclass(frozen=True)
class RawCell:
    """A cell as the source gives it: text and spans (0 or less: unset), not yet placed."""

    text: str
    rowspan: int
    colspan: int
    provenance: Provenance


def place_cells(rows: list[list[RawCell]], table_name: str) -> tuple[list[Cell], list[str]]:
    """Cells on the grid (row, col from 0) and one warning per span that was clamped."""
    warnings: list[str] = []
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    for r, row in enumerate(rows):
        c = 0
        for raw in row:
            while (r, c) in taken:
                c += 1
            rows_left = len(rows) - r
            rowspan = rows_left if raw.rowspan == 0 else max(raw.rowspan, 1)  # HTML: rowspan=0 runs to the end
            colspan = max(raw.colspan, 1)
            if rowspan > MAX_SPAN or colspan > MAX_SPAN:
                warnings.append(
                    f"{table_name}: a cell's span (rowspan {raw.rowspan}, colspan {raw.colspan}) at {raw.provenance.where} "
                    f"was clamped to the table ({min(rowspan, rows_left)} rows, at most {MAX_SPAN} columns)"
                )
            rowspan, colspan = min(rowspan, rows_left), min(colspan, MAX_SPAN)
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            cells.append(Cell(r, c, rowspan, colspan, raw.text, raw.provenance))
            c += colspan
    return compact_columns(cells), warnings


def compact_columns(cells: list[Cell]) -> list[Cell]:
    """Drop grid columns where no cell begins, narrowing the spans across them."""
    starts = sorted({c.col for c in cells})
    new_col = {col: i for i, col in enumerate(starts)}

    def narrowed(cell: Cell) -> Cell:
        end = cell.col + cell.colspan  # first grid column after the cell
        span = sum(1 for col in starts if cell.col <= col < end)
        return replace(cell, col=new_col[cell.col], colspan=span)

    return [narrowed(c) for c in cells]
