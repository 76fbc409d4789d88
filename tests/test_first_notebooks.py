"""Notebooks 00, 02, 03 and 04 give away no later exercise's answer, and keep one notation.

Issue 11: a reader must derive each equation before the series writes it. The index names the
four equations of backpropagation and the note's three slips without their formulas; 03 runs
gradient descent on a sigmoid neuron without writing its gradient (exercise 4.1 asks for it);
02's exercises come after what they need and before the code that answers them; 04 writes the
cost of example i as notebook 02 does. Cheap: it reads the stored notebooks, it runs nothing.
"""

import os
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks"))
GENERATED = {"nav-top", "nav-bottom", "contents"}  # written by tools/navigation.py


def _notebook(name):
    path = NOTEBOOKS / name
    if not path.exists():
        pytest.skip(f"{path} is not there")
    return nbformat.read(path, as_version=4)


def _cells(nb):
    """The hand-written cells: not the navigation bars nor the generated contents table."""
    return [c for c in nb.cells if not GENERATED & set(c.metadata.get("tags", []))]


def _text(nb):
    return "\n".join(c.source for c in _cells(nb))


def _at(nb, test):
    return next(i for i, c in enumerate(nb.cells) if test(c))


# What the index must not write: the four equations, the note's wrong lines and their corrections.
INDEX_FORMULAS = {
    "BP1 or the note's output error": r"\\delta\^\{?\(?L\)?\}?(_j)?\s*=|\\odot\s*\\sigma'",
    "BP2 (a transposed weight matrix)": r"\(W\^\{l\+1\}\)\^T|\(w\^\{l\+1\}\)\^T",
    "BP3 (the bias gradient equal to delta)": r"\\partial b\^l_j\s*=\s*\\delta",
    "BP4 (an activation times delta)": r"a\^\{l-1\}_k\\?,?\s*\\delta",
    "the update (slip 1)": r"\\theta\s*\\leftarrow",
    "sigma' at a layer (slip 3)": r"\\sigma'\(z\^",
}


@pytest.mark.parametrize("what", INDEX_FORMULAS)
def test_the_index_writes_no_equation_a_later_exercise_asks_for(what):
    text = _text(_notebook("00_index.ipynb"))
    assert not re.search(INDEX_FORMULAS[what], text), f"00 writes {what}"


def test_the_index_says_where_the_notes_lines_are_quoted_and_does_not_quote_them():
    """The note's BP2 line is one superscript away from exercise 6.1's answer, so 00 names the
    slips and says that the notebook catching each one quotes it; 00 itself quotes none."""
    nb = _notebook("00_index.ipynb")
    slips = next(c.source for c in _cells(nb) if c.get("id") == "c02")
    assert "quotes the note's line" in slips
    text = _text(nb)
    assert "add it to the corresponding parameter value" not in text
    assert "(w^{l+1})^T" not in text and "C_0 = (a^L - y)^2" not in text


def test_the_index_still_names_the_four_equations_and_the_three_slips():
    text = _text(_notebook("00_index.ipynb"))
    for name, notebook in [("BP1", "05_"), ("BP2", "06_"), ("BP3", "07_"), ("BP4", "07_")]:
        row = next(line for line in text.splitlines() if line.startswith(f"| **{name}**"))
        assert notebook in row, row
    assert [f"**slip {k}**" in text for k in (1, 2, 3)] == [True] * 3
    assert "$w^l_{jk}$" in text and "$W^l$" in text


def test_03_runs_the_neuron_without_writing_its_gradient():
    """Exercise 4.1 asks for a^(L-1) sigma'(z^L) 2(a^L - y); 03 must not write the one-neuron
    form (a_i - y_i) sigma'(z_i) x_i, in maths or in numpy: it measures the gradient by central
    differences of the cost, in the open, and checks them against bplib's backprop."""
    text = _text(_notebook("03_gradient_descent.ipynb"))
    assert not re.search(r"\(a_i - y_i\)\s*\\,?\s*\\sigma'", text)
    assert not re.search(r"\(a - y\)\s*\*\s*sigma", text)
    assert "sigma(z) * (1 - sigma(z))" not in text
    # the gradient is measured from the cost alone, no black box: central differences (9)
    assert "neuron_gradient" not in text
    assert "(cost(w + eps, b) - cost(w - eps, b)) / (2 * eps)" in text


def test_03_writes_theta_as_its_recap_does():
    assert r"\theta_i" not in _text(_notebook("03_gradient_descent.ipynb"))


