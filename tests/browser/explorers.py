"""Drive the explorers of a page (JupyterLab or Voila) as a student would.

An explorer (``bplib.widgets.Explorer``) is a ``.bplib-explorer`` box with sliders
(``.bplib-control-<name>``; ipywidgets 8 draws them with noUiSlider: a ``.noUi-handle``
and a ``.widget-readout``), the plot image ``img.bplib-plot`` and a readout
``.bplib-readout`` whose ``span.bplib-value[data-name=<name>]`` shows each slider's value.

For every slider: press an arrow key on its focused handle a few times, then drag the
handle with the mouse. After each move the plot's image must change (a new ``src``, and
new pixels over the moves) and the readout must show the slider's value as the slider's
own readout does. The time from the input event to the new image ``src`` is measured in
the page (``performance.now()`` in a capturing event listener and a MutationObserver).
"""

from __future__ import annotations

import re
import time

from playwright.sync_api import TimeoutError as PlaywrightTimeout

KEY_PRESSES = 3
SETTLE_MS = 15_000  # a slider event must reach a new plot within this (kernel busy, 2 cores)

PROBE_JS = """() => {
  if (window.__bp) return;
  const bp = window.__bp = {events: [], changes: [], loads: []};
  for (const type of ['keydown', 'pointerdown', 'pointermove'])
    document.addEventListener(type, e => bp.events.push({type, t: performance.now()}), true);
  new MutationObserver(muts => {
    for (const m of muts)
      if (m.target.matches && m.target.matches('img.bplib-plot'))
        bp.changes.push({t: performance.now(), src: m.target.src});
  }).observe(document.body, {attributes: true, attributeFilter: ['src'], subtree: true});
  document.addEventListener('load', e => {
    if (e.target.matches && e.target.matches('img.bplib-plot'))
      bp.loads.push({t: performance.now(), src: e.target.src});
  }, true);
}"""

HASH_JS = """async img => {
  const buf = await (await fetch(img.src)).arrayBuffer();
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
  return Array.from(d, x => x.toString(16).padStart(2, '0')).join('');
}"""

# The readout span of slider `name` shows what the slider's own readout shows
# (d3-format writes a Unicode minus, Python's format a hyphen: the same number).
READOUT_MATCH_JS = """([box, name]) => {
  const norm = s => (s || '').replace(/\\u2212/g, '-').trim();
  const slider = box.querySelector('.bplib-control-' + name + ' .widget-readout');
  const value = box.querySelector('.bplib-readout span.bplib-value[data-name="' + name + '"]');
  return !!(slider && value) && norm(slider.textContent) === norm(value.textContent);
}"""

READOUTS_JS = """([box, name]) => {
  const s = box.querySelector('.bplib-control-' + name + ' .widget-readout');
  const v = box.querySelector('.bplib-readout span.bplib-value[data-name="' + name + '"]');
  return [s ? s.textContent : null, v ? v.textContent : null];
}"""

# Latency of the first plot image after input event `since_event` (index in bp.events).
# `types`: the event is the first of types[-1] after the first of types[0] (and so on).
LATENCY_JS = """([img, sinceEvent, sinceChange, types]) => {
  const bp = window.__bp;
  let ev = null, from = sinceEvent;
  for (const type of types) {
    const k = bp.events.findIndex((e, i) => i >= from && e.type === type);
    if (k < 0) return null;
    ev = bp.events[k]; from = k + 1;
  }
  const ch = bp.changes.slice(sinceChange).find(c => c.t >= ev.t && c.src);
  if (!ch) return null;
  const ld = bp.loads.find(l => l.src === ch.src);
  return {src: ch.t - ev.t, load: ld ? ld.t - ev.t : null};
}"""


class ExplorerError(AssertionError):
    pass


def slider_names(explorer):
    names = []
    for cls in explorer.locator(".bplib-control.widget-slider").evaluate_all(
        "els => els.map(e => e.className)"
    ):
        m = re.search(r"\bbplib-control-(\w+)", cls)
        if m:
            names.append(m.group(1))
    return names


# The slider's exact value from noUiSlider (its aria-valuenow is rounded), its range
# and orientation.
STATE_JS = """t => {
  const o = t.noUiSlider.options;
  return [Number(t.noUiSlider.get(true)), o.range.min, o.range.max,
          o.orientation || 'horizontal'];
}"""


def _state(page, explorer, name):
    handle = explorer.locator(f".bplib-control-{name} .noUi-handle")
    now, lo, hi, orient = explorer.locator(f".bplib-control-{name} .noUi-target").evaluate(STATE_JS)
    return (
        handle,
        float(now),
        float(lo[0] if isinstance(lo, list) else lo),
        float(hi[0] if isinstance(hi, list) else hi),
        orient,
    )


def _img(explorer):
    return explorer.locator("img.bplib-plot").element_handle()


def _counts(page):
    return page.evaluate("() => [window.__bp.events.length, window.__bp.changes.length]")


