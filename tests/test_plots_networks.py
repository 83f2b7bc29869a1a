"""Tests for lecture2.plots.networks: the helpers' numbers and the figures."""

import numpy as np
import pytest
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle
from numpy.testing import assert_allclose, assert_array_equal

from lecture2.activations import ACTIVATIONS, get_activation
from lecture2.data import TARGETS
from lecture2.network import Network, count_parameters
from lecture2.plots import networks as P


def finite(line):
    """x and y data of a line without the NaN that breaks it at 0."""
    x, y = (np.asarray(v, dtype=float) for v in line.get_data())
    keep = ~np.isnan(x)
    return x[keep], y[keep]


# ------------------------------------------------------------ diagrams (ch 1)
def test_layout_caps_wide_layers_and_keeps_first_and_last_neurons():
    layout = P.diagram_layout([3, 20, 50, 2], max_drawn=8)
    assert [len(pts) for pts in layout["neurons"]] == [3, 8, 8, 2]
    assert layout["index"][2] == [1, 2, 3, 4, 47, 48, 49, 50]
    assert layout["gaps"][0] is None and layout["gaps"][3] is None
    assert layout["gaps"][1] is not None
    # the ellipsis sits between the 4th and 5th drawn neuron
    ys = layout["neurons"][1][:, 1]
    assert ys[3] > layout["gaps"][1] > ys[4]
    assert layout["bias"] == [None] * 4


def test_layout_columns_are_centred_and_bias_nodes_above():
    layout = P.diagram_layout([2, 4, 1], show_bias=True)
    for pts in layout["neurons"]:
        assert_allclose(pts[:, 1].mean(), 0.0, atol=1e-12)
    assert layout["bias"][2] is None  # no bias node after the output layer
    for (xb, yb), pts in zip(layout["bias"][:2], layout["neurons"][:2]):
        assert xb == pts[0, 0]
        assert yb > layout["neurons"][1][:, 1].max()


@pytest.mark.parametrize("show_bias", [False, True])
def test_diagram_draws_one_circle_per_neuron_and_one_line_per_weight(show_bias):
    sizes = [3, 5, 4, 2]
    fig = P.network_diagram(sizes, show_bias=show_bias)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    circles = [p for p in ax.patches if isinstance(p, Circle)]
    squares = [p for p in ax.patches if isinstance(p, Rectangle)]
    assert len(circles) == sum(sizes)
    assert len(squares) == (3 if show_bias else 0)
    collections = [c for c in ax.collections if isinstance(c, LineCollection)]
    n_lines = [len(c.get_segments()) for c in collections]
    assert n_lines[0] == 3 * 5 + 5 * 4 + 4 * 2  # the weights w_jk, j >= 1
    if show_bias:
        assert n_lines[1] == 5 + 4 + 2  # one bias weight w_0k per neuron
    else:
        assert len(n_lines) == 1
    # drawn lines (with bias) = parameter count
    if show_bias:
        assert sum(n_lines) == count_parameters(sizes)
    assert f"= {count_parameters(sizes)}" in ax.get_title()


def test_explorer_builds_sizes_from_depth_and_width():
    title = P.network_explorer().axes[0].get_title()
    assert "sizes [2, 4, 4, 1]" in title
    assert title.endswith("= 37")
    title = P.network_explorer(hidden_layers=0, inputs=3, outputs=2).axes[0].get_title()
    assert "sizes [3, 2]" in title and title.endswith("= 8")


@pytest.mark.parametrize("call,error", [
    (lambda: P.network_diagram([3]), ValueError),
    (lambda: P.network_diagram([3, 0, 1]), ValueError),
    (lambda: P.network_diagram("3, 4"), TypeError),
    (lambda: P.diagram_layout([2, 3], max_drawn=1), ValueError),
    (lambda: P.network_explorer(width=0), ValueError),
    (lambda: P.network_explorer(hidden_layers=1.5), TypeError),
])
def test_diagram_rejects_bad_input(call, error):
    with pytest.raises(error):
        call()