def test_02s_exercises_come_after_what_they_need_and_before_their_answers():
    nb = _notebook("02_cost.ipynb")
    first = _at(nb, lambda c: "exercise" in c.metadata.get("tags", []))
    last = max(i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", []))
    tag = {t: _at(nb, lambda c, t=t: f"\\tag{{{t}}}" in c.source) for t in "1234"}
    assert tag["2"] < tag["3"] < first  # the cost of one example, and of a batch
    assert last < tag["4"]  # the slope (exercise 2.2's answer) comes after
    batch_code = _at(
        nb, lambda c: c.cell_type == "code" and "((A - Y) ** 2).sum(axis=1)" in c.source
    )
    assert last < batch_code  # the cost of a batch in numpy (exercise 2.1's answer) too
    assert "back to" not in _text(nb).lower()


def test_02s_batch_size_question_is_asked_from_3_before_exercise_2_2():
    """The predict question comes before the exercises, right after the first measured partial:
    the reader reasons from (3) (which C_i contain A_ij, the 1/n in front), not from exercise
    2.2's folded solution, which comes after it. It asks what four perfect examples do to the
    GRADIENT rows of the first four; the run cell makes its own batch and measures the rows by
    central differences, never by the reader's cost_gradient, and cites (3)."""
    nb = _notebook("02_cost.ipynb")
    partial = _at(nb, lambda c: c.get("id") == "c12-partial")
    prompt = _at(nb, lambda c: c.get("id") == "predict-cost-perfect")
    first_exercise = _at(nb, lambda c: "exercise" in c.metadata.get("tags", []))
    # the measured partial and the fd_gradient helper are two cells, the helper's loop marked
    # as not needed reading
    fd = nb.cells[partial + 1]
    assert partial + 2 == prompt and prompt < first_exercise and fd.get("id") == "c12-fd-gradient"
    assert "def fd_gradient" not in nb.cells[partial].source and "dC_dA12 =" not in fd.source
    assert "def fd_gradient" in fd.source and "need not read the loop" in fd.source
    assert "(3)" in nb.cells[prompt].source and "exercise 2.2" in nb.cells[prompt].source
    # the question is asked plainly; the nudge (which C_i, what stands in front) is a folded hint
    asked, folded = nb.cells[prompt].source.split("<details>")
    assert "what stands in front" not in asked and "What happens to the" in asked
    assert "stands in front of the sum" in folded
    ids = [c.get("id") for c in nb.cells[prompt : prompt + 4]]
    assert ids == [
        "predict-cost-perfect",
        "predict-cost-perfect-guess",
        "predict-cost-perfect-run",
        "predict-cost-perfect-run-check",
    ]
    source = nb.cells[prompt].source
    assert (
        "four examples" in source and "nabla_A C" in source and "every error twice" not in _text(nb)
    )
    assert "cost_gradient" not in source
    run = nb.cells[prompt + 2]
    assert "reveal(" in run.source and "(3)" in run.source and "fd_gradient" in run.source
    assert "cost_gradient" not in run.source and "A4 =" in run.source  # its own batch
    # the why, shown above exercise 2.2, names the 1/n but writes no form of its answer
    assert not re.search(BATCH_GRADIENT, run.source) and "A_ij - Y_ij" not in run.source
    # nor why: no C_i that holds A_ij, no mean dividing by eight (hints 1-3 of 2.2)
    for why in ("appears only in", "divides by", "4/8", "1/n"):
        assert why not in run.source, why
    assert "Notebook 07" not in run.source
    check = nb.cells[prompt + 3]
    assert 'actual == "B"' in check.source and "grad_fd * 4 / 8" in check.source
    defined = _at(
        nb,
        lambda c: (
            "A_{ij} = a^L_j(x_i)" in c.source and "exercise" not in c.metadata.get("tags", [])
        ),
    )
    assert defined < prompt  # A_ij is defined before the question uses it
    # c17b checks 2.2 again without explaining the 1/n a third time
    c17b = next(c for c in nb.cells if c.get("id") == "c17b")
    assert "divided by the number of examples" not in c17b.source
    assert "Notebook 07" not in c17b.source


def test_02s_parabola_explorer_sits_in_section_1_and_writes_no_slope_formula():
    """The slope of one output's cost is first met in section 1, with the parabola explorer;
    above exercise 2.2 neither its text, its folded answers, nor its stored picture and caption
    write the slope a - y (section 4 derives it)."""
    nb = _notebook("02_cost.ipynb")
    explorer = _at(nb, lambda c: c.cell_type == "code" and "cost_parabola_explorer()" == c.source)
    section_2 = _at(nb, lambda c: c.source.startswith("## 2."))
    assert _at(nb, lambda c: c.source.startswith("## 1.")) < explorer < section_2
    above = "\n".join(c.source for c in nb.cells[explorer - 1 : explorer + 2])
    assert "(4)" not in above and "slope is $a - y$" not in above
    assert "slope of (4)" not in _outputs_text(nb, "c11")
    # the folded answers give the slopes of (2) without pairing them with a - y
    answers = nb.cells[_at(nb, lambda c: c.get("id") == "c11-answers")].source
    assert "|a - y|" not in answers and "section 4 derives" not in answers
    assert (
        '"$a - y$"' not in Path(__file__).parents[1].joinpath("bplib/explorers/cost.py").read_text()
    )


def test_02s_batch_in_numpy_is_one_cell_of_code():
    """Sections 4 and 5 used to restate exercise 2.1's answer three times (a loop, a network,
    the textbook's columns); now one code cell does all three, and 02 has four sections."""
    nb = _notebook("02_cost.ipynb")
    code = [c.source for c in _cells(nb) if c.cell_type == "code"]
    assert sum("((A - Y) ** 2).sum(axis=1)" in s for s in code) == 1
    headings = [c.source.split("\n")[0] for c in _cells(nb) if c.source.startswith("## ")]
    assert [h.split()[1] for h in headings if h[3].isdigit()] == ["1.", "2.", "3.", "4."]
    assert "k" not in re.findall(r"for (\w+) in range\(\w+\.size\)", "\n".join(code))


def test_02s_explorer_captions_ask_and_do_not_answer():
    from bplib.explorers import cost

    parabola = cost.cost_parabola_explorer().caption
    assert "?" in parabola and "twice as steep" not in parabola and "grows with" not in parabola
    batch = cost.batch_cost_explorer().caption
    assert "?" in batch
    # each question's set-up sits inside its own number: (3) starts with the batch size
    assert batch.index("(3) The batch size n") > batch.index("(2)")
    assert "batch size n" not in batch[batch.index("(2)") : batch.index("(3)")]
    for answer in ("in proportion to n", "wanders", "that is why", "average to zero"):
        assert answer not in batch, answer


def test_02s_feedback_names_the_axis_and_the_n():
    from bplib.exercises import check

    fb = check("batch_cost", lambda A, Y: np.mean(0.5 * np.sum((A - Y) ** 2, axis=0)))
    assert fb.bug == "sum_over_examples" and "summed over the examples" in fb.message
    fb = check("cost_gradient", lambda A, Y: (A - Y) / A.shape[1])
    assert fb.bug == "divided_by_n_L" and "divided by n_L, not n" in fb.message
    # averaged over every entry: the slip is named and a question asked, the axis not given
    fb = check("batch_cost", lambda A, Y: 0.5 * np.mean((A - Y.reshape(A.shape)) ** 2))
    assert fb.bug == "mean_all" and "averaged over the output neurons too" in fb.message
    assert "axis=1" not in fb.message and fb.message.rstrip().endswith("?"), fb.message

    def mismatched(A, Y):
        return np.mean(0.5 * np.sum((A - Y.T) ** 2, axis=1))  # (5, 3) - (3, 5): raises

    fb = check("batch_cost", mismatched)
    assert fb.status == "error" and "do not fit" in fb.message and "W is stored" not in fb.message


def test_02_keeps_j_for_the_output_node_and_teaches_the_flat_targets_once():
    """A subscript j is an output node and never an example: example i's output is
    a^L(x_i). The (n, 1) - (n,) trap is in exercise 2.1 and its feedback, and one line of
    code after it, not in two more cells."""
    nb = _notebook("02_cost.ipynb")
    text = _text(nb)
    assert "a^L_i" not in text and "a^L_{ij}" not in text and "^{(" not in text  # a^L, as 01
    assert r"C_i = \tfrac12 \lVert a^L(x_i) - y(x_i) \rVert^2 \tag{3}" in text
    outside = [c.source for c in _cells(nb) if "exercise" not in c.metadata.get("tags", [])]
    assert sum("(n, n)" in s or "broadcast" in s for s in outside) <= 1


# (A - Y)/n and its spellings, in maths or numpy
BATCH_GRADIENT = (
    r"\(A\s*-\s*Y\)\s*/\s*(n|len|A\.shape)|\\frac\{A\s*-\s*Y\}\{n\}|\\frac1n\s*\(A\s*-\s*Y\)"
)


def test_02s_batch_gradient_is_not_written_before_exercise_2_2():
    """Exercise 2.2 asks for the gradient of the batch cost, (A - Y)/n: neither 01 nor 02 above
    the exercise writes it; 02 writes and checks it after the exercises."""
    assert not re.search(BATCH_GRADIENT, _text(_notebook("01_network.ipynb")))
    nb = _notebook("02_cost.ipynb")
    ex = _at(nb, lambda c: c.get("id") == "ex02-cost_gradient-statement")
    above = "\n".join(c.source for c in nb.cells[1:ex])
    assert not re.search(BATCH_GRADIENT, above)
    assert "(A - Y)/n" not in above and "1/(n" not in above
    after = _at(nb, lambda c: c.cell_type == "code" and "grad_A = (A - Y) / n" in c.source)
    assert after > ex and "grad_fd" in nb.cells[after].source  # checked by finite differences


def test_02_shows_the_factor_2_on_one_weight_and_leaves_eta_to_03():
    nb = _notebook("02_cost.ipynb")
    code = "\n".join(c.source for c in _cells(nb) if c.cell_type == "code")
    assert "ndindex" not in code and "(net.W, net.b)" not in code  # no loop over all parameters
    assert "net.W[2][0, 0]" in code  # one weight, nudged
    text = _text(nb)
    assert "learning rate" not in text and "letter $k$" not in text


def test_03_explains_its_eta_before_the_optional_part_and_defines_its_words():
    nb = _notebook("03_gradient_descent.ipynb")
    optional = _at(nb, lambda c: c.get("id") == "c19")
    # the explorer's starting eta is named, below the limit, before the optional box
    intro = _at(nb, lambda c: "### Explore: gradient descent on the neuron" in c.source)
    assert "\\eta = 10$, well below the limit" in nb.cells[intro].source and intro < optional
    # the limit is printed once, by the cell that states and tests it, which runs for every
    # reader (it needs no answer of the reader's, so its output is kept in the learner's copy);
    # no markdown cell repeats the number
    limit = nb.cells[_at(nb, lambda c: c.get("id") == "c16")]
    assert "needs-answer" not in limit.metadata.get("tags", [])
    assert "eta < 2 / lambda = 48.5" in "".join(o.get("text", "") for o in limit.outputs)
    assert not [c.get("id") for c in nb.cells if c.cell_type == "markdown" and "48.5" in c.source]
    for word in ("mini-batch", "epoch"):  # left to notebooks 05 and 08, which define them
        assert not any(word in c.source.lower() for c in nb.cells), word
    intro = _at(nb, lambda c: "### Explore: gradient descent on the neuron" in c.source)
    etas = [float(v) for v in re.findall(r"\\eta = (\d+)", nb.cells[intro].source)]
    # the text names the caption's two values past the limit, so it reads on its own
    from bplib.explorers.descent import _unstable_etas, neuron_eta_limit, neuron_minimum

    bounce, (stuck, _) = _unstable_etas(-2.0, 2.5, 80, neuron_minimum()[1], neuron_eta_limit())
    assert sorted(e for e in etas if e > 48.5) == [bounce, stuck]


def _run_03_section_3(descend):
    """Cells c03 and c06 (with -yours and -steps) of 03 with ``descend`` as the reader's exercise
    3.2 (None: undefined); returns the namespace they leave."""
    nb = _notebook("03_gradient_descent.ipynb")
    ns = {} if descend is None else {"descend": descend}
    for cid in ("c03", "c06", "c06-yours", "c06-steps"):
        source = nb.cells[_at(nb, lambda c, i=cid: c.get("id") == i)].source
        exec(source, ns)  # noqa: S102 - the notebook's own cells
    return ns


def test_03_section_3_takes_its_steps_with_the_readers_descend_once_it_is_right():
    import exercises.reference.nb03_gradient_descent as ref

    calls = []

    def right(*args):
        calls.append(args)
        return ref.descend(*args)

    def never_stops(grad_C, theta0, eta, max_steps, tol):
        return ref.descend(grad_C, theta0, eta, max_steps, 0.0)

    def not_attempted(*args):
        raise NotImplementedError("exercise 3.2")

    ns = _run_03_section_3(right)
    assert ns["yours"] and len(calls) == 3  # the check, then ten steps and the run with tol
    assert len(ns["path_sub"]) == 11 and ns["T"] == 17  # ten steps, then 17 with tol
    for wrong in (never_stops, not_attempted, None):
        ns = _run_03_section_3(wrong)
        assert not ns["yours"] and ns["T"] == 17  # bplib's steps, with the same stop


def test_03_section_3_does_not_say_that_a_descend_with_the_same_path_passes(capsys):
    """A descend that steps first and tests the gradient after stepping takes the same path on
    the parabola (section 3 uses it) but fails exercise 3.2's check: the banner says only what
    it compared, the path, and leaves passing to the check."""
    from bplib.exercises import check

    def step_first(grad_C, theta0, eta, max_steps, tol):
        theta, path = theta0, [theta0]
        for _ in range(max_steps):
            theta = theta - eta * grad_C(theta)
            path.append(theta)
            if np.linalg.norm(grad_C(theta)) < tol:
                break
        return np.array(path)

    assert not check("descend", step_first).passed
    capsys.readouterr()
    ns = _run_03_section_3(step_first)
    banner = capsys.readouterr().out
    assert ns["yours"] and "taken by your descend: it gives bplib's path on (4)" in banner
    assert "exercise 3.2 passes)" not in banner


def test_03_learner_copy_does_not_say_whose_steps_section_3_took():
    """The instructor run's stored output says the reader's descend took the steps; the learner's
    copy (descend still a stub) must not show that line, yet keeps the table of steps."""
    import importlib.util

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location(
        "make_student", root / "tools" / "make_student.py"
    )
    make_student = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_student)
    learner = make_student.learner_version(_notebook("03_gradient_descent.ipynb"))
    by_id = {c.get("id"): c for c in learner.cells}
    assert not by_id["c06-yours"].outputs and by_id["c06-steps"].outputs
    for cell in learner.cells:
        for out in cell.get("outputs", []):
            assert "your descend" not in str(out.get("text", "")), cell.get("id")


