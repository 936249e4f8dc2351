"""jieba's dictionary cache is kept per user, never in the shared temporary folder."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_cache_goes_to_the_users_cache_folder(tmp_path):
    code = "from grammar.words import private_tokenizer, cache_dir; t = private_tokenizer(); print(cache_dir())"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert Path(run.stdout.strip()) == tmp_path / "cache" / "planrecover"
    assert (tmp_path / "cache" / "planrecover" / "jieba.cache").is_file()
    assert not list((tmp_path / "tmp").iterdir())


def test_a_word_added_to_one_tokenizer_reaches_no_other():
    from grammar.words import private_tokenizer

    first, second = private_tokenizer(), private_tokenizer()
    assert "知识产权" in first.lcut("加强知识产权保护")
    first.add_word("权保护加")
    assert "权保护加" in first.FREQ and "权保护加" not in second.FREQ
    assert "权保护加" not in private_tokenizer().FREQ
    assert second.lcut("加强知识产权保护") == ["加强", "知识产权", "保护"]
