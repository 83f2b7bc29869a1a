"""Tests of lecture2.checks: reference solutions pass, known mistakes fail,
and nothing a student hands in makes a check raise."""

from __future__ import annotations

import bisect
import functools
import itertools
import json
import math
import re
import signal
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from lecture2 import checks
from lecture2.checks import EXERCISES, run_check

ROOT = Path(__file__).resolve().parents[1]
SOLUTIONS = ROOT / "book" / "solutions"
NAMES = list(EXERCISES)


# ------------------------------------------------------ reference solutions


def _solution_functions() -> dict:
    """Exercise name -> the reference function, taken from the solution
    notebooks' exercise cells exactly as the grader takes them."""
    found = {}
    for path in sorted(SOLUTIONS.glob("*_solutions.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        namespace = {}
        for cell in nb["cells"]:
            name = cell.get("metadata", {}).get("lecture2", {}).get("exercise")
            if cell["cell_type"] == "code" and name:
                exec("".join(cell["source"]), namespace)  # noqa: S102
                found[name] = (namespace[EXERCISES[name].function], path.name)
    return found


SOLVED = _solution_functions()


def test_one_solution_notebook_per_chapter():
    expected = {
        "01_networks",
        "02_nonlinearities",
        "03_universal_approximation",
        "04_regression",
        "05_least_squares",
        "06_nn_regression",
        "07_gradient_descent",
        "08_backpropagation",
        "09_initialization",
        "10_sgd",
        "11_schedules",
        "12_momentum_adaptive",
        "13_second_order",
    }
    names = {p.name.removesuffix("_solutions.ipynb") for p in SOLUTIONS.glob("*.ipynb")}
    assert names == expected
    assert set(SOLVED) == set(EXERCISES)
    for name, (_, notebook) in SOLVED.items():
        assert notebook.startswith(EXERCISES[name].chapter + "_")


def test_solution_notebooks_are_executed_with_passing_checks():
    setup = (
        "# Make this notebook run anywhere: on Colab, install lecture2 if it is "
        "missing.\ntry:\n    import lecture2\nexcept ImportError:\n"
    )
    for path in sorted(SOLUTIONS.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"]["kernelspec"]["name"] == "python3"
        assert nb["cells"][0]["cell_type"] == "markdown"
        assert "".join(nb["cells"][1]["source"]).startswith(setup)
        checks_run = [
            c for c in nb["cells"] if "check" in c["metadata"].get("tags", [])
        ]
        assert checks_run, path.name
        for cell in checks_run:
            text = "".join("".join(o.get("text", "")) for o in cell["outputs"])
            assert text.startswith("✅"), (path.name, text)


def test_plan_table_matches_the_exercises():
    plan = (ROOT / "notes" / "PLAN.md").read_text(encoding="utf-8")
    table = re.findall(r"^\| (\d\d) \| `(\w+)` \|", plan, flags=re.MULTILINE)
    assert [name for _, name in table] == NAMES
    assert all(EXERCISES[name].chapter == ch for ch, name in table)


def test_exercises_note_is_up_to_date():
    note = (ROOT / "notes" / "EXERCISES.md").read_text(encoding="utf-8")
    assert note == checks.exercises_markdown()


@pytest.mark.parametrize("name", NAMES)
def test_reference_solution_passes(name):
    fn, _ = SOLVED[name]
    result = run_check(name, fn)
    assert result.status == "pass", result.message
    assert result.message.startswith(f"✅ {name}: all ")


@pytest.mark.parametrize("name", NAMES)
def test_untouched_stub_is_not_attempted(name, capsys):
    namespace = {}
    exec(EXERCISES[name].stub, namespace)  # noqa: S102
    stub = namespace[EXERCISES[name].function]
    assert run_check(name, stub).status == "not attempted"
    assert getattr(checks, f"check_{name}")(stub) is None
    out = capsys.readouterr().out
    assert out.startswith(f"⏳ {name}: not attempted")
    assert len(out.splitlines()) <= 3


@pytest.mark.parametrize("name", NAMES)
def test_verdict_is_reproducible_and_leaves_global_state(name):
    fn, _ = SOLVED[name]
    state = np.random.get_state()[1].copy()
    profile, handler = sys.getprofile(), signal.getsignal(signal.SIGALRM)
    first = run_check(name, fn)
    assert run_check(name, fn) == first
    np.testing.assert_array_equal(np.random.get_state()[1], state)
    assert sys.getprofile() is profile
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


# ------------------------------------------------------ known-wrong variants


def _logistic(x):
    return 1.0 / (1.0 + np.exp(-x))


def _stable_logistic(x):
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def _swish_prime_at(x, where):
    """The right formula with s evaluated at the wrong point."""
    s = _stable_logistic(where)
    return s + x * s * (1 - s)


def _move(w, m_next):
    return w + m_next, m_next


def _gd_in_place(w, grad, lr):
    w -= lr * grad
    return w


def _adam_parts(m, s, grad, k, beta1, beta2):
    m = beta1 * m + (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad**2
    return m, s, m / (1 - beta1**k), s / (1 - beta2**k)


def _adam_eps_outside(w, m, s, grad, k, lr, beta1, beta2, eps):
    m, s, m_hat, s_hat = _adam_parts(m, s, grad, k, beta1, beta2)
    return w - lr * m_hat / (np.sqrt(s_hat) + eps), m, s


def _adam_no_correction(w, m, s, grad, k, lr, beta1, beta2, eps):
    m, s, _, _ = _adam_parts(m, s, grad, k, beta1, beta2)
    return w - lr * m / np.sqrt(s + eps), m, s


def _adam_off_by_one(w, m, s, grad, k, lr, beta1, beta2, eps):
    m, s, m_hat, s_hat = _adam_parts(m, s, grad, k + 1, beta1, beta2)
    return w - lr * m_hat / np.sqrt(s_hat + eps), m, s


def _adam_slide_eta(w, m, s, grad, k, lr, beta1, beta2, eps):
    m = beta1 * m - (1 - beta1) * lr * grad  # the slide's slip: eta in m as well
    s = beta2 * s + (1 - beta2) * grad**2
    return w + lr * (m / (1 - beta1**k)) / np.sqrt(s / (1 - beta2**k) + eps), m, s


def _adam_in_place(w, m, s, grad, k, lr, beta1, beta2, eps):
    m *= beta1
    m += (1 - beta1) * grad
    s = beta2 * s + (1 - beta2) * grad**2
    return w - lr * (m / (1 - beta1**k)) / np.sqrt(s / (1 - beta2**k) + eps), m, s


def _adam_swapped_betas(w, m, s, grad, k, lr, beta1, beta2, eps):
    return _adam_no_swap(w, m, s, grad, k, lr, beta2, beta1, eps)


def _adam_no_swap(w, m, s, grad, k, lr, beta1, beta2, eps):
    m, s, m_hat, s_hat = _adam_parts(m, s, grad, k, beta1, beta2)
    return w - lr * m_hat / np.sqrt(s_hat + eps), m, s


def _adam_returns_m_hat(w, m, s, grad, k, lr, beta1, beta2, eps):
    m, s, m_hat, s_hat = _adam_parts(m, s, grad, k, beta1, beta2)
    return w - lr * m_hat / np.sqrt(s_hat + eps), m_hat, s


def _stop_last_vs_previous(losses, patience):
    return len(losses) > patience and losses[-1] >= losses[-patience - 1]


def _stop_ties_improve(losses, patience):
    losses = list(losses)
    return len(losses) > patience and min(losses[-patience:]) > min(losses[:-patience])


def _stop_window_off_by_one(losses, patience):
    losses = list(losses)
    return len(losses) > patience + 1 and min(losses[-patience - 1 :]) >= min(
        losses[: -patience - 1]
    )


def _stop_early(losses, patience):
    losses = list(losses)
    return len(losses) <= patience or min(losses[-patience:]) >= min(losses[:-patience])


def _batches_sorted(n, batch_size, rng):
    order = np.arange(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def _batches_drop_last(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n - batch_size + 1, batch_size)]


def _batches_with_replacement(n, batch_size, rng):
    return [
        rng.integers(0, n, size=min(batch_size, n - i)) for i in range(0, n, batch_size)
    ]


def _batches_global_state(n, batch_size, rng):
    order = np.random.permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def _batches_fixed_seed(n, batch_size, rng):
    order = np.random.default_rng(0).permutation(n)
    return [order[i : i + batch_size] for i in range(0, n, batch_size)]


def _forward(
    x, weights, sigma, last_sigma=False, bias=True, transpose=False, skip_last=False
):
    g = x
    layers = weights[:-1] if skip_last else weights
    for i, (W, b) in enumerate(layers):
        f = g @ (W.T if transpose else W) + (b if bias else 0)
        g = sigma(f) if (i < len(weights) - 1 or last_sigma) else f
    return g


def _piecewise_left(k, boundaries, values):
    return values[bisect.bisect_left(boundaries, k)]


def _piecewise_strict(k, boundaries, values):
    i = 0
    while i < len(boundaries) and boundaries[i] < k:
        i += 1
    return values[i]


def _piecewise_index_error(k, boundaries, values):
    for b, v in zip(boundaries, values):
        if k < b:
            return v
    return values[len(boundaries) - 1]


WRONG = {
    "parameter_count": {
        "missing bias": lambda s: sum(a * b for a, b in itertools.pairwise(s)),
        "bias on the wrong layer": lambda s: sum(
            a * (b + 1) for a, b in itertools.pairwise(s)
        ),
        "float result": lambda s: float(
            sum((a + 1) * b for a, b in itertools.pairwise(s))
        ),
        "counts neurons": lambda s: sum(s),
        "skips the last layer": lambda s: sum(
            (a + 1) * b for a, b in itertools.pairwise(s[:-1])
        ),
    },
    "layer_forward": {
        "missing bias": lambda g, W, b, sigma: sigma(g @ W),
        "bias outside sigma": lambda g, W, b, sigma: sigma(g @ W) + b,
        "transposed weights": lambda g, W, b, sigma: sigma(g @ W.T + b),
        "sigma on the input": lambda g, W, b, sigma: sigma(g) @ W + b,
        "no sigma": lambda g, W, b, sigma: g @ W + b,
    },
    "swish_derivative": {
        "logistic derivative": lambda x: (
            _stable_logistic(x) * (1 - _stable_logistic(x))
        ),
        "product rule half": lambda x: (
            x * _stable_logistic(x) * (1 - _stable_logistic(x))
        ),
        "naive overflow": lambda x: (
            _logistic(x) + x * _logistic(x) * (1 - _logistic(x))
        ),
        "derivative at swish(x)": lambda x: _swish_prime_at(x, x * _stable_logistic(x)),
        "returns a list": lambda x: (
            _stable_logistic(x) * (1 + x * (1 - _stable_logistic(x)))
        ).tolist(),
    },
    "elu": {
        "naive np.where overflows": lambda x, alpha=1.0: np.where(
            x > 0, x, alpha * (np.exp(x) - 1)
        ),
        "alpha ignored": lambda x, alpha=1.0: np.where(
            x > 0, x, np.expm1(np.minimum(x, 0))
        ),
        "missing -1": lambda x, alpha=1.0: np.where(
            x > 0, x, alpha * np.exp(np.minimum(x, 0))
        ),
        "alpha on the positive side": lambda x, alpha=1.0: np.where(
            x > 0, alpha * x, np.expm1(np.minimum(x, 0))
        ),
    },
    "shallow_network": {
        "missing c": lambda x, a, b, c, sigma: sigma(np.outer(x, a) + b).sum(axis=1),
        "a and b swapped": lambda x, a, b, c, sigma: sigma(np.outer(x, b) + a) @ c,
        "sum over the points": lambda x, a, b, c, sigma: (
            c * sigma(np.outer(x, a) + b).sum(axis=0)
        ),
        "missing b": lambda x, a, b, c, sigma: sigma(np.outer(x, a)) @ c,
    },
    "mse": {
        "sum": lambda p, y: float(np.sum((p - y) ** 2)),
        "broadcasts": lambda p, y: float(np.mean((p - y) ** 2)),
        "root": lambda p, y: (
            float(np.sqrt(np.mean((p - y) ** 2)))
            if p.shape == y.shape
            else (_ for _ in ()).throw(ValueError("shape"))
        ),
        "per row": lambda p, y: (
            float(np.sum((p - y) ** 2) / len(p))
            if p.shape == y.shape
            else (_ for _ in ()).throw(ValueError("shape"))
        ),
        "assert instead of ValueError": lambda p, y: (
            float(np.mean((p - y) ** 2))
            if p.shape == y.shape
            else (_ for _ in ()).throw(AssertionError("shape"))
        ),
    },
    "heteroskedastic_noise": {
        "homoskedastic": lambda x, sigma: sigma * np.ones_like(x),
        "no offset": lambda x, sigma: sigma * 1.6 * x,
        "variance": lambda x, sigma: sigma**2 * (0.2 + 1.6 * x),
        "decreasing": lambda x, sigma: sigma * (1.8 - 1.6 * x),
    },
    "polynomial_design_matrix": {
        "np.vander default order": lambda x, degree: np.vander(x, degree + 1),
        "missing constant column": lambda x, degree: (
            x[:, None] ** np.arange(1, degree + 1)
        ),
        "one column too many": lambda x, degree: x[:, None] ** np.arange(degree + 2),
        "powers start at 1": lambda x, degree: x[:, None] ** np.arange(1, degree + 2),
    },
    "least_squares_fit": {
        "normal equations with inverse": lambda H, y: np.linalg.inv(H.T @ H) @ H.T @ y,
        "normal equations with solve": lambda H, y: np.linalg.solve(H.T @ H, H.T @ y),
        "no inverse": lambda H, y: H.T @ y,
        "returns the lstsq tuple": lambda H, y: np.linalg.lstsq(H, y, rcond=None),
        "wrong sign": lambda H, y: -np.linalg.lstsq(H, y, rcond=None)[0],
    },
    "network_forward": {
        "sigma on the output": lambda x, w, s: _forward(x, w, s, last_sigma=True),
        "missing biases": lambda x, w, s: _forward(x, w, s, bias=False),
        "transposed weights": lambda x, w, s: _forward(x, w, s, transpose=True),
        "stops one layer early": lambda x, w, s: _forward(x, w, s, skip_last=True),
    },
    "gradient_descent_step": {
        "plus sign": lambda w, g, lr: w + lr * g,
        "in place": _gd_in_place,
        "missing lr": lambda w, g, lr: w - g,
        "returns the step": lambda w, g, lr: -lr * g,
    },
    "should_stop": {
        "last vs previous": _stop_last_vs_previous,
        "ties count as improvement": _stop_ties_improve,
        "window off by one": _stop_window_off_by_one,
        "stops when too short": _stop_early,
        "returns an int": lambda losses, p: int(
            len(losses) > p and min(list(losses)[-p:]) >= min(list(losses)[:-p])
        ),
    },
    "output_adjoint": {
        "slide's sign": lambda f, y: (y - f) / f.shape[0],
        "sum reduction": lambda f, y: f - y,
        "divides by n*m": lambda f, y: (f - y) / f.size,
        "keeps the 2": lambda f, y: 2 * (f - y) / f.shape[0],
    },
    "hidden_adjoint": {
        "missing sigma'": lambda f, W, fb, sp: fb @ W.T,
        "sigma' of the wrong quantity": lambda f, W, fb, sp: sp(fb @ W.T),
        "no transpose": lambda f, W, fb, sp: sp(f) * (fb @ W),
        "wrong sign": lambda f, W, fb, sp: -sp(f) * (fb @ W.T),
    },
    "weight_gradient": {
        "mean instead of sum": lambda g, fb: (g.T @ fb / len(g), fb.mean(axis=0)),
        "transposed dW": lambda g, fb: (fb.T @ g, fb.sum(axis=0)),
        "bias summed over neurons": lambda g, fb: (g.T @ fb, fb.sum(axis=1)),
        "bias missing": lambda g, fb: g.T @ fb,
    },
    "xavier_std": {
        "variance": lambda a, b: 2 / (a + b),
        "sum not average": lambda a, b: math.sqrt(1 / (a + b)),
        "He's formula": lambda a, b: math.sqrt(2 / a),
    },
    "he_std": {
        "fan-in and fan-out swapped": lambda a, b: math.sqrt(2 / b),
        "variance": lambda a, b: 2 / a,
        "Xavier's formula": lambda a, b: math.sqrt(2 / (a + b)),
        "LeCun's variance": lambda a, b: math.sqrt(1 / a),
    },
    "minibatches": {
        "not shuffled": _batches_sorted,
        "drops the last batch": _batches_drop_last,
        "with replacement": _batches_with_replacement,
        "global np.random": _batches_global_state,
        "ignores rng": _batches_fixed_seed,
    },
    "exponential_schedule": {
        "off by one step": lambda k, lr0, s: lr0 * 0.1 ** ((k + 1) / s),
        "staircase": lambda k, lr0, s: lr0 * 0.1 ** (k // s),
        "base e": lambda k, lr0, s: lr0 * math.exp(-k / s),
    },
    "piecewise_schedule": {
        "bisect_left": _piecewise_left,
        "boundary belongs to the old value": _piecewise_strict,
        "last value never used": _piecewise_index_error,
    },
    "nesterov_step": {
        "heavy ball": lambda w, m, gf, lr, beta: _move(w, beta * m - lr * gf(w)),
        "look-ahead with minus": lambda w, m, gf, lr, beta: _move(
            w, beta * m - lr * gf(w - beta * m)
        ),
        "moves by the old momentum": lambda w, m, gf, lr, beta: (
            w + m,
            beta * m - lr * gf(w + beta * m),
        ),
        "momentum sign": lambda w, m, gf, lr, beta: _move(
            w, beta * m + lr * gf(w + beta * m)
        ),
    },
    "adam_step": {
        "epsilon outside the root": _adam_eps_outside,
        "no bias correction": _adam_no_correction,
        "bias correction off by one": _adam_off_by_one,
        "the slide's eta in m": _adam_slide_eta,
        "m updated in place": _adam_in_place,
        "beta1 and beta2 swapped": _adam_swapped_betas,
        "returns m_hat": _adam_returns_m_hat,
    },
    "newton_step": {
        "wrong sign": lambda w, g, H: w + np.linalg.solve(H, g),
        "multiplies by H": lambda w, g, H: w - H @ g,
        "diagonal only": lambda w, g, H: w - g / np.diag(H),
        "no Hessian": lambda w, g, H: w - g,
    },
}

WRONG_CASES = [(name, label) for name in NAMES for label in WRONG[name]]


def test_every_exercise_has_three_wrong_variants():
    assert set(WRONG) == set(EXERCISES)
    assert all(len(variants) >= 3 for variants in WRONG.values())


@pytest.mark.parametrize(("name", "label"), WRONG_CASES)
def test_known_mistake_fails(name, label):
    result = run_check(name, WRONG[name][label])
    # "error" when the mistake makes NumPy raise (a transposed matrix that
    # does not fit), "fail" for a wrong answer
    assert result.status in ("fail", "error"), (label, result.message)
    assert result.message.startswith(f"❌ {name}: ")
    assert "Hint: " in result.message


def test_inverse_instead_of_solve_passes_when_accurate():
    result = run_check("newton_step", lambda w, g, H: w - np.linalg.inv(H) @ g)
    assert result.status == "pass", result.message


def test_other_correct_forms_pass():
    assert (
        run_check(
            "polynomial_design_matrix",
            lambda x, d: np.vander(x, d + 1, increasing=True),
        ).status
        == "pass"
    )
    assert (
        run_check("least_squares_fit", lambda H, y: np.linalg.pinv(H) @ y).status
        == "pass"
    )
    assert (
        run_check(
            "piecewise_schedule",
            lambda k, b, v: v[int(np.searchsorted(b, k, side="right"))],
        ).status
        == "pass"
    )
    assert (
        run_check(
            "minibatches",
            lambda n, bs, rng: np.array_split(rng.permutation(n), range(bs, n, bs)),
        ).status
        == "pass"
    )


def test_hints_name_the_mistake_without_the_answer():
    message = run_check(
        "parameter_count", WRONG["parameter_count"]["missing bias"]
    ).message
    assert "bias" in message and "sizes = [1, 1]" in message
    assert not re.search(r"\b2\b(?! *\])", message.split("Hint:")[1])
    message = run_check("adam_step", _adam_eps_outside).message
    assert "inside the square root" in message
    message = run_check("he_std", WRONG["he_std"]["fan-in and fan-out swapped"]).message
    assert "swapped" in message
    message = run_check(
        "output_adjoint", WRONG["output_adjoint"]["slide's sign"]
    ).message
    assert "sign" in message
    message = run_check("nesterov_step", WRONG["nesterov_step"]["heavy ball"]).message
    assert "look-ahead" in message
    message = run_check("elu", WRONG["elu"]["naive np.where overflows"]).message
    assert "RuntimeWarning" in message
    message = run_check("gradient_descent_step", _gd_in_place).message
    assert "in place" in message
    message = run_check("adam_step", _adam_swapped_betas).message
    assert "beta1 and beta2 are swapped" in message
    message = run_check("adam_step", _adam_returns_m_hat).message
    assert "bias-corrected m_hat" in message


def test_shape_hints_fit_the_shapes():
    def transposed(g_prev, W, b, sigma):
        return sigma(g_prev @ W + b).T

    def flattened(x, weights, sigma):
        return _forward(x, weights, sigma).ravel()

    message = run_check("layer_forward", transposed).message
    assert "has shape (4, 5), expected shape (5, 4)" in message
    assert "swapped" in message
    assert "(n,)" not in message and "(n, 1)" not in message
    message = " ".join(run_check("network_forward", flattened).message.split())
    assert "an array of shape (20,) is not one of shape (20, 1)" in message
    message = run_check("xavier_std", lambda a, b: np.float64(math.sqrt(2 / (a + b))))
    assert message.status == "pass"


def test_a_float32_answer_is_explained_by_its_dtype():
    def mse32(y_pred, y):
        if y_pred.shape != y.shape:
            raise ValueError("shapes differ")
        return np.float32(np.mean((y_pred - y) ** 2))

    def layer32(g_prev, W, b, sigma):
        return sigma(g_prev @ W + b).astype(np.float32)

    for name, fn in (("mse", mse32), ("layer_forward", layer32)):
        result = run_check(name, fn)
        assert result.status == "fail", result.message
        message = " ".join(result.message.split())
        assert "dtype float32" in message
        assert "float64" in message.split("Hint:")[1]


def test_a_wrapped_package_function_is_named_as_called():
    from lecture2 import network

    message = run_check(
        "parameter_count", lambda sizes: network.count_parameters(sizes)
    ).message
    assert "calls lecture2's own lecture2.network.count_parameters" in message
    message = run_check(
        "parameter_count", lambda sizes: network.Network.count_parameters(sizes)
    ).message
    assert "lecture2.network.count_parameters" in message
    message = run_check("parameter_count", lambda sizes: network.Network(sizes).p)
    assert "lecture2.network.Network()" in message.message


def _interrupts(*args, **kwargs):
    raise KeyboardInterrupt


class _InterruptingEq:
    def __eq__(self, other):
        raise KeyboardInterrupt

    __hash__ = object.__hash__


@pytest.mark.parametrize("name", ["parameter_count", "elu", "adam_step"])
def test_keyboard_interrupt_becomes_a_verdict(name, capsys):
    result = run_check(name, _interrupts)
    assert result.status == "error"
    assert result.message.startswith(f"❌ {name}: raised KeyboardInterrupt for ")
    # the check cell never raises, whatever the function does
    assert getattr(checks, f"check_{name}")(_interrupts) is None
    assert "raised KeyboardInterrupt" in capsys.readouterr().out
    # an object that raises it later, inside the check's own comparisons
    result = run_check("should_stop", lambda losses, patience: _InterruptingEq())
    assert result.status in ("error", "fail")
    assert result.message.startswith("❌ should_stop: ")


def _every_message():
    for name in NAMES:
        namespace = {}
        exec(EXERCISES[name].stub, namespace)  # noqa: S102
        yield run_check(name, namespace[EXERCISES[name].function]).message
        yield run_check(name, SOLVED[name][0]).message
        yield run_check(name, None).message
        yield run_check(name, 42).message
        yield run_check(name, _raises).message
        for variant in WRONG[name].values():
            yield run_check(name, variant).message


def test_verdict_lines_fit_the_book_width():
    # the built book's code blocks show about 78 characters; the icon at the
    # start of the first line is two columns wide
    for message in _every_message():
        lines = message.splitlines()
        assert len(lines[0]) + 1 <= 76, lines[0]
        assert all(len(line) <= 76 for line in lines[1:]), message
        assert all(line.startswith("   ") for line in lines[1:]), message
        assert "eq. (" not in message and "eqs. (" not in message, message


# ------------------------------------------------ whatever the student wrote


def _raises(*args, **kwargs):
    raise ValueError("something inside the student's code")


def _sleeps(*args, **kwargs):
    time.sleep(30)


def _spins(*args, **kwargs):
    while True:
        try:
            pass
        except Exception:  # noqa: BLE001, S110 (a student's blanket except)
            pass


class _Weird:
    def __eq__(self, other):
        raise RuntimeError("no comparisons")

    __hash__ = object.__hash__


@pytest.mark.parametrize("name", NAMES)
def test_bad_inputs_never_raise(name):
    assert run_check(name, None).status == "not attempted"
    assert run_check(name, 42).status == "fail"
    assert run_check(name, "parameter_count").status == "fail"
    assert run_check(name, _raises).status == "error"
    for weird in (
        None,
        "text",
        {"a": 1},
        np.array(["a"]),
        float("nan"),
        _Weird(),
        np.zeros((2, 3, 4)),
        (1, 2, 3),
        [np.nan],
    ):
        result = run_check(name, lambda *args, weird=weird, **kwargs: weird)
        assert result.status == "fail", (weird, result.message)


@pytest.mark.parametrize(
    "name", ["parameter_count", "elu", "least_squares_fit", "minibatches", "adam_step"]
)
def test_slow_function_is_stopped(name):
    for slow in (_sleeps, _spins):
        start = time.monotonic()
        result = run_check(name, slow, call_limit=0.2)
        assert result.status == "timeout", result.message
        assert "too slow" in result.message
        assert time.monotonic() - start < 3


def test_whole_check_budget():
    def sluggish(sizes):
        time.sleep(0.05)
        return sum((a + 1) * b for a, b in itertools.pairwise(sizes))

    result = run_check("parameter_count", sluggish, call_limit=1, check_limit=0.2)
    assert result.status == "timeout"


def test_a_zero_call_limit_still_limits():
    # setitimer(0) would disarm the alarm and let the call run unlimited
    def spins(sizes):
        end = time.monotonic() + 2
        while time.monotonic() < end:
            pass
        return 0

    start = time.monotonic()
    result = run_check("parameter_count", spins, call_limit=0)
    assert result.status == "timeout", result.message
    assert time.monotonic() - start < 1


def test_code_that_catches_the_alarm_is_still_stopped():
    # the alarm raises again every 50 ms: a `finally:` that goes on working
    # is stopped too, and catching the alarm and returning is still too slow
    def keeps_going(sizes):
        x = 0
        try:
            while x >= 0:
                x += 1
        finally:
            end = time.monotonic() + 3
            while time.monotonic() < end:
                pass

    def swallows(sizes):
        end = time.monotonic() + 0.6
        while time.monotonic() < end:
            try:
                sum(range(1000))
            except:  # noqa: E722, S110 (a student catching everything)
                pass
        return sum((a + 1) * b for a, b in itertools.pairwise(sizes))

    handler = signal.getsignal(signal.SIGALRM)
    start = time.monotonic()
    result = run_check("parameter_count", keeps_going, call_limit=0.2)
    assert result.status == "timeout", result.message
    assert time.monotonic() - start < 1.5
    result = run_check("parameter_count", swallows, call_limit=0.2)
    assert result.status == "timeout", result.message
    assert signal.getsignal(signal.SIGALRM) is handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert sys.getprofile() is None


def test_the_alarm_spares_the_monitors_clean_up():
    # an alarm in the call monitor's hook while the monitor restores the
    # previous profiler must not stop that (it would leave the hook set)
    from types import SimpleNamespace

    from lecture2.checks._monitor import _Tripwire
    from lecture2.checks._timelimit import _HOOK_CODE, _Alarm, _TooSlow

    def frame(code, back=None):
        return SimpleNamespace(f_code=code, f_back=back)

    alarm = _Alarm(1.0)
    alarm.active = True
    alarm._handler(signal.SIGALRM, frame(_HOOK_CODE, frame(_Tripwire.run.__code__)))
    assert alarm.fired
    student = frame(_sleeps.__code__)
    for where in (student, frame(_HOOK_CODE, student)):
        with pytest.raises(_TooSlow):
            alarm._handler(signal.SIGALRM, where)
    alarm.active = False
    alarm._handler(signal.SIGALRM, student)  # after the call: nothing


def test_time_limit_off_the_main_thread():
    box = {}
    thread = threading.Thread(
        target=lambda: box.update(
            r=run_check("parameter_count", _sleeps, call_limit=0.2)
        )
    )
    thread.start()
    thread.join(5)
    assert box["r"].status == "timeout"
    box.clear()
    thread = threading.Thread(
        target=lambda: box.update(
            r=run_check("parameter_count", SOLVED["parameter_count"][0])
        )
    )
    thread.start()
    thread.join(5)
    assert box["r"].status == "pass"


def test_package_functions_are_rejected():
    import lecture2.activations as act
    from lecture2 import data, init, losses, network, optim, regression, training

    handed_in = {
        "elu": act.elu,
        "swish_derivative": act.swish_derivative,
        "parameter_count": network.count_parameters,
        "mse": losses.mse,
        "heteroskedastic_noise": data.noise_std,
        "polynomial_design_matrix": regression.polynomial_features,
        "least_squares_fit": regression.least_squares,
        "output_adjoint": losses.squared_error_gradient,
        "minibatches": training.iterate_minibatches,
        "exponential_schedule": optim.Exponential(0.1, 10),
        "xavier_std": functools.partial(init.init_std, "xavier"),
    }
    for name, fn in handed_in.items():
        result = run_check(name, fn)
        assert result.status == "fail", (name, result.message)
        assert "lecture2's own" in result.message


def test_a_callable_object_with_a_strict_getattr_is_judged():
    # looking for lecture2's code in it must not run into its __getattr__
    class Strict:
        def __getattr__(self, name):
            raise RuntimeError(f"no attribute {name}")

        def __call__(self, sizes):
            return sum((a + 1) * b for a, b in itertools.pairwise(sizes))

    result = run_check("parameter_count", Strict())
    assert result.status == "pass", result.message


def test_calls_into_the_package_are_caught():
    import lecture2.activations as act
    from lecture2 import init, network, optim, regression
    from lecture2.activations import elu as renamed

    wrappers = {
        "elu": lambda x, alpha=1.0: renamed(x, alpha),
        "swish_derivative": lambda x: act.get_activation("swish").derivative(x),
        "parameter_count": lambda sizes: network.Network(sizes).p,
        "least_squares_fit": lambda H, y: regression.least_squares(H, y),
        "he_std": lambda a, b: init.init_std("he", a, b),
        "exponential_schedule": lambda k, lr0, s: optim.Exponential(lr0, s)(k),
        "piecewise_schedule": lambda k, b, v: optim.PiecewiseConstant(b, v)(k),
        "network_forward": lambda x, weights, sigma: _via_network(x, weights, sigma),
    }
    for name, fn in wrappers.items():
        result = run_check(name, fn)
        assert result.status == "fail", (name, result.message)
        assert "calls lecture2's own" in result.message


def _via_network(x, weights, sigma):
    from lecture2 import network

    sizes = [weights[0][0].shape[0]] + [W.shape[1] for W, _ in weights]
    net = network.Network(sizes, activation="tanh")
    return net.forward(
        x, np.concatenate([np.concatenate([W.ravel(), b]) for W, b in weights])
    )


def test_other_lecture2_helpers_stay_allowed():
    from lecture2.activations import logistic

    def swish_derivative(x):
        s = logistic(x)
        return s + x * s * (1 - s)

    assert run_check("swish_derivative", swish_derivative).status == "pass"


def test_check_functions_print_one_verdict_and_return_none(capsys):
    fn, _ = SOLVED["mse"]
    assert checks.check_mse(fn) is None
    out = capsys.readouterr().out
    assert out == "✅ mse: all 11 cases pass\n"
    assert checks.check_mse(WRONG["mse"]["broadcasts"]) is None
    out = capsys.readouterr().out
    assert out == (
        "❌ mse: returns a value for y_pred of shape (5,) and y of shape (5, 1); it\n"
        "   should raise ValueError\n"
        "   Hint: compare y_pred.shape with y.shape first and raise ValueError(...)\n"
        "         when they differ\n"
    )


def test_unknown_exercise_name():
    result = run_check("no_such_exercise", lambda: None)
    assert result.status == "error"


# ------------------------------------------ the checks agree with the package


def test_conventions_agree_with_the_package():
    from lecture2.checks import _optim, _regression, _training
    from lecture2.data import noise_std
    from lecture2.optim import Adam, Exponential, PiecewiseConstant

    x = np.linspace(0, 1, 7)
    np.testing.assert_allclose(
        _regression._het_std(x, 0.3), noise_std(x, 0.3, "heteroskedastic"), rtol=1e-12
    )
    for k in (0, 1, 5, 40):
        assert Exponential(0.2, 10)(k) == pytest.approx(
            0.2 * 0.1 ** (k / 10), rel=1e-12
        )
        assert (
            PiecewiseConstant([3, 9], [1.0, 0.5, 0.1])(k)
            == [1.0, 0.5, 0.1][bisect.bisect_right([3, 9], k)]
        )
    # one Adam step of the package from zero moments equals the exercise's formula
    w = np.array([0.5, -1.0, 2.0])
    grad = np.array([0.3, -0.2, 1.5])
    adam = Adam(beta1=0.8, beta2=0.9, eps=0.01)
    w_next, _, _ = adam.step(w, lambda v: (0.0, grad), 0.1)
    want, _, _ = _optim._adam(w, np.zeros(3), np.zeros(3), grad, 1, 0.1, 0.8, 0.9, 0.01)
    np.testing.assert_allclose(w_next, want, rtol=1e-12)
    _, m_down, s_down = _optim._adam(
        w, np.zeros(3), np.zeros(3), grad, 1, 0.1, 0.8, 0.9, 0.01, sign=-1.0
    )
    np.testing.assert_allclose(adam.m, m_down, rtol=1e-12)
    np.testing.assert_allclose(adam.s, s_down, rtol=1e-12)
    assert _training._should_stop([3.0, 2.0, 2.5, 2.0], 2) is True


def test_adam_accepts_the_downhill_sign_convention_of_the_slides():
    def adam_downhill(w, m, s, grad, k, lr, beta1, beta2, eps):
        m = beta1 * m - (1 - beta1) * grad  # m points downhill, as lecture2.optim.Adam
        s = beta2 * s + (1 - beta2) * grad**2
        return w + lr * (m / (1 - beta1**k)) / np.sqrt(s / (1 - beta2**k) + eps), m, s

    def adam_mixed(w, m, s, grad, k, lr, beta1, beta2, eps):
        m = beta1 * m - (1 - beta1) * grad  # downhill m, but the uphill update of w
        s = beta2 * s + (1 - beta2) * grad**2
        return w - lr * (m / (1 - beta1**k)) / np.sqrt(s / (1 - beta2**k) + eps), m, s

    assert run_check("adam_step", adam_downhill).status == "pass"
    assert run_check("adam_step", adam_mixed).status == "fail"


def test_the_checks_own_formulas_are_rejected():
    from lecture2.checks._networks import _elu
    from lecture2.checks._optim import _adam

    assert "lecture2's own" in run_check("elu", _elu).message
    assert (
        "calls lecture2's own"
        in run_check("elu", lambda x, alpha=1.0: _elu(x, alpha)).message
    )
    assert (
        "calls lecture2's own" in run_check("adam_step", lambda *a: _adam(*a)).message
    )
    message = run_check("adam_step", checks.check_adam_step).message
    assert "lecture2.checks.check_adam_step" in message


def test_generators_and_prints(capsys):
    def batches(n, batch_size, rng):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            yield order[start : start + batch_size]

    def endless(n, batch_size, rng):
        while True:
            yield rng.permutation(n)[:batch_size]

    def chatty(x, alpha=1.0):
        print("debugging", x)
        return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))

    assert run_check("minibatches", batches).status == "pass"
    assert run_check("minibatches", endless).status == "fail"
    checks.check_elu(chatty)
    assert capsys.readouterr().out == "✅ elu: all 6 cases pass\n"


def test_not_attempted_message_is_stable():
    # the chapters store this output (nbval compares it): change it only
    # together with `make notebooks`
    namespace = {}
    exec(EXERCISES["elu"].stub, namespace)  # noqa: S102
    assert run_check("elu", namespace["elu"]).message == (
        "⏳ elu: not attempted yet\n"
        "   Hint: replace `raise NotImplementedError(...)` with your code, then run\n"
        "         that cell and this one"
    )


def test_switching_off_the_monitor_or_using_threads_is_caught():
    import lecture2.activations as act

    def quiet(x, alpha=1.0):
        sys.setprofile(None)
        return act.elu(x, alpha)

    def threaded(x, alpha=1.0):
        box = []
        worker = threading.Thread(target=lambda: box.append(act.elu(x, alpha)))
        worker.start()
        worker.join()
        return box[0]

    def briefly_quiet(x, alpha=1.0):
        profiler = sys.getprofile()
        sys.setprofile(None)
        try:
            return act.elu(x, alpha)
        finally:
            sys.setprofile(profiler)

    assert "switches off" in run_check("elu", quiet).message
    assert "switches off" in run_check("elu", briefly_quiet).message
    assert "calls lecture2's own" in run_check("elu", threaded).message
    assert sys.getprofile() is None
    assert threading.getprofile() is None


# ------------------------------------- the book's boxes agree with the checks


def _cells(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(c["cell_type"], "".join(c["source"]), c["metadata"]) for c in nb["cells"]]


def _book_labels() -> set:
    labels = set()
    for path in (ROOT / "book").glob("[0-9][0-9]_*.ipynb"):
        for kind, source, _ in _cells(path):
            if kind == "markdown":
                labels |= set(re.findall(r"^\$\$ \((eq-[\w-]+)\)", source, re.MULTILINE))
    return labels


def test_exercise_numbers_titles_and_labels():
    from lecture2.checks._catalog import box

    for chapter in {ex.chapter for ex in EXERCISES.values()}:
        mine = [ex for ex in EXERCISES.values() if ex.chapter == chapter]
        assert [ex.number for ex in mine] == [
            f"{int(chapter)}.{k}" for k in range(1, len(mine) + 1)
        ]
        assert [ex.label for ex in mine] == [
            f"ex-{chapter}-{k}" for k in range(1, len(mine) + 1)
        ]
    for ex in EXERCISES.values():
        assert ex.title and ex.book
        assert box(ex).startswith(f":::{{exercise}} {ex.number} · {ex.title}\n")
        assert ":nonumber:" in box(ex)


def test_book_task_texts_cite_the_books_equations():
    labels = _book_labels()
    for ex in EXERCISES.values():
        cited = re.findall(r"\{eq\}`([\w-]+)`", ex.book)
        assert set(cited) <= labels, (ex.name, set(cited) - labels)
        # no slide equation numbers, no TeX-like markup outside math
        assert not re.search(r"\beqs?\. \(\d", ex.book), ex.name
        outside_math = re.sub(r"\$[^$]*\$|`[^`]*`", "", ex.book)
        assert not re.search(r"[_^]\{|\\[a-z]+|\bsum_", outside_math), (
            ex.name,
            outside_math,
        )
    # the plain-text tasks (terminal, docstrings) name the slides' numbers
    for ex in EXERCISES.values():
        for found in re.finditer(r"eqs?\. \(\d", ex.task):
            assert ex.task[: found.start()].endswith(("slides' ", "their ")), ex.name


@pytest.mark.parametrize("chapter", sorted({ex.chapter for ex in EXERCISES.values()}))
def test_chapter_boxes_and_stubs_come_from_the_checks(chapter):
    from lecture2.checks._catalog import box

    (path,) = (ROOT / "book").glob(f"{chapter}_*.ipynb")
    cells = _cells(path)
    markdown = "\n\n".join(s for kind, s, _ in cells if kind == "markdown")
    mine = [ex for ex in EXERCISES.values() if ex.chapter == chapter]
    for ex in mine:
        assert box(ex) in markdown, (path.name, ex.name)
    assert markdown.count(":::{exercise}") == len(mine)
    assert not re.search(r"\b(first|second|third|last) exercise\b", markdown)
    stubs = {
        meta["lecture2"]["exercise"]: source
        for kind, source, meta in cells
        if kind == "code" and "exercise" in meta.get("tags", [])
    }
    assert stubs == {ex.name: ex.stub.rstrip("\n") for ex in mine}


@pytest.mark.parametrize("chapter", sorted({ex.chapter for ex in EXERCISES.values()}))
def test_solution_pages_use_the_chapters_numbers_and_text(chapter):
    from lecture2.checks._catalog import solution_heading

    (path,) = SOLUTIONS.glob(f"{chapter}_*_solutions.ipynb")
    cells = _cells(path)
    headings = [s.split("\n")[0] for kind, s, _ in cells if s.startswith("## ")]
    mine = [ex for ex in EXERCISES.values() if ex.chapter == chapter]
    assert headings == [solution_heading(ex) for ex in mine]
    for ex in mine:
        text = next(s for _, s, _ in cells if s.startswith(solution_heading(ex)))
        assert f"\n\n{ex.book}\n\n**Why this works.** " in text
        # the reference solution keeps the stub's docstring word for word
        code = next(
            s
            for kind, s, meta in cells
            if kind == "code" and meta.get("lecture2", {}).get("exercise") == ex.name
        )
        head = ex.stub[: ex.stub.index('"""', ex.stub.index('"""') + 3) + 3]
        assert code.startswith(head), ex.name
