"""planrecover command line.

    planrecover extract INPUT --out DIR    recover a plan: repaired text, change log, diff, plan.json
    planrecover replay SOURCE CHANGES      apply a change log to a source; print the repaired text
    planrecover explain DIR                which repair rules ran, how often (from DIR/changes.jsonl)
    planrecover report DIR                 (re)write DIR/report.html, the review page of a result
    planrecover diff A B [--json]          compare two plan.json files; exit 0 when equal, 1 when not
    planrecover batch INPUT… --out DIR     many documents, on a Dask cluster; DIR/corpus.duckdb holds them all
    planrecover query DIR "SQL"            query a batch's corpus database

Failures the user can act on print one line, ``planrecover: <what went wrong>``, and
exit with the code of their kind (see pipeline/errors.py); nothing is half-written.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from . import __version__
from .errors import PlanRecoverError

EXIT_INTERNAL = 70
INPUT_FORMATS = ("auto", "text", "html", "markdown", "mineru", "docx", "doc", "pdf")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planrecover",
        description="Recover damaged Chinese government plan documents (规划) into clean text and verified JSON. "
        "Every change to the text is recorded with its rule, source span and reason.",
    )
    parser.add_argument("--version", action="version", version=f"planrecover {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on unexpected errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    extract = commands.add_parser(
        "extract",
        help="recover one document into DIR",
        description="Repair a damaged plan extract and write, into DIR: plan.repaired.txt (the recovered text), "
        "changes.jsonl (one record per change), plan.diff (source vs repaired, unified diff) and plan.json "
        "(indicators, programme boxes, agencies, what could not be recovered), and for people: report.html (the review "
        "page: original and repaired text side by side, every change highlighted, the structured result) and "
        "indicators.csv (UTF-8 with BOM, for spreadsheets and pandas).",
    )
    extract.add_argument("input", help="the plan: a text extract (UTF-8 or GB18030/GBK), an HTML page, a Word .docx or .doc, a PDF (its text layer is checked page by page; garbled or missing pages are read by OCR) or a page image")
    extract.add_argument("--format", choices=INPUT_FORMATS, default="auto", help="how to read INPUT (default: auto, decided by its content: %%PDF, a ZIP holding word/document.xml, an OLE2 .doc, Markdown with a table, HTML, else text)")
    extract.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing; files in it are replaced)")
    extract.add_argument("--plan-year", type=int, metavar="YEAR", help="year the plan was issued, to check agencies existed then (known documents: from corpus/manifest.json)")
    extract.add_argument("--allow-empty", action="store_true", help="write an empty-but-honest result when no plan structure is found, instead of failing")
    scan = extract.add_argument_group("scans")
    scan.add_argument("--scan", metavar="FILE", help="a scan (PDF or image) of the same document: its OCR reading is fused with the text extract")
    scan.add_argument("--ocr-engine", choices=("rapidocr", "tesseract"), default="rapidocr", help="OCR engine (default: rapidocr, the more accurate on our bench)")
    scan.add_argument("--dpi", type=int, default=200, help="resolution pages are rendered at (default 200)")
    scan.add_argument("--jobs", type=int, metavar="N", help="pages read at once (default: one per core)")
    scan.add_argument("--debug-images", metavar="DIR", help="write each page with the frames, table cells and lines the layout stage found")
    extract.set_defaults(run=_extract)

    replay = commands.add_parser(
        "replay",
        help="apply a change log to its source and print the repaired text",
        description="Apply CHANGES (changes.jsonl) to SOURCE and print the result, which equals plan.repaired.txt. "
        "Every record's 'before' text is checked against the text it is applied to.",
    )
    replay.add_argument("source")
    replay.add_argument("changes")
    replay.add_argument("--format", choices=INPUT_FORMATS[:-1], default="auto", help="how SOURCE was read by extract (default: auto)")
    replay.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    replay.set_defaults(run=_replay)

    explain = commands.add_parser("explain", help="which repair rules ran on a result, and how often")
    explain.add_argument("dir", help="an output folder of 'planrecover extract'")
    explain.set_defaults(run=_explain)

    report = commands.add_parser(
        "report",
        help="(re)write DIR/report.html from a result",
        description="Build the review page of an 'extract' result from DIR/plan.json, DIR/changes.jsonl and "
        "DIR/plan.repaired.txt: the original and the repaired text side by side with every change highlighted by "
        "kind, the indicator table with its checks, the programme boxes with their agencies and open issues. The "
        "original is rebuilt by undoing the change log unless --source gives it. One self-contained HTML file; "
        "open it in any browser, offline.",
    )
    report.add_argument("dir", help="an output folder of 'planrecover extract'")
    report.add_argument("--source", metavar="FILE", help="the original input (default: rebuilt from the change log)")
    report.add_argument("--scan", metavar="FILE", help="the scan the result was read with: adds page thumbnails and the OCR regions")
    report.add_argument("--out", metavar="FILE", help="write the page here instead of DIR/report.html")
    report.set_defaults(run=_report)

    diff = commands.add_parser(
        "diff",
        help="compare two plan.json files",
        description="Compare two plan.json files (two runs, two OCR engines, two versions of a plan) field by field: "
        "document identity, indicators added, removed or changed, boxes renumbered or retitled, agencies gained or "
        "lost per box, open issues. Provenance (file names, checksums, line numbers, scan regions) is not compared. "
        "Exit code 0 when equal, 1 when different.",
    )
    diff.add_argument("a", help="a plan.json, or an output folder holding one")
    diff.add_argument("b", help="a plan.json, or an output folder holding one")
    diff.add_argument("--json", action="store_true", help="print the differences as JSON, for tools")
    diff.set_defaults(run=_diff)
    _add_batch_commands(commands)
    return parser


def _add_batch_commands(commands) -> None:
    batch = commands.add_parser(
        "batch",
        help="recover many documents into DIR, on a Dask cluster",
        description="Recover every document named (files, folders, globs, or a manifest: a .csv or .jsonl with path and "
        "optionally scan, plan_year, format, title, issuer) into DIR/docs/<doc-id>/ as 'extract' writes it, with one "
        "status line per document in DIR/batch.jsonl and the tables of all of them in DIR/corpus.duckdb (and DIR/parquet/). "
        "A document already done with the same content, version and settings is skipped; one that fails is recorded and "
        "the rest go on. Exit 0 when no document failed, 1 when some did.",
    )
    batch.add_argument("inputs", nargs="+", metavar="INPUT", help="a file, a folder (every file below it), a glob, or a manifest (.csv/.jsonl)")
    batch.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    batch.add_argument("--jobs", type=int, metavar="N", help="worker processes of the local Dask cluster (default: one per core)")
    batch.add_argument("--scheduler", metavar="ADDRESS", help="use an existing Dask cluster (tcp://HOST:8786) instead of starting one")
    batch.add_argument("--format", choices=INPUT_FORMATS, default="auto", help="how to read the inputs (a manifest can say per document)")
    batch.add_argument("--plan-year", type=int, metavar="YEAR", help="year of issue for every input (a manifest can say per document)")
    batch.add_argument("--allow-empty", action="store_true", help="a document without plan structure is an empty result, not a failure")
    batch.add_argument("--ocr-engine", choices=("rapidocr", "tesseract"), default="rapidocr")
    batch.add_argument("--dpi", type=int, default=200)
    batch.add_argument("--ocr-jobs", type=int, default=1, metavar="N", help="unused since each page is a task of its own; kept so older command lines run (default 1)")
    batch.add_argument("--time-limit", type=float, default=3600, metavar="SECONDS", help="per step of a document in its child process (default 3600): reading it up to OCR, then repair and outputs; past it the document fails")
    batch.add_argument("--memory-limit", type=int, default=4096, metavar="MB", help="per step of a document in its child process (default 4096); past it the document fails")
    batch.set_defaults(run=_batch)

    query = commands.add_parser(
        "query",
        help="run SQL on a batch's corpus database",
        description="Run SQL on DIR/corpus.duckdb (tables documents, indicators, programmes, items, tasks, assignments, "
        "agencies, issues, changes, batch) and print the result as a table, CSV or JSON.",
    )
    query.add_argument("dir", help="the --out folder of 'planrecover batch'")
    query.add_argument("sql")
    shape = query.add_mutually_exclusive_group()
    shape.add_argument("--csv", action="store_true", help="print CSV")
    shape.add_argument("--json", action="store_true", help="print a JSON array of objects")
    query.set_defaults(run=_query)


def _batch(args: argparse.Namespace) -> int:
    from .batch import Settings, Summary, run_batch

    settings = Settings(args.allow_empty, args.ocr_engine, args.dpi, args.ocr_jobs, args.time_limit, args.memory_limit)
    summary = Summary()
    try:
        run_batch(args.inputs, args.out, settings, args.scheduler, args.jobs, args.format, args.plan_year, summary=summary)
    finally:  # also when the batch stops early: what was done is kept, and said
        print(summary.text(Path(args.out)))
    return 1 if summary.counts["failed"] else 0


def _query(args: argparse.Namespace) -> int:
    from .corpusdb import as_csv, as_json, as_table, run_query

    columns, rows = run_query(args.dir, args.sql)
    render = as_csv if args.csv else as_json if args.json else as_table
    sys.stdout.write(render(columns, rows))
    return 0


def _extract(args: argparse.Namespace) -> int:
    from .ingest import read_input
    from .run import recover
    from .scan import is_scan_file, read_document, read_scan_file
    from .csvout import ASSIGNMENTS_CSV, INDICATORS_CSV, assignments_csv, indicators_csv
    from .report import REPORT_HTML, build_report, render_scan_pages
    from .write import CHANGES, DIFF, PLAN_JSON, REPAIRED_TEXT, SCAN_TEXT, plan_json_text, write_outputs

    options = {"engine": args.ocr_engine, "dpi": args.dpi, "jobs": args.jobs, "debug_dir": args.debug_images}
    if args.scan and not Path(args.scan).is_file():
        from .errors import InputNotFound

        raise InputNotFound(f"{args.scan}: no such file (given as --scan)")
    issues: list[dict] = []
    input_is_scan = args.format == "pdf" or (args.format == "auto" and is_scan_file(args.input))
    if input_is_scan:
        source, scan, issues = read_document(args.input, **options)
    else:
        source = read_input(args.input, args.format)
        _print_reader_notes(source)
        scan = read_scan_file(args.scan, **options) if args.scan else None
    recovery = recover(source, plan_year=args.plan_year, allow_empty=args.allow_empty, scan=scan, issues=issues)
    if input_is_scan and source is not None:
        from .schema import validate_plan
        from .structure import structure_lost_issues

        recovery.plan["issues"].extend(structure_lost_issues(source.text, recovery.plan))
        validate_plan(recovery.plan)
    scan_path = args.input if input_is_scan else args.scan
    pages = render_scan_pages(scan_path, recovery.plan) if scan else []
    records = [json.loads(line) for line in recovery.changes_jsonl.splitlines()]
    report = build_report(recovery.source.text, recovery.repair.text, records, recovery.plan, pages, f"original: {recovery.source.name}")
    files = {
        REPAIRED_TEXT: recovery.repair.text,
        CHANGES: recovery.changes_jsonl,
        DIFF: recovery.diff,
        PLAN_JSON: plan_json_text(recovery.plan),
        REPORT_HTML: report,
        INDICATORS_CSV: indicators_csv(recovery.plan),
        ASSIGNMENTS_CSV: assignments_csv(recovery.plan),
    }
    if scan:
        files[SCAN_TEXT] = scan.ocr_text  # what OCR read; the replay source when there was no text
    written = write_outputs(args.out, files)
    plan = recovery.plan
    print(
        f"{args.input}: {len(plan['indicators'])} indicators, {len(plan['programmes'])} programme boxes, {len(plan['tasks'])} tasks, "
        f"{len(plan['agencies'])} agencies, {len(recovery.repair.changes)} changes, {len(plan['issues'])} issues "
        f"-> {', '.join(str(p) for p in written)}"
    )
    return 0


def _print_reader_notes(source) -> None:
    """What a reader had to adjust (a clamped table span ...): said, not hidden."""
    for note in getattr(source.document, "warnings", ()):
        print(f"planrecover: note: {note}", file=sys.stderr)


def _replay(args: argparse.Namespace) -> int:
    from repair.changes import read_change_log, replay

    from .errors import InputNotFound
    from .ingest import read_input

    source = read_input(args.source, args.format)
    path = Path(args.changes)
    if not path.is_file():
        raise InputNotFound(f"{path}: no such file")
    try:
        log = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        from .errors import BadChangeLog

        raise BadChangeLog(f"{path}: not a change log (not UTF-8 text; give the changes.jsonl that extract wrote)") from None
    text = replay(source.text, read_change_log(log.splitlines()))
    if args.out:
        from .write import write_outputs

        out = Path(args.out)
        write_outputs(out.parent, {out.name: text})
    else:
        sys.stdout.write(text)
    return 0


def _explain(args: argparse.Namespace) -> int:
    from repair.changes import read_change_log

    from .errors import InputNotFound

    path = Path(args.dir) / "changes.jsonl"
    if not path.is_file():
        raise InputNotFound(f"{path}: no such file (run 'planrecover extract' first)")
    records = read_change_log(path.read_text(encoding="utf-8").splitlines())
    for rule, count in Counter(r.get("rule", "?") for r in records).items():
        print(f"{rule}: {count}")
    return 0


def _report(args: argparse.Namespace) -> int:
    import hashlib

    from repair.changes import read_change_log

    from .changetrace import undo
    from .errors import InputNotFound
    from .ingest import read_input
    from .plandiff import load_plan
    from .report import REPORT_HTML, build_report, render_scan_pages
    from .write import CHANGES, PLAN_JSON, REPAIRED_TEXT, write_outputs

    folder = Path(args.dir)
    for name in (PLAN_JSON, CHANGES, REPAIRED_TEXT):
        if not (folder / name).is_file():
            raise InputNotFound(f"{folder / name}: no such file (run 'planrecover extract INPUT --out {folder}' first)")
    plan = load_plan(folder / PLAN_JSON)
    records = read_change_log((folder / CHANGES).read_text(encoding="utf-8").splitlines())
    repaired = (folder / REPAIRED_TEXT).read_text(encoding="utf-8")
    document = plan["document"]
    if args.source:
        source = read_input(args.source).text
        note = f"original: {Path(args.source).name}"
    else:
        source = undo(repaired, records)
        note = "original rebuilt by undoing the change log"
        try:
            same = hashlib.sha256(source.encode(document["encoding"])).hexdigest() == document["sha256"]
        except (LookupError, UnicodeEncodeError):
            same = None  # an OCR reading, or an encoding Python does not write
        if same is True:
            note += " (its sha256 matches plan.json)"
        elif same is False:
            note += " (sha256 differs from plan.json: line endings or a byte-order mark were normalised on reading)"
    pages = render_scan_pages(args.scan, plan) if args.scan else []
    html_text = build_report(source, repaired, records, plan, pages, note)
    out = Path(args.out) if args.out else folder / REPORT_HTML
    written = write_outputs(out.parent, {out.name: html_text})
    print(f"{args.dir}: {len(records)} changes, {len(plan['indicators'])} indicators, {len(plan['programmes'])} boxes -> {written[0]}")
    return 0


def _diff(args: argparse.Namespace) -> int:
    from .plandiff import compare, load_plan, render_json, render_text
    from .write import PLAN_JSON

    paths = [Path(p) / PLAN_JSON if Path(p).is_dir() else Path(p) for p in (args.a, args.b)]
    a, b = (load_plan(p) for p in paths)
    differences = compare(a, b)
    render = render_json if args.json else render_text
    sys.stdout.write(render(differences, str(paths[0]), str(paths[1])))
    return 1 if differences else 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except PlanRecoverError as exc:
        print(f"planrecover: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("planrecover: interrupted; nothing was written", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: still one line, unless asked for the traceback
        if args.debug:
            raise
        print(f"planrecover: internal error: {type(exc).__name__}: {exc} (run with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
