"""Notebooks 08 and 09 as a newcomer reads them: 08 writes a batch in capitals as 05-07 do,
its explorers say what to try, and 09 keeps one cost convention (bplib's, with the 1/2)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from bplib.exercises.nb09_gradient_checking import ZOO_BUGS, backprop_with

ROOT = Path(__file__).resolve().parents[1]


def _cells(name):
    return nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4).cells


def test_08_writes_batch_quantities_in_capitals_like_05_to_07():
    cells = _cells("08_training")
    loop = next(c.source for c in cells if c.cell_type == "markdown" and r"\tag{1}" in c.source)
    for capital in (
        r"Z^l = A^{l-1} (W^l)^T + b^l",
        r"A^l = \sigma_l(Z^l)",  # each layer's own activation, as in 10
        r"\Delta^L = (A^L - Y) \odot \sigma_L'(Z^L)",
        r"\Delta^l = (\Delta^{l+1} W^{l+1}) \odot \sigma_l'(Z^l)",
        r"\frac1m (\Delta^l)^T A^{l-1}",
    ):
        assert capital in loop, capital
    # no lowercase batch symbol in the displayed equations (one example's z^l_i is lowercase)
    for display in re.findall(r"\$\$(.*?)\$\$", loop, re.S):
        assert not re.search(r"(?<![\\\w])(z|a)\^\{?l|\\delta\^\{?[lL](?!\S*_i)", display), display


def test_08_each_explorer_has_try_this_bullets():
    cells = _cells("08_training")
    calls = [i for i, c in enumerate(cells) if c.cell_type == "code" and "_explorer()" in c.source]
    assert len(calls) == 2
    for i in calls:
        text = cells[i - 1].source
        assert "**Try this:**" in text, text
        bullets = text.split("**Try this:**", 1)[1].count("\n- ")
        assert 2 <= bullets <= 3 and "?" in text.split("**Try this:**", 1)[1], text


def test_09_uses_bplibs_cost_throughout():
    code = "\n".join(c.source for c in _cells("09_gradient_checking") if c.cell_type == "code")
    assert "half=False" not in code and "Quadratic(" not in code
    assert "factor 2 added" in ZOO_BUGS and "factor 2 dropped" not in ZOO_BUGS
    # the zoo's correct backprop is the gradient of bplib's cost: net.gradients itself
    import numpy as np

    import bplib

    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(4, 3)), rng.uniform(size=(4, 3))
    net = bplib.Network([3, 3, 3], seed=0)
    ours, lib = backprop_with(None, net, X, Y), net.gradients(X, Y)
    for mine, theirs in zip(ours, lib):
        assert all(np.allclose(m, t, rtol=1e-12) for m, t in zip(mine[1:], theirs[1:]))


def test_09_eps_explorer_leaves_the_numbers_to_the_slider():
    """The caption says what to look for; where each precision is best, where the float32 dots
    scatter or lie flat, the reader finds with the slider (the Try-this bullets ask for them)."""
    from bplib.explorers.epsilon import eps_explorer

    caption = eps_explorer().caption
    assert "staircase" in caption and "sooner in float32" in caption
    numbers = re.findall(r"\d+(?:\.\d+)?e-\d+|≈", caption)
    assert numbers == [], numbers
    assert "rounds back" not in caption  # why the squares lie flat: section 3 says it
    assert "what is ĝ" not in caption  # answered in section 3: not asked again
    cells = _cells("09_gradient_checking")
    at = next(
        i for i, c in enumerate(cells) if "eps_explorer()" in c.source and "import" not in c.source
    )
    text = cells[at - 1].source.split("**Try this:**", 1)[1]
    assert 2 <= text.count("\n- ") <= 3 and "?" in text
    # the third bullet asks what section 3 did not answer (the levels of the float32 staircase),
    # and its folded answer follows the cell that counts the levels from the data
    assert "What is $\\hat g$ then" not in text and "height of one" in text
    # no arithmetic on printed numbers: the third bullet asks what a level is, not for a count
    # of float32 steps from C and the slope; the cell after the explorer computes them for the
    # answers, hidden and silent, and the hidden one after it checks the three folded answers
    assert [c.id for c in cells[at + 1 : at + 4]] == [
        "eps-levels-data",
        "eps-explorer-answers-data",
        "eps-levels-answer",
    ]
    assert "assert" not in cells[at + 1].source and "how many float32 steps" not in text
    assert cells[at + 1].metadata["jupyter"]["source_hidden"] is True
    assert "print(" not in cells[at + 1].source and not cells[at + 1].outputs
    hidden = cells[at + 2]
    assert hidden.metadata["jupyter"]["source_hidden"] is True
    assert "len(float32_levels(1e-5)) == round(span) + 1" in hidden.source
    printed = "".join(o.get("text", "") for o in hidden.outputs)
    assert printed.strip() == "The folded answers below were checked against the explorer's data."
    answers = cells[at + 3].source
    assert answers.startswith("<details>") and answers.count("\n- ") == text.count("\n- ")


def _cell(name, cell_id):
    return next(c for c in _cells(name) if c.get("id") == cell_id)


def test_08_batch_size_why_is_computed_and_says_eta_is_fixed():
    run = _cell("08_training", "predict-batch-size-run").source
    assert "C's 20 steps" not in run and "{budget // sizes['C']} steps follow" in run
    assert "η held fixed" in run and "Tuning η for each m narrows the" in run
    assert "tuned_C" in _cell("08_training", "predict-batch-size-run-check").source
    summary = _cell("08_training", "4eb3ca39").source
    assert "held fixed" in summary and "narrows the gap" in summary


def test_08_notation_and_snapshot_run_say_what_they_are():
    import inspect

    from bplib.explorers.learning import snapshot_explorer

    table = _cell("08_training", "13b9e076").source
    assert "$n_l$" in table and "$n_0$ inputs" in table and "$n_L$ outputs" in table
    assert "seed text" not in table and "one-page note on backpropagation" in table
    assert "100,000" not in _cell("08_training", "ec395c33").source
    text = _cell("08_training", "ae0b2088").source
    defaults = inspect.signature(snapshot_explorer).parameters
    hidden, eta = defaults["hidden"].default, defaults["eta"].default
    m, epochs = defaults["batch_size"].default, defaults["epochs"].default
    assert "**different run**" in text and "stalls" in text and "escape" in text
    assert f"{hidden} hidden $\\tanh$ units instead of 8" in text, text
    assert (
        f"$\\eta = {eta:g}$ instead of 3" in text
        and f"mini-batches of {m}, {epochs} epochs" in text
    )
    # section 3's run, which the text contrasts it with
    section2 = _cell("08_training", "80d90568").source
    assert "Network([2, 8, 1]" in _cell("08_training", "fc17ad4c").source and "eta=3.0" in section2


def test_8_1_says_what_it_is_about_and_8_2_names_the_likely_bugs():
    import bplib
    from bplib.exercises import EXERCISES
    from bplib.exercises.checker import feedback_for

    statement = EXERCISES["minibatches"].statement
    # the answer (the slices) is not in the statement, and the traps are the checker's to teach
    assert "start + m" not in statement and "range(0, n, m)" not in statement
    assert "array_split" not in statement and "last m rows" not in statement
    step = EXERCISES["sgd_step"].statement
    assert "sgd_update" not in step and "three layers" not in step
    keys = {bug.key: bug.message for bug in EXERCISES["sgd_step"].bugs}
    for key in ("z_next", "layer_next", "sum_not_mean", "bias_sum", "weight_sum"):
        assert key in keys and "`" not in keys[key] and "z[l" not in keys[key], key

    def two_layers(W, b, sigmas, a0, Y, eta):  # written for L = 2
        z, a = bplib.feedforward_layers(W, b, sigmas, a0)
        d2 = bplib.output_error(a[2], Y, z[2], bplib.quadratic, sigmas[2])
        d1 = bplib.backpropagate_error(d2, W[2], z[1], sigmas[1])
        gW = [None, bplib.weight_gradient(d1, a[0]), bplib.weight_gradient(d2, a[1])]
        gb = [None, bplib.bias_gradient(d1), bplib.bias_gradient(d2)]
        return [None] + [W[l] - eta * gW[l] for l in range(1, len(W))], [None] + [
            b[l] - eta * gb[l] for l in range(1, len(b))
        ]

    fb = feedback_for("sgd_step", two_layers)
    assert fb.status == "error" and "L = 3" in fb.message and "IndexError" not in fb.message

    def down_to_0(W, b, sigmas, a0, Y, eta):  # the BP2 loop runs down to l = 0
        L = len(W) - 1
        z, a = bplib.feedforward_layers(W, b, sigmas, a0)
        delta = [None] * (L + 1)
        delta[L] = bplib.output_error(a[L], Y, z[L], bplib.quadratic, sigmas[L])
        for l in range(L - 1, -1, -1):
            delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[l])
        gW = [None] + [bplib.weight_gradient(delta[l], a[l - 1]) for l in range(1, L + 1)]
        gb = [None] + [bplib.bias_gradient(delta[l]) for l in range(1, L + 1)]
        return [None] + [W[l] - eta * gW[l] for l in range(1, L + 1)], [None] + [
            b[l] - eta * gb[l] for l in range(1, L + 1)
        ]

    fb = feedback_for("sgd_step", down_to_0)
    assert fb.status == "error" and "which is the last layer" in fb.message, fb.message
    assert "range(" not in fb.message and "`" not in fb.message.split("). ", 1)[-1]


def test_09_zoo_rule_and_summary_match_exercise_9_2():
    glance = _cell("09_gradient_checking", "bee03aa9").source
    summary = _cell("09_gradient_checking", "66e18199").source
    for text in (glance, summary):
        assert "BP3 or BP4 spoils every layer" not in text and "BP1, BP3 or BP4" not in text
        assert "twice" in text  # call the gradient function twice
        assert "frac{n-1}{n+1}" not in text and "any cause" not in text  # r's facts: section 2
    assert "weights alone" in glance and "exercise 9.2" in glance


def test_9_2_source_does_not_show_the_missing_mean_in_one_line():
    from bplib.exercises import EXERCISES
    from bplib.exercises.nb09_gradient_checking import BACKPROP_BUGS, BROKEN_BACKPROP_SOURCE

    returned = next(line for line in BROKEN_BACKPROP_SOURCE.splitlines() if "grad_W = [" in line)
    assert "/ n" not in returned, returned  # W^1 and W^2 look alike where they are returned
    assert "at the end" not in EXERCISES["backprop"].statement
    assert "prime_of_a" in BACKPROP_BUGS and "a^1" in BACKPROP_BUGS["prime_of_a"]
    assert "`" not in BACKPROP_BUGS["next_z"]  # names the bug, not the fixed line


def test_09_float32_question_can_be_reasoned_and_the_text_reads_as_instructions():
    cells = _cells("09_gradient_checking")
    ids = [c.get("id") for c in cells]
    at = ids.index("predict-float32")
    before = cells[at - 1]
    assert before.cell_type == "code" and "net.cost(X, Y)" in before.source
    assert "median |g|" in before.source and "cell above printed" in cells[at].source
    assert "**absolute** error" in _cell("09_gradient_checking", "1507705c").source
    note = _cell("09_gradient_checking", "ex09-before-zoo").source
    assert "Find the bugs" in note and "on purpose" not in note and "lookup" not in note
    from bplib.exercises import EXERCISES

    assert "no_restore" in {bug.key for bug in EXERCISES["numerical_gradient"].bugs}


def test_09_gradient_check_says_it_calls_gradients_once_and_float32_wrong_points_above():
    """The predict-zoo answer depends on gradient_check calling gradients(net, X, Y) once per
    check; the float32 question's wrong guess is sent to the sizes printed above it, not to
    an equation that comes after the question."""
    intro = _cell("09_gradient_checking", "cc0b5ed5").source
    assert "once\nper check, as `gradients(net, X, Y)`" in intro
    run = _cell("09_gradient_checking", "predict-float32-run").source
    assert 'wrong="Not this time. Go back to the sizes the cell above the question printed' in run
    assert "(5)" not in run


def test_08_sections_are_numbered_in_order():
    """No "1, continued" after the exercises: the sections run 1, 2, 3, ... and the text's
    references to them point at the section that has what they name."""
    cells = _cells("08_training")
    heads = [c.source.split("\n")[0] for c in cells if re.match(r"## \d", c.source)]
    assert [int(re.match(r"## (\d+)\.", h).group(1)) for h in heads] == list(
        range(1, len(heads) + 1)
    ), heads
    number = {re.match(r"## (\d+)\. (.*)", h).group(2): h.split(".")[0][3:] for h in heads}
    text = "".join(c.source for c in cells)
    assert "continued" not in "".join(heads)
    assert f"section {number['Explore']} replays" in text
    moons = number["Training on the moons"]
    assert f"exactly as in section {moons} but" in text and f"from section {moons}'s" in text


def test_08_live_explorer_question_on_units_is_answered_by_eta():
    """The first Try-this bullet asks at which η 3 hidden units leave the straight line: at the
    default η they stay there (about 88%, a plateau), and some η on the slider gets them off it,
    so the straight line is not a lack of units."""
    import matplotlib

    matplotlib.use("Agg")
    from bplib.explorers.learning import live_training_explorer

    text = next(c.source for c in _cells("08_training") if c.id == "377a965d")
    assert (
        "take 3 units" in text and "from which η" in text.lower() and "how many units" not in text
    )
    assert "only near" not in text and "stays nearly straight" not in text  # asked, not told
    explorer = live_training_explorer()
    eta = explorer.controls["eta"]

    def accuracy(value):
        explorer.set(activation="tanh", eta=value, hidden=3, batch_size=20, epochs=60)
        return float(re.search(r"training accuracy ([\d.]+)%", explorer.text).group(1))

    assert accuracy(eta.value) < 90  # the default eta: nearly straight
    assert accuracy(eta.max) > 95  # the slider's largest eta bends it between the moons
    assert (
        accuracy(15.0) < 90
    )  # "only near the top of the slider": three quarters of it stay straight


def test_08_explorer_questions_have_folded_answers_from_the_data():
    """Each explorer of section 5 asks two questions, and the cell after it computes their answers
    from the explorer's own runs (collapsed, as the answers are); the folded answer under it
    quotes only numbers that cell printed."""
    cells = _cells("08_training")
    ids = [c.get("id") for c in cells]
    for explorer, data, answer, fixed in (
        ("03146a85", "live-explorer-answers-data", "live-explorer-answers", "88.5%"),
        ("538df231", "snapshot-explorer-answers-data", "snapshot-explorer-answers", "unit 3"),
    ):
        at = ids.index(explorer)
        assert ids[at + 1 : at + 3] == [data, answer], ids[at : at + 3]
        questions = cells[at - 1].source.split("**Try this:**", 1)[1]
        answers = cells[at + 2].source
        assert "(Folded answers below the explorer.)" in questions
        assert answers.startswith("<details>") and answers.count("\n- ") == questions.count("\n- ")
        printed = "".join(o.get("text", "") for o in cells[at + 1].outputs)
        assert fixed in printed and fixed in answers
        # the printed numbers are the answers: the data cell opens collapsed, source and output
        assert cells[at + 1].metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
        shown = [float(p) for p in re.findall(r"(\d+(?:\.\d+)?)%", printed)]
        for quoted in re.findall(r"(\d+(?:\.\d+)?)%", answers):
            assert any(abs(float(quoted) - p) < 0.5 for p in shown), (quoted, shown)
        for quoted in re.findall(r"\b0\.\d{4}\b", answers):
            assert quoted in printed, quoted


def test_08_explorer_captions_say_what_the_stored_picture_shows():
    """A reader without a kernel sees only the stored picture of each explorer: its caption
    says what that picture is (the controls' starting values) with numbers the hidden cell under
    the explorer prints, and the explorer's own text agrees. The live explorer no longer asks
    the "same steps, ten times the work" question: the batch-size predict and the summary
    make that point."""
    import re

    cells = {c.id: c for c in _cells("08_training")}
    for caption, explorer, data, pattern in (
        ("377a965d", "03146a85", "live-explorer-answers-data", r"400 steps.*?([\d.]+)%"),
        (
            "ae0b2088",
            "538df231",
            "snapshot-explorer-answers-data",
            r"cost ([\d.]+), accuracy ([\d.]+)%",
        ),
    ):
        text = cells[caption].source
        assert "The picture stored with the notebook shows" in text, caption
        stored = "".join(o.get("text", "") for o in cells[data].outputs)
        line = next(ln for ln in stored.splitlines() if "stored picture" in ln)
        shown = "".join(o.get("data", {}).get("text/plain", "") for o in cells[explorer].outputs)
        for number in re.search(pattern, line).groups():
            assert number in text and number in shown, (caption, number, line)
    live = cells["377a965d"].source.split("**Try this:**", 1)[1]
    assert "batch size m" not in live and "ten times" not in live
    assert "ten times" not in cells["live-explorer-answers"].source
    assert "counted in steps" not in cells["4eb3ca39"].source
    table = cells["dc4ece12"].source
    row = next(ln for ln in table.splitlines() if ln.startswith("| (3)"))
    assert row.endswith(
        "| 06 (one step, exercise 6.2); the loop over layers is yours in notebook 10 |"
    )


def test_08_update_equation_comes_before_the_step_that_needs_it():
    """(6) is written out in section 1, before exercise 8.2's step ends with it, and the text
    tells bplib.descend (one update of every layer) apart from notebook 03's descend."""
    cells = _cells("08_training")
    ids = [c.get("id") for c in cells]
    tagged = next(i for i, c in enumerate(cells) if "\\tag{6}" in c.source)
    assert tagged < ids.index("ex08-sgd_step-statement")
    first_use = next(i for i, c in enumerate(cells) if "bplib.descend(" in c.source)
    told = next(
        i for i, c in enumerate(cells) if "notebook 03" in c.source and "descend" in c.source
    )
    assert told <= first_use


def test_09_exercise_9_1_sits_in_section_1_and_9_2_opens_the_bug_section():
    cells = _cells("09_gradient_checking")
    ids = [c.get("id") for c in cells]
    heads = [
        (i, c.source.split("\n")[0]) for i, c in enumerate(cells) if c.source.startswith("## ")
    ]

    def section(i):
        return [h for j, h in heads if j <= i][-1]

    # inline: no "## Exercises" heading splits section 1 in two
    assert section(ids.index("ex09-numerical_gradient-statement")).startswith("## 1.")
    assert section(ids.index("ex09-heading") - 1).startswith("## 1.")
    assert "## Exercises" not in [h for _, h in heads]
    # 9.1's answer is nowhere above it: no loop over the entries of an array of parameters
    above = "\n".join(c.source for c in cells[: ids.index("ex09-numerical_gradient-statement")])
    assert "ndindex" not in above and ".flat" not in above and "numerical_gradients(" not in above
    assert all(c.cell_type == "markdown" for c in cells[: ids.index("ex09-heading")])  # no code
    # the eps explorer sits in section 3, where the step is chosen
    explorer = next(i for i, c in enumerate(cells) if c.source.strip() == "eps_explorer()")
    assert section(explorer).startswith("## 3.")
    assert section(ids.index("ex09-backprop-statement")).startswith("## 5.")
    # the zoo asks the reader first: which layers does a BP2 bug flag in a deeper network?
    prompt = _cell("09_gradient_checking", "7454a109")
    assert "Predict, then run" in prompt.source and "layers" in prompt.source
    assert "stays right" not in prompt.source  # the answer is in the folded outcome only


def test_08_measured_outcomes_and_figures_say_what_they_show():
    """The batch-size predict is measured (wrong= points to the curves and 07's mini-batch
    cell); the live explorer's "from which eta" is answered with the slider's first bending
    value, checked on both sides in the hidden cell; the digits title matches the boxes."""
    cells = {c.id: c for c in _cells("08_training")}
    assert "wrong=" in cells["predict-batch-size-run"].source
    assert "notebook 07" in cells["predict-batch-size-run"].source.split("wrong=", 1)[1]
    hidden = cells["live-explorer-answers-data"]
    assert hidden.metadata["jupyter"]["source_hidden"] is True
    assert "three[15.5]) < 0.9" in hidden.source and "min(three[16.0]" in hidden.source
    answer = cells["live-explorer-answers"].source
    assert "from η = 16" in answer and "somewhere between" not in answer
    assert "in red" not in cells["62bc6322"].source


def test_09_bug_1_predict_is_not_answered_above_it():
    """The cells before the Bug 1 predict give the facts (BP3/BP4 use their own delta, BP2
    builds delta^l from delta^{l+1}) but not the conclusion the question asks for."""
    cells = _cells("09_gradient_checking")
    at = next(i for i, c in enumerate(cells) if c.id == "7454a109")
    above = "\n".join(c.source for c in cells[:at])
    assert "spoils the gradients that use" not in above
    assert "nothing computed before it" not in above


def test_09_learner_copy_holds_no_assert_of_the_diagnosis_letter():
    """The instructor's notebook asserts exercise 9.2's diagnosis (its one right letter) right
    under the question; the student and learner copies must not show that assert."""
    import ast
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_student_09", ROOT / "tools" / "make_student.py"
    )
    make_student = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_student)

    path = ROOT / "notebooks" / "09_gradient_checking.ipynb"
    nb = nbformat.read(path, as_version=4)

    def asserts_diagnosis(cell):
        if cell.cell_type != "code":
            return False
        tree = ast.parse(cell.source)
        return any(
            isinstance(node, ast.Assert) and "check_diagnosis" in ast.unparse(node)
            for node in ast.walk(tree)
        )

    assert any(asserts_diagnosis(c) for c in nb.cells)  # the instructor's notebook checks it
    for make in (make_student.learner_version, make_student.student_version):
        copy = make(nb)
        shown = [c.get("id") for c in copy.cells if asserts_diagnosis(c)]
        assert not shown, f"{make.__name__}: {shown} assert the diagnosis letter"
