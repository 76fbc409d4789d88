"""Notebooks 05, 06 and 08 ask before they tell.

Each exercise and each predict-then-run question of these notebooks must make the reader
think: nothing above it may state its answer. These tests read the stored notebooks (cheap,
nothing runs) and pin the places where an answer used to be given away:

- 05: the output error (exercise 5.1) is not written above the exercise, not even as notebook
  04's factor; the bias gradient as the mean of the rows (notebook 07 derives it from BP3) is
  not in 05 at all; the batch's error is one symbol, Delta^L, defined in the notation table; the
  saturation question is not answered above it;
- 06: the vanishing-error question does not give the bound on sigma';
- 08: the update (6) comes after exercise 8.2, in the notebook and in the exercise's own cells;
  the step (8.2) and the epoch (8.3) come before the code that runs them; the batch-size
  question gives every size the same work and asks which ends lowest;
- all three: w^l_jk (lowercase) for an entry of W^l.
"""

from __future__ import annotations

import inspect
import re

import pytest
from notebook_cells import cells as _cells
from notebook_cells import index as _at

from bplib.exercises import EXERCISES

NB05, NB06, NB08 = "05_output_error", "06_backpropagating_error", "08_training"


def _math(text):
    """The TeX of every $...$ and $$...$$ span of a markdown text."""
    return re.findall(r"\$\$(.+?)\$\$|\$(.+?)\$", text, flags=re.S)


# ----------------------------------------------------------------------------
# 05
# ----------------------------------------------------------------------------
def test_05_nothing_above_exercise_5_1_writes_the_output_error():
    """Up to 5.1's statement no cell has sigma' next to an a - y (the answer, with or without
    the 2 of notebook 04), no equation (2) and no code with sigmoid.prime: the reader derives
    delta^L_j from the definition (1) and the chain rule."""
    cells = _cells(NB05)
    upto = cells[: _at(cells, "ex05-output_error-statement") + 1]
    for cell in upto:
        text = cell.source.replace(" ", "")
        both = ("\\sigma'" in text or "σ′" in text) and re.search(r"a\S{0,12}-y", text)
        assert not both, f"05 gives the output error above exercise 5.1:\n{cell.source}"
        assert "\\tag{2}" not in text, cell.source
        assert cell.cell_type == "markdown" or "sigmoid.prime" not in text, cell.source
    assert any("\\tag{1}" in c.source for c in upto)  # the definition is there to start from
    after = cells[_at(cells, "ex05-output_error-solution") :]
    assert any("\\tag{2}" in c.source for c in after)  # the chain rule follows the exercises


def test_05_does_not_give_the_bias_gradient():
    """The bias gradient as the mean of delta over the rows is notebook 07's, from BP3."""
    for cell in _cells(NB05):
        text = cell.source
        assert "mean(axis=0)" not in text and "grad_b" not in text, text
        assert "averaged into the gradients" not in text, text
        assert not re.search(r"\\partial b\^L", text), text


def test_05_the_batch_error_is_Delta_from_the_notation_table_on():
    cells = _cells(NB05)
    first = next(i for i, c in enumerate(cells) if "\\Delta^L" in c.source)
    assert cells[first].source.startswith("## Notation recap")
    for cell in cells:
        if cell.cell_type != "markdown":
            continue
        assert "\\delta^L_{ij}" not in cell.source, cell.source
        for span in _math(cell.source):
            tex = "".join(span)
            if re.search(r"A\^L\s*-\s*Y|Z\^L_\{ij\}", tex) and "\\delta^L" in tex:
                assert "\\Delta^L" in tex, f"a batch error written as delta^L: {tex}"


def test_05_the_saturation_question_is_not_answered_above_it():
    """Nothing above the question (outside the folded solutions) says what a flat sigmoid does
    to the error; the question is not 04's (a flat tail means a small slope) but where along the
    path from z = 0 down, with two factors pulling opposite ways, the error is largest (B: between
    0 and -1), and it does not point to exercise 5.1."""
    cells = _cells(NB05)
    at = _at(cells, "predict-saturated")
    above = "\n".join(
        c.source.replace(" ", "")
        for c in cells[: at + 1]
        if "solution" not in c.metadata.get("tags", [])
    )
    for phrase in (
        "saturat",
        "learnsslowly",
        "learnslowly",
        "\\sigma'\\approx0",
        "\\tfrac14",
        "1/4",
    ):
        assert phrase not in above, phrase
    prompt = cells[at].source
    assert "exercise 5.1" not in prompt and "Where along the way is the size of its error" in prompt
    run = cells[_at(cells, "predict-saturated-run-check")].source
    assert 'actual == "B" and larger_then_smaller' in run
    tries = cells[_at(cells, "try-output-error")].source
    assert "Where exactly?" in tries  # the explorer asks the follow-up, not the question again
    assert "Where is it largest?" not in tries


