"""Figures for chapters 7-9: gradient descent, backpropagation, initialization.

Every ``*_figure`` function takes parameters and returns a
:class:`matplotlib.figure.Figure` built directly (not through pyplot), so
nothing is shown twice and nothing is left open. The helpers without
``_figure`` in their name compute the numbers a figure or a table needs; they
use the numerical core (``lecture2.network``, ``lecture2.init``,
``lecture2.training``) and return plain arrays or strings.

Symbols follow the lecture: ``f`` are a layer's activations, ``g`` its
outputs, ``fbar`` the adjoints dL_i/df of eq. (7), ``lr`` the learning rate
eta of eq. (4).
"""

from __future__ import annotations

import warnings

import numpy as np
from matplotlib.figure import Figure

from .common import COLORS, new_figure

__all__ = [
    "adjoint_sizes_figure",
    "backprop_diagram_figure",
    "descent_paths_figure",
    "format_layers",
    "gradient_check_figure",
    "grid_losses",
    "init_comparison_figure",
    "init_explorer_figure",
    "layer_statistics",
    "learning_rate_figure",
    "loss_along_weight",
    "loss_curves_figure",
    "run_gradient_descent",
    "steepest_descent_figure",
    "step_loss_figure",
    "stopping_rules_figure",
]

# One colour (colour-blind safe, from plots.common) and one marker per
# initialization scheme and per nonlinearity, used everywhere.
SCHEME_COLORS = {"gaussian": COLORS[1], "xavier": COLORS[0], "he": COLORS[2]}
SCHEME_MARKERS = {"gaussian": "o", "xavier": "s", "he": "^"}
ACTIVATION_COLORS = {
    "step": "0.5",
    "logistic": COLORS[4],
    "tanh": COLORS[0],
    "relu": COLORS[2],
    "elu": COLORS[3],
    "swish": COLORS[1],
}


def _check_choice(name, value, choices):
    if value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}; got {value!r}")


def _log_span(ax, values, decades=2.0):
    """Widen a log y-axis to at least ``decades`` around ``values``."""
    values = np.asarray(values, float)
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return
    low, high = np.log10(values.min()), np.log10(values.max())
    pad = max(0.0, decades - (high - low)) / 2 + 0.1
    ax.set_ylim(10 ** (low - pad), 10 ** (high + pad))


def _integer_ticks(ax):
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")


# ---------------------------------------------------------------------------
# Chapter 7: the loss surface, steepest descent, the learning rate
# ---------------------------------------------------------------------------


def grid_losses(fun, xlim, ylim, num=81):
    """Loss values of a 2-D problem on a regular grid, for contour plots.

    Parameters
    ----------
    fun : callable
        ``fun(w) -> (loss, grad)`` for ``w`` of shape ``(2,)``; if it has a
        ``value`` method taking a ``(2, ...)`` stack (as the problems of
        :mod:`lecture2.testfunctions` do), the grid is evaluated in one call.
    xlim, ylim : tuple of float
        Ranges of the first and second weight.
    num : int, default 81
        Grid points per axis.

    Returns
    -------
    W1, W2, Z : ndarray, shape (num, num)
        ``Z[i, j] = L((W1[i, j], W2[i, j]))``.
    """
    w1 = np.linspace(*xlim, num)
    w2 = np.linspace(*ylim, num)
    W1, W2 = np.meshgrid(w1, w2)
    if hasattr(fun, "value"):  # lecture2.testfunctions: a whole grid at once
        return W1, W2, np.asarray(fun.value(np.stack([W1, W2])), dtype=float)
    Z = np.empty_like(W1)
    for idx in np.ndindex(W1.shape):  # a 2-D plot: a few thousand calls at most
        Z[idx] = fun(np.array([W1[idx], W2[idx]]))[0]
    return W1, W2, Z


def _contours(ax, fun, xlim, ylim, minimizer=None):
    W1, W2, Z = grid_losses(fun, xlim, ylim)
    levels = np.quantile(Z, np.linspace(0.0, 0.95, 14) ** 2)
    ax.contour(W1, W2, Z, levels=np.unique(levels), colors="0.6", linewidths=0.8)
    if minimizer is not None:
        ax.plot(*minimizer, marker="*", color="k", markersize=11, linestyle="none")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")


