"""indicators.csv: UTF-8 with BOM, one row per indicator."""

import csv
import io

from pipeline.csvout import COLUMNS, indicators_csv


def test_bom_header_and_rows(corpus_recovery):
    text = indicators_csv(corpus_recovery.plan)
    assert text.startswith("\ufeffseq,name,unit,")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert list(rows[0]) == list(COLUMNS)
    assert len(rows) == 8
    fifth = rows[4]
    assert fifth["name"] == "专利密集型产业增加值占 GDP 比重" and fifth["unit"] == "%"
    assert (fifth["baseline"], fifth["baseline_raw"], fifth["target"], fifth["increase"]) == ("11.6", "11.6 ^③", "13.0", "1.4")
    assert fifth["check_ok"] == "true" and fifth["footnotes"] == "③:baseline"
    last = rows[7]
    assert last["baseline"] == "" and last["baseline_raw"] == "—" and last["check_ok"] == ""


def test_utf8_sig_readers_get_clean_names(corpus_recovery, tmp_path):
    path = tmp_path / "indicators.csv"
    path.write_bytes(indicators_csv(corpus_recovery.plan).encode("utf-8"))
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig", newline="")))  # what pandas' encoding="utf-8-sig" does
    assert rows[0]["seq"] == "1" and rows[0]["name"] == "每万人口高价值发明专利拥有量"


def test_empty_plan():
    assert indicators_csv({"indicators": []}) == "\ufeff" + ",".join(COLUMNS) + "\r\n"


def test_extract_writes_it(tmp_path):
    import subprocess
    import sys

    from conftest import CORPUS_DOC, ROOT

    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", CORPUS_DOC, "--out", out], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    data = (out / "indicators.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbfseq,") and data.count(b"\r\n") == 9
    assert (out / "report.html").read_bytes().startswith(b"<!DOCTYPE html>")
