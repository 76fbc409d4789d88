"""Notebooks 06 and 07: each question can be reasoned out, and none is answered above it.

Cheap: these tests read the stored notebooks (and build one bplib network); nothing runs.

- 06: the notebook opens with its question, and the note's slip first appears in section 2;
  the vanishing-error question says what bplib's default initial weights are (the same
  default bplib really draws), so the reader can reason about (W^{l+1})^T; it asks about the
  sigmoid, for the factor per step, answerable from notebook 05's sigma' and well inside one
  answer, and the explorers' questions below it do not ask it again; section 2 uses only delta; section 6's claims
  about the error on the way back are checked by its code, equation (8), in a forward and a
  backward cell with one table each; the depth explorer's caption is short, and the "Try
  this" cell under it has one question per activation (what to do and look for, no
  numbers), which the text after section 6 points to and does not repeat;
- 07: the question on two examples with opposite errors is not answered above it, and nothing
  in notebooks 01-03 and 05-07 above exercise 7.3 stacks the examples' gradients by
  broadcasting; every explorer has "Try this" bullets under it;
- 05-07: an exercise's feedback names the bug and hints; it never hands over the answer.
"""

from __future__ import annotations

import html
import inspect
import re

import numpy as np
import pytest
from notebook_cells import cells as _cells
from notebook_cells import index as _at

import bplib
from bplib.exercises import EXERCISES

NB06, NB07 = "06_backpropagating_error", "07_parameter_gradients"


def _output_text(cell):
    return "".join(
        o.get("text", "") or o.get("data", {}).get("text/plain", "")
        for o in cell.get("outputs", [])
    )


def _reveal_text(cell):
    """A predict cell's outcome as text: it is only in the HTML, folded, until the reader has
    predicted (the plain text then says how to predict)."""
    return "".join(
        html.unescape(re.sub(r"<[^>]+>", " ", o.get("data", {}).get("text/html", "")))
        for o in cell.get("outputs", [])
    )


# ----------------------------------------------------------------------------
# 06
# ----------------------------------------------------------------------------
def test_06_the_vanishing_question_says_what_the_default_weights_are():
    cells = _cells(NB06)
    prompt = cells[_at(cells, "predict-vanishing")].source
    assert "N(0, 1/n_{l-1})" in prompt and "N(0, 1/30)" in prompt, prompt
    run = cells[_at(cells, "predict-vanishing-run")].source
    # the one fact the question needs and no notebook before it shows, that (W^{l+1})^T keeps
    # the size of the error with these weights, is stated in it; which factor then sets the
    # size of a step, and where sigma' was studied, are left to the reader and the reveal
    assert "multiplying an error by $(W^{l+1})^T$\nkeeps its size about the same" in prompt
    assert "roughly keeps the size" in run and "which sets it" in run, run
    for given in ("sets it", "set by the other factor", "notebook 05", "1/4", "section 3"):
        assert given not in prompt, (given, prompt)
    assert prompt.count("\n\n") == 2, prompt  # one paragraph, the options, the instruction
    # ... and the question comes after BP2 has first run on the small network
    assert _at(cells, "predict-vanishing") > _at(cells, "bp2-steps-check")
    assert "each bias from $N(0, 1)$" in prompt and "inputs\nare drawn from $N(0, 1)$" in prompt
    # ... and that is bplib's real default: the question's network has N(0, 1/30) weights and
    # N(0, 1) biases
    net = bplib.Network([30] * 10, activation="sigmoid", cost="quadratic", seed=0)
    std = np.std(np.concatenate([W_l.ravel() for W_l in net.W[1:]]))
    assert abs(std * np.sqrt(30) - 1) < 0.05, std
    std_b = np.std(np.concatenate(net.b[1:]))
    assert abs(std_b - 1) < 0.1, std_b


