"""The command line, end to end, as a user runs it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS_DOC, GOLDEN

ROOT = Path(__file__).resolve().parents[1]


def planrecover(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "out"
    done = planrecover("extract", CORPUS_DOC, "--out", out)
    assert done.returncode == 0, done.stderr
    return out


def test_extract_writes_the_four_files(extracted):
    assert {"plan.json", "plan.repaired.txt", "changes.jsonl", "plan.diff"} <= {p.name for p in extracted.iterdir()}
    assert (extracted / "plan.repaired.txt").read_text(encoding="utf-8") == (GOLDEN / "plan.repaired.txt").read_text(encoding="utf-8")
    plan = json.loads((extracted / "plan.json").read_text(encoding="utf-8"))
    assert plan["schema_version"] == "1.5.0" and len(plan["programmes"]) == 15


def test_outputs_are_byte_identical_on_a_second_run(extracted, tmp_path):
    again = tmp_path / "again"
    assert planrecover("extract", CORPUS_DOC, "--out", again).returncode == 0
    for name in ("plan.json", "plan.repaired.txt", "changes.jsonl", "plan.diff"):
        assert (again / name).read_bytes() == (extracted / name).read_bytes(), name


def test_replay_command_reproduces_the_repaired_text(extracted):
    done = planrecover("replay", CORPUS_DOC, extracted / "changes.jsonl")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (extracted / "plan.repaired.txt").read_text(encoding="utf-8")


def test_replay_refuses_a_tampered_log(extracted, tmp_path):
    lines = (extracted / "changes.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[10])
    record["before"] = "不存在的文字"
    lines[10] = json.dumps(record, ensure_ascii=False)
    tampered = tmp_path / "changes.jsonl"
    tampered.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = planrecover("replay", CORPUS_DOC, tampered)
    assert done.returncode == 8 and done.stderr.startswith("planrecover: change 11") and "Traceback" not in done.stderr


def test_diff_is_a_patch_git_applies(extracted, tmp_path):
    done = subprocess.run(["git", "apply", "--stat", str(extracted / "plan.diff")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 file changed" in done.stdout
    # Applied to a copy of the source, the patch yields the repaired text exactly.
    (tmp_path / "plan.repaired.txt").write_bytes(CORPUS_DOC.read_bytes())
    done = subprocess.run(["git", "apply", str(extracted / "plan.diff")], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plan.repaired.txt").read_bytes() == (extracted / "plan.repaired.txt").read_bytes()


def test_explain_lists_rules(extracted):
    done = planrecover("explain", extracted)
    assert done.returncode == 0
    assert "renumber_boxes: 4" in done.stdout and "drop_repeated_sentences: 7" in done.stdout


def test_gbk_encoded_copy_gives_the_same_plan(tmp_path, extracted):
    gbk = tmp_path / "plan-gbk.txt"
    gbk.write_bytes(CORPUS_DOC.read_text(encoding="utf-8").encode("gb18030"))
    done = planrecover("extract", gbk, "--out", tmp_path / "out", "--plan-year", "2021")
    assert done.returncode == 0, done.stderr
    got = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    want = json.loads((extracted / "plan.json").read_text(encoding="utf-8"))
    assert got["document"]["encoding"] == "gb18030"
    assert got["programmes"] == want["programmes"] and got["indicators"] == want["indicators"]


@pytest.mark.parametrize(
    "content, code, words",
    [
        (None, 3, "no such file"),
        (b"", 4, "empty"),
        (bytes(range(256)) * 40, 5, "binary"),
        ("这是一段普通的中文文字，没有规划的结构。\n".encode(), 6, "no key-indicators table"),
        (b"%PDF-1.4\n1 0 obj <</Encrypt 2 0 R>> endobj\n", 21, "not a readable PDF"),
    ],
)
def test_bad_input_one_line_error_and_nothing_written(tmp_path, content, code, words):
    source = tmp_path / "input.txt"
    if content is not None:
        source.write_bytes(content)
    out = tmp_path / "out"
    done = planrecover("extract", source, "--out", out)
    assert done.returncode == code
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("planrecover: ") and words in done.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.")]  # no staging left


def test_allow_empty_writes_an_honest_empty_result(tmp_path):
    source = tmp_path / "prose.txt"
    source.write_text("这是一段普通的中文文字，没有规划的结构。\n", encoding="utf-8")
    done = planrecover("extract", source, "--out", tmp_path / "out", "--allow-empty")
    assert done.returncode == 0, done.stderr
    plan = json.loads((tmp_path / "out" / "plan.json").read_text(encoding="utf-8"))
    assert plan["indicators"] == [] and plan["programmes"] == []
    assert [i["kind"] for i in plan["issues"]] == ["no_plan_structure"]


def test_output_path_that_is_a_file(tmp_path):
    blocker = tmp_path / "out"
    blocker.write_text("not a folder")
    done = planrecover("extract", CORPUS_DOC, "--out", blocker)
    assert done.returncode == 7 and "not a folder" in done.stderr
    assert blocker.read_text() == "not a folder"


def test_existing_output_folder_is_updated_in_place(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    assert planrecover("extract", CORPUS_DOC, "--out", out).returncode == 0
    assert (out / "keep.txt").read_text() == "mine" and (out / "plan.json").exists()


def test_help_explains_the_commands():
    done = planrecover("--help")
    assert done.returncode == 0 and "extract" in done.stdout and "replay" in done.stdout
    done = planrecover("extract", "--help")
    assert "plan.repaired.txt" in done.stdout and "changes.jsonl" in done.stdout


def test_replay_with_a_binary_change_log_is_one_line_and_exit_8(tmp_path):
    junk = tmp_path / "random.bin"
    junk.write_bytes(bytes(range(256)) * 8)
    run = planrecover("replay", CORPUS_DOC, junk)
    assert run.returncode == 8
    assert run.stderr.count("\n") == 1 and "not a change log" in run.stderr
