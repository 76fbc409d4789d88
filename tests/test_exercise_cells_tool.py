"""tools/exercise_cells.py regenerates each exercise where it sits."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location(
    "exercise_cells", ROOT / "tools" / "exercise_cells.py"
)
exercise_cells = importlib.util.module_from_spec(spec)
spec.loader.exec_module(exercise_cells)


def ids(nb):
    return [c.id for c in nb.cells]


def test_an_exercise_placed_apart_stays_where_it_is():
    """01 places exercise 1.3 sections after 1.1: regenerating keeps both where they are."""
    path = ROOT / "notebooks" / "01_network.ipynb"
    nb = nbformat.read(path, as_version=4)
    order = ids(nb)
    first, second = order.index("ex01-feedforward_rows"), order.index("ex01-tanh_prime")
    between = order[first:second]
    assert any(not i.startswith("ex01-") for i in between), "1.1 and 1.3 are not apart in 01"
    assert ids(exercise_cells.insert(nb, path.name)) == order


def test_a_new_exercise_goes_after_the_last_one_and_a_removed_one_goes():
    path = ROOT / "notebooks" / "01_network.ipynb"
    nb = nbformat.read(path, as_version=4)
    order = ids(nb)
    # drop exercise 1.3's cells: regenerating puts them back right after the last exercise left
    kept = [c for c in nb.cells if not c.id.startswith("ex01-tanh_prime")]
    nb.cells = kept
    regenerated = ids(exercise_cells.insert(nb, path.name))
    last = max(i for i, c in enumerate(kept) if c.id.startswith("ex01-"))
    assert regenerated[last + 1] == "ex01-tanh_prime-statement"
    assert sorted(regenerated) == sorted(order)
    # a stale exercise's cells are removed
    nb = nbformat.read(path, as_version=4)
    stale = nbformat.v4.new_markdown_cell("old", metadata={"tags": ["exercise"]})
    stale.id = "ex01-old_exercise-statement"
    nb.cells.insert(5, stale)
    assert ids(exercise_cells.insert(nb, path.name)) == order