def test_06_opens_with_the_question_and_shows_the_seeds_slip_in_section_2():
    cells = _cells(NB06)
    opening = cells[_at(cells, "1b4ebeee")].source
    assert "how do we get the\nerror $\\delta^l$" in opening, opening
    slip = _at(cells, "1d153271")
    seeds = re.compile(r"\\delta\^l = [^$]*\\sigma'\(z\^L\)")
    assert seeds.search(cells[slip].source) and "(the note; note the" in cells[slip].source
    # section 2 is one paragraph under the formula, then the table of errors
    assert cells[slip].source.split("$$")[-1].strip().count("\n\n") == 0, cells[slip].source
    assert "relative error" in cells[slip + 1].source and cells[slip + 2].source.startswith("## 3.")
    for cell in cells[:slip]:  # the note's formula is shown first where section 2 handles it
        assert "(the note; note the" not in cell.source
        assert not re.search(r"\\delta\^l = [^$]*\\sigma'\(z\^L\)", cell.source), cell.source


def test_06_the_vanishing_question_asks_for_all_8_steps_away_from_its_cut_offs():
    """The answer is delta^1 / delta^9 after all 8 steps, about 1e-6 across seeds (a factor of
    about 0.2 per step); both estimates a reader can make from notebook 05 (sigma' at most 1/4,
    0.25^8; its mean over z ~ N(0, 1.5), about 0.2, to the 8th) lie nearest to C's 1e-6, not
    near the midpoints to B's 1e-3 or D's 1e-12."""
    cells = _cells(NB06)
    prompt = cells[_at(cells, "predict-vanishing")].source
    for option in ("**A**: about $10^{-1}$", "**B**: about $10^{-3}$", "**C**: about $10^{-6}$"):
        assert option in prompt, prompt
    assert "**D**: about $10^{-12}$" in prompt and "8 steps back" in prompt, prompt
    run = cells[_at(cells, "predict-vanishing-run")].source
    assert '"B" if log_ratio > -4.5 else "C" if log_ratio > -9 else "D"' in run, run
    zs = np.random.default_rng(0).normal(0, np.sqrt(1.5), 100_000)
    for estimate in (bplib.sigmoid.prime(zs).mean(), 0.25):
        assert -9 + 0.5 < 8 * np.log10(estimate) < -4.5 - 0.3, estimate
    for seed in range(4):  # the measured factor, for other seeds too
        net = bplib.Network([30] * 10, activation="sigmoid", cost="quadratic", seed=seed)
        X = np.random.default_rng(seed).normal(size=(50, 30))
        Y = np.random.default_rng(seed + 1).uniform(size=(50, 30))
        z, a = net.feedforward_layers(X)
        d_L = bplib.output_error(a[net.L], Y, z[net.L], net.cost_function, net.sigmas[net.L])
        d = bplib.backpropagate(d_L, net.W, z, net.sigmas)
        ratio = np.linalg.norm(d[1]) / np.linalg.norm(d[net.L])
        assert -9 + 0.5 < np.log10(ratio) < -4.5 - 0.3, (seed, ratio)
    out = _reveal_text(cells[_at(cells, "predict-vanishing-run")])
    assert "Factor per step" in out and "<= 1/4" in out, out


def test_06_the_vanishing_question_is_not_answered_by_the_explorers_questions():
    """The question asks about the sigmoid, from notebook 05's sigma'; tanh and ReLU are left to
    the explorers, and the depth explorer's sigmoid question asks what the prediction did not
    (why larger weights do not help), not which factor stands in the way."""
    cells = _cells(NB06)
    prompt = cells[_at(cells, "predict-vanishing")].source
    run = cells[_at(cells, "predict-vanishing-run")].source
    run += cells[_at(cells, "predict-vanishing-run-check")].source  # the asserts, after the reveal
    assert "**sigmoid**" in prompt and "tanh" not in prompt and "ReLU" not in prompt, prompt
    assert 'activation="sigmoid"' in run and 'actual == "C"' in run, run
    out = _reveal_text(cells[_at(cells, "predict-vanishing-run")])
    assert "No choice of the weights" not in out and "larger weights" not in out, out
    tries = cells[_at(cells, "try-depth")].source
    # larger weights do raise the sigmoid's factor: the question says so and asks why it still
    # stays below 1; its short answer names the falling sigma', which the cell under it asserts
    assert "stands in the way" not in tries and "larger not help" not in tries, tries
    assert "Larger weights raise it" in tries and "past 1" in tries, tries
    answers = cells[_at(cells, "try-depth-answers")].source
    assert "mean $\\sigma'$ falls" in answers, answers
    check = cells[_at(cells, "try-depth-answers-check")].source
    assert "# sigma' falls" in check and "< 1" in check, check
    after = cells[_at(cells, "d88bc836")].source
    assert "section 1's prediction" in after and "tanh" in after, after
    assert not any(c.get("id") == "depth-vs-predict" for c in cells)