def test_05_exercise_5_1_needs_the_chain_rule_not_04s_factor():
    """04 wrote sigma'(z) 2(a - y) for the sigmoid; 5.1 weights each node's term by c_j and
    passes the output activation, and its check tries tanh after the sigmoid, so copying 04's
    factors without the 2 is not enough."""
    ex = EXERCISES["output_error"]
    assert ex.params == ["a_L", "y", "z_L", "c", "sigma"]
    assert [case[4].name for case in ex.cases()] == ["sigmoid", "tanh"]
    assert "sigmoid" not in ex.imports
    assert {"sigmoid_prime_always", "no_weights"} <= {b.key for b in ex.bugs}


def test_05_exercise_5_1_s_weighted_cost_is_not_written_above_it_in_the_series():
    """5.1 asks for the output error of a cost with a weight c_j per node, which no notebook
    before it differentiates: the reader applies the chain rule rather than copying 02's
    a - y or 04's 2(a - y) sigma'(z)."""
    from notebook_cells import cells as all_cells

    for name in ("01_network", "02_cost", "03_gradient_descent", "04_chain_rule"):
        for cell in all_cells(name):
            assert "c_j" not in cell.source, (name, cell.source)
    cells = _cells(NB05)
    upto = cells[: _at(cells, "ex05-output_error-statement")]
    assert not any("c_j" in c.source for c in upto)
    assert "c_j" in cells[_at(cells, "ex05-output_error-statement")].source


def test_05_defines_an_epoch_where_it_first_uses_one():
    cells = _cells(NB05)
    first = next(c for c in cells if "epoch" in c.source.lower())
    assert "one **epoch**, a pass over the data" in first.source


def test_05_the_cross_entropy_check_has_saturated_nodes():
    """Exercise 5.2 asks for the simplest form; (7) times sigma' is equal in exact arithmetic,
    so only a node with |z| = 40 (sigma rounds to 0 or 1) tells them apart."""
    cases = EXERCISES["output_error_cross_entropy"].cases()
    assert any(abs(z_L).max() >= 40 for _, _, z_L in cases)


def test_05_sections_run_in_order_and_make_the_saturation_point_once_after_the_question():
    """The sections are numbered 1, 2, ... with no "1, continued"; the notation table's one-example
    sections are the ones without the batch Z, Y; the saturation point is the question, one
    explanation, the training plot and the explorer (no node-versus-node ratio, no |delta| plot)."""
    cells = _cells(NB05)
    heads = [c.source.split("\n")[0] for c in cells if re.match(r"## \d", c.source)]
    assert [int(re.match(r"## (\d+)\.", h).group(1)) for h in heads] == list(
        range(1, len(heads) + 1)
    )
    sections, section = {}, 0
    for c in cells:
        m = re.match(r"## (\d+)\.", c.source)
        section = int(m.group(1)) if m else section
        if c.cell_type == "code" and "exercise" not in c.metadata.get("tags", []):
            sections.setdefault(section, []).append(c.source)
    batch = {k for k, v in sections.items() if any(re.search(r"\b[ZY]\b", s) for s in v)}
    row = next(
        line for line in cells[_at(cells, "77b6e71d")].source.split("\n") if "| $C_i$" in line
    )
    assert re.search(r"sections? " + r"\D*".join(str(k) for k in sorted(batch)) + r"\b", row), (
        batch,
        row,
    )
    text = "".join(c.source for c in cells)
    assert "times larger" not in text and "np.abs(delta_quadratic)" not in text
    assert "whichever activation is passed" in EXERCISES["output_error"].explanation
    assert "sigmoid's whatever" not in EXERCISES["output_error"].explanation


