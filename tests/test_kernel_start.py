"""The root conftest.py starts an nbval kernel again when it dies at start (a port race)."""

import nbval.kernel
import pytest

# the namespace of the repository's root conftest.py, which replaced nbval's start_new_kernel
# (tests/conftest.py is another module of the same name, so it is reached through the function)
ROOT_CONFTEST = nbval.kernel.start_new_kernel.__globals__


def test_nbvals_kernel_start_is_the_retrying_one():
    assert (
        ROOT_CONFTEST["__file__"].endswith("conftest.py")
        and "tests" not in ROOT_CONFTEST["__file__"]
    )
    assert ROOT_CONFTEST["KERNEL_STARTS"] == 3


def test_a_kernel_that_dies_at_start_is_started_again(monkeypatch):
    calls = []

    def flaky(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) < ROOT_CONFTEST["KERNEL_STARTS"]:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return "km", "kc"

    monkeypatch.setitem(ROOT_CONFTEST, "_start_new_kernel", flaky)
    assert nbval.kernel.start_new_kernel(kernel_name="python3") == ("km", "kc")
    assert len(calls) == ROOT_CONFTEST["KERNEL_STARTS"]


def test_a_kernel_that_never_starts_still_fails(monkeypatch):
    def dead(*args, **kwargs):
        raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setitem(ROOT_CONFTEST, "_start_new_kernel", dead)
    with pytest.raises(RuntimeError, match="Kernel died"):
        nbval.kernel.start_new_kernel(kernel_name="python3")
