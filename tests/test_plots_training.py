"""Tests for lecture2.plots.training (figures and helpers of chapters 7-9)."""

from types import SimpleNamespace

import numpy as np
import pytest
from matplotlib.figure import Figure
from numpy.testing import assert_allclose, assert_array_equal

from lecture2 import testfunctions
from lecture2.init import initialize
from lecture2.network import Network
from lecture2.plots import training as pt


@pytest.fixture
def small():
    """The chapter-8 network [2, 3, 2, 1] with a batch of four points."""
    net = initialize(Network([2, 3, 2, 1], activation="tanh"), "xavier",
                     np.random.default_rng(3))
    rng = np.random.default_rng(4)
    X = rng.uniform(-1, 1, size=(4, 2))
    Y = rng.uniform(-1, 1, size=(4, 1))
    return net, X, Y


def _history(loss, reason="budget"):
    loss = np.asarray(loss, float)
    return SimpleNamespace(loss=loss, steps=len(loss), stop_reason=reason)


# ------------------------------------------------------------------ chapter 7


def test_grid_losses_vectorised_and_loop_agree():
    bowl = testfunctions.quadratic(kappa=4.0)

    def plain(w):  # no `value` method: the loop path
        return bowl(w)

    W1, W2, Z = pt.grid_losses(bowl, (-1, 1), (-2, 2), num=7)
    _, _, Z_loop = pt.grid_losses(plain, (-1, 1), (-2, 2), num=7)
    assert Z.shape == (7, 7)
    assert_allclose(Z, 0.5 * (W1**2 + 4 * W2**2), rtol=1e-14)
    assert_allclose(Z_loop, Z, rtol=1e-14)


def test_steepest_descent_figure_draws_cauchy_schwarz_curve():
    bowl = testfunctions.quadratic(kappa=4.0)
    w = np.array([-1.5, 0.8])
    fig = pt.steepest_descent_figure(bowl, w, n_directions=8)
    assert isinstance(fig, Figure)
    right = fig.axes[1]
    # the curve on the right is -||grad|| cos(theta): minimum -||grad|| at 0 degrees
    curve = right.lines[0]
    gnorm = np.linalg.norm(bowl(w)[1])
    x, y = curve.get_xdata(), curve.get_ydata()
    assert_allclose(y.min(), -gnorm, rtol=1e-12)
    assert_allclose(x[np.argmin(y)], 0.0, atol=1e-9)
    # the finite-difference dots lie on it
    dots = right.collections[0].get_offsets()
    assert_allclose(dots[:, 1], -gnorm * np.cos(np.radians(dots[:, 0])), atol=1e-4)


def test_steepest_descent_figure_rejects_a_stationary_point():
    bowl = testfunctions.quadratic()
    with pytest.raises(ValueError, match="w must be a point"):
        pt.steepest_descent_figure(bowl, (0.0, 0.0))


def test_run_gradient_descent_converges_below_two_over_lambda_max():
    bowl = testfunctions.quadratic(kappa=10.0)
    history = pt.run_gradient_descent(bowl, (-1.5, 1.0), lr=0.1, steps=300)
    assert history.path.shape[1] == 2
    assert_array_equal(history.path[0], [-1.5, 1.0])
    # one step of eq. (4): w^1 = w^0 - lr * A w^0 with A = diag(1, 10)
    assert_allclose(history.path[1], [-1.5 + 0.15, 1.0 - 1.0], atol=1e-12)
    assert np.linalg.norm(history.path[-1]) < 1e-6


def test_run_gradient_descent_reports_divergence_without_warnings():
    bowl = testfunctions.quadratic(kappa=10.0)
    # RuntimeWarnings are errors under pytest (pyproject): none may escape
    history = pt.run_gradient_descent(bowl, (-1.5, 1.0), lr=0.5, steps=5000)
    assert history.stop_reason == "diverged"
    assert np.all(np.isfinite(history.path))


def test_learning_rate_figure_diverging_case_is_quiet():
    fig = pt.learning_rate_figure(lr=0.5, kappa=10.0, steps=2000)
    assert "diverged" in fig.axes[0].get_title()
    fig = pt.learning_rate_figure(lr=0.1, kappa=10.0)
    assert "tolerance" in fig.axes[0].get_title()