def steepest_descent_figure(fun, w, xlim=(-2.0, 2.0), ylim=(-1.5, 1.5),
                            n_directions=24, radius=0.45, eps=1e-6):
    """Why -grad L is the direction of steepest descent (Cauchy-Schwarz).

    Left: contours of a 2-D loss, the point ``w`` and a ring of unit
    directions ``v`` coloured by the directional derivative ``grad L(w) . v``;
    the arrow is ``-grad L / ||grad L||``. Right: the directional derivative
    against the angle between ``v`` and ``-grad L``, with the Cauchy-Schwarz
    bounds ``+-||grad L||`` and finite-difference slopes
    ``(L(w + eps v) - L(w)) / eps`` as dots.

    Parameters
    ----------
    fun : callable
        ``fun(w) -> (loss, grad)`` for ``w`` of shape ``(2,)``.
    w : array_like, shape (2,)
        The current weights ``w^k``.
    xlim, ylim : tuple of float
        View of the left panel.
    n_directions : int, default 24
        Number of unit directions drawn.
    radius : float, default 0.45
        Length of the drawn directions (in weight units).
    eps : float, default 1e-6
        Step of the finite-difference slopes.
    """
    _check_positive_int("n_directions", n_directions)
    w = np.asarray(w, dtype=float)
    loss, grad = fun(w)
    gnorm = float(np.linalg.norm(grad))
    if gnorm == 0.0:
        raise ValueError("w must be a point where the gradient is not zero; got "
                         f"grad L(w) = {grad}")
    descent = -grad / gnorm
    base = np.arctan2(descent[1], descent[0])

    # Directions at angles theta from -grad: slope = grad . v = -||grad|| cos(theta)
    theta = np.linspace(-np.pi, np.pi, n_directions, endpoint=False)
    V = np.stack([np.cos(base + theta), np.sin(base + theta)], axis=1)
    slopes = V @ grad
    fd = np.array([(fun(w + eps * v)[0] - loss) / eps for v in V])

    fig, (ax, ax2) = new_figure(1, 2, width=9.0, height=3.8)
    _contours(ax, fun, xlim, ylim)
    from matplotlib import colormaps
    from matplotlib.colors import Normalize

    cmap = colormaps["coolwarm"]
    norm = Normalize(-gnorm, gnorm)
    for v, s in zip(V, slopes):
        ax.plot(*np.stack([w, w + radius * v]).T, color=cmap(norm(s)), lw=1.6)
    ax.annotate("", xy=w + 1.6 * radius * descent, xytext=w,
                arrowprops={"arrowstyle": "-|>", "color": "k", "lw": 2.0})
    ax.plot(*w, "ko", markersize=5)
    ax.set_title("unit directions at $w^k$ (blue: loss falls)")

    t = np.linspace(-np.pi, np.pi, 361)
    ax2.plot(np.degrees(t), -gnorm * np.cos(t), color="k", lw=1.5,
             label=r"$\nabla\mathcal{L}\cdot v$")
    ax2.scatter(np.degrees(theta), fd, c=slopes, cmap=cmap, norm=norm, zorder=3,
                edgecolors="k", linewidths=0.4, label="finite difference")
    for bound in (-gnorm, gnorm):
        ax2.axhline(bound, color="0.5", ls="--", lw=1)
    ax2.annotate(r"$-\|\nabla\mathcal{L}\|$ at $v=-\nabla\mathcal{L}/\|\nabla\mathcal{L}\|$",
                 xy=(0, -gnorm), xytext=(25, -0.55 * gnorm),
                 arrowprops={"arrowstyle": "->", "color": "k"}, fontsize=9)
    ax2.set_xlabel(r"angle between $v$ and $-\nabla\mathcal{L}(w^k)$ (degrees)")
    ax2.set_ylabel("rate of change of the loss")
    ax2.set_xticks([-180, -90, 0, 90, 180])
    ax2.set_ylim(-1.3 * gnorm, 1.3 * gnorm)
    ax2.legend(loc="upper center", fontsize=8)
    ax2.set_title("Cauchy-Schwarz bounds (dashed)")
    return fig


def run_gradient_descent(fun, w0, lr, steps=100, patience=None, tol=None):
    """Plain gradient descent, eq. (4) with ``v = -grad L``, path recorded.

    Calls :func:`lecture2.training.minimize` with
    :class:`lecture2.optim.GradientDescent` and ``record_path=True``. A run
    that diverges is reported by the loop itself
    (``history.stop_reason == "diverged"``, weights rolled back to the last
    finite iterate); its :class:`~lecture2.training.DivergenceWarning` is
    silenced here because the figures show the reason instead.

    Returns
    -------
    lecture2.training.History
        ``path`` holds the iterates ``w^0, ..., w^k``, shape ``(k + 1, p)``.
    """
    from lecture2.optim import GradientDescent
    from lecture2.training import DivergenceWarning, minimize

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        return minimize(fun, np.array(w0, dtype=float), GradientDescent(), lr=lr,
                        steps=steps, patience=patience, tol=tol, record_path=True)


