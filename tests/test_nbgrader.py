"""Real nbgrader on two course notebooks: the release holds no solution, the scores are right,
and the feedback shows the explorers' pictures and typesets its maths offline.

The course folder is what the hub gives the teacher (``deploy/course.py``): ``nbgrader_config.py``
loads ``deploy/nbgrader/nbgrader_config.py``. Assignment ``ps1`` is made the two ways a
teacher may take:

- ``05_output_error`` through ``tools/make_student.py --nbgrader`` (the documented way);
- ``02_cost`` copied straight from ``notebooks/`` (the instructor notebook, folded solutions and
  all): the course config must keep its folded solutions out of the release.

Then three students submit: ``good`` (every solution), ``wrong`` (two typical mistakes: a sum
where the batch cost is a mean, and BP1 without sigma'), ``blank`` (the release as it was).
``autograde`` must give 4, 2 and 0 points out of 4; ``generate_feedback`` writes the HTML.
Plain nbgrader (no course config) given 02 and 05 straight from ``notebooks/`` must release
nothing: the folded solutions sit between nbgrader's delimiters, so it refuses.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MATHJAX = ROOT / "deploy" / "node_modules" / "mathjax" / "es5" / "tex-svg.js"


def _load(name, path):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


make_student = _load("make_student", ROOT / "tools" / "make_student.py")
course = _load("bplib_deploy_course", ROOT / "deploy" / "course.py")
from bplib.exercises import exercises_for  # noqa: E402

COST, OUTPUT_ERROR = NOTEBOOKS / "02_cost.ipynb", NOTEBOOKS / "05_output_error.ipynb"
# the typical wrong answers of student "wrong" (the others are right)
WRONG = {
    "ex02-batch_cost": "return np.sum(0.5 * np.sum((A - Y) ** 2, axis=1))",  # a sum, not a mean
    "ex05-output_error": "return a_L - y",  # BP1 without sigma'(z^L)
}

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("nbgrader", path=str(Path(sys.executable).parent)) is None,
        reason="nbgrader is not installed (the 'hub' extra, in 'dev')",
    ),
]


def _nbgrader_run(course_dir, *args):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("JUPYTER_CONFIG_DIR", None)
    return subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), *args],
        cwd=course_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _nbgrader(course_dir, *args):
    run = _nbgrader_run(course_dir, *args)
    log = run.stdout + run.stderr
    assert run.returncode == 0 and "ERROR" not in log, f"nbgrader {' '.join(args)}:\n{log}"
    return log


def _secrets(path):
    """Text that only the instructor notebook has: the folded solutions' markers and the lines
    of each solution that the student version does not show anyway."""
    instructor = nbformat.read(path, as_version=4)
    student = "\n".join(c.source for c in make_student.student_version(instructor).cells)
    secrets = {"Solution to exercise", "BEGIN SOLUTION", "END SOLUTION"}
    for ex in exercises_for(path.name):
        body = ex.source.split("### BEGIN SOLUTION\n", 1)[1].split("### END SOLUTION")[0]
        secrets |= {line.strip() for line in body.splitlines() if line.strip() not in student}
        secrets.add(ex.explanation.strip().splitlines()[0])
    return secrets - {""}


def _answer(release_nb, answers):
    """The release notebook with the stubs of ``answers`` ({grade_id: line}) filled in."""
    nb = nbformat.from_dict(release_nb)
    for cell in nb.cells:
        grade_id = make_student.nbgrader_meta(cell).get("grade_id")
        if grade_id in answers:
            stub = re.compile(
                r"^([ \t]*)# YOUR CODE HERE\n[ \t]*raise NotImplementedError\(\)$", re.M
            )
            assert stub.search(cell.source), cell.source
            answer = answers[grade_id]
            cell.source = stub.sub(lambda m, a=answer: m.group(1) + a, cell.source)
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    course.write_nbgrader_course(root, {"ps1": [OUTPUT_ERROR]})
    shutil.copy(COST, root / "source" / "ps1" / COST.name)  # the path to be made safe
    _nbgrader(root, "generate_assignment", "ps1")

    release = {
        p: nbformat.read(root / "release" / "ps1" / p.name, as_version=4)
        for p in (COST, OUTPUT_ERROR)
    }
    right = {}
    for path in (COST, OUTPUT_ERROR):
        for ex in exercises_for(path.name):
            body = ex.source.split("### BEGIN SOLUTION\n", 1)[1].split("    ### END SOLUTION")[0]
            right[f"ex{ex.notebook}-{ex.name}"] = body.strip()
    submissions = {"good": right, "wrong": {**right, **WRONG}, "blank": {}}
    for student, answers in submissions.items():
        folder = root / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        for path, nb in release.items():
            nbformat.write(_answer(nb, answers), folder / path.name)
    _nbgrader(root, "autograde", "ps1")
    _nbgrader(root, "generate_feedback", "ps1")
    return root


def test_release_holds_no_solution(graded):
    for path in (COST, OUTPUT_ERROR):
        released = (graded / "release" / "ps1" / path.name).read_text()
        leaked = sorted(s for s in _secrets(path) if s in released)
        assert not leaked, f"{path.name}: the release shows {leaked}"
        nb = nbformat.read(graded / "release" / "ps1" / path.name, as_version=4)
        assert not any(make_student.is_collapsed_solution(c) for c in nb.cells)
        n_exercises = len(exercises_for(path.name))
        stubs = [c for c in nb.cells if "raise NotImplementedError()" in c.source]
        assert len(stubs) == n_exercises >= 2


def test_scores(graded):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{graded / 'gradebook.db'}") as gb:
        scores = {s: gb.find_submission("ps1", s).score for s in ("good", "wrong", "blank")}
        max_score = gb.find_assignment("ps1").max_score
    assert max_score == 4
    assert scores == {"good": 4, "wrong": 2, "blank": 0}


def _plain_course(root, *paths):
    """A plain nbgrader course (``nbgrader quickstart``'s config, not this repository's) with
    ``paths`` copied straight from ``notebooks/`` into ``source/ps1/``: what a teacher who
    follows nbgrader's own documentation does."""
    (root / "nbgrader_config.py").write_text(
        "c = get_config()\nc.CourseDirectory.course_id = 'x'\n"
    )
    (root / "source" / "ps1").mkdir(parents=True)
    for path in paths:
        shutil.copy(path, root / "source" / "ps1" / path.name)


