"""The committed JSON Schema files are exactly what the models generate (no drift)."""

from __future__ import annotations

import json

import jsonschema  # type: ignore[import-untyped]
import pytest

from stancewire.cli import schema_documents
from stancewire.events import SCHEMA_MODELS
from stancewire_dev import PROJECT_ROOT

SCHEMAS_DIR = PROJECT_ROOT / "schemas"


@pytest.mark.parametrize("file_name", sorted(schema_documents()))
def test_committed_schema_matches_the_model(file_name: str) -> None:
    committed = SCHEMAS_DIR / file_name
    assert committed.exists(), f"{committed} missing: run `make schemas`"
    assert committed.read_text(encoding="utf-8") == schema_documents()[file_name], (
        f"{committed} drifted from the model: run `make schemas` and commit the result"
    )


def test_no_stale_schema_files() -> None:
    expected = {f"{name}.json" for name in SCHEMA_MODELS}
    assert {path.name for path in SCHEMAS_DIR.glob("*.json")} == expected


def test_schemas_are_valid_json_schema_and_validate_an_article() -> None:
    schema = json.loads((SCHEMAS_DIR / "ArticleEvent.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid({"article_id": "a", "body": "b"})
    assert not validator.is_valid({"article_id": "a"})