def _stop_label(history):
    return f"{history.stop_reason} after {history.steps} steps"


def _draw_path(ax, path, xlim, ylim):
    """Draw iterates on ``ax``, cut after the first one far outside the view."""
    path = np.asarray(path, dtype=float)
    span = max(xlim[1] - xlim[0], ylim[1] - ylim[0])
    far = (np.abs(path[:, 0] - np.mean(xlim)) > 3 * span) | (
        np.abs(path[:, 1] - np.mean(ylim)) > 3 * span)
    if far.any():  # a diverging run: the rest lies off the picture
        path = path[: np.argmax(far) + 1]
    ax.plot(path[:, 0], path[:, 1], "-o", color=COLORS[1], lw=1.2, markersize=2.5)
    ax.plot(*path[0], "o", color="k", markersize=5)


def _draw_loss(ax, loss, cap=1e30, **style):
    """Loss per step on a log axis; values beyond ``cap`` are drawn at the cap.

    Returns the line, or None when no loss is finite.
    """
    loss = np.asarray(loss, dtype=float)
    keep = np.isfinite(loss)
    if not keep.any():
        return None
    shown = np.clip(loss[keep], 1e-30, cap)  # a log axis up to 1e308 overflows
    line, = ax.plot(np.flatnonzero(keep), shown, lw=1.5, **style)
    ax.set_yscale("log")
    # set the limits from every line drawn so far (autoscaling would overflow)
    _log_span(ax, np.concatenate([drawn.get_ydata() for drawn in ax.lines]))
    ax.set_xlabel("step $k$")
    ax.set_ylabel(r"$\mathcal{L}(w^k)$")
    return line


def loss_curves_figure(histories, title=None, cap=None):
    """Loss per step of several runs on a log scale, stop reasons in the legend.

    A diverged run ends in a cross at its last loss. Losses above ``cap`` are
    drawn at ``cap``, so that runs that blow up do not squash the others.

    Parameters
    ----------
    histories : dict
        Label -> history (anything with ``loss``, ``steps``, ``stop_reason``).
    title : str, optional
    cap : float, optional
        Default: 1000 times the largest first loss of the runs.
    """
    if not histories:
        raise ValueError("histories must hold at least one run; got an empty dict")
    if cap is None:
        firsts = [h.loss[0] for h in histories.values()
                  if len(h.loss) and np.isfinite(h.loss[0])]
        cap = 1e3 * max(firsts) if firsts else 1e30
    fig, ax = new_figure(width=6.4, height=3.8)
    for label, history in histories.items():
        line = _draw_loss(ax, history.loss, cap=cap,
                          label=f"{label}: {_stop_label(history)}")
        if line is not None and history.stop_reason == "diverged":
            ax.plot(line.get_xdata()[-1:], line.get_ydata()[-1:], "x",
                    color=line.get_color(), markersize=9, mew=2)
    ax.set_ylabel("training loss")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def descent_paths_figure(fun, histories, xlim=(-2.0, 2.0), ylim=(-1.5, 1.5),
                         minimizer=None):
    """Gradient-descent paths on a 2-D loss, one panel per run.

    Parameters
    ----------
    fun : callable
        ``fun(w) -> (loss, grad)``, for the contours.
    histories : dict
        Title -> history from :func:`run_gradient_descent` (with ``path``).
    xlim, ylim : tuple of float
        View of every panel.
    minimizer : array_like, optional
        Marked with a star.
    """
    if not histories:
        raise ValueError("histories must hold at least one run; got an empty dict")
    fig, axes = new_figure(1, len(histories), width=2.6 * len(histories) + 0.6,
                           height=3.2, sharey=True, squeeze=False)
    axes = axes[0]
    for ax, (title, history) in zip(axes, histories.items()):
        _contours(ax, fun, xlim, ylim, minimizer)
        _draw_path(ax, history.path, xlim, ylim)
        ax.set_title(f"{title}\n{_stop_label(history)}", fontsize=9)
        if ax is not axes[0]:
            ax.set_ylabel("")
    return fig


