#!/usr/bin/env python
"""Run the benchmarks and write a dated table to benchmarks/RESULTS.md.

    python benchmarks/run.py                      # everything (what `make bench` runs)
    python benchmarks/run.py --sections step,e2e  # some sections; the others in RESULTS.md stay
    python benchmarks/run.py --quick --out /tmp/r.md   # a short run (the test uses this)
    python benchmarks/run.py --threads 1          # BLAS and PyTorch both on 1 thread

Sections: step (training-step throughput), e2e (end-to-end training), explorers
(kernel-side cost of every slider event in every notebook), series (wall time
of the strict nbval run of all notebooks, `make test-notebooks`), hub (N = 1, 5,
10, 20, 30 simulated students on a JupyterHub on this machine, benchmarks/hub.py). PyTorch is
optional: without it, its columns say "skipped" and the run says why.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SECTIONS = {
    "step": "1. Training-step throughput",
    "e2e": "2. End-to-end training",
    "explorers": "3. Explorers: kernel-side cost of a slider event",
    "series": "4. The series: strict nbval run of every notebook",
    "hub": "5. A class on the hub: N students on one machine",
}
QUICK_SECTIONS = ("step", "e2e")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--quick",
        action="store_true",
        help="a short run: a small grid, few repeats, no explorers or series",
    )
    p.add_argument(
        "--sections",
        default=None,
        help=f"comma-separated, from {','.join(SECTIONS)} (default: all; "
        f"with --quick: {','.join(QUICK_SECTIONS)})",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=HERE / "RESULTS.md",
        help="the markdown file to write (default benchmarks/RESULTS.md)",
    )
    p.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads for numpy's BLAS and PyTorch alike (default: numpy's default)",
    )
    p.add_argument("--rounds", type=int, default=None, help="interleaved rounds per step timing")
    p.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="step timings by wall time (default) or by the process's CPU time "
        "(steadier on a busy machine; use with --threads 1)",
    )
    args = p.parse_args(argv)
    sections = (
        args.sections.split(",")
        if args.sections
        else list(QUICK_SECTIONS if args.quick else SECTIONS)
    )
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        p.error(f"unknown section(s) {unknown}; choose from {list(SECTIONS)}")
    args.sections_given, args.sections = bool(args.sections), sections
    return args


def main(argv=None):
    args = parse_args(argv)
    if args.threads:  # before numpy and torch are imported
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    sys.path.insert(0, str(HERE))
    import common

    if args.clock == "cpu":
        common.CLOCK = time.process_time
    if args.threads:
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(args.threads, user_api="blas")
        except ImportError:
            pass
    env = common.environment_lines()
    print("\n".join(env), flush=True)
    if common.torch_message():
        print(common.torch_message(), flush=True)
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    command = (
        "python benchmarks/run.py"
        + (" --quick" if args.quick else "")
        + (f" --sections {','.join(args.sections)}" if args.sections_given else "")
        + (f" --threads {args.threads}" if args.threads else "")
        + (f" --rounds {args.rounds}" if args.rounds else "")
        + (" --clock cpu" if args.clock == "cpu" else "")
    )
    blocks, all_goals = {}, []
    for section in args.sections:
        print(f"\n== {SECTIONS[section]}", flush=True)
        start = time.perf_counter()
        lines, goals = globals()[f"section_{section}"](args, common)
        seconds = time.perf_counter() - start
        variant = ", ".join(
            ([f"{args.threads} thread{'s' if args.threads > 1 else ''}"] if args.threads else [])
            + (["CPU time"] if args.clock == "cpu" and section == "step" else [])
        )
        key = section + ("-" + re.sub(r"\W+", "-", variant) if variant else "")
        body = [
            f"## {SECTIONS[section]}" + (f" ({variant})" if variant else ""),
            "",
            f"Run {stamp} (`{command.strip()}`, this section took {seconds:.0f} s) on:",
            "",
        ]
        body += env + [f"- load average when the section ended: {common._load()}", ""]
        if common.torch_message() and section in ("step", "e2e"):
            body += [f"**{common.torch_message()}**", ""]
        body += lines
        if goals:
            body += ["", "Goals:", ""] + [f"- {goal_text(g)}" for g in goals]
        blocks[key] = body
        all_goals += goals
    write(args.out, blocks)
    print(f"\nwrote {args.out}")
    for g in all_goals:
        print(goal_text(g))
    return 0


def goal_text(goal):
    text, met, detail = goal
    verdict = {True: "MET", False: "MISSED", None: "NOT MEASURED"}[met]
    return f"{verdict}: {text} - {detail}"


# -- the sections: each returns (markdown lines, [(goal, met, detail)]) -------------------
def section_step(args, common):
    import step

    if args.quick:
        rows, notes = step.run(
            networks=[[64, 32, 10]], batches=(10,), rounds=args.rounds or 3, target=0.003
        )
    else:
        rows, notes = step.run(rounds=args.rounds or 7)
    clock = "CPU time of the process" if args.clock == "cpu" else "wall time"
    lines = [
        f"Time per SGD step on one mini-batch ({clock}, median of interleaved rounds); the ratios "
        "are medians of per-round ratios: `bplib vs X` = time of X / time of bplib (> 1 "
        "means bplib is faster); `% of ceiling` = time of the matrix products alone / "
        "time of bplib. Quadratic cost, sigmoid layers.",
        "",
    ]
    lines += step.table(rows) + [""] + [f"- {n}" for n in notes]
    return lines, step.goals(rows)


def section_e2e(args, common):
    import endtoend
    import numpy as np

    if args.quick:
        tasks = [
            endtoend.digits_task(n_train=500, n_test=200, epochs=1),
            endtoend.moons_task(epochs=5),
        ]
        rows = endtoend.run(tasks, dtypes=(np.float64,), repeats=1)
    else:
        rows = endtoend.run()
    lines = [
        f"Wall time of the whole training run (median of {1 if args.quick else 3}; bplib: `net.fit(..., "
        "progress=False)`, which also records the training cost after every epoch; PyTorch: "
        "the same batches, initial weights and cost, and the same per-epoch cost), and the "
        "accuracy on the held-out points.",
        "",
    ]
    lines += endtoend.table(rows)
    goals = []
    for r in rows:
        if "MNIST" in r["task"] and r["dtype"] == "float64" and not args.quick:
            goals.append(
                (
                    "issue 2: MNIST [784, 30, 10] test accuracy >= 0.90",
                    r["bplib"]["accuracy"] >= 0.90,
                    f"{r['bplib']['accuracy']:.3f}",
                )
            )
    return lines, goals


def section_explorers(args, common):
    import explorers

    results = explorers.run()
    lines = [
        "Every explorer alive after each notebook has run, every control moved through "
        "about 6 values across its range (every option of a dropdown), one event per move. "
        "An event's cost is `Explorer.refresh`: `update` + PNG + readout, in the kernel. "
        "`runs in` is the notebook's own top-to-bottom run time in a fresh kernel.",
        "",
    ]
    return lines + explorers.table(results), explorers.goals(results)


def section_series(args, common):
    command = (
        ["make", "-s", "test-notebooks"]
        if shutil.which("make")
        else [
            sys.executable,
            "-m",
            "pytest",
            "-n",
            "2",
            "--dist",
            "loadfile",
            "--nbval",
            "--nbval-sanitize-with",
            "tests/sanitize.cfg",
            "notebooks",
        ]
    )
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    summary = [l for l in proc.stdout.splitlines() if re.search(r"\d+ (passed|failed)", l)]
    summary = summary[-1].strip("= ") if summary else f"exit code {proc.returncode}"
    n_notebooks = len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    print(f"  `{' '.join(command)}`: {seconds:.1f} s, {summary}")
    lines = [
        "| command | notebooks | wall time | result |",
        "|---|---|---|---|",
        f"| `{' '.join(command)}` | {n_notebooks} | {seconds:.1f} s | {summary} |",
    ]
    goal = (
        "the whole strict nbval run < 60 s on this 2-core machine",
        seconds < 60 if proc.returncode == 0 else False,
        f"{seconds:.1f} s for {n_notebooks} notebooks"
        + ("" if proc.returncode == 0 else f"; the run FAILED ({summary})"),
    )
    return lines, [goal]


def section_hub(args, common):
    """benchmarks/hub.py: N students on a real JupyterHub (login, spawn, Run All of 08, sliders)."""
    import hub

    ns = [int(n) for n in os.environ.get("BPLIB_BENCH_STUDENTS", "1,5,10,20,30").split(",")]
    results = hub.run_class(ns, ROOT / "build" / "hub-bench")
    best, budgets, cores = hub.per_core(results), hub.per_core_with_budgets(results), os.cpu_count()
    goals = [
        (
            "students per core keeping the slider round trip's p95 < 100 ms, with no failure",
            None,
            f"{best / cores:g} per core ({best} students on {cores} cores)",
        ),
        (
            "the same with the course's budgets (< 150 ms for the live-retraining explorer)",
            None,
            f"{budgets / cores:g} per core ({budgets} students on {cores} cores)",
        ),
    ]
    return hub.body(results).splitlines(), goals


# -- RESULTS.md: one block per section; a run replaces only the blocks it ran -----------
HEADER = """# Benchmark results

Written by `make bench` (`python benchmarks/run.py`); see `benchmarks/README.md` for
what each benchmark times and how. Each section below carries the date, the command and
the machine (with numpy's BLAS) of the run that wrote it. The machine is a shared
2-core VM: timings are noisy, which is why every figure is a median of interleaved
repeats and every comparison is a ratio measured side by side in one process.
"""


def write(path, blocks):
    path = Path(path)
    old = path.read_text() if path.exists() else ""
    kept = {}
    for m in re.finditer(r"<!-- bench:([\w-]+) -->\n(.*?)<!-- /bench:\1 -->", old, re.S):
        kept[m.group(1)] = m.group(2).rstrip("\n").splitlines()
    kept.update(blocks)
    parts = [HEADER]
    order = list(SECTIONS)  # then hand-written blocks (e.g. bench:notes), kept as they are
    for key in sorted(
        kept,
        key=lambda k: (order.index(k.split("-")[0]) if k.split("-")[0] in order else len(order), k),
    ):
        parts.append(
            f"<!-- bench:{key} -->\n" + "\n".join(kept[key]) + f"\n<!-- /bench:{key} -->\n"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts))


if __name__ == "__main__":
    sys.exit(main())
