#!/usr/bin/env python
"""The files a class needs: the students' copy of the course and the teacher's nbgrader course.

    python deploy/course.py student DIR            # student versions of notebooks/ into DIR
    python deploy/course.py nbgrader DIR [--assignment NAME=NN,NN ...]

Both come from ``tools/make_student.py``:

- ``student``: what each student finds in their home on first login (the hub copies it on
  spawn): every notebook with its solutions stubbed, folded solutions removed, outputs
  cleared, and the files beside the notebooks.
- ``nbgrader``: an nbgrader course folder for the teacher's formgrader: ``nbgrader_config.py``
  (the course id, then ``deploy/nbgrader/nbgrader_config.py``, which refuses to release a
  folded solution and makes the feedback typeset its maths offline) and ``source/<assignment>/``
  written by ``make_student.py --nbgrader`` (solutions kept between nbgrader's markers for
  nbgrader to stub, folded solutions removed). By default one assignment per notebook with
  exercises, named after the notebook (``05_output_error``).
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path

import nbformat

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
NOTEBOOKS = ROOT / "notebooks"
NBGRADER_CONFIG = DEPLOY / "nbgrader" / "nbgrader_config.py"


def _make_student():
    if "make_student" in sys.modules:
        return sys.modules["make_student"]
    spec = importlib.util.spec_from_file_location(
        "make_student", ROOT / "tools" / "make_student.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_student"] = module
    spec.loader.exec_module(module)
    return module


def notebooks(numbers=None, folder=NOTEBOOKS):
    """The course notebooks ``NN_*.ipynb`` (all, or those whose NN is in ``numbers``)."""
    paths = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    return [p for p in paths if numbers is None or p.name[:2] in numbers]


def write_student_files(out, paths=None):
    """Student versions of ``paths`` (default: every notebook) and their assets into ``out``."""
    paths = paths or notebooks()
    ms = _make_student()
    ms.main(["--out", str(out), *map(str, paths)])
    return sorted(Path(out).glob("*.ipynb"))


def nbgrader_config_text(course_id):
    return (
        "# nbgrader settings of this course (written by deploy/course.py)\n"
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.course_id = {course_id!r}\n"
        f"load_subconfig({str(NBGRADER_CONFIG)!r})  # noqa: F821\n"
    )


def write_nbgrader_course(root, assignments=None, course_id="bplib"):
    """An nbgrader course folder at ``root``; ``assignments`` maps a name to notebook paths."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "nbgrader_config.py").write_text(nbgrader_config_text(course_id))
    ms = _make_student()
    if assignments is None:
        assignments = {
            p.stem: [p]
            for p in notebooks()
            if any(ms.is_check_cell(c) for c in nbformat.read(p, as_version=4).cells)
        }
    for name, paths in assignments.items():
        target = root / "source" / name
        target.mkdir(parents=True, exist_ok=True)
        for path in paths:
            nbformat.write(
                ms.nbgrader_source(nbformat.read(path, as_version=4)), target / path.name
            )
        ms._copy_assets(Path(paths[0]).parent, target)
    return root


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("what", choices=("student", "nbgrader"))
    p.add_argument("dir", type=Path)
    p.add_argument("--course-id", default="bplib")
    p.add_argument(
        "--assignment",
        action="append",
        default=[],
        metavar="NAME=NN,NN",
        help="an assignment of the given notebooks (default: one per notebook with exercises)",
    )
    args = p.parse_args(argv)
    if args.what == "student":
        write_student_files(args.dir)
        return 0
    assignments = None
    if args.assignment:
        assignments = {}
        for spec in args.assignment:
            name, numbers = spec.split("=", 1)
            assignments[name] = notebooks(numbers.split(","))
    write_nbgrader_course(args.dir, assignments, args.course_id)
    print(
        f"nbgrader course in {args.dir}: {sorted(p.name for p in (args.dir / 'source').iterdir())}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
