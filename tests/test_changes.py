import pytest

from pipeline.errors import BadChangeLog, ReplayMismatch
from repair.changes import Edit, TrackedText, read_change_log, replay


def test_spans_point_at_source_lines_after_earlier_edits():
    tracked = TrackedText("产\n\n甲乙丙\n丁戊\n")
    tracked.apply("drop", [Edit(0, 3, "", "residue", 1.0)])
    (change,) = tracked.apply("join", [Edit(3, 4, "", "split word", 0.9)])
    assert (change.source.line, change.source.col, change.source.start) == (3, 4, 6)
    assert tracked.text == "甲乙丙丁戊\n"
    assert replay(tracked.source, tracked.changes) == tracked.text


def test_written_characters_have_no_origin():
    tracked = TrackedText("专栏10 甲")
    tracked.apply("renumber_boxes", [Edit(2, 4, "6", "sequence", 0.95)])
    assert tracked.text == "专栏6 甲"
    assert tracked.origin[2] == -1


def test_replay_refuses_a_record_that_does_not_fit():
    tracked = TrackedText("甲乙丙")
    tracked.apply("drop", [Edit(1, 2, "", "x", 1.0)])
    record = tracked.changes[0].__dict__ | {"before": "丙"}
    with pytest.raises(ReplayMismatch):
        replay("甲乙丙", [record])


def test_overlapping_edits_are_a_bug():
    with pytest.raises(ValueError):
        TrackedText("甲乙丙").apply("x", [Edit(0, 2, "", "a", 1), Edit(1, 3, "", "b", 1)])


def test_malformed_change_log_lines():
    with pytest.raises(BadChangeLog):
        read_change_log(["{not json"])
    with pytest.raises(BadChangeLog):
        replay("甲", [{"id": 1, "rule": "x"}])


def test_corpus_change_log_replays_exactly(corpus_recovery):
    records = read_change_log(corpus_recovery.changes_jsonl.splitlines())
    assert replay(corpus_recovery.source.text, records) == corpus_recovery.repair.text
    for record in records:
        for field in ("id", "step", "rule", "at", "source", "before", "after", "reason", "confidence"):
            assert field in record
        assert record["reason"] and 0 < record["confidence"] <= 1
