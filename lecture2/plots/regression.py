"""Figures for chapters 4-6: regression, least squares, network regression.

Every ``plot_*`` function takes numbers in and returns a new
:class:`matplotlib.figure.Figure`, built without pyplot, so nothing is shown
twice and no global state is touched. The ``*_figure`` functions take only
simple parameters (a noise level, a basis size, a seed) and draw their own
data: they are the functions the chapters' explorers wrap. The remaining
helpers compute what the figures need (design matrices, error sweeps, a
family of trained networks) and return plain arrays and objects.

Symbols follow the lecture: data ``Y = f(X) + eps`` with ``f(x) = sin(2 pi x)``
on ``[0, 1]``; a linear parametric model ``f(x; theta) = sum_j theta_j
phi_j(x)`` fitted through the design matrix ``H``; a network's weight vector
``w``.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lecture2 import data, regression
from lecture2.plots.common import COLORS

__all__ = [
    "basis_design_matrix",
    "basis_fit_figure",
    "basis_size_sweep",
    "conditioning_study",
    "hidden_design_matrix",
    "output_weights",
    "plot_adaptive_basis",
    "plot_basis_fit",
    "plot_basis_fits",
    "plot_basis_functions",
    "plot_conditioning",
    "plot_error_vs_size",
    "plot_network_fit",
    "plot_network_fits",
    "plot_noise_residuals",
    "plot_regression_data",
    "regression_data_figure",
    "train_network_family",
]

# Colours used by every figure of the three chapters, so that the data, the
# true f and a fitted curve look the same wherever they appear.
DATA_COLOR = "0.45"
TRUE_COLOR = COLORS[7]  # black
BAND_COLOR = COLORS[5]  # sky blue
FIT_COLOR = COLORS[1]  # vermillion
TRAIN_COLOR = COLORS[0]  # blue
TEST_COLOR = COLORS[4]  # orange

BASES = regression.BASES  # basis families of basis_design_matrix

_GRID = np.linspace(0.0, 1.0, 401)


# --------------------------------------------------------------------------
# small checks and helpers
# --------------------------------------------------------------------------

def _as_column(name, x):
    """Return ``x`` as a float column of shape ``(n, 1)``."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[1] != 1:
        raise ValueError(
            f"{name} must have shape (n,) or (n, 1); got shape {np.shape(x)}"
        )
    return arr


def _check_basis(basis):
    if basis not in BASES:
        raise ValueError(f"basis must be one of {BASES}; got {basis!r}")


def _check_size(size, smallest=1):
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)):
        raise TypeError(f"size must be an integer; got {size!r}")
    if size < smallest:
        raise ValueError(f"size must be at least {smallest}; got {size}")


def _mse(pred, y):
    """Plain mean of squared residuals (for reporting)."""
    return float(np.mean((np.asarray(pred) - np.asarray(y)) ** 2))


def _draw_truth(ax, label="true $f$"):
    ax.plot(_GRID, data.sinusoid(_GRID), color=TRUE_COLOR, lw=1.5, ls="--",
            label=label)


def _draw_data(ax, x, y, label="data", size=12):
    ax.scatter(np.ravel(x), np.ravel(y), s=size, color=DATA_COLOR,
               alpha=0.8, lw=0, label=label, zorder=2)


# Panel grids are drawn at the book's column width (about 6.5 in at the
# package's 100 dpi), so they are not scaled down in the page: two panels a
# row, text set in points that stay readable at that size.
_GRID_WIDTH = 6.5
_PANEL_HEIGHT = 2.2
_TITLE_SIZE = 10
_LEGEND_SIZE = 10


def _panel_grid(count):
    """A figure with ``count`` panels, two a row, sharing both axes."""
    cols = min(count, 2)
    rows = -(-count // cols)
    fig = Figure(figsize=(_GRID_WIDTH, _PANEL_HEIGHT * rows + 0.5),
                 layout="constrained")
    axes = fig.subplots(rows, cols, sharex=True, sharey=True, squeeze=False)
    return fig, axes


def _finish_panel_grid(fig, axes, count, legend_loc="outside upper center"):
    """Hide the unused panels, label only the outer ones, one shared legend.

    With a suptitle, pass ``legend_loc="outside lower center"``: constrained
    layout does not stack a suptitle and a legend both outside the top.
    """
    for ax in axes.flat:
        ax.label_outer()  # x labels on the bottom row, y labels on the left
        ax.tick_params(labelsize=9)
    for ax in axes.flat[count:]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc=legend_loc, ncols=len(labels),
               fontsize=_LEGEND_SIZE, frameon=False)


