"""Every equation is followed by a check that can fail.

For every notebook 01-12, each numbered equation (``\\tag{N}`` in a markdown cell) must be
named in a comment, ``# equation (N)`` or ``# ... (N)``, of a later code cell that asserts
something (``assert``, ``np.testing.assert_...``). Exercise cells do not count: they are
generated from ``bplib/exercises`` and check the reader's code, not the equation. The test
generalises ``tests/test_network_notebook.py::test_every_numbered_equation_is_checked_in_code``.
Cheap: it reads the stored notebooks, it runs nothing.
"""

import os
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks"))
PATHS = sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb") if not p.name.startswith("00_"))

TAG = re.compile(r"\\tag\{([^}]*)\}")
ASSERTS = re.compile(r"\bassert\b|\bassert_\w+\(")


def _comments(source):
    """The comment text of a code cell: everything after a `#` on each line."""
    return "\n".join(line.split("#", 1)[1] for line in source.splitlines() if "#" in line)


def _refers_to(source, tag):
    return re.search(rf"(?<![\w.])\({re.escape(tag)}\)", _comments(source)) is not None


def _is_exercise(cell):
    return "exercise" in cell.metadata.get("tags", [])


def test_every_notebook_is_found():
    if not NOTEBOOKS.exists():
        pytest.skip(f"{NOTEBOOKS} is not there")
    assert [p.name[:2] for p in PATHS] == [f"{k:02d}" for k in range(1, len(PATHS) + 1)]
    assert len(PATHS) >= 12


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.stem)
def test_every_numbered_equation_has_a_later_check_that_names_it(path):
    nb = nbformat.read(path, as_version=4)
    tags = [
        (i, t)
        for i, c in enumerate(nb.cells)
        if c.cell_type == "markdown"
        for t in TAG.findall(c.source)
    ]
    numbers = [t for _, t in tags]
    assert numbers == [str(k) for k in range(1, len(numbers) + 1)], (
        f"{path.name}: equations are numbered {numbers}, expected 1, 2, 3, ..."
    )
    missing, unasserted = [], []
    for i, tag in tags:
        cells = [
            c
            for c in nb.cells[i + 1 :]
            if c.cell_type == "code" and not _is_exercise(c) and _refers_to(c.source, tag)
        ]
        if not cells:
            missing.append(tag)
        elif not any(ASSERTS.search(c.source) for c in cells):
            unasserted.append(tag)
    assert not missing, (
        f"{path.name}: equation(s) {', '.join(f'({t})' for t in missing)} are named in no later code "
        "cell: add a check with a comment '# equation (N)'"
    )
    assert not unasserted, (
        f"{path.name}: equation(s) {', '.join(f'({t})' for t in unasserted)} are named only in code "
        "cells without an assert"
    )


def test_a_reference_is_a_comment_not_a_call():
    assert _refers_to("x = f(3)  # equation (3)", "3")
    assert _refers_to("y = 1  # (2) with (7) gives (8)", "7")
    assert not _refers_to("x = f(3)", "3")  # a call is not a reference
    assert not _refers_to("x = 1  # rng.normal(3)", "3")
    assert not _refers_to("x = 1  # equation (13)", "3")