def test_05_the_exercise_statements_give_the_task_and_the_shapes_not_the_steps():
    """The derivation's steps are hints, in order of help; 5.2 says that its check has extreme
    weighted inputs (z = +-40), not what they do (that is the feedback's, and the question's after
    the exercises)."""
    ex1, ex2 = EXERCISES["output_error"], EXERCISES["output_error_cross_entropy"]
    for phrase in ("through which quantity", "local derivative", "numpy operation", "Start from"):
        assert phrase not in ex1.statement, phrase
    assert "through which" in ex1.hints[0] and "local" in ex1.hints[1]
    for phrase in ("\\sigma'", "σ′", "a_j(1 - a_j)", "simplify on paper", "Differentiate"):
        assert phrase not in ex2.statement, phrase
    assert "extreme weighted inputs ($z = \\pm 40$)" in ex2.statement
    assert "saturat" not in ex2.statement and "round" not in ex2.statement
    assert "1/a" in ex2.hints[0] and "a_j(1 − a_j)" in ex2.hints[1] and "simplify" in ex2.hints[2]
    assert "z = ±40" in next(b.message for b in ex2.bugs if b.key == "unsimplified")


def test_05_the_factor_2_of_the_note_is_said_once_and_a_nudge_is_epsilon():
    """The note's cost without the 1/2 is mentioned once, as its slip, in section 2 after
    exercise 5.1 (00 says the reader catches slip 2 after deriving the error), not in the
    opening; Delta is the batch error matrix, never a small change."""
    cells = _cells(NB05)
    seeds = [c.id for c in cells if c.cell_type == "markdown" and "the note" in c.source.lower()]
    assert seeds == ["example-nodes"], seeds
    slip = cells[_at(cells, "example-nodes")].source
    assert "**The note's slip.**" in slip and "2(a^L - y) \\odot \\sigma'(z^L)" in slip
    assert _at(cells, "ex05-output_error-solution") < _at(cells, "example-nodes")
    # the note's cost appears in code once: the check of the slip, in the check cell after it
    assert [c.id for c in cells if "half=False" in c.source] == ["eef0815d"]
    for cell in cells:
        assert not re.search(r"\\Delta\s*z\b", cell.source), cell.source


def test_05_the_bad_start_question_follows_the_cross_entropy_and_gives_its_sigma_primes():
    """Which cost escapes a bad start first, and how many times sooner, is reasoned from the two
    errors (4) and (8): the question comes after section 4 derives (8), and gives the sigma'
    values along the way (about 57 times apart at the start, 4 at z = 0)."""
    cells = _cells(NB05)
    ask = _at(cells, "6fd4e3c2")
    assert ask > next(i for i, c in enumerate(cells) if "\\tag{8}" in c.source)
    prompt = cells[ask].source
    for value in ("\\sigma'(4) \\approx 0.018", "\\sigma'(0) = 0.25"):
        assert value in prompt, value


def test_05_the_try_this_answers_are_folded_and_computed():
    cells = _cells(NB05)
    at = _at(cells, "try-output-error")
    answers, check = cells[at + 1], cells[at + 2]
    assert answers.source.startswith("<details>") and "</details>" in answers.source
    assert "-\\ln 2" in answers.source and "4/27" in answers.source
    assert check.cell_type == "code" and "4 / 27" in check.source and "np.log(2)" in check.source


# ----------------------------------------------------------------------------
# 06
# ----------------------------------------------------------------------------
def test_06_the_vanishing_question_does_not_give_the_bound_on_sigma_prime():
    cells = _cells(NB06)
    at = _at(cells, "predict-vanishing")
    for cell in cells[: at + 1]:
        for phrase in ("\\tfrac14", "\\frac14", "1/4", "at most", "\\le "):
            assert phrase not in cell.source, (phrase, cell.source)
    run = cells[_at(cells, "predict-vanishing-run")].source
    assert "<= 1/4" in run  # the reveal says it, after the guess


def test_06_batch_matrices_are_defined_before_exercise_6_1_uses_them():
    cells = _cells(NB06)
    notation = cells[_at(cells, "1262b042")].source
    assert all(s in notation for s in ("$Z^l$", "$A^l$", "$\\Delta^l$"))
    assert "\\Delta^{l+1}" in cells[_at(cells, "ex06-backpropagate_error-statement")].source


