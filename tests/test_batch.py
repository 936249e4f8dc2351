"""planrecover batch on the local Dask cluster it starts itself: a folder of small plans
written here by hand, one file that is no text and one copy; a rerun; manifests; limits.

Expected values are read off the documents below (doc-ids are their content hash, as the
batch defines them)."""

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

PLAN_A = """“十四五”示范保护规划

指标\t\t2020年\t2025年\t累计增加值\t属性
1.\t发明专利拥有量（件）\t6.3\t12\t5.7\t预期性
2.\t海外授权量（万件）\t4\t9\t5\t预期性
3.\t保护社会满意度（分）\t80\t85\t5\t约束性

专栏1 商业秘密保护工程

健全商业秘密保护政策。完善行政执法程序。（市场监管总局负责，公安部、商务部等按职责分工负责）

专栏2 地理标志保护工程

加强地理标志保护。完善认定制度。（国家知识产权局牵头，农业农村部等按职责分工负责）
"""

PLAN_B = """示范省专项规划

专栏1 数字政府建设行动

建设全省一体化政务服务平台。推动数据共享。（牵头单位：省政务服务数据管理局，配合单位：省发展改革委、省财政厅）
"""

PAGE_C = """<html><head><meta charset="utf-8"><title>示范市行动方案</title></head><body><div class="nav">首页 | 政策</div>
<div class="article"><h1>示范市数字经济行动方案</h1>
<p>专栏1 数据要素市场培育工程</p>
<p>建设数据交易平台。完善数据确权制度。（市发展改革委牵头，市财政局、市市场监管局等按职责分工负责）</p>
<p>专栏2 算力设施工程</p>
<p>建设城市算力中心。（市经济信息化委负责）</p>
</div></body></html>
"""

PLAN_D = """示范省第二规划

专栏1 科技创新能力提升计划

加强基础研究。建设省实验室。（省科技厅牵头，省教育厅、省财政厅等按职责分工负责）
"""

BROKEN = b"\x00\x01\x02 this is not a plan \xff\xfe\x00"


def planrecover(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd or ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def doc_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def status(out: Path) -> dict[str, dict]:
    lines = [json.loads(line) for line in (out / "batch.jsonl").read_text(encoding="utf-8").splitlines()]
    by_name = {Path(line["path"]).name: line for line in lines}
    assert len(by_name) == len(lines), "one line per input"
    return by_name


def write_folder(folder: Path) -> dict[str, bytes]:
    files = {
        "plan_a.txt": PLAN_A.encode("utf-8"),
        "plan_b.txt": PLAN_B.encode("gb18030"),
        "page_c.html": PAGE_C.encode("utf-8"),
        "broken.txt": BROKEN,
        "zz_copy_of_a.txt": PLAN_A.encode("utf-8"),
    }
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / ".hidden.txt").write_bytes(PLAN_D.encode("utf-8"))  # hidden files are not documents
    return files


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    files = write_folder(base / "plans")
    out = base / "corpus"
    done = planrecover("batch", base / "plans", "--out", out, "--jobs", "2")
    return base, files, out, done


def test_every_document_is_recorded_and_the_bad_one_does_not_stop_the_rest(first_run):
    _, files, out, done = first_run
    assert done.returncode == 1, done.stderr  # one document failed
    assert "batch: 5 documents: 3 ok, 1 failed, 0 skipped as already done, 1 duplicates" in done.stdout
    lines = status(out)
    assert set(lines) == {"plan_a.txt", "plan_b.txt", "page_c.html", "broken.txt", "zz_copy_of_a.txt"}
    assert [lines[n]["status"] for n in ("plan_a.txt", "plan_b.txt", "page_c.html")] == ["ok", "ok", "ok"]
    broken = lines["broken.txt"]
    assert (broken["status"], broken["exit"], broken["reason"]) == ("failed", 5, "NotText")
    assert broken["message"].startswith("broken.txt: contains NUL bytes")
    copy = lines["zz_copy_of_a.txt"]
    assert (copy["status"], copy["reason"], Path(copy["same_as"]).name) == ("skipped", "duplicate", "plan_a.txt")
    assert copy["doc_id"] == lines["plan_a.txt"]["doc_id"] == doc_id(files["plan_a.txt"])


