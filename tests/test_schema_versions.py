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
