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
