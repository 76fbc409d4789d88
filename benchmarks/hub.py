#!/usr/bin/env python
"""A class on the hub: N simulated students against a real JupyterHub on this machine.

    python benchmarks/hub.py                    # N = 1, 5, 10, 20, 30; prints the table
    python benchmarks/hub.py --students 1,5 --slider-seconds 24
    python benchmarks/run.py --sections hub     # the same, into benchmarks/RESULTS.md

Each student does what a browser does, over the hub's REST API and the kernel websocket:

1. logs in (the hub's login form; the dummy authenticator, as in the tests);
2. spawns a server (POST /hub/api/users/<name>/server, then waits until it is ready);
3. opens notebook 08 (GET the notebook from the contents API, POST a session: a kernel);
4. runs it to the end (one execute_request per code cell, sent at once, as Run All does);
5. when every student has finished step 4, moves its explorers' sliders at a human pace:
   bursts of 4 slider events 250 ms apart (a short drag), one burst every 8 s, so one event
   every two seconds per student on average, with the students' bursts at random phases. An
   event is the ``update`` comm message JupyterLab sends for the slider's model; like
   ipywidgets in the browser, a student has at most one update in flight per slider, and a
   move made meanwhile is sent when the kernel is idle again (coalesced, not dropped).

Measured: spawn time; Run All time; the slider round trip, from the student's move to the
kernel's new picture of the explorer (the Image model's update), p50, p95 and max over every
event of every student; RSS per student (their JupyterLab server plus kernel); CPU of the
machine and per student; and every failure: a login or spawn that failed, a cell that errored,
a kernel lost, an event whose picture never came back (dropped). A failure is counted and
reported, never skipped. The hub runs with BPLIB_HUB_SPAWN=shared (one user on this machine).
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import importlib.util
import json
import os
import platform
import random
import re
import secrets
import statistics
import struct
import sys
import time
import urllib.parse
import uuid
from datetime import datetime
from pathlib import Path

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

# the live-retraining explorer's budget per event, as in benchmarks/explorers.py
RETRAINING_GOAL_MS = 150.0

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _deploy_hub():
    """deploy/hub.py (a module named ``hub`` like this one, so loaded by path)."""
    if "bplib_deploy_hub" not in sys.modules:
        spec = importlib.util.spec_from_file_location(
            "bplib_deploy_hub", ROOT / "deploy" / "hub.py"
        )
        module = importlib.util.module_from_spec(spec)
        sys.modules["bplib_deploy_hub"] = module
        spec.loader.exec_module(module)
    return sys.modules["bplib_deploy_hub"]


Hub = _deploy_hub().Hub

NOTEBOOK = "bplib-course/08_training.ipynb"
BURST, BURST_GAP, BURST_EVERY = 4, 0.25, 8.0  # 4 events 250 ms apart every 8 s: 1 per 2 s
EVENT_TIMEOUT = 60.0
SLIDERS = {"FloatSliderModel", "IntSliderModel", "FloatLogSliderModel"}


def _percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def _decode(message):
    """A kernel message from the websocket: JSON text, or jupyter_server's binary framing."""
    if isinstance(message, str):
        return json.loads(message)
    n = struct.unpack("!I", message[:4])[0]
    offsets = struct.unpack("!" + "I" * n, message[4 : 4 + 4 * n])
    end = offsets[1] if n > 1 else len(message)
    return json.loads(message[offsets[0] : end].decode())


