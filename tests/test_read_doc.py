"""The .doc reader: antiword's DocBook read into the model, the converter's failures, and
the real Hainan notice (a WPS-saved Word 97 file) read through antiword."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.errors import DocumentUnreadable, ReaderMissing
from pipeline.ingest import read_input
from read.doc import docbook_document, read_doc
from read.textview import text_view

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)

# What antiword -x db writes, in small: paragraphs (an empty one too: Word counts it), a
# table whose first entry spans two rows, a footnote inside a paragraph.
DOCBOOK = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE book PUBLIC "-//OASIS//DTD DocBook XML V4.1.2//EN" "http://www.oasis-open.org/docbook/xml/4.1.2/docbookx.dtd">
<book lang='zh_CN'><chapter><title/>
<para>
\u2002\u2002一、总体要求
</para>
<para>
\u2002
</para>
<para>
坚持稳中求进&lt;总基调&gt;。<footnote><para>脚注文字</para></footnote>
</para>
<informaltable frame='all'><tgroup cols='2'><tbody>
<row><entry morerows='1'><para>经济</para></entry><entry><para>增长率</para></entry></row>
<row><entry><para>投资</para></entry></row>
</tbody></tgroup></informaltable>
<para>
二、主要任务
</para>
</chapter></book>
"""


def test_docbook_reads_to_paragraphs_and_a_table():
    document = docbook_document(DOCBOOK.encode("utf-8"), "notice.doc")
    assert [(b.kind, b.provenance.where) for b in document.blocks] == [
        ("paragraph", "paragraph 1"), ("paragraph", "paragraph 3"), ("furniture", "footnote 1 in paragraph 3"),
        ("table", "table 1"), ("paragraph", "paragraph 4"),
    ]
    assert text_view(document)[0] == "一、总体要求\n\n坚持稳中求进<总基调>。\n\n经济\t增长率\n\t投资\n\n二、主要任务\n"
    cells = {c.text: (c.row, c.col, c.rowspan) for c in document.blocks[3].cells}
    assert cells == {"经济": (0, 0, 2), "增长率": (0, 1, 1), "投资": (1, 1, 1)}


def test_docbook_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    xml = f'<?xml version="1.0"?><!DOCTYPE book [<!ENTITY leak SYSTEM "{secret.as_uri()}">]><book><para>正文&leak;</para></book>'
    text, _ = text_view(docbook_document(xml.encode("utf-8"), "x.doc"))
    assert "正文" in text and "TOPSECRET" not in text


def _fake_tool(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(exist_ok=True)
    tool = folder / name
    tool.write_text(f"#!{sys.executable}\nimport sys, time\n{body}\n", encoding="utf-8")
    tool.chmod(0o755)
    return folder


def test_read_doc_runs_antiword_and_reads_its_docbook(tmp_path, monkeypatch):
    (tmp_path / "out.xml").write_text(DOCBOOK, encoding="utf-8")
    folder = _fake_tool(tmp_path / "bin", "antiword", f"assert sys.argv[1:3] == ['-x', 'db']\nsys.stdout.buffer.write(open({str(tmp_path / 'out.xml')!r}, 'rb').read())")
    monkeypatch.setenv("PATH", str(folder))
    document = read_doc(OLE2, "notice.doc")
    assert document.format == "doc" and document.meta["reader"] == "antiword"
    assert [b.text for b in document.blocks if b.kind == "paragraph"] == ["一、总体要求", "坚持稳中求进<总基调>。", "二、主要任务"]


def test_a_converter_that_hangs_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(_fake_tool(tmp_path / "bin", "antiword", "time.sleep(30)")))
    with pytest.raises(DocumentUnreadable, match="did not finish within 0.5 s"):
        read_doc(OLE2, "slow.doc", timeout=0.5)


def test_a_converter_that_fails_says_why(tmp_path, monkeypatch):
    tool = _fake_tool(tmp_path / "bin", "antiword", "sys.stderr.write(sys.argv[-1] + ' is not a Word Document.\\n'); sys.exit(1)")
    monkeypatch.setenv("PATH", str(tool))
    with pytest.raises(DocumentUnreadable, match="^bad.doc: antiword cannot read it \\(bad.doc is not a Word Document.\\)"):
        read_doc(OLE2, "bad.doc")


def test_no_converter_installed_names_the_package(tmp_path, monkeypatch):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ReaderMissing, match="apt-get install antiword") as caught:
        read_doc(OLE2, "notice.doc")
    assert caught.value.exit_code == 10


def test_cli_without_a_converter_exits_10_in_one_line(tmp_path):
    (tmp_path / "empty").mkdir()
    source = tmp_path / "notice.doc"
    source.write_bytes(OLE2)
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "extract", str(source), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PATH": str(tmp_path / "empty"), "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 10
    assert done.stderr.count("\n") == 1 and "antiword" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()


# The real document: 海南省农业农村厅、海南省财政厅 notice (2024), saved by WPS Office.


@pytest.fixture(scope="module")
def hainan():
    return read_input(REALDOCS / "hainan_farm_machinery_subsidy_plan_2024.doc")


def test_hainan_reads_as_doc(hainan):
    assert hainan.format == "doc" and hainan.encoding == "doc:antiword"
    assert hainan.text.startswith("海南省农业农村厅\xa0\u2002海南省财政厅\n\n关于印发2024-2026年海南省农机\n\n购置与应用补贴实施方案的通知\n\n")


def test_hainan_gives_its_seven_sections_in_order(hainan):
    sections = re.findall(r"^([一二三四五六七八九十]+)、(.+)$", hainan.text, flags=re.M)
    assert [number for number, _ in sections] == ["一", "二", "三", "四", "五", "六", "七"]
    assert [title for _, title in sections][:2] == ["总体要求", "实施重点"] and sections[-1][1] == "实施要求"


def test_hainan_en_space_indents_are_layout_not_text(hainan):
    assert "\n2024年7月1日\n" in hainan.text and "\u2002" not in "".join(line[:1] for line in hainan.text.splitlines())
    assert "\n21.1.1平地机\n" in hainan.text  # the annex's indented three-level list, indents gone
