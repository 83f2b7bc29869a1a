"""The training loop: each stopping rule, divergence, histories, mini-batches,
bad arguments, and a network trained to the noise level."""

import doctest
import math
import time
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import lecture2.optim.optimizers
import lecture2.optim.schedules
import lecture2.testfunctions
import lecture2.training
from lecture2.data import make_sinusoid, noise_std
from lecture2.losses import mse
from lecture2.network import Network
from lecture2.optim import Adam, Exponential, GradientDescent, HeavyBall, Newton
from lecture2.testfunctions import quadratic, rosenbrock
from lecture2.training import (
    DivergenceWarning,
    History,
    iterate_minibatches,
    minimize,
    train,
)

BOWL = quadratic(kappa=10.0)
ROSEN = rosenbrock()


@pytest.fixture(scope="module")
def data():
    return make_sinusoid(60, rng=3)


def small_net(seed=0):
    return Network([1, 8, 1], "tanh", rng=seed)


# ---------------------------------------------------------------------------
# each stopping rule
# ---------------------------------------------------------------------------

def test_budget_stop_makes_exactly_steps_updates():
    hist = minimize(BOWL, BOWL.start, "gd", lr=0.05, steps=37)
    assert isinstance(hist, History)
    assert hist.stop_reason == "budget"
    assert hist.steps == 37
    assert hist.loss.shape == hist.lr.shape == hist.grad_norm.shape == (37,)
    assert hist.evaluations == 37
    # GD on the bowl: w^k = (1 - lr)^k w1, (1 - 10 lr)^k w2 along the axes
    expected = BOWL.start * np.array([0.95, 0.5]) ** 37
    assert_allclose(hist.w, expected, rtol=1e-12)
    assert_allclose(hist.final_loss, BOWL(expected)[0], rtol=1e-12)


def test_tolerance_stop_newton_solves_the_quadratic_in_one_step():
    hist = minimize(BOWL, BOWL.start, Newton(hessian=BOWL.hessian), steps=10, tol=1e-10)
    assert hist.stop_reason == "tolerance"
    assert hist.steps == 1
    assert hist.loss.shape == (2,)  # w^0 and w^1 were evaluated; w^1 met the tolerance
    assert hist.grad_norm[1] <= 1e-10 < hist.grad_norm[0]
    assert_allclose(hist.w, BOWL.minimizer, atol=1e-14)
    assert hist.lr[0] == 1.0  # the full Newton step was accepted


def test_tolerance_is_on_the_gradient_norm():
    hist = minimize(BOWL, BOWL.start, "gd", lr=0.1, steps=1000, tol=1e-6)
    assert hist.stop_reason == "tolerance"
    assert np.linalg.norm(BOWL(hist.w)[1]) <= 1e-6
    assert np.all(hist.grad_norm[:-1] > 1e-6)
    # GD along the flat axis contracts by 0.9: the first k with 1.5 * 0.9^k <= 1e-6
    assert hist.steps == math.ceil(np.log(1e-6 / 1.5) / np.log(0.9))


def test_patience_stop_counts_steps_without_improvement():
    def plateau(w):  # the loss never improves on its first value
        return 1.0, np.array([1e-3, 0.0])

    hist = minimize(plateau, [0.0, 0.0], "gd", lr=0.1, steps=100, patience=7)
    assert hist.stop_reason == "patience"
    assert hist.steps == 7
    assert hist.loss.shape == (8,)


def test_patience_is_reset_by_an_improvement():
    losses = iter([5.0, 4.0, 4.5, 4.5, 3.0, 3.5, 3.5, 3.5, 3.5, 1.0])

    def scripted(w):
        return next(losses), np.zeros(1)

    hist = minimize(scripted, [0.0], "gd", steps=20, patience=3)
    # best at steps 0, 1, 4; steps 5, 6, 7 bring nothing: stop at step 7
    assert hist.stop_reason == "patience"
    assert_array_equal(hist.loss, [5.0, 4.0, 4.5, 4.5, 3.0, 3.5, 3.5, 3.5])