class Student:
    def __init__(self, hub, name, password, rng):
        self.hub, self.name, self.password, self.rng = hub, name, password, rng
        self.http = AsyncHTTPClient(force_instance=True)
        self.cookies = {}
        self.failures = []
        self.times = {}
        self.latencies = []
        self.redraw_latencies = []  # the explorers that only redraw
        self.retraining_latencies = []  # the live-retraining explorer (its own budget)
        self.coalesced = 0
        self.redrawn = 0
        self.events = 0
        self.models = {}  # comm_id -> widget state
        self.waiting = {}  # msg_id -> future (execute_reply / idle)
        self.redraw = {}  # image comm_id -> future of the pending event
        self.ws = None
        self.session = uuid.uuid4().hex
        self.kernel_lost = False
        self.pid = None
        self.kernel_ms = []  # the kernel's own cost of each slider event (Explorer.event_ms)

    # --- HTTP as a browser, with cookies; the server API with the student's token ----------
    def _cookie_header(self):
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def _keep_cookies(self, response):
        for header in response.headers.get_list("Set-Cookie"):
            name, value = header.split(";", 1)[0].split("=", 1)
            self.cookies[name.strip()] = value.strip()

    async def fetch(self, path, method="GET", body=None, token=None, form=False, **kw):
        headers = {"Cookie": self._cookie_header()} if self.cookies else {}
        if token:
            headers["Authorization"] = f"token {token}"
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            body = urllib.parse.urlencode(body)
        elif body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        req = HTTPRequest(
            self.hub.url + path,
            method=method,
            body=body,
            headers=headers,
            follow_redirects=False,
            request_timeout=kw.get("timeout", 300),
            connect_timeout=120,  # a browser waits minutes for a busy hub; tornado's default: 20 s
            allow_nonstandard_methods=True,
        )
        response = await self.http.fetch(req, raise_error=False)
        self._keep_cookies(response)
        if response.code >= 400 or response.code == 599:
            raise RuntimeError(f"{method} {path}: HTTP {response.code} {response.body[:200]!r}")
        return response

    async def login(self):
        t = time.perf_counter()
        page = await self.fetch("/hub/login")
        xsrf = re.search(rb'name="_xsrf" value="([^"]+)"', page.body)
        form = {"username": self.name, "password": self.password}
        if xsrf:
            form["_xsrf"] = xsrf.group(1).decode()
        r = await self.fetch("/hub/login", "POST", form, form=True)
        if r.code != 302 or not any(k.startswith("jupyterhub-session") for k in self.cookies):
            raise RuntimeError(f"login of {self.name}: HTTP {r.code}, no session cookie")
        self.times["login"] = time.perf_counter() - t
        # the token a browser's JupyterLab gets from the hub (via OAuth); here from the API
        _, token = self.hub.api("POST", f"/users/{self.name}/tokens", {"note": "benchmark"})
        self.token = token["token"]

    async def spawn(self, timeout):
        t = time.perf_counter()
        await self.fetch(f"/hub/api/users/{self.name}/server", "POST", {}, token=self.token)
        while time.perf_counter() - t < timeout:
            r = await self.fetch(f"/hub/api/users/{self.name}", token=self.token)
            server = json.loads(r.body)["servers"].get("", {})
            if server.get("ready"):
                self.times["spawn"] = time.perf_counter() - t
                return
            await asyncio.sleep(0.5)
        raise TimeoutError(f"spawn of {self.name}: not ready after {timeout} s")

    # --- the notebook and its kernel ----------------------------------------------------------
    async def open_notebook(self):
        base = f"/user/{self.name}/api"
        r = await self.fetch(f"{base}/contents/{NOTEBOOK}?content=1", token=self.token)
        self.nb = json.loads(r.body)["content"]
        r = await self.fetch(
            f"{base}/sessions",
            "POST",
            {"path": NOTEBOOK, "type": "notebook", "name": "", "kernel": {"name": "python3"}},
            token=self.token,
        )
        kernel = json.loads(r.body)["kernel"]["id"]
        url = self.hub.url.replace("http", "ws", 1)
        req = HTTPRequest(
            f"{url}{base}/kernels/{kernel}/channels?session_id={self.session}",
            headers={"Authorization": f"token {self.token}"},
            connect_timeout=120,  # as the other requests: tornado's default 20 s timed out
            request_timeout=120,  # while 20-30 servers started on a busy machine
        )
        self.ws = await websocket_connect(req, max_message_size=64 * 2**20)
        # as a browser does: no Nagle delay on the socket (else each small message waits for
        # the peer's delayed ACK, about 40 ms on Linux)
        self.ws.stream.set_nodelay(True)
        self.reader = asyncio.ensure_future(self._read())

    def _msg(self, msg_type, content, channel="shell"):
        msg_id = uuid.uuid4().hex
        return msg_id, {
            "header": {
                "msg_id": msg_id,
                "username": self.name,
                "session": self.session,
                "msg_type": msg_type,
                "version": "5.3",
                "date": datetime.now().isoformat(),
            },
            "parent_header": {},
            "metadata": {},
            "content": content,
            "channel": channel,
            "buffers": [],
        }

    async def _read(self):
        while True:
            raw = await self.ws.read_message()
            if raw is None:  # the websocket closed: the kernel (or the server) is gone
                self.kernel_lost = self.kernel_lost or not getattr(self, "closing", False)
                for fut in [*self.waiting.values(), *self.redraw.values()]:
                    if not fut.done():
                        fut.set_exception(ConnectionError("websocket closed"))
                return
            msg = _decode(raw)
            kind, parent = msg["header"]["msg_type"], msg["parent_header"].get("msg_id")
            content = msg["content"]
            if kind == "status" and content["execution_state"] in ("dead", "restarting"):
                self.kernel_lost = True
            elif kind == "error":
                self.failures.append(f"cell error: {content['ename']}: {content['evalue'][:80]}")
            elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.models[content["comm_id"]] = content["data"]["state"]
            elif kind == "comm_msg":
                data = content["data"]
                if data.get("method") in ("update", "echo_update"):
                    state = data.get("state", {})
                    self.models.setdefault(content["comm_id"], {}).update(state)
                    # the explorer's new picture: the Image model's value, as a binary buffer
                    paths = [p[0] for p in data.get("buffer_paths", []) if p]
                    fut = self.redraw.get(content["comm_id"])
                    if (
                        fut is not None
                        and not fut.done()
                        and ("value" in paths or "value" in state)
                    ):
                        fut.set_result(time.perf_counter())
            if kind == "execute_reply" and parent in self.waiting:
                self.waiting.pop(parent).set_result(content)
            if kind == "status" and content["execution_state"] == "idle":
                fut = self.waiting.pop(("idle", parent), None)
                if fut is not None and not fut.done():
                    fut.set_result(time.perf_counter())

    async def run_all(self, timeout):
        loop = asyncio.get_running_loop()
        code = [c for c in self.nb["cells"] if c["cell_type"] == "code"]
        replies = []
        t = time.perf_counter()
        for cell in code:
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            msg_id, msg = self._msg(
                "execute_request",
                {
                    "code": source,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            )
            self.waiting[msg_id] = fut = loop.create_future()
            replies.append(fut)
            await self.ws.write_message(json.dumps(msg))
        done = await asyncio.wait_for(asyncio.gather(*replies), timeout)
        self.times["run_all"] = time.perf_counter() - t
        self.cells = len(code)
        bad = [r for r in done if r.get("status") != "ok"]
        if bad:
            self.failures.append(f"Run All: {len(bad)} of {len(code)} cells not ok")

    # --- the explorers' sliders -----------------------------------------------------------------
    def explorers(self):
        """[(image comm id, [slider comm ids], retrains)] of every explorer the kernel has shown;
        ``retrains``: the explorer trains a network on each event (08's live training, which has
        a learning-rate control ``bplib-control-eta``)."""
        out = []
        for box in self.models.values():
            if "bplib-explorer" not in box.get("_dom_classes", []):
                continue
            ids = [c.removeprefix("IPY_MODEL_") for c in box.get("children", [])]
            image = [
                i for i in ids if "bplib-plot" in self.models.get(i, {}).get("_dom_classes", [])
            ]
            controls = []
            retrains = any(
                "bplib-control-eta" in self.models.get(k, {}).get("_dom_classes", [])
                for i in ids
                for k in [
                    i,
                    *(
                        j.removeprefix("IPY_MODEL_")
                        for j in self.models.get(i, {}).get("children", [])
                    ),
                ]
            )
            for i in ids:
                for j in self.models.get(i, {}).get("children", []):
                    j = j.removeprefix("IPY_MODEL_")
                    if self.models.get(j, {}).get("_model_name") in SLIDERS:
                        controls.append(j)
            if image and controls:
                out.append((image[0], controls, retrains))
        return out

    def _next_value(self, slider):
        s = self.models[slider]
        lo, hi, step, now = s["min"], s["max"], s.get("step") or 1, s["value"]
        if s["_model_name"] == "FloatLogSliderModel":
            return now  # not expected in 08
        n = max(1, round((hi - lo) / step))
        k = round((now - lo) / step)
        k = k + 1 if k < n and (k == 0 or self.rng.random() < 0.5) else k - 1
        v = lo + k * step
        return int(round(v)) if s["_model_name"] == "IntSliderModel" else round(v, 10)

    async def _event(self, image, slider, value, moved_at, retrains=False):
        loop = asyncio.get_running_loop()
        self.redraw[image] = fut = loop.create_future()
        msg_id, msg = self._msg(
            "comm_msg",
            {
                "comm_id": slider,
                "data": {"method": "update", "state": {"value": value}, "buffer_paths": []},
            },
        )
        self.models[slider]["value"] = value
        self.waiting[("idle", msg_id)] = idle = loop.create_future()
        await self.ws.write_message(json.dumps(msg))
        try:
            # the kernel is idle again once it has handled the update and sent the new picture
            done = await asyncio.wait_for(idle, EVENT_TIMEOUT)
            ms = 1000 * ((fut.result() if fut.done() else done) - moved_at)
            self.latencies.append(ms)
            (self.retraining_latencies if retrains else self.redraw_latencies).append(ms)
            self.redrawn += fut.done()  # an unchanged picture is not sent again
        except (asyncio.TimeoutError, ConnectionError) as e:
            self.failures.append(
                f"slider event dropped ({type(e).__name__}): the kernel never answered"
            )
        finally:
            self.redraw.pop(image, None)

    async def move_sliders(self, seconds):
        explorers = self.explorers()
        if not explorers:
            self.failures.append("no explorer with sliders found in notebook 08")
            return
        await asyncio.sleep(self.rng.uniform(0, BURST_EVERY))  # the students' random phases
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            burst_start = time.perf_counter()
            image, sliders, retrains = self.rng.choice(explorers)
            slider = self.rng.choice(sliders)
            inflight, pending = None, None
            for k in range(BURST):
                tick = burst_start + k * BURST_GAP
                await asyncio.sleep(max(0.0, tick - time.perf_counter()))
                value = self._next_value(slider)
                self.events += 1
                if inflight is not None and not inflight.done():
                    if pending is not None:
                        self.coalesced += 1
                    pending = (value, time.perf_counter())
                    self.models[slider]["value"] = value
                    continue
                inflight = asyncio.ensure_future(
                    self._event(image, slider, value, time.perf_counter(), retrains)
                )
            if inflight is not None:
                await inflight
            if pending is not None:
                await self._event(image, slider, *pending, retrains)
            await asyncio.sleep(max(0.0, burst_start + BURST_EVERY - time.perf_counter()))

    async def kernel_costs(self):
        """Read the kernel's own cost of each slider event: ``Explorer.event_ms`` of every
        explorer, without its first draw (made by Run All); no output, nothing stored."""
        loop = asyncio.get_running_loop()
        expr = (
            "__import__('json').dumps([ms for e in __import__('bplib.widgets').widgets"
            ".Explorer.instances for ms in e.event_ms[1:]])"
        )
        msg_id, msg = self._msg(
            "execute_request",
            {
                "code": "",
                "silent": True,
                "store_history": False,
                "user_expressions": {"ms": expr},
                "allow_stdin": False,
                "stop_on_error": False,
            },
        )
        self.waiting[msg_id] = fut = loop.create_future()
        await self.ws.write_message(json.dumps(msg))
        reply = await asyncio.wait_for(fut, EVENT_TIMEOUT)
        self.kernel_ms = json.loads(
            ast.literal_eval(reply["user_expressions"]["ms"]["data"]["text/plain"])
        )

    async def close(self):
        self.closing = True
        if self.ws is not None:
            self.ws.close()
        self.http.close()


def _servers(hub):
    """{user: [server pid, kernel pids...]} of the hub's single-user servers."""
    out = {}
    for pid in hub.pids():
        try:
            p = psutil.Process(pid)
            if "jupyterhub-singleuser" not in " ".join(p.cmdline()):
                continue
            user = p.environ().get("JUPYTERHUB_USER")
            out[user] = [p] + p.children(recursive=True)
        except psutil.Error:
            pass
    return out


def _rss_mb(procs):
    total = 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def _cpu_s(procs):
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


async def simulate(hub, n, password, slider_seconds, spawn_timeout, seed=0):
    """Run ``n`` students against ``hub``; return a dict of figures and failures."""
    rng = random.Random(seed)
    names = [f"student{n:02d}x{i:02d}" for i in range(n)]
    students = [Student(hub, name, password, random.Random(rng.random())) for name in names]
    phases = {}
    t0 = time.perf_counter()

    async def first_half(s):
        try:
            await s.login()
            await s.spawn(spawn_timeout)
            await s.open_notebook()
            await s.run_all(timeout=spawn_timeout + 600)
        except Exception as e:  # reported below, never skipped
            s.failures.append(f"{type(e).__name__}: {str(e)[:160]}")
            s.broken = True

    await asyncio.gather(*(first_half(s) for s in students))
    phases["setup"] = time.perf_counter() - t0
    servers = _servers(hub)
    rss_after_run = {u: _rss_mb(p) for u, p in servers.items()}
    cpu_before = {u: _cpu_s(p) for u, p in servers.items()}
    psutil.cpu_percent(None)
    me = psutil.Process()
    me_cpu = me.cpu_times()
    t1 = time.perf_counter()
    ok = [s for s in students if not getattr(s, "broken", False)]
    rss_peak = dict(rss_after_run)

    async def sample():
        while True:
            await asyncio.sleep(2)
            for u, p in _servers(hub).items():
                rss_peak[u] = max(rss_peak.get(u, 0), _rss_mb(p))

    sampler = asyncio.ensure_future(sample())

    async def second_half(s):
        try:
            await s.move_sliders(slider_seconds)
        except Exception as e:
            s.failures.append(f"{type(e).__name__}: {str(e)[:160]}")

    await asyncio.gather(*(second_half(s) for s in ok))
    sampler.cancel()
    wall = time.perf_counter() - t1
    machine_cpu = psutil.cpu_percent(None)
    servers = _servers(hub)
    cpu_during = {u: _cpu_s(p) - cpu_before.get(u, 0) for u, p in servers.items()}
    me_after = me.cpu_times()
    driver_cpu = (me_after.user + me_after.system - me_cpu.user - me_cpu.system) / wall
    for s in ok:  # not a failure of the class if this fails: the column then has fewer events
        try:
            await s.kernel_costs()
        except Exception:
            pass
    for s in students:
        if s.kernel_lost:
            s.failures.append("kernel lost")
        await s.close()
    lat = [x for s in students for x in s.latencies]
    return {
        "n": n,
        "spawn": [s.times["spawn"] for s in students if "spawn" in s.times],
        "login": [s.times["login"] for s in students if "login" in s.times],
        "run_all": [s.times["run_all"] for s in students if "run_all" in s.times],
        "latency_ms": lat,
        "redraw_ms": [x for s in students for x in s.redraw_latencies],
        "retraining_ms": [x for s in students for x in s.retraining_latencies],
        "kernel_ms": [x for s in students for x in s.kernel_ms],
        "events": sum(s.events for s in students),
        "sent": len(lat),
        "coalesced": sum(s.coalesced for s in students),
        "redrawn": sum(s.redrawn for s in students),
        "rss_mb": [rss_peak.get(name, 0) for name in names],
        "cpu_per_student": [cpu_during.get(name, 0) / wall for name in names],
        "machine_cpu_pct": machine_cpu,
        "driver_cpu": driver_cpu,
        "slider_wall": wall,
        "failures": {s.name: s.failures for s in students if s.failures},
        "completed_run_all": sum("run_all" in s.times for s in students),
    }


def run_class(ns, state, slider_seconds=48.0, spawn_timeout=600, log=print):
    """One hub for every N in ``ns`` (all servers stopped between runs); a list of results."""
    password = secrets.token_hex(8)
    results = []
    with Hub(
        state, auth="dummy", password=password, spawn="shared", start_timeout=spawn_timeout
    ) as hub:
        for n in ns:
            load = os.getloadavg()
            t = time.perf_counter()
            r = asyncio.run(simulate(hub, n, password, slider_seconds, spawn_timeout))
            r["load_before"], r["load_after"] = load, os.getloadavg()
            r["seconds"] = time.perf_counter() - t
            results.append(r)
            log(summary_line(r))
            for name in [f"student{n:02d}x{i:02d}" for i in range(n)]:  # stop them all
                try:
                    hub.api("DELETE", f"/users/{name}/server", timeout=120)
                except Exception:
                    pass
            _wait_stopped(hub, timeout=120)
    return results


def _wait_stopped(hub, timeout):
    t = time.perf_counter()
    while _servers(hub) and time.perf_counter() - t < timeout:
        time.sleep(1)


def _fmt_s(values):
    if not values:
        return "-"
    return f"{statistics.median(values):.1f} s (max {max(values):.1f})"


def summary_line(r):
    lat = r["latency_ms"]
    return (
        f"N={r['n']}: spawn {_fmt_s(r['spawn'])}, Run All {_fmt_s(r['run_all'])}, "
        f"slider p50 {_percentile(lat, 50):.0f} ms p95 {_percentile(lat, 95):.0f} ms "
        f"max {max(lat, default=float('nan')):.0f} ms over {len(lat)} events, "
        f"kernel p50 {_percentile(r['kernel_ms'], 50):.0f} ms p95 {_percentile(r['kernel_ms'], 95):.0f} ms, "
        f"RSS {statistics.mean(r['rss_mb'] or [0]):.0f} MB/student, CPU {r['machine_cpu_pct']:.0f}%, "
        f"failures {sum(len(f) for f in r['failures'].values())}"
    )


def table(results):
    head = (
        "| students | spawn (median, max) | Run All of 08 (median, max) | slider p50 | slider p95 "
        "| slider max | p95 without retraining | p95 of live retraining "
        "| kernel per event (p50, p95) | events sent (coalesced) "
        "| RSS / student (mean, max) | CPU / student | machine CPU | failures |"
        "\n|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    rows = [head]
    for r in results:
        lat = r["latency_ms"]
        fails = sum(len(f) for f in r["failures"].values())
        n_ok = r["completed_run_all"]
        missing = "" if n_ok == r["n"] else f" ({r['n'] - n_ok} Run All not completed)"
        rows.append(
            f"| {r['n']} | {_fmt_s(r['spawn'])} | {_fmt_s(r['run_all'])} "
            f"| {_percentile(lat, 50):.0f} ms | {_percentile(lat, 95):.0f} ms "
            f"| {max(lat, default=float('nan')):.0f} ms "
            f"| {_percentile(r['redraw_ms'], 95):.0f} ms | {_percentile(r['retraining_ms'], 95):.0f} ms "
            f"| {_percentile(r['kernel_ms'], 50):.0f} ms, {_percentile(r['kernel_ms'], 95):.0f} ms "
            f"| {r['sent']} ({r['coalesced']}) "
            f"| {statistics.mean(r['rss_mb'] or [0]):.0f} MB, {max(r['rss_mb'] or [0]):.0f} MB "
            f"| {100 * statistics.mean(r['cpu_per_student'] or [0]):.0f}% of a core "
            f"| {r['machine_cpu_pct']:.0f}% of 2 cores "
            f"| {fails}{missing} |"
        )
    return "\n".join(rows)


def failures_text(results):
    lines = []
    for r in results:
        for name, fails in r["failures"].items():
            counts = {}
            for f in fails:
                counts[f] = counts.get(f, 0) + 1
            for f, k in counts.items():
                lines.append(f"- N={r['n']}, {name}: {f}" + (f" (x{k})" if k > 1 else ""))
    return (
        "\n".join(lines)
        or "- none: every login, spawn and Run All completed, no cell errored, no kernel was lost, every slider event was answered."
    )


def per_core(results, goal_ms=100):
    """The largest N with no failure and every slider round trip's p95 under ``goal_ms``."""
    ok = [
        r["n"] for r in results if not r["failures"] and _percentile(r["latency_ms"], 95) < goal_ms
    ]
    return max(ok, default=0)


def per_core_with_budgets(results, goal_ms=100, retraining_goal_ms=RETRAINING_GOAL_MS):
    """The same with the course's own budgets: p95 < ``goal_ms`` for the explorers that redraw,
    and < ``retraining_goal_ms`` for the live-retraining explorer, which trains a network on
    every event (benchmarks/explorers.py gives it the same larger budget)."""
    ok = [
        r["n"]
        for r in results
        if not r["failures"]
        and _percentile(r["redraw_ms"], 95) < goal_ms
        and _percentile(r["retraining_ms"], 95) < retraining_goal_ms
    ]
    return max(ok, default=0)


def body(results):
    """The section's text without its heading: method, table, students per core, failures."""
    cores = psutil.cpu_count()
    mem = psutil.virtual_memory().total / 2**30
    best = per_core(results)
    budgets = per_core_with_budgets(results)
    loads = ", ".join(
        f"N={r['n']}: {r['load_before'][0]:.2f} -> {r['load_after'][0]:.2f}" for r in results
    )
    driver = 100 * max(r["driver_cpu"] for r in results)
    return f"""- the hub: JupyterHub with configurable-http-proxy, BPLIB_HUB_SPAWN=shared (one JupyterLab
  server per student, as this machine's one user), the dummy authenticator, one BLAS thread per
  kernel; {cores} cores, {mem:.0f} GiB
- 1-minute load average before -> after each N: {loads}

Each student logs in, spawns a server, opens notebook 08 and runs it to the end (Run All); all
students start together, as at the start of a lecture. Once every student has finished, each
moves the sliders of 08's explorers for {results[0]["slider_wall"]:.0f} s: bursts of {BURST} events
{int(BURST_GAP * 1000)} ms apart every {BURST_EVERY:.0f} s (one event every two seconds on average;
random phases). The round trip runs from the move to the kernel's new picture on the student's
websocket (to the kernel's idle if the picture did not change); a move made while the slider's
previous update is in flight is sent when that one returns (coalesced, as ipywidgets does). The
kernel's own cost of the same events (`Explorer.event_ms`: update, PNG, readout; read from each
kernel at the end) separates the explorers' cost from the waiting and the path. RSS
is the student's JupyterLab server plus kernel (peak of 2 s samples); CPU is per student
(server + kernel) and of the whole machine during the slider phase; the driver itself used
about {driver:.0f}% of a core.

{table(results)}

**Students per core keeping the slider p95 under 100 ms, with no failure: {best / cores:g}**
({best} students on {cores} cores: the largest N measured that meets it).

**With the course's own budgets (p95 under 100 ms for the explorers that redraw, under
{RETRAINING_GOAL_MS:.0f} ms for the one that retrains a network on every event), with no failure:
{budgets / cores:g} per core** ({budgets} students on {cores} cores).

Failures:

{failures_text(results)}
"""


def markdown(results, command, took):
    return (
        "## 5. A class on the hub: N students on one machine\n\n"
        f"Run {datetime.now():%Y-%m-%d %H:%M} (`{command}`, this section took {took:.0f} s) on "
        f"{platform.machine()}, Python {platform.python_version()}:\n\n" + body(results)
    )


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--students", default="1,5,10,20,30")
    p.add_argument("--slider-seconds", type=float, default=48.0)
    p.add_argument("--state", type=Path, default=ROOT / "build" / "hub-bench")
    p.add_argument("--out", type=Path, help="write the markdown section here")
    args = p.parse_args(argv)
    ns = [int(x) for x in args.students.split(",")]
    t = time.perf_counter()
    results = run_class(ns, args.state, args.slider_seconds)
    text = markdown(
        results,
        "python benchmarks/hub.py " + " ".join(argv or sys.argv[1:]),
        time.perf_counter() - t,
    )
    print(text)
    if args.out:
        args.out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
