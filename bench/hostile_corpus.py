"""The hostile corpus: files made to break the readers, in one place for the tests and the bench.

Each builder returns the bytes of one hostile file (deep nesting, huge tables and spans,
entities, zip bombs, a PDF that lies about its pages, a 5 MB line, mixed encodings,
odd characters). ``CASES`` lists the inputs the bench's reliability section runs, each
with the exit codes it may honestly end in.
"""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass, field
from typing import Callable
from xml.sax.saxutils import escape

PLAN = "专栏1 加强知识产权保护\n\n1．完善法律法规。国家知识产权局牵头，公安部等按职责分工负责。\n"
W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
ODD = "\ufffd\ue000\u202e\u200b\u200d\u2066\u2069"  # lost, private-use, bidi and zero-width characters


@functools.lru_cache(maxsize=1)
def _base_docx() -> dict[str, bytes]:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    with zipfile.ZipFile(buffer) as package:
        return {name: package.read(name) for name in package.namelist()}


def docx_with(body_xml: str, doctype: str = "") -> bytes:
    parts = dict(_base_docx())
    parts["word/document.xml"] = f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<w:document {W_NS}><w:body>{body_xml}</w:body></w:document>'.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def paragraph(text: str) -> str:
    return f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def plan_paragraphs() -> str:
    return "".join(paragraph(escape(line)) for line in PLAN.splitlines() if line)


def laughs(entity_text: str) -> str:
    """A billion-laughs DTD: &l9; expands to 10^9 copies of ``entity_text``."""
    defs = [f'<!ENTITY l0 "{entity_text}">'] + [f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10)]
    return "".join(defs)


def html_page(body: str) -> bytes:
    return f"<html><body>{body}</body></html>".encode()


def deep_html(depth: int = 10_000) -> bytes:
    return html_page("<div>" * depth + PLAN + "</div>" * depth)


def html_table(rows: int = 10_000, columns: int = 100) -> bytes:
    cells = ("<tr>" + "<td>指标</td>" * columns + "</tr>") * rows
    return html_page(f"<p>{PLAN}</p><table>{cells}</table>")


def docx_table(rows: int = 300, columns: int = 200) -> bytes:
    row = "<w:tr>" + "<w:tc><w:p/></w:tc>" * columns + "</w:tr>"
    return docx_with(plan_paragraphs() + "<w:tbl>" + row * rows + "</w:tbl>")


def html_rowspan(span: int = 100_000) -> bytes:
    table = f'<table><tr><td rowspan="{span}" colspan="{span}">类别</td><td>指标</td></tr><tr><td>专利</td></tr></table>'
    return html_page(f"<p>{PLAN}</p>{table}")


def html_entities(secret_uri: str = "file:///etc/hostname") -> bytes:
    """Billion laughs and an external entity in a web page's DOCTYPE."""
    doctype = f'<!DOCTYPE html [{laughs("专栏")}<!ENTITY xxe SYSTEM "{secret_uri}">]>'
    return f"{doctype}<html><body><p>&l9; &xxe;</p><p>{PLAN}</p></body></html>".encode()


def docx_entities(secret_uri: str = "file:///etc/hostname", expand: bool = True) -> bytes:
    """An external entity (and billion laughs when ``expand``) inside a Word document's XML."""
    doctype = f'<!DOCTYPE w:document [{laughs("专栏") if expand else ""}<!ENTITY xxe SYSTEM "{secret_uri}">]>'
    return docx_with(paragraph("&xxe;" + ("&l9;" if expand else "")) + plan_paragraphs(), doctype)