def test_06_nothing_above_6_2_writes_its_batch_line_and_its_statement_points_nowhere():
    """6.2 asks for BP2 with one example per row: no cell above its statement multiplies a batch
    of errors by W, and neither 6.1's nor 6.2's statement says which index of W_next is which
    neuron or points to the sections that write the answer."""
    cells = _cells(NB06)
    at = _at(cells, "ex06-backpropagate_error-statement")
    for cell in cells[:at]:
        assert not re.search(r"(delta|Delta)\w*(\[[^\]]*\])*\s*@\s*W", cell.source), cell.source
    for name in ("delta_of_neuron", "backpropagate_error"):
        statement = EXERCISES[name].statement
        assert "Sections 2 and 3" not in statement and "is the weight to" not in statement
    assert "stored `(n_{l+1}, n_l)`" in EXERCISES["delta_of_neuron"].statement
    # 6.2's statement leaves where the transpose goes to the reader (its feedback names it)
    assert "transpose" not in EXERCISES["backpropagate_error"].statement.lower()


def test_06_uses_only_the_errors_not_bp4_before_07():
    """Section 2 judges the note's slip by the errors delta^l alone; BP4 (notebook 07) is named
    only as what comes next, never computed or written."""
    for cell in _cells(NB06):
        assert "weight_gradient" not in cell.source, cell.source
        assert "BP4" not in cell.source, cell.source


def test_06_the_backward_claims_of_section_6_are_checked():
    cells = _cells(NB06)
    text = "\n".join(c.source for c in cells if c.cell_type == "markdown")
    assert "The same choices keep the size of" not in text  # the old claim, also for tanh
    derivation = cells[_at(cells, "init-derivation")].source
    assert "\\tag{8}" in derivation and "E[\\sigma'(z^l)^2] < 1" in derivation
    forward = cells[_at(cells, "init-variance-check")]
    code = cells[_at(cells, "init-variance-backward")].source
    assert "equation (8)" in code and "backpropagate(" in code
    assert "backpropagate(" not in forward.source and "v_he" in forward.source
    for setting in ("d_tanh", "d_relu", "d_he"):
        assert re.search(rf"assert .*{setting}", code), setting
    assert "equation (7)" in forward.source and "# (7)" in forward.source  # at every layer
    assert not any(c.get("id") == "init-eq7-check" for c in cells)  # folded into the forward cell
    # one table each: a header line and nine rows, nothing else
    for cell_id, head in (
        ("init-variance-check", "Var(z^l)"),
        ("init-variance-backward", "E[(delta"),
    ):
        lines = _output_text(cells[_at(cells, cell_id)]).strip().splitlines()
        assert head in lines[0] and len(lines) == 10, lines
        assert len(cells[_at(cells, cell_id)].source.splitlines()) < 35
    summary = cells[_at(cells, "e2b75995")].source
    assert "tanh" in summary and "still shrinks" in summary


def test_06_the_notes_slip_is_written_out_beside_bp2():
    """Section 2 shows which factor the note changed: BP2's two steps written twice, sigma' at the
    layer's own z^l beside the note's z^L, not bplib.backpropagate fed with a list of z^L."""
    code = _cells(NB06)[_at(_cells(NB06), "9c21796e")].source
    assert "seeds_z" not in code and "backpropagate(" not in code, code
    for l in (2, 1):
        assert f"sigma.prime(z8[{l}])" in code, code
        assert re.search(rf"wrong\[{l}\] = .*sigma\.prime\(z8\[L3\]\)", code), code


