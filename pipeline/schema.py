"""The plan.json schema (schema/plan.schema.json) and its validation."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import jsonschema

SCHEMA_FILE = Path(__file__).with_name("schema") / "plan.schema.json"


@lru_cache(maxsize=1)
def plan_schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


def validate_plan(plan: dict) -> None:
    """Raise jsonschema.ValidationError if ``plan`` breaks the schema (a bug, not bad input)."""
    jsonschema.validate(plan, plan_schema(), cls=jsonschema.Draft202012Validator)
