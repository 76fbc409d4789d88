"""Watching what a reader's function calls while its check runs.

Several exercises ask the reader to write something that bplib already has (the forward
pass, a cost, BP1–BP4). Calling bplib's own function, under any name (an alias, a wrapper,
a method), or letting PyTorch's autograd do the work, passes the numbers but not the
exercise. :class:`Watch` calls the reader's function with a profile function
(``sys.setprofile``) that notes such calls; the checker's own computations run outside the
call and are never noted. The previous profile function is restored afterwards, even when
the reader's function raises.

Used by exercise 1.1 (the forward pass), 2.1 and 2.2 (the cost and its gradient), notebook
10's forward and backward passes (through ``nb10_your_own_backprop._Watched``) and 11.3
(which also counts the ``Value`` nodes made and the ``backward`` sweeps run).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys

import bplib

from .checker import usual_comparison

#: The modules whose functions compute what the exercises ask for (a forward pass, BP1–BP4,
#: a gradient): calling any of them, under any name, is not an answer. bplib's activations
#: (``sigma.fn``, ``sigma.prime``) and costs are fine unless an exercise forbids them too.
LIBRARY_MODULES = ("bplib.forward", "bplib.backward", "bplib.gradcheck", "bplib.training")
#: Of bplib.Network, the methods that run the network (building one, or reading its
#: W and b, computes nothing).
NETWORK_METHODS = ("feedforward", "feedforward_layers", "cost", "gradients", "predict", "fit")


def codes(*fns):
    """The code objects of the functions ``fns`` and of every function defined inside them."""
    out, todo = set(), [getattr(fn, "__code__", None) for fn in fns]
    while todo:
        code = todo.pop()
        if code is not None and code not in out:
            out.add(code)
            todo.extend(c for c in code.co_consts if hasattr(c, "co_names"))
    return out


@functools.cache
def library_codes():
    """The code objects of every bplib function that would do an exercise for the reader:
    those of :data:`LIBRARY_MODULES`, the running methods of ``Network``, and the
    functions of the exercise modules (notebook 09's ``backprop_with``, ...)."""
    found = set()
    names = list(LIBRARY_MODULES) + sorted(
        m for m in sys.modules if m.startswith("bplib.exercises.nb") and sys.modules[m]
    )
    for name in names:
        module = importlib.import_module(name)
        for obj in vars(module).values():
            if inspect.isfunction(obj) and obj.__module__ == name:
                found |= codes(obj)
    for method in NETWORK_METHODS:
        found |= codes(getattr(bplib.Network, method))
    return frozenset(found)


def cost_methods(*names):
    """The methods ``names`` (``"fn"``, ``"grad_a"``, ``"delta"``) of every bplib cost."""
    return tuple(getattr(type(c), n) for c in bplib.costs.COSTS.values() for n in names)


def _is_torch(module):
    return isinstance(module, str) and module.split(".", 1)[0] == "torch"


def _name(code):
    name = getattr(code, "co_qualname", code.co_name)  # co_qualname: Python 3.11+
    return name.split(".<locals>", 1)[0]


class Watch:
    """The reader's function ``fn``, called with a watch on what it calls.

    ``forbid`` is a set of code objects (see :func:`codes`) or a predicate on a code object:
    a call into one of them is noted in ``used`` as "bplib's `name`", the outermost call
    only (what the reader called, not what it called in turn), whatever name the reader
    reached it by. A call into PyTorch is noted as "PyTorch's `name`". ``on_call(frame)``, if
    given, sees every other Python call (to count things). ``used`` keeps the order of the
    calls, each name once.
    """

    def __init__(self, fn, forbid=frozenset(), on_call=None):
        self.fn, self.on_call = fn, on_call
        self.forbidden = forbid if callable(forbid) else frozenset(forbid).__contains__
        self.used = []

    @property
    def torch(self):
        """Whether the reader's function called into PyTorch."""
        return any(u.startswith("PyTorch") for u in self.used)

    @property
    def library(self):
        """The names of the bplib functions it called (without "bplib's")."""
        return [u[len("bplib's ") :] for u in self.used if u.startswith("bplib's ")]

    def _note(self, text):
        if text not in self.used:
            self.used.append(text)

    def _profile(self, frame, event, arg):
        if event == "call":
            code, back = frame.f_code, frame.f_back
            if self.forbidden(code):
                if back is None or not self.forbidden(back.f_code):
                    self._note(f"bplib's `{_name(code)}`")
            elif _is_torch(frame.f_globals.get("__name__")):
                if back is None or not _is_torch(back.f_globals.get("__name__")):
                    self._note(f"PyTorch's `{_name(code)}`")
            elif self.on_call is not None:
                self.on_call(frame)
        elif event == "c_call" and _is_torch(getattr(arg, "__module__", None)):
            if not _is_torch(frame.f_globals.get("__name__")):
                self._note(f"PyTorch's `{getattr(arg, '__qualname__', repr(arg))}`")

    def __call__(self, *args, **kwargs):
        previous = sys.getprofile()
        sys.setprofile(self._profile)
        try:
            return self.fn(*args, **kwargs)
        finally:
            sys.setprofile(previous)


def refusal(checker, used, fine, autograd=True):
    """The feedback for an answer that calls what it should write: which functions it
    called, and that the exercise asks for the reader's own. ``fine`` is the sentence that
    says which of bplib's functions may be used; ``autograd`` says why PyTorch is refused
    too (always for a backward pass, else only when it was called)."""
    names = ", ".join(used)
    verb = "computes" if len(used) == 1 else "compute"
    autograd = autograd or any(u.startswith("PyTorch") for u in used)
    why = "; an autograd library does the backward pass for you" if autograd else ""
    return checker.feedback(
        "wrong",
        f"Not your own: it calls {names}, which {verb} what the exercise asks for (bplib's "
        f"is what your function is checked against{why}). The exercise is to write it "
        f"yourself, from the equations, with numpy. {fine}",
        "library",
    )


def watched_comparison(checker, forbid, fine, autograd=False):
    """The exercise's usual comparison with the reader's function watched: an answer that
    called a function of ``forbid`` (or PyTorch) is refused with :func:`refusal`, whatever
    it returned. Never raises."""
    watched = Watch(checker.fn, forbid)
    feedback = usual_comparison(checker, watched)
    if watched.used:
        return refusal(checker, watched.used, fine, autograd)
    return feedback