def test_06_the_depth_explorer_writes_the_texts_symbol():
    """The depth explorer's toggle and readout write n_(l-1), 06's n_{l-1} in plain text (no TeX
    braces, no HTML subscript that reads "nl-1" as text), not n_in."""
    from bplib.explorers import recursion

    for label in recursion.INITS:
        assert "n_(l-1)" in label and "n_in" not in label, label
    out = _output_text(_cells(NB06)[_at(_cells(NB06), "5855b670")])
    assert "n_in" not in out and "/n_(l-1);" in out, out
    assert "n_{l" not in out and "<sub>l" not in out, out
    caption = out.split("What to notice:", 1)[1]
    # the picture rises from the input (left) to the output (right): no "straight line down"
    assert "line down" not in caption and "towards the input, on the left" in caption, caption


def test_07_bp3_and_bp4_are_stated_for_one_example_with_c_i():
    """C is the batch mean (07's notation table): where BP3 and BP4 hold for one example, section 1,
    its table's column for one example and the summary write C_i."""
    cells = _cells(NB07)
    section1 = cells[_at(cells, "c97d4da8")].source + cells[_at(cells, "bp34-derivation")].source
    assert "\\partial C}" not in section1 and "\\partial C/" not in section1, section1
    assert "\\nabla_{W^l} C}" not in section1 and "\\nabla_{b^l} C =" not in section1, section1
    assert "\\frac{\\partial C_i}{\\partial w^l_{jk}}" in section1
    table = cells[_at(cells, "1d16a2af")].source
    assert "| BP4 | $\\nabla_{W^l} C_i =" in table and "| BP3 | $\\nabla_{b^l} C_i =" in table
    summary = cells[_at(cells, "93948fac")].source.splitlines()[2]
    assert (
        "\\partial C_i/\\partial b^l_j" in summary and "\\partial C_i/\\partial w^l_{jk}" in summary
    )


def test_06_the_depth_caption_is_short_and_not_repeated():
    cells = _cells(NB06)
    at = _at(cells, "5855b670")
    out = _output_text(cells[at])
    caption = out.split("What to notice:", 1)[1]
    words = re.sub(r"<[^>]+>|&\w+;", " ", caption).split()
    assert len(words) < 120, len(words)
    assert "Try this" not in caption and "&bull;" not in caption  # the questions are a cell
    tries = cells[at + 1]
    assert tries.cell_type == "markdown" and tries.source.startswith("**Try this.**")
    bullets = re.findall(r"^- \*\*(\w+)\*\*", tries.source, flags=re.M)
    assert bullets == ["sigmoid", "tanh", "relu"], tries.source
    assert tries.source.count("?") >= 3, tries.source
    pointer = cells[_at(cells, "init-explorer-pointer")].source
    assert "*Try this*" in pointer and "**relu**" in pointer, pointer
    numbers = set(re.findall(r"\b\d+\.\d+\b", caption))
    assert not numbers & set(re.findall(r"\b\d+\.\d+\b", pointer)), pointer
    assert "1/\\sqrt2" not in pointer and "s = 1" not in pointer
    # "Try this" says what to do and what to look for; the numbers are the reader's to find
    assert not re.search(r"\d\.\d|from s = |about \d", tries.source), tries.source


def test_06_the_depth_captions_claims_hold():
    """What the caption sends the reader to find is there: tanh shrinks at s = 1 and explodes at
    the largest s; ReLU's factor per step is well below 1 with 1/n_in and close to 1 with He."""
    from bplib.explorers import recursion

    lo, hi, _ = recursion.SCALE_EXPONENTS
    d = 10
    tanh = lambda s: recursion.step_factor(recursion.depth_profile("tanh", d, s)[0])  # noqa: E731
    assert tanh(1.0) < 1 < tanh(2.0**hi)
    relu = [
        recursion.hidden_step_factor(
            recursion.depth_profile("relu", recursion.DEPTH_MAX, 1.0, i)[0]
        )
        for i in (recursion.LECUN, recursion.HE)
    ]
    assert relu[0] < 0.8 and 0.9 < relu[1] < 1.1, relu


def test_07_every_explorer_has_try_this_bullets_after_it():
    """Each explorer of 07 is followed by a short markdown cell: two or three things to do with
    the controls and what to look for, without decimal numbers to read off."""
    cells = _cells(NB07)
    explorers = [
        i
        for i, c in enumerate(cells)
        if c.cell_type == "code" and re.search(r"^\w+_explorer\(\)", c.source, flags=re.M)
    ]
    assert len(explorers) == 2
    for i in explorers:
        text = cells[i + 1].source
        assert cells[i + 1].cell_type == "markdown" and text.startswith("**Try this.**"), text
        assert 2 <= len(re.findall(r"^- ", text, flags=re.M)) <= 3, text
        assert not re.search(r"\d\.\d", text), text