# ------------------------------------------------------- nonlinearities (ch 2)
@pytest.mark.parametrize("alpha", [1.0, 2.5])
def test_six_panels_plot_the_package_values_and_derivatives(alpha):
    fig = P.nonlinearities_figure(alpha=alpha)
    assert len(fig.axes) == 6
    for ax, name in zip(fig.axes, ACTIVATIONS):
        assert P.DISPLAY_NAMES[name] in ax.get_title()
        act = get_activation(name, alpha=alpha if name == "elu" else 1.0)
        value, derivative = ax.get_lines()[:2]
        x, y = finite(value)
        assert x.size == 800 and not np.any(x == 0)
        assert_allclose(y, act(x), rtol=0, atol=1e-15)
        x, y = finite(derivative)
        assert_allclose(y, act.derivative(x), rtol=0, atol=1e-15)
        # the NaN that breaks each line sits at 0
        assert np.isnan(value.get_xdata()[400])
    elu = fig.axes[4]
    assert f"{alpha:g}" in elu.get_title()
    x, y = finite(elu.get_lines()[0])
    assert_allclose(y[0], alpha * np.expm1(-4.0), rtol=1e-14)


def test_saturating_on_top_and_step_shows_its_value_at_zero():
    fig = P.nonlinearities_figure()
    for ax in fig.axes[:3]:
        assert ax.get_title().endswith(": saturating")
    for ax in fig.axes[3:]:
        assert ax.get_title().endswith(": nonsaturating")
    markers = [line.get_xydata().tolist() for line in fig.axes[0].get_lines()[2:4]]
    assert markers == [[[0.0, 0.0]], [[0.0, 1.0]]]  # filled at 0, open at 1


def test_single_nonlinearity_figure():
    fig = P.nonlinearity_figure("swish")
    (ax,) = fig.axes
    x, y = finite(ax.get_lines()[0])
    assert_allclose(y, x / (1 + np.exp(-x)), rtol=1e-13, atol=1e-15)
    with pytest.raises(ValueError, match="name"):
        P.nonlinearity_figure("softplus")
    # the explorer's alpha slider reaches every name; only ELU uses it
    fig = P.nonlinearity_figure("tanh", alpha=2.5)
    x, y = finite(fig.axes[0].get_lines()[0])
    assert_allclose(y, np.tanh(x), rtol=0, atol=1e-15)


# --------------------------------------------------- piecewise linear (ch 2)
def test_random_network_is_seeded_and_shared_across_activations():
    a = P.random_network((1, 8, 1), "relu", seed=3)
    b = P.random_network((1, 8, 1), "tanh", seed=3)
    c = P.random_network((1, 8, 1), "relu", seed=4)
    assert_array_equal(a.w, b.w)
    assert not np.array_equal(a.w, c.w)
    assert np.all(a.weights[0][1] != 0)  # biases drawn too


def test_random_network_scales_by_fan_in():
    net = P.random_network((400, 300, 1), "relu", seed=0, scale=2.0)
    W, b = net.weights[0]
    assert_allclose(W.std(), 2.0 / np.sqrt(400), rtol=0.02)
    assert_allclose(b.std(), 2.0 / np.sqrt(400), rtol=0.25)


def test_kinks_of_a_shallow_relu_network_are_minus_b_over_a():
    net = P.random_network((1, 12, 1), "relu", seed=5)
    W, b = net.weights[0]
    exact = np.sort(-b / W[0])
    exact = exact[(exact > -3) & (exact < 3)]
    found = P.relu_kinks(net, np.linspace(-3, 3, 1001))
    assert found.size == exact.size > 3
    assert_allclose(found, exact, rtol=0, atol=1e-12)


