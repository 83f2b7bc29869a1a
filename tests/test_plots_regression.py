"""Tests for lecture2.plots.regression: the helpers' numbers and the figures."""

import numpy as np
import pytest
from matplotlib.figure import Figure
from numpy.testing import assert_allclose, assert_array_equal

from lecture2 import data, regression
from lecture2.network import Network
from lecture2.plots import regression as R


@pytest.fixture(scope="module")
def sample():
    x, y = data.make_sinusoid(30, sigma=0.3, rng=np.random.default_rng(0))
    x_test, y_test = data.make_sinusoid(500, sigma=0.3, rng=np.random.default_rng(1))
    return x, y, x_test, y_test


# ------------------------------------------------------------ design matrices
def test_polynomial_design_matrix_columns_are_powers():
    x = np.array([0.0, 0.5, 2.0])
    H = R.basis_design_matrix(x, "polynomial", 4)
    assert_allclose(H, [[1, 0, 0, 0], [1, 0.5, 0.25, 0.125], [1, 2, 4, 8]],
                    rtol=0, atol=1e-15)


def test_gaussian_design_matrix_has_constant_and_unit_peaks():
    centers = np.linspace(0, 1, 5)
    H = R.basis_design_matrix(centers, "gaussian", 6)
    assert H.shape == (5, 6)
    assert_allclose(H[:, 0], 1.0)
    # each bump equals 1 at its own centre; the neighbour (one width away)
    # is exp(-1/2)
    assert_allclose(np.diag(H[:, 1:]), 1.0, rtol=1e-15)
    assert_allclose(H[0, 2], np.exp(-0.5), rtol=1e-14)


def test_gaussian_size_one_is_the_constant():
    assert_array_equal(R.basis_design_matrix([0.1, 0.7], "gaussian", 1),
                       [[1.0], [1.0]])


def test_fourier_size_rounds_down_to_odd():
    x = np.array([0.125])
    H = R.basis_design_matrix(x, "fourier", 6)
    assert H.shape == (1, 5)
    c, s = np.cos(np.pi / 4), np.sin(np.pi / 4)
    assert_allclose(H[0], [1, c, s, 0, 1], atol=1e-15)


@pytest.mark.parametrize("basis,size,error", [
    ("legendre", 3, ValueError),
    ("polynomial", 0, ValueError),
    ("polynomial", 2.5, TypeError),
    ("gaussian", True, TypeError),
])
def test_basis_design_matrix_rejects_bad_input(basis, size, error):
    with pytest.raises(error, match="basis|size"):
        R.basis_design_matrix([0.5], basis, size)


def test_basis_design_matrix_rejects_two_columns():
    with pytest.raises(ValueError, match=r"x must have shape \(n,\) or \(n, 1\)"):
        R.basis_design_matrix(np.zeros((3, 2)), "polynomial", 2)


# ------------------------------------------------------------------- sweeps
def test_training_error_never_increases_for_nested_polynomials(sample):
    x, y, x_test, y_test = sample
    sizes = np.arange(1, 13)
    train, test = R.basis_size_sweep(x, y, x_test, y_test, "polynomial", sizes)
    assert train.shape == test.shape == (12,)
    assert np.all(np.diff(train) <= 1e-12)
    # a constant predicts the mean: its training error is the variance of y
    assert_allclose(train[0], np.var(y), rtol=1e-12)


def test_fourier_with_one_frequency_recovers_noiseless_sinusoid():
    x = np.linspace(0, 1, 40)
    y = data.sinusoid(x)
    train, test = R.basis_size_sweep(x, y, x[::3], y[::3], "fourier", [3])
    assert train[0] < 1e-28 and test[0] < 1e-28


def test_conditioning_study_shows_squared_condition_number():
    study = R.conditioning_study(range(1, 14), n=50, seed=3)
    assert_array_equal(study["degree"], np.arange(1, 14))
    assert np.all(np.diff(study["cond_H"]) > 0)
    # while it is representable, cond(H^T H) = cond(H)^2
    assert_allclose(study["cond_HtH"][:5], study["cond_H"][:5] ** 2, rtol=1e-6)
    # the stable solve keeps digits the normal equations lose
    assert study["err_lstsq"][0] < 1e-14
    assert study["err_lstsq"][-1] < 1e-4
    assert study["err_normal"][-1] > 1e-2
    assert study["err_normal"][-1] > 1e3 * study["err_lstsq"][-1]


# ------------------------------------------------------- adaptive basis (ch 6)
def test_network_output_is_linear_in_output_weights():
    net = Network([1, 7, 5, 1], "tanh", rng=np.random.default_rng(2))
    X = np.linspace(0, 1, 25)[:, None]
    H = R.hidden_design_matrix(net, X)
    theta = R.output_weights(net)
    assert H.shape == (25, 6) and theta.shape == (6, 1)
    assert_allclose(H[:, 0], 1.0)
    assert_allclose(net.forward(X), H @ theta, rtol=0, atol=1e-13)
    # least squares on the network's own outputs returns its output weights
    assert_allclose(regression.least_squares(H, net.forward(X)), theta,
                    rtol=0, atol=1e-8)