def _finish_unit_axes(ax, ylim=(-2.2, 2.2)):
    ax.set_xlim(0.0, 1.0)
    ax.set_xticks([0.0, 0.25, 0.5, 0.75, 1.0], ["0", "", "0.5", "", "1"])
    ax.set_ylim(*ylim)
    ax.set_xlabel("$x$")


# --------------------------------------------------------------------------
# chapter 4: the data model Y = f(X) + eps
# --------------------------------------------------------------------------

def plot_regression_data(x, y, sigma, kind="heteroskedastic", title=None):
    """Scatter of a sinusoid sample with the true f and a +-2 std noise band.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, 1)
        Sample of ``Y = f(X) + eps`` (data representation theorem).
    sigma : float
        Noise level, as in :func:`lecture2.data.noise_std`.
    kind : {"homoskedastic", "heteroskedastic"}
        Noise model; the band is ``f(x) +- 2 * noise_std(x, sigma, kind)``.
    title : str, optional
        Axes title; a default naming the noise model is used when omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x, y = _as_column("x", x), _as_column("y", y)
    std = data.noise_std(_GRID, sigma, kind)
    f = data.sinusoid(_GRID)

    fig = Figure(figsize=(6.4, 3.6), layout="constrained")
    ax = fig.add_subplot()
    ax.fill_between(_GRID, f - 2 * std, f + 2 * std, color=BAND_COLOR,
                    alpha=0.18, lw=0, label=r"$f(x) \pm 2\,$noise std")
    _draw_truth(ax, label=r"$f(x) = \sin(2\pi x)$")
    _draw_data(ax, x, y, label=f"data ($n = {len(x)}$)")
    _finish_unit_axes(ax, ylim=(-3.0, 3.0))
    ax.set_ylabel("$y$")
    ax.set_title(title or f"{kind} noise, $\\sigma = {sigma:g}$")
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    return fig


def regression_data_figure(sigma=0.3, kind="heteroskedastic", n=100, seed=0):
    """Draw a fresh sinusoid sample and plot it (the chapter 4 explorer).

    Parameters
    ----------
    sigma : float
        Noise level (mean noise standard deviation over [0, 1]).
    kind : {"heteroskedastic", "homoskedastic"}
        Noise model of :func:`lecture2.data.noise_std`.
    n : int
        Sample size.
    seed : int
        Seed of the generator that draws the sample.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x, y = data.make_sinusoid(n, sigma=sigma, kind=kind,
                              rng=np.random.default_rng(seed))
    return plot_regression_data(x, y, sigma, kind)


def plot_noise_residuals(samples, sigma):
    """Residuals ``eps = y - f(x)`` of several samples, one panel each.

    Parameters
    ----------
    samples : dict
        Maps a noise kind (``"homoskedastic"``, ``"heteroskedastic"``) to a
        sample ``(x, y)`` drawn with that kind and noise level ``sigma``.
    sigma : float
        Noise level used to draw the samples.

    Returns
    -------
    matplotlib.figure.Figure
        One panel per kind: the residuals, the zero line (``E[eps | X] = 0``)
        and the band ``+-2 * noise_std(x)``.
    """
    kinds = list(samples)
    fig = Figure(figsize=(3.3 * len(kinds), 3.0), layout="constrained")
    axes = fig.subplots(1, len(kinds), sharey=True, squeeze=False)[0]
    for ax, kind in zip(axes, kinds):
        x, y = (_as_column(name, v) for name, v in zip("xy", samples[kind]))
        eps = (y - data.sinusoid(x)).ravel()
        std = data.noise_std(_GRID, sigma, kind)
        ax.fill_between(_GRID, -2 * std, 2 * std, color=BAND_COLOR,
                        alpha=0.18, lw=0, label=r"$\pm 2\,$noise std")
        ax.axhline(0.0, color=TRUE_COLOR, lw=1.2, ls="--",
                   label=r"$E[\varepsilon \mid X] = 0$")
        _draw_data(ax, x, eps, label=r"$\varepsilon = y - f(x)$", size=6)
        _finish_unit_axes(ax, ylim=(-2.0, 2.0))
        ax.set_title(kind)
    axes[0].set_ylabel(r"$\varepsilon$")
    axes[0].legend(loc="lower left", fontsize=7, frameon=False)
    return fig


