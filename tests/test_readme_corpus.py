"""The README's corpus section, checked as a reader would: its batch over the real
documents (../shared/realdocs, never copied here) and the corpus document, run on a
real `dask scheduler` with two `dask worker` processes, gives every document's outputs
as its single run gives them, byte for byte; run again, it skips every document done;
and each of the README's five queries prints what the README shows."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from test_batch_dask import cluster  # noqa: F401  (the fixture: a scheduler and two workers on loopback)

ROOT = Path(__file__).resolve().parents[1]
REALDOCS = ROOT.parent / "shared" / "realdocs"
CORPUS_DOCUMENT = ROOT / "corpus" / "ip-protection-plan-2021-2025.garbled-extract.txt"
QUERY = re.compile(r'```sh\nplanrecover query real-corpus/ "(.*?)"\n```\n\n```\n(.*?)```', re.S)

# Every document's single run, in one process (its start-up paid once): `extract` as the CLI runs it.
SINGLES = """
import sys
from pipeline.cli import main
for source, out in zip(sys.argv[1::2], sys.argv[2::2]):
    main(["extract", source, "--out", out])
"""


def planrecover(*args):
    return subprocess.run([sys.executable, "-m", "pipeline.cli", *map(str, args)], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_the_readme_s_batch_is_its_single_runs_a_rerun_skips_them_and_its_queries_print_what_it_shows(cluster, tmp_path):  # noqa: F811
    address, _ = cluster
    out = tmp_path / "real-corpus"
    done = planrecover("batch", REALDOCS, CORPUS_DOCUMENT, "--out", out, "--scheduler", address)
    # SOURCES.md, the folder's description, is no plan (exit 6), as the README says.
    assert "batch: 13 documents: 12 ok, 1 failed" in done.stdout, done.stdout + done.stderr
    lines = [json.loads(line) for line in (out / "batch.jsonl").read_text(encoding="utf-8").splitlines()]
    failed = [(Path(line["path"]).name, line.get("exit")) for line in lines if line["status"] != "ok"]
    assert failed == [("SOURCES.md", 6)]

    done_ok = [line for line in lines if line["status"] == "ok"]
    singles = {line["doc_id"]: tmp_path / "single" / line["doc_id"] for line in done_ok}
    argv = [str(a) for line in done_ok for a in (line["path"], singles[line["doc_id"]])]
    ran = subprocess.run([sys.executable, "-c", SINGLES, *argv], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert ran.returncode == 0, ran.stderr
    for doc_id, single in singles.items():
        names = sorted(p.name for p in single.iterdir())
        batched = out / "docs" / doc_id
        assert sorted(p.name for p in batched.iterdir()) == names, doc_id
        for name in names:
            assert (batched / name).read_bytes() == (single / name).read_bytes(), (doc_id, name)

    again = planrecover("batch", REALDOCS, CORPUS_DOCUMENT, "--out", out, "--scheduler", address)
    assert "batch: 13 documents: 0 ok, 1 failed, 12 skipped as already done" in again.stdout, again.stdout + again.stderr

    queries = QUERY.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert len(queries) == 5
    for sql, shown in queries:
        printed = planrecover("query", out, sql)
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout == shown, sql