def learning_rate_figure(lr=0.15, kappa=10.0, steps=2000):
    """Explorer frame: gradient descent on ``quadratic(kappa)`` with rate ``lr``.

    Starts at the problem's ``start`` point and runs until the gradient norm
    is below 1e-8 (``"tolerance"``), the loss overflows (``"diverged"``) or
    ``steps`` updates are made (``"budget"``). Left: the path on the
    contours. Right: the loss per step (log scale). The Hessian has
    eigenvalues 1 and ``kappa`` (see :func:`lecture2.testfunctions.quadratic`):
    gradient descent converges for ``lr < 2 / kappa`` and oscillates along
    the steep direction once ``lr > 1 / kappa``.
    """
    from lecture2.testfunctions import quadratic

    problem = quadratic(kappa)
    history = run_gradient_descent(problem, problem.start, lr, steps=steps, tol=1e-8)
    lam_max = float(np.linalg.eigvalsh(problem.hessian(problem.start))[-1])

    fig, (ax, ax2) = new_figure(1, 2, width=9.0, height=3.6)
    _contours(ax, problem, problem.xlim, problem.ylim, problem.minimizer)
    _draw_path(ax, history.path, problem.xlim, problem.ylim)
    ax.set_title(f"lr = {lr:.3g}: {_stop_label(history)}", fontsize=10)
    _draw_loss(ax2, history.loss, color=COLORS[1])
    ax2.set_title(rf"$1/\lambda_{{max}}$ = {1 / lam_max:.3g},  "
                  rf"$2/\lambda_{{max}}$ = {2 / lam_max:.3g}", fontsize=10)
    return fig


def stopping_rules_figure(history, stops):
    """One loss curve with the step at which each termination rule fired.

    Parameters
    ----------
    history : object with ``loss``
        A long reference run.
    stops : dict
        Label -> history of the same run stopped by one rule (uses ``steps``
        and ``stop_reason``).
    """
    fig, ax = new_figure(width=6.4, height=3.9)
    _draw_loss(ax, history.loss, color="0.3", label="loss")
    styles = zip(["--", "-.", ":", (0, (5, 1))], [COLORS[1], COLORS[0], COLORS[2],
                                                  COLORS[3]])
    for (label, stopped), (ls, color) in zip(stops.items(), styles):
        ax.axvline(stopped.steps, ls=ls, lw=1.5, color=color,
                   label=f"{label}: {_stop_label(stopped)}")
    ax.set_ylabel("training loss")
    # above the axes, where it hides neither the curve nor the markers
    fig.legend(loc="outside upper center", ncols=2, fontsize=9, frameon=False)
    return fig


# ---------------------------------------------------------------------------
# Chapter 8: backpropagation
# ---------------------------------------------------------------------------


def _fmt(a, digits):
    a = np.round(np.asarray(a, dtype=float), digits) + 0.0  # no "-0.000"
    return np.array2string(a, precision=digits, floatmode="fixed", sign=" ",
                           max_line_width=200)


def format_layers(columns, digits=3, sample=None):
    """A small text table, one row per layer, of arrays indexed by layer.

    Parameters
    ----------
    columns : dict
        Column name -> list indexed by layer ``l`` (entries may be None, e.g.
        ``fs[0]``); each entry an array of shape ``(n, N_l)`` or ``(N_l,)``.
    digits : int, default 3
        Decimals shown.
    sample : int, optional
        Show only this row (training point) of 2-D entries.

    Returns
    -------
    str
    """
    names = list(columns)
    n_layers = max(len(v) for v in columns.values())
    lines = []
    for l in range(n_layers):
        cells = []
        for name in names:
            entry = columns[name][l] if l < len(columns[name]) else None
            if entry is None:
                continue
            entry = np.asarray(entry)
            if sample is not None and entry.ndim == 2:
                entry = entry[sample]
            cells.append(f"{name} = {_fmt(entry, digits)}")
        if cells:
            lines.append(f"l={l}  " + "   ".join(cells))
    return "\n".join(lines)