def test_07_every_try_this_has_a_folded_answer_checked_by_a_cell():
    """Under each "Try this" of 07: a folded <details> answer, then a code cell (stored output,
    no error) whose asserts compute the numbers the answer gives."""
    cells = _cells(NB07)
    for name in ("try-per-example", "try-sum-vs-mean"):
        at = _at(cells, name)
        answer, check = cells[at + 1], cells[at + 2]
        assert answer.get("id") == f"{name}-answers" and answer.cell_type == "markdown"
        assert answer.source.startswith("<details>") and answer.source.rstrip().endswith(
            "</details>"
        )
        assert check.get("id") == f"{name}-answers-check" and check.cell_type == "code"
        assert check.source.count("assert ") >= 3, check.source
        assert _output_text(check) and not any(o.output_type == "error" for o in check.outputs)


def test_07_the_bp4_factor_check_sets_its_own_layer():
    """bp4-local-factor-check must not rely on a global l that a later loop leaves at L."""
    cells = _cells(NB07)
    source = cells[_at(cells, "bp4-local-factor-check")].source
    assert re.match(r"l = 2\b", source), source


# ----------------------------------------------------------------------------
# 07
# ----------------------------------------------------------------------------
def test_07_the_opposite_errors_question_is_not_answered_above_it():
    cells = _cells(NB07)
    at = _at(cells, "predict-opposite-errors")
    for cell in cells[:at]:
        text = cell.source.lower()
        for phrase in ("cancel", "mean of the derivatives", "derivative of a mean", "opposite"):
            assert phrase not in text, (phrase, cell.source)
    run = cells[_at(cells, "predict-opposite-errors-run")].source
    run += cells[_at(cells, "predict-opposite-errors-run-check")].source  # its asserts
    assert 'actual == "B"' in run and "cancel" in run  # computed, and the reveal says why


@pytest.mark.parametrize(
    "stem", ["01_network", "02_cost", "03_gradient_descent", "05_output_error", NB06, NB07]
)
def test_nothing_above_exercise_7_3_writes_the_per_example_stack(stem):
    """Exercise 7.3 asks for every example's weight gradient, (n, n_l, n_{l-1}), by
    broadcasting. No cell of 01-03, 05, 06, or of 07 above it, gives a 2-D array a third axis,
    uses einsum, or calls bplib.weight_gradient_per_example (a column made with [:, None] is
    fine); the statement gives the shape, not the broadcasting."""
    cells = _cells(stem)
    if stem == NB07:
        cells = cells[: _at(cells, "ex07-weight_gradient_per_example-statement")]
        toy = [c for c in cells if c.get("id", "").startswith("einsum-toy")]
        assert len(toy) == 2  # the numpy aside before 7.2: a sum with einsum, on toy arrays
        # no times table (an outer product by broadcasting) above 7.3: that is its answer for
        # one example; section 3 shows the broadcasting after the exercises
        assert not any(c.get("id", "").startswith("broadcast-toy") for c in cells)
        for cell in toy:
            assert not re.search(r"delta|Delta|a_prev|A\[|gradient", cell.source), cell.source
            assert "None" not in cell.source and "times table" not in cell.source, cell.source
            assert not re.search(r'"\w,\w->\w\w"', cell.source), cell.source  # einsum's outer
            assert not re.search(r"->\w{3}|:, None, :\]|:, :, None\]", cell.source), (
                cell.source
            )  # no 3-axis result
        # 7.2 sums over the examples with einsum (its letters drop i); 7.3 keeps them apart
        cells = [
            c
            for c in cells
            if c not in toy and c.get("id", "").split("-")[:2] != ["ex07", "weight_gradient"]
        ]
    for cell in cells:
        for code in ("[:, :, None]", "[:, None, :]", "einsum", "weight_gradient_per_example"):
            assert code not in cell.source, (stem, code, cell.source)
    ex = EXERCISES["weight_gradient_per_example"]
    for text in [ex.statement, *ex.hints[:2]]:
        for code in ("[:, :, None]", "[:, None, :]", "broadcast_to", "einsum", "np.outer"):
            assert code not in text, (code, text)
    assert "Section 3" in ex.statement and "(n, n_l, n_{l-1})" in ex.statement