def _wait(page, js, arg, errors, what):
    """Wait until ``js(arg)`` is true; stop at once when the kernel reports an error."""
    seen = len(errors)
    deadline = time.monotonic() + SETTLE_MS / 1000
    while True:
        try:
            page.wait_for_function(js, arg=arg, polling=20, timeout=500)
            return True
        except PlaywrightTimeout:
            pass
        if len(errors) > seen:
            raise ExplorerError(f"{what}: the kernel reported an error:\n{errors[seen]}")
        if time.monotonic() > deadline:
            return False


def _wait_new_plot_and_readout(page, explorer, name, src_before, what, errors):
    box = explorer.element_handle()
    if not _wait(
        page,
        "([img, before]) => !!img.src && img.src !== before",
        [_img(explorer), src_before],
        errors,
        what,
    ):
        raise ExplorerError(f"{what}: the plot did not update within {SETTLE_MS} ms")
    if not _wait(page, READOUT_MATCH_JS, [box, name], errors, what):
        slider, value = box.evaluate(READOUTS_JS, [name])
        raise ExplorerError(f"{what}: the readout shows {value!r}, the slider {slider!r}")


def _settled(page, explorer, ms=200):
    """Wait until no plot image has changed for ``ms`` (the kernel caught up); its src."""
    page.wait_for_function(
        """ms => { const c = window.__bp.changes;
                   return !c.length || performance.now() - c[c.length - 1].t >= ms; }""",
        arg=ms,
        polling=20,
        timeout=SETTLE_MS,
    )
    return _img(explorer).get_attribute("src")


def exercise(page, explorer, label, record, errors=()):
    """Move every slider of ``explorer`` with the keyboard and the mouse; check plot and readout.

    ``record(kind, ms)`` receives each measured latency (kind "keyboard" or "drag");
    ``errors`` is the (growing) list of kernel errors: a new one fails at once.
    Returns the names of the sliders moved.
    """
    page.evaluate(PROBE_JS)
    explorer.scroll_into_view_if_needed()
    names = slider_names(explorer)
    box = explorer.element_handle()
    for name in names:
        what = f"{label}, slider {name!r}"
        if not box.evaluate(
            "(b, n) => !!b.querySelector('.bplib-readout span.bplib-value[data-name=\"' + n + '\"]')",
            name,
        ):
            raise ExplorerError(
                f"{what}: the readout does not show this slider's value "
                "(give the slider a description)"
            )
        _settled(page, explorer)
        start_hash = _img(explorer).evaluate(HASH_JS)
        # keyboard: focus the handle, press an arrow key; one step per press
        handle, now, lo, hi, orient = _state(page, explorer, name)
        for k in range(KEY_PRESSES):
            handle, now, lo, hi, orient = _state(page, explorer, name)
            key = "ArrowRight" if now < hi else "ArrowLeft"
            src = _img(explorer).get_attribute("src")
            n_events, n_changes = _counts(page)
            handle.focus()
            page.keyboard.press(key)
            _wait_new_plot_and_readout(page, explorer, name, src, f"{what}, {key} #{k + 1}", errors)
            after = _state(page, explorer, name)[1]
            if after == now:
                raise ExplorerError(f"{what}: {key} did not move the slider (value {now})")
            lat = page.evaluate(LATENCY_JS, [_img(explorer), n_events, n_changes, ["keydown"]])
            if lat:
                record("keyboard", lat["src"])
        if _img(explorer).evaluate(HASH_JS) == start_hash:
            raise ExplorerError(
                f"{what}: {KEY_PRESSES} key presses left the plot's pixels unchanged"
            )
        # mouse: drag the handle a third of the track towards the side with more room
        handle, now, lo, hi, orient = _state(page, explorer, name)
        handle.scroll_into_view_if_needed()
        track = explorer.locator(f".bplib-control-{name} .noUi-target").bounding_box()
        hb = handle.bounding_box()
        cx, cy = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2
        sign = 1 if (hi - now) >= (now - lo) else -1
        if orient == "vertical":
            dx, dy = 0, -sign * track["height"] / 3
        else:
            dx, dy = sign * track["width"] / 3, 0
        src = _settled(page, explorer)
        before_hash = _img(explorer).evaluate(HASH_JS)
        n_events, n_changes = _counts(page)
        page.mouse.move(cx, cy)
        page.mouse.down()
        page.mouse.move(cx + dx, cy + dy, steps=8)
        page.mouse.up()
        moved = f"{what}, mouse drag"
        _wait_new_plot_and_readout(page, explorer, name, src, moved, errors)
        if _state(page, explorer, name)[1] == now:
            raise ExplorerError(f"{moved}: the drag did not move the slider (value {now})")
        _settled(page, explorer)
        if not _wait(page, READOUT_MATCH_JS, [box, name], errors, moved):
            slider, value = box.evaluate(READOUTS_JS, [name])
            raise ExplorerError(f"{moved}: the readout shows {value!r}, the slider {slider!r}")
        lat = page.evaluate(
            LATENCY_JS, [_img(explorer), n_events, n_changes, ["pointerdown", "pointermove"]]
        )
        if lat:
            record("drag", lat["src"])
        if _img(explorer).evaluate(HASH_JS) == before_hash:
            raise ExplorerError(f"{moved}: the plot's pixels did not change")
    return names