def backprop_diagram_figure(sizes, gs, fbars, sample=0, digits=3):
    """The network drawn as a graph, forward outputs and adjoints written on it.

    Each neuron shows its output ``g`` (black, forward mode) and, below it,
    its adjoint ``fbar`` (red, backward mode, eq. 7) for one training point.

    Parameters
    ----------
    sizes : sequence of int
        ``[N_0, ..., N_L]``.
    gs : list of arrays
        ``gs[l]`` of shape ``(n, N_l)``, from ``Network.forward_trace``.
    fbars : list of arrays
        ``fbars[l]`` of shape ``(n, N_l)`` for ``l >= 1``, from
        ``Network.adjoints`` (``fbars[0]`` is ignored).
    sample : int, default 0
        Which training point to show.
    digits : int, default 3
    """
    from matplotlib.patches import Circle

    sizes = list(sizes)
    if len(gs) != len(sizes) or len(fbars) != len(sizes):
        raise ValueError(f"gs and fbars must have one entry per layer ({len(sizes)}); "
                         f"got {len(gs)} and {len(fbars)}")
    top = max(sizes)
    # Lengths in inches (equal aspect, axes filling the figure): four layers
    # come out at about the book's column width (6.4 in), so the page does
    # not scale the text down, and a circle just holds its two lines of text.
    fontsize, radius, dx, dy = 11, 0.5, 1.72, 1.15
    half = (top - 1) / 2 * dy
    pos = [[(dx * l, half - k * dy) for k in range(n)] for l, n in enumerate(sizes)]
    xlim = (-radius - 0.1, dx * (len(sizes) - 1) + radius + 0.1)
    ylim = (-half - radius - 0.05, half + radius + 0.45)
    fig = Figure(figsize=(xlim[1] - xlim[0], ylim[1] - ylim[0]))
    ax = fig.add_axes((0, 0, 1, 1))
    for l in range(1, len(sizes)):
        for a in pos[l - 1]:
            for b in pos[l]:
                ax.plot([a[0], b[0]], [a[1], b[1]], color="0.75", lw=1.0, zorder=1)
    for l, layer in enumerate(pos):
        for k, (x, y) in enumerate(layer):
            ax.add_patch(Circle((x, y), radius, facecolor="white", edgecolor="k",
                                lw=1.2, zorder=2))
            # inputs have no adjoint: their one line sits in the middle
            ax.text(x, y + (0.12 if l >= 1 else 0.0), f"g={gs[l][sample, k]:.{digits}f}",
                    ha="center", va="center", fontsize=fontsize, zorder=3)
            if l >= 1:
                ax.text(x, y - 0.15, f"$\\bar f$={fbars[l][sample, k]:.{digits}f}",
                        ha="center", va="center", fontsize=fontsize, color=COLORS[1],
                        zorder=3)
        kind = "input" if l == 0 else ("output" if l == len(sizes) - 1 else "hidden")
        ax.text(dx * l, half + radius + 0.22, f"$l$ = {l} ({kind})", ha="center",
                va="center", fontsize=fontsize)
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


def gradient_check_figure(grad, numerical, slices=None):
    """Backpropagation against central finite differences, parameter by parameter.

    Left: each partial derivative from backprop against its finite-difference
    estimate (all on the diagonal when they agree). Right: the absolute
    difference per parameter, log scale.

    Parameters
    ----------
    grad, numerical : array_like, shape (p,)
    slices : list, optional
        One entry per layer, to colour by layer: ``Network.layer_slices()``
        (pairs of slices of ``W^l`` and ``b^l``) or plain slices.
    """
    grad = np.asarray(grad, float)
    numerical = np.asarray(numerical, float)
    if grad.shape != numerical.shape or grad.ndim != 1:
        raise ValueError("grad and numerical must be 1-D arrays of the same shape; "
                         f"got {grad.shape} and {numerical.shape}")
    if slices is None:
        slices = [slice(0, grad.size)]
    # a layer's W and b are contiguous in w: one slice per layer
    slices = [slice(s[0].start, s[1].stop) if isinstance(s, tuple) else s
              for s in slices]
    fig, (ax, ax2) = new_figure(1, 2, width=9.0, height=3.5)
    lim = 1.1 * max(np.abs(grad).max(), np.abs(numerical).max(), 1e-12)
    ax.plot([-lim, lim], [-lim, lim], color="0.6", lw=1)
    diff = np.abs(grad - numerical)
    floor = 1e-16
    for l, sl in enumerate(slices, start=1):
        idx = np.arange(grad.size)[sl]
        ax.plot(numerical[sl], grad[sl], "o", markersize=4, label=f"layer {l}")
        ax2.plot(idx, np.maximum(diff[sl], floor), "o", markersize=4)
    ax.set_xlabel("central finite difference")
    ax.set_ylabel("backpropagation")
    ax.legend(fontsize=8)
    ax.set_title("each partial derivative")
    ax2.set_yscale("log")
    ax2.set_xlabel("parameter index")
    ax2.set_ylabel("|difference|")
    ax2.set_title("absolute difference")
    return fig


