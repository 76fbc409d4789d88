"""CITATION.cff is valid against the Citation File Format 1.2.0 schema and agrees with pyproject.

The schema is the official one (citation-file-format.github.io/1.2.0/schema.json, CC BY 4.0),
stored in tests/data so that the test runs offline; it is the copy cffconvert 2.0.0 ships.
"""

import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "tests" / "data" / "cff-1.2.0.schema.json").read_text())


def load():
    # CFF dates are strings; keep YAML from turning them into datetime.date
    return yaml.load((ROOT / "CITATION.cff").read_text(), Loader=yaml.BaseLoader)


def test_citation_is_valid_cff():
    jsonschema.validate(load(), SCHEMA, cls=jsonschema.Draft7Validator)


def test_an_invalid_citation_is_rejected():
    bad = load()
    del bad["authors"]
    with pytest.raises(jsonschema.ValidationError, match="authors"):
        jsonschema.validate(bad, SCHEMA, cls=jsonschema.Draft7Validator)


def test_citation_agrees_with_the_package():
    import bplib

    cff = load()
    assert cff["version"] == bplib.__version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    license = project["license"]
    assert cff["license"] == (license if isinstance(license, str) else license.get("text"))
