import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DOC = ROOT / "corpus" / "ip-protection-plan-2021-2025.garbled-extract.txt"
GOLDEN = ROOT / "golden"
sys.path.insert(0, str(Path(__file__).parent))  # for golden_diff


@pytest.fixture(scope="session")
def corpus_text() -> str:
    return CORPUS_DOC.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def corpus_recovery():
    from pipeline.ingest import read_source
    from pipeline.run import recover

    return recover(read_source(CORPUS_DOC))


@pytest.fixture(scope="session")
def golden_plan() -> dict:
    return json.loads((GOLDEN / "plan.json").read_text(encoding="utf-8"))


def repair(text: str, *rules):
    """Run the given rules (or all) on ``text``; return the result."""
    from repair.rules import RULES, repair_text

    return repair_text(text, rules=rules or RULES)


def box(number: str, title: str, *paragraphs: str) -> str:
    return "\n\n".join([f"专栏{number} {title}", *paragraphs])


RESIDUE = "\n\n".join(["产 创 产", "产", "公 产", "产 产 主", "创", "产", "传 产", "产", "各 产"])