def test_07_the_statements_stop_at_the_task_and_the_shapes():
    """7.2's pointer to the summed index, the rows of both arrays, is a hint, not part of the
    statement, which asks the reader to name the indices with einsum's letters."""
    ex = EXERCISES["weight_gradient"]
    assert "row index of both" not in ex.statement and "np.einsum" in ex.statement
    assert any("row index of both" in h for h in ex.hints)
    assert not any(re.search(r"ij\s*,\s*ik", t) for t in [ex.statement, *ex.hints])


# ----------------------------------------------------------------------------
# 05-07: feedback names the bug and hints, never hands over the answer
# ----------------------------------------------------------------------------
#: for each exercise, what would be (a line of) its answer in a feedback message
ANSWER_IN_FEEDBACK = {
    "output_error": [r"a\s*[−-]\s*y\s*[,.]", r"\(a\s*[−-]\s*y\)\s*[⊙*]", r"=\s*a\s*[−-]\s*y"],
    "output_error_cross_entropy": [r"a\s*[−-]\s*y", r"a\(1 [−-] a\).{0,40}cancel"],
    "backpropagate_error": [
        r"@\s*W",
        r"no \.T",
        r"\(δ\^\{l\+1\}\)ᵀ\s*W",
        r"δ\^\{l\+1\}\s*W\^\{l\+1\}",
        r"Δ\^\{l\+1\}\s*W\^\{l\+1\}",
    ],
    "delta_of_neuron": [r"W_next\[:,\s*k\]", r"W_next\[j,\s*k\]", r"column k"],
    "parameter_partials": [
        r"np\.outer\(\s*delta",
        r"delta\[j\]\s*\*\s*a_prev\[k\]",
        r"a\^\{l[−-]1\}_k\s*δ\^l_j",
        r"∂C_i/∂b\^l_j\s*=\s*δ",
        r"=\s*δ\^l_j\b",
    ],
    "weight_gradient": [r"delta\.T\s*@", r"δ\^?T\s*a", r"a_prev\.T\s*@"],
    "weight_gradient_per_example": [
        r"a_prev\[:,\s*None",
        r"delta\[:,\s*:,\s*None\]",
        r"ij\s*,\s*ik\s*->\s*ijk",
    ],
}


def _feedback(name):
    ex = EXERCISES[name]
    texts = [b.message for b in ex.bugs]
    mod = inspect.getmodule(ex.cases)
    texts += [v for k, v in vars(mod).items() if k.isupper() and isinstance(v, str)]
    return texts


@pytest.mark.parametrize("name", sorted(ANSWER_IN_FEEDBACK))
def test_feedback_does_not_hand_over_the_answer(name):
    for text in _feedback(name):
        for pattern in ANSWER_IN_FEEDBACK[name]:
            assert not re.search(pattern, text), (name, pattern, text)


@pytest.mark.parametrize("stem", [NB06, NB07])
def test_no_code_cell_writes_the_bp2_sweep_before_08(stem):
    """Exercise 8.2 (and the capstone, 10) have the reader loop BP2 over the layers; 06 and 07 call
    bplib.backpropagate for the sweep and show one step, never the loop over layers."""
    for cell in _cells(stem):
        if cell.cell_type != "code":
            continue
        loop = re.search(r"for l in range\([^)]*-1\)", cell.source)
        step = re.search(r"\[l\]\s*=\s*(bplib\.)?backpropagate_error\(", cell.source)
        assert not (loop and step), cell.source


