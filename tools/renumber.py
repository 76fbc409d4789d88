"""Make room for a new notebook: shift every notebook numbered N or more up by one.

    .venv/bin/python tools/renumber.py 01     # 01_cost -> 02_cost, ..., 11_softmax -> 12_softmax

It renames (with ``git mv``) each notebook ``notebooks/NN_name.ipynb``, its exercise
module ``bplib/exercises/nbNN_name.py`` and its reference solutions
``exercises/reference/nbNN_name.py``, and rewrites the references to them in every
file git tracks (notebooks: cell sources and metadata only):

- file and module names: ``05_backpropagating_error``, ``nb05_backpropagating_error``;
- ``notebook="05"`` (an exercise's notebook), nbgrader ids ``ex05-...`` and ``("05", ...)``
  tuples (benchmarks, tests);
- prose: ``notebook 05``, ``notebooks 04 and 05``, ``notebooks 01–08``, ``05's``;
- exercise numbers: ``Exercise 5.1`` -> ``Exercise 6.1``; titles: ``# 05 · ...`` -> ``# 06 · ...``.

Then write the new notebook, and run ``make notebooks`` (navigation, stored outputs,
slides): the stored outputs still quote the old numbers until they are regenerated.
Read ``git diff`` afterwards: a two-digit number in prose that is not one of the
forms above (say "the fifth notebook") is left for you.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = ROOT / "bplib" / "exercises"
REFERENCE = ROOT / "exercises" / "reference"  # the solutions and bugs, not installed
TEXT_SUFFIXES = {".py", ".md", ".ipynb", ".cfg", ".toml", ".yaml", ".yml", ".txt", ".cff", ""}
SKIP = {"tools/renumber.py"}  # this file's examples


def rewriter(start: int, stems: set[str]):
    """A function that rewrites one text with every number >= start shifted up by one."""

    def up(number: str) -> str:
        n = int(number)
        return f"{n + 1:0{len(number)}d}" if n >= start else number

    names = "|".join(sorted(re.escape(s) for s in stems))
    two = r"\d\d"
    rules = [
        # file and module names of the notebooks (only the stems that exist)
        (rf"\b(nb)?({two})_({names})\b", lambda m: f"{m[1] or ''}{up(m[2])}_{m[3]}"),
        # an exercise's notebook, its nbgrader ids (ex05-...), and ("05", ...) tuples
        (rf"\bex({two})-", lambda m: f"ex{up(m[1])}-"),
        (rf'notebook="({two})"', lambda m: f'notebook="{up(m[1])}"'),
        (rf'\("({two})"(?=[,)])', lambda m: f'("{up(m[1])}"'),
        (rf', "({two})"\)', lambda m: f', "{up(m[1])}")'),
        # prose: notebook 05, notebooks 04 and 05, notebooks 01–08, Notebooks 04, 05 and 06
        (
            rf"\b([Nn]otebooks?) ({two}(?:(?:–|-|, | and | or | to ){two})*)\b",
            lambda m: f"{m[1]} " + re.sub(two, lambda k: up(k[0]), m[2]),
        ),
        (rf"(?<![Nn]otebook )(?<![Nn]otebooks )\b({two})'s\b", lambda m: f"{up(m[1])}'s"),
        # a notebook's title: "# 05 · Backpropagating the error"
        (rf"(?m)^(#+ )({two}) · ", lambda m: f"{m[1]}{up(m[2])} · "),
        # exercise numbers: Exercise 5.1, exercises 5.1 and 5.2
        (
            r"\b([Ee]xercises?) (\d{1,2})\.(\d)((?:(?:, | and | or )\d{1,2}\.\d)*)",
            lambda m: (
                f"{m[1]} {int(m[2]) + (int(m[2]) >= start)}.{m[3]}"
                + re.sub(
                    r"(\d{1,2})\.(\d)",
                    lambda k: f"{int(k[1]) + (int(k[1]) >= start)}.{k[2]}",
                    m[4],
                )
            ),
        ),
    ]
    compiled = [(re.compile(p), f) for p, f in rules]

    def rewrite(text: str) -> str:
        for pattern, function in compiled:
            text = pattern.sub(function, text)
        return text

    return rewrite


def rewrite_notebook(path: Path, rewrite) -> bool:
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        new = rewrite(cell.source)
        if new != cell.source:
            cell.source, changed = new, True
    meta = json.dumps(nb.metadata, ensure_ascii=False)
    new_meta = rewrite(meta)
    if new_meta != meta:
        nb.metadata, changed = nbformat.from_dict(json.loads(new_meta)), True
    if changed:
        nbformat.write(nb, path)
    return changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("start", help="the first number to shift up, e.g. 01")
    args = parser.parse_args(argv)
    start = int(args.start)
    notebooks = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    stems = {p.stem[3:] for p in notebooks}
    rewrite = rewriter(start, stems)

    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    changed = []
    for name in tracked:
        path = ROOT / name
        if name in SKIP or path.suffix not in TEXT_SUFFIXES or not path.is_file():
            continue
        if path.suffix == ".ipynb":
            if rewrite_notebook(path, rewrite):
                changed.append(name)
            continue
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue
        new = rewrite(text)
        if new != text:
            path.write_text(new)
            changed.append(name)

    # rename from the highest number down, so that no name is taken twice
    for path in reversed(notebooks):
        n = int(path.name[:2])
        if n < start:
            continue
        stem = path.stem[3:]
        moves = [(path, NOTEBOOKS / f"{n + 1:02d}_{stem}.ipynb")]
        for folder in (EXERCISES, REFERENCE):
            module = folder / f"nb{n:02d}_{stem}.py"
            if module.exists():
                moves.append((module, folder / f"nb{n + 1:02d}_{stem}.py"))
        for old, new in moves:
            subprocess.run(["git", "mv", str(old), str(new)], cwd=ROOT, check=True)
            print(f"{old.relative_to(ROOT)} -> {new.relative_to(ROOT)}")
    print(f"{len(changed)} files rewritten; now run `make notebooks` and read `git diff`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
