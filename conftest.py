"""Loaded by every pytest run in the repository, strict nbval of notebooks/ included.

nbval starts one kernel per notebook, and `make test-notebooks` runs two notebooks at a
time. A kernel's ports are picked free and bound a moment later, so two kernels starting
together can pick the same one: the loser dies before it answers ("Kernel died before
replying to kernel_info", ZMQ "Address already in use"), and every cell of its notebook
errors. Such a start is tried again, with fresh ports, up to three times; a kernel that
cannot start for another reason fails all three and its error is raised as before.
"""

import nbval.kernel

_start_new_kernel = nbval.kernel.start_new_kernel
KERNEL_STARTS = 3


def start_new_kernel(*args, **kwargs):
    for attempt in range(1, KERNEL_STARTS + 1):
        try:
            return _start_new_kernel(*args, **kwargs)
        except RuntimeError:
            if attempt == KERNEL_STARTS:
                raise


nbval.kernel.start_new_kernel = start_new_kernel  # RunningKernel looks it up at each start
