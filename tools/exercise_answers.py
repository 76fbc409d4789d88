#!/usr/bin/env python
"""Write bplib/exercises/answers.json: every exercise's right answers and its bugs' results.

    python tools/exercise_answers.py            # write the file
    python tools/exercise_answers.py --check    # exit 1 if the file is out of date

The reference solutions and the bugs' functions are in exercises/reference/, which is
not installed: the installed checker compares a student's function with the numbers
stored here instead (the result of each seeded test case, and each named bug's result
on it; notebook 10: each bug combination of the zoo, and each single bug's exception).
Run it after changing an exercise's solution, bugs or cases (`make notebooks` does).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from threadpoolctl import threadpool_limits

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import exercises.reference  # noqa: E402, F401 - attaches the solutions and bugs
from bplib.exercises import EXERCISES  # noqa: E402
from bplib.exercises.checker import ANSWERS, compute_answers, pool_arrays  # noqa: E402


def answers_text():
    """The file's text: one entry per exercise, in notebook order, each distinct array once.

    On one BLAS thread: a matrix product split over threads can round its last bit
    differently, and the file must not depend on the machine's load or core count."""
    with threadpool_limits(limits=1):
        data = pool_arrays({name: compute_answers(ex) for name, ex in EXERCISES.items()})
    return json.dumps(data, indent=None, separators=(",", ":"), allow_nan=True) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare with the stored file")
    args = parser.parse_args(argv)
    text = answers_text()
    if args.check:
        stored = ANSWERS.read_text(encoding="utf-8") if ANSWERS.exists() else ""
        if stored != text:
            print(f"{ANSWERS.relative_to(ROOT)} is out of date: run tools/exercise_answers.py")
            return 1
        return 0
    ANSWERS.write_text(text, encoding="utf-8")
    print(f"{ANSWERS.relative_to(ROOT)}: {len(EXERCISES)} exercises, {len(text) // 1024} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
