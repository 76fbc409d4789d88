"""The cells of a course notebook, for the tests that read the notebooks' text (not a test module)."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks"))


def cells(stem):
    """The cells of notebooks/<stem>.ipynb (the test is skipped if it is not there)."""
    path = NOTEBOOKS / f"{stem}.ipynb"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    return nbformat.read(path, as_version=4).cells


def index(cells, cell_id):
    """The position of the cell with id ``cell_id`` in ``cells``."""
    return next(i for i, c in enumerate(cells) if c.get("id") == cell_id)