def test_each_document_has_its_folder_named_by_content(first_run):
    _, files, out, _ = first_run
    expected = {doc_id(files[n]) for n in ("plan_a.txt", "plan_b.txt", "page_c.html")}
    assert {p.name for p in (out / "docs").iterdir()} == expected  # no staging folder left, nothing for the broken file
    plan_b = json.loads((out / "docs" / doc_id(files["plan_b.txt"]) / "plan.json").read_text(encoding="utf-8"))
    assert plan_b["document"]["encoding"] == "gb18030" and plan_b["document"]["source_name"] == "plan_b.txt"
    assert [(b["title"], b["lead"], b["participants"]) for b in plan_b["programmes"]] == [
        ("数字政府建设行动", ["省政务服务数据管理局"], ["省发展改革委", "省财政厅"])
    ]


def test_a_document_s_outputs_are_what_extract_writes_byte_for_byte(first_run, tmp_path):
    base, files, out, _ = first_run
    single = tmp_path / "single"
    assert planrecover("extract", base / "plans" / "plan_a.txt", "--out", single).returncode == 0
    batch_folder = out / "docs" / doc_id(files["plan_a.txt"])
    names = sorted(p.name for p in single.iterdir())
    assert {"plan.json", "plan.repaired.txt", "changes.jsonl", "plan.diff", "report.html", "indicators.csv"} <= set(names)
    assert sorted(p.name for p in batch_folder.iterdir()) == names
    for name in names:
        assert (batch_folder / name).read_bytes() == (single / name).read_bytes(), name


def test_the_corpus_database_holds_the_documents_done(first_run):
    _, files, out, _ = first_run
    done = planrecover("query", out, "select source_name, indicators, programmes from documents order by source_name", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {"source_name": "page_c.html", "indicators": 0, "programmes": 2},
        {"source_name": "plan_a.txt", "indicators": 3, "programmes": 2},
        {"source_name": "plan_b.txt", "indicators": 0, "programmes": 1},
    ]
    done = planrecover("query", out, "select agency, role from assignments where doc_id = '%s' and programme = 1 order by role, agency" % doc_id(files["plan_a.txt"]), "--csv")
    assert done.stdout.splitlines() == ["agency,role", "国家市场监督管理总局,lead", "公安部,participant", "商务部,participant"]
    assert (out / "parquet" / "indicators.parquet").is_file()


@pytest.fixture(scope="module")
def rerun(first_run):
    base, files, out, _ = first_run
    a_folder = out / "docs" / doc_id(files["plan_a.txt"])
    before = {p.name: p.stat().st_mtime_ns for p in a_folder.iterdir()}
    (base / "plans" / "plan_d.txt").write_text(PLAN_D, encoding="utf-8")
    done = planrecover("batch", base / "plans", "--out", out, "--jobs", "2")
    return files, out, done, before, a_folder


def test_a_rerun_does_only_the_new_work(rerun):
    files, out, done, before, a_folder = rerun
    assert done.returncode == 1, done.stderr  # the broken file is tried again, and fails again
    assert "batch: 6 documents: 1 ok, 1 failed, 4 skipped as already done, 0 duplicates" in done.stdout
    lines = status(out)
    assert lines["plan_d.txt"]["status"] == "ok"
    assert {lines[n]["reason"] for n in ("plan_a.txt", "plan_b.txt", "page_c.html", "zz_copy_of_a.txt")} == {"already done"}
    assert {p.name: p.stat().st_mtime_ns for p in a_folder.iterdir()} == before  # not rewritten
    assert len(list((out / "docs").iterdir())) == 4


def test_after_a_rerun_the_database_still_holds_every_document_done(rerun):
    _, out, _, _, _ = rerun
    done = planrecover("query", out, "select count(*) as n, sum(programmes) as boxes from documents", "--csv")
    assert done.stdout.splitlines() == ["n,boxes", "4,6"]