# --------------------------------------------------------------------------
# chapter 5: linear parametric models and least squares
# --------------------------------------------------------------------------

def basis_design_matrix(x, basis, size):
    """Design matrix ``H`` of a basis family with ``size`` basis functions.

    Column ``j`` of ``H`` is ``phi_j`` evaluated at the inputs, so that
    ``f(x; theta) = H @ theta`` (lecture's linear parametric model).

    Parameters
    ----------
    x : array_like, shape (n,) or (n, 1)
        Inputs in [0, 1].
    basis : {"polynomial", "gaussian", "fourier"}
        ``"polynomial"``: ``1, x, ..., x^(size-1)``. ``"gaussian"``: a
        constant and ``size - 1`` Gaussian bumps with evenly spaced centres
        on [0, 1] and width equal to their spacing. ``"fourier"``: a constant
        and ``cos``/``sin`` pairs; an even ``size`` is rounded down to the odd
        number ``1 + 2 * n_freq``.
    size : int
        Number of basis functions ``m`` (columns of ``H``), at least 1.

    Returns
    -------
    ndarray, shape (n, m)
    """
    _check_basis(basis)
    _check_size(size)
    x = _as_column("x", x)
    if basis == "polynomial":
        return regression.polynomial_features(x, size - 1)
    if basis == "gaussian":
        k = size - 1
        if k == 0:
            return np.ones((len(x), 1))
        centers = np.linspace(0.0, 1.0, k)
        width = 1.0 / (k - 1) if k > 1 else 0.5
        return regression.gaussian_features(x, centers, width)
    return regression.fourier_features(x, (size - 1) // 2)


def plot_basis_functions(size, bases=BASES):
    """The basis functions ``phi_j`` of one or more families over [0, 1].

    Parameters
    ----------
    size : int
        Number of basis functions, as in :func:`basis_design_matrix`.
    bases : sequence of str
        Families to draw, one panel each (default: all of :data:`BASES`).

    Returns
    -------
    matplotlib.figure.Figure
    """
    bases = [bases] if isinstance(bases, str) else list(bases)
    fig = Figure(figsize=(3.0 * len(bases), 2.6), layout="constrained")
    axes = fig.subplots(1, len(bases), squeeze=False)[0]
    for ax, basis in zip(axes, bases):
        H = basis_design_matrix(_GRID, basis, size)
        colors = _colors(H.shape[1])
        for j in range(H.shape[1]):
            ax.plot(_GRID, H[:, j], color=colors[j], lw=1.3)
        ax.set_xlim(0.0, 1.0)
        ax.set_xlabel("$x$")
        ax.set_title(f"{basis}, $m = {H.shape[1]}$", fontsize=9)
    axes[0].set_ylabel(r"$\phi_j(x)$")
    return fig


def _colors(k):
    """``k`` colours from a perceptually ordered map."""
    from matplotlib import colormaps

    return colormaps["viridis"](np.linspace(0.0, 0.9, max(k, 1)))


def _basis_fit(x, y, basis, size, x_test=None, y_test=None):
    """Least-squares fit of one basis: coefficients, training and test error.

    The test error is None when no test sample is given.
    """
    x, y = _as_column("x", x), _as_column("y", y)
    H = basis_design_matrix(x, basis, size)
    theta = regression.least_squares(H, y)
    train = _mse(H @ theta, y)
    test = None
    if x_test is not None:
        pred = basis_design_matrix(x_test, basis, size) @ theta
        test = _mse(pred, _as_column("y_test", y_test))
    return theta, train, test


def _draw_basis_fit(ax, x, y, basis, size, x_test=None, y_test=None):
    """Draw data, true f and the fit into ``ax``; return ``(m, train, test)``."""
    theta, train, test = _basis_fit(x, y, basis, size, x_test, y_test)
    _draw_data(ax, x, y)
    _draw_truth(ax)
    curve = basis_design_matrix(_GRID, basis, size) @ theta
    ax.plot(_GRID, curve.ravel(), color=FIT_COLOR, lw=1.8,
            label="least-squares fit")
    _finish_unit_axes(ax, ylim=(-2.5, 2.5))
    return len(theta), train, test


def basis_size_sweep(x, y, x_test, y_test, basis, sizes):
    """Training and test mean squared error of least squares over basis sizes.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, 1)
        Training sample.
    x_test, y_test : array_like
        Independent test sample from the same distribution.
    basis : {"polynomial", "gaussian", "fourier"}
    sizes : sequence of int
        Numbers of basis functions ``m`` to try.

    Returns
    -------
    train_mse, test_mse : ndarray, shape (len(sizes),)
    """
    errors = [_basis_fit(x, y, basis, m, x_test, y_test)[1:] for m in sizes]
    train, test = zip(*errors)
    return np.array(train), np.array(test)


def plot_basis_fit(x, y, basis="polynomial", size=4, x_test=None, y_test=None,
                   ax=None):
    """Data, true f and the least-squares fit of one basis expansion.

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, 1)
        Training sample.
    basis : {"polynomial", "gaussian", "fourier"}
    size : int
        Number of basis functions ``m``.
    x_test, y_test : array_like, optional
        When given, the test error is written in the title as well.
    ax : matplotlib.axes.Axes, optional
        Draw into this axes (of a figure the caller made) instead of a new
        figure.

    Returns
    -------
    matplotlib.figure.Figure
        The new figure, or the figure that owns ``ax``.
    """
    if ax is None:
        fig = Figure(figsize=(5.6, 3.4), layout="constrained")
        ax = fig.add_subplot()
    m, train, test = _draw_basis_fit(ax, x, y, basis, size, x_test, y_test)
    title = f"{basis}, $m = {m}$: train MSE {train:.3f}"
    if test is not None:
        title += f", test MSE {test:.3f}"
    ax.set_title(title, fontsize=9)
    return ax.figure


def plot_basis_fits(x, y, basis, sizes, x_test=None, y_test=None):
    """Least-squares fits of one basis at several sizes, one panel each.

    Parameters are those of :func:`plot_basis_fit`, with a sequence
    ``sizes`` of basis sizes instead of one.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, axes = _panel_grid(len(sizes))
    for ax, m in zip(axes.flat, sizes):
        size, _, test = _draw_basis_fit(ax, x, y, basis, m, x_test, y_test)
        title = f"$m = {size}$" if test is None else f"$m = {size}$: test MSE {test:.3f}"
        ax.set_title(title, fontsize=_TITLE_SIZE)
    _finish_panel_grid(fig, axes, len(sizes))
    return fig


def basis_fit_figure(basis="polynomial", size=4, n=30, sigma=0.3, seed=0):
    """Fit one basis expansion to a fresh sample (the chapter 5 explorer).

    Parameters
    ----------
    basis : {"polynomial", "gaussian", "fourier"}
    size : int
        Number of basis functions ``m``.
    n : int
        Training sample size.
    sigma : float
        Noise level of the heteroskedastic sinusoid.
    seed : int
        Seed of the generator; the test sample (2000 points) uses
        ``seed + 1``.

    Returns
    -------
    matplotlib.figure.Figure
    """
    x, y = data.make_sinusoid(n, sigma=sigma, rng=np.random.default_rng(seed))
    x_test, y_test = data.make_sinusoid(2000, sigma=sigma,
                                        rng=np.random.default_rng(seed + 1))
    fig = plot_basis_fit(x, y, basis, size, x_test, y_test)
    fig.axes[0].legend(loc="lower left", fontsize=8, frameon=False)
    return fig


def plot_error_vs_size(sizes, train_mse, test_mse, noise_floor=None,
                       title=None):
    """Training and test error against the number of basis functions.

    Parameters
    ----------
    sizes : sequence of int
        Numbers of basis functions ``m`` (horizontal axis).
    train_mse, test_mse : array_like, shape (len(sizes),)
        Errors, e.g. from :func:`basis_size_sweep`.
    noise_floor : float, optional
        Mean squared error of the true f, ``E[sigma(X)^2]``, drawn as a
        horizontal line: no predictor does better on average.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = Figure(figsize=(5.6, 3.4), layout="constrained")
    ax = fig.add_subplot()
    ax.semilogy(sizes, train_mse, "o-", color=TRAIN_COLOR, ms=4,
                label="training error")
    ax.semilogy(sizes, test_mse, "s-", color=TEST_COLOR, ms=4,
                label="test error")
    if noise_floor is not None:
        ax.axhline(noise_floor, color=TRUE_COLOR, ls="--", lw=1,
                   label=r"noise floor $E[\sigma(X)^2]$")
    ax.set_xlabel("number of basis functions $m$")
    ax.set_ylabel("mean squared error")
    if title:
        ax.set_title(title)
    ax.legend(fontsize=8, frameon=False)
    return fig


def conditioning_study(degrees, n=100, seed=0):
    """Accuracy of a stable solve and of the normal equations, by degree.

    For each polynomial degree, builds ``H`` on ``n`` points spread over
    [0, 1], picks coefficients ``theta_true`` from a seeded generator and
    sets ``Y = H @ theta_true`` exactly (no noise), so that the exact
    least-squares solution is known. Both solvers then try to recover it.

    Parameters
    ----------
    degrees : sequence of int
        Polynomial degrees (the basis has ``degree + 1`` functions).
    n : int
        Number of points.
    seed : int
        Seed of the generator for ``theta_true``.

    Returns
    -------
    dict of ndarray
        ``degree``; ``cond_H`` and ``cond_HtH`` (2-norm condition numbers);
        ``err_lstsq`` and ``err_normal``: relative errors
        ``||theta_hat - theta_true|| / ||theta_true||`` of
        :func:`lecture2.regression.least_squares` and
        :func:`lecture2.regression.normal_equations`.
    """
    rng = np.random.default_rng(seed)
    x = np.linspace(0.0, 1.0, n)
    out = {k: [] for k in ("cond_H", "cond_HtH", "err_lstsq", "err_normal")}
    for degree in degrees:
        H = regression.polynomial_features(x, degree)
        theta = rng.standard_normal((degree + 1, 1))
        y = H @ theta
        out["cond_H"].append(np.linalg.cond(H))
        out["cond_HtH"].append(np.linalg.cond(H.T @ H))
        for key, solve in (("err_lstsq", regression.least_squares),
                           ("err_normal", regression.normal_equations)):
            est = np.reshape(solve(H, y), theta.shape)
            out[key].append(np.linalg.norm(est - theta) / np.linalg.norm(theta))
    result = {k: np.array(v) for k, v in out.items()}
    result["degree"] = np.asarray(degrees)
    return result


def plot_conditioning(study):
    """Condition numbers and solver errors from :func:`conditioning_study`.

    Parameters
    ----------
    study : dict
        Output of :func:`conditioning_study`.

    Returns
    -------
    matplotlib.figure.Figure
        Left: ``cond(H)`` and ``cond(H^T H) = cond(H)^2`` against the degree.
        Right: relative error of the coefficients from a stable solve
        (QR/SVD) and from the normal equations, with the machine precision
        scaled by ``cond(H)`` and ``cond(H)^2`` as guides.
    """
    deg = study["degree"]
    eps = np.finfo(float).eps
    fig = Figure(figsize=(8.4, 3.3), layout="constrained")
    left, right = fig.subplots(1, 2)
    left.semilogy(deg, study["cond_H"], "o-", color=TRAIN_COLOR, ms=4,
                  label=r"$\kappa(H)$")
    left.semilogy(deg, study["cond_H"] ** 2, "-", color=FIT_COLOR,
                  label=r"$\kappa(H^T H) = \kappa(H)^2$")
    left.semilogy(deg, study["cond_HtH"], "s", color=FIT_COLOR, ms=4,
                  mfc="none", label=r"$\kappa(H^T H)$ computed")
    left.axhline(1 / eps, color="0.5", lw=1, ls=":",
                 label=r"$1/\epsilon_{\mathrm{mach}}$")
    left.set_title("condition numbers", fontsize=10)
    right.semilogy(deg, np.maximum(study["err_lstsq"], eps / 10), "o-",
                   color=TRAIN_COLOR, ms=4, label="stable solve (lstsq)")
    right.semilogy(deg, np.maximum(study["err_normal"], eps / 10), "s-",
                   color=FIT_COLOR, ms=4, label="normal equations")
    right.semilogy(deg, eps * study["cond_H"], color=TRAIN_COLOR, lw=1,
                   ls=":", label=r"$\epsilon_{\mathrm{mach}}\,\kappa(H)$")
    guide = eps * study["cond_H"] ** 2
    keep = guide < 1e3  # the guide means nothing once it passes 1
    right.semilogy(deg[keep], guide[keep], color=FIT_COLOR, lw=1, ls=":",
                   label=r"$\epsilon_{\mathrm{mach}}\,\kappa(H)^2$")
    right.set_title(r"relative error in $\hat\theta$", fontsize=10)
    for ax in (left, right):
        ax.set_xlabel("polynomial degree")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend(fontsize=7, frameon=False)
    return fig


# --------------------------------------------------------------------------
# chapter 6: networks as adaptive basis expansions
# --------------------------------------------------------------------------

def hidden_design_matrix(net, X):
    """Design matrix of a network's adaptive basis functions.

    The output of a single-output network is
    ``f(x; w) = w_0^L + sum_j w_j^L g_j^{L-1}(x)``: a linear parametric model
    whose basis functions are the last hidden layer's outputs. This returns
    ``H = [1, g_1^{L-1}(X), ..., g_{N_{L-1}}^{L-1}(X)]``, so that
    ``net.forward(X) == H @ theta`` with ``theta = [b^L, W^L]``.

    Parameters
    ----------
    net : lecture2.network.Network
    X : array_like, shape (n,) or (n, d)

    Returns
    -------
    ndarray, shape (n, N_{L-1} + 1)
    """
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    _, gs = net.forward_trace(X)
    g = gs[net.L - 1]
    return np.hstack([np.ones((len(g), 1)), g])


def output_weights(net):
    """``theta = [b^L, W^L]`` stacked as a column, matching
    :func:`hidden_design_matrix`."""
    W, b = net.weights[-1]
    return np.vstack([np.reshape(b, (1, -1)), W])


def train_network_family(x, y, activations=("relu", "tanh"),
                         depths=(1, 2, 3, 4), width=10, steps=2000, lr=0.02,
                         seed=0):
    """Train one network per (nonlinearity, number of hidden layers).

    Each network has ``depth`` hidden layers of ``width`` neurons, He
    initialisation for ReLU-like and Xavier for the others, drawn from
    ``numpy.random.default_rng(seed)``, and is trained full batch with Adam
    on the mean squared loss (lecture's eq. 3 scaled by ``1/(2n)``).

    Parameters
    ----------
    x, y : array_like, shape (n,) or (n, 1)
        Training sample.
    activations : sequence of str
        Nonlinearity names of :mod:`lecture2.activations`.
    depths : sequence of int
        Numbers of hidden layers (the network has ``L = depth + 1`` layers).
    width : int
        Neurons per hidden layer.
    steps : int
        Adam steps per network.
    lr : float
        Adam learning rate.
    seed : int
        Seed of the initial weights; every network gets its own draw from one
        generator, in the order of ``activations`` then ``depths``.

    Returns
    -------
    dict
        ``(activation, depth) -> Network`` with its trained weights; the
        training history is attached as ``net.history``.
    """
    from lecture2.init import initialize
    from lecture2.network import Network
    from lecture2.optim import Adam
    from lecture2.training import train

    X, Y = _as_column("x", x), _as_column("y", y)
    rng = np.random.default_rng(seed)
    family = {}
    for act in activations:
        for depth in depths:
            _check_size(depth)
            net = Network([1] + [width] * depth + [1], activation=act)
            scheme = "xavier" if net.activation.saturating else "he"
            initialize(net, scheme, rng)
            net.history = train(net, X, Y, Adam(), lr=lr, steps=steps)
            family[(act, depth)] = net
    return family


def _draw_network(ax, net, x, y):
    _draw_data(ax, x, y)
    _draw_truth(ax)
    ax.plot(_GRID, net.forward(_GRID[:, None]).ravel(), color=FIT_COLOR,
            lw=1.8, label="network")
    _finish_unit_axes(ax, ylim=(-2.5, 2.5))


def plot_network_fits(family, x, y, activation, depths=None, x_test=None,
                      y_test=None):
    """Fits of trained networks of one nonlinearity, one panel per depth.

    Parameters
    ----------
    family : dict
        Output of :func:`train_network_family`.
    x, y : array_like
        The training sample the family was trained on.
    activation : str
        Which nonlinearity to show.
    depths : sequence of int, optional
        Numbers of hidden layers to show (default: all in ``family``).
    x_test, y_test : array_like, optional
        When given, each panel's title carries the test error.

    Returns
    -------
    matplotlib.figure.Figure
    """
    if depths is None:
        depths = sorted(d for a, d in family if a == activation)
    fig, axes = _panel_grid(len(depths))
    for ax, depth in zip(axes.flat, depths):
        net = family[(activation, depth)]
        _draw_network(ax, net, x, y)
        ax.set_title(_network_title(net, depth, x, y, x_test, y_test),
                     fontsize=_TITLE_SIZE)
    fig.suptitle(f"{activation} networks, {family[(activation, depths[0])].sizes[1]}"
                 " neurons per hidden layer", fontsize=11)
    _finish_panel_grid(fig, axes, len(depths), legend_loc="outside lower center")
    return fig


def _network_title(net, depth, x, y, x_test=None, y_test=None):
    X, Y = _as_column("x", x), _as_column("y", y)
    title = (f"{depth} hidden layer{'s' if depth > 1 else ''}: "
             f"train {_mse(net.forward(X), Y):.3f}")
    if x_test is not None:
        pred = net.forward(_as_column("x_test", x_test))
        title += f", test {_mse(pred, _as_column('y_test', y_test)):.3f}"
    return title


def plot_network_fit(family, x, y, activation="relu", depth=1, x_test=None,
                     y_test=None):
    """One trained network of a family, with the data and the true f.

    Looks the network up in ``family`` (nothing is trained here), so an
    explorer over ``activation`` and ``depth`` redraws at once.

    Returns
    -------
    matplotlib.figure.Figure
    """
    key = (activation, depth)
    if key not in family:
        raise ValueError(
            f"(activation, depth) must be one of {sorted(family)}; got {key}"
        )
    net = family[key]
    fig = Figure(figsize=(5.6, 3.4), layout="constrained")
    ax = fig.add_subplot()
    _draw_network(ax, net, x, y)
    ax.set_title(f"{activation}, "
                 + _network_title(net, depth, x, y, x_test, y_test), fontsize=9)
    ax.legend(loc="lower left", fontsize=8, frameon=False)
    return fig


def plot_adaptive_basis(net, x, y, theta_refit, net_initial=None):
    """A network's adaptive basis functions and its least-squares refit.

    Parameters
    ----------
    net : lecture2.network.Network
        A trained single-output network.
    x, y : array_like
        Its training sample.
    theta_refit : array_like, shape (N_{L-1} + 1, 1)
        Output-layer weights refitted by least squares on
        :func:`hidden_design_matrix` (hidden weights frozen).
    net_initial : lecture2.network.Network, optional
        The same network before training; its basis functions are drawn
        dashed, in the same colours, to show how training moved them.

    Returns
    -------
    matplotlib.figure.Figure
        Left: the basis functions ``g_j^{L-1}(x)`` of the last hidden layer.
        Right: the data, the trained network and the refitted linear model.
    """
    H = hidden_design_matrix(net, _GRID)
    fig = Figure(figsize=(8.4, 3.3), layout="constrained")
    left, right = fig.subplots(1, 2)
    colors = _colors(H.shape[1] - 1)
    for j in range(1, H.shape[1]):
        left.plot(_GRID, H[:, j], color=colors[j - 1], lw=1.6,
                  label="after training" if j == 1 else None)
    if net_initial is not None:
        H0 = hidden_design_matrix(net_initial, _GRID)
        for j in range(1, H0.shape[1]):
            left.plot(_GRID, H0[:, j], color=colors[j - 1], lw=1, ls="--",
                      label="before training" if j == 1 else None)
        left.legend(loc="upper left", ncols=2, fontsize=7, frameon=False)
    _finish_unit_axes(left, ylim=(-1.1, 1.45))
    left.set_ylabel(r"$g_j^{L-1}(x)$")
    n_basis = H.shape[1] - 1
    left.set_title(f"{n_basis} adaptive basis function{'s' if n_basis > 1 else ''}"
                   f" ({net.activation.name})", fontsize=9)
    _draw_data(right, x, y)
    _draw_truth(right)
    right.plot(_GRID, net.forward(_GRID[:, None]).ravel(), color=FIT_COLOR,
               lw=4, alpha=0.5, label="trained network")
    right.plot(_GRID, (H @ np.asarray(theta_refit)).ravel(), color="black",
               lw=1, label="least-squares refit")
    _finish_unit_axes(right, ylim=(-2.5, 2.5))
    right.set_title("output layer refitted by least squares", fontsize=9)
    right.legend(loc="lower left", fontsize=7, frameon=False)
    return fig