def test_04_writes_the_cost_of_example_i_as_02_does():
    text = _text(_notebook("04_chain_rule.ipynb"))
    assert "the note writes $C_i$" not in text and "$C_0$" in text
    assert "$C_i$ of example $i$" in text or "for example $i$" in text
    nb = _notebook("04_chain_rule.ipynb")
    named = [  # 05 names delta^L (its title, in the navigation bars); 04 points to it once
        c.id for c in nb.cells if "\\delta" in c.source and not c.id.startswith("nav-")
    ]
    assert named == ["1836fc0e"], named


@pytest.mark.parametrize("name", ["03_gradient_descent.ipynb", "04_chain_rule.ipynb"])
def test_03_and_04_leave_05s_saturation_question_open(name):
    """Notebook 05 asks whether a saturated, badly wrong output neuron has a large error; 03 and
    04 show flat costs but do not say that a saturated sigmoid is why (their explorers' captions,
    computed outputs, are not checked here). 03's neuron prediction may point at the sigmoid's
    largest slope, sigma' <= 1/4, as why its cost is flat everywhere: a bound, not saturation."""
    text = _text(_notebook(name)).replace(" ", "").replace("\\sigma'(z)\\le\\tfrac14", "")
    for phrase in ("saturat", "\\tfrac14", "1/4", "crawl", "pinnednear"):
        assert phrase not in text, phrase


