"""Data flows one way: grammar and errors at the bottom, then read, ocr, repair, extract,
and the pipeline on top. Read from the source with ast, so a lazy import inside a
function counts as much as one at the top of a module."""

import ast
import re
import unicodedata
from pathlib import Path

import pytest

from grammar.chars import HAN, HAN_RE, han_chars, is_han

ROOT = Path(__file__).parents[1]
PACKAGES = ("grammar", "errors", "read", "ocr", "repair", "extract", "pipeline", "bench")
# What each package may import from the project. The pipeline (and the bench) may import anything.
MAY_IMPORT = {
    "grammar": {"errors"},
    "errors": set(),
    "read": {"grammar", "errors"},
    "ocr": {"grammar", "errors", "read"},
    "repair": {"grammar", "errors", "read"},
    "extract": {"grammar", "errors", "repair", "read"},
}
# Imports against the flow that remain, each with why; the test fails when one goes, so
# the list cannot outlive them.
KNOWN_UPWARD: dict[tuple[str, str], str] = {}


def modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported(path: Path) -> list[str]:
    """Every module ``path`` imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = path.relative_to(ROOT).with_suffix("").parts
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = list(here[:-node.level])
                found.append(".".join(base + ([node.module] if node.module else [])))
            else:
                found.append(node.module)
    return found


def upward_imports() -> set[tuple[str, str]]:
    wrong = set()
    for package, allowed in MAY_IMPORT.items():
        for path in modules(package):
            for name in imported(path):
                top = name.split(".")[0]
                if top in PACKAGES and top != package and top not in allowed:
                    wrong.add((str(path.relative_to(ROOT)), name))
    return wrong


def test_the_layers_import_downwards_only():
    wrong = upward_imports() - set(KNOWN_UPWARD)
    assert not wrong, "imports against the flow (grammar/errors < read < ocr, repair < extract < pipeline):\n" + "\n".join(
        f"  {path} imports {name}" for path, name in sorted(wrong)
    )


def test_the_known_exceptions_still_exist():
    gone = set(KNOWN_UPWARD) - upward_imports()
    assert not gone, f"no longer imported, drop from KNOWN_UPWARD: {sorted(gone)}"


def is_reexport(path: Path) -> bool:
    """A module that only imports names from another project package (a docstring and
    __all__ besides): a shim left at an old place."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    body = [n for n in body if not (isinstance(n, ast.Assign) and [getattr(t, "id", None) for t in n.targets] == ["__all__"])]
    own = [n for n in body if not (isinstance(n, ast.ImportFrom) and n.module and n.module.split(".")[0] in PACKAGES)]
    return bool(body) and not own and path.name != "__init__.py"


def test_reexport_shims_only_in_the_pipeline():
    shims = [str(p.relative_to(ROOT)) for package in MAY_IMPORT for p in modules(package) if is_reexport(p)]
    assert not shims, f"re-export shims outside pipeline/: {shims}"


def test_the_shim_test_sees_a_shim():
    assert is_reexport(ROOT / "pipeline" / "errors.py")


# ------------------------------------------------------------- one Han class

# A Han range written out: \u4e00, \u9fff, \u3400 (escaped or as 0x…) or the raw characters 一-鿿.
HAN_LITERAL_RE = re.compile(r"\\u4e00|\\u9fff|\\u3400|\\u4dbf|0x4e00|0x9fff|0x3400|一-|-鿿|-龥", re.IGNORECASE)


def test_every_han_pattern_goes_through_grammar_chars():
    """No module outside grammar/ writes its own Han range (tests may: they state truth
    independently of the code)."""
    found = []
    for package in PACKAGES:
        if package == "grammar":
            continue
        for path in modules(package):
            for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
                if HAN_LITERAL_RE.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "Han ranges outside grammar/chars.py:\n" + "\n".join(found)


def test_the_literal_search_finds_a_han_range():
    assert HAN_LITERAL_RE.search(r'HAN = r"[\u3400-\u4dbf\u4e00-\u9fff]"')
    assert HAN_LITERAL_RE.search("return 0x4E00 <= code <= 0x9FFF")


@pytest.mark.parametrize(
    "char, name",
    [
        ("中", "CJK UNIFIED IDEOGRAPH-4E2D"),
        ("﨑", "CJK COMPATIBILITY IDEOGRAPH-FA11"),  # 﨑 in 高﨑, printed in names
        ("㐀", "CJK UNIFIED IDEOGRAPH-3400"),  # extension A
        ("𠀋", "CJK UNIFIED IDEOGRAPH-2000B"),  # extension B
        ("𪜀", "CJK UNIFIED IDEOGRAPH-2A700"),  # extension C
    ],
)
def test_ideographs_are_han(char, name):
    assert unicodedata.name(char) == name  # the character is what the case says
    assert is_han(char) and HAN_RE.fullmatch(char)


@pytest.mark.parametrize(
    "char, name",
    [
        ("⼈", "KANGXI RADICAL MAN"),  # U+2F08: damage standing for 人, not Han itself
        ("⺠", "CJK RADICAL CIVILIAN"),  # U+2EA0, radicals supplement
        ("，", "FULLWIDTH COMMA"),
        ("（", "FULLWIDTH LEFT PARENTHESIS"),
        ("０", "FULLWIDTH DIGIT ZERO"),
        ("。", "IDEOGRAPHIC FULL STOP"),
        ("〇", "IDEOGRAPHIC NUMBER ZERO"),  # a CJK symbol, not in the ideograph blocks
        ("䷀", "HEXAGRAM FOR THE CREATIVE HEAVEN"),  # U+4DC0, between extension A and the unified block
        ("A", "LATIN CAPITAL LETTER A"),
    ],
)
def test_radicals_and_punctuation_are_not_han(char, name):
    assert unicodedata.name(char) == name
    assert not is_han(char) and not HAN_RE.fullmatch(char)


def test_han_chars_keeps_only_ideographs():
    assert han_chars("高﨑⼈（2025年）𠀋") == ["高", "﨑", "年", "𠀋"]


def test_the_class_works_inside_patterns():
    # As the rules compose it: a gap between two ideographs.
    assert re.search(rf"(?<={HAN}) (?={HAN})", "知识 产权")
    assert not re.search(rf"(?<={HAN}) (?={HAN})", "知识 ，产权")