def test_divergence_warns_once_and_rolls_back():
    with pytest.warns(DivergenceWarning, match=r"diverged at step \d+: the loss is inf") as rec:
        hist = minimize(ROSEN, ROSEN.start, "gd", lr=1.0, steps=100, record_path=True)
    assert len([r for r in rec if issubclass(r.category, RuntimeWarning)]) == 1
    assert rec[0].filename == __file__  # reported at the caller's line
    assert hist.stop_reason == "diverged"
    assert np.all(np.isfinite(hist.loss))
    assert np.all(np.isfinite(hist.w))
    assert np.isfinite(hist.final_loss)
    assert hist.loss.shape == (hist.steps + 1,)
    assert_allclose(hist.final_loss, hist.loss[-1])  # w is the last evaluated iterate
    assert_allclose(hist.path[-1], hist.w)
    assert hist.path.shape == (hist.steps + 1, 2)


@pytest.mark.parametrize("name", ["gd", "heavy_ball", "nesterov", "adam"])
def test_huge_learning_rate_diverges_on_the_quadratic(name):
    with pytest.warns(DivergenceWarning):
        hist = minimize(BOWL, BOWL.start, name, lr=1e200 if name == "adam" else 50.0,
                        steps=5000)
    assert hist.stop_reason == "diverged"
    assert np.all(np.isfinite(hist.w))


def test_overflow_raised_by_the_objective_is_a_divergence():
    def uphill(w):  # a wrong gradient pushes w up until math.exp overflows
        return math.exp(w[0]), np.array([-1.0])

    with pytest.warns(DivergenceWarning, match="step 8"):
        hist = minimize(uphill, [0.0], "gd", lr=100.0, steps=50)
    assert hist.stop_reason == "diverged"
    assert hist.steps == 7
    assert_allclose(hist.w, [700.0])
    assert_allclose(hist.final_loss, math.exp(700.0))

    with pytest.warns(DivergenceWarning, match="step 0"):
        hist = minimize(lambda w: (math.exp(w[0] ** 2), 2 * w), [30.0], "gd", steps=5)
    assert hist.stop_reason == "diverged"
    assert hist.steps == 0
    assert_allclose(hist.w, [30.0])


def test_numpy_overflow_in_the_objective_is_a_divergence_not_a_warning():
    # np.exp(800) overflows with a RuntimeWarning, which pytest makes an error here;
    # the loop silences it and reports the divergence instead
    def uphill(w):
        return float(np.exp(w[0])), np.array([-1.0])

    with pytest.warns(DivergenceWarning, match="step 8: the loss is inf"):
        hist = minimize(uphill, [0.0], "gd", lr=100.0, steps=50)
    assert hist.steps == 7
    assert_allclose(hist.w, [700.0])


def test_non_finite_hessian_stops_newton():
    with pytest.warns(DivergenceWarning, match="step 0: Newton's method needs a finite "
                      "Hessian; the Hessian at the current weights has 4 non-finite"):
        hist = minimize(BOWL, BOWL.start, Newton(hessian=lambda w: np.full((2, 2), np.nan)),
                        steps=5)
    assert hist.stop_reason == "diverged"
    assert hist.steps == 0
    assert_allclose(hist.w, BOWL.start)


def test_nan_at_the_start_is_reported_as_divergence():
    with pytest.warns(DivergenceWarning, match="step 0: the loss is nan"):
        hist = minimize(lambda w: (np.nan, w), [1.0, 2.0], "gd", steps=5)
    assert hist.stop_reason == "diverged"
    assert hist.steps == 0
    assert hist.loss.shape == (0,)
    assert_allclose(hist.w, [1.0, 2.0])


@pytest.mark.parametrize("batch_size", [None, 10])
def test_network_training_with_a_huge_learning_rate_diverges(data, batch_size):
    x, y = data
    net = small_net()
    with pytest.warns(DivergenceWarning) as rec:
        hist = train(net, x, y, "gd", lr=1e10, steps=200, batch_size=batch_size, rng=0)
    assert len(rec) == 1
    assert rec[0].filename == __file__
    assert hist.stop_reason == "diverged"
    assert np.all(np.isfinite(net.w))
    assert_allclose(net.w, hist.w)
    assert np.isfinite(net.loss(x, y))


# ---------------------------------------------------------------------------
# what the History records
# ---------------------------------------------------------------------------

def test_history_records_the_schedule_and_the_path():
    sched = Exponential(0.1, s=10)
    hist = minimize(BOWL, BOWL.start, "gd", lr=sched, steps=25, record_path=True)
    assert_allclose(hist.lr, 0.1 * 0.1 ** (np.arange(25) / 10), rtol=1e-14)
    assert hist.path.shape == (26, 2)
    assert_allclose(hist.path[0], BOWL.start)
    grads = np.array([BOWL(p)[1] for p in hist.path[:-1]])
    assert_allclose(hist.path[1:], hist.path[:-1] - hist.lr[:, None] * grads, rtol=1e-14)
    assert_allclose(hist.loss, [BOWL(p)[0] for p in hist.path[:-1]], rtol=1e-14)
    assert_allclose(hist.grad_norm, np.linalg.norm(grads, axis=1), rtol=1e-14)
    assert hist.time >= 0


