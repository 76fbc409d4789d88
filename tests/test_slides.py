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
    return new_notebook(cells=[
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
        new_markdown_cell("**Solution** ...", metadata={"tags": ["exercise", "solution"]}),
        new_markdown_cell("## Summary\n\n- done"),
        new_markdown_cell("< prev | contents | next >", metadata={"tags": ["nav-bottom"]}),
    ])


def test_slide_types():
    assert slides.slide_types(_notebook()) == [
        "skip",       # navigation
        "slide",      # title
        "slide",      # ## heading
        "slide",      # ## heading
        "-",          # first derivation step, right under its short heading
        "fragment",   # the check of equation (1)
        "subslide",   # the next derivation step
        "subslide",   # 30 lines of code do not fit on the same slide
        "subslide",   # and that slide is full
        "subslide",   # ### heading
        "-",
        "skip",       # collapsed solution: never shown in a lecture
        "slide",      # Summary
        "skip",       # navigation
    ]


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
    assert marked.cells[8].metadata.slideshow.slide_type == "notes"   # hand-set, kept
    assert all("slide_type" in c.metadata.slideshow for c in marked.cells)
    before = path.read_text()
    slides.main(["mark", str(path)])
    assert path.read_text() == before                                  # idempotent


@pytest.mark.slow
def test_static_slides_load_nothing_from_the_network(tmp_path):
    if not (slides.vendor(install=False) / "reveal.js" / "package.json").exists() \
            and shutil.which("npm") is None:
        pytest.skip("needs npm once, to install reveal.js and MathJax into build/vendor")
    path = tmp_path / "05_x.ipynb"
    nb = _notebook()
    slides.mark(nb)
    nbformat.write(nb, path)
    out = slides.build([path], tmp_path / "slides")
    html = (out / "05_x.slides.html").read_text()
    assert 'src="_static/reveal.js/dist/reveal.js"' in html or "_static/reveal.js/dist/reveal.js" in html
    assert not re.findall(r"""(?:src=|href=|from |@import url\()['"]?https?://""", html)
    for needed in ("reveal.js/dist/reveal.js", "reveal.js/dist/theme/white.css", "require.js",
                   "jquery.min.js", "mathjax/MathJax.js", "mathjax/config/Safe.js"):
        assert (out / "_static" / needed).exists(), needed