def loss_along_weight(net, X, Y, index, values, reduction="mean"):
    """The loss and one partial derivative as weight ``w[index]`` sweeps ``values``.

    All other weights stay at ``net.w``; ``net`` is not changed.

    Parameters
    ----------
    net : lecture2.network.Network
    X, Y : ndarray, shapes (n, N_0) and (n, N_L)
    index : int
        Position of the swept weight in the flat vector ``w``.
    values : array_like, shape (k,)
    reduction : {"mean", "sum"}, default "mean"

    Returns
    -------
    losses, partials : ndarray, shape (k,)
        ``L(w)`` and the backpropagated ``dL/dw[index]`` at each value.
    """
    w = net.w.copy()
    losses = np.empty(len(values))
    partials = np.empty(len(values))
    for i, value in enumerate(values):
        w[index] = value
        losses[i], grad = net.loss_and_grad(X, Y, w=w, reduction=reduction)
        partials[i] = grad[index]
    return losses, partials


def step_loss_figure(values, losses, grads=None, weight_label="$w$"):
    """Loss against one hidden weight for several nonlinearities.

    With the step nonlinearity the curve is flat between jumps, so the
    derivative is zero wherever it exists.

    Parameters
    ----------
    values : array_like
        The weight values.
    losses : dict
        Nonlinearity name -> losses at ``values``.
    grads : dict, optional
        Nonlinearity name -> backprop derivative at ``values``; drawn in a
        second panel.
    """
    values = np.asarray(values, float)
    ncols = 1 if grads is None else 2
    fig, axes = new_figure(1, ncols, width=4.6 * ncols, height=3.4, squeeze=False)
    axes = axes[0]
    for name, loss in losses.items():
        axes[0].plot(values, loss, lw=1.6, color=ACTIVATION_COLORS.get(name),
                     label=name, drawstyle="steps-mid" if name == "step" else "default")
    axes[0].set_xlabel(weight_label)
    axes[0].set_ylabel("loss")
    axes[0].legend(fontsize=8)
    axes[0].set_title("loss along one hidden weight")
    if grads is not None:
        for name, grad in grads.items():
            axes[1].plot(values, grad, lw=1.6, color=ACTIVATION_COLORS.get(name),
                         label=name)
        axes[1].axhline(0, color="0.6", lw=0.8)
        axes[1].set_xlabel(weight_label)
        axes[1].set_ylabel("backprop derivative")
        axes[1].set_title("its partial derivative")
        axes[1].legend(fontsize=8)
    return fig


# ---------------------------------------------------------------------------
# Shared by chapters 8 and 9: what happens layer by layer in a deep network
# ---------------------------------------------------------------------------


def layer_statistics(sizes, activation, scheme, X, Y, seed=0, reduction="sum"):
    """One forward and one backward pass of a freshly initialized network.

    Parameters
    ----------
    sizes : sequence of int
        ``[N_0, ..., N_L]``.
    activation : str
        A name from ``lecture2.activations.ACTIVATIONS``.
    scheme : str
        A name from ``lecture2.init.SCHEMES``.
    X, Y : ndarray, shapes (n, N_0) and (n, N_L)
        One batch.
    seed : int, default 0
        Seed of the weights' Generator.
    reduction : {"sum", "mean"}, default "sum"
        With "sum" the adjoints are those of the single-point losses L_i
        (eq. 7), not divided by n.

    Returns
    -------
    dict of ndarray, each of shape (L,) for layers l = 1..L:
        ``std_f``, ``std_g``: standard deviation of activations and outputs;
        ``std_fbar``, ``mean_abs_fbar``: of the adjoints (eq. 7);
        ``mean_dsigma``: mean of sigma'(f^l) (the output layer is linear: 1);
        ``grad_norm``: norm of dL/dW^l (eq. 6, summed over points as in eq. 5);
        plus ``g``: the list of per-layer outputs ``g^l`` (l = 1..L).
    """
    from lecture2.init import initialize
    from lecture2.network import Network

    net = Network(list(sizes), activation=activation)
    initialize(net, scheme, np.random.default_rng(seed))
    fs, gs = net.forward_trace(X)
    fbars = net.adjoints(X, Y, reduction=reduction)
    L = net.L
    dsigma = [net.activation.derivative(fs[l], gs[l]) for l in range(1, L)]
    # eqs. (5)-(6): dL/dW^l = sum_i g^{l-1}(x_i) fbar^l(x_i), as one product
    weight_grads = [gs[l - 1].T @ fbars[l] for l in range(1, L + 1)]
    return {
        "std_f": np.array([fs[l].std() for l in range(1, L + 1)]),
        "std_g": np.array([gs[l].std() for l in range(1, L + 1)]),
        "std_fbar": np.array([fbars[l].std() for l in range(1, L + 1)]),
        "mean_abs_fbar": np.array([np.abs(fbars[l]).mean() for l in range(1, L + 1)]),
        "mean_dsigma": np.array([d.mean() for d in dsigma] + [1.0]),
        "grad_norm": np.array([np.linalg.norm(gw) for gw in weight_grads]),
        "g": [gs[l] for l in range(1, L + 1)],
    }