def test_04_names_dC_dz_once_after_its_exercises_and_not_in_its_summary():
    """The factor that (7) to (9) share is named once, in section 3 after the exercises, as
    dC_i/dz^L, the number 05 starts from and calls delta^L (and in the check's comment); not
    above the exercises, not in the summary, and never as code named dC_dz (5.1 derives it for a
    weighted cost with any activation, which 04 does not write)."""
    nb = _notebook("04_chain_rule.ipynb")
    pattern = r"\\partialC_i/\\partialz|\\partialC_i\}\{\\partialz"
    named = [i for i, c in enumerate(nb.cells) if re.search(pattern, c.source.replace(" ", ""))]
    assert [nb.cells[i].id for i in named] == ["1836fc0e"]
    assert "notebook05startsfromthisnumber" in nb.cells[named[0]].source.replace(" ", "").lower()
    last_exercise = max(
        i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])
    )
    assert named[0] > last_exercise
    check = next(c.source for c in nb.cells if c.id == "2a126aa9")
    assert "shared_L = da_dz * dC_da      # dC_i/dz^L" in check and "delta^L" in check
    assert "dC_dz" not in _text(nb)
    summary = next(c.source for c in nb.cells if c.source.startswith("## Summary"))
    assert "05" not in summary


def test_04_shows_the_graph_unlabelled_before_the_exercises_and_labelled_after():
    nb = _notebook("04_chain_rule.ipynb")
    tagged = [i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]
    bare = _at(nb, lambda c: c.cell_type == "code" and "chain_graph(labels=False)" in c.source)
    full = _at(nb, lambda c: c.cell_type == "code" and c.source.strip() == "chain_graph()")
    assert bare < tagged[0] and tagged[-1] < full
    html = "".join(o.get("data", {}).get("text/html", "") for o in nb.cells[bare].outputs)
    assert "arrows carry no labels" in html and "σ′" not in html


def test_04s_explorer_caption_leaves_05s_saturation_question_open():
    """The stored caption of the chain explorer describes the picture (a small slope) without
    the lesson that 05's predict-then-run question asks for."""
    nb = _notebook("04_chain_rule.ipynb")
    cell = nb.cells[_at(nb, lambda c: c.source.strip() == "chain_explorer()")]
    stored = "".join(
        "".join(o.get("data", {}).get(kind, "")) for o in cell.outputs for kind in ("text/html",)
    )
    assert "slope" in stored
    for phrase in ("saturat", "crawl", "learn"):
        assert phrase not in stored.lower(), phrase


def test_04s_predict_asks_what_a_zero_weight_does_to_descent_and_runs_it():
    """The question is qualitative (which weight moves when) and not answered above it: 04 shows
    no gradient at w^L = 0, and the products (10) and (11) of layer L-1 come after it. The letter
    comes from two steps of descent actually taken, and the check compares the first step's
    gradients with bplib's backprop; the example's x is not 1, so (10) and (11) differ."""
    nb = _notebook("04_chain_rule.ipynb")
    ask = _at(nb, lambda c: c.get("id") == "predict-zero-weight")
    above = "".join(c.source for c in nb.cells[:ask]).replace(" ", "")
    assert "w^L=0" not in above and "w(L)=0" not in above
    assert ask < _at(nb, lambda c: "\\tag{10}" in c.source)  # before layer L-1's products
    assert "first two steps" in nb.cells[ask].source
    run = nb.cells[_at(nb, lambda c: c.get("id") == "predict-zero-weight-run")].source
    assert "actual = next(" in run and "for step in range(2)" in run
    assert '"B"' not in run.split("reveal(")[1]
    check = nb.cells[_at(nb, lambda c: c.get("id") == "predict-zero-weight-run-check")].source
    assert 'actual == "B"' in check and "zero_net.gradients" in check
    first = nb.cells[_at(nb, lambda c: c.get("id") == "bc83a75f")].source
    assert "x, y = 1.5, 0.8" in first
    rows = {}
    for c in nb.cells:
        for o in c.get("outputs", []):
            for name, value in re.findall(
                r"dC_i/d(\w\^\(L-1\))\s+chain rule ([+-][\d.]+)", o.get("text", "")
            ):
                rows[name] = float(value)
    assert {"w^(L-1)", "b^(L-1)"} <= set(rows) and rows["w^(L-1)"] != rows["b^(L-1)"]


