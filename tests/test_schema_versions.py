"""The plan.json schema does not drift: any edit needs a new schema_version."""

import hashlib
import json

from extract.plan import SCHEMA_VERSION
from pipeline.schema import SCHEMA_FILE, plan_schema


def test_schema_file_is_the_one_published_under_its_version():
    declared = plan_schema()["properties"]["schema_version"]["enum"][-1]
    published = json.loads((SCHEMA_FILE.parent / "versions.json").read_text(encoding="utf-8"))["versions"]
    assert declared in published, f"schema_version {declared} is not listed in pipeline/schema/versions.json"
    digest = hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest()
    assert digest == published[declared]["sha256"], (
        "plan.schema.json changed but its schema_version did not: bump schema_version, "
        "record the new version and sha256 in pipeline/schema/versions.json"
    )


def test_writer_emits_the_schema_version():
    assert SCHEMA_VERSION == plan_schema()["properties"]["schema_version"]["enum"][-1]


# Versions that have been published (landed): their schema is what documents written
# under them were checked against, so their record never changes. A new version is added
# here once it lands.
PUBLISHED = {
    "1.0.0": "1a5b6c630afb03411832441eb76b5dd67ffb834af38d862512a80cc4b77c5750",
    "1.1.0": "5d4b586c5b7f5f559448c0b2b7f68e389539062d63dadcab0a3ccf6267f3eb80",
    "1.2.0": "aac3dc3d29f64bc15204d00051b638231d1030903f69db6b57e337b41fa142de",
    "1.3.0": "332a0a6046a54be4d6465a54a0037dc7dd9264620b8dd737598ec77e100f3e3b",
    "1.4.0": "7bbb3cd2d63a1b4386f17ef3b82ca3fc0aea82be4ea20a5c45bb156d6086a133",
}


def test_a_published_version_is_never_edited():
    recorded = json.loads((SCHEMA_FILE.parent / "versions.json").read_text(encoding="utf-8"))["versions"]
    assert {v: recorded[v]["sha256"] for v in PUBLISHED} == PUBLISHED