def _released_secrets(root, *paths):
    """``{notebook: [solution text it shows]}`` over every file nbgrader released."""
    released = {p.name: p.read_text() for p in (root / "release").rglob("*") if p.is_file()}
    leaks = {}
    for path in paths:
        for name, text in released.items():
            shown = sorted(s for s in _secrets(path) if s in text)
            if shown:
                leaks.setdefault(name, []).extend(shown)
    return leaks


def test_plain_nbgrader_cannot_release_the_instructor_notebooks(tmp_path):
    """The instructor notebooks copied straight into a plain nbgrader course (no course config,
    no make_student.py): nbgrader itself refuses to release them, names the reason and writes
    nothing, so no folded solution reaches a student by that path."""
    _plain_course(tmp_path, COST, OUTPUT_ERROR)
    run = _nbgrader_run(tmp_path, "generate_assignment", "ps1")
    log = run.stdout + run.stderr
    assert run.returncode != 0, f"plain nbgrader released the instructor notebooks:\n{log}"
    assert "Solution region detected in a non-solution cell" in log
    assert "deploy/course.py nbgrader" in log  # the folded cell tells the teacher what to do
    assert _released_secrets(tmp_path, COST, OUTPUT_ERROR) == {}
    assert not list((tmp_path / "release").rglob("*.ipynb"))
    # with that check switched off (ClearSolutions.enforce_metadata = False) nbgrader stubs the
    # folded solutions like any solution region (its own preprocessor, in this process: cheap)
    from nbgrader.preprocessors import ClearSolutions

    for path in (COST, OUTPUT_ERROR):
        nb, _ = ClearSolutions(enforce_metadata=False).preprocess(
            nbformat.read(path, as_version=4), {}
        )
        text = "\n".join(c.source for c in nb.cells)
        assert not sorted(s for s in _secrets(path) if s in text), path.name


def _feedback(graded, student, path):
    return graded / "feedback" / student / "ps1" / f"{path.stem}.html"


def test_feedback_shows_pictures_and_scores_and_needs_no_network(graded):
    for path in (COST, OUTPUT_ERROR):
        nb = nbformat.read(path, as_version=4)
        n_explorers = sum(
            1
            for c in nb.cells
            if c.cell_type == "code"
            for o in c.outputs
            if str(o.get("data", {}).get("text/plain", "")).startswith("Explorer(")
        )
        assert n_explorers >= 1
        html = _feedback(graded, "wrong", path).read_text()
        # every explorer's static picture (nbconvert shows its image/png)
        assert html.count("data:image/png;base64,") >= n_explorers
        # nothing is fetched: no script, stylesheet or image from the network
        markup = re.sub(r"<script>.*?</script>", "", html, flags=re.S)  # inline scripts' text
        remote = re.findall(r"""(?:src|href)=["'](?:https?:)?//[^"']+""", markup)
        assert not remote, remote[:5]
        assert "cdnjs" not in html and "MathJax.Hub" not in html
        assert MATHJAX.read_text()[:2000] in html  # MathJax 3 is in the page itself
    wrong = _feedback(graded, "wrong", OUTPUT_ERROR).read_text()
    assert "forgot" in wrong.lower() or "sigma" in wrong.lower() or "AssertionError" in wrong


def test_feedback_shows_each_explorer_caption(graded):
    """The caption ("What to notice: ...") of every explorer is in the feedback (an explorer's
    static HTML view holds picture, readout and caption)."""
    html = _feedback(graded, "good", COST).read_text()
    nb = nbformat.read(COST, as_version=4)
    captions = [
        str(o["data"]["text/plain"]).split("What to notice:", 1)[1].strip()[:60]
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if "What to notice:" in str(o.get("data", {}).get("text/plain", ""))
    ]
    assert captions
    missing = [c for c in captions if c.split("$")[0][:30] not in html]
    assert not missing, missing


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs Debian's chromium")
def test_feedback_typesets_maths_offline_in_a_browser(graded):
    from playwright.sync_api import sync_playwright

    page_file = _feedback(graded, "wrong", OUTPUT_ERROR)
    requested = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page()

            def block(route):
                requested.append(route.request.url)
                route.abort()

            page.route(re.compile(r"^(https?|wss?)://"), block)
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_file.as_uri())
            page.wait_for_function(
                "document.querySelectorAll('mjx-container svg').length > 10", timeout=60_000
            )
            n_math = page.evaluate("document.querySelectorAll('mjx-container').length")
            raw = page.evaluate(
                "[...document.querySelectorAll('.text_cell_render')]"
                ".filter(e => /\\$[^$]+\\$/.test(e.innerText)).length"
            )
        finally:
            browser.close()
    assert n_math > 10
    assert raw == 0, "some maths was left as $...$ source"
    assert not requested, requested
    assert not errors, errors
