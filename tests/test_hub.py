"""The class hub, smoke-tested: a real JupyterHub (deploy/hub.py), two students and the teacher.

Two simulated students (benchmarks/hub.py, as in `make bench` but for a few seconds) log in,
spawn their own JupyterLab, open notebook 08, run it to the end and move its sliders: nothing may
fail. Their homes hold the student versions (no solution); the teacher's server has the
formgrader with the course's assignments, a student's has none; everything listens on loopback;
the idle culler runs; and when the hub is stopped, no process it started is left. A smoke test,
not a timing: the figures are `make bench`'s.
"""

from __future__ import annotations

import asyncio
import importlib.util
import inspect
import json
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
PROXY = ROOT / "deploy" / "node_modules" / ".bin" / "configurable-http-proxy"

needs_the_hub = [
    pytest.mark.slow,
    pytest.mark.skipif(not PROXY.exists(), reason="run `make env` (npm ci --prefix deploy)"),
]


def _load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


bench = _load("bplib_bench_hub", ROOT / "benchmarks" / "hub.py")
deploy_hub = sys.modules["bplib_deploy_hub"]  # deploy/hub.py, loaded by benchmarks/hub.py


def _show_config(env, cwd):
    """`jupyterhub -f deploy/jupyterhub_config.py --show-config` in this environment."""
    jupyterhub = Path(sys.executable).parent / "jupyterhub"
    config = ROOT / "deploy" / "jupyterhub_config.py"
    return subprocess.run(
        [str(jupyterhub), "-f", str(config), "--show-config"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _wait_ready(hub, name, timeout=300):
    t = time.monotonic()
    while time.monotonic() - t < timeout:
        _, user = hub.api("GET", f"/users/{name}")
        if user["servers"].get("", {}).get("ready"):
            return
        time.sleep(0.5)
    raise TimeoutError(f"{name}'s server not ready in {timeout} s")


def _solution_bodies():
    """Each notebook's reference solutions: their bodies (between the nbgrader markers, stripped)."""
    from bplib.exercises import EXERCISES

    bodies = {}
    for ex in EXERCISES.values():
        source = inspect.getsource(ex.solution) if ex.solution is not None else ""
        if "### BEGIN SOLUTION" in source:
            body = source.split("### BEGIN SOLUTION", 1)[1].split("### END SOLUTION", 1)[0]
            lines = [line.strip() for line in body.splitlines() if line.strip()]
            bodies.setdefault(ex.notebook, []).append(lines)
    assert sum(map(len, bodies.values())) > 20  # the scan has something to find
    return bodies


def _shows_a_solution(path):
    """The first of the notebook's reference solutions whose body stands in its cells."""
    lines = [
        line.strip()
        for cell in nbformat.read(path, as_version=4).cells
        for line in cell.source.splitlines()
        if line.strip()
    ]
    for body in _solution_bodies().get(path.name[:2], []):
        n = len(body)
        if any(lines[i : i + n] == body for i in range(len(lines) - n + 1)):
            return body
    return None


def _get(url, token):
    req = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


@needs_the_hub[0]
@needs_the_hub[1]
def test_two_students_and_a_teacher_on_the_hub(tmp_path):
    password = secrets.token_hex(8)
    hub = deploy_hub.Hub(
        tmp_path / "hub", auth="dummy", password=password, spawn="shared", start_timeout=300
    )
    with hub:
        # 1. two students: login, spawn, open 07, Run All, sliders
        result = asyncio.run(bench.simulate(hub, 2, password, slider_seconds=6, spawn_timeout=300))
        assert result["failures"] == {}, result["failures"]
        assert result["completed_run_all"] == 2
        assert result["sent"] >= 2 and result["redrawn"] >= 1

        # 2. their homes: the student versions, copied on spawn, no solution in them
        for name in ("student02x00", "student02x01"):
            course = tmp_path / "hub" / "homes" / name / "bplib-course"
            assert (course / "08_training.ipynb").exists()
            for nb in course.glob("*.ipynb"):
                text = nb.read_text()
                for secret in ("Solution to exercise", "BEGIN SOLUTION"):
                    assert secret not in text, f"{name}/{nb.name} shows {secret!r}"
                assert _shows_a_solution(nb) is None, f"{name}/{nb.name} shows a solution"

        # 3. the teacher: the formgrader, with one assignment per notebook with exercises
        # (the teacher is an admin user: the hub has created the account)
        hub.api("POST", "/users/teacher/server")
        _wait_ready(hub, "teacher")
        _, token = hub.api("POST", "/users/teacher/tokens", {"note": "test"})
        status, body = _get(f"{hub.url}/user/teacher/formgrader/api/assignments", token["token"])
        assert status == 200, body[:300]
        names = {a["name"] for a in json.loads(body)}
        assert {"02_cost", "08_training", "09_gradient_checking"} <= names
        # ... and a student (whose server still runs) has no formgrader
        _, token = hub.api("POST", "/users/student02x00/tokens", {"note": "test"})
        status, _ = _get(f"{hub.url}/user/student02x00/formgrader", token["token"])
        assert status == 404

        # 4. loopback only, and the idle culler is running
        pids = hub.pids()
        listening = set()
        for pid in pids:
            try:
                for conn in psutil.Process(pid).net_connections("inet"):
                    if conn.status == psutil.CONN_LISTEN:
                        listening.add(conn.laddr.ip)
            except psutil.NoSuchProcess:
                pass
        assert listening == {"127.0.0.1"}, listening
        cmdlines = [" ".join(psutil.Process(p).cmdline()) for p in pids if psutil.pid_exists(p)]
        assert any("jupyterhub_idle_culler" in c for c in cmdlines)
        assert any("configurable-http-proxy" in c for c in cmdlines)
        assert sum("jupyterhub-singleuser" in c for c in cmdlines) == 3  # 2 students, 1 teacher
        # every server loaded the no-Nagle extension of the kernel websockets
        assert hub.log_path.read_text().count("bplib_nodelay: kernel websockets") == 3
        started = hub.pids()
    assert len(started) >= 7  # hub, proxy, culler, 3 servers, kernels
    assert hub.alive() == set(), f"still running after stop: {hub.alive()}"


@needs_the_hub[0]
def test_class_config_uses_first_use_accounts_and_refuses_the_dummy(tmp_path):
    """Without the test switch the hub's config has real accounts, and no dummy authenticator."""
    env = {**os.environ, "BPLIB_HUB_STATE": str(tmp_path), "BPLIB_HUB_SPAWN": "shared"}
    env.pop("BPLIB_HUB_TESTING", None)
    shown = _show_config(env, tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "FirstUseAuthenticator" in shown.stdout
    assert "127.0.0.1" in shown.stdout and "0.0.0.0" not in shown.stdout
    dummy = _show_config({**env, "BPLIB_HUB_AUTH": "dummy"}, tmp_path)
    assert dummy.returncode != 0 and "tests only" in dummy.stdout + dummy.stderr


# --- the plan for 300: the Zero to JupyterHub values file and the image ----------------------
VALUES = ROOT / "deploy" / "z2jh" / "values.yaml"
DOCKERFILE = ROOT / "deploy" / "image" / "Dockerfile"


def _quantity(text):
    """A Kubernetes quantity (0.2, "500m", "512M", "1.5G", "2Gi") as a number."""
    import re

    m = re.fullmatch(r"([\d.]+)\s*(m|k|M|G|Ki|Mi|Gi)?", str(text))
    assert m, f"not a quantity: {text!r}"
    scale = {None: 1, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9}
    scale |= {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    return float(m.group(1)) * scale[m.group(2)]


def _run_lines(dockerfile):
    """The shell commands of the Dockerfile's RUN steps, continuation lines joined, split at &&."""
    text = dockerfile.read_text().replace("\\\n", " ")
    commands = []
    for line in text.splitlines():
        if line.startswith("RUN "):
            commands += [" ".join(c.split()) for c in line[4:].split("&&")]
    return commands


def test_values_file_parses_and_sets_the_class_resources():
    import yaml

    values = yaml.safe_load(VALUES.read_text())
    single = values["singleuser"]
    cpu, mem = single["cpu"], single["memory"]
    assert 0 < _quantity(cpu["guarantee"]) <= _quantity(cpu["limit"]) <= 2
    assert 256e6 <= _quantity(mem["guarantee"]) <= _quantity(mem["limit"]) <= 4e9
    assert single["extraEnv"]["OMP_NUM_THREADS"] == "1"
    assert "bplib-course" in single["defaultUrl"]
    assert "/srv/bplib/student" in " ".join(
        single["lifecycleHooks"]["postStart"]["exec"]["command"]
    )
    assert values["cull"]["enabled"] and values["cull"]["timeout"] > 0
    assert values["proxy"]["https"]["enabled"]
    assert (
        values["prePuller"]["hook"]["enabled"] and values["scheduling"]["userScheduler"]["enabled"]
    )
    hub_config = values["hub"]["config"]
    assert hub_config["JupyterHub"]["active_server_limit"] >= 300
    assert "FirstUseAuthenticator" in values["hub"]["extraConfig"]["bplib-authenticator"]
    assert "Dummy" not in VALUES.read_text()


def test_image_installs_what_make_env_installs():
    """The image runs `make env`'s install steps: pip with constraints.txt and the dev extra
    (so every package of pyproject.toml, at the version constraints.txt pins) and npm ci in the
    same folders; the students' files come from deploy/course.py; no instructor notebook."""
    import re
    import tomllib

    makefile = (ROOT / "Makefile").read_text()
    make_pip = re.search(r"pip install (--quiet )?-c constraints\.txt -e \"\.\[(\w+)\]\"", makefile)
    make_npm = set(re.findall(r"npm ci --prefix (\S+)", makefile))
    image = _run_lines(DOCKERFILE)
    pips = [c for c in image if " pip install " in c and "constraints.txt" in c]
    assert len(pips) == 1, image
    assert f'-e ".[{make_pip.group(2)}]"' in pips[0] and "-c constraints.txt" in pips[0]
    assert set(re.findall(r"npm ci --prefix (\S+)", " ".join(image))) == make_npm
    assert any("deploy/course.py student /srv/bplib/student" in c for c in image)
    assert any(c.startswith("rm -rf notebooks exercises") for c in image)
    text = DOCKERFILE.read_text()
    assert re.search(r"COPY \. /srv/bplib", text)
    # the dev extra is every other extra, and constraints.txt pins every package it lists
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert make_pip.group(2) == "dev" and "hub" in extras["dev"][0]
    names = {
        re.split(r"[<>=!~\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-")
        for r in project["dependencies"] + [r for e in extras.values() for r in e]
    } - {"bplib"}
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }
    assert names <= pinned, names - pinned
    # the Python of the image is the one environment.yml names
    env_python = re.search(r"python=(\d+\.\d+)", (ROOT / "environment.yml").read_text()).group(1)
    assert re.search(rf"^FROM python:{re.escape(env_python)}\b", text, re.M)


# --- BPLIB_HUB_SPAWN=users: one system user per student ---------------------------------------
@pytest.fixture
def open_tmp():
    """A fresh folder that every user may enter (tmp_path is in root's 0700 pytest-of-root)."""
    import shutil
    import tempfile

    path = Path(tempfile.mkdtemp(prefix="bplib-hub-"))  # 0700, like `mktemp -d` on CI
    if deploy_hub.not_readable_by_others([(path.parent, "the temp folder")]):
        shutil.rmtree(path)
        pytest.skip(f"{path.parent} is not open to other users")
    try:
        yield path
    finally:
        shutil.rmtree(path)


def _fake_course(base):
    """What a student's server needs, laid out as in a repository with its virtualenv."""
    python = base / "course" / ".venv" / "bin" / "python"
    site = base / "course" / ".venv" / "lib" / "python3.11" / "site-packages"
    deploy = base / "course" / "deploy"
    for d in (python.parent, site, deploy):
        d.mkdir(parents=True)
    python.write_text("#!/bin/sh\n")
    python.chmod(0o755)
    return [(python, "the Python interpreter"), (site, "site-packages"), (deploy, "deploy/")]


def test_users_mode_check_names_the_folder_in_the_way(open_tmp):
    """The course in a `mktemp -d` folder (0700, as on CI): the message names that folder, its
    mode, what it hides, and what to do; open it and the check passes."""
    paths = _fake_course(open_tmp)
    for folder in open_tmp.rglob("*"):
        if folder.is_dir():
            folder.chmod(0o755)
    problem = deploy_hub.users_mode_problem(paths)
    assert problem is not None
    assert f"  {open_tmp} (drwx------) is in the way of" in problem
    assert f"the Python interpreter: {paths[0][0]}" in problem
    assert f"site-packages: {paths[1][0]}" in problem
    assert "under /opt" in problem and "--spawn shared" in problem
    assert "BPLIB_HUB_SPAWN=shared" in problem
    assert problem.count(" is in the way of") == 1  # one folder, named once

    open_tmp.chmod(0o755)
    assert deploy_hub.users_mode_problem(paths) is None


def test_users_mode_check_sees_files_folders_and_links(open_tmp):
    paths = _fake_course(open_tmp)
    open_tmp.chmod(0o755)
    python, site, deploy = (p for p, _ in paths)
    python.chmod(0o700)  # an interpreter only its owner may run
    site.chmod(0o751)  # others may enter but not list: imports fail
    problem = deploy_hub.users_mode_problem(paths)
    assert f"  {python} (-rwx------) is in the way of" in problem
    assert f"  {site} (drwxr-x--x) is in the way of" in problem
    assert str(deploy) not in problem
    python.chmod(0o755)
    site.chmod(0o755)
    assert deploy_hub.users_mode_problem(paths) is None

    # a link in an open folder to an interpreter in a closed one (a virtualenv made from a
    # Python in /root, say): the closed folder is named
    hidden = open_tmp / "home" / "python3"
    hidden.parent.mkdir(mode=0o700)
    hidden.write_text("#!/bin/sh\n")
    hidden.chmod(0o755)
    python.unlink()
    python.symlink_to(hidden)
    problem = deploy_hub.users_mode_problem(paths)
    assert f"  {hidden.parent} (drwx------) is in the way of" in problem
    assert f"the Python interpreter: {hidden}" in problem


def test_users_mode_check_covers_what_a_server_runs():
    """The paths checked: the interpreter (and its real file), the standard library,
    site-packages, bplib and deploy/; not the hub's state (0700 on purpose: the hub copies the
    students' files as root)."""
    import sysconfig

    paths = [p for p, _ in deploy_hub.student_server_paths()]
    bin_ = Path(sys.executable).parent
    assert bin_ / "jupyterhub-singleuser" in paths
    assert Path(os.path.realpath(sys.executable)) in paths
    assert Path(sysconfig.get_path("stdlib")) in paths
    assert Path(sysconfig.get_path("purelib")) in paths
    assert ROOT / "deploy" in paths and ROOT / "bplib" in paths
    assert not any("build/hub" in str(p) for p in paths)


def test_users_mode_hub_stops_before_starting_anything(tmp_path, monkeypatch):
    """Hub.start in users mode runs the check first: nothing is written, started or chmodded."""
    monkeypatch.setattr(deploy_hub, "users_mode_problem", lambda: "the folder in the way")
    modes = {p: p.stat().st_mode for p in deploy_hub.PRIVATE}
    hub = deploy_hub.Hub(tmp_path / "hub", spawn="users")
    with pytest.raises(deploy_hub.NotReadable, match="the folder in the way"):
        hub.start()
    assert not (tmp_path / "hub").exists() and hub.proc is None
    assert {p: p.stat().st_mode for p in deploy_hub.PRIVATE} == modes
    assert deploy_hub.Hub(tmp_path / "hub", spawn="shared").spawn == "shared"


@needs_the_hub[0]
@pytest.mark.skipif(os.geteuid() != 0, reason="BPLIB_HUB_SPAWN=users needs root")
def test_users_mode_config_refuses_a_course_students_cannot_read(tmp_path):
    """The same check in jupyterhub_config.py (`jupyterhub -f` by hand, without hub.py)."""
    problem = deploy_hub.users_mode_problem()
    modes = {p: p.stat().st_mode for p in deploy_hub.PRIVATE}
    env = {**os.environ, "BPLIB_HUB_STATE": str(tmp_path), "BPLIB_HUB_SPAWN": "users"}
    try:
        shown = _show_config(env, tmp_path)
    finally:
        for path, mode in modes.items():
            path.chmod(mode)  # loading the config in users mode makes them 0700
    if problem is None:
        assert shown.returncode == 0, shown.stderr
        assert "LocalProcessSpawner" in shown.stdout or "localprocess" in shown.stdout
    else:
        assert shown.returncode != 0
        assert problem in shown.stdout + shown.stderr


def _user_processes(uid):
    out = []
    for p in psutil.process_iter(["uids"]):
        try:
            if p.info["uids"] and p.info["uids"].real == uid:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


@needs_the_hub[0]
@needs_the_hub[1]
@pytest.mark.skipif(os.geteuid() != 0, reason="BPLIB_HUB_SPAWN=users creates system users: root")
def test_users_mode_a_student_is_a_system_user(tmp_path):
    """One student in BPLIB_HUB_SPAWN=users: created as a system user on first spawn, a server
    running as that uid, a 0700 home of theirs with the student version of the course in it,
    no access to the instructor notebooks or the hub's state; after stop, nothing left running,
    notebooks/ as it was. The user is deleted whatever happens."""
    import pwd
    import random
    import shutil
    import stat

    problem = deploy_hub.users_mode_problem()
    if problem:
        pytest.skip(
            "the students' servers, as other users, could not reach the course here (on CI the "
            "repository is in a 0700 `mktemp -d` folder; a Python installed in /root does the "
            "same): " + " ".join(problem.splitlines()[1:3])
        )
    if not shutil.which("useradd") or not shutil.which("userdel"):
        pytest.skip("no useradd/userdel")
    name = "bpt" + secrets.token_hex(4)
    assert re.fullmatch(r"^[a-z][a-z0-9_-]{0,30}$", name)  # the hub's username_pattern
    with pytest.raises(KeyError):
        pwd.getpwnam(name)
    notebooks = ROOT / "notebooks"
    modes = {p: stat.S_IMODE(p.stat().st_mode) for p in deploy_hub.PRIVATE}
    password = secrets.token_hex(8)
    hub = deploy_hub.Hub(
        tmp_path / "hub", auth="dummy", password=password, spawn="users", start_timeout=60
    )
    try:
        with hub:
            assert {stat.S_IMODE(p.stat().st_mode) for p in deploy_hub.PRIVATE} == {0o700}
            student = bench.Student(hub, name, password, random.Random(0))

            async def login_and_spawn():
                try:
                    await student.login()
                    await student.spawn(timeout=60)
                    r = await student.fetch(
                        f"/user/{name}/api/contents/bplib-course", token=student.token
                    )
                    return json.loads(r.body)
                finally:
                    await student.close()

            listing = asyncio.run(login_and_spawn())
            # the server, as the student, lists the course in the student's home
            assert "02_cost.ipynb" in {item["name"] for item in listing["content"]}

            # the system user, and the server running as it
            entry = pwd.getpwnam(name)
            assert entry.pw_uid >= 1000
            servers = [
                psutil.Process(p)
                for p in hub.pids()
                if psutil.pid_exists(p)
                and any("jupyterhub-singleuser" in a for a in psutil.Process(p).cmdline())
            ]
            assert len(servers) == 1, servers
            assert servers[0].uids().real == servers[0].uids().effective == entry.pw_uid

            # the home: 0700, the student's; the course: the student version, the student's
            home = Path(entry.pw_dir)
            st = home.stat()
            assert (stat.S_IMODE(st.st_mode), st.st_uid) == (0o700, entry.pw_uid)
            course = home / "bplib-course"
            assert (course / "02_cost.ipynb").exists()
            for path in [course, *course.rglob("*")]:
                assert path.lstat().st_uid == entry.pw_uid, f"{path} is not {name}'s"
                assert path.lstat().st_gid == entry.pw_gid, f"{path} is not {name}'s group's"
            for nb in course.glob("*.ipynb"):
                text = nb.read_text()
                for secret in ("Solution to exercise", "BEGIN SOLUTION"):
                    assert secret not in text, f"{nb.name} shows {secret!r}"

            # the student reads neither the instructor notebooks, the reference solutions nor
            # the hub's state
            for secret in (
                notebooks / "02_cost.ipynb",
                ROOT / "exercises" / "reference" / "nb05_output_error.py",
                hub.state / "jupyterhub_cookie_secret",
            ):
                assert secret.exists()
                read = subprocess.run(
                    ["su", "-s", "/bin/sh", name, "-c", f"cat {secret}"],
                    capture_output=True,
                    text=True,
                    timeout=30,
                )
                assert read.returncode != 0 and "Permission denied" in read.stderr, secret
            assert len(hub.pids()) >= 4  # hub, proxy, culler, the server
        assert hub.alive() == set(), f"still running after stop: {hub.alive()}"
        assert _user_processes(entry.pw_uid) == []
        # given back on stop
        assert {p: stat.S_IMODE(p.stat().st_mode) for p in deploy_hub.PRIVATE} == modes
    finally:
        hub.stop()
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            uid = None
        if uid is not None:
            left = _user_processes(uid)
            for p in left:
                p.kill()
            psutil.wait_procs(left, timeout=10)
            subprocess.run(["userdel", "--remove", name], capture_output=True, timeout=60)
        for path, mode in modes.items():
            path.chmod(mode)
    with pytest.raises(KeyError):
        pwd.getpwnam(name)
