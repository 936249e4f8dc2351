"""The bench: how well, how fast, and at what cost planrecover recovers plan documents.

- ``bench.real``: the real corpus first — plans as published (../shared/realdocs), run as a
  user runs them and scored against truth read by hand (bench/real/*.truth.json): false
  repairs per 100 000 characters, must-survive strings, indicators, boxes, task statements;
- ``bench.realdamage``: the damage model applied to those real clean texts;
- ``bench.generate``: plan-like documents with exact truth, from a seed number;
- ``bench.damage``: a seeded damage model (one function per damage kind, each recording
  what it did, so the truth stays aligned with the damaged text); profiles ``default``
  and ``heavy`` calibrated on the corpus, ``heldout`` made independently of the repair
  rules (its vocabularies and ranges are not theirs);
- ``bench.metrics``: CER and structure scores;
- ``bench.run`` (``python -m bench``, ``make bench``): runs everything, prints one table,
  writes bench/results.json and compares it with bench/baseline.json.

The bench is a measurement, not a test: ``make test`` does not run it.
"""
