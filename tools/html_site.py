#!/usr/bin/env python
"""An offline static HTML site of the course, for a teacher to host: ``make html``.

    python tools/html_site.py                        # every notebook -> build/html/
    python tools/html_site.py --out DIR [NOTEBOOK ...]

Each notebook is exported with nbconvert's HTML exporter (the "lab" template) from its
stored outputs, without running it: explorers show their static picture, readout and
"What to notice" caption, and every figure carries its alt text. Links between notebooks
(``NN_name.ipynb``, with or without an ``#anchor``) point at the pages (``NN_name.html``);
``index.html`` lists the notebooks. MathJax 2 (the version nbconvert's template
configures) is copied from tools/mathjax/node_modules (``make env`` installs it with
``npm ci``) into ``mathjax/`` beside the pages and loaded by a relative URL, and the
require.js tag nbconvert adds is dropped (nothing on these pages uses it; Mermaid, which
nbconvert imports only for diagrams, points at a local stand-in): the folder
works offline, from any web server or any sub-path. The build fails if a page would still
load anything from another host, or shows an image without alt text.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
OUT = ROOT / "build" / "html"
MATHJAX = ROOT / "tools" / "mathjax" / "node_modules" / "mathjax"
MATHJAX_CONFIG = "TeX-AMS_CHTML-full,Safe"
MERMAID_STUB = "mermaid-none.mjs"
LINK = re.compile(r"""(href=["'])(?:\./)?(\d\d_[A-Za-z0-9_\-]+)\.ipynb(#[^"']*)?(["'])""")
# what a browser would fetch: src=, <link href=>, CSS @import and url(); ES module imports
REMOTE = re.compile(
    r"""(?:\ssrc=|<link[^>]*\shref=|@import\s+url\(|import\s*\(\s*)["']?(https?://[^"')\s]+)"""
)

sys.path.insert(0, str(ROOT / "tools"))
from navigation import CONTENTS, INDEX, existing_descriptions, first_sentence, tags, title  # noqa: E402
from slides import MATHJAX_FILES  # noqa: E402  (the slides load the same MathJax files)


def notebook_paths(folder=NOTEBOOKS):
    return sorted(Path(folder).glob("[0-9][0-9]_*.ipynb"))


def exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(
        template_name="lab",
        mathjax_url=f"mathjax/MathJax.js?config={MATHJAX_CONFIG}",
        # imported only for Mermaid diagrams (the course has none): a local stand-in
        mermaid_js_url=f"./{MERMAID_STUB}",
        mermaid_layout_elk_js_url="",
    )


def localize(page, exp):
    """Links between notebooks point at the pages; no script from a CDN (require.js is
    not used by a static page; mermaid is imported only for diagrams, and there are none)."""
    page = LINK.sub(lambda m: f"{m[1]}{m[2]}.html{m[3] or ''}{m[4]}", page)
    page = page.replace(f'<script src="{exp.require_js_url}"></script>', "")
    return page


def problems(name, page):
    """What would make the page need the network or leave a reader without a description."""
    out = [f"{name}: loads {url}" for url in sorted(set(REMOTE.findall(page)))]
    for img in re.findall(r"<img\b[^>]*>", page):
        alt = re.search(r"""\salt=(["'])(.*?)\1""", img, re.S)
        if alt is None or not alt[2].strip() or alt[2].startswith("No description has been"):
            out.append(f"{name}: an image without alt text: {img[:120]}...")
    return out


def descriptions(paths):
    """{file name: what it teaches} from the contents table of 00_index (Markdown)."""
    index = [p for p in paths if p.name == INDEX]
    if not index:
        return {}
    nb = nbformat.read(index[0], as_version=4)
    cells = [c for c in nb.cells if c.cell_type == "markdown" and CONTENTS in tags(c)]
    return existing_descriptions(cells[0].source) if cells else {}


def inline_markdown(text):
    """One line of Markdown (maths left for MathJax) as HTML, without the paragraph."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    out = markdown2html_mistune(text).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)


def index_page(entries):
    """The site's front page: every notebook, its title and what it teaches."""
    rows = "\n".join(
        f'<li><a href="{html.escape(page)}">{inline_markdown(t)}</a>'
        + (f"<br><span>{inline_markdown(d)}</span>" if d else "")
        + "</li>"
        for page, t, d in entries
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Gradient descent and backpropagation, interactively</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 52rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; background: #fff; }}
li {{ margin: 0.8rem 0; }}
li span {{ color: #424242; }}
a {{ color: #0d47a1; }}
</style>
<script src="mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"></script>
<script type="text/x-mathjax-config">
MathJax.Hub.Config({{tex2jax: {{inlineMath: [["$", "$"], ["\\\\(", "\\\\)"]], processEscapes: true}},
                    messageStyle: "none"}});
</script>
</head>
<body>
<main>
<h1>Gradient descent and backpropagation, interactively</h1>
<p>A series of notebooks that derives backpropagation one equation at a time and checks
every equation in code. These pages show the stored outputs: every plot, and each
explorer's picture with what to notice. To move the sliders, run the notebooks in
JupyterLab.</p>
<ol start="0">
{rows}
</ol>
</main>
</body>
</html>
"""


def copy_mathjax(out, src=MATHJAX):
    if not (src / "MathJax.js").exists():
        sys.exit(
            f"MathJax is not installed in {src.parent}: run `make env` "
            "(or `npm ci --prefix tools/mathjax`)"
        )
    dest = out / "mathjax"
    skip = shutil.ignore_patterns("*.map", "*.md")
    for rel in MATHJAX_FILES:
        s, d = src / rel, dest / rel
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, ignore=skip, dirs_exist_ok=True)
        else:
            shutil.copy2(s, d)


def build(paths=None, out=OUT):
    """Write the site into ``out``; returns the page names, or exits listing what is wrong."""
    paths = [Path(p) for p in (paths or notebook_paths())]
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_mathjax(out)
    (out / MERMAID_STUB).write_text(
        "// no Mermaid diagrams in this course: nothing to draw\n"
        "export default { initialize() {}, registerLayoutLoaders() {}, "
        'async render() { return { svg: "" }; } };\n',
        encoding="utf-8",
    )
    exp = exporter()
    entries, errors = [], []
    described = descriptions(paths)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        page, _ = exp.from_notebook_node(nb, resources={"metadata": {"name": title(nb, path)}})
        page = localize(page, exp)
        errors += problems(path.name, page)
        (out / f"{path.stem}.html").write_text(page, encoding="utf-8")
        about = described.get(path.name) or first_sentence(nb)
        entries.append((f"{path.stem}.html", title(nb, path), about))
    index = index_page(entries)
    errors += problems("index.html", index)
    (out / "index.html").write_text(index, encoding="utf-8")
    if errors:
        sys.exit("\n".join(errors))
    return ["index.html"] + [e[0] for e in entries]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    pages = build(args.notebooks or None, args.out)
    print(f"{len(pages)} pages in {args.out} (open {args.out / 'index.html'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