def test_train_network_family_is_seeded_and_lowers_the_loss(sample):
    x, y, _, _ = sample
    kw = {"activations": ("relu", "tanh"), "depths": (1, 2), "width": 5,
          "steps": 60, "lr": 0.01, "seed": 4}
    family = R.train_network_family(x, y, **kw)
    assert sorted(family) == [("relu", 1), ("relu", 2), ("tanh", 1), ("tanh", 2)]
    for (act, depth), net in family.items():
        assert net.activation.name == act
        assert net.sizes == (1,) + (5,) * depth + (1,)
        assert net.history.loss[-1] < net.history.loss[0]
    again = R.train_network_family(x, y, **kw)
    for key, net in family.items():
        assert_array_equal(net.w, again[key].w)


# ------------------------------------------------------------------ figures
def test_regression_data_band_is_two_noise_std(sample):
    x, y, _, _ = sample
    fig = R.plot_regression_data(x, y, 0.5, "heteroskedastic")
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    band = ax.collections[0].get_paths()[0].vertices
    top = band[np.isclose(band[:, 0], 1.0)][:, 1]
    # at x = 1: f = 0 and noise std = 0.5 * 1.8, so the band is +-1.8
    assert_allclose(np.unique(np.round(top, 12)), [-1.8, 1.8], atol=1e-12)
    curve = ax.lines[0]
    assert_allclose(curve.get_ydata(), np.sin(2 * np.pi * curve.get_xdata()),
                    atol=1e-12)


def test_noise_residual_panels_match_the_kinds():
    samples = {k: data.make_sinusoid(50, sigma=0.2, kind=k, rng=1)
               for k in data.NOISE_KINDS}
    fig = R.plot_noise_residuals(samples, 0.2)
    assert [ax.get_title() for ax in fig.axes] == list(data.NOISE_KINDS)
    offsets = fig.axes[0].collections[-1].get_offsets()
    x, y = samples[data.NOISE_KINDS[0]]
    assert_allclose(offsets[:, 1], (y - np.sin(2 * np.pi * x)).ravel(), atol=1e-12)


def test_basis_fit_curve_is_the_least_squares_fit(sample):
    x, y, x_test, y_test = sample
    fig = R.plot_basis_fit(x, y, "polynomial", 4, x_test, y_test)
    fit = fig.axes[0].lines[-1]
    theta = regression.least_squares(regression.polynomial_features(x, 3), y)
    expect = regression.polynomial_features(fit.get_xdata(), 3) @ theta
    assert_allclose(fit.get_ydata(), expect.ravel(), rtol=1e-10, atol=1e-12)
    assert "m = 4" in fig.axes[0].get_title()


def test_explorer_figures_use_their_defaults():
    fig = R.regression_data_figure()
    assert "0.3" in fig.axes[0].get_title()
    assert len(fig.axes[0].collections[-1].get_offsets()) == 100
    fig = R.basis_fit_figure(basis="fourier", size=3)
    assert "fourier, $m = 3$" in fig.axes[0].get_title()


@pytest.mark.parametrize("call,n_axes", [
    (lambda: R.plot_basis_functions(7), 3),
    (lambda: R.plot_basis_functions(4, "gaussian"), 1),
    (lambda: R.plot_error_vs_size([1, 2, 3], [3, 2, 1], [3, 2, 2], 1.5), 1),
    (lambda: R.plot_conditioning(R.conditioning_study(range(1, 6))), 2),
])
def test_figures_have_expected_panels(call, n_axes):
    fig = call()
    assert isinstance(fig, Figure)
    assert len(fig.axes) == n_axes


def test_basis_fits_hides_unused_panels(sample):
    x, y, _, _ = sample
    fig = R.plot_basis_fits(x, y, "gaussian", [2, 4, 6, 8, 10])
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(fig.axes) == 6 and len(visible) == 5  # two panels a row
    # one legend for all panels, drawn at column width with readable text
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == [
        "data", "true $f$", "least-squares fit"]
    assert min(t.get_fontsize() for t in legend.get_texts()) >= 9
    assert min(ax.title.get_fontsize() for ax in visible) >= 9
    assert fig.get_figwidth() <= 6.5


def test_network_figures_look_networks_up():
    x, y = data.make_sinusoid(10, sigma=0.1, rng=0)
    family = {("tanh", d): Network([1] + [3] * d + [1], "tanh", rng=d)
              for d in (1, 2)}
    fig = R.plot_network_fits(family, x, y, "tanh")
    assert sum(ax.get_visible() for ax in fig.axes) == 2
    assert len(fig.legends) == 1 and fig.get_figwidth() <= 6.5
    fig = R.plot_network_fit(family, x, y, "tanh", 2)
    line = fig.axes[0].lines[-1]
    assert_allclose(line.get_ydata(),
                    family[("tanh", 2)].forward(line.get_xdata()[:, None]).ravel())
    with pytest.raises(ValueError, match="activation, depth"):
        R.plot_network_fit(family, x, y, "relu", 1)


def test_adaptive_basis_figure_draws_each_hidden_output():
    net = Network([1, 4, 1], "tanh", rng=5)
    x, y = data.make_sinusoid(12, sigma=0.1, rng=0)
    theta = R.output_weights(net)
    fig = R.plot_adaptive_basis(net, x, y, theta)
    left, right = fig.axes
    assert len(left.lines) == 4
    net_line, refit_line = right.lines[-2:]
    assert_allclose(net_line.get_ydata(), refit_line.get_ydata(), atol=1e-13)