def _sinusoid_batch(n, seed):
    from lecture2.data import make_sinusoid

    return make_sinusoid(n, rng=np.random.default_rng(seed))


def adjoint_sizes_figure(activation="logistic", depth=8, width=16, scheme="xavier",
                         seed=0):
    """Explorer frame: mean ``|fbar^l|`` layer by layer in a deep network.

    A network ``[1, width, ..., width, 1]`` with ``depth`` hidden layers is
    initialized with ``scheme`` and run forward and backward once on 64
    points of the sinusoid data. Left: mean ``|fbar^l|`` (eq. 7) for the chosen
    nonlinearity (thick) and the other differentiable ones (thin). Right: the
    mean slope sigma'(f^l), the factor eq. (7) multiplies by at each layer.
    """
    from lecture2.activations import ACTIVATIONS

    _check_choice("activation", activation, ACTIVATIONS)
    _check_positive_int("depth", depth)
    _check_positive_int("width", width)
    X, Y = _sinusoid_batch(64, seed)
    sizes = [1] + [width] * depth + [1]
    layers = np.arange(1, depth + 2)

    fig, (ax, ax2) = new_figure(1, 2, width=9.0, height=3.6)
    for name in ACTIVATIONS:
        if name == "step" and name != activation:
            continue
        stats = layer_statistics(sizes, name, scheme, X, Y, seed=seed)
        chosen = name == activation
        style = {"color": ACTIVATION_COLORS.get(name), "marker": "o",
                 "lw": 2.4 if chosen else 1.0, "alpha": 1.0 if chosen else 0.45,
                 "markersize": 5 if chosen else 2, "label": name}
        # exact zeros (the step nonlinearity) cannot sit on a log axis
        ax.plot(layers, np.maximum(stats["mean_abs_fbar"], 1e-30), **style)
        ax2.plot(layers[:-1], stats["mean_dsigma"][:-1], **style)
    ax.set_yscale("log")
    if activation == "step":
        ax.text(0.5, 0.1, "step: hidden adjoints exactly 0 (drawn at 1e-30)",
                transform=ax.transAxes, ha="center", fontsize=9)
    ax.set_xlabel("layer $l$ (input side left, output right)")
    _integer_ticks(ax)
    ax.set_ylabel(r"mean $|\bar f^{\,l}|$")
    ax.set_title(f"adjoints, {depth} hidden layers of width {width}", fontsize=10)
    ax.legend(fontsize=8, ncol=2)
    ax2.set_xlabel("hidden layer $l$")
    _integer_ticks(ax2)
    ax2.set_ylabel(r"mean $\sigma'(f^{\,l})$")
    ax2.set_title("slope factor of the backward pass", fontsize=10)
    ax2.set_ylim(bottom=0)
    return fig


# ---------------------------------------------------------------------------
# Chapter 9: initialization
# ---------------------------------------------------------------------------


def _gaussian_batch(width, n, seed):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, width)), rng.standard_normal((n, width))