SERIES = sorted(p.stem for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("name", SERIES)
def test_every_notebook_writes_the_layer_without_parentheses(name):
    """One style across the series: a^L, a^{L-1}, w^L (never a^{(L)}), in the text, the exercise
    statements and feedback, and the stored captions and figure labels (plain text may group a
    longer superscript, a^(L-1), but writes a^L, not a^(L)). A paragraph that quotes the note's
    a^{(L)} says so ("the note")."""
    from bplib.exercises import EXERCISES

    nb = _notebook(f"{name}.ipynb")
    text = "\n\n".join(p for p in _text(nb).split("\n\n") if "the note" not in p.lower())
    stored = "".join(
        str(v) for c in nb.cells for o in c.get("outputs", []) for v in o.get("data", {}).values()
    )
    exercises = [e for e in EXERCISES.values() if e.notebook == name[:2]]
    feedback = " ".join(
        [e.statement for e in exercises] + [b.message for e in exercises for b in e.bugs]
    )
    for where, words in (("text", text), ("outputs", stored), ("exercises", feedback)):
        assert "^{(" not in words and "<sup>(" not in words, where
        assert not re.search(r"\^\([LlJjKk]\)", words), where
    if name == "04_chain_rule":
        assert "$a^{L-1}$" in _text(nb) and "$w^L$" in _text(nb)


def test_03s_first_exercise_leaves_the_direction_to_equation_1():
    """Exercise 3.1 gives the length of the step, not 'eta times the gradient' nor its sign:
    the reader finds the direction from (1), which c04 introduces from the 1-D tangent; 02's
    parabola caption says the sign of the slope, not which way to move."""
    nb = _notebook("03_gradient_descent.ipynb")
    statement = nb.cells[_at(nb, lambda c: c.get("id") == "ex03-steepest_step-statement")].source
    for given in ("times the gradient", "against the gradient", "-\\eta", "−η", "subtract"):
        assert given not in statement, given
    assert "(1)" in statement
    c04 = nb.cells[_at(nb, lambda c: c.get("id") == "c04")].source
    assert c04.index("C'(\\theta)\\,h") < c04.index("\\tag{1}") and "notebook\n02" in c04
    caption = _outputs_text(_notebook("02_cost.ipynb"), "c11")
    assert "which way a must move" not in caption and "sign of a − y" in caption


def _outputs_text(nb, cell_id):
    cell = nb.cells[_at(nb, lambda c: c.get("id") == cell_id)]
    return "\n".join(
        o.get("text", "") + "".join(str(v) for v in o.get("data", {}).values())
        for o in cell.outputs
    )


def test_03s_neuron_caption_says_what_to_try_and_leaves_the_numbers_to_the_sliders():
    """The descent explorer's caption is short: what the picture shows, the limit, and two etas
    past it to try, which the steps reproduce: the first keeps jumping clearly above the minimum
    over the last ten steps, the second ends on a plateau (a high cost, an almost flat gradient).
    It quotes none of the costs the reader finds with the sliders (the folded answers do)."""
    from bplib.explorers.descent import (
        descend_neuron,
        neuron_cost,
        neuron_gradient,
        neuron_minimum,
    )

    text = _outputs_text(_notebook("03_gradient_descent.ipynb"), "c22")
    caption = re.search(r"What to notice:(?:</b>)?\s*(.*?)(?:</div>|\n|$)", text)[1]
    assert len(re.findall(r"[.?!](?:\s|$)", caption)) <= 4  # about three sentences
    c_min = neuron_minimum()[1]
    m = re.search(r"set (\d+) steps, try η = (\d+), then try η = (\d+)", caption)
    steps, eta_bounce, eta_stuck = map(int, m.groups())
    p = descend_neuron(-2.0, 2.5, eta_bounce, steps)
    assert neuron_cost(p[-10:, 0], p[-10:, 1]).min() > 2 * c_min  # it bounces above the minimum
    assert neuron_cost(p[-10:, 0], p[-10:, 1]).max() < 10 * c_min  # ... not on the plateau
    p = descend_neuron(-2.0, 2.5, eta_stuck, steps)
    assert neuron_cost(*p[-1]) > 10 * c_min and max(map(abs, neuron_gradient(*p[-1]))) < 1e-3
    # the limit, derived in the text, and no costs
    assert re.findall(r"\d+\.\d+", caption) == ["48.5"]
    assert "times the minimum" in caption and "?" not in caption.split("minimum", 1)[0]


def test_the_index_draws_the_reader_in_and_points_each_slip_to_its_notebook():
    """00 says what the reader will be able to do, how a notebook works (the three kinds of cells
    that ask something of the reader) and the path; each slip names the notebook where the
    reader catches it, as a link, and 00 ends its slips with a link to start 01."""
    nb = _notebook("00_index.ipynb")
    text = _text(nb)
    opening = nb.cells[_at(nb, lambda c: c.source.startswith("# 00"))].source
    assert "any depth" in opening and "notebook 10" in opening.lower()
    how = nb.cells[_at(nb, lambda c: c.source.startswith("## How a notebook works"))].source
    for kind in (
        "**Predict, then run.**",
        "**Exercises.**",
        "**Explorers.**",
        "names the likely bug",
    ):
        assert kind in how, kind
    slips = nb.cells[_at(nb, lambda c: "**slip 1**" in c.source)].source
    for k, notebook in ((1, "03_gradient_descent"), (2, "05_output_error"), (3, "06_backprop")):
        row = next(line for line in slips.splitlines() if line.startswith(f"| **slip {k}**"))
        assert f"]({notebook}" in row, row
    assert "**Start here: [01 · The network](01_network.ipynb)**" in text


def test_02_states_its_cost_convention_once_and_checks_it():
    """The note's missing ½ is taught where the cost is defined (section 1) and checked twice, on
    one example and on a weight's slope; the first cell, the explorers and the summary do not
    restate it, and the first code cell asserts that the note's cost is twice bplib's."""
    nb = _notebook("02_cost.ipynb")
    first = nb.cells[_at(nb, lambda c: c.source.startswith("# 02"))].source
    assert "½" not in first and "tfrac12" not in first and "convention" not in first.lower()
    summary = nb.cells[_at(nb, lambda c: c.source.startswith("## Summary"))].source
    assert "half=False" not in summary and "the note" not in summary.lower()
    code = [c.source for c in _cells(nb) if c.cell_type == "code"]
    assert sum("half=False" in s for s in code) == 2  # c05 and the gradient check
    from bplib.explorers import cost

    assert "the note" not in cost.cost_parabola_explorer().caption
    code = nb.cells[_at(nb, lambda c: c.cell_type == "code" and "C_note" in c.source)].source
    assert "assert np.isclose(C_note, 2 * C_half)" in code


def test_02_says_nothing_of_the_averaged_gradient_above_exercise_2_2():
    """That the gradient of the mean is the mean of the gradients (the 1/n of exercise 2.2) is
    said after the exercise, in the cell that checks its answer, not in section 2 above it."""
    nb = _notebook("02_cost.ipynb")
    ex = _at(nb, lambda c: c.get("id") == "ex02-cost_gradient-statement")
    above = "\n".join(c.source for c in nb.cells[1:ex]).replace(" ", "")
    for phrase in ("per-examplegradients", r"\frac1n\sum_i\frac{\partialC_i}", "averagedpartials"):
        assert phrase not in above, phrase
    after = "\n".join(c.source for c in nb.cells[ex:]).replace(" ", "")
    assert r"\frac1n\sum_i\frac{\partialC_i}{\partialw}" in after


def test_the_index_leaves_the_rows_form_to_exercise_1_1_and_its_code_to_01():
    """00 comes before exercise 1.1 (the forward pass with one example per row): its notation
    table writes the column form only, its code cells use nothing 01 has not taught yet
    (no forward pass, no cost object, no example index), and the slips table has no column
    that hints at the answers."""
    nb = _notebook("00_index.ipynb")
    text = _text(nb)
    assert not re.search(
        r"a\^\{l-1\}\s*\(W\^l\)\^T|A\^\{l-1\}\s*\(W\^l\)\^T|@ net\.W\[\w+\]\.T", text
    )
    code = "\n".join(c.source for c in _cells(nb) if c.cell_type == "code")
    for later in ("feedforward", "cost_function", "i - 1", "net.cost"):
        assert later not in code, later
    slips = nb.cells[_at(nb, lambda c: "**slip 1**" in c.source)].source
    assert "why it is easy" not in slips and len(slips.split("\n\n")) <= 4


def test_the_index_has_the_reader_run_a_check_and_a_prediction_before_01():
    """00 is not only prose: a real check cell (exercise 1.2's, not written yet, so it says
    "not attempted" and gives nothing away) and a first predict-then-run question on the
    storage of W, asked before the cell that prints the shapes, with lettered options."""
    from bplib.exercises.predict import ASK_TEXT

    nb = _notebook("00_index.ipynb")
    at = {c.get("id"): i for i, c in enumerate(nb.cells)}
    demo = nb.cells[at["c00-check-demo"]]
    assert at["c00b"] < at["c00-check-demo"] < at["c01"]
    assert 'check("tanh_prime", tanh_prime)' in demo.source and "NotImplementedError" in demo.source
    out = "".join(
        o.get("text", "") or o.get("data", {}).get("text/plain", "") for o in demo.outputs
    )
    assert out.startswith("tanh_prime: not attempted") and "1 - " not in out
    guess, run = nb.cells[at["c00-predict-guess"]], nb.cells[at["c00-predict-run"]]
    assert at["c03"] < at["c00-predict"] < at["c00-predict-guess"] < at["c00-predict-run"]
    assert at["c00-predict-run"] < at["c04"]  # asked before the shapes are printed
    assert guess.source == 'prediction = None  # your guess: "A", "B", "C" or "D"'
    assert 'options="ABCD"' in run.source
    # the reveal's set-up code says it need not be read; the notebook says where make lab is typed
    assert run.source.startswith("# You need not read this code: run it.")
    assert "`make lab` in a terminal, in the course folder" in nb.cells[at["c00b"]].source
    # the folded full notation: 01-03's symbols first, the error of a layer only after them
    full = nb.cells[at["c05c"]].source
    early, late = full.split("**From notebook 04 on**")
    assert "**Notebooks 01–03.**" in early and r"$\delta^l$" not in early and "odot" not in early
    assert r"| $\delta^l$, $\Delta^l$" in late and r"| $\odot$" in late and r"$\eta$" not in late
    (result,) = [o for o in run.outputs if o.output_type == "execute_result"]
    assert result["data"]["text/plain"] == ASK_TEXT and "<details>" in result["data"]["text/html"]
    prompt = nb.cells[at["c00-predict"]].source
    # it applies the convention (direction, layer superscript, numpy's count from 0), not
    # reads a shape off the Weights line: four entries, none named as the answer
    assert "to neuron 1 of layer 2 from neuron 3 of layer 1" in prompt
    for entry in ("`net.W[1][0, 2]`", "`net.W[2][2, 0]`", "`net.W[2][0, 2]`", "`net.W[1][2, 0]`"):
        assert entry in prompt
    assert "w^2_13" not in prompt and "w^2_{13}" not in prompt
    # the one convention, said once: a superscript on a layer's quantity is its layer, on a
    # bracket or a norm a power
    notation = nb.cells[at["c03"]].source
    assert "**never a power**" in notation and r"\lVert a^L - y\rVert^2" in notation
    assert "tanh" not in notation  # a power's example must not hint at exercise 1.3's answer
    # the question's answer is not ready-made above it: numpy counts from 0, and the rule
    # w^l_jk = net.W[l][j - 1, k - 1] is stated in the reveal's why
    above = "\n".join(c.source for c in nb.cells[: at["c00-predict"]])
    assert "j - 1" not in above and "net.W[l][" not in above and "counts from 0" in notation
    assert "w^l_jk is net.W[l][j - 1, k - 1]" in run.source
    # the notation and its question come before the BP table and the slips
    assert at["c04"] < at["c01b"] < at["c02"]


def test_01s_tanh_prime_tells_one_story_and_names_tanh_applied_to_t_again():
    """1.2's statement tells one story (the slope from the activation t alone, as (9) reads σ′
    off σ), not bplib's `prime`, which takes z; a reader who follows hint 2 with t for z,
    4σ(2t)(1 − σ(2t)), or writes 1 - tanh(t)**2, is told in their own terms that the slope
    was taken at t instead of z, and 4t(1 − t) (t for σ(2z)) is named too."""
    from bplib.exercises import EXERCISES, check

    statement = EXERCISES["tanh_prime"].statement
    assert (
        "from `t` alone" in statement
        and "`prime`" not in statement
        and "never a[l]" not in statement
    )

    def sig(u):
        return 1 / (1 + np.exp(-u))

    for slip in (lambda t: 1 - np.tanh(t) ** 2, lambda t: 4 * sig(2 * t) * (1 - sig(2 * t))):
        fb = check("tanh_prime", slip)
        assert fb.bug == "tanh_of_t" and "at the point t, not at z" in fb.message
        assert "4σ(2t)(1 − σ(2t))" in fb.message and "solve" in fb.message
    fb = check("tanh_prime", lambda t: 4 * t * (1 - t))
    assert fb.bug == "four_t" and "4t(1 − t)" in fb.message and "σ(2z) is not t" in fb.message


def test_03s_descend_check_names_a_list_and_a_single_theta():
    """Exercise 3.2 asks for one array: a list of the right points is named, not passed; a
    function that returns theta0 itself is told it returned one θ, not blamed on a sum."""
    import exercises.reference.nb03_gradient_descent as ref
    from bplib.exercises import check

    fb = check("descend", lambda *args: list(ref.descend(*args)))
    assert fb.status == "wrong" and fb.bug == "not_an_array" and "np.array(path)" in fb.message
    fb = check("descend", lambda grad_C, theta0, eta, max_steps, tol: theta0)
    assert fb.bug == "single_theta" and "sum or mean" not in fb.message
    assert check("descend", ref.descend).passed


def test_04s_check_says_return_the_number_itself_for_an_array_of_one_value():
    """A size-1 array where a number is asked (np.array([g]), or a (1, 1) product) holds the
    right count of values: the feedback says to return the number itself, not that a sum or
    mean is missing; two values where one is asked still ask for the reduction."""
    from bplib.exercises import EXERCISES, check

    ref = EXERCISES["dC_dw"].reference
    for wrap in (lambda g: np.array([g]), lambda g: np.array([[g]])):
        fb = check("dC_dw", lambda *a, wrap=wrap: wrap(ref(*a)))
        assert fb.status == "wrong" and "float(" in fb.message, fb.message
        assert "sum or mean" not in fb.message
    fb = check("dC_dw", lambda *a: np.array([ref(*a), ref(*a)]))
    assert "sum or mean" in fb.message and "float(" not in fb.message


def test_02s_statements_say_numpy_not_bplibs_cost():
    """00 promises that a statement says when not to use bplib; 2.1 and 2.2's checks refuse a
    call into a bplib cost, so their statements say so."""
    from bplib.exercises import EXERCISES

    for name in ("batch_cost", "cost_gradient"):
        statement = " ".join(EXERCISES[name].statement.split())
        assert "Use numpy, not `bplib.quadratic" in statement and "refuses" in statement, name


@pytest.mark.parametrize(
    "notebook, answers",
    [
        ("01_network.ipynb", "nb01-explore-answers"),
        ("02_cost.ipynb", "c21-answers"),
        ("02_cost.ipynb", "c11-answers"),
        ("03_gradient_descent.ipynb", "c10-answers"),
        ("03_gradient_descent.ipynb", "c22-answers"),
    ],
)
def test_explorer_answers_are_folded_and_their_check_is_hidden_and_quiet(notebook, answers):
    """The answers to an explorer's questions sit in a folded block; the cell that checks their
    numbers is hidden and prints no number (round-2 convention)."""
    nb = _notebook(notebook)
    k = _at(nb, lambda c: c.get("id") == answers)
    assert nb.cells[k].source.startswith("<details>")
    code = nb.cells[k + 1]
    assert code.cell_type == "code" and code.metadata["jupyter"]["source_hidden"] is True
    printed = "".join(o.get("text", "") for o in code.outputs)
    assert printed.strip() and not re.search(r"\d", printed), printed


def test_02_defines_a_partial_derivative_before_exercise_2_2_and_checks_the_mean_of_slopes():
    """Exercise 2.2 asks for every dC/dA_ij: section 2 says in words what a partial derivative
    and the gradient with respect to A are, and measures one by a central difference, before the
    exercises. After them, c09 checks on one weight that the batch's slope is the mean of the
    examples' own slopes, which c17b states."""
    nb = _notebook("02_cost.ipynb")
    ex = _at(nb, lambda c: c.get("id") == "ex02-heading")
    words = _at(nb, lambda c: "**partial derivative**" in c.source and "**gradient**" in c.source)
    measured = _at(nb, lambda c: c.cell_type == "code" and "dC_dA12" in c.source)
    assert words < measured < ex
    c09 = nb.cells[_at(nb, lambda c: c.get("id") == "c09")].source
    assert "assert np.isclose(slope, slope_i.mean()" in c09
    from bplib.explorers.cost import NODE1_BIAS, batch_example

    A, Y = batch_example(12)  # the batch explorer's best common shift of node 1 is not 0
    shifts = np.round(np.linspace(-0.3, 0.3, 61), 2)
    C = [0.5 * ((A + [s, 0] - Y) ** 2).sum(axis=1).mean() for s in shifts]
    assert shifts[int(np.argmin(C))] == -NODE1_BIAS != 0


def test_03_introduces_kappa_and_lambda_where_they_are_used_each_with_a_check():
    """kappa is named in section 3 and measured by a second difference in the next code cell;
    the neuron question rests on one stated fact (no curvature above 5/16), checked in the
    folded box; lambda is named in section 4, where one visible cell prints lambda and the limit
    2/lambda (from bplib's helper) and tests the limit; the 180-line measurement of lambda by
    second differences, the fact, why 5/16 and the Hessian sit in one folded optional box at the
    end of the section, its check cell hidden."""
    nb = _notebook("03_gradient_descent.ipynb")
    kappa = _at(nb, lambda c: c.get("id") == "c07-limit")
    assert "\\kappa" in nb.cells[kappa].source and "second difference" in nb.cells[kappa].source
    code = next(c for c in nb.cells[kappa + 1 :] if c.cell_type == "code")
    assert "kappa = (C(0.3 + h) - 2 * C(0.3) + C(0.3 - h)) / h ** 2" in code.source
    # the prediction: one fact, no list of facts, nothing about sigma' or the Hessian
    prompt = nb.cells[_at(nb, lambda c: c.get("id") == "predict-neuron-eta")].source
    assert "none of these parabolas has a curvature above $5/16$" in prompt
    assert "checked in the\nfolded box at the end of this section" in prompt
    for extra in ("\\sigma'", "at most the sum", "Hessian", "optional"):
        assert extra not in prompt, extra
    # lambda: one short visible cell prints it and the limit, and tests the limit
    lam = _at(nb, lambda c: "**The steepest curvature, $\\lambda$.**" in c.source)
    main = nb.cells[lam + 1].source
    assert nb.cells[lam + 1].get("id") == "c16"
    assert "eta_limit = neuron_eta_limit()" in main and "lam = 2 / eta_limit" in main
    assert "(distance < 0.01) == (eta < eta_limit)" in main  # the limit, tested
    out = "".join(o.get("text", "") for o in nb.cells[lam + 1].outputs)
    assert out.startswith("lambda = 0.041, so (6) says eta < 2 / lambda = 48.5\n")
    # section 4 is lighter: the 180-line measurement is in no visible cell, and at most 13
    # visible cells from its heading to the summary
    section = _at(nb, lambda c: c.source.startswith("## 4. Two parameters"))
    optional = _at(nb, lambda c: c.get("id") == "c19")
    visible = [
        c
        for c in nb.cells[section : optional + 1]
        if not c.metadata.get("jupyter", {}).get("source_hidden")
    ]
    assert len(visible) <= 13, [c.get("id") for c in visible]
    assert not any(
        "phis" in c.source or "180" in c.source for c in visible if c.cell_type == "code"
    )
    # no linear algebra before the optional box
    for cell in nb.cells[:optional]:
        if cell.cell_type == "code":
            assert "eig" not in cell.source, cell.get("id")
        else:
            assert "Hessian" not in cell.source and "eigen" not in cell.source, cell.get("id")
    # one folded optional box, right before the summary, whose hidden cell measures lambda along
    # 180 lines, checks the question's fact and the box's statements
    box = nb.cells[optional]
    assert box.source.startswith("<details>") and box.source.rstrip().endswith("</details>")
    assert "Hessian" in box.source and "5/16" in box.source and "180 straight lines" in box.source
    assert nb.cells[optional + 2].source.startswith("## Summary")
    assert not any(c.source.startswith("### Optional") for c in nb.cells)
    facts = nb.cells[optional + 1]
    assert facts.metadata.get("jupyter", {}).get("source_hidden")
    assert "cost(w_star + h * dw, b_star + h * db) - 2 * cost(w_star, b_star)" in facts.source
    assert "np.isclose(curvature.max(), lam, rtol=1e-3)" in facts.source
    assert "assert lam <= 5 / 16" in facts.source
    assert "max(curv_w, curv_b) < lam <= curv_w + curv_b <= 5 / 16" in facts.source
    assert "np.isclose(curv_w, np.mean(slope_sq * x ** 2)" in facts.source
    assert "np.isclose(curv_b, np.mean(slope_sq)" in facts.source
    assert "np.linalg.eigh(H)" in facts.source
    assert not any(
        "\\lambda" in c.source for c in nb.cells[_at(nb, lambda c: c.get("id") == "c05") : lam]
    )


@pytest.mark.parametrize("name", ["04_chain_rule.ipynb", "05_output_error.ipynb"])
def test_04_and_05_never_rebind_an_exercise_name_outside_its_cells(name):
    """A number computed in the text must not take an exercise's name (04's section 3 calls
    its slope against a^(L-1) dCi_da_prev): the reader's function would be gone for a re-run
    of its check cell."""
    from bplib.exercises import EXERCISES

    nb = _notebook(name)
    names = [e.name for e in EXERCISES.values() if e.notebook == name[:2]]
    assert names
    for cell in nb.cells:
        if cell.cell_type != "code" or "exercise" in cell.metadata.get("tags", []):
            continue
        for ex in names:
            assert not re.search(rf"\b{ex}\s*=(?!=)", cell.source), (cell.get("id"), ex)


def test_04_says_once_that_the_half_cancels_the_squares_2():
    """That the 1/2 of C_i cancels the square's 2 is said once, in 04's section 3 (cell
    1836fc0e); elsewhere in 04 and 05 (cells, hints, feedback, 05's explorer caption) a few words
    refer back, except 4.1's feedback on a stray 2 (where the reader first meets it) and 05's
    note's slip, where the 2 has nothing to cancel."""
    from bplib.exercises import EXERCISES
    from bplib.explorers.output_error import output_error_explorer

    def says_it(text):
        return [
            s
            for s in re.split(r"(?<=\.)\s", text)
            if re.search(r"cancel|meet", s)
            and "nothing to cancel" not in s
            and re.search(r"½|\\tfrac12|square's 2|the 2\b", s)
        ]

    found = []
    for name in ("04_chain_rule.ipynb", "05_output_error.ipynb"):
        found += [(c.get("id"), s) for c in _notebook(name).cells for s in says_it(c.source)]
    for ex in EXERCISES.values():
        if ex.notebook in ("04", "05"):
            texts = [*ex.hints] + [
                b.message for b in ex.bugs if (ex.name, b.key) != ("dC_dw", "stray_two")
            ]
            found += [(ex.name, s) for t in texts for s in says_it(t)]
    found += [("caption", s) for s in says_it(output_error_explorer().caption)]
    assert [where for where, _ in found] == ["1836fc0e"], found


def test_04_feedback_names_the_bug_and_asks_instead_of_giving_the_fixed_formula():
    """04's feedback on a wrong answer never ends with the corrected formula (4.3's missing
    sigma'(z^l) once ended with the whole hand-back rule): the messages that point at the fix
    end with a question, and none writes out the right factor it leaves to the reader."""
    from bplib.exercises import EXERCISES

    messages = {
        (ex.name, b.key): b.message
        for ex in EXERCISES.values()
        if ex.notebook == "04"
        for b in ex.bugs
    }
    for fix in ("= w^l · σ′(z^l)", "= a^L − y", "is a^L − y", "σ(z)(1 − σ(z))", "a(1 − a)"):
        assert not [k for k, m in messages.items() if fix in m], fix
    asking = [("dC_dw_chain", "no_prime_handed_back"), ("dC_dw", "sigma_not_prime")]
    asking += [("dC_dw", "prime_of_a")]
    asking += [(n, k) for n in ("dC_da_prev", "dC_dw_chain") for k in ("sign", "stray_two")]
    asking += [("dC_dw", "sign")]
    for key in asking:
        assert messages[key].rstrip().endswith("?"), (key, messages[key])


def test_05_checks_the_notes_slip_with_code():
    """05's 'note's slip' (its output error is half the error of its own cost without the 1/2)
    is checked by a code cell after it: central differences of bplib.Quadratic(half=False) by
    z equal twice (4)."""
    nb = _notebook("05_output_error.ipynb")
    slip = _at(nb, lambda c: "**The note's slip.**" in c.source)
    after = [c.source for c in nb.cells[slip + 1 :] if c.cell_type == "code"][:3]
    check = [s for s in after if "bplib.Quadratic(half=False)" in s]
    assert check and "dC_dz_numerical(Z, Y, note_cost), 2 * Delta_L) < 1e-7" in check[0]
    import bplib

    a, y, z = np.array([[0.3, 0.8]]), np.array([[1.0, 0.0]]), np.array([[-0.85, 1.4]])
    note = bplib.Quadratic(half=False).delta(a, y, z, bplib.sigmoid)
    assert np.allclose(note, 2 * bplib.quadratic.delta(a, y, z, bplib.sigmoid))


def test_05_says_twice_that_a_saturated_neuron_learns_slowly():
    """That a saturated output has a tiny quadratic error and so learns slowly is said in two
    places, section 3 and the summary; the predicts' reveals, the figure's caption and the
    explorer's caption show their numbers without repeating it."""
    from bplib.explorers.output_error import output_error_explorer

    pattern = re.compile(
        r"learns? slowly|tiny|barely|flat start|most of (its|the quadratic run's) epochs"
        r"|however wrong"
    )
    nb = _notebook("05_output_error.ipynb")
    where = sorted({c.get("id") for c in nb.cells if pattern.search(c.source)})
    assert where == ["0a164b3f", "60620bb2"], where
    assert nb.cells[_at(nb, lambda c: c.get("id") == "0a164b3f")].source.startswith("## 3.")
    assert nb.cells[_at(nb, lambda c: c.get("id") == "60620bb2")].source.startswith("## Summary")
    assert not pattern.search(output_error_explorer().caption)
