"""Read a Word 97–2003 .doc (also what WPS Office saves) into a ``Document``.

The binary format is read by a converter run as a separate program, with a time limit:

- ``antiword`` (Debian package antiword), preferred: small and deterministic. It writes
  DocBook XML (``antiword -x db``): one <para> per Word paragraph, tables as
  <informaltable> rows and entries. That XML is parsed with external entities and the
  network off (its DOCTYPE names a DTD on the web; it is never fetched).
- LibreOffice (``soffice --headless --convert-to docx``), when antiword is missing: the
  .docx it writes is read by ``read.docx``.

Neither installed: a one-line error that names the package to install. Antiword does
not keep paragraph styles, so a .doc read through it has no headings, only paragraphs.
Footnotes are kept as furniture: out of the running text, which they would interrupt.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from lxml import etree

from errors import DocumentUnreadable, EmptyInput, ReaderMissing

from .model import Block, Document, Provenance, table_block, tidy_lines
from .tables import RawCell, check_table_cells, place_cells

TIMEOUT_SECONDS = 60
INSTALL_HINT = "install antiword (Debian: sudo apt-get install antiword) or LibreOffice"
_TABLES = ("informaltable", "table")


def read_doc(data: bytes, name: str, timeout: float = TIMEOUT_SECONDS) -> Document:
    antiword = shutil.which("antiword")
    if antiword:
        xml = run_converter([antiword, "-x", "db"], data, name, timeout)
        document = docbook_document(xml, name)
    else:
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            raise ReaderMissing(f"{name}: reading a Word 97-2003 .doc needs antiword or LibreOffice; {INSTALL_HINT}")
        document = _via_libreoffice(soffice, data, name, timeout)
    if not any(b.text.strip() for b in document.blocks):
        raise EmptyInput(f"{name}: the Word document holds no text")
    return document


def run_converter(command: list[str], data: bytes, name: str, timeout: float) -> bytes:
    """Run ``command`` on the document (written to a private temporary file); its standard output."""
    tool = Path(command[0]).name
    with tempfile.TemporaryDirectory(prefix="planrecover-") as folder:
        path = Path(folder) / "input.doc"
        path.write_bytes(data)
        try:
            done = subprocess.run([*command, str(path)], capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise DocumentUnreadable(f"{name}: {tool} did not finish within {timeout:g} s; is the file damaged?") from None
        except OSError as exc:
            raise ReaderMissing(f"{name}: cannot run {tool} ({exc.strerror}); {INSTALL_HINT}") from None
    if done.returncode != 0 or not done.stdout.strip():
        said = done.stderr.decode("utf-8", "replace").replace(str(path), name).strip().splitlines()  # its words, our file's name
        raise DocumentUnreadable(f"{name}: {tool} cannot read it ({said[-1].strip() if said else f'exit {done.returncode}'}); not a Word 97-2003 document?")
    return done.stdout


def docbook_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True, remove_comments=True, remove_pis=True)


def docbook_document(xml: bytes, name: str) -> Document:
    """The DocBook antiword writes as a ``Document``: paragraphs numbered as Word counts them."""
    try:
        root = etree.fromstring(xml, parser=docbook_parser())
    except etree.LxmlError as exc:
        raise DocumentUnreadable(f"{name}: antiword's output is not readable XML ({' '.join(str(exc).split())})") from None
    if root is None:
        raise DocumentUnreadable(f"{name}: antiword wrote no XML")
    check_table_cells(sum(1 for _ in root.iter("entry")), name)
    blocks: list[Block] = []
    warnings: list[str] = []
    paragraphs = tables = 0
    footnotes = 0
    for element in root.iter("para", *_TABLES):
        ancestors = {a.tag for a in element.iterancestors()}
        if ancestors & set(_TABLES):
            continue  # a table's paragraphs are its cells' text
        if "footnote" in ancestors:
            footnotes += 1  # kept, but out of the running text: furniture, like a page's foot
            text = para_text(element)
            if text:
                blocks.append(Block("furniture", text, Provenance(f"footnote {footnotes} in paragraph {paragraphs}")))
        elif element.tag == "para":
            paragraphs += 1
            text = para_text(element)
            if text:
                blocks.append(Block("paragraph", text, Provenance(f"paragraph {paragraphs}")))
        else:
            tables += 1
            table_name = f"table {tables}"
            cells, notes = place_cells(docbook_rows(element, table_name), table_name)
            warnings.extend(notes)
            if cells:
                blocks.append(table_block(cells, Provenance(table_name)))
    return Document("doc", tuple(blocks), {"reader": "antiword", "warnings": tuple(warnings)})


def para_text(para) -> str:
    """A paragraph's text, footnotes left out, each line's indent and trailing space dropped."""
    pieces: list[str] = []

    def visit(element) -> None:
        pieces.append(element.text or "")
        for child in element:
            if child.tag != "footnote":
                visit(child)
            pieces.append(child.tail or "")

    visit(para)
    return tidy_lines("".join(pieces))


def docbook_rows(table, table_name: str) -> list[list[RawCell]]:
    rows = []
    for r, row in enumerate(table.iter("row"), start=1):
        cells = []
        for c, entry in enumerate(row.iterchildren("entry"), start=1):
            text = "\n".join(filter(None, (para_text(p) for p in entry.iter("para")))) or para_text(entry)
            more_rows = entry.get("morerows", "0")
            rowspan = 1 + int(more_rows) if more_rows.isdigit() else 1
            cells.append(RawCell(text, rowspan, 1, Provenance(f"{table_name} row {r} cell {c}")))
        rows.append(cells)
    return rows


def _via_libreoffice(soffice: str, data: bytes, name: str, timeout: float) -> Document:
    from .docx import read_docx

    with tempfile.TemporaryDirectory(prefix="planrecover-") as folder:
        source = Path(folder) / "input.doc"
        source.write_bytes(data)
        profile = Path(folder, "profile").as_uri()  # a private profile: no clash with a running LibreOffice
        command = [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx", "--outdir", folder, str(source)]
        try:
            subprocess.run(command, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise DocumentUnreadable(f"{name}: LibreOffice did not finish within {timeout:g} s; is the file damaged?") from None
        converted = Path(folder) / "input.docx"
        if not converted.is_file():
            raise DocumentUnreadable(f"{name}: LibreOffice cannot convert it; not a Word 97-2003 document?")
        read = read_docx(converted.read_bytes(), name)
    return Document("doc", read.blocks, {**read.meta, "reader": "libreoffice+python-docx"})
