#!/usr/bin/env python
"""Lecture mode: slide metadata for the notebooks, and offline reveal.js slides.

    python tools/slides.py mark [NOTEBOOK ...]    # set the slide metadata in place (default: all)
    python tools/slides.py check [NOTEBOOK ...]   # exit 1 if any notebook's slide metadata is stale
    python tools/slides.py build [NOTEBOOK ...]   # static slides: build/slides/NN_name.slides.html

Presenting live (explorers work) uses the JupyterLab slideshow extension
(jupyterlab-rise): open a notebook and press Alt+R, or the "Render as slideshow"
button. It reads the same metadata. The static build uses
``jupyter nbconvert --to slides`` with the stored outputs (explorers show their
static image); its reveal.js comes from the npm package installed into
build/reveal.js (``npm install reveal.js@5`` there), never from a CDN, so the
slides open offline.

Slide types, set in ``cell.metadata.slideshow.slide_type`` (the field RISE and
nbconvert read):

- ``slide``:    the title cell, and every markdown cell that starts with a # or ## heading;
- ``subslide``: a ### heading, a derivation step (a markdown cell with display math,
  ``$$`` or ``\\begin{...}``), or any cell that would overfill the current slide;
- ``fragment``: an equation's check cell right after it (a code cell after display math
  that fits on the slide), so the check appears on the next key press;
- ``skip``:     the generated navigation cells (tagged nav-top / nav-bottom) and the
  collapsed solutions (tagged solution), which must not be shown in a lecture;
- ``-``:        everything else: it continues the current slide.

A cell tagged ``slide-keep`` keeps whatever slide type it has (for hand tuning).
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
BUILD = ROOT / "build"
VENDOR = BUILD / "vendor"             # npm packages for the static slides (git-ignored)
PACKAGES = ["reveal.js@4.6.1", "requirejs@2.3.7", "jquery@3.7.1", "mathjax@2.7.9"]
STATIC = "_static"                    # beside the slides: build/slides/_static
CSS = ("<style>.reveal h1, .reveal h2, .reveal h3 { text-transform: none; }\n"
       ".reveal .jp-OutputArea-output img { max-height: 60vh; }</style>\n")
SKIP_TAGS = {"nav-top", "nav-bottom", "solution"}
KEEP_TAG = "slide-keep"
BUDGET = 24                           # about how many lines fit on one slide
IMAGE_LINES = 14                      # an image output counts as this many lines
_HEADING = re.compile(r"^\s*(#{1,6})\s")
_DISPLAY_MATH = re.compile(r"\$\$|\\begin\{(equation|align|aligned|gather)\*?\}|\\\[")


def _tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def _heading_level(cell):
    if cell.cell_type != "markdown":
        return None
    m = _HEADING.match(cell.source)
    return len(m.group(1)) if m else None


def _lines(cell):
    """A rough height of the cell on a slide, in lines of text."""
    n = max(1, len(cell.source.splitlines()))
    if cell.cell_type == "markdown" and _DISPLAY_MATH.search(cell.source):
        n += 2 * len(_DISPLAY_MATH.findall(cell.source))
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if any(k.startswith("image/") for k in data):
            n += IMAGE_LINES
        elif "text" in out:
            n += min(len("".join(out["text"]).splitlines()), 12)
        elif "text/plain" in data:
            n += min(len("".join(data["text/plain"]).splitlines()), 12)
    return n


def slide_types(nb):
    """The slide type of every cell (a list, in cell order)."""
    types, used, first, prev = [], 0, True, None
    for cell in nb.cells:
        if _tags(cell) & SKIP_TAGS:
            types.append("skip")
            continue
        if KEEP_TAG in _tags(cell):
            kind = cell.metadata.get("slideshow", {}).get("slide_type", "-")
            types.append(kind)
            used = _lines(cell) if kind in ("slide", "subslide") else used + _lines(cell)
            prev = cell
            continue
        level, size = _heading_level(cell), _lines(cell)
        math = cell.cell_type == "markdown" and bool(_DISPLAY_MATH.search(cell.source))
        if first or (level is not None and level <= 2):
            kind = "slide"
        elif level is not None:
            kind = "subslide"
        elif math and not (prev is not None and _heading_level(prev) and
                           len(prev.source.splitlines()) <= 2 and used + size <= BUDGET):
            kind = "subslide"                          # a derivation step (unless under its heading)
        elif used + size > BUDGET:
            kind = "subslide"                          # would overfill the slide
        elif (cell.cell_type == "code" and prev is not None and prev.cell_type == "markdown"
              and _DISPLAY_MATH.search(prev.source)):
            kind = "fragment"                          # the check of the equation above
        else:
            kind = "-"
        used = size if kind in ("slide", "subslide") else used + size
        types.append(kind)
        first, prev = False, cell
    return types


def mark(nb):
    """Set ``cell.metadata.slideshow.slide_type`` on every cell; return True if anything changed."""
    changed = False
    for cell, kind in zip(nb.cells, slide_types(nb)):
        if cell.metadata.get("slideshow", {}).get("slide_type") != kind:
            cell.metadata["slideshow"] = {"slide_type": kind}
            changed = True
    return changed


def _paths(args):
    return [Path(p) for p in args] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def vendor(install=True):
    """The npm packages the static slides need, installed into build/vendor from the registry."""
    modules = VENDOR / "node_modules"
    missing = [p for p in PACKAGES if not (modules / p.rsplit("@", 1)[0] / "package.json").exists()]
    if missing and install:
        npm = shutil.which("npm")
        if npm is None:
            sys.exit("npm is needed once to install reveal.js, require.js, jQuery and MathJax "
                     f"({', '.join(PACKAGES)}) into {VENDOR}.")
        VENDOR.mkdir(parents=True, exist_ok=True)
        subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(VENDOR),
                        *PACKAGES], check=True)
    return modules


def _copy_static(modules, static):
    """Copy what the slides load into ``static`` (no CDN: the folder works offline)."""
    mathjax = ["MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions", "jax/input/TeX", "jax/output/CommonHTML",
               "jax/element", "localization/en", "fonts/HTML-CSS/TeX/woff"]
    copies = [("reveal.js/dist", "reveal.js/dist"), ("reveal.js/plugin", "reveal.js/plugin"),
              ("requirejs/require.js", "require.js"), ("jquery/dist/jquery.min.js", "jquery.min.js")]
    copies += [(f"mathjax/{m}", f"mathjax/{m}") for m in mathjax]
    skip = shutil.ignore_patterns("*.map", "*.md")
    for src, dst in copies:
        src, dst = modules / src, static / dst
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True, ignore=skip)
        else:
            shutil.copy2(src, dst)
    # nbconvert's page may import mermaid.js (for diagrams, which these notebooks do not
    # have) from a CDN; point it at a local no-op module so no request leaves the machine.
    (static / "mermaid-none.mjs").write_text(
        "export default {initialize() {}, registerLayoutLoaders() {}, "
        "render: async () => ({svg: ''})};\n")


def build(paths, out=BUILD / "slides"):
    """Static reveal.js slides with the stored outputs, in ``out``; open them offline.

    Explorers show their stored static image (there is no kernel in static slides).
    """
    modules = vendor()
    _copy_static(modules, out / STATIC)
    for path in paths:
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "slides",
                        "--output-dir", str(out), "--log-level=WARN",
                        f"--SlidesExporter.reveal_url_prefix={STATIC}/reveal.js",
                        f"--SlidesExporter.require_js_url={STATIC}/require.js",
                        f"--SlidesExporter.jquery_url={STATIC}/jquery.min.js",
                        f"--SlidesExporter.mathjax_url={STATIC}/mathjax/MathJax.js"
                        "?config=TeX-AMS_CHTML-full,Safe",
                        "--SlidesExporter.reveal_theme=white",   # its fonts ship with reveal.js
                        "--SlidesExporter.reveal_scroll=True",
                        "--SlidesExporter.reveal_width=1400",     # 100-column code fits
                        "--SlidesExporter.reveal_height=900",
                        "--SlidesExporter.reveal_transition=none", str(path)],
                       check=True)
        html = out / (path.stem + ".slides.html")
        _localize(html)
        print(html)
    return out


def _localize(html):
    """Point the mermaid import at the local no-op (nbconvert does not let it be configured),
    and fail if the page would still load anything from the network."""
    from nbconvert.exporters.html import HTMLExporter

    text = html.read_text(encoding="utf-8")
    text = text.replace(HTMLExporter().mermaid_js_url, f"{STATIC}/mermaid-none.mjs")
    remote = re.findall(r"""(?:src=|href=|import [^'"]*from |@import url\()['"]?(https?://[^'")\s]+)""",
                        text)
    if remote:
        sys.exit(f"{html} would load from the network: {sorted(set(remote))}")
    text = text.replace("</head>", CSS + "</head>", 1)
    html.write_text(text, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["mark", "check", "build"])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--out", type=Path, default=BUILD / "slides")
    args = parser.parse_args(argv)
    paths = _paths(args.notebooks)
    if args.command == "build":
        build(paths, args.out)
        return 0
    stale = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if mark(nb):
            stale.append(path)
            if args.command == "mark":
                nbformat.write(nb, path)
    if args.command == "check" and stale:
        print("slide metadata is stale (run `python tools/slides.py mark`):",
              *map(str, stale), sep="\n  ")
        return 1
    for path in stale if args.command == "mark" else []:
        print(f"marked {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