def test_callback_gets_the_new_weights_after_each_update():
    seen = []
    hist = minimize(BOWL, BOWL.start, HeavyBall(0.5), lr=0.05, steps=6, record_path=True,
                    callback=lambda k, w, loss, grad: seen.append((k, w.copy(), loss)))
    assert [k for k, _, _ in seen] == list(range(6))
    assert_allclose(np.array([w for _, w, _ in seen]), hist.path[1:])
    assert_allclose([loss for _, _, loss in seen], hist.loss)


def test_callback_runs_with_the_users_floating_point_settings():
    def callback(k, w, loss, grad):
        np.exp(1000.0)  # an overflow in the user's own code still warns

    with pytest.raises(RuntimeWarning, match="overflow"):
        minimize(BOWL, BOWL.start, "gd", lr=0.1, steps=3, callback=callback)


def test_line_search_methods_record_their_step_lengths():
    hist = minimize(ROSEN, ROSEN.start, "bfgs", lr=123.0, steps=3)
    assert np.all(hist.lr > 0)
    assert not np.any(hist.lr == 123.0)
    assert hist.evaluations >= 3


def test_reset_false_continues_the_optimizer_state():
    opt = HeavyBall(0.9)
    both = minimize(BOWL, BOWL.start, opt, lr=0.02, steps=10)
    first = minimize(BOWL, BOWL.start, opt, lr=0.02, steps=5)
    second = minimize(BOWL, first.w, opt, lr=0.02, steps=5, reset=False)
    assert_allclose(second.w, both.w, rtol=1e-14)


def test_optimizer_can_be_given_by_name(data):
    x, y = data
    a, b = small_net(), small_net()
    ha = train(a, x, y, "adam", lr=0.01, steps=30)
    hb = train(b, x, y, Adam(), lr=0.01, steps=30)
    assert_allclose(ha.loss, hb.loss, rtol=1e-14)
    assert_allclose(a.w, b.w, rtol=1e-14)


def test_full_batch_train_matches_minimize_on_the_objective(data):
    x, y = data
    net = small_net()
    w0 = net.w.copy()
    ref = minimize(net.objective(x, y), w0, GradientDescent(), lr=0.3, steps=40)
    hist = train(net, x, y, GradientDescent(), lr=0.3, steps=40)
    assert_allclose(hist.loss, ref.loss, rtol=1e-13)
    assert_allclose(net.w, ref.w, rtol=1e-13)
    assert hist.final_loss < hist.loss[0]
    assert hist.eval_step is None


# ---------------------------------------------------------------------------
# mini-batches
# ---------------------------------------------------------------------------

def test_iterate_minibatches_covers_every_point_once_per_epoch():
    rng = np.random.default_rng(5)
    first = list(iterate_minibatches(23, 5, rng))
    assert [b.size for b in first] == [5, 5, 5, 5, 3]
    assert_array_equal(np.sort(np.concatenate(first)), np.arange(23))
    second = list(iterate_minibatches(23, 5, rng))
    assert not np.array_equal(np.concatenate(first), np.concatenate(second))
    again = list(iterate_minibatches(23, 5, np.random.default_rng(5)))
    assert_array_equal(np.concatenate(again), np.concatenate(first))


def test_minibatch_history_is_the_minibatch_loss_and_reproducible(data):
    x, y = data
    runs = [train(small_net(), x, y, "gd", lr=0.2, steps=30, batch_size=8, rng=11)
            for _ in range(2)]
    assert_array_equal(runs[0].loss, runs[1].loss)
    other = train(small_net(), x, y, "gd", lr=0.2, steps=30, batch_size=8, rng=12)
    assert not np.allclose(other.loss, runs[0].loss)

    # step 0's loss is the loss on the first shuffled batch, at the initial weights
    idx = next(iterate_minibatches(60, 8, np.random.default_rng(11)))
    assert_allclose(runs[0].loss[0], small_net().loss(x[idx], y[idx]), rtol=1e-14)


