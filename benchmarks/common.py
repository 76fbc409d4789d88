"""What every benchmark shares: the BLAS report, thread settings, PyTorch, timing.

Timing is side by side in one process: the implementations take turns
(interleaved rounds), each round times a block of steps for each of them, and
the reported figure is the median over rounds. Ratios are the median of the
per-round ratios, so a slow moment of the shared machine hits both sides of a
ratio alike. When a round switches between numpy and PyTorch it first sleeps
briefly: an idle OpenBLAS worker keeps spinning for a while after its last
product, and so does an OpenMP one, and on two cores the spinning pool of one
library would slow the other down.
"""

from __future__ import annotations

import os
import platform
import statistics
import time

import numpy as np

#: Seconds to wait when a round switches between numpy and PyTorch.
SWITCH_PAUSE = 0.15
#: The clock: wall time (``time.perf_counter``), or the CPU time of the process
#: (``time.process_time``), which a busy machine disturbs less but which is only
#: comparable to wall time with one thread (idle pool threads may spin on the CPU).
CLOCK = time.perf_counter

_torch = None
_torch_message = None


def import_torch():
    """PyTorch, or None with the reason in :func:`torch_message`. Imported once."""
    global _torch, _torch_message
    if _torch is None and _torch_message is None:
        try:
            import torch
        except Exception as exc:  # ImportError, or a broken install
            _torch_message = (
                f"PyTorch is not installed ({type(exc).__name__}: {exc}); "
                "its columns are skipped. `make bench` installs it."
            )
        else:
            _torch = torch
            torch.set_num_threads(blas_threads())
    return _torch


def torch_message():
    import_torch()
    return _torch_message


def blas_info():
    """The BLAS numpy runs on: a list of dicts (threadpoolctl) or numpy's build config."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        threadpool_info = None
    if threadpool_info is not None:
        pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
        if pools:
            return pools
    try:
        config = np.show_config(mode="dicts")
        blas = config["Build Dependencies"]["blas"]
        return [
            {
                "internal_api": blas.get("name"),
                "version": blas.get("version"),
                "num_threads": None,
                "architecture": None,
                "note": "from numpy.show_config (install threadpoolctl for the thread count)",
            }
        ]
    except Exception:  # pragma: no cover - very old numpy
        return [{"internal_api": "unknown"}]


def blas_threads():
    """The number of threads numpy's BLAS uses (threadpoolctl, else the environment)."""
    for pool in blas_info():
        if pool.get("num_threads"):
            return int(pool["num_threads"])
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1


def environment_lines():
    """Markdown bullet lines describing the machine, numpy's BLAS and PyTorch."""
    lines = [
        f"- machine: {platform.machine()}, {os.cpu_count()} cores ({_cpu_name()}), "
        f"load average {_load()}",
        f"- Python {platform.python_version()}, numpy {np.__version__}",
    ]
    for pool in blas_info():
        lines.append(
            f"- numpy BLAS: {pool.get('internal_api')} {pool.get('version')}, "
            f"{pool.get('num_threads') or '?'} thread{'' if pool.get('num_threads') == 1 else 's'}"
            + (f", kernel {pool['architecture']}" if pool.get("architecture") else "")
            + (f" ({pool['note']})" if pool.get("note") else "")
        )
    torch = import_torch()
    if torch is None:
        lines.append("- PyTorch: not installed: its columns are skipped")
    else:
        lines.append(
            f"- PyTorch {torch.__version__} on CPU, torch.set_num_threads("
            f"{torch.get_num_threads()}) = numpy's BLAS threads, "
            f"BLAS {_torch_blas(torch)}"
        )
    return lines


def _cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _load():
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def _torch_blas(torch):
    import re

    info = torch.__config__.show()
    blas = re.search(r"BLAS_INFO=(\w+)", info)
    mkl = re.search(r"Math Kernel Library Version ([\w.]+)", info)
    name = blas.group(1) if blas else "unknown"
    return f"{name} {mkl.group(1)}" if (mkl and name == "mkl") else name


def pause():
    time.sleep(SWITCH_PAUSE)


def calibrate(fn, target):
    """How many calls of ``fn`` take about ``target`` seconds (at least 1)."""
    fn()  # warm up: first-call allocations, BLAS thread start-up
    k = 1
    while True:
        start = CLOCK()
        for _ in range(k):
            fn()
        elapsed = CLOCK() - start
        if elapsed >= target / 4 or k >= 1 << 16:
            return max(1, round(k * target / max(elapsed, 1e-9)))
        k *= 4


class Interleaved:
    """Interleaved timing of groups of implementations, pausing at numpy/torch switches.

    A group is ``{name: (kind, fn)}`` with ``kind`` "numpy" or "torch". :meth:`add`
    calibrates a group (calls per block); each :meth:`round` times one block of
    every implementation of every group, in turn. Rounds spread each group's
    samples over the whole run, so a burst of load on the shared machine spoils
    a few samples of many groups rather than all the samples of one.
    """

    def __init__(self, target):
        self.target, self.groups, self.last_kind = target, [], None

    def _switch(self, kind):
        if self.last_kind is not None and kind != self.last_kind:
            pause()
        self.last_kind = kind

    def add(self, impls):
        counts = {}
        for name, (kind, fn) in impls.items():
            self._switch(kind)
            counts[name] = calibrate(fn, self.target)
        times = {name: [] for name in impls}
        self.groups.append((impls, counts, times))
        return times

    def round(self):
        for impls, counts, times in self.groups:
            for name, (kind, fn) in impls.items():
                self._switch(kind)
                k = counts[name]
                start = CLOCK()
                for _ in range(k):
                    fn()
                times[name].append((CLOCK() - start) / k)


def interleaved(impls, rounds, target):
    """Time one group ``{name: (kind, fn)}`` in ``rounds`` rounds: ``{name: [s per call]}``."""
    timer = Interleaved(target)
    times = timer.add(impls)
    for _ in range(rounds):
        timer.round()
    return times


def median(values):
    return statistics.median(values)


def paired_ratio(numerator, denominator):
    """Median over rounds of numerator[i] / denominator[i]."""
    return statistics.median(n / d for n, d in zip(numerator, denominator))


def fmt_time(seconds):
    """A duration in the unit that suits it: 85 us, 1.24 ms, 3.1 s."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} us" if seconds >= 1e-5 else f"{seconds * 1e6:.1f} us"
    if seconds < 1.0:
        return f"{seconds * 1e3:.3g} ms"
    return f"{seconds:.3g} s"