def test_loss_curves_figure_marks_divergence_and_caps_overflow():
    runs = {"ok": _history([1.0, 0.5, 0.25]),
            "bad": _history([1.0, 1e300, np.inf], "diverged")}
    fig = pt.loss_curves_figure(runs)  # a log axis up to 1e300 would overflow
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["ok: budget after 3 steps", "bad: diverged after 3 steps"]
    cross = ax.lines[-1]
    assert cross.get_marker() == "x"
    assert_array_equal(cross.get_ydata(), [1e3])  # capped at 1000 x first loss
    assert ax.get_ylim()[1] < 1e4
    with pytest.raises(ValueError, match="histories"):
        pt.loss_curves_figure({})


def test_stopping_rules_figure_draws_one_line_per_rule():
    fig = pt.stopping_rules_figure(_history(np.geomspace(1, 1e-3, 50)),
                                   {"a": _history(np.ones(20)),
                                    "b": _history(np.ones(35), "patience")})
    xs = [line.get_xdata()[0] for line in fig.axes[0].lines[1:]]
    assert xs == [20, 35]
    # the legend sits outside the axes, hiding neither the curve nor the lines
    assert fig.axes[0].get_legend() is None and len(fig.legends) == 1


# ------------------------------------------------------------------ chapter 8


def test_format_layers_rounds_and_has_no_negative_zero():
    text = pt.format_layers({"f": [None, np.array([[-0.0001, 1.23456]])],
                             "g": [np.array([[2.0, -3.0]]), np.array([[0.5, 1.0]])]},
                            digits=3, sample=0)
    assert text.splitlines() == [
        "l=0  g = [ 2.000 -3.000]",
        "l=1  f = [ 0.000  1.235]   g = [ 0.500  1.000]",
    ]


def test_backprop_diagram_figure_writes_every_value(small):
    net, X, Y = small
    _, gs = net.forward_trace(X)
    fbars = net.adjoints(X, Y, reduction="sum")
    fig = pt.backprop_diagram_figure(net.sizes, gs, fbars, sample=2)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert f"g={gs[1][2, 0]:.3f}" in texts
    assert f"$\\bar f$={fbars[2][2, 1]:.3f}" in texts
    # 8 outputs, 6 adjoints (none for the inputs), 4 layer titles
    assert len(texts) == 8 + 6 + 4
    # drawn at about the column width, so the labels are not scaled down
    assert fig.get_figwidth() <= 6.5
    assert min(t.get_fontsize() for t in fig.axes[0].texts) >= 10
    with pytest.raises(ValueError, match="one entry per layer"):
        pt.backprop_diagram_figure(net.sizes, gs[:-1], fbars)


def test_gradient_check_figure_colours_by_layer(small):
    net, X, Y = small
    _, grad = net.loss_and_grad(X, Y)
    fig = pt.gradient_check_figure(grad, grad + 1e-9, net.layer_slices())
    scatter = fig.axes[0].lines[1:]
    assert [len(line.get_xdata()) for line in scatter] == [9, 8, 3]
    with pytest.raises(ValueError, match="same shape"):
        pt.gradient_check_figure(grad, grad[:-1])


def test_loss_along_weight_partials_are_slopes_of_the_losses(small):
    net, X, Y = small
    w_before = net.w.copy()
    values = np.linspace(-1.0, 1.0, 2001)
    losses, partials = pt.loss_along_weight(net, X, Y, index=4, values=values)
    assert_array_equal(net.w, w_before)
    slopes = np.gradient(losses, values)
    assert_allclose(partials[1:-1], slopes[1:-1], atol=1e-6)
    # at the network's own value of that weight, the loss is the network's loss
    w = net.w.copy()
    w[4] = values[1500]
    assert_allclose(losses[1500], net.loss(X, Y, w=w), rtol=1e-14)


