"""bench.run.compare: a figure that got worse beyond its noise is marked; noise is not."""

from bench.run import compare


def results(cer, f1, chars_per_s):
    return {
        "config": {"n": 200},
        "default": {"text": {"cer_repaired": cer}, "structure": {"agency_f1": f1}, "speed": {"repair_chars_per_s": chars_per_s}},
    }


def test_worse_figures_are_marked_and_noise_is_not():
    baseline = results(0.0010, 1.0, 400_000)
    assert compare(results(0.0010, 1.0, 380_000), baseline) == []  # speed within 25 %
    marked = {m["figure"]: m["worse"] for m in compare(results(0.0020, 0.98, 200_000), baseline)}
    assert marked == {"default.text.cer_repaired": True, "default.structure.agency_f1": True, "default.speed.repair_chars_per_s": True}


def test_improvements_are_listed_but_not_as_worse():
    marked = compare(results(0.0001, 1.0, 400_000), results(0.0010, 1.0, 400_000))
    assert marked == [{"figure": "default.text.cer_repaired", "baseline": 0.0010, "now": 0.0001, "worse": False}]


def test_no_baseline_nothing_to_compare():
    assert compare(results(0.5, 0.1, 1), None) == []


def test_figures_the_baseline_lacks_are_listed_not_compared():
    from bench.run import not_in_baseline

    now = results(0.0010, 1.0, 400_000)
    now["heldout"] = {"per_kind": {"near_dup": {"repaired": 0.0}}}
    baseline = results(0.0010, 1.0, 400_000)
    assert compare(now, baseline) == []
    assert not_in_baseline(now, baseline) == ["heldout.per_kind.near_dup.repaired"]


def minimal_results(**sections):
    return {"config": {"n": 2}, "versions": {"python": "3"}, **sections}


def test_the_table_begins_with_the_real_corpus_section():
    from bench.run import render_table

    table = render_table(minimal_results(), ["real corpus", "  documents  3"]).splitlines()
    assert table[:2] == ["real corpus", "  documents  3"]
    assert render_table(minimal_results()).splitlines()[0].startswith("real corpus: section skipped")


def test_the_real_corpus_hook_is_optional(monkeypatch):
    import sys
    import types

    from bench.run import real_corpus

    monkeypatch.setitem(sys.modules, "bench.real", None)  # importing it raises ImportError
    assert real_corpus() is None
    fake = types.ModuleType("bench.real")
    fake.real_corpus_section = lambda: ({"documents": 3}, ("real corpus", "  documents  3"))
    monkeypatch.setitem(sys.modules, "bench.real", fake)
    assert real_corpus() == ({"documents": 3}, ["real corpus", "  documents  3"])


def test_the_table_shows_false_repairs_and_the_held_out_column():
    from bench.run import render_table

    false = {"documents": 2, "characters": 50_000, "count": 3, "documents_changed": 1, "per_100k_chars": 6.0,
             "visible_chars_changed_per_100k": 20.0, "by_rule": {"drop_stray_marks": 3}, "by_negative": {"slash_unit": 3},
             "negatives": {"slash_unit": {"instances": 4, "changed": 0.75}}}
    clean = {"documents": 2, "changes_by_rule": {"drop_stray_marks": 3}, "false_repairs": false}
    heldout = {"per_kind": {"near_dup": {"instances": 4, "repaired": 0.25, "missed": 0.75}}}
    lines = render_table(minimal_results(clean=clean, heldout=heldout)).splitlines()
    assert any("per 100 000 characters" in line and "6.00" in line for line in lines)
    assert any(line.split()[:3] == ["slash_unit", "4", "75.0"] for line in lines)
    assert any("heldout n" in line for line in lines)
    assert any(line.split()[:3] == ["near_dup", "4", "25.0"] for line in lines)


def test_characters_deleted_from_clean_text_are_counted_without_white_space():
    from bench.run import _deleted_on_clean

    truth = "甲 乙丙"
    assert _deleted_on_clean(truth, (0, 1, 2, 3)) == 0
    assert _deleted_on_clean(truth, (0, 2)) == 1  # 丙 gone; the space is not counted