@pytest.mark.parametrize("name", ["try-delta-network", "try-depth"])
def test_06_the_try_this_answers_are_short_and_checked_by_a_short_hidden_cell(name):
    """One short sentence per question, folded, with no decimal numbers typed; the cell under it
    (source hidden, one comment line on top) asserts what the sentences say."""
    cells = _cells(NB06)
    at = _at(cells, f"{name}-answers")
    answers, check = cells[at].source, cells[at + 1]
    assert answers.startswith("<details>") and answers.rstrip().endswith("</details>"), answers
    bullets = re.findall(r"^- .*$", answers, flags=re.M)
    assert len(bullets) == 3 and all(len(b.split()) <= 40 for b in bullets), bullets
    assert all(b.count(". ") == 0 for b in bullets), bullets  # one sentence each
    assert not re.search(r"\d\.\d", answers), answers
    assert check.get("id") == f"{name}-answers-check" and check.metadata["jupyter"]["source_hidden"]
    lines = check.source.splitlines()
    assert lines[0].startswith("# Checks the answers above") and len(lines) <= 20, check.source
    assert check.source.count("assert ") >= 4, check.source


def test_06_the_derivation_checks_only_the_new_fact_3():
    """After (5) is checked against the cost, the step-by-step cell measures (3), the slope
    dz^{l+1}_j/dz^l_k = w_jk sigma'(z^l_k), and sums it into (2), in one short loop over k."""
    cells = _cells(NB06)
    code = cells[_at(cells, "bp2-steps-check")].source
    assert "for k in range(n_l)" in code and "sigma.prime(z[l][k])" in code, code
    assert "# equation (2)" in code and "# equation (3)" in code, code
    assert "measured_slopes" not in code and "hstack" not in code and len(code.splitlines()) <= 14
    summary = cells[_at(cells, "e2b75995")].source
    assert "280" not in summary and "1.19" not in summary, summary
    sweep = cells[_at(cells, "113da6d0")].source
    assert "comes in notebook 10" in sweep and "08 and 10" not in sweep, sweep


def test_06_the_explorers_captions_say_what_the_stored_picture_shows():
    """A reader without a kernel sees only the stored picture: each explorer's caption says what
    it shows, with the numbers computed from the explorer at its starting values."""
    cells = _cells(NB06)
    for cell_id, numbers in (
        ("f7c30013", ("0.095", "0.059", "0.042", "-0.061")),
        ("5855b670", ("0.22", "0.23")),
    ):
        caption = _output_text(cells[_at(cells, cell_id)]).split("What to notice:", 1)[1]
        assert caption.lstrip().startswith("The stored picture"), caption
        assert all(n in caption for n in numbers), caption
    for cell_id in ("41552857", "1a4e9653"):
        assert "The stored" in cells[_at(cells, cell_id)].source


def test_06_the_network_explorer_has_try_this_questions():
    cells = _cells(NB06)
    tries = cells[_at(cells, "f7c30013") + 1].source
    assert tries.startswith("**Try this.**") and len(re.findall(r"^- ", tries, flags=re.M)) == 3
    assert tries.count("?") >= 3 and not re.search(r"\d\.\d", tries), tries


def test_07_nothing_above_7_2_or_7_4_writes_their_batch_answers():
    """7.2 asks for the batch weight gradient with no loop (a matrix product whose shapes the
    reader works out), 7.4 for the gradient of [W b], the biases as a last column (BP3 as BP4
    with an input of 1): no cell above 7.2 multiplies a transposed batch matrix by another or
    names the summing einsum, and no cell above 7.4 averages a batch of errors down its rows
    or appends a column of ones (section 3 derives both after the exercises); no notebook
    before 07 appends one either."""
    cells = _cells(NB07)
    above_71 = cells[: _at(cells, "ex07-weight_gradient-statement")]
    for cell in above_71:
        assert not re.search(r"(Delta|delta|Δ)\w*(\[[^\]]*\])*\.T\s*@", cell.source), cell.source
        assert not re.search(r"ij\s*,\s*ik\s*->\s*jk", cell.source), cell.source
    above_73 = [
        c
        for c in cells[: _at(cells, "ex07-augmented_gradient-statement")]
        if not c.get("id", "").startswith("ex07-")
    ]
    for cell in above_73:
        assert not re.search(r"(Delta|delta)\w*(\[[^\]]*\])*\.mean\(", cell.source), cell.source
        assert not re.search(r"\\frac1n \\sum_i \\Delta", cell.source), cell.source
        assert not re.search(r"np\.(ones|c_|column_stack|append)\b", cell.source), cell.source
    ones = re.compile(r"np\.(c_|column_stack)|np\.ones\(\(\w+, 1\)\)|\\mathbf 1|\\tilde W")
    for stem in (
        "01_network",
        "02_cost",
        "03_gradient_descent",
        "04_chain_rule",
        "05_output_error",
        NB06,
    ):
        for cell in _cells(stem):
            assert not ones.search(cell.source), (stem, cell.source)
    ex = EXERCISES["augmented_gradient"]
    assert "(n_l, n_{l-1} + 1)" in ex.statement and "without a\nloop" in ex.statement
    assert "mean of" not in ex.statement and "BP3 (2)" not in ex.statement, ex.statement
    assert "One matrix" in EXERCISES["weight_gradient"].statement