def test_relu_network_is_linear_between_kinks():
    net = P.random_network((1, 8, 8, 1), "relu", seed=1)
    kinks = P.relu_kinks(net, np.linspace(-3, 3, 2001))
    ends = np.concatenate([[-3.0], kinks, [3.0]])
    mid = net.forward((ends[:-1] + ends[1:]) / 2)[:, 0]
    chord = (net.forward(ends[:-1])[:, 0] + net.forward(ends[1:])[:, 0]) / 2
    assert_allclose(mid, chord, rtol=0, atol=1e-12)


def test_relu_kinks_rejects_bad_input():
    with pytest.raises(ValueError, match="one input"):
        P.relu_kinks(Network([2, 3, 1], "relu"), np.linspace(0, 1, 5))
    with pytest.raises(ValueError, match="increasing"):
        P.relu_kinks(Network([1, 3, 1], "relu"), np.array([0.0, 1.0, 0.5]))


@pytest.mark.parametrize("activation", ["tanh", "elu", "swish", "relu"])
def test_input_slope_matches_central_differences(activation):
    net = P.random_network((1, 6, 5, 1), activation, seed=2)
    x = np.linspace(-2.0, 2.0, 41) + 0.013  # away from kinks for ReLU
    h = 1e-6
    numeric = (net.forward(x + h) - net.forward(x - h))[:, 0] / (2 * h)
    assert_allclose(P.input_slope(net, x), numeric, rtol=1e-6, atol=1e-8)


def test_piecewise_linear_figure_shows_the_networks_outputs_and_slopes():
    fig = P.piecewise_linear_figure(sizes=(1, 8, 8, 1), seed=1)
    assert len(fig.axes) == 4
    relu_out, tanh_out, relu_slope, tanh_slope = fig.axes
    relu = P.random_network((1, 8, 8, 1), "relu", seed=1)
    tanh = P.random_network((1, 8, 8, 1), "tanh", seed=1)
    x, y = relu_out.get_lines()[0].get_data()
    assert_allclose(y, relu.forward(x)[:, 0], rtol=0, atol=1e-14)
    x, y = tanh_out.get_lines()[0].get_data()
    assert_allclose(y, tanh.forward(x)[:, 0], rtol=0, atol=1e-14)
    x, y = relu_slope.get_lines()[0].get_data()
    assert_allclose(y, P.input_slope(relu, x), rtol=0, atol=1e-14)
    x, y = tanh_slope.get_lines()[0].get_data()
    assert_allclose(y, P.input_slope(tanh, x), rtol=0, atol=1e-14)
    kinks = P.relu_kinks(relu, np.linspace(-3, 3, 2001))
    assert_allclose(relu_out.get_lines()[1].get_xdata(), kinks)
    # the ReLU slope takes few distinct values, the tanh slope many
    assert np.unique(np.round(relu_slope.get_lines()[0].get_ydata(), 10)).size \
        <= kinks.size + 1
    with pytest.raises(ValueError, match="start and end with 1"):
        P.piecewise_linear_figure(sizes=(2, 4, 1))


# ---------------------------------------------- universal approximation (ch 3)
def test_shallow_fit_is_the_network_it_describes():
    fit = P.shallow_fit("sinusoid", k=8)
    sigma = get_activation("logistic")
    assert_allclose(fit.pred, fit.c0 + sigma(np.outer(fit.x, fit.a) + fit.b) @ fit.c,
                    rtol=0, atol=1e-12)
    net = Network([1, 8, 1], activation="logistic")
    (W1, b1), (W2, b2) = net.weights
    W1[0], b1[:], W2[:, 0], b2[0] = fit.a, fit.b, fit.c, fit.c0
    assert_allclose(net.forward(fit.x)[:, 0], fit.pred, rtol=0, atol=1e-9)
    assert_allclose(fit.y, TARGETS["sinusoid"](fit.x))
    assert fit.max_error == pytest.approx(np.max(np.abs(fit.pred - fit.y)))
    assert fit.k == 8 and fit.x.size == 2001