# ----------------------------------------------------------------------------
# 08
# ----------------------------------------------------------------------------
def test_08_the_update_equation_comes_before_exercise_8_2_but_no_code_of_it():
    """Equation (6), notebook 03's step written for every layer, sits in section 1 before 8.2
    that needs it (the exercise is the backward loop, not the update); no cell above 8.2's
    folded solution writes the update as code, and bplib.descend is named only after it."""
    cells = _cells(NB08)
    statement = _at(cells, "ex08-sgd_step-statement")
    solution = _at(cells, "ex08-sgd_step-solution")
    tag6 = next(i for i, c in enumerate(cells) if "\\tag{6}" in c.source)
    assert tag6 < statement
    for cell in cells[: solution + 1]:
        if cell.cell_type == "code" and "BEGIN SOLUTION" not in cell.source:
            assert "- eta *" not in cell.source and "-= eta" not in cell.source, cell.source
        if cell.get("id") not in ("ex08-sgd_step-solution",):
            assert "descend" not in cell.source, cell.source
    ex = EXERCISES["sgd_step"]
    assert "\\leftarrow" not in ex.statement and "- \\eta" not in ex.statement
    # the student's cell keeps the reference function's docstring
    from exercises.reference import nb08_training as ref

    doc = inspect.getdoc(ref.sgd_step)
    assert "<-" not in doc and "- eta" not in doc, doc
    assert not any("- eta *" in h for h in ex.hints)


# ----------------------------------------------------------------------------
# All three: one index convention
# ----------------------------------------------------------------------------
CAPITAL_ENTRY = re.compile(r"W\^\{?[^\s_${}]*\}?_\{?jk")


@pytest.mark.parametrize("name", [NB05, NB06, NB08])
def test_an_entry_of_W_is_lowercase(name):
    for cell in _cells(name):
        assert not CAPITAL_ENTRY.search(cell.source), cell.source
    assert CAPITAL_ENTRY.search("$W^l_{jk}$") and CAPITAL_ENTRY.search("W^{l+1}_{jk}")
    assert not CAPITAL_ENTRY.search("$w^l_{jk}$ of $W^l$")


@pytest.mark.parametrize("notebook", ["05", "06", "08"])
def test_the_exercise_texts_use_lowercase_entries_too(notebook):
    for ex in EXERCISES.values():
        if ex.notebook == notebook:
            texts = [ex.statement, ex.explanation, *ex.hints, *(b.message for b in ex.bugs)]
            assert not any(CAPITAL_ENTRY.search(t) for t in texts), ex.name


def test_08_the_step_and_the_epoch_are_exercises_before_the_code_that_answers_them():
    """8.2 (one step) and 8.3 (one epoch) come before the checks that run them, and no code
    cell outside the exercises defines a step or an epoch, or cuts a shuffled order."""
    cells = _cells(NB08)
    step, epoch = _at(cells, "ex08-sgd_step-statement"), _at(cells, "ex08-sgd_epoch-statement")
    assert step < epoch < _at(cells, "dd55a1e4") < _at(cells, "45cbe86a")
    for i, cell in enumerate(cells):
        if cell.cell_type != "code" or "exercise" in cell.metadata.get("tags", []):
            continue
        assert "def sgd_step" not in cell.source and "def sgd_epoch" not in cell.source, i
        if i < epoch:
            assert "permutation(" not in cell.source and "order[" not in cell.source, i
    for cell in cells[:step]:
        assert "sgd_step(" not in cell.source and "a[l - 1]" not in cell.source, cell.source


def test_08_holds_no_any_depth_bp2_loop_for_10_2_to_copy():
    """8.2 composes bplib's functions with bplib.backpropagate running BP2's loop: notebook 10
    asks the reader to write that loop, so no cell of 08 (statement, reference, solution, the
    numpy cell, which writes L = 2 out) holds a loop over the layers of the backward pass."""
    cells = _cells(NB08)
    step = _at(cells, "ex08-sgd_step-statement")
    table = cells[_at(cells, "dc4ece12")].source
    assert "`backpropagate(delta_L, W, z, sigmas)`" in table and "notebook 10" in table
    for cell in cells[:step]:
        assert not re.search(r"backprop\(|\.gradients\(", cell.source), cell.source
    statement = EXERCISES["sgd_step"].statement
    assert all(f"`{f}`" in statement for f in ("bplib.backprop", "net.gradients"))
    from exercises.reference import nb08_training as ref

    source = inspect.getsource(ref.sgd_step)
    assert "bplib.backpropagate(" in source and "backpropagate_error(" not in source
    for cell in cells:
        if cell.cell_type == "code" or "```python" in cell.source:
            assert not re.search(r"for l in range\(L - 1|range\(L, 0, -1\)", cell.source), cell.id
    numpy_cell = cells[_at(cells, "eq2to5-numpy")].source
    assert "Delta1 = (Delta2 @ net.W[2])" in numpy_cell and "notebook 10's exercise" in numpy_cell