def test_07_exercise_7_1_is_posed_before_bp3_and_bp4_are_written():
    """7.1 asks the reader to derive BP3 and BP4 for one example from (1) and the chain rule: no
    cell of 07 above its statement writes (2), (3) or (4), a^{l-1}_k times delta^l_j, or the
    outer product of delta and a; "The derivation, written out" follows its folded solution.
    Its statement, hints and feedback point to (1) only, the equation above it."""
    cells = _cells(NB07)
    at = _at(cells, "ex07-parameter_partials-statement")
    assert at < _at(cells, "f69bab96")  # before the first code that computes delta
    for cell in cells[:at]:
        for tag in ("\\tag{2}", "\\tag{3}", "\\tag{4}"):
            assert tag not in cell.source, (tag, cell.source)
        assert not re.search(r"a\^\{l-1\}_k\\?,?\s*\\delta", cell.source), cell.source
        assert not re.search(r"\\delta\^l_j\s*\\cdot\s*1|np\.outer|@ a\[l - 1\]\.T", cell.source)
    derivation = _at(cells, "bp34-derivation")
    assert derivation == _at(cells, "ex07-parameter_partials-solution") + 1
    assert cells[derivation].source.startswith("**The derivation, written out.**")
    assert all(f"\\tag{{{n}}}" in cells[derivation].source for n in (2, 3, 4))
    ex = EXERCISES["parameter_partials"]
    texts = [ex.statement, *ex.hints, *(b.message for b in ex.bugs)]
    for text in texts:
        assert not re.search(r"\((2|3|4|5)\)", text), text
        assert "BP3" not in text and "BP4" not in text, text
    assert "(1)" in ex.statement
    # the bugs the brief names: swapped, a^l for a^{l-1}, a stray sigma', the bias as a or 1
    assert {"swapped", "a_not_a_prev", "stray_sigma_prime", "bias_a_prev", "bias_one"} <= {
        b.key for b in ex.bugs
    }


def test_06_exercise_6_1_is_posed_before_bp2_is_written():
    """6.1 asks the reader to derive BP2 for one neuron from (1) and the chain rule over several
    paths: no cell above its statement writes (2), (3) or (4), or the sum of w^{l+1}_{jk} times
    delta^{l+1}_j; the text writes them right after its folded solution. Its statement, hints and
    feedback cannot point to equations the reader has not seen yet."""
    cells = _cells(NB06)
    at = _at(cells, "ex06-delta_of_neuron-statement")
    for cell in cells[:at]:
        for tag in ("\\tag{2}", "\\tag{3}", "\\tag{4}", "\\tag{5}"):
            assert tag not in cell.source, (tag, cell.source)
        assert not re.search(r"w\^\{l\+1\}_\{jk\}\\?,?\s*\\delta", cell.source), cell.source
        assert "W[l + 1][j, k]" not in cell.source and "^T \\delta" not in cell.source
    derivation = _at(cells, "bp2-derivation")
    assert derivation == _at(cells, "ex06-delta_of_neuron-solution") + 1
    assert all(f"\\tag{{{n}}}" in cells[derivation].source for n in (2, 3, 4, 5))
    ex = EXERCISES["delta_of_neuron"]
    raised = ex.raised(IndexError("index 3 is out of bounds"), None)
    for text in [ex.statement, ex.explanation, *ex.hints, raised, *(b.message for b in ex.bugs)]:
        assert not re.search(r"\((2|3|4|5)\)", text), text