def test_shallow_fit_output_weights_solve_the_normal_equations():
    fit = P.shallow_fit("bump", k=6, activation="tanh", n_train=300)
    x = np.linspace(0, 1, 300)
    H = np.column_stack([np.ones(300), np.tanh(np.outer(x, fit.a) + fit.b)])
    residual = H @ np.concatenate([[fit.c0], fit.c]) - TARGETS["bump"](x)
    assert_allclose(H.T @ residual, 0.0, atol=1e-9)


def test_grid_hidden_weights_have_centres_spread_over_the_interval():
    fit = P.shallow_fit("abs", k=5)
    assert_allclose(fit.a, 5.0)
    assert_allclose(-fit.b / fit.a, np.linspace(-0.2, 1.2, 5))


def test_random_hidden_weights_are_seeded():
    a = P.shallow_fit("abs", k=10, hidden="random", seed=1)
    b = P.shallow_fit("abs", k=10, hidden="random", seed=1)
    c = P.shallow_fit("abs", k=10, hidden="random", seed=2)
    assert_array_equal(a.a, b.a)
    assert not np.array_equal(a.a, c.a)
    assert np.all((a.a >= 5.0) & (a.a <= 15.0))


def test_error_falls_for_continuous_targets_and_not_for_a_jump():
    ks = (2, 8, 32)
    errors = P.approximation_errors(("sinusoid", "abs", "step"), ks)
    assert errors["sinusoid"][2] < 1e-4 < errors["sinusoid"][1] < 1e-3
    assert np.all(np.diff(errors["abs"]) < 0)
    assert_allclose(errors["abs"][2] * 32, errors["abs"][1] * 8, rtol=0.15)  # ~1/k
    assert np.all(errors["step"] >= 0.5 - 1e-9)


def test_shallow_fit_is_cached():
    assert P.shallow_fit("bump", 7) is P.shallow_fit("bump", 7)


@pytest.mark.parametrize("kwargs,error,match", [
    ({"k": 0}, ValueError, "k"),
    ({"k": 2.5}, TypeError, "k"),
    ({"target": "square"}, ValueError, "target"),
    ({"hidden": "uniform"}, ValueError, "hidden"),
    ({"steepness": -1.0}, ValueError, "steepness"),
    ({"activation": "sine"}, ValueError, "activation"),
])
def test_shallow_fit_rejects_bad_input(kwargs, error, match):
    with pytest.raises(error, match=match):
        P.shallow_fit(**kwargs)


def test_shallow_figure_plots_target_fit_units_and_error():
    fig = P.shallow_approximation_figure(k=5, target="abs", activation="relu")
    assert len(fig.axes) == 3
    fit = P.shallow_fit("abs", 5, "relu")
    top, middle, bottom = fig.axes
    target, network = top.get_lines()[:2]
    assert_allclose(target.get_ydata(), fit.y)
    assert_allclose(network.get_ydata(), fit.pred)
    units = np.column_stack([line.get_ydata() for line in middle.get_lines()])
    assert units.shape == (2001, 5)
    assert_allclose(units.sum(axis=1) + fit.c0, fit.pred, rtol=0, atol=1e-10)
    assert_allclose(bottom.get_lines()[0].get_ydata(), fit.pred - fit.y)
    assert f"{fit.max_error:.2g}" in bottom.get_legend().get_texts()[0].get_text()
    assert len(P.shallow_approximation_figure(show_units=False).axes) == 2


def test_error_figure_plots_one_line_per_target():
    ks = (1, 4, 16)
    names = ("sinusoid", "step")
    fig = P.approximation_error_figure(targets=names, ks=ks)
    (ax,) = fig.axes
    errors = P.approximation_errors(names, ks)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    for line, name in zip(ax.get_lines(), names):
        assert_array_equal(line.get_xdata(), ks)
        assert_allclose(line.get_ydata(), errors[name])
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["sinusoid (smooth)", "step (jump)"]