def test_minibatch_full_data_evaluations(data):
    x, y = data
    net = small_net()
    w0 = net.w.copy()
    hist = train(net, x, y, "gd", lr=0.2, steps=30, batch_size=8, rng=0)
    assert_array_equal(hist.eval_step, [0, 8, 16, 24])  # once per epoch: ceil(60/8) = 8
    assert_allclose(hist.eval_loss[0], small_net().loss(x, y, w=w0), rtol=1e-14)
    hist = train(small_net(), x, y, "gd", lr=0.2, steps=30, batch_size=8, rng=0,
                 eval_every=5)
    assert_array_equal(hist.eval_step, [0, 5, 10, 15, 20, 25])
    assert_allclose(hist.final_loss, small_net().loss(x, y, w=hist.w), rtol=1e-14)


def test_minibatch_patience_watches_the_full_data_loss(data):
    x, y = data
    net = Network([1, 10, 1], "tanh", rng=0)
    train(net, x, y, "adam", lr=0.02, steps=3000)  # close to a minimum first
    best = net.loss(x, y)
    hist = train(net, x, y, "gd", lr=0.05, steps=2000, batch_size=5, rng=0,
                 patience=100, eval_every=10)
    # noisy SGD cannot beat the full-batch minimum: stop 100 steps after step 0
    assert hist.stop_reason == "patience"
    assert hist.steps == 100
    assert hist.eval_loss[0] == pytest.approx(best, rel=1e-14)
    assert np.all(hist.eval_loss[1:] >= best)


def test_minibatch_tolerance_uses_the_full_gradient(data):
    x, y = data
    net = small_net()
    full_norm = np.linalg.norm(net.loss_and_grad(x, y)[1])
    hist = train(net, x, y, "gd", lr=0.1, steps=50, batch_size=6, rng=0, tol=1.01 * full_norm)
    assert hist.stop_reason == "tolerance"
    assert hist.steps == 0


# ---------------------------------------------------------------------------
# bad arguments
# ---------------------------------------------------------------------------

def _net_data():
    x, y = make_sinusoid(20, rng=0)
    return small_net(), x, y