def init_comparison_figure(stats):
    """Per-layer spread of outputs g^l and adjoints fbar^l under each scheme.

    One row per nonlinearity; left column the standard deviation of the
    outputs ``g^l`` (forward mode), right column that of the adjoints
    ``fbar^l`` (backward mode), on log scales, one line per scheme.

    Parameters
    ----------
    stats : dict
        ``(activation, scheme) -> layer_statistics(...)`` for the same
        network sizes; rows follow the order in which activations first
        appear.
    """
    if not stats:
        raise ValueError("stats must hold at least one (activation, scheme) entry; "
                         "got an empty dict")
    activations = list(dict.fromkeys(act for act, _ in stats))
    fig, axes = new_figure(len(activations), 2, width=9.0,
                           height=3.0 * len(activations) + 0.4, sharex=True,
                           squeeze=False)
    for row, activation in zip(axes, activations):
        for (act, scheme), st in stats.items():
            if act != activation:
                continue
            layers = np.arange(1, len(st["std_g"]) + 1)
            style = {"color": SCHEME_COLORS.get(scheme),
                     "marker": SCHEME_MARKERS.get(scheme, "o"), "markersize": 3.5,
                     "label": scheme}
            row[0].plot(layers, st["std_g"], **style)
            row[1].plot(layers, st["std_fbar"], **style)
        row[0].set_ylabel(f"{activation}: std of $g^{{\\,l}}$")
        row[1].set_ylabel(f"{activation}: std of $\\bar f^{{\\,l}}$")
        for ax in row:
            ax.set_yscale("log")
            ax.axhline(1.0, color="0.7", lw=0.8)
    axes[0, 0].set_title("forward mode: outputs")
    axes[0, 1].set_title("backward mode: adjoints")
    axes[0, 0].legend(fontsize=8)
    for ax in axes[-1]:
        ax.set_xlabel("layer $l$")
        _integer_ticks(ax)
    return fig


def init_explorer_figure(activation="tanh", scheme="gaussian", depth=15, width=100,
                         seed=0):
    """Explorer frame: what one initialization does to a deep network.

    The network is ``[width] * (depth + 1)``, fed one batch of 200 standard
    normal inputs with standard normal targets, run forward and backward once
    (adjoints of the single-point losses, ``reduction="sum"``). Left:
    histograms of the outputs ``g^l`` of every hidden layer (darker =
    deeper). Middle: per-layer standard deviation of ``g^l`` (forward) and of
    the adjoints ``fbar^l`` (backward). Right: the norm of the weight
    gradient dL/dW^l of each layer (eqs. 5-6). Log scales throughout.
    """
    from lecture2.activations import ACTIVATIONS

    _check_choice("activation", activation, ACTIVATIONS)
    _check_positive_int("depth", depth)
    _check_positive_int("width", width)
    X, Y = _gaussian_batch(width, 200, seed)
    stats = layer_statistics([width] * (depth + 1), activation, scheme, X, Y,
                             seed=seed)
    from matplotlib import colormaps

    fig, (ax, ax2, ax3) = new_figure(1, 3, width=11.0, height=3.5)
    hidden = stats["g"][:-1] or stats["g"]
    cmap = colormaps["viridis"]
    values = np.concatenate([g.ravel() for g in hidden])
    low, high = np.quantile(values, [0.005, 0.995])
    if high - low < 1e-12:
        low, high = low - 1.0, high + 1.0
    bins = np.linspace(low, high, 61)
    for l, g in enumerate(hidden, start=1):
        counts, edges = np.histogram(g.ravel(), bins=bins, density=True)
        ax.stairs(counts, edges, color=cmap(1 - l / len(hidden)), lw=1.0)
    ax.set_xlabel(r"$g^{\,l}$")
    ax.set_ylabel("density")
    ax.set_title("hidden outputs (dark = deep)", fontsize=10)
    ax.set_yscale("log")

    layers = np.arange(1, depth + 1)
    ax2.plot(layers, stats["std_g"], "o-", color="k", label=r"std of $g^{\,l}$")
    ax2.plot(layers, stats["std_fbar"], "s-", color=COLORS[1],
             label=r"std of $\bar f^{\,l}$")
    ax2.set_yscale("log")
    _log_span(ax2, np.concatenate([stats["std_g"], stats["std_fbar"]]))
    ax2.set_xlabel("layer $l$")
    _integer_ticks(ax2)
    ax2.set_title(f"{activation}, {scheme}: forward and backward", fontsize=10)
    ax2.legend(fontsize=8)
    ax3.plot(layers, stats["grad_norm"], "^-", color=COLORS[0])
    ax3.set_yscale("log")
    _log_span(ax3, stats["grad_norm"])
    ax3.set_xlabel("layer $l$")
    _integer_ticks(ax3)
    ax3.set_ylabel(r"$\|\partial\mathcal{L}/\partial W^l\|$")
    ax3.set_title("weight gradient per layer", fontsize=10)
    return fig
