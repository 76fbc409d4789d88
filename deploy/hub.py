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
import stat
import subprocess
import sys
import sysconfig
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
# what students must not read in users mode: the instructor notebooks and the reference solutions
PRIVATE = (ROOT / "notebooks", ROOT / "exercises")
BIN = Path(sys.executable).parent
sys.path.insert(0, str(DEPLOY))
import course  # noqa: E402


class NotReadable(RuntimeError):
    """BPLIB_HUB_SPAWN=users, but the students' servers could not reach what they run."""


def student_server_paths():
    """What a student's server opens when it runs as the student's own user: [(path, what)].

    The interpreter (also its real file, when the virtualenv links to it), its shared library
    and standard library, the virtualenv (scripts, site-packages, pyvenv.cfg, JupyterLab's
    assets), bplib's source (an editable install: the repository) and deploy/ (PYTHONPATH). The
    students' files (<state>/student) are not here: the hub, as root, copies them into the
    student's home and hands them over (chown).
    """
    prefix = Path(sys.prefix)
    paths = [
        (BIN / "jupyterhub-singleuser", "the server's command"),
        (Path(sys.executable), "the Python interpreter"),
        (Path(os.path.realpath(sys.executable)), "the Python interpreter"),
        (prefix / "pyvenv.cfg", "the virtualenv"),
        (Path(sysconfig.get_path("stdlib")), "the standard library"),
        (Path(sysconfig.get_path("stdlib")) / "lib-dynload", "the standard library"),
        (Path(sysconfig.get_path("purelib")), "the virtualenv's site-packages"),
        (Path(sysconfig.get_path("platlib")), "the virtualenv's site-packages"),
        (prefix / "share" / "jupyter", "JupyterLab's assets"),
        (DEPLOY, "deploy/ (PYTHONPATH: bplib_nodelay)"),
    ]
    if sysconfig.get_config_var("Py_ENABLE_SHARED"):
        libdir = sysconfig.get_config_var("LIBDIR") or ""
        soname = sysconfig.get_config_var("INSTSONAME") or ""
        paths.append((Path(libdir) / soname, "the Python shared library"))
    try:
        import importlib.util

        spec = importlib.util.find_spec("bplib")
        for where in (spec and spec.submodule_search_locations) or []:
            paths.append((Path(where), "bplib (the checks import it)"))
    except ImportError:
        pass
    return paths


def _blocked(path):
    """Why another user cannot reach ``path``: (the directory or file in the way, its mode), or
    None. Each directory above it needs o+x, a directory itself o+rx, a file o+r (o+rx when it is
    executable for its owner). Only the bits for others count: students are in no shared group."""
    path = Path(os.path.abspath(path))
    try:
        st = path.stat()
    except FileNotFoundError:
        return None  # not there: not ours to report (e.g. no share/jupyter)
    for parent in reversed(path.parents):
        mode = parent.stat().st_mode
        if not mode & stat.S_IXOTH:
            return parent, mode
    need = stat.S_IROTH
    if stat.S_ISDIR(st.st_mode) or st.st_mode & stat.S_IXUSR:
        need |= stat.S_IXOTH
    if st.st_mode & need != need:
        return path, st.st_mode
    return None


def not_readable_by_others(paths):
    """{directory or file in the way: [what it hides, ...]} for the (path, what) pairs, each
    followed also through its symbolic links (an empty dict: every user reaches them all)."""
    out = {}
    for path, what in paths:
        for p in dict.fromkeys([Path(os.path.abspath(path)), Path(os.path.realpath(path))]):
            hit = _blocked(p)
            if hit:
                where, mode = hit
                key = (where, stat.filemode(mode))
                entry = f"{what}: {p}"
                if entry not in out.setdefault(key, []):
                    out[key].append(entry)
    return out


def users_mode_problem(paths=None):
    """The message that stops the hub in BPLIB_HUB_SPAWN=users when the students' servers,
    running as the students, could not reach what they run; None when they can."""
    blocked = not_readable_by_others(student_server_paths() if paths is None else paths)
    if not blocked:
        return None
    lines = [
        "BPLIB_HUB_SPAWN=users: each student's JupyterLab runs as the student's own system "
        "user, and other users cannot reach what it runs:"
    ]
    for (where, mode), whats in blocked.items():
        lines.append(f"  {where} ({mode}) is in the way of")
        lines += [f"    {w}" for w in whats]
    lines += [
        "Every student's server would fail to start. Install the course where all users can "
        "read it: the repository, its virtualenv and the Python the virtualenv was made from, "
        "e.g. under /opt (not in a home or a `mktemp -d` folder; `chmod o+rx` each folder "
        "above), or run the hub with --spawn shared (BPLIB_HUB_SPAWN=shared: every server runs "
        "as you, with no isolation between students)."
    ]
    return "\n".join(lines)


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
        # as jupyterhub_config.py decides it: the argument, the environment, root or not
        self.spawn = self.env.get("BPLIB_HUB_SPAWN") or ("users" if os.geteuid() == 0 else "shared")
        self.proc = None
        self._seen = set()
        self._restore_modes = {}  # path: mode before start() made it private (users mode)

    @property
    def url(self):
        return f"http://{self.ip}:{self.port}"

    def start(self, timeout=120):
        if self.spawn == "users":
            problem = users_mode_problem()
            if problem:
                raise NotReadable(problem)
        self.state.mkdir(parents=True, exist_ok=True)
        self.state.chmod(0o700)  # the database, the cookie secret, the password hashes
        student = self.state / "student"
        if not student.exists():
            course.write_student_files(student)
        if self.spawn == "users":
            # students are system users: the instructor notebooks and the reference solutions
            # are root's while the hub runs (jupyterhub_config.py does it too); stop() gives
            # the folders their modes back
            for private in PRIVATE:
                if private.is_dir():
                    self._restore_modes.setdefault(private, stat.S_IMODE(private.stat().st_mode))
                    private.chmod(0o700)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop)
        try:
            self.proc = subprocess.Popen(
                [str(BIN / "jupyterhub"), "-f", str(DEPLOY / "jupyterhub_config.py")],
                cwd=self.state,
                env=self.env,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C in a terminal reaches us, and we stop it by PID
            )
        except OSError:
            self._log.close()
            self._restore()
            raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                returncode = self.proc.returncode
                self.stop()
                raise RuntimeError(f"jupyterhub exited ({returncode}); see {self.log_path}")
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
            self._restore()
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
        self._restore()

    def _restore(self):
        """The modes start() changed (notebooks/, users mode), back as they were."""
        while self._restore_modes:
            path, mode = self._restore_modes.popitem()
            if path.exists():
                path.chmod(mode)

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
    try:
        hub.start()
    except NotReadable as e:
        print(e, file=sys.stderr)
        return 1
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
