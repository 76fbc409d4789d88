"""The browser suite's shared pieces: paths, JupyterLab and Voila servers (loopback only,
stopped by PID), kernel clean-up and the latency record."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # .venv/bin: jupyter and voila of the same environment
NOTEBOOKS = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks"))
ARTIFACTS = ROOT / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

# Latencies (ms) from a slider event to the plot's new image, per notebook (or "voila: x"),
# and each notebook test's wall time; conftest prints and saves them at the end.
LATENCY: dict[str, dict[str, list[float]]] = {}
TIMES: dict[str, float] = {}


def record_latency(key, kind, ms):
    LATENCY.setdefault(key, {}).setdefault(kind, []).append(ms)


# JupyterLab settings for the test user: every cell in the DOM (no virtual scrolling),
# no news or update checks (no network here), no "build recommended" prompts.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    token: str
    root: Path
    log: Path

    def stop(self):
        """Stop the server by its PID (SIGTERM lets it shut its kernels down), then make sure."""
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)

    def log_tail(self, n=40):
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def _env(home):
    env = dict(os.environ)
    for name, sub in [
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_DATA_DIR", "data"),
        ("IPYTHONDIR", "ipython"),
        ("MPLCONFIGDIR", "mpl"),
    ]:
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / sub)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYTHONHASHSEED"] = "0"
    return env


def _wait(server, path, timeout):
    deadline = time.monotonic() + timeout
    url = f"{server.url}{path}"
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"server exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"server did not answer {url} within {timeout} s:\n{server.log_tail()}")


def copy_notebooks(src, dest):
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


# JupyterLab's dark theme, for the contrast checks (tests/browser/test_contrast.py)
DARK_THEME = {
    "@jupyterlab/apputils-extension/themes.jupyterlab-settings": {"theme": "JupyterLab Dark"}
}


def start_lab(notebooks: Path, home: Path, timeout=90, settings=None) -> Server:
    """JupyterLab on a free loopback port with a random token, its own config/runtime/data
    dirs and workspaces, serving a copy of ``notebooks`` (the repository is not touched).
    ``settings`` adds user settings (e.g. ``DARK_THEME``) to ``LAB_SETTINGS``."""
    root = copy_notebooks(notebooks, home / "root")
    env = _env(home)
    user_settings = {**LAB_SETTINGS, **(settings or {})}
    settings = Path(env["JUPYTER_CONFIG_DIR"]) / "lab" / "user-settings"
    for rel, value in user_settings.items():
        (settings / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings / rel).write_text(json.dumps(value))
    (home / "workspaces").mkdir(exist_ok=True)
    token, port = secrets.token_hex(16), free_port()
    log = home / "lab.log"
    cmd = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--LabServerApp.workspaces_dir={home / 'workspaces'}",
        f"--LabServerApp.user_settings_dir={settings}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--ServerApp.open_browser=False",
        # as `make lab` runs it: no Nagle delay on the kernel websocket (deploy/bplib_nodelay.py)
        "--ServerApp.jpserver_extensions",
        "bplib_nodelay=True",
    ]
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT / "deploy"), env.get("PYTHONPATH")]))
    proc = subprocess.Popen(
        cmd,
        cwd=root,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    server = Server(proc, f"http://127.0.0.1:{port}", token, root, log)
    _wait(server, f"/api/status?token={token}", timeout)
    return server


VOILA_DENY = ["nbdime-jupyterlab", "@jupyter/nbgrader", "@jupyter-notebook/lab-extension"]


def start_voila(notebook: Path, home: Path, timeout=90) -> Server:
    """Voila serving one notebook (from a copy of its folder) on a free loopback port."""
    root = copy_notebooks(notebook.parent, home / "voila-root")
    env = _env(home)
    port = free_port()
    log = home / "voila.log"
    cmd = [
        str(BIN / "voila"),
        notebook.name,
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--show_tracebacks=True",
        # the lab extensions installed here for JupyterLab only (nbdime, nbgrader, the notebook
        # shell) fail to load in Voila's page and log errors there
        f"--VoilaConfiguration.extension_denylist={VOILA_DENY!r}",
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=root,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    server = Server(proc, f"http://127.0.0.1:{port}", "", root, log)
    _wait(server, "/voila/static/voila.js" if False else "/", timeout)
    return server


def shutdown_kernels(server):
    """Shut down every kernel of ``server`` (a closed tab leaves its kernel running)."""

    def call(method, path):
        req = urllib.request.Request(f"{server.url}{path}?token={server.token}", method=method)
        with urllib.request.urlopen(req, timeout=20) as r:
            return json.loads(r.read() or b"null")

    for kernel in call("GET", "/api/kernels") or []:
        call("DELETE", f"/api/kernels/{kernel['id']}")
