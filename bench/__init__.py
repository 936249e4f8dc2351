"""The bench: how well, how fast, and at what cost planrecover recovers plan documents.

- ``bench.generate``: plan-like documents with exact truth, from a seed number;
- ``bench.damage``: a seeded damage model (one function per damage kind, each recording
  what it did, so the truth stays aligned with the damaged text);
- ``bench.metrics``: CER and structure scores;
- ``bench.run`` (``python -m bench``, ``make bench``): runs everything, prints one table,
  writes bench/results.json and compares it with bench/baseline.json.

The bench is a measurement, not a test: ``make test`` does not run it.
"""
