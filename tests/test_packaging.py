"""The environment files agree, and the wheel ships every package and data file, and no solution."""

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
NOTEBOOK = ROOT / "notebooks" / "06_backpropagating_error.ipynb"


def _name(requirement):
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _requirements():
    """Every requirement of the project and its extras, without self-references (bplib[...])."""
    extras = PROJECT["optional-dependencies"].values()
    every = PROJECT["dependencies"] + [r for extra in extras for r in extra]
    return [r for r in every if _name(r) != PROJECT["name"]]


def test_dev_extra_is_every_other_extra():
    extras = PROJECT["optional-dependencies"]
    assert set(extras) >= {"test", "browser", "bench", "dev"}

    def names(requirements):
        out = set()
        for r in requirements:
            if _name(r) == PROJECT["name"]:  # bplib[test,browser]: those extras
                inner = re.search(r"\[(.*)\]", r).group(1).split(",")
                out |= names(r for extra in inner for r in extras[extra.strip()])
            else:
                out.add(_name(r))
        return out

    others = [r for name, extra in extras.items() if name != "dev" for r in extra]
    assert names(extras["dev"]) == names(others)


def test_version_is_written_once():
    assert "version" not in PROJECT and "version" in PROJECT["dynamic"]
    assert PYPROJECT["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "bplib.__version__"}
    init = (ROOT / "bplib" / "__init__.py").read_text()
    assert len(re.findall(r'^__version__ = "[^"]+"$', init, re.M)) == 1


def test_environment_yml_lists_the_same_packages_as_pyproject():
    wanted = {_name(r) for r in _requirements()}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert conda == wanted
    assert pip == [{"pip": ["-e ."]}]
    assert env["channels"] == ["conda-forge"]


def test_constraints_pin_every_dependency():
    lines = (ROOT / "constraints.txt").read_text().splitlines()
    pinned = {_name(line) for line in lines if line and not line.startswith("#")}
    missing = {_name(r) for r in _requirements()} - pinned
    assert not missing, f"add these to constraints.txt (from `.venv/bin/pip freeze`): {missing}"


def test_mnist_file_is_packaged_and_small():
    path = ROOT / "bplib" / "data" / "mnist_5k.npz"
    assert 0.5e6 < path.stat().st_size < 2.5e6
    assert "*.npz" in PYPROJECT["tool"]["setuptools"]["package-data"]["bplib.data"]


# --- the wheel, installed (not editable) in a fresh virtual environment -------------------
def _shipped():
    """What the wheel must hold: every module of every package, bplib/data/* and the
    exercises' stored answers."""
    files = {p for p in (ROOT / "bplib").rglob("*.py") if "__pycache__" not in p.parts}
    files |= {p for p in (ROOT / "bplib" / "data").glob("*") if p.is_file()}
    files |= set((ROOT / "bplib" / "exercises").glob("answers.json"))
    return {p.relative_to(ROOT).as_posix() for p in files}


def wheel_leaks(wheel):
    """Where the wheel holds a reference solution or a bug's function (exercises/reference/):
    the nbgrader markers, a solution's body, or the source of any of their functions."""
    from test_answers import public_texts

    from exercises.reference import leaks

    with zipfile.ZipFile(wheel) as z:
        texts = {
            n: z.read(n).decode("utf-8", errors="replace")
            for n in z.namelist()
            if not n.endswith((".npz", ".png"))
        }
    return leaks(texts, public_texts())


# A student on a class hub has the installed package only: check still names a bug and
# accepts a right answer, and no reference solution is there to read.
STUDENT_CHECK = """
import importlib.util, inspect, bplib.exercises as bx
from bplib.exercises import EXERCISES, check
from bplib import sigmoid
assert importlib.util.find_spec("exercises") is None
assert all(ex.solution is None and all(b.fn is None for b in ex.bugs) for ex in EXERCISES.values())
try:
    EXERCISES["output_error"].source
except LookupError:
    pass
else:
    raise AssertionError("a solution cell is readable")
assert check("output_error", lambda a_L, y, z_L, c, sigma: c * (a_L - y)).bug == "no_sigma_prime"
assert check("output_error", lambda a_L, y, z_L, c, sigma: c * (a_L - y) * sigma.prime(z_L)).passed
assert check("output_error", lambda a_L, y, z_L, c, s: c * (a_L - y) * sigmoid.prime(z_L)).bug == (
    "sigmoid_prime_always"
)
def my_backward(W, sigmas, cost, z, a, Y):
    raise NotImplementedError
assert check("my_backward", my_backward).status == "not attempted"
print("ok")
"""


def _build_wheel(tmp_path):
    """Build from a clean copy of the sources (no stale build/ or egg-info), offline."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src)
    junk = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", ".ipynb_checkpoints")
    shutil.copytree(ROOT / "bplib", src / "bplib", ignore=junk)
    dist = tmp_path / "dist"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--verbose",
            "--no-deps",
            "--no-index",
            "--no-build-isolation",
            "--wheel-dir",
            str(dist),
            str(src),
        ],
        capture_output=True,
        text=True,
    )
    log = build.stdout + build.stderr
    assert build.returncode == 0, log
    warnings = re.findall(r"\w+Warning\b.*|.*would be ignored.*", log)
    assert not warnings, "setuptools warns while building the wheel:\n" + "\n".join(warnings)
    (wheel,) = dist.glob("bplib-*.whl")
    return wheel


def _fresh_venv(tmp_path):
    """A venv whose only bplib is the one pip installs into it; the other packages come from
    this environment's site-packages through a folder of links that leaves bplib out (an
    editable install's finder, .pth files, dist-info), so no network is needed."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    deps = tmp_path / "deps"
    deps.mkdir()
    here = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    for folder in map(Path, here):
        for entry in folder.iterdir():
            if "bplib" in entry.name.lower() or entry.suffix in {".pth", ".egg-link"}:
                continue
            if not (deps / entry.name).exists():
                (deps / entry.name).symlink_to(entry)
    (site / "zz_bplib_test_deps.pth").write_text(f"{deps}\n")
    return python, site


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "JUPYTER"))}
    return {**env, **extra}


