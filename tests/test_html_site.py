"""`make html` (tools/html_site.py): the offline static site, opened in headless Chromium.

The site is built from the stored notebooks into a temporary folder and served by Python's
http.server on a free loopback port (stopped by PID). Chromium (Debian's, as in
tests/browser) opens every page with every request to another host aborted, and checks:

- every formula typesets: MathJax (served from the site) finishes, reports no TeX error,
  and no raw ``$...$``, ``\\(...\\)`` or TeX command is left in the page's text;
- every image loads (``naturalWidth > 0``) and has alt text;
- every link to a page of the site resolves (HTTP 200, and its ``#anchor`` exists);
- every explorer shows its static picture, readout and "What to notice" caption.

Screenshots (the index, a notebook page and one explorer's static view) go to
artifacts/screenshots/html__*.png.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
spec = importlib.util.spec_from_file_location("html_site", ROOT / "tools" / "html_site.py")
html_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(html_site)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Before the page's scripts: MathJax 2 reads a pre-set window.MathJax as configuration and
# calls AuthorInit, where we listen for its error messages.
MATHJAX_HOOKS = """
window.__mj = {errors: []};
window.MathJax = {AuthorInit: function () {
  const hub = MathJax.Hub;
  hub.Register.MessageHook('TeX Jax - parse error',
    m => window.__mj.errors.push('TeX parse error: ' + m[1] + ' in ' + m[2]));
  hub.Register.MessageHook('Math Processing Error',
    m => window.__mj.errors.push('Math Processing Error: ' + (m[2] && m[2].message)));
  hub.Register.MessageHook('TeX Jax - undefined control sequence',
    m => window.__mj.errors.push('undefined: ' + m[1]));
}};
"""

TYPESET_JS = """async () => {
  const t0 = performance.now();
  while (!(window.MathJax && MathJax.isReady)) {
    if (performance.now() - t0 > 60000) return 'MathJax did not start';
    await new Promise(r => setTimeout(r, 50));
  }
  await new Promise(r => MathJax.Hub.Queue([r]));
  return 'ok';
}"""

CHECK_JS = r"""() => {
  const skip = 'script,style,pre,code,textarea,.MathJax,.MathJax_CHTML,.MathJax_Display,'
             + '.MathJax_Preview,.mjx-chtml,.jp-InputArea,.jp-InputPrompt,.jp-OutputPrompt';
  const raw = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n; (n = walker.nextNode());) {
    if (!n.parentElement || n.parentElement.closest(skip)) continue;
    const t = n.textContent;
    if (/\$[^\s$]|\$\$|\\\(|\\\[|\\begin\{|\\[A-Za-z]{2,}[{_^\s]/.test(t)) raw.push(t.trim().slice(0, 120));
  }
  // a TeX error (noErrors shows the source, merror the message), or an undefined macro,
  // which noUndefined shows as its name, backslash included
  const errors = [...document.querySelectorAll('.MathJax_Error, .noError, .mjx-merror')]
    .map(e => e.textContent.slice(0, 120))
    .concat([...document.querySelectorAll('.MathJax_CHTML, .mjx-chtml')]
      .map(e => e.textContent).filter(t => /\\[A-Za-z]/.test(t)).map(t => t.slice(0, 120)));
  const images = [...document.images].map(i => ({
      src: i.src.slice(0, 80), ok: i.complete && i.naturalWidth > 0,
      alt: i.getAttribute('alt') }));
  const links = [...document.querySelectorAll('a[href]')].map(a => a.href);
  const ids = [...document.querySelectorAll('[id], a[name]')].map(e => e.id || e.name);
  const math = document.querySelectorAll('.MathJax_CHTML, .mjx-chtml').length;
  const explorers = [...document.querySelectorAll('.bplib-static-explorer')].map(e => ({
      img: !!e.querySelector('img.bplib-static-plot'),
      readout: (e.querySelector('.bplib-static-readout') || {}).textContent || '',
      caption: (e.querySelector('.bplib-static-caption') || {}).textContent || ''}));
  return {raw, errors, images, links, ids, math, explorers};
}"""


def _free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("html")
    paths = html_site.notebook_paths(NOTEBOOKS)
    assert paths, f"no notebooks in {NOTEBOOKS}"
    try:
        pages = html_site.build(paths, out)
    except SystemExit as exc:
        pytest.fail(f"tools/html_site.py failed:\n{exc}", pytrace=False)
    return out, pages


@pytest.fixture(scope="module")
def server(site):
    """Python's http.server on a free loopback port, serving the site; stopped by PID."""
    root, _ = site
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(f"{url}/index.html", timeout=2):
                break
        except (urllib.error.URLError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail("http.server did not start", pytrace=False)
            time.sleep(0.1)
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@pytest.fixture(scope="module")
def chromium():
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's `chromium` is not on PATH (apt-get install chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=exe,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


def test_site_has_an_index_the_pages_and_local_mathjax(site):
    root, pages = site
    names = [p.stem for p in html_site.notebook_paths(NOTEBOOKS)]
    assert pages == ["index.html"] + [f"{n}.html" for n in names]
    assert (root / "mathjax" / "MathJax.js").exists()
    index = (root / "index.html").read_text(encoding="utf-8")
    for n in names:
        assert f'href="{n}.html"' in index
    for page in pages:
        text = (root / page).read_text(encoding="utf-8")
        assert ".ipynb" not in "".join(html_site.LINK.findall(text)), page
        assert not html_site.REMOTE.findall(text), page
        if page != "index.html":
            assert 'src="mathjax/MathJax.js?config=' in text, page


def test_links_between_notebooks_point_at_pages():
    page = '<a href="03_gradient_descent.ipynb#Step">x</a> <a href="./04_chain_rule.ipynb">y</a>'

    class Exp:
        require_js_url = "https://example.org/require.js"

    out = html_site.localize(page, Exp())
    assert out == '<a href="03_gradient_descent.html#Step">x</a> <a href="04_chain_rule.html">y</a>'
    assert html_site.problems("p", '<img src="data:,">') and not html_site.problems(
        "p", '<img alt="a plot" src="data:,">'
    )


def test_every_page_offline_in_chromium(site, server, chromium):
    root, pages = site
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    external = []

    def offline(route):
        external.append(route.request.url)
        route.abort()

    context.route(lambda url: urlparse(url).hostname != "127.0.0.1", offline)
    context.add_init_script(MATHJAX_HOOKS)
    problems, links, ids, explorers = [], {}, {}, 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        for name in pages:
            page = context.new_page()
            console = []
            page.on("pageerror", lambda e, console=console: console.append(f"page error: {e}"))
            page.on(
                "console",
                lambda m, console=console: (
                    console.append(f"console.error: {m.text}") if m.type == "error" else None
                ),
            )
            start = time.perf_counter()
            response = page.goto(f"{server}/{name}", wait_until="load", timeout=60_000)
            assert response is not None and response.status == 200, name
            state = page.evaluate(TYPESET_JS)
            if state != "ok":
                problems.append(f"{name}: {state}")
            found = page.evaluate(CHECK_JS)
            print(f"{name}: {found['math']} formulas, {time.perf_counter() - start:.1f} s")
            mj = page.evaluate("() => window.__mj.errors")
            problems += [f"{name}: MathJax: {e}" for e in mj]
            problems += [f"{name}: TeX error shown: {e!r}" for e in found["errors"]]
            problems += [f"{name}: raw TeX left in the text: {t!r}" for t in found["raw"]]
            problems += [
                f"{name}: image did not load: {i['src']}" for i in found["images"] if not i["ok"]
            ]
            problems += [
                f"{name}: image without alt text: {i['src']}"
                for i in found["images"]
                if not (i["alt"] or "").strip() or i["alt"].startswith("No description")
            ]
            problems += [f"{name}: {c}" for c in console]
            for e in found["explorers"]:
                explorers += 1
                if not (e["img"] and e["readout"].strip() and "What to notice" in e["caption"]):
                    problems.append(f"{name}: an explorer's static view is incomplete: {e}")
            if name != "index.html":
                source = (root / name).read_text(encoding="utf-8")
                if "$" in source and not found["math"]:
                    problems.append(f"{name}: no formula was typeset")
            links[name] = found["links"]
            ids[name] = set(found["ids"])
            if name == "index.html":
                page.screenshot(path=str(SCREENSHOTS / "html__index.png"), full_page=True)
            elif found["explorers"] and not (SCREENSHOTS / "html__explorer.png").exists():
                page.screenshot(path=str(SCREENSHOTS / f"html__{Path(name).stem}.png"))
                page.locator(".bplib-static-explorer").first.screenshot(
                    path=str(SCREENSHOTS / "html__explorer.png")
                )
            page.close()
    finally:
        context.close()
    # every link to a page of the site: HTTP 200, and its anchor exists on that page
    for name, hrefs in links.items():
        for href in hrefs:
            url, fragment = urldefrag(href)
            if urlparse(url).hostname != "127.0.0.1":
                continue  # a link to another site: not followed offline
            target = urlparse(url).path.lstrip("/") or "index.html"
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    ok = r.status == 200
            except (urllib.error.URLError, OSError):
                ok = False
            if not ok:
                problems.append(f"{name}: broken link {href}")
            elif fragment and target in ids and fragment not in ids[target]:
                problems.append(f"{name}: link to a missing anchor {href}")
    problems += [f"request to another host: {u}" for u in sorted(set(external))]
    assert not problems, "\n".join(problems)
    n_explorers = sum(
        1
        for p in html_site.notebook_paths(NOTEBOOKS)
        for line in p.read_text(encoding="utf-8").splitlines()
        if '"Explorer(' in line
    )
    assert explorers == n_explorers, f"{explorers} static explorers shown, {n_explorers} stored"
