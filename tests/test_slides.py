"""tools/slides.py: slide metadata for lecture mode, and offline static slides."""

import importlib.util
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("slides", ROOT / "tools" / "slides.py")
slides = importlib.util.module_from_spec(spec)
sys.modules["slides"] = slides
spec.loader.exec_module(slides)


def _notebook():
    long_code = "\n".join(f"x{i} = {i}" for i in range(30))
    image = new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})
    return new_notebook(
        cells=[
            new_markdown_cell("< prev | contents | next >", metadata={"tags": ["nav-top"]}),
            new_markdown_cell("# 05 · A title\n\nOne paragraph."),
            new_markdown_cell("## Learning goals\n\n- one\n- two"),
            new_markdown_cell("## 1. Derivation"),
            new_markdown_cell("The first step:\n\n$$z = w a + b \\tag{1}$$"),
            new_code_cell("assert True  # checks (1)"),
            new_markdown_cell("The second step:\n\n$$a = \\sigma(z) \\tag{2}$$"),
            new_code_cell(long_code),
            new_markdown_cell("Some prose."),
            new_markdown_cell("### A smaller heading"),
            new_code_cell("explorer()", outputs=[image]),
            new_markdown_cell(
                "### Exercise 6.1: a task\n\nWrite `f(x)`.", metadata={"tags": ["exercise"]}
            ),
            new_code_cell(
                "def f(x):\n    ### BEGIN SOLUTION\n    return x\n    ### END SOLUTION",
                metadata={"tags": ["exercise"], "nbgrader": {"solution": True, "grade": False}},
            ),
            new_code_cell(
                'check("f", f)',
                metadata={"tags": ["exercise"], "nbgrader": {"solution": False, "grade": True}},
            ),
            new_markdown_cell("**Solution** ...", metadata={"tags": ["exercise", "solution"]}),
            new_markdown_cell("## Summary\n\n- done"),
            new_markdown_cell("< prev | contents | next >", metadata={"tags": ["nav-bottom"]}),
        ]
    )


def test_slide_types():
    assert slides.slide_types(_notebook()) == [
        "-",  # navigation (no slide metadata, as tools/navigation.py writes it): shown
        "-",  # title: on the slide the navigation bar opened
        "slide",  # ## heading
        "slide",  # ## heading
        "-",  # first derivation step, right under its short heading
        "fragment",  # the check of equation (1)
        "subslide",  # the next derivation step
        "subslide",  # 30 lines of code do not fit on the same slide
        "subslide",  # and that slide is full
        "subslide",  # ### heading
        "-",
        "subslide",  # an exercise statement (### heading)
        "skip",  # its solution cell: the answer is filled in, not for a lecture
        "skip",  # its check cell
        "skip",  # collapsed solution: never shown in a lecture
        "slide",  # Summary
        "-",  # navigation: at the bottom of the Summary slide
    ]


def test_navigation_cells_are_left_to_tools_navigation():
    """mark never writes on the navigation cells (tools/navigation.py rewrites them whole,
    so metadata set here would make its --check fail); nav cells marked skip by hand or by
    navigation.py are respected, and then the title opens the first slide."""
    nb = _notebook()
    slides.mark(nb)
    assert "slideshow" not in nb.cells[0].metadata and "slideshow" not in nb.cells[-1].metadata
    for i in (0, -1):
        nb.cells[i].metadata["slideshow"] = {"slide_type": "skip"}
    types = slides.slide_types(nb)
    assert types[:3] == ["skip", "slide", "slide"] and types[-1] == "skip"
    assert slides.mark(nb)  # the title changed to "slide"
    assert nb.cells[0].metadata.slideshow.slide_type == "skip"  # left as it was


def test_course_notebooks_have_current_slide_metadata():
    """tools/slides.py check on the real notebooks: run `python tools/slides.py mark` after
    changing a notebook or regenerating its outputs (slide breaks depend on output sizes)."""
    paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert paths
    assert slides.main(["check", *map(str, paths)]) == 0, (
        "stale slide metadata: run `.venv/bin/python tools/slides.py mark`"
    )


def test_mark_check_and_keep(tmp_path):
    path = tmp_path / "05_x.ipynb"
    nb = _notebook()
    nb.cells[8].metadata["tags"] = ["slide-keep"]
    nb.cells[8].metadata["slideshow"] = {"slide_type": "notes"}
    nbformat.write(nb, path)
    assert slides.main(["check", str(path)]) == 1
    assert slides.main(["mark", str(path)]) == 0
    assert slides.main(["check", str(path)]) == 0
    marked = nbformat.read(path, as_version=4)
    assert marked.cells[8].metadata.slideshow.slide_type == "notes"  # hand-set, kept
    assert all(
        "slide_type" in c.metadata.slideshow
        for c in marked.cells
        if not set(c.metadata.get("tags", [])) & {"nav-top", "nav-bottom"}
    )
    before = path.read_text()
    slides.main(["mark", str(path)])
    assert path.read_text() == before  # idempotent


@pytest.mark.slow
def test_static_slides_load_nothing_from_the_network(tmp_path):
    if (
        not (slides.vendor(install=False) / "reveal.js" / "package.json").exists()
        and shutil.which("npm") is None
    ):
        pytest.skip("needs npm once, to install reveal.js and MathJax into build/vendor")
    path = tmp_path / "05_x.ipynb"
    nb = _notebook()
    slides.mark(nb)
    nbformat.write(nb, path)
    out = slides.build([path], tmp_path / "slides")
    html = (out / "05_x.slides.html").read_text()
    assert (
        'src="_static/reveal.js/dist/reveal.js"' in html
        or "_static/reveal.js/dist/reveal.js" in html
    )
    assert (
        "&lt; prev | contents | next &gt;" not in html and "< prev | contents" not in html
    )  # nav dropped
    assert "_static/mermaid-none.mjs" not in html.replace(
        "./_static/mermaid-none.mjs", ""
    )  # "./": a module path
    assert "BEGIN SOLUTION" not in html and "Exercise 6.1" in html  # the task, not the answer
    assert not re.findall(r"""(?:src=|href=|from |@import url\()['"]?https?://""", html)
    for needed in (
        "reveal.js/dist/reveal.js",
        "reveal.js/dist/theme/white.css",
        "require.js",
        "jquery.min.js",
        "mathjax/MathJax.js",
        "mathjax/config/Safe.js",
    ):
        assert (out / "_static" / needed).exists(), needed