def test_08_the_batch_size_question_gives_every_size_the_same_work():
    """Every size gets the same budget of example gradients and the question asks which ends
    lowest: notebook 07 already showed that one example's gradient can point uphill, so "which
    ends highest after the same number of steps" took no thought. The prompt does not answer
    it, and the run asserts the answer it reveals."""
    cells = _cells(NB08)
    prompt = cells[_at(cells, "predict-batch-size")].source
    run = cells[_at(cells, "predict-batch-size-run")].source
    run += cells[_at(cells, "predict-batch-size-run-check")].source  # its asserts
    assert "2,000 example gradients" in prompt and "**lowest**" in prompt, prompt
    assert all(s in prompt for s in ("2,000 steps", "100 steps", "10 steps")), prompt
    assert "highest" not in prompt and not re.search(r"noisy|uphill|furthest|ends? low", prompt)
    assert 'lowest == "A"' in run and "budget = " not in prompt


def test_05_the_explorer_has_try_this_questions_that_do_not_answer_themselves():
    """Under the explorer: two or three things to do, asked as questions; neither they nor the
    caption say what the reader will see (where the blue bar peaks, how much it grows)."""
    cells = _cells(NB05)
    at = _at(cells, "af9cdff2")
    tries = cells[at + 1].source
    assert (
        tries.startswith("**Try this.**") and 2 <= len(re.findall(r"^- ", tries, flags=re.M)) <= 3
    )
    assert tries.count("?") >= 3, tries
    for phrase in ("close to", "grows", "ln 2", "quarter", "0.69"):
        assert phrase not in tries, phrase
    caption = "".join(o.get("data", {}).get("text/plain", "") for o in cells[at].outputs)
    assert "What to notice:" in caption and "ln 2" not in caption
    assert not re.search(r"grows|\d times", caption), caption


def test_05_the_bad_start_question_asks_the_quadratic_epoch_and_hides_its_answer():
    """The prompt gives the cross-entropy's epoch and asks the quadratic one; its options are
    epochs, not the ratios 57 and 4 the sigma' values hand over. The measured numbers are not in
    plain sight below the question: the plot is folded with the outcome, the asserts are in a
    hidden cell that prints nothing, and the epochs are said only in the reveal."""
    cells = _cells(NB05)
    prompt = cells[_at(cells, "6fd4e3c2")].source
    assert "after epoch 17" in prompt and "times sooner" not in prompt
    for option in ("**A**: about epoch 20", "**B**: about epoch 70", "**C**: about epoch 230"):
        assert option in prompt, option
    run = cells[_at(cells, "predict-bad-start-run")].source
    assert "figures=[fig]" in run and "wrong=" in run
    at = _at(cells, "predict-bad-start-run-check")
    check = cells[at]
    assert check.metadata["jupyter"]["source_hidden"] and "print(" not in check.source
    assert 'actual == "C" and ce_05 == 17' in check.source
    assert not any("232" in c.source for c in cells[at + 1 :])
    for c in cells[_at(cells, "predict-bad-start-run") + 1 :]:
        assert "times sooner" not in c.source and "232" not in "".join(
            o.get("text", "") for o in c.get("outputs", [])
        ), c.id


def test_05_the_cross_entropy_exercise_is_motivated_by_the_saturation_question():
    """5.2 is motivated by what the saturation question found (a tiny |delta| for a node as
    wrong as it gets), without saying it again, so the question comes before 5.2 and after 5.1."""
    cells = _cells(NB05)
    ask = _at(cells, "predict-saturated")
    assert _at(cells, "ex05-output_error-solution") < ask
    assert ask < _at(cells, "ex05-output_error_cross_entropy-statement")
    statement = EXERCISES["output_error_cross_entropy"].statement
    assert "what the question above found cannot happen" in statement
    assert "0.0003" not in statement
    for c in (cells[_at(cells, "predict-saturated-run-check")],):
        assert c.metadata["jupyter"]["source_hidden"]


def test_05_the_notation_recap_keeps_one_example_and_a_batch_apart():
    """One table for one example (columns), one for a batch (rows)."""
    table = _cells(NB05)[_at(_cells(NB05), "77b6e71d")].source
    one, batch = table.split("**A batch**")
    assert "**One example**" in one and "$(n_L, 1)$" in one and "(n, n_L)" not in one
    assert "$Z^L$" not in one and "$Z^L$, $A^L$, $Y$, $\\Delta^L$" in batch
    assert "$(n_L, 1)$" not in batch