def test_a_manifest_gives_scan_year_format_and_who_issued(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PLAN_A, encoding="utf-8")
    (tmp_path / "in" / "c.page").write_text(PAGE_C, encoding="utf-8")
    (tmp_path / "list.csv").write_text(
        "path,plan_year,format,title,issuer\n"
        "in/a.txt,2021,text,示范保护规划,国务院\n"
        "in/missing.txt,,,,\n",
        encoding="utf-8",
    )
    (tmp_path / "more.jsonl").write_text(json.dumps({"path": "in/c.page", "format": "html", "issuer": "示范市人民政府"}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    done = planrecover("batch", tmp_path / "list.csv", tmp_path / "more.jsonl", "--out", out, "--jobs", "2")
    assert done.returncode == 1 and "2 ok, 1 failed" in done.stdout, done.stdout + done.stderr
    missing = status(out)["missing.txt"]
    assert (missing["exit"], missing["reason"]) == (3, "InputNotFound")
    done = planrecover("query", out, "select source_name, plan_year, issuer, title from documents order by source_name", "--json")
    assert json.loads(done.stdout) == [
        # the document's own heading is its title; a manifest's title is for documents that do not say
        {"source_name": "a.txt", "plan_year": 2021, "issuer": "国务院", "title": "“十四五”示范保护规划"},
        {"source_name": "c.page", "plan_year": None, "issuer": "示范市人民政府", "title": "示范市数字经济行动方案"},
    ]
    plan_a = json.loads((out / "docs" / doc_id(PLAN_A.encode()) / "plan.json").read_text(encoding="utf-8"))
    assert plan_a["document"]["plan_year"] == 2021  # the manifest's year reaches extract, as --plan-year does
    done = planrecover("query", out, "select count(*) from programmes p join documents d using (doc_id) where d.source_name = 'c.page'", "--csv")
    assert done.stdout.splitlines()[1] == "2"  # read as HTML, as the manifest says


def test_a_manifest_without_a_path_column_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "list.csv").write_text("file,year\na.txt,2021\n", encoding="utf-8")
    done = planrecover("batch", tmp_path / "list.csv", "--out", tmp_path / "out")
    assert done.returncode == 2
    assert done.stderr.startswith("planrecover: ") and "'path' column" in done.stderr and "Traceback" not in done.stderr


def test_time_and_memory_limits_fail_the_document_not_the_worker():
    from pipeline.batchtask import DocumentTask, run_document

    slow = run_document(DocumentTask("a.txt", PLAN_A.encode(), time_limit=1e-6))  # no document is done before its first check
    assert (slow.exit_code, slow.reason, slow.files) == (31, "DocumentTimeLimit", {})
    assert "--time-limit" in slow.message
    hungry = run_document(DocumentTask("a.txt", PLAN_A.encode(), memory_limit_mb=20))
    assert (hungry.exit_code, hungry.reason) == (32, "DocumentMemoryLimit")
    assert "20 MB" in hungry.message


def test_a_limit_is_that_document_s_line_in_batch_jsonl(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(PLAN_A, encoding="utf-8")
    done = planrecover("batch", tmp_path / "in", "--out", tmp_path / "out", "--jobs", "1", "--memory-limit", "20")
    assert done.returncode == 1 and "0 ok, 1 failed" in done.stdout
    line = status(tmp_path / "out")["a.txt"]
    assert (line["status"], line["exit"], line["reason"]) == ("failed", 32, "DocumentMemoryLimit")
    assert list((tmp_path / "out" / "docs").iterdir()) == []


def test_an_older_result_is_replaced_whole(tmp_path):
    from pipeline.batch import commit_document

    docs = tmp_path / "docs"
    commit_document(docs, "abc", {"plan.json": b"{}\n", "scan.ocr.txt": "旧的".encode()})
    commit_document(docs, "abc", {"plan.json": b'{"new": 1}\n'})
    assert sorted(p.name for p in docs.iterdir()) == ["abc"]  # no staging left beside it
    assert [p.name for p in (docs / "abc").iterdir()] == ["plan.json"]  # nothing of the old result survives
    assert (docs / "abc" / "plan.json").read_bytes() == b'{"new": 1}\n'


def test_inputs_are_files_folders_and_globs_each_once(tmp_path):
    from pipeline.batch import collect_jobs

    (tmp_path / "a" / "sub").mkdir(parents=True)
    (tmp_path / "a" / "x.txt").write_text("x")
    (tmp_path / "a" / "sub" / "y.md").write_text("y")
    (tmp_path / "a" / ".z.txt").write_text("z")
    (tmp_path / "a" / "out").mkdir()
    (tmp_path / "a" / "out" / "plan.json").write_text("{}")
    jobs = collect_jobs([str(tmp_path / "a"), str(tmp_path / "a" / "*.txt"), str(tmp_path / "a" / "x.txt")], exclude=tmp_path / "a" / "out")
    assert [Path(j.path).relative_to(tmp_path).as_posix() for j in jobs] == ["a/x.txt", "a/sub/y.md"]


# ---- documents read by OCR: their pages are tasks of their own -------------------------

CORPUS = ROOT / "corpus"
REALDOCS = ROOT.parent / "shared" / "realdocs"  # real documents as published, beside the project
GARBLED = CORPUS / "ip-protection-plan-2021-2025.garbled-extract.txt"
STANDIN_SCAN = CORPUS / "ip-protection-plan-2021-2025.standin-scan.pdf"
DPI = "120"  # the same for the batch and the single runs; low, so the test reads pages fast


def standin_scan_of(pages: int, path: Path) -> Path:
    """The stand-in scan's pages (images only, no text layer) over and over, ``pages`` of
    them: a scan of its own."""
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(STANDIN_SCAN))
    scan = pdfium.PdfDocument.new()
    while len(scan) < pages:
        scan.import_pages(source, list(range(min(len(source), pages - len(scan)))))
    scan.save(str(path))
    return path


def first_pages_of_the_standin_scan(path: Path) -> Path:
    return standin_scan_of(2, path)


@pytest.fixture(scope="module")
def scan_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("scans")
    scan = first_pages_of_the_standin_scan(base / "scan_two_pages.pdf")
    (base / "list.csv").write_text(f"path,scan\n{scan},\n{GARBLED},{scan}\n", encoding="utf-8")
    out = base / "out"
    done = planrecover("batch", base / "list.csv", "--out", out, "--jobs", "2", "--dpi", DPI)
    return base, scan, out, done


def test_a_scan_s_pages_are_listed_as_ocr_jobs_without_reading_them(tmp_path):
    from pipeline.batchtask import DocumentTask, start_document

    scan = first_pages_of_the_standin_scan(tmp_path / "two.pdf")
    started = start_document(DocumentTask(scan.name, scan.read_bytes(), ("--dpi", DPI)))
    assert started.result is None  # not done: its pages wait for OCR
    assert sorted(job.number for job in started.jobs) == [1, 2]
    first = next(job for job in started.jobs if job.number == 1)
    import pypdfium2 as pdfium

    points = pdfium.PdfDocument(str(scan))[0].get_size()  # the page rendered whole at the given resolution
    height, width = first.pixels.shape[:2]
    assert abs(width - points[0] / 72 * int(DPI)) < 1 and abs(height - points[1] / 72 * int(DPI)) < 1 and first.dpi == int(DPI)
    text = start_document(DocumentTask("a.txt", PLAN_A.encode()))
    assert text.result is not None and text.result.ok and text.jobs == ()  # nothing to read: done at once


def test_an_image_only_pdf_and_a_text_with_its_scan_come_out_as_single_runs_do(scan_run, tmp_path):
    base, scan, out, done = scan_run
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 ok, 0 failed" in done.stdout and "4 scan pages read" in done.stdout
    singles = {
        doc_id(scan.read_bytes()): ["extract", scan, "--dpi", DPI],
        __import__("pipeline.batch", fromlist=["doc_id_of"]).doc_id_of(
            hashlib.sha256(GARBLED.read_bytes()).hexdigest(), hashlib.sha256(scan.read_bytes()).hexdigest()
        ): ["extract", GARBLED, "--scan", scan, "--dpi", DPI],
    }
    for n, (doc, args) in enumerate(singles.items()):
        single = tmp_path / f"single{n}"
        ran = planrecover(*args, "--out", single)
        assert ran.returncode == 0, ran.stderr
        names = sorted(p.name for p in single.iterdir())
        assert "scan.ocr.txt" in names
        assert sorted(p.name for p in (out / "docs" / doc).iterdir()) == names
        for name in names:
            assert (out / "docs" / doc / name).read_bytes() == (single / name).read_bytes(), (args[1], name)


HEAP_PROBE = """
import resource, sys
import numpy as np
from pipeline.batchtask import usual_heap

def faults():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for _ in range(20):  # a page image's worth of pixels, made and freed, as each OCR read does
        pixels = np.ones(8 * 2**20, np.uint8)
        del pixels
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

pinned = faults()
usual_heap()
faults()  # the first one after the change still grows the heap
print(pinned, faults())
"""


def test_a_reading_worker_undoes_the_heap_setting_dask_gives_it():
    # Dask's nanny starts workers with MALLOC_TRIM_THRESHOLD_ set, which pins glibc's mmap
    # threshold: every freed 8 MB array goes back to the kernel and its pages fault in again.
    env = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}
    ran = subprocess.run([sys.executable, "-c", HEAP_PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    pinned, usual = map(int, ran.stdout.split())
    assert pinned >= 20 * 100  # every array faults its pages in again (fewer than 2 048: some are huge pages)
    assert usual * 100 <= pinned  # the heap keeps them: the next array reuses its pages


def test_a_step_s_process_starts_without_dask_s_heap_setting(monkeypatch):
    from pipeline.batchtask import _plain_start

    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    with _plain_start():  # what a step (and the warm server it forks from) is started within
        assert "MALLOC_TRIM_THRESHOLD_" not in os.environ
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "65536"  # the worker's own setting is left as it was


def test_the_finishing_run_takes_what_the_listing_run_worked_out(tmp_path, monkeypatch):
    # A scan's layout, its pages' triage and its pages' sizes are worked out once, by the
    # run that lists its pages; the finishing run, given them, must not work them out (or
    # render the pages) again, and must come to what a single run comes to.
    import ocr.pdf_regions
    import ocr.triage
    from pipeline import scan as seam

    pdf = first_pages_of_the_standin_scan(tmp_path / "two.pdf")
    try:
        with seam.listing_ocr_jobs():
            seam.read_document(pdf, dpi=int(DPI), jobs=1)
        raise AssertionError("the scan's pages were not listed")
    except seam.OcrJobsListed as stop:
        jobs, carried = stop.jobs, stop.carried
    assert {key[0] for key in carried} == {"layout", "triage", "scan pages"}
    given = {job.index: seam.read_ocr_job(job) for job in jobs}

    def worked_out_again(*args, **kwargs):
        raise AssertionError("worked out again")

    with monkeypatch.context() as patch:
        patch.setattr(ocr.pdf_regions, "read_pdf_layout", worked_out_again)
        patch.setattr(ocr.triage, "triage_pdf", worked_out_again)
        patch.setattr(ocr, "render_pages", worked_out_again)  # nor render its pages again: their readings are given
        with seam.with_readings(given, carried):
            source, finished, issues = seam.read_document(pdf, dpi=int(DPI), jobs=1)
    single_source, single, single_issues = seam.read_document(pdf, dpi=int(DPI), jobs=1)
    assert finished.reading.text == single.reading.text and finished.reading.where == single.reading.where
    assert source == single_source and issues == single_issues


RAN: list[str] = []


def _gate(seconds: float) -> None:
    import time

    time.sleep(seconds)


def _ran(_gate_done, what: str) -> None:
    RAN.append(what)


def test_a_worker_runs_steps_before_reads_and_the_inkiest_read_first():
    # One worker thread, held by a gate while tasks of every kind queue behind it, submitted
    # in the worst order; once the gate opens, the worker must take them in the batch's order.
    from distributed import Client, LocalCluster

    from pipeline.batch import FINISH, FIRST, read_priority

    RAN.clear()
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        gate = client.submit(_gate, 2.0, pure=False)
        queued = [client.submit(_ran, gate, what, pure=False, priority=priority) for what, priority in [
            ("read of a nearly blank page", read_priority(20_000)),
            ("read of a dense page", read_priority(2_700_000)),
            ("finishing step", FINISH),
            ("first step", FIRST),
            ("read of a half-filled page", read_priority(600_000)),
        ]]
        client.gather(queued)
    assert RAN == ["first step", "finishing step", "read of a dense page", "read of a half-filled page", "read of a nearly blank page"]


def _periodic_callbacks(dask_worker) -> list[str]:
    return sorted(dask_worker.periodic_callbacks)


def test_the_local_cluster_s_workers_run_without_dask_s_profiler():
    # The profiler samples a worker's threads every 10 ms for Dask's dashboard, taking the
    # interpreter's lock from the OCR read it samples; a batch's local workers go without it.
    from pipeline.batch import dask_client

    with dask_client(None, 1) as client:
        callbacks = list(client.run(_periodic_callbacks).values())
    assert len(callbacks) == 1
    assert "heartbeat" in callbacks[0]  # the worker's own callbacks are there …
    assert not [name for name in callbacks[0] if name.startswith("profile")]  # … and no profiler's


def test_steps_started_at_once_by_a_worker_s_threads_all_run(monkeypatch):
    # A `dask worker` started without --nthreads 1 runs several tasks at once in threads of
    # one daemonic process; each step's start briefly lifts that process's daemon flag.
    import multiprocessing
    from concurrent.futures import ThreadPoolExecutor

    from pipeline.batchtask import DocumentTask, run_document

    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    main = sys.modules["__main__"]
    tasks = [DocumentTask(f"{n}.txt", (PLAN_A if n % 2 else PLAN_B).encode()) for n in range(8)]
    with ThreadPoolExecutor(4) as threads:
        results = list(threads.map(run_document, tasks))
    assert [(r.exit_code, r.reason) for r in results] == [(0, None)] * 8
    assert all("plan.json" in r.files for r in results)
    assert multiprocessing.current_process()._config["daemon"] is True and sys.modules["__main__"] is main  # put back as found


def test_a_worker_s_threads_read_images_with_an_engine_each(tmp_path, monkeypatch):
    # rapidocr keeps a call's settings (detection on or off) on the engine until the call
    # reads them; two reads at once on one engine could swap a page's settings for a cell's.
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from pipeline import scan as seam
    from pipeline.batchtask import DocumentTask, start_document

    scan = first_pages_of_the_standin_scan(tmp_path / "two.pdf")
    jobs = start_document(DocumentTask(scan.name, scan.read_bytes(), ("--dpi", DPI))).jobs
    alone = [seam.read_ocr_job(job)[0].lines for job in jobs]
    made, new_engine = [], seam._new_engine
    monkeypatch.setattr(seam, "_new_engine", lambda name: made.append(threading.get_ident()) or new_engine(name))
    monkeypatch.setattr(seam, "_THREAD_ENGINE", threading.local())
    with ThreadPoolExecutor(2) as threads:
        together = list(threads.map(lambda job: seam.read_ocr_job(job)[0].lines, [*jobs, *jobs]))
    assert together == [*alone, *alone]
    assert len(made) == len(set(made)) == 2  # one engine per thread, each made once


def test_listing_a_long_scan_holds_no_page_it_has_listed(tmp_path):
    # A scan's listing step keeps each page as its compressed job, not as pixels: it held
    # every page rendered, and the images it found in the PDF besides, so a 200-page scan
    # went past the default memory limit of 4 GB. Its peak now grows by about a page's job
    # per page; it grew by more than two rendered pages per page.
    from pipeline.batchtask import DocumentTask, start_document

    peaks, pixels_per_page = {}, None
    for pages in (8, 40):
        path = standin_scan_of(pages, tmp_path / f"scan-{pages}.pdf")
        started = start_document(DocumentTask(path.name, path.read_bytes(), ("--dpi", DPI)))
        assert started.result is None and sorted(job.number for job in started.jobs) == list(range(1, pages + 1))
        peaks[pages] = started.peak_rss_mb
        pixels_per_page = max(job.shape[0] * job.shape[1] * (job.shape[2] if len(job.shape) > 2 else 1) for job in started.jobs)
    growth_per_page_mb = (peaks[40] - peaks[8]) / 32
    assert growth_per_page_mb < pixels_per_page / 2**20  # less than one rendered page for each page listed


def test_listing_a_pdf_whose_later_pages_are_scans_holds_no_image_it_has_judged(tmp_path):
    # A PDF with a text layer on its first pages and whole-page scans after them: each scan
    # is an image the layer lacks, judged worth reading and read at its own resolution. The
    # images' pixels were held from their judging to their reading (the listing step grew
    # by more than 13 MB a scanned page, against an image of 11.6 MB); they are now taken
    # from the file again, one at a time.
    import pypdfium2 as pdfium

    from pipeline.batchtask import DocumentTask, start_document

    text_pages = pdfium.PdfDocument(str(REALDOCS / "gov_wenwu_keji_14th_plan.pdf"))
    peaks, pixels_per_image = {}, None
    for scans in (4, 16):
        scanned = pdfium.PdfDocument(str(standin_scan_of(scans, tmp_path / f"scans-{scans}.pdf")))
        mixed = pdfium.PdfDocument.new()
        mixed.import_pages(text_pages, [0, 1])  # the plan's title page and notice: text, no image
        mixed.import_pages(scanned)
        path = tmp_path / f"mixed-{scans}.pdf"
        mixed.save(str(path))
        started = start_document(DocumentTask(path.name, path.read_bytes(), ("--dpi", DPI)))
        assert started.result is None and sorted(job.number for job in started.jobs) == list(range(3, 3 + scans))
        peaks[scans] = started.peak_rss_mb
        pixels_per_image = max(job.shape[0] * job.shape[1] * job.shape[2] for job in started.jobs)
    growth_per_image_mb = (peaks[16] - peaks[4]) / 12
    assert growth_per_image_mb < pixels_per_image / 2**20  # less than one image's pixels for each image listed


def test_dask_times_each_kind_of_task_apart():
    # Dask estimates a task's duration from earlier tasks with the same key prefix, and
    # moves a queued read to an idle worker only if the read is long next to moving its
    # page; when every task's prefix was "planrecover", a 30-page scan's reads went 25 to
    # one worker and 5 to the other.
    from dask.utils import key_split

    from pipeline.batch import task_key

    kinds = ["start", "head", "job", "read", "carried", "finish"]
    for doc in ("50bf7722e51cc092-a1b2c3d4", "abcdefabcdefabcd-0f1e2d3c"):  # a doc-id may be all letters
        prefixes = [key_split(task_key(kind, doc, 7)) for kind in kinds]
        assert len(set(prefixes)) == len(kinds)
        assert key_split(task_key("read", doc, 0)) == key_split(task_key("read", doc, 199))  # a document's reads timed together


def test_a_large_document_reaches_the_workers_without_a_warning(tmp_path):
    # A document's bytes travel inside its tasks (workers need no shared folder, and a task
    # that reruns has all it needs), so a document over 10 MB made Dask print "Sending large
    # graph of size ... This may cause some slowdown" on stderr: a warning the user can do
    # nothing about. A file of NUL bytes fails at once in its step, as any size would.
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "big.txt").write_bytes(b"\x00" * (12 * 2**20))
    done = planrecover("batch", folder, "--out", tmp_path / "out", "--jobs", "1")
    assert done.returncode == 1, done.stderr
    line = status(tmp_path / "out")["big.txt"]
    assert (line["status"], line["exit"], line["reason"]) == ("failed", 5, "NotText")
    assert done.stderr == "", done.stderr


def test_one_scan_s_pages_are_read_on_both_workers(tmp_path):
    # Dask gives a read to the worker that holds its page (the one that rendered the scan),
    # and moves a queued read to an idle worker only if it expects the read to outlast the
    # move. It learns how long a task takes from its key's prefix: when every key began
    # "planrecover-<doc>", reads were timed with the instant tasks that hand pages out, and a
    # 30-page scan's reads went 25 to one worker and 5 to the other.
    from collections import Counter

    from distributed import get_task_stream

    from pipeline.batch import Settings, dask_client, run_batch

    scan = standin_scan_of(27, tmp_path / "long.pdf")  # with the old keys, all 27 were read on one worker
    with dask_client(None, 2) as client, get_task_stream(client) as stream:
        summary = run_batch([str(scan)], tmp_path / "out", Settings(dpi=80), scheduler=client.scheduler.address, progress=False)
    assert summary.counts["ok"] == 1 and summary.pages == 27, summary.text(tmp_path / "out")
    reads = Counter(task["worker"] for task in stream.data if str(task["key"]).startswith("planrecover-read-"))
    assert sum(reads.values()) == 27  # each page read once
    assert len(reads) == 2 and min(reads.values()) >= 9, reads  # 14 and 13 here


def test_on_a_terminal_the_batch_shows_documents_done_and_pages_read(tmp_path, capsys):
    # A bar over documents, and once a document has images to read, one over the pages
    # read by OCR (a long scan's document bar would stand still for an hour).
    from pipeline.batch import Settings, run_batch

    folder = tmp_path / "in"
    folder.mkdir()
    first_pages_of_the_standin_scan(folder / "scan.pdf")
    (folder / "plan_a.txt").write_text(PLAN_A, encoding="utf-8")
    summary = run_batch([str(folder)], tmp_path / "out", Settings(dpi=int(DPI)), jobs=1, progress=True)
    assert summary.counts["ok"] == 2
    shown = re.split(r"[\r\n]", re.sub(r"\x1b\[[0-9]*[A-Za-z]", "", capsys.readouterr().err))
    last = {bar: [state for state in shown if state.startswith(bar)][-1] for bar in ("documents:", "OCR pages:")}
    assert "100%" in last["documents:"] and "| 2/2 " in last["documents:"]  # the scan and the plan
    assert "100%" in last["OCR pages:"] and "| 2/2 " in last["OCR pages:"]  # the scan's two pages
