#!/usr/bin/env python
"""Start JupyterHub for a class on this machine, and stop everything it started, by PID.

    make hub                                         # = python deploy/hub.py
    python deploy/hub.py --roster students.txt       # one user name a line
    python deploy/hub.py --port 8000 --state build/hub --teacher teacher

It writes the students' copy of the course (deploy/course.py) into <state>/student, then runs
``jupyterhub -f deploy/jupyterhub_config.py`` in <state>; JupyterHub starts the proxy
(configurable-http-proxy), the idle culler and one JupyterLab per student. Ctrl-C (or SIGTERM)
stops the hub, which stops the servers and the proxy; then any process the hub had started and
that is still running is stopped by its PID. Everything listens on 127.0.0.1 unless --ip says
otherwise: see deploy/README.md ("For teachers") for HTTPS and real accounts.

The tests and the benchmark use :class:`Hub` (``with Hub(...) as hub:``) the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(DEPLOY))
import course  # noqa: E402


def free_port(ip="127.0.0.1"):
    with socket.socket() as s:
        s.bind((ip, 0))
        return s.getsockname()[1]


class Hub:
    """A running JupyterHub: ``url``, ``api(method, path, body)``, ``pids()``, ``stop()``."""

    def __init__(
        self,
        state,
        *,
        ip="127.0.0.1",
        port=None,
        spawn=None,
        auth="firstuse",
        password=None,
        roster=None,
        teacher="teacher",
        start_timeout=120,
        cull_timeout=3600,
        log=None,
    ):
        self.state = Path(state).resolve()
        self.ip, self.port = ip, port or free_port(ip)
        self.teacher = teacher
        self.token = secrets.token_hex(32)
        self.password = password
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("JUPYTER")},
            "BPLIB_HUB_STATE": str(self.state),
            "BPLIB_HUB_IP": ip,
            "BPLIB_HUB_PORT": str(self.port),
            "BPLIB_HUB_API_PORT": str(free_port()),
            "BPLIB_HUB_PROXY_API_PORT": str(free_port()),
            "BPLIB_HUB_TEACHER": teacher,
            "BPLIB_HUB_AUTH": auth,
            "BPLIB_HUB_START_TIMEOUT": str(start_timeout),
            "BPLIB_HUB_CULL_TIMEOUT": str(cull_timeout),
            "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(32),
            "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        }
        if spawn:
            self.env["BPLIB_HUB_SPAWN"] = spawn
        if roster:
            self.env["BPLIB_HUB_ROSTER"] = str(Path(roster).resolve())
        if auth == "dummy":  # tests and benchmarks only
            self.env.update(
                BPLIB_HUB_TESTING="1",
                BPLIB_HUB_PASSWORD=password,
                BPLIB_HUB_DRIVER_TOKEN=self.token,
            )
        self.log_path = Path(log) if log else self.state / "jupyterhub.log"
        self.proc = None
        self._seen = set()

    @property
    def url(self):
        return f"http://{self.ip}:{self.port}"

    def start(self, timeout=120):
        self.state.mkdir(parents=True, exist_ok=True)
        self.state.chmod(0o700)  # the database, the cookie secret, the password hashes
        student = self.state / "student"
        if not student.exists():
            course.write_student_files(student)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [str(BIN / "jupyterhub"), "-f", str(DEPLOY / "jupyterhub_config.py")],
            cwd=self.state,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C in a terminal reaches us, and we stop it by PID
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"jupyterhub exited ({self.proc.returncode}); see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/hub/api/", timeout=2):
                    self.pids()
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.3)
        self.stop()
        raise TimeoutError(f"jupyterhub did not answer in {timeout} s; see {self.log_path}")

    def api(self, method, path, body=None, timeout=30):
        """The hub's REST API with the driver's token (``auth="dummy"`` only)."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.url}/hub/api{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=timeout) as r:
            text = r.read()
            return r.status, (json.loads(text) if text else None)

    def pids(self):
        """The hub and every process it has started (proxy, culler, servers, kernels)."""
        if self.proc is None:
            return set()
        try:
            hub = psutil.Process(self.proc.pid)
            now = {hub.pid} | {p.pid for p in hub.children(recursive=True)}
        except psutil.NoSuchProcess:
            now = set()
        self._seen |= now
        return now

    def stop(self, timeout=60):
        """SIGTERM to the hub (it stops servers and proxy), then to anything left, by PID."""
        if self.proc is None:
            return
        self.pids()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        left = []
        for pid in self._seen - {self.proc.pid}:
            try:
                left.append(psutil.Process(pid))
            except psutil.NoSuchProcess:
                pass
        for p in left:
            p.terminate()
        _, alive = psutil.wait_procs(left, timeout=10)
        for p in alive:
            p.kill()
        psutil.wait_procs(alive, timeout=10)
        self._log.close()
        self.proc = None

    def alive(self):
        """PIDs this hub started that are still running (empty after stop())."""
        out = set()
        for pid in self._seen:
            try:
                if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                    out.add(pid)
            except psutil.NoSuchProcess:
                pass
        return out

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--state", type=Path, default=ROOT / "build" / "hub")
    p.add_argument("--ip", default="127.0.0.1", help="default: loopback only")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--roster", type=Path, help="a file of user names, one a line")
    p.add_argument("--teacher", default="teacher", help="the admin user, who has the formgrader")
    p.add_argument(
        "--spawn",
        choices=("users", "shared"),
        help="users: one system user per student (default as root); shared: every server as "
        "this user, homes in <state>/homes (no isolation: trials only)",
    )
    p.add_argument("--cull-timeout", type=int, default=3600, help="seconds idle before culling")
    args = p.parse_args(argv)
    hub = Hub(
        args.state,
        ip=args.ip,
        port=args.port,
        spawn=args.spawn,
        roster=args.roster,
        teacher=args.teacher,
        cull_timeout=args.cull_timeout,
    )
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    hub.start()
    print(f"JupyterHub for the class: {hub.url}  (log: {hub.log_path}; Ctrl-C stops it)")
    print(f"teacher: log in as {args.teacher!r} (first login sets the password); formgrader at")
    print(f"  {hub.url}/user/{args.teacher}/formgrader ; add students on {hub.url}/hub/admin")
    try:
        while not stop and hub.proc.poll() is None:
            hub.pids()
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        hub.stop()
        left = hub.alive()
        print(
            "stopped" + (f"; still running: {sorted(left)}" if left else ": nothing left running")
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
