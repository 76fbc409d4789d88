"""The environment files agree, and the package ships its data."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement):
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_packages_as_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    for extra in project["optional-dependencies"].values():
        wanted |= {_name(r) for r in extra}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    pip = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert conda == wanted
    assert pip == [{"pip": ["-e ."]}]
    assert env["channels"] == ["conda-forge"]


def test_constraints_pin_every_dependency():
    pinned = {_name(line) for line in (ROOT / "constraints.txt").read_text().splitlines()
              if line and not line.startswith("#")}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for requirement in project["dependencies"] + project["optional-dependencies"]["dev"]:
        assert _name(requirement) in pinned


def test_mnist_file_is_packaged_and_small():
    path = ROOT / "bplib" / "data" / "mnist_5k.npz"
    assert 0.5e6 < path.stat().st_size < 2.5e6
    assert "data/*.npz" in (ROOT / "pyproject.toml").read_text()
