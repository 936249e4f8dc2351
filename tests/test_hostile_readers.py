"""Hostile inputs for every reader: a one-line error with a documented exit code, or an
honest result; never a traceback, a hang, or a partial output folder.

The hostile files are made here (deep nesting, huge tables and spans, entities, zip
bombs, mixed encodings, odd characters), and hypothesis builds random HTML trees, Word
documents and texts from structured strategies. Time per character is measured in the
bench (bench/hostile.py), not here.
"""

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.hostile_corpus import PLAN, docx_with, laughs, paragraph, pdf_claiming_pages, plan_paragraphs
from bench.hostile_corpus import zip_bomb as _zip_bomb
from pipeline.cli import main

DOCUMENTED = {0, 3, 4, 5, 6, 7, 10, 11, *range(20, 29)}
FUZZ = settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))


def extract(folder: Path, name: str, data: bytes, capsys, *options: str):
    """Run extract in-process on ``data``; (exit code, stderr, output folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    source, out = folder / name, folder / "out"
    source.write_bytes(data)
    capsys.readouterr()
    code = main(["extract", str(source), "--out", str(out), *options])
    return code, capsys.readouterr().err, out


def assert_handled(code: int, err: str, out: Path) -> None:
    assert code in DOCUMENTED, err
    assert "Traceback" not in err and "internal error" not in err
    if code:
        assert err.count("\n") == 1 and err.startswith("planrecover: "), err
        assert not out.exists(), "a failed run left an output folder"
    else:
        assert (out / "plan.json").is_file()
    assert not [p for p in out.parent.iterdir() if ".staging-" in p.name]


# --- the hostile corpus: its builders are in bench/hostile_corpus.py -----------------


def test_html_nested_10000_deep_is_refused(tmp_path, capsys):
    page = "<html><body>" + "<div>" * 10_000 + PLAN + "</div>" * 10_000 + "</body></html>"
    code, err, out = extract(tmp_path, "deep.html", page.encode(), capsys)
    assert_handled(code, err, out)
    assert code == 11 and "parser stopped" in err


def test_html_table_of_10000_by_100_cells_is_refused_quickly(tmp_path, capsys):
    rows = ("<tr>" + "<td>指标</td>" * 100 + "</tr>") * 10_000
    code, err, out = extract(tmp_path, "table.html", f"<html><body><p>{PLAN}</p><table>{rows}</table></body></html>".encode(), capsys)
    assert_handled(code, err, out)
    assert code == 11 and "1000000 cells" in err


def test_docx_table_past_the_cell_limit_is_refused(tmp_path, capsys):
    row = "<w:tr>" + "<w:tc><w:p/></w:tc>" * 200 + "</w:tr>"
    code, err, out = extract(tmp_path, "table.docx", docx_with(plan_paragraphs() + "<w:tbl>" + row * 300 + "</w:tbl>"), capsys)
    assert_handled(code, err, out)
    assert code == 11 and "60000 cells" in err


def test_rowspan_100000_is_clamped_and_said(tmp_path, capsys):
    table = '<table><tr><td rowspan="100000" colspan="100000">类别</td><td>指标</td></tr><tr><td>专利</td></tr></table>'
    code, err, out = extract(tmp_path, "span.html", f"<html><body><p>{PLAN}</p>{table}</body></html>".encode(), capsys, "--allow-empty")
    assert_handled(code, err, out)
    assert code == 0 and "clamped" in err


def test_html_entities_are_never_expanded_nor_resolved(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    doctype = f'<!DOCTYPE html [{laughs("专栏")}<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    page = f"{doctype}<html><body><p>&l9; &xxe;</p><p>{PLAN}</p></body></html>"
    code, err, out = extract(tmp_path / "run", "entities.html", page.encode(), capsys, "--allow-empty")
    assert_handled(code, err, out)
    assert code == 0
    text = (out / "plan.repaired.txt").read_text(encoding="utf-8")
    assert "SECRET-CONTENT" not in text and len(text) < 2 * len(page)


@pytest.mark.parametrize("expand", [False, True])
def test_docx_entities_are_never_expanded_nor_resolved(tmp_path, capsys, expand):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [{laughs("专栏") if expand else ""}<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    body = paragraph("&xxe;" + ("&l9;" if expand else "")) + plan_paragraphs()
    code, err, out = extract(tmp_path / "run", "entities.docx", docx_with(body, doctype), capsys, "--allow-empty")
    assert_handled(code, err, out)
    if code == 0:
        text = (out / "plan.repaired.txt").read_text(encoding="utf-8")
        assert "SECRET-CONTENT" not in text and len(text) < 10_000
    else:
        assert code == 11


@pytest.mark.parametrize("claimed", [None, 1000])
def test_docx_zip_bomb_is_refused(tmp_path, capsys, claimed):
    code, err, out = extract(tmp_path, "bomb.docx", _zip_bomb(claimed), capsys)
    assert_handled(code, err, out)
    assert code == 11


def test_a_5_mb_single_line_page_is_read(tmp_path):
    from pipeline.ingest import document_source

    line = "国家知识产权局牵头，" * (5_000_000 // 30)  # 5 MB of UTF-8
    source = document_source("line.html", f"<html><body><p>{line}</p></body></html>".encode(), "html")
    assert source.text == line + "\n"


def test_mixed_encodings_are_named(tmp_path, capsys):
    code, err, out = extract(tmp_path, "mixed.txt", PLAN.encode("utf-8") + PLAN.encode("gbk"), capsys)
    assert_handled(code, err, out)
    assert code == 5 and "mixed encodings" in err and "line 4" in err


def test_a_run_of_replacement_characters_is_named(tmp_path, capsys):
    code, err, out = extract(tmp_path, "lost.txt", (PLAN + "\ufffd" * 500 + "\ue000" * 50 + "\n").encode(), capsys)
    assert_handled(code, err, out)
    assert code == 5 and "500 U+FFFD replacement, 50 private-use" in err


def test_a_few_odd_characters_give_an_honest_result(tmp_path, capsys):
    odd = "\ufffd\ue000\u202e\u200b\u200d\u2066\u2069"
    text = PLAN.replace("完善", "完" + odd + "善") + PLAN.replace("专栏1", "专栏2") * 9  # under 1 % lost characters
    code, err, out = extract(tmp_path, "odd.txt", text.encode(), capsys)
    assert_handled(code, err, out)
    assert code == 0


# --- fuzzing: structured strategies ----------------------------------------------------

ODD = "\ufffd\ue000\uf8ff\u202e\u202d\u2066\u2069\u200b\u200c\u200d\ufeff"
WORDS = ["专栏1", "专栏", "指标", "序号", "牵头", "按职责分工负责", "国家知识产权局", "2025年", "13.0", "%", "（一）", "1．", "。", "，"]
fragments = st.one_of(st.sampled_from(WORDS), st.text(alphabet="知识产权保护规划" + ODD + "<&>\"' \t", max_size=6))
texts = st.lists(fragments, max_size=8).map("".join)


def _element(children):
    tags = st.sampled_from(["div", "p", "span", "li", "h2", "td", "tr", "table", "b", "section"])
    attrs = st.sampled_from(["", ' rowspan="3"', ' colspan="100000"', ' rowspan="0"', ' style="display:none"', ' href="javascript:alert(1)"'])
    return st.tuples(tags, attrs, st.lists(st.one_of(texts.map(escape), children), max_size=4)).map(
        lambda t: f"<{t[0]}{t[1]}>{''.join(t[2])}</{t[0]}>"
    )


html_trees = st.recursive(texts.map(escape), _element, max_leaves=25)


@FUZZ
@given(body=st.lists(html_trees, min_size=1, max_size=5))
def test_fuzz_html(tmp_path_factory, capsys, body):
    page = "<html><body>" + "".join(body) + "<script>document.write('x')</script></body></html>"
    code, err, out = extract(tmp_path_factory.mktemp("html"), "page.html", page.encode(), capsys, "--allow-empty", "--format", "html")
    assert_handled(code, err, out)


cells = st.tuples(texts, st.sampled_from(["", '<w:gridSpan w:val="2"/>', '<w:vMerge w:val="restart"/>', "<w:vMerge/>", '<w:gridSpan w:val="999999"/>']))
tables = st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=4).map(
    lambda rows: "<w:tbl>" + "".join(
        "<w:tr>" + "".join(f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraph(escape(text))}</w:tc>" for text, props in row) + "</w:tr>" for row in rows
    ) + "</w:tbl>"
)
docx_blocks = st.one_of(texts.map(lambda t: paragraph(escape(t))), tables)


@FUZZ
@given(blocks=st.lists(docx_blocks, min_size=1, max_size=6))
def test_fuzz_docx(tmp_path_factory, capsys, blocks):
    code, err, out = extract(tmp_path_factory.mktemp("docx"), "doc.docx", docx_with("".join(blocks)), capsys, "--allow-empty")
    assert_handled(code, err, out)


@FUZZ
@given(lines=st.lists(texts, min_size=1, max_size=12), encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_fuzz_text(tmp_path_factory, capsys, lines, encoding):
    data = "\n".join(lines).encode(encoding, errors="replace")
    code, err, out = extract(tmp_path_factory.mktemp("text"), "plan.txt", data, capsys, "--allow-empty", "--format", "text")
    assert_handled(code, err, out)


def test_a_pdf_claiming_100000_pages_is_a_corrupt_pdf(tmp_path, capsys):
    code, err, out = extract(tmp_path, "claims.pdf", pdf_claiming_pages(100_000), capsys)
    assert_handled(code, err, out)
    assert code == 21 and "cannot be loaded" in err
