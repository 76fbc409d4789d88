"""JupyterHub for a class on one machine: `make hub` (deploy/hub.py) starts it with this file.

Every setting comes from the environment that deploy/hub.py sets (see its --help):

- the proxy is configurable-http-proxy from npm (deploy/node_modules), started and stopped by
  the hub; the hub, its API and the proxy's API all listen on loopback unless BPLIB_HUB_IP says
  otherwise (deploy/README.md, "For teachers": expose it behind HTTPS);
- accounts: FirstUseAuthenticator (each student sets a password at first login; only names in
  the roster, or added by the teacher on the admin page, may log in). The dummy authenticator
  (any name, one shared password) is only for the tests and the benchmark, and needs
  BPLIB_HUB_TESTING=1;
- spawner: each student's own JupyterLab (jupyterhub-singleuser from this virtualenv). With
  BPLIB_HUB_SPAWN=users (the default as root) each student is a system user (created on first
  spawn, home /home/<name>), so students cannot read each other's files or the teacher's (the
  hub stops at once, naming the folder, if the students could not reach the interpreter, the
  virtualenv, bplib or deploy/: deploy/hub.py, users_mode_problem); with
  BPLIB_HUB_SPAWN=shared every server runs as the hub's user in <state>/homes/<name> (tests,
  benchmarks, a trial on a laptop: no isolation between students);
- on first spawn a student's home gets ``bplib-course/``: the student versions of the
  notebooks, copied from <state>/student (deploy/course.py, from tools/make_student.py); a later
  spawn never overwrites it. The teacher's home gets ``course/``, an nbgrader course folder (one
  assignment per notebook with exercises, found through ~/.jupyter/nbgrader_config.py) and the formgrader at /user/<teacher>/formgrader;
- the idle culler stops a server idle for BPLIB_HUB_CULL_TIMEOUT seconds (default 3600).
"""

import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

c = get_config()  # noqa: F821 (a traitlets config file)

DEPLOY = Path(__file__).resolve().parent
sys.path.insert(0, str(DEPLOY))
import course  # noqa: E402  (deploy/course.py)

env = os.environ.get
STATE = Path(env("BPLIB_HUB_STATE", str(DEPLOY.parent / "build" / "hub"))).resolve()
IP = env("BPLIB_HUB_IP", "127.0.0.1")
PORT = int(env("BPLIB_HUB_PORT", "8000"))
TEACHER = env("BPLIB_HUB_TEACHER", "teacher")
IS_ROOT = os.geteuid() == 0
SPAWN = env("BPLIB_HUB_SPAWN", "users" if IS_ROOT else "shared")
BIN = Path(sys.executable).parent
STUDENT_FILES = STATE / "student"
SYSTEM_UID_MAX = 1000  # uids below are system accounts (Debian's and Red Hat's UID_MIN)
COURSE_DIR = "bplib-course"

# --- network: the public proxy port, the hub's API and the proxy's API ---------------------
c.JupyterHub.bind_url = f"http://{IP}:{PORT}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{env('BPLIB_HUB_API_PORT', '8081')}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env('BPLIB_HUB_PROXY_API_PORT', '8001')}"
c.ConfigurableHTTPProxy.command = [
    str(DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy")
]
c.ConfigurableHTTPProxy.should_start = True  # the hub starts the proxy and stops it
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server
c.JupyterHub.cleanup_proxy = True

# --- state: one folder ---------------------------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")

# --- accounts ------------------------------------------------------------------------------
c.Authenticator.admin_users = {TEACHER}
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,30}$"  # valid system user names
if env("BPLIB_HUB_AUTH", "firstuse") == "dummy":
    if env("BPLIB_HUB_TESTING") != "1":
        raise SystemExit("the dummy authenticator is for tests only (BPLIB_HUB_TESTING=1)")
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = env("BPLIB_HUB_PASSWORD")
    c.Authenticator.allow_all = True
else:
    c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
    c.FirstUseAuthenticator.dbm_path = str(STATE / "passwords.dbm")
    c.FirstUseAuthenticator.create_users = False  # only the roster and users the teacher adds
    c.FirstUseAuthenticator.min_password_length = 8
    roster = env("BPLIB_HUB_ROSTER")
    names = set()
    if roster:
        names = {n.strip().lower() for n in Path(roster).read_text().split() if n.strip()}
    c.Authenticator.allowed_users = names | {TEACHER}

# --- each student's own JupyterLab ----------------------------------------------------------
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = int(env("BPLIB_HUB_START_TIMEOUT", "120"))
c.Spawner.http_timeout = int(env("BPLIB_HUB_START_TIMEOUT", "120"))
c.Spawner.environment = {
    # many kernels share few cores: one BLAS thread each (no oversubscription)
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
    "PYTHONPATH": str(DEPLOY),  # bplib_nodelay, the server extension below
}
# no Nagle delay on kernel websockets (deploy/bplib_nodelay.py): about 40 ms off each round trip
SERVER_EXTENSIONS = {"bplib_nodelay": True}
if SPAWN == "shared":
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
    if IS_ROOT:
        c.Spawner.args = ["--allow-root"]