def test_step_network_has_flat_losses_and_zero_partials(small):
    net, X, Y = small
    step_net = Network([2, 3, 2, 1], activation="step")
    step_net.w = net.w
    values = np.linspace(-3, 3, 301)
    losses, partials = pt.loss_along_weight(step_net, X, Y, index=0, values=values)
    assert_array_equal(partials, 0.0)
    assert len(np.unique(losses)) < 10  # a staircase: a few flat pieces
    fig = pt.step_loss_figure(values, {"step": losses}, {"step": partials})
    assert len(fig.axes) == 2


def test_layer_statistics_match_a_direct_computation(small):
    net, X, Y = small
    stats = pt.layer_statistics(net.sizes, "tanh", "xavier", X, Y, seed=3)
    fs, gs = net.forward_trace(X)  # same seed, same scheme: same weights
    fbars = net.adjoints(X, Y, reduction="sum")
    _, grad = net.loss_and_grad(X, Y, reduction="sum")
    assert_allclose(stats["std_g"], [gs[l].std() for l in (1, 2, 3)], rtol=1e-13)
    assert_allclose(stats["std_fbar"][-1], (fs[3] - Y).std(), rtol=1e-13)
    assert_allclose(stats["mean_abs_fbar"],
                    [np.abs(fbars[l]).mean() for l in (1, 2, 3)], rtol=1e-13)
    assert_allclose(stats["mean_dsigma"], [(1 - gs[1] ** 2).mean(),
                                           (1 - gs[2] ** 2).mean(), 1.0], rtol=1e-13)
    assert_allclose(stats["grad_norm"][0], np.linalg.norm(grad[:6]), rtol=1e-13)


def test_adjoint_sizes_figure_logistic_adjoints_vanish_towards_the_input():
    fig = pt.adjoint_sizes_figure(activation="logistic", depth=8, width=16)
    chosen = next(line for line in fig.axes[0].lines
                  if line.get_label() == "logistic")
    sizes = chosen.get_ydata()
    assert len(sizes) == 9
    assert sizes[0] < 1e-4 * sizes[-1]  # each layer multiplies by sigma' <= 1/4


def test_adjoint_sizes_figure_step_is_quiet_and_zero():
    fig = pt.adjoint_sizes_figure(activation="step", depth=3, width=4)
    step = next(line for line in fig.axes[0].lines if line.get_label() == "step")
    assert np.all(step.get_ydata()[:-1] <= 1e-30)


def test_init_comparison_figure_rejects_empty_stats():
    with pytest.raises(ValueError, match="stats must hold"):
        pt.init_comparison_figure({})


def test_explorer_figures_reject_unknown_names():
    with pytest.raises(ValueError, match="activation must be one of"):
        pt.init_explorer_figure(activation="sigmoid")
    with pytest.raises(ValueError, match="depth must be a positive integer"):
        pt.adjoint_sizes_figure(depth=0)


# ------------------------------------------------------------------ chapter 9


def test_init_comparison_figure_shows_the_known_regimes():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((100, 100)), rng.standard_normal((100, 100))
    stats = {("relu", scheme): pt.layer_statistics([100] * 11, "relu", scheme, X, Y)
             for scheme in ("gaussian", "xavier", "he")}
    fig = pt.init_comparison_figure(stats)
    assert len(fig.axes) == 2
    forward = {line.get_label(): line.get_ydata() for line in fig.axes[0].lines
               if not line.get_label().startswith("_")}
    # Xavier halves the variance per ReLU layer: std falls by about sqrt(2)
    ratio = forward["xavier"][-2] / forward["xavier"][0]
    assert 2.0 ** (-8 / 2) / 3 < ratio < 3 * 2.0 ** (-8 / 2)
    # He keeps it; the unit Gaussian multiplies the variance by n_in / 2 = 50
    assert 0.3 < forward["he"][-2] / forward["he"][0] < 3
    ratio = forward["gaussian"][-2] / forward["gaussian"][0]
    assert 50.0 ** (8 / 2) / 3 < ratio < 3 * 50.0 ** (8 / 2)


def test_init_explorer_figure_default_is_saturated_tanh():
    fig = pt.init_explorer_figure(depth=5, width=50)
    assert len(fig.axes) == 3
    std_g = fig.axes[1].lines[0].get_ydata()
    assert np.all((std_g[:-1] > 0.9) & (std_g[:-1] <= 1.0))
