"""Figures for chapters 1-3: network diagrams, nonlinearities, approximation.

Every public ``*_figure`` function takes plain parameters and returns a new
:class:`matplotlib.figure.Figure` built without pyplot, so the same function
draws the book's static figure, an explorer's frames and the tests' checks.
The small helpers next to them (:func:`diagram_layout`,
:func:`random_network`, :func:`relu_kinks`, :func:`shallow_fit`,
:func:`approximation_errors`) hold the numbers the figures show, so a test or
a reader can check those numbers without reading them back off a plot.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from lecture2._validate import check_choice, check_int, check_positive, check_sizes
from lecture2.activations import ACTIVATIONS, get_activation
from lecture2.network import Network, count_parameters
from lecture2.plots.common import COLORS

__all__ = [
    "ShallowFit",
    "approximation_error_figure",
    "approximation_errors",
    "diagram_layout",
    "input_slope",
    "network_diagram",
    "network_explorer",
    "nonlinearities_figure",
    "nonlinearity_figure",
    "piecewise_linear_figure",
    "random_network",
    "relu_kinks",
    "shallow_approximation_figure",
    "shallow_fit",
]

SATURATING = ("step", "logistic", "tanh")
NONSATURATING = ("relu", "elu", "swish")
DISPLAY_NAMES = {
    "step": "step",
    "logistic": "logistic",
    "tanh": "tanh",
    "relu": "ReLU",
    "elu": "ELU",
    "swish": "swish",
}
TARGET_KINDS = {  # how smooth each target of lecture2.data.TARGETS is
    "sinusoid": "smooth",
    "bump": "smooth",
    "abs": "kink",
    "step": "jump",
    "sawtooth": "jumps",
}
LAYER_SPACING = 2.0  # horizontal distance between columns of a diagram
VALUE_COLOR = COLORS[0]
DERIVATIVE_COLOR = COLORS[1]
BIAS_COLOR = COLORS[4]


def _check_sizes(sizes):
    """``sizes`` as a list of positive ints (ValueError/TypeError naming it)."""
    return list(check_sizes(sizes))


def _parameter_sum(sizes):
    """The text ``(N_0+1)·N_1 + ... = p`` for a figure title."""
    terms = [f"({a}+1)·{b}" for a, b in itertools.pairwise(sizes)]
    return " + ".join(terms) + f" = {count_parameters(sizes)}"


# --------------------------------------------------------------------------
# Chapter 1: network diagrams
# --------------------------------------------------------------------------

def _drawn_rows(n, max_drawn):
    """Indices of the neurons drawn in a layer of ``n``, and where a gap goes.

    Layers wider than ``max_drawn`` show their first and last few neurons
    with a vertical ellipsis between them.
    """
    if n <= max_drawn:
        return list(range(n)), None
    head = (max_drawn + 1) // 2
    tail = max_drawn - head
    return list(range(head)) + list(range(n - tail, n)), head


def diagram_layout(sizes, show_bias=False, max_drawn=8):
    """Positions of the neurons a network diagram draws.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[N_0, ..., N_L]`` (eq. 1: ``N_0 = d``, ``N_L = m``).
    show_bias : bool, default False
        Add a bias node (the constant ``g_0 = 1`` that multiplies the bias
        weight ``w_0k``) on top of every layer except the output layer.
    max_drawn : int, default 8
        Largest number of neurons drawn in one column; wider layers show
        their first and last neurons and an ellipsis.

    Returns
    -------
    dict
        ``"neurons"``: list over layers of ``(n_drawn, 2)`` arrays of (x, y)
        centres; ``"index"``: list over layers of the neuron numbers
        ``k = 1..N_l`` drawn; ``"gaps"``: list over layers of the y of the
        ellipsis or None; ``"bias"``: list over layers ``0..L-1`` of the
        (x, y) of the bias node (None without ``show_bias``).
    """
    sizes = _check_sizes(sizes)
    max_drawn = check_int("max_drawn", max_drawn, minimum=2)
    neurons, index, gaps, bias = [], [], [], []
    tallest = max(len(_drawn_rows(n, int(max_drawn))[0])
                  + (n > int(max_drawn)) for n in sizes)
    for layer, n in enumerate(sizes):
        rows, gap_at = _drawn_rows(n, int(max_drawn))
        slots = len(rows) + (gap_at is not None)
        top = (slots - 1) / 2
        ys, slot = [], 0
        for i, _ in enumerate(rows):
            if gap_at is not None and i == gap_at:
                slot += 1  # leave one slot for the ellipsis
            ys.append(top - slot)
            slot += 1
        x = LAYER_SPACING * layer
        neurons.append(np.column_stack([np.full(len(rows), x), ys]))
        index.append([r + 1 for r in rows])
        gaps.append(top - gap_at if gap_at is not None else None)
        if show_bias and layer < len(sizes) - 1:
            # all bias nodes on one row above the tallest column
            bias.append((x, (tallest - 1) / 2 + 1.2))
        else:
            bias.append(None)
    return {"neurons": neurons, "index": index, "gaps": gaps, "bias": bias}


def _layer_label(layer, n_layers):
    if layer == 0:
        return "input\n$\\ell = 0$"
    if layer == n_layers - 1:
        return f"output\n$\\ell = L = {layer}$"
    return f"hidden\n$\\ell = {layer}$"


def network_diagram(sizes, show_bias=False, max_drawn=8, title=None):
    """Draw a fully connected network: neurons, connections, bias nodes.

    Column ``l`` holds the ``N_l`` neurons of layer ``l``; every neuron is
    joined to every neuron of the next layer, one line per weight
    ``w_jk^l`` of eq. (1). With ``show_bias`` a square node "1" above each
    non-output layer stands for the bias weights ``w_0k^l``.

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[N_0, ..., N_L]``.
    show_bias : bool, default False
        Draw the bias nodes and their connections (dashed).
    max_drawn : int, default 8
        Largest number of neurons drawn per column (see
        :func:`diagram_layout`).
    title : str, optional
        Figure title; by default the parameter count
        ``p = sum_l (N_{l-1} + 1) N_l``.

    Returns
    -------
    matplotlib.figure.Figure
        One axes. The connection lines are a single
        ``LineCollection`` per kind (weights, bias weights).
    """
    from matplotlib.collections import LineCollection

    sizes = _check_sizes(sizes)
    layout = diagram_layout(sizes, show_bias=show_bias, max_drawn=max_drawn)
    n_layers = len(sizes)
    radius = 0.22
    bottom = min(pts[:, 1].min() for pts in layout["neurons"])
    top = max([pts[:, 1].max() for pts in layout["neurons"]]
              + [b[1] for b in layout["bias"] if b is not None])
    xlim = (-1.0, LAYER_SPACING * (n_layers - 1) + 1.0)
    ylim = (bottom - (2.9 if show_bias else 2.1), top + 0.5)

    # figure size follows the drawing's extent (equal aspect, no slack)
    unit = min(0.5, 9.0 / (xlim[1] - xlim[0]))
    fig = Figure(figsize=(max(5.0, unit * (xlim[1] - xlim[0])),
                          unit * (ylim[1] - ylim[0]) + 0.7),
                 layout="constrained")
    ax = fig.add_subplot()

    # connections: every drawn neuron of layer l-1 to every one of layer l
    segments, bias_segments = [], []
    for layer in range(1, n_layers):
        for x0, y0 in layout["neurons"][layer - 1]:
            for x1, y1 in layout["neurons"][layer]:
                segments.append([(x0 + radius, y0), (x1 - radius, y1)])
        if layout["bias"][layer - 1] is not None:
            xb, yb = layout["bias"][layer - 1]
            for x1, y1 in layout["neurons"][layer]:
                bias_segments.append([(xb + radius, yb), (x1 - radius, y1)])
    ax.add_collection(LineCollection(segments, colors="0.55", linewidths=0.7,
                                     zorder=1, label="weight $w_{jk}^\\ell$"))
    if bias_segments:
        ax.add_collection(LineCollection(
            bias_segments, colors=BIAS_COLOR, linewidths=0.8, linestyles="--",
            zorder=1, label="bias weight $w_{0k}^\\ell$"))

    # neurons, with their index k inside when there is room
    colors = ["#cfe3f5"] + ["#fbe0bd"] * (n_layers - 2) + ["#d4edcf"]
    for layer, pts in enumerate(layout["neurons"]):
        for (x, y), k in zip(pts, layout["index"][layer]):
            ax.add_patch(Circle((x, y), radius, facecolor=colors[layer],
                                edgecolor="0.2", linewidth=1.0, zorder=2))
            ax.text(x, y, str(k), ha="center", va="center", fontsize=8,
                    zorder=3)
        gap = layout["gaps"][layer]
        if gap is not None:
            ax.text(pts[0, 0], gap, "⋮", ha="center", va="center",
                    fontsize=14, zorder=3)
        if layout["bias"][layer] is not None:
            xb, yb = layout["bias"][layer]
            ax.add_patch(Rectangle((xb - radius, yb - radius), 2 * radius,
                                   2 * radius, facecolor="#fff4d6",
                                   edgecolor=BIAS_COLOR, linewidth=1.0, zorder=2))
            ax.text(xb, yb, "1", ha="center", va="center", fontsize=8,
                    zorder=3)

    # layer names and widths under each column
    for layer, n in enumerate(sizes):
        ax.text(LAYER_SPACING * layer, bottom - 0.55,
                _layer_label(layer, n_layers) + f"\n$N_{{{layer}}} = {n}$",
                ha="center", va="top", fontsize=9)

    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    if bias_segments:
        ax.legend(loc="lower center", ncol=2, fontsize=8, frameon=False)
    if title is None:
        title = f"sizes {sizes}\np = {_parameter_sum(sizes)}"
    ax.set_title(title, fontsize=10)
    return fig


def network_explorer(hidden_layers=2, width=4, inputs=2, outputs=1,
                     show_bias=True):
    """Diagram and parameter count of a network with equal hidden widths.

    ``sizes = [inputs] + [width] * hidden_layers + [outputs]``, so the
    network has ``L = hidden_layers + 1`` weight layers. A thin wrapper of
    :func:`network_diagram` whose keyword defaults are the explorer's
    starting values.
    """
    sizes = ([check_int("inputs", inputs, 1)]
             + [check_int("width", width, 1)]
             * check_int("hidden_layers", hidden_layers, 0)
             + [check_int("outputs", outputs, 1)])
    return network_diagram(sizes, show_bias=show_bias)


# --------------------------------------------------------------------------
# Chapter 2: nonlinearities
# --------------------------------------------------------------------------

def _split_grid(x_max, n=401):
    """A grid on [-x_max, x_max] without 0, split into the two sides."""
    left = np.linspace(-x_max, 0.0, n)[:-1]
    right = np.linspace(0.0, x_max, n)[1:]
    return left, right


def _plot_split(ax, fun, x_max, **style):
    """Plot ``fun`` on both sides of 0 as one line broken at 0 (a NaN).

    Breaking the line at 0 keeps a jump (the step's value, ReLU's slope)
    from being drawn as a vertical segment.
    """
    left, right = _split_grid(x_max)
    x = np.concatenate([left, [np.nan], right])
    y = np.concatenate([fun(left), [np.nan], fun(right)])
    return ax.plot(x, y, **style)[0]


def _draw_nonlinearity(ax, name, alpha, x_max, legend=True):
    act = get_activation(name, alpha=alpha) if name == "elu" else get_activation(name)
    _plot_split(ax, act, x_max, color=VALUE_COLOR, lw=2,
                label="$\\sigma(x)$")
    _plot_split(ax, act.derivative, x_max, color=DERIVATIVE_COLOR, lw=1.6,
                ls="--", label="$\\sigma'(x)$")
    # the value at 0 where the function or its slope jumps
    if name == "step":
        ax.plot([0], [0], "o", color=VALUE_COLOR, ms=5)
        ax.plot([0], [1], "o", mfc="white", mec=VALUE_COLOR, ms=5)
        ax.annotate("$\\sigma'$ undefined at 0", xy=(0, 0),
                    xytext=(0.25 * x_max, -0.55), fontsize=8,
                    color=DERIVATIVE_COLOR,
                    arrowprops={"arrowstyle": "->", "color": DERIVATIVE_COLOR,
                                "lw": 0.8})
    ax.axhline(0, color="0.8", lw=0.8, zorder=0)
    ax.axvline(0, color="0.8", lw=0.8, zorder=0)
    label = DISPLAY_NAMES[name]
    if name == "elu":
        label += f" ($\\alpha = {alpha:g}$)"
    kind = "saturating" if name in SATURATING else "nonsaturating"
    ax.set_title(f"{label}: {kind}", fontsize=10)
    ax.set_xlim(-x_max, x_max)
    ax.set_xlabel("$x$")
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(fontsize=8, loc="upper left")


def nonlinearities_figure(alpha=1.0, x_max=4.0):
    """The six nonlinearities of the lecture and their derivatives.

    Top row the saturating ones (step, logistic, tanh), bottom row the
    nonsaturating ones (ReLU, ELU with ``alpha``, swish); each panel draws
    ``sigma(x)`` (solid) and ``sigma'(x)`` (dashed) from
    :mod:`lecture2.activations`.

    Parameters
    ----------
    alpha : float, default 1.0
        ELU's ``alpha > 0``.
    x_max : float, default 4.0
        Half width of the x range.

    Returns
    -------
    matplotlib.figure.Figure
        Six axes in the order of ``lecture2.activations.ACTIVATIONS``.
    """
    fig = Figure(figsize=(10, 6), layout="constrained")
    axes = fig.subplots(2, 3)
    for ax, name in zip(axes.ravel(), SATURATING + NONSATURATING):
        _draw_nonlinearity(ax, name, alpha, x_max, legend=(name == "step"))
    for ax in axes[0]:
        ax.set_ylim(-1.25, 1.35)
    for ax in axes[1]:
        ax.set_ylim(-1.6, x_max + 0.2)
    return fig


def nonlinearity_figure(name="elu", alpha=1.0, x_max=4.0):
    """One nonlinearity and its derivative, for the chapter 2 explorer.

    Parameters
    ----------
    name : str, default "elu"
        One of ``lecture2.activations.ACTIVATIONS``.
    alpha : float, default 1.0
        ELU's ``alpha > 0`` (ignored by the other nonlinearities).
    x_max : float, default 4.0
        Half width of the x range.
    """
    check_choice("name", name, ACTIVATIONS)
    fig = Figure(figsize=(6, 4), layout="constrained")
    ax = fig.add_subplot()
    _draw_nonlinearity(ax, name, alpha, x_max)
    ax.set_ylim(-max(1.6, 1.1 * alpha + 0.2), x_max + 0.2)
    return fig


# --------------------------------------------------------------------------
# Chapter 2: a ReLU network is piecewise linear
# --------------------------------------------------------------------------

def random_network(sizes, activation="relu", seed=0, scale=1.0):
    """A network with every weight, biases included, drawn from N(0, s^2).

    Layer ``l``'s weights and biases get standard deviation
    ``s = scale / sqrt(N_{l-1})``, so the activations keep the size of the
    input. Biases are not zero (unlike :func:`lecture2.init.initialize`) so
    that the kinks of a ReLU network spread out instead of all sitting at 0.

    Parameters
    ----------
    sizes : sequence of int
        ``[N_0, ..., N_L]``.
    activation : str, default "relu"
        Name of the hidden nonlinearity.
    seed : int, default 0
        Seed of the ``numpy.random.Generator`` that draws the weights; the
        same seed gives the same weights whatever the activation.
    scale : float, default 1.0
        Overall factor of the standard deviations.
    """
    net = Network(_check_sizes(sizes), activation=activation)
    rng = np.random.default_rng(seed)
    for W, b in net.weights:
        std = scale / np.sqrt(W.shape[0])
        W[...] = rng.normal(0.0, std, size=W.shape)
        b[...] = rng.normal(0.0, std, size=b.shape)
    return net


def relu_kinks(net, x):
    """Inputs where some hidden unit of a 1-input network switches on or off.

    Between two such points every ReLU unit is either off (0) or on (the
    identity), so the network is linear there; its output has a kink at a
    subset of these points. Each hidden activation ``f_k^l`` is piecewise
    linear in ``x``, so a sign change between two neighbouring grid points
    is located by linear interpolation (exact when no other kink lies
    between them).

    Parameters
    ----------
    net : lecture2.network.Network
        A network with ``sizes[0] == 1``.
    x : array of shape (n,)
        Increasing grid of inputs.

    Returns
    -------
    array of shape (n_kinks,)
        Sorted kink positions inside ``(x[0], x[-1])``.
    """
    x = np.asarray(x, dtype=float)
    if net.sizes[0] != 1:
        raise ValueError(f"net must have one input; got sizes {net.sizes}")
    if x.ndim != 1 or x.size < 2 or np.any(np.diff(x) <= 0):
        raise ValueError("x must be a 1-D increasing grid of at least 2 points; "
                         f"got shape {x.shape}")
    fs, _ = net.forward_trace(x[:, None])
    kinks = []
    for f in fs[1:net.L]:  # hidden layers 1..L-1
        a, b = f[:-1], f[1:]
        cross = (a > 0) != (b > 0)
        i, k = np.nonzero(cross)
        t = a[i, k] / (a[i, k] - b[i, k])
        kinks.append(x[i] + t * (x[i + 1] - x[i]))
    return np.unique(np.concatenate(kinks)) if kinks else np.empty(0)


def input_slope(net, x):
    """Exact slope ``df/dx`` of a 1-input, 1-output network on a grid.

    Forward-mode chain rule through eq. (1): ``dg^0/dx = 1``, then
    ``df^l/dx = dg^{l-1}/dx @ W^l`` and ``dg^l/dx = sigma'(f^l) * df^l/dx``
    for the hidden layers. Unlike a finite difference it does not smear a
    ReLU kink over the neighbouring grid points.

    Parameters
    ----------
    net : lecture2.network.Network
        A network with ``sizes[0] == sizes[-1] == 1``.
    x : array of shape (n,)
        Inputs.

    Returns
    -------
    array of shape (n,)
    """
    x = np.asarray(x, dtype=float).reshape(-1)
    if net.sizes[0] != 1 or net.sizes[-1] != 1:
        raise ValueError(f"net must have one input and one output; got sizes {net.sizes}")
    fs, _ = net.forward_trace(x[:, None])
    dg = np.ones((x.size, 1))
    for layer, (W, _) in enumerate(net.weights, start=1):
        df = dg @ W
        dg = net.activation.derivative(fs[layer]) * df if layer < net.L else df
    return dg[:, 0]


def piecewise_linear_figure(sizes=(1, 8, 8, 1), seed=5, x_max=3.0, n=2001):
    """A small random ReLU network against tanh with the same weights.

    Top row: the outputs ``f(x; w)`` of the ReLU network (kinks marked) and
    of the tanh network with identical weights. Bottom row: their slopes
    ``df/dx`` (:func:`input_slope`): a staircase for ReLU (piecewise linear
    output), a smooth curve for tanh.

    Parameters
    ----------
    sizes : sequence of int, default (1, 8, 8, 1)
        Widths; must start and end with 1.
    seed : int, default 5
        Seed of the weights (see :func:`random_network`).
    x_max : float, default 3.0
        The input range is ``[-x_max, x_max]``.
    n : int, default 2001
        Number of grid points.

    Returns
    -------
    matplotlib.figure.Figure
        Four axes: ReLU output, tanh output, ReLU slope, tanh slope.
    """
    sizes = _check_sizes(sizes)
    if sizes[0] != 1 or sizes[-1] != 1:
        raise ValueError(f"sizes must start and end with 1; got {sizes}")
    x = np.linspace(-x_max, x_max, int(n))
    relu_net = random_network(sizes, "relu", seed)
    tanh_net = random_network(sizes, "tanh", seed)
    kinks = relu_kinks(relu_net, x)

    fig = Figure(figsize=(10, 5.6), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True)
    for col, (net, label) in enumerate(((relu_net, "ReLU"),
                                        (tanh_net, "tanh"))):
        out = net.forward(x[:, None])[:, 0]
        slope = input_slope(net, x)
        axes[0, col].plot(x, out, color=VALUE_COLOR, lw=1.8,
                          label=f"{label} network")
        axes[1, col].plot(x, slope, color=DERIVATIVE_COLOR, lw=1.4)
        axes[0, col].set_title(f"{label} network, sizes {sizes}", fontsize=10)
        axes[0, col].set_ylabel("$f(x; w)$")
        axes[1, col].set_ylabel("slope $df/dx$")
        axes[1, col].set_xlabel("$x$")
        for ax in axes[:, col]:
            ax.grid(alpha=0.3)
    y_kink = relu_net.forward(kinks[:, None])[:, 0]
    axes[0, 0].plot(kinks, y_kink, "o", ms=4, color="k",
                    label=f"a hidden unit switches ({kinks.size})")
    for k in kinks:
        axes[1, 0].axvline(k, color="0.75", lw=0.6, zorder=0)
    axes[0, 0].legend(fontsize=8)
    axes[0, 1].legend(fontsize=8)
    axes[0, 0].set_xlim(-x_max, x_max)
    return fig


# --------------------------------------------------------------------------
# Chapter 3: universal approximation with a shallow network
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class ShallowFit:
    """A shallow network ``c0 + sum_i c_i sigma(a_i x + b_i)`` fitted on [0, 1].

    Attributes
    ----------
    target : str
        Name of the target in :data:`lecture2.data.TARGETS`.
    activation : str
        Hidden nonlinearity.
    a, b : arrays of shape (k,)
        Hidden weights and biases (fixed, not fitted).
    c0 : float
        Output bias.
    c : array of shape (k,)
        Output weights, fitted by least squares.
    x, y, pred : arrays of shape (n_eval,)
        Evaluation grid, target values and network values on it.
    max_error : float
        ``max |f(x) - f(x; w)|`` over the evaluation grid.
    """

    target: str
    activation: str
    a: np.ndarray
    b: np.ndarray
    c0: float
    c: np.ndarray
    x: np.ndarray
    y: np.ndarray
    pred: np.ndarray
    max_error: float

    @property
    def k(self):
        return self.a.size


def _target(name):
    from lecture2.data import TARGETS

    return TARGETS[check_choice("target", name, tuple(TARGETS))]


def _hidden_weights(k, hidden, steepness, seed):
    """Hidden weights a_i, b_i: unit i switches on near its centre t_i.

    The centres spread over [-1/k, 1 + 1/k], a little wider than [0, 1], so
    the units next to the ends of the interval are complete there too.
    """
    if hidden == "grid":
        centres = np.linspace(-1 / k, 1 + 1 / k, k) if k > 1 else np.array([0.5])
        slopes = np.full(k, steepness * k)
    else:
        rng = np.random.default_rng(seed)
        centres = rng.uniform(-1 / k, 1 + 1 / k, size=k)
        slopes = steepness * k * rng.uniform(0.5, 1.5, size=k)
    return slopes, -slopes * centres


@lru_cache(maxsize=512)
def _cached_fit(target, k, activation, hidden, steepness, seed, n_train,
                n_eval):
    from lecture2.regression import least_squares

    fun = _target(target)
    sigma = get_activation(activation)
    a, b = _hidden_weights(k, hidden, steepness, seed)

    # design matrix: a constant column, then one column per hidden unit
    x_train = np.linspace(0.0, 1.0, n_train)
    H = np.column_stack([np.ones(n_train), sigma(np.outer(x_train, a) + b)])
    theta = least_squares(H, fun(x_train))

    x = np.linspace(0.0, 1.0, n_eval)
    pred = theta[0] + sigma(np.outer(x, a) + b) @ theta[1:]
    y = fun(x)
    return ShallowFit(target, activation, a, b, float(theta[0]), theta[1:],
                      x, y, pred, float(np.max(np.abs(pred - y))))


def shallow_fit(target="sinusoid", k=8, activation="logistic", hidden="grid",
                steepness=1.0, seed=0, n_train=None, n_eval=2001):
    """Fit the output weights of a shallow network to a target on [0, 1].

    The network is the Cybenko sum plus an output bias,
    ``f(x; w) = c0 + sum_{i=1}^k c_i sigma(a_i x + b_i)``. The hidden
    weights are fixed: unit ``i`` switches on around a centre ``t_i`` with
    slope ``a_i`` (``b_i = -a_i t_i``); with ``hidden="grid"`` the centres
    are equally spaced on ``[-1/k, 1 + 1/k]`` and ``a_i = steepness * k``,
    with ``"random"`` centres and slopes (``steepness * k`` times a factor
    in [0.5, 1.5]) are drawn from a Generator seeded with ``seed``. With the hidden weights
    fixed the network is linear in ``c0, c`` and the least-squares fit is
    one call of :func:`lecture2.regression.least_squares`. Results are
    cached, so repeated calls (an explorer) cost nothing.

    Parameters
    ----------
    target : str, default "sinusoid"
        A key of :data:`lecture2.data.TARGETS`.
    k : int, default 8
        Number of hidden units.
    activation : str, default "logistic"
        Hidden nonlinearity.
    hidden : {"grid", "random"}, default "grid"
        How the hidden weights are chosen.
    steepness : float, default 1.0
        Slope of a unit divided by ``k``: the transition of a unit spans
        about ``1 / steepness`` gaps between neighbouring centres.
    seed : int, default 0
        Seed for ``hidden="random"``.
    n_train : int, optional
        Number of equally spaced fitting points; default ``max(400, 8 k)``.
    n_eval : int, default 2001
        Number of equally spaced points where the error is measured.

    Returns
    -------
    ShallowFit
    """
    k = check_int("k", k, 1)
    steepness = check_positive("steepness", steepness)
    check_choice("activation", activation, ACTIVATIONS)
    check_choice("hidden", hidden, ("grid", "random"))
    _target(target)
    n_train = max(400, 8 * k) if n_train is None else check_int("n_train", n_train, 2)
    return _cached_fit(target, k, activation, hidden, steepness,
                       check_int("seed", seed, 0), n_train,
                       check_int("n_eval", n_eval, 2))


def approximation_errors(targets=("sinusoid", "bump", "abs", "step"),
                         ks=(1, 2, 4, 8, 16, 32, 64, 128),
                         activation="logistic", **kw):
    """Max errors of :func:`shallow_fit` for each target and each ``k``.

    Returns
    -------
    dict
        ``target -> array of shape (len(ks),)`` of ``max_error``.
    """
    return {t: np.array([shallow_fit(t, k, activation, **kw).max_error
                         for k in ks]) for t in targets}


def shallow_approximation_figure(k=4, target="bump", activation="logistic",
                                 show_units=True):
    """A shallow network with ``k`` hidden units against its target.

    Top: the target ``f(x)`` and the fitted network ``f(x; w)``
    (:func:`shallow_fit`). Middle (with ``show_units``): the ``k`` weighted
    units ``c_i sigma(a_i x + b_i)`` whose sum, plus ``c0``, is the network.
    Bottom: the error ``f(x; w) - f(x)`` with its largest absolute value
    marked.

    Parameters
    ----------
    k : int, default 4
        Number of hidden units.
    target : str, default "bump"
        A key of :data:`lecture2.data.TARGETS`.
    activation : str, default "logistic"
        Hidden nonlinearity.
    show_units : bool, default True
        Add the panel of weighted units.

    Returns
    -------
    matplotlib.figure.Figure
        Three axes (fit, units, error), or two without ``show_units``.
    """
    fit = shallow_fit(target, k, activation)
    ratios = [2.0, 1.2, 1.0] if show_units else [2.0, 1.0]
    fig = Figure(figsize=(8, 1.45 * sum(ratios) + 0.7), layout="constrained")
    axes = fig.subplots(len(ratios), 1, sharex=True,
                        gridspec_kw={"height_ratios": ratios})
    top, bottom = axes[0], axes[-1]

    top.plot(fit.x, fit.y, color="k", lw=2.4, label="target $f(x)$")
    top.plot(fit.x, fit.pred, color=VALUE_COLOR, lw=1.6, ls="--",
             label=f"network $f(x; w)$, $k = {fit.k}$")
    top.set_ylabel("value")
    top.set_title(f"{target}: {fit.k} {DISPLAY_NAMES[activation]} units, "
                  "output weights by least squares", fontsize=10)
    top.legend(fontsize=8, loc="best")

    if show_units:
        sigma = get_activation(activation)
        units = sigma(np.outer(fit.x, fit.a) + fit.b) * fit.c
        axes[1].plot(fit.x, units, color=COLORS[2], lw=0.8, alpha=0.8)
        axes[1].set_ylabel("units\n$c_i\\sigma(a_i x + b_i)$")

    err = fit.pred - fit.y
    worst = int(np.argmax(np.abs(err)))
    bottom.plot(fit.x, err, color=DERIVATIVE_COLOR, lw=1.2)
    bottom.plot(fit.x[worst], err[worst], "o", color="k", ms=5,
                label=f"max error {fit.max_error:.2g}")
    bottom.axhline(0, color="0.6", lw=0.8)
    bottom.set_xlabel("$x$")
    bottom.set_ylabel("error\n$f(x; w) - f(x)$")
    bottom.legend(fontsize=8, loc="best")
    bottom.set_xlim(0, 1)
    for ax in axes:
        ax.grid(alpha=0.3)
    return fig


def approximation_error_figure(targets=("sinusoid", "bump", "abs", "step"),
                               ks=(1, 2, 4, 8, 16, 32, 64, 128),
                               activation="logistic"):
    """Max error of the least-squares shallow network against ``k``.

    One line per target, both axes logarithmic. Continuous targets fall
    towards 0, as the universal approximation theorem promises; a
    discontinuous target (``"step"``) stays near half its jump, because
    no continuous network can be uniformly close to a jump.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one line per target (data: ``ks`` and
        :func:`approximation_errors`).
    """
    errors = approximation_errors(targets, ks, activation)
    fig = Figure(figsize=(6.4, 4.4), layout="constrained")
    ax = fig.add_subplot()
    for i, (name, err) in enumerate(errors.items()):
        label = f"{name} ({TARGET_KINDS[name]})" if name in TARGET_KINDS else name
        ax.loglog(ks, err, "o-", color=COLORS[i % len(COLORS)], lw=1.5, ms=4,
                  label=label)
    ax.set_xticks(ks, labels=[str(k) for k in ks])
    ax.minorticks_off()
    ax.set_xlabel("hidden units $k$")
    ax.set_ylabel("$\\max_x |f(x; w) - f(x)|$")
    ax.set_title(f"Shallow {DISPLAY_NAMES[activation]} network on [0, 1]: "
                 "max error against k", fontsize=10)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=8)
    return fig
