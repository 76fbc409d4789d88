"""nbgrader settings for a course made from this repository (loaded by the course's config).

A course folder made by ``deploy/course.py`` (``make hub`` makes one for the teacher) has an
``nbgrader_config.py`` that sets the course id and then loads this file with
``load_subconfig``. It does three things:

1. **No folded solution is ever released.** The instructor notebooks in ``notebooks/`` carry,
   after each exercise, a markdown cell tagged ``solution`` that holds the worked solution in
   ``<details>`` ("Solution to exercise 5.1"), between nbgrader's own delimiters written as HTML
   comments (``<!-- BEGIN SOLUTION ... -->``, ``<!-- END SOLUTION -->``). Plain nbgrader, given
   an instructor notebook straight from ``notebooks/``, refuses to release it (a solution region
   outside a solution cell) and writes nothing. Here the preprocessor below runs first in
   ``generate_assignment``: it removes every such cell, so the release goes ahead, and it stops
   the release with an error if any other released cell still holds solution text.
   ``tools/make_student.py --nbgrader`` (what ``deploy/course.py`` uses) removes them already.
2. **Static explorers in the feedback.** ``autograde`` runs each submission in a kernel, so
   each explorer's output holds a live widget view, which nbconvert prefers and which shows
   nothing without a kernel; ``DropWidgetViews`` keeps the static views (picture, caption).
3. **Offline feedback.** ``generate_feedback`` renders with the template ``bplib_feedback``
   (``deploy/nbgrader/templates``), nbgrader's own feedback template with MathJax 3 written into
   the page from ``deploy/node_modules/mathjax`` instead of MathJax 2 from a CDN.
"""

import re
from pathlib import Path

import nbgrader
from nbgrader.converters import Autograde, GenerateAssignment, GenerateFeedback
from nbgrader.preprocessors import NbGraderPreprocessor

c = get_config()  # noqa: F821 (a traitlets config file)

HERE = Path(__file__).resolve().parent
DEPLOY = HERE.parent
MATHJAX = DEPLOY / "node_modules" / "mathjax" / "es5"
NBGRADER_TEMPLATES = (
    Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"
)
_FOLD = re.compile(r"<!--\s*BEGIN SOLUTION")  # the delimiter tools/exercise_cells.py writes
_LEAK = re.compile(r"Solution to exercise|BEGIN SOLUTION|END SOLUTION")


class DropFoldedSolutions(NbGraderPreprocessor):
    """Remove the folded solutions (markdown cells tagged "solution") before anything else."""

    def preprocess(self, nb, resources):
        kept = []
        for cell in nb.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if cell.cell_type == "markdown" and ("solution" in tags or _FOLD.search(cell.source)):
                self.log.info("bplib: not releasing folded solution cell %s", cell.get("id"))
                continue
            kept.append(cell)
        nb.cells = kept
        return nb, resources


class RefuseSolutionText(NbGraderPreprocessor):
    """After nbgrader has stubbed the solutions: no released cell may still show one."""

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if _LEAK.search(cell.source):
                raise RuntimeError(
                    f"bplib: cell {cell.get('id')} of {resources.get('unique_key')} would release "
                    f"solution text ({_LEAK.search(cell.source).group(0)!r}); not releasing it"
                )
        return nb, resources


class DropWidgetViews(NbGraderPreprocessor):
    """Keep an output's static views, not its live widget view.

    A notebook run by ``autograde`` holds each explorer's widget view next to its static picture
    and caption (HTML, PNG, text). nbconvert prefers the widget view, which shows nothing
    without a kernel, so the feedback and the formgrader would show empty explorers. The course's
    stored notebooks drop widget views the same way (tools/run_notebooks.py)."""

    def preprocess(self, nb, resources):
        view = "application/vnd.jupyter.widget-view+json"
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if view in data and len(data) > 1:
                    del data[view]
        nb.metadata.pop("widgets", None)
        return nb, resources


def _defaults(cls, name):
    return list(cls.class_traits()[name].default())


c.GenerateAssignment.preprocessors = [
    DropFoldedSolutions,
    *_defaults(GenerateAssignment, "preprocessors"),
    RefuseSolutionText,
]
_autograde = _defaults(Autograde, "autograde_preprocessors")
c.Autograde.autograde_preprocessors = [_autograde[0], DropWidgetViews, *_autograde[1:]]
c.GenerateFeedback.preprocessors = [DropWidgetViews, *_defaults(GenerateFeedback, "preprocessors")]


def bplib_mathjax_js(name):
    """The text of MathJax's combined file ``name``, safe inside a <script> element."""
    text = (MATHJAX / name).read_text(encoding="utf-8")
    return text.replace("</script", "<\\/script")


c.HTMLExporter.template_name = "bplib_feedback"
c.HTMLExporter.extra_template_basedirs = [str(HERE / "templates"), str(NBGRADER_TEMPLATES)]
c.HTMLExporter.filters = {"bplib_mathjax_js": bplib_mathjax_js}