elif SPAWN == "users":
    if not IS_ROOT:
        raise SystemExit("BPLIB_HUB_SPAWN=users creates a system user per student: run as root")
    # each server runs as its student: they must reach the interpreter, the virtualenv, bplib
    # and deploy/, or every spawn fails with an obscure error (deploy/hub.py says which folder)
    from hub import users_mode_problem  # deploy/hub.py

    problem = users_mode_problem()
    if problem:
        raise SystemExit(problem)
    c.JupyterHub.spawner_class = "localprocess"
    c.Spawner.notebook_dir = "~"
    # students are system users on this machine: they must not read the instructor notebooks,
    # the reference solutions (exercises/) or the hub's state (cookie secret, password hashes).
    # deploy/hub.py gives notebooks/ and exercises/ their modes back when it stops the hub;
    # `jupyterhub -f` by hand leaves them 0700.
    for private in (DEPLOY.parent / "notebooks", DEPLOY.parent / "exercises", STATE):
        if private.exists():
            os.chmod(private, 0o700)
else:
    raise SystemExit(f"BPLIB_HUB_SPAWN={SPAWN!r}: choose users or shared")


def _home(spawner):
    """The user's home, creating the system user on first spawn (BPLIB_HUB_SPAWN=users)."""
    if SPAWN == "shared":
        return Path(spawner.home_dir), None
    name = spawner.user.name
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True)
        entry = pwd.getpwnam(name)
        os.chmod(entry.pw_dir, 0o700)  # no student reads another's home, or the teacher's
    if entry.pw_uid < SYSTEM_UID_MAX:
        # a hub user named root, daemon, www-data...: never a server as a system account
        raise RuntimeError(
            f"{name!r} is a system account (uid {entry.pw_uid}): choose another name"
        )
    return Path(entry.pw_dir), entry


def _chown(path, entry):
    if entry is None:
        return
    for p in [path, *path.rglob("*")]:
        os.chown(p, entry.pw_uid, entry.pw_gid, follow_symlinks=False)


def _base_args(spawner):
    """The configured args, without what an earlier spawn of this user added."""
    return [a for a in spawner.args if not a.startswith("--ServerApp.jpserver_extensions=")]


def pre_spawn_hook(spawner):
    """First spawn: the student's copy of the course, or the teacher's nbgrader course."""
    home, entry = _home(spawner)
    home.mkdir(parents=True, exist_ok=True)
    name = spawner.user.name
    if name == TEACHER:
        target = home / "course"
        if not target.exists():
            course.write_nbgrader_course(target)
            _chown(target, entry)
        # nbgrader (the formgrader) finds its course through ~/.jupyter/nbgrader_config.py
        config = home / ".jupyter" / "nbgrader_config.py"
        if not config.exists():
            config.parent.mkdir(parents=True, exist_ok=True)
            config.write_text(
                "c = get_config()  # noqa: F821\n"
                f"c.CourseDirectory.root = {str(target)!r}\n"
                f"load_subconfig({str(target / 'nbgrader_config.py')!r})  # noqa: F821\n"
            )
            _chown(config.parent, entry)
        spawner.default_url = "/lab/tree/course"
        spawner.args = [
            *_base_args(spawner),
            f"--ServerApp.jpserver_extensions={SERVER_EXTENSIONS!r}",
        ]
        return
    target = home / COURSE_DIR
    if not target.exists():
        shutil.copytree(STUDENT_FILES, target)
        _chown(target, entry)
    spawner.default_url = f"/lab/tree/{COURSE_DIR}/00_index.ipynb"
    # students have no use for the formgrader (the teacher's, on the same hub)
    extensions = {**SERVER_EXTENSIONS, "nbgrader.server_extensions.formgrader": False}
    spawner.args = [*_base_args(spawner), f"--ServerApp.jpserver_extensions={extensions!r}"]


c.Spawner.pre_spawn_hook = pre_spawn_hook

# --- the idle culler, and (tests, benchmark) an API token for the driver --------------------
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={env('BPLIB_HUB_CULL_TIMEOUT', '3600')}",
            "--cull-every=300",
        ],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
if env("BPLIB_HUB_TESTING") == "1" and env("BPLIB_HUB_DRIVER_TOKEN"):
    c.JupyterHub.services.append({"name": "driver", "api_token": env("BPLIB_HUB_DRIVER_TOKEN")})
    c.JupyterHub.load_roles.append({"name": "admin", "services": ["driver"]})