def zip_bomb(claimed_size: int | None = None) -> bytes:
    """A Word document whose XML inflates to 300 MB; ``claimed_size`` makes it lie about that in both headers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _base_docx()["[Content_Types].xml"])
        package.writestr("word/document.xml", b" " * 300_000_000)
    data = bytearray(buffer.getvalue())
    if claimed_size is not None:
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as package:
            info = package.getinfo("word/document.xml")
        local = info.header_offset + 22
        data[local : local + 4] = claimed_size.to_bytes(4, "little")
        central = bytes(data).find(b"word/document.xml", bytes(data).find(b"PK\x01\x02")) - 46
        data[central + 24 : central + 28] = claimed_size.to_bytes(4, "little")
    return bytes(data)


def pdf_claiming_pages(count: int) -> bytes:
    """A one-page PDF whose page tree says it has ``count`` pages."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count %d >>" % count,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def long_line(size: int = 5_000_000) -> bytes:
    """A web page holding one paragraph of ``size`` bytes of UTF-8."""
    return html_page("<p>" + "国家知识产权局牵头，" * (size // 30) + "</p>")


def mixed_encodings() -> bytes:
    return PLAN.encode("utf-8") + PLAN.encode("gbk")


def replacement_run(lost: int = 500, private: int = 50) -> bytes:
    return (PLAN + "\ufffd" * lost + "\ue000" * private + "\n").encode()


def private_use_run(count: int = 500) -> bytes:
    return (PLAN + "\ue000" * count + "\n").encode()


def odd_characters() -> bytes:
    """A few lost, private-use, bidi and zero-width characters: under 1 % of the text."""
    return (PLAN.replace("完善", "完" + ODD + "善") + PLAN.replace("专栏1", "专栏2") * 9).encode()


def bidi_zero_width(count: int = 2_000) -> bytes:
    """Bidi controls and zero-width characters between every character of a plan."""
    marks = "\u202e\u200b\u2066\u200d\u2069\u200c\u202d"
    text = "".join(ch + marks[i % len(marks)] for i, ch in enumerate(PLAN * (count // len(PLAN) + 1)))
    return text.encode()


def pattern_text(kind: str, size: int = 200_000) -> bytes:
    """One of bench.hostile's backtracking baits, as a whole text file."""
    from .hostile import INPUTS

    return (PLAN + INPUTS[kind](size) + "\n").encode()


@dataclass(frozen=True)
class Case:
    """One hostile input: its kind (a row of the bench), file name, builder, extract options
    and the exit codes it may end in (0: an honest result)."""

    kind: str
    name: str
    build: Callable[[], bytes]
    options: tuple[str, ...] = ()
    expected: frozenset[int] = field(default_factory=frozenset)


def cases() -> list[Case]:
    c = Case
    return [
        c("deep HTML", "deep.html", deep_html, (), frozenset({11})),
        c("huge table", "table.html", html_table, (), frozenset({11})),
        c("huge table", "table.docx", docx_table, (), frozenset({11})),
        c("rowspan", "span.html", html_rowspan, ("--allow-empty",), frozenset({0})),
        c("entities (HTML)", "entities.html", html_entities, ("--allow-empty",), frozenset({0, 11})),
        c("entities (DOCX)", "xxe.docx", functools.partial(docx_entities, expand=False), ("--allow-empty",), frozenset({0, 11})),
        c("entities (DOCX)", "laughs.docx", docx_entities, ("--allow-empty",), frozenset({0, 11})),
        c("zip bomb", "bomb.docx", zip_bomb, (), frozenset({11})),
        c("zip bomb", "lying-bomb.docx", functools.partial(zip_bomb, 1000), (), frozenset({11})),
        c("PDF of 100 000 pages", "claims.pdf", functools.partial(pdf_claiming_pages, 100_000), (), frozenset({21})),
        c("5 MB line", "line.html", long_line, ("--allow-empty",), frozenset({0})),
        c("mixed encodings", "mixed.txt", mixed_encodings, (), frozenset({5})),
        c("U+FFFD run", "lost.txt", replacement_run, (), frozenset({5})),
        c("private use", "pua.txt", private_use_run, (), frozenset({5})),
        c("bidi, zero-width", "odd.txt", odd_characters, (), frozenset({0})),
        c("bidi, zero-width", "marks.txt", bidi_zero_width, ("--allow-empty",), frozenset({0, 5})),
        *(c("pattern bait", f"bait-{kind.replace(' ', '-')}.txt", functools.partial(pattern_text, kind), ("--allow-empty",), frozenset({0, 5, 6}))
          for kind in ("digits", "brackets", "agency run", "label run")),
    ]