@pytest.mark.parametrize(
    ("call", "error", "pattern"),
    [
        (lambda: minimize(BOWL, BOWL.start, "gd", steps=-1), ValueError,
         r"steps must be an integer >= 0; got -1"),
        (lambda: minimize(BOWL, BOWL.start, "gd", steps=10.0), TypeError, r"steps must be"),
        (lambda: minimize(BOWL, BOWL.start, "gd", patience=0), ValueError,
         r"patience must be an integer >= 1; got 0"),
        (lambda: minimize(BOWL, BOWL.start, "gd", tol=-1e-3), ValueError,
         r"tol must be a non-negative finite float; got -0\.001"),
        (lambda: minimize(BOWL, BOWL.start, "gd", lr=0.0), ValueError,
         r"lr must be a positive finite float; got 0\.0"),
        (lambda: minimize(BOWL, BOWL.start, "gd", lr="big"), TypeError, r"lr must be"),
        (lambda: minimize(BOWL, BOWL.start, "adamw"), ValueError, r"name must be one of"),
        (lambda: minimize(BOWL, BOWL.start, Adam), TypeError,
         r"optimizer must be an Optimizer or the name of one"),
        (lambda: minimize(BOWL, [[1.0, 2.0]], "gd"), ValueError, r"w0 must be a 1-D array"),
        (lambda: minimize(BOWL, [np.nan, 2.0], "gd"), ValueError,
         r"w0 must contain only finite numbers"),
        (lambda: minimize(BOWL, BOWL.start, "gd", callback=3), TypeError,
         r"callback must be callable or None; got 3"),
        (lambda: minimize(BOWL, BOWL.start, "gd", record_path=1), TypeError,
         r"record_path must be True or False; got 1"),
        (lambda: train(*_net_data(), "gd", batch_size=21, rng=0), ValueError,
         r"batch_size must be between 1 and n = 20; got 21"),
        (lambda: train(*_net_data(), "gd", batch_size=0, rng=0), ValueError,
         r"batch_size must be an integer >= 1; got 0"),
        (lambda: train(*_net_data(), "gd", batch_size=5), ValueError,
         r"rng must be a numpy.random.Generator or an int seed when batch_size is given"),
        (lambda: train(*_net_data(), "gd", batch_size=5, rng="seed"), TypeError,
         r"rng must be a numpy.random.Generator"),
        (lambda: train(*_net_data(), "gd", batch_size=5, rng=0, eval_every=0), ValueError,
         r"eval_every must be an integer >= 1; got 0"),
        (lambda: train(*_net_data(), "gd", eval_every=5), ValueError,
         r"eval_every applies to mini-batch training only"),
        (lambda: train(*_net_data(), "gd", reduction="median"), ValueError,
         r"reduction must be one of"),
        (lambda: train(small_net(), np.zeros((5, 2)), np.zeros((5, 1)), "gd"), ValueError,
         r"X must have shape \(n, 1\)"),
        (lambda: list(iterate_minibatches(0, 1, 0)), ValueError, r"n must be an integer >= 1"),
        (lambda: list(iterate_minibatches(5, 6, 0)), ValueError,
         r"batch_size must be between 1 and n = 5; got 6"),
        (lambda: list(iterate_minibatches(5, 2, None)), TypeError, r"rng must be"),
    ],
)
def test_bad_arguments_name_the_parameter(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_non_finite_network_weights_are_refused(data):
    x, y = data
    net = small_net()
    net.w = np.full(net.p, np.nan)
    with pytest.raises(ValueError, match=r"net.w must contain only finite numbers"):
        train(net, x, y, "gd")


@pytest.mark.parametrize("module", [lecture2.training, lecture2.testfunctions,
                                    lecture2.optim.schedules, lecture2.optim.optimizers])
def test_docstring_examples(module):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = doctest.testmod(module)
    assert result.attempted > 0
    assert result.failed == 0


# ---------------------------------------------------------------------------
# a network trained to the noise level
# ---------------------------------------------------------------------------

def test_adam_trains_a_tanh_network_to_the_noise_level():
    x, y = make_sinusoid(200, sigma=0.2, kind="heteroskedastic", rng=0)
    noise_variance = float(np.mean(noise_std(x, 0.2, "heteroskedastic") ** 2))
    net = Network([1, 30, 30, 1], "tanh", rng=1, init="xavier")
    start = time.perf_counter()
    hist = train(net, x, y, Adam(), lr=0.01, steps=2000)
    seconds = time.perf_counter() - start
    train_mse = mse(net.forward(x), y)

    assert hist.stop_reason == "budget"
    assert_allclose(hist.final_loss, 0.5 * train_mse, rtol=1e-12)  # mean reduction: MSE / 2
    # near the noise level: not underfitting (the untrained net has MSE ~ 0.5) ...
    assert 0.7 * noise_variance < train_mse < 1.15 * noise_variance
    # ... and as good as the true function itself on these points
    assert train_mse < 1.02 * mse(np.sin(2 * np.pi * x), y)
    assert seconds < 30  # about 0.6 s alone on this machine; generous for shared CPUs


# -- review fixes: long schedules, stopped steps, huge gradients, bad fun ------

def test_a_long_exponential_schedule_runs_to_its_budget():
    # 0.1 * 0.1**(k/10) underflows to 0 near k = 3230; the schedule is clamped
    hist = minimize(BOWL, BOWL.start, "gd", lr=Exponential(0.1, s=10), steps=4000)
    assert hist.stop_reason == "budget"
    assert hist.steps == 4000
    assert hist.lr[-1] == np.finfo(float).tiny


def test_a_schedule_that_returns_zero_is_named_in_the_error():
    class Zero(lecture2.optim.schedules.Schedule):
        def _value(self, k):
            return 0.0

        def __repr__(self):
            return "Zero()"

    with pytest.raises(ValueError, match=r"learning-rate schedule Zero\(\) returned "
                                         r"0\.0 at step k = 0"):
        minimize(BOWL, BOWL.start, "gd", lr=Zero(), steps=3)


def _stop_by_tolerance_then_continue(make, lr, steps, fun=ROSEN):
    """Run to the budget; rerun stopping by tol partway; continue with reset=False."""
    full = minimize(fun, fun.start, make(), lr=lr, steps=steps)
    j = int(np.argmin(full.grad_norm[: steps // 2]))
    assert j > 0
    opt = make()
    first = minimize(fun, fun.start, opt, lr=lr, steps=steps,
                     tol=float(full.grad_norm[j]))
    assert first.stop_reason == "tolerance"
    assert first.steps == j
    assert opt.k == first.steps
    rest = minimize(fun, first.w, opt, lr=lr, steps=steps - j, reset=False)
    return full, rest


@pytest.mark.parametrize("make, lr, steps", [
    (lambda: HeavyBall(beta=0.9), 1e-3, 200),
    (lambda: Adam(), 1e-2, 200),
    (lambda: lecture2.optim.BFGS(), None, 30),
    (lambda: lecture2.optim.LBFGS(memory=3), None, 30),
])
def test_a_run_stopped_by_tolerance_continues_exactly(make, lr, steps):
    full, rest = _stop_by_tolerance_then_continue(make, 0.01 if lr is None else lr,
                                                  steps)
    assert_allclose(rest.w, full.w, rtol=0, atol=1e-12)
    assert_allclose(rest.final_loss, full.final_loss, rtol=0, atol=1e-12)


def test_a_run_stopped_by_patience_leaves_the_optimizer_at_its_weights():
    opt = HeavyBall(beta=0.9)
    hist = minimize(BOWL, BOWL.start, opt, lr=0.15, steps=500, patience=3)
    assert hist.stop_reason == "patience"
    assert opt.k == hist.steps
    again = HeavyBall(beta=0.9)
    ref = minimize(BOWL, BOWL.start, again, lr=0.15, steps=hist.steps)
    assert_allclose(hist.w, ref.w, rtol=0, atol=0)
    assert_allclose(opt.m, again.m, rtol=0, atol=0)


def test_divergence_leaves_no_non_finite_state():
    # the loss turns NaN beyond |w| = 50: rolled back to the last finite iterate
    fun = lambda w: (0.5 * w @ w if np.abs(w).max() < 50 else np.nan, w)
    opt = HeavyBall(beta=0.9)
    with pytest.warns(DivergenceWarning, match="the loss is nan"):
        hist = minimize(fun, [1.0, -1.0], opt, lr=5.0, steps=100)
    assert opt.k == hist.steps > 0
    assert np.isfinite(opt.m).all()
    ref = HeavyBall(beta=0.9)
    minimize(fun, [1.0, -1.0], ref, lr=5.0, steps=hist.steps)
    assert_array_equal(opt.m, ref.m)
    # an update to infinite weights is not kept in the momentum either
    opt = HeavyBall(beta=0.9)
    with pytest.warns(DivergenceWarning, match="non-finite weights"):
        hist = minimize(lambda w: (0.0, np.full_like(w, 1e308)), [0.0], opt,
                        lr=10.0, steps=3)
    assert hist.steps == 0 and opt.k == 0 and opt.m is None


def test_a_huge_finite_gradient_is_not_a_divergence():
    huge = lambda w: (0.0, np.full_like(w, 1e160))  # ||g||^2 overflows
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = minimize(huge, [0.0, 0.0], "gd", lr=1e-3, steps=2)
    assert hist.stop_reason == "budget"
    assert_allclose(hist.grad_norm, [math.sqrt(2) * 1e160] * 2, rtol=1e-15)
    assert_allclose(hist.w, [-2e157, -2e157], rtol=1e-15)


@pytest.mark.parametrize("optimizer, hint", [
    ("gd", "Try a smaller learning rate"),
    ("newton", "chooses its own step length"),
])
def test_a_non_finite_gradient_is_reported_as_such(optimizer, hint):
    bad = lambda w: (0.0, np.array([np.nan, 0.0]))
    with pytest.warns(DivergenceWarning) as record:
        hist = minimize(bad, [1.0, 2.0], optimizer, steps=3)
    assert len(record) == 1
    message = str(record[0].message)
    assert message.startswith("training diverged at step 0: the gradient is not finite")
    assert hint in message
    if optimizer == "newton":
        assert "learning rate" not in message
    assert hist.stop_reason == "diverged"


def test_fun_must_be_callable():
    with pytest.raises(TypeError, match="fun must be a callable w -> \\(loss, grad\\); "
                                        "got int 3"):
        minimize(3, [0.0], "gd")


@pytest.mark.parametrize("batch_size", [None, 16])
def test_train_checks_the_data_once_and_ends_with_a_forward_pass(data, batch_size,
                                                                 monkeypatch):
    X, Y = data
    net = small_net()
    calls = {"check": 0, "backprop": 0}
    check, backprop = net._check_XY, net._backprop

    def counted_check(*args):
        calls["check"] += 1
        return check(*args)

    def counted_backprop(*args):
        calls["backprop"] += 1
        return backprop(*args)

    monkeypatch.setattr(net, "_check_XY", counted_check)
    monkeypatch.setattr(net, "_backprop", counted_backprop)
    hist = train(net, X, Y, "gd", lr=0.05, steps=12, batch_size=batch_size, rng=0)
    assert calls == {"check": 1, "backprop": 12}  # one gradient per step, no more
    monkeypatch.undo()
    assert hist.final_loss == net.loss(X, Y)