@pytest.mark.slow
def test_wheel_installed_in_a_fresh_venv_runs_notebook_05(tmp_path, monkeypatch):
    wheel = _build_wheel(tmp_path)

    names = set(zipfile.ZipFile(wheel).namelist())
    missing = _shipped() - names
    assert not missing, f"not in the wheel: {sorted(missing)}"
    assert "bplib/data/mnist_5k.npz" in names
    assert any(re.fullmatch(r"bplib/explorers/\w+\.py", n) for n in names)
    if (ROOT / "bplib" / "exercises").is_dir():
        assert "bplib/exercises/__init__.py" in names
        assert "bplib/exercises/answers.json" in names
    assert not [n for n in names if n.startswith("exercises/")]
    assert wheel_leaks(wheel) == [], "the wheel holds reference solutions or bug functions"
    assert any(re.fullmatch(r"bplib-[^/]+\.dist-info/licenses/LICENSE", n) for n in names)

    python, site = _fresh_venv(tmp_path)
    run = tmp_path / "run"  # neither the checkout nor its bplib/ is on the path here
    run.mkdir()
    env = _clean_env()
    subprocess.run(
        [str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
        cwd=run,
        env=env,
    )
    where = subprocess.run(
        [str(python), "-c", "import bplib; print(bplib.__file__)"],
        check=True,
        capture_output=True,
        text=True,
        cwd=run,
        env=env,
    )
    assert Path(where.stdout.strip()).parent == site / "bplib"
    student = subprocess.run(
        [str(python), "-c", STUDENT_CHECK], capture_output=True, text=True, cwd=run, env=env
    )
    assert student.stdout.strip() == "ok", student.stdout + student.stderr

    # a kernel of the fresh venv, found through JUPYTER_PATH only
    jupyter = tmp_path / "jupyter"
    kernel = jupyter / "kernels" / "bplib-wheel"
    kernel.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec = {"argv": argv, "display_name": "bplib wheel", "language": "python"}
    (kernel / "kernel.json").write_text(json.dumps(spec))

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import sys\nimport bplib\nX, y = bplib.load_digits()\nprint(bplib.__file__, sys.executable, X.shape)"
        )
    )
    nbformat.write(nb, run / NOTEBOOK.name)  # to look at, should it fail
    for key in [k for k in os.environ if k.startswith(("PYTHON", "JUPYTER"))]:
        monkeypatch.delenv(key)
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter))
    client = NotebookClient(
        nb, timeout=600, kernel_name="bplib-wheel", resources={"metadata": {"path": str(run)}}
    )
    client.execute()
    printed = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert printed.split() == [str(site / "bplib" / "__init__.py"), str(python), "(5000,", "784)"]
