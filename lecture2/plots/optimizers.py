"""Figures for chapters 10-13: mini-batches, schedules, momentum and adaptive
methods, second-order methods.

Every ``plot_*`` function takes numbers (arrays, histories, callables) and
returns a new :class:`matplotlib.figure.Figure`, built without pyplot so that
nothing is shown twice and no global state is touched. The ``*_explorer``
functions take only scalars and strings with defaults, run a small seeded
computation and draw it: they are what the book's interactive explorers wrap.
The remaining public functions are small precomputations the chapters share
(mini-batch gradient noise, runs of several optimizers, a table of Hessian
sizes).
"""

from __future__ import annotations

import warnings
from contextlib import contextmanager

import numpy as np
from matplotlib.figure import Figure

__all__ = [
    "METHOD_COLORS",
    "METHOD_LABELS",
    "format_hessian_table",
    "format_loss",
    "gradient_noise",
    "hessian_memory_rows",
    "optimizer_explorer",
    "optimizer_runs",
    "plot_batch_size_curves",
    "plot_gradient_noise",
    "plot_loss_curves",
    "plot_paths",
    "plot_quadratic_model",
    "plot_schedule_runs",
    "plot_schedules",
    "schedule_explorer",
    "schedule_run",
    "second_order_explorer",
    "sgd_explorer",
    "sgd_runs",
    "sinusoid_problem",
    "tilted_double_well",
]

# One colour per method, the same in every chapter.
METHOD_COLORS = {
    "gd": "#4d4d4d",
    "heavy_ball": "#1f77b4",
    "nesterov": "#17becf",
    "adagrad": "#2ca02c",
    "rmsprop": "#bcbd22",
    "adam": "#d62728",
    "nadam": "#ff7f0e",
    "newton": "#9467bd",
    "bfgs": "#8c564b",
    "lbfgs": "#e377c2",
}

# How the explorers label each method.
METHOD_LABELS = {"gd": "GD", "heavy_ball": "heavy ball", "nesterov": "Nesterov",
                 "adagrad": "AdaGrad", "rmsprop": "RMSProp", "adam": "Adam",
                 "nadam": "Nadam", "newton": "Newton", "bfgs": "BFGS", "lbfgs": "L-BFGS"}

_FALLBACK_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#4d4d4d")


# Lowest value a log-scale loss axis shows, relative to its top.
_LOG_FLOOR = 1e-16

# --------------------------------------------------------------------------
# small shared pieces
# --------------------------------------------------------------------------

def _figure(ncols=1, width=6.4, height=4.0):
    """A constrained-layout Figure with ``ncols`` axes side by side."""
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def _color(label, index):
    key = str(label).lower().replace("-", "").replace(" ", "_")  # "L-BFGS", "heavy ball"
    return METHOD_COLORS.get(key, _FALLBACK_COLORS[index % len(_FALLBACK_COLORS)])


def _curve(record):
    """Return ``(x, loss, diverged)`` from a History, an array or ``(x, loss)``.

    A History is anything with a ``loss`` attribute (and optionally
    ``stop_reason``); its x values are the step numbers 0, 1, ...
    """
    if isinstance(record, tuple) and len(record) == 2:
        x, loss = (np.asarray(v, dtype=float) for v in record)
    else:
        loss = np.asarray(getattr(record, "loss", record), dtype=float)
        x = np.arange(loss.size, dtype=float)
    if x.shape != loss.shape:
        raise ValueError(
            f"a curve needs x and loss of the same shape; got {x.shape} and {loss.shape}"
        )
    reason = getattr(record, "stop_reason", None)
    diverged = reason == "diverged" or not np.all(np.isfinite(loss))
    return x, loss, diverged


def _draw_curves(ax, curves, logy=True, xlabel="step $k$", ylabel="training loss",
                 colors=None):
    """Draw labelled loss curves on ``ax``; a diverged run ends in a cross.

    The y axis stops at three times the largest starting loss, so a run
    that blows up leaves through the top edge, where its cross is drawn.
    """
    records = [(label, *_curve(record)) for label, record in curves.items()]
    # the scale comes from the runs that did not diverge (if there are any)
    scaled = [r for r in records if not r[3]] or records
    starts = [loss[np.isfinite(loss)][0] for _, _, loss, _ in scaled
              if np.isfinite(loss).any()]
    top = 3 * max(starts) if starts else 1.0
    for i, (label, x, loss, diverged) in enumerate(records):
        finite = np.isfinite(loss)
        color = (colors or {}).get(label) or _color(label, i)
        shown = np.minimum(loss[finite], 10 * top)  # off the chart, no overflow
        if diverged and finite.any():
            last = np.flatnonzero(finite)[-1]
            label = f"{label} (diverged at step {int(x[last]) + 1})"
            out = np.flatnonzero(shown >= top)
            at = out[0] if out.size else shown.size - 1
            ax.plot(x[finite][at], min(shown[at], top), marker="x", markersize=10,
                    mew=2.5, color=color, linestyle="none", clip_on=False)
        ax.plot(x[finite], shown, color=color, lw=1.6, label=label)
    if logy:
        ax.set_yscale("log")
        drawn = np.concatenate([loss[np.isfinite(loss) & (loss > 0) & (loss < top)]
                                for _, _, loss, _ in records] + [[top]])
        # exact zeros are not drawn; below 1e-16 of the top is round-off
        ax.set_ylim(max(drawn.min() / 2, _LOG_FLOOR * top), top)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")  # "best" is slow with long curves


def _grid_values(fun, xlim, ylim, num):
    """Values of a 2-D ``fun(w) -> (loss, grad)`` on a ``num x num`` grid."""
    xs = np.linspace(*xlim, num)
    ys = np.linspace(*ylim, num)
    xx, yy = np.meshgrid(xs, ys)
    values = getattr(fun, "value", None)
    if callable(values):
        try:  # a test function that evaluates a (2, ...) stack at once
            zz = np.asarray(values(np.stack([xx, yy])), dtype=float)
            if zz.shape == xx.shape:
                return xx, yy, zz
        except (TypeError, ValueError):
            pass
    zz = np.array([fun(np.array([a, b]))[0] for a, b in zip(xx.ravel(), yy.ravel())])
    return xx, yy, zz.reshape(xx.shape)


# --------------------------------------------------------------------------
# precomputations
# --------------------------------------------------------------------------

def sinusoid_problem(n=200, sizes=(1, 16, 16, 1), sigma=0.2, seed=0):
    """The chapters' running example: noisy sinusoid data and a tanh network.

    Parameters
    ----------
    n : int
        Number of training points ``(x_i, y_i)``, x uniform on [0, 1].
    sizes : sequence of int
        Layer widths ``[N_0, ..., N_L]``.
    sigma : float
        Mean noise standard deviation (heteroskedastic, as in chapter 4).
    seed : int
        Seed of the one Generator used for the data and the Xavier weights.

    Returns
    -------
    net : lecture2.network.Network
        Xavier-initialised tanh network.
    X, Y : ndarray, shape (n, 1)
    """
    from lecture2.data import make_sinusoid
    from lecture2.init import initialize
    from lecture2.network import Network

    rng = np.random.default_rng(seed)
    X, Y = make_sinusoid(n, sigma=sigma, rng=rng)
    net = Network(list(sizes), activation="tanh")
    initialize(net, "xavier", rng)
    return net, X, Y


def gradient_noise(net, X, Y, batch_sizes, draws=200, seed=0):
    r"""Measure how far mini-batch gradients scatter around the full gradient.

    For each batch size B, ``draws`` batches of B distinct points are drawn at
    random and the mean of :math:`\|\nabla\mathcal{L}_B(w) - \nabla\mathcal{L}(w)\|^2`
    over the draws is returned, at the network's current weights ``net.w``.
    The prediction for sampling without replacement from n points is

    .. math:: \mathbb{E}\|\nabla\mathcal{L}_B - \nabla\mathcal{L}\|^2
              = \frac{\sigma^2}{B}\,\frac{n - B}{n - 1},

    with :math:`\sigma^2` the mean squared deviation of the n single-point
    gradients from the full gradient (also returned).

    Returns
    -------
    dict with ``batch_sizes`` (int array), ``measured``, ``predicted``
    (float arrays, same length) and ``sigma2`` (float).
    """
    batch_sizes = np.asarray(batch_sizes, dtype=int)
    n = X.shape[0]
    if batch_sizes.ndim != 1 or np.any(batch_sizes < 1) or np.any(batch_sizes > n):
        raise ValueError(f"batch_sizes must be integers in [1, {n}]; got {batch_sizes}")
    rng = np.random.default_rng(seed)
    _, full = net.loss_and_grad(X, Y)

    # Per-point gradients (mean reduction over a batch of one point).
    single = np.array([net.loss_and_grad(X[i:i + 1], Y[i:i + 1])[1] for i in range(n)])
    sigma2 = float(np.mean(np.sum((single - full) ** 2, axis=1)))

    measured = np.empty(batch_sizes.size)
    for j, b in enumerate(batch_sizes):
        # The mini-batch gradient is the mean of its points' gradients.
        idx = np.array([rng.choice(n, size=b, replace=False) for _ in range(draws)])
        batch_grads = single[idx].mean(axis=1)
        measured[j] = np.mean(np.sum((batch_grads - full) ** 2, axis=1))
    predicted = sigma2 / batch_sizes * (n - batch_sizes) / (n - 1)
    return {"batch_sizes": batch_sizes, "measured": measured,
            "predicted": predicted, "sigma2": sigma2}


@contextmanager
def _quiet():
    """Silence DivergenceWarning inside: the figures mark divergence instead."""
    from lecture2.training import DivergenceWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DivergenceWarning)
        yield


def sgd_runs(batch_sizes, lr=0.1, epochs=30, problem=None, seed=0, optimizer="gd"):
    """Train copies of one network with several batch sizes, same epochs.

    Each run starts from the same weights, makes ``epochs * ceil(n / B)``
    updates with :func:`lecture2.training.train` and records the full
    training loss at the start of every epoch and at the end.

    Parameters
    ----------
    batch_sizes : sequence of int
        Mini-batch sizes B; ``n`` (the data size) means full batch.
    lr : float
        Learning rate eta (the same for every B).
    epochs : int
        Passes through the data.
    problem : tuple (net, X, Y), optional
        Defaults to :func:`sinusoid_problem`; ``net`` itself is not changed.
    seed : int
        Seed of the shuffling.
    optimizer : str
        Name for :func:`lecture2.optim.get_optimizer`.

    Returns
    -------
    dict mapping B to a dict with ``epoch`` (0..epochs), ``loss`` (full
    training loss there; a diverged run is cut where it diverged),
    ``steps`` (updates made by then), ``seconds`` (wall clock of the run),
    ``history`` and ``net`` (the trained copy).
    """
    from lecture2.training import train

    net0, X, Y = problem if problem is not None else sinusoid_problem()
    n = X.shape[0]
    out = {}
    for b in batch_sizes:
        b = int(b)
        per_epoch = -(-n // b)
        net = net0.copy()
        with _quiet():
            hist = train(net, X, Y, optimizer, lr=lr, steps=int(epochs) * per_epoch,
                         batch_size=b, rng=np.random.default_rng(seed))
        # full-data losses at the start of each epoch, then after the last step
        loss = np.append(hist.eval_loss, hist.final_loss)
        steps = np.append(hist.eval_step, hist.steps)
        if hist.stop_reason == "diverged":
            loss[-1] = np.nan
        out[b] = {"epoch": steps / per_epoch, "loss": loss, "steps": steps,
                  "seconds": hist.time, "history": hist, "net": net}
    return out


def schedule_run(schedule, steps=2000, batch_size=10, seed=3, problem=None,
                 optimizer="gd"):
    """Train a copy of the sinusoid network with mini-batches and a schedule.

    Parameters
    ----------
    schedule : float, Schedule or callable
        The learning rates eta_k, k = 0, 1, ... (see :mod:`lecture2.optim`).
    steps : int
        Updates (mini-batches) to make.
    batch_size : int or None
        Mini-batch size B; None trains full batch.
    seed : int
        Seed of the mini-batch shuffling (the same batches for every schedule).
    problem : tuple (net, X, Y), optional
        Defaults to :func:`sinusoid_problem`; ``net`` itself is not changed.
    optimizer : str
        Name for :func:`lecture2.optim.get_optimizer`.

    Returns
    -------
    lecture2.training.History
        A diverged run has ``stop_reason == "diverged"``; the
        :class:`~lecture2.training.DivergenceWarning` is left to the caller.
    """
    from lecture2.optim import get_optimizer
    from lecture2.training import train

    net0, X, Y = problem if problem is not None else sinusoid_problem()
    return train(net0.copy(), X, Y, get_optimizer(optimizer), lr=schedule,
                 steps=int(steps), batch_size=batch_size,
                 rng=np.random.default_rng(seed))


def optimizer_runs(fun, w0, methods, steps=100):
    """Run several optimizers from ``w0`` on ``fun(w) -> (loss, grad)``.

    Parameters
    ----------
    fun : callable
        Objective returning ``(loss, grad)``: a 2-D test function or a
        network's ``objective``.
    w0 : array_like, shape (p,)
    methods : dict
        Label -> ``(name, lr, kwargs)`` for :func:`lecture2.optim.get_optimizer`
        (``lr`` is ignored by Newton, BFGS and L-BFGS).
    steps : int
        Iteration budget of each run (a run stops early at a gradient norm
        below 1e-12 or when it diverges; divergence is reported in the
        history, not warned).

    Returns
    -------
    paths : dict label -> ndarray (k+1, p), the iterates w^0, w^1, ...
    histories : dict label -> lecture2.training.History
    """
    from lecture2.optim import get_optimizer
    from lecture2.training import minimize

    w0 = np.asarray(w0, dtype=float)
    paths, histories = {}, {}
    with _quiet():
        for label, (name, lr, kwargs) in methods.items():
            hist = minimize(fun, w0, get_optimizer(name, **kwargs), lr=lr,
                            steps=int(steps), tol=1e-12, record_path=True)
            histories[label] = hist
            paths[label] = hist.path
    return paths, histories


def format_loss(value, floor=1e-12):
    """A loss for printing: two significant digits, or "below 1e-12".

    Losses under ``floor`` are round-off (their digits change from one
    machine to the next), so they are printed as a bound; a non-finite
    loss prints as "diverged".
    """
    value = float(value)
    if not np.isfinite(value):
        return "diverged"
    if abs(value) < floor:
        return f"below {floor:.0e}"
    return f"{value:.2e}"


def hessian_memory_rows(models, bytes_per_entry=8):
    """Rows ``(name, p, gradient bytes, Hessian bytes)`` for a table.

    ``models`` maps a name to either a list of layer sizes (a fully connected
    network, p from :func:`lecture2.network.count_parameters`) or a parameter
    count p. The Hessian has p*p entries, the gradient p.
    """
    from lecture2.network import count_parameters

    rows = []
    for name, spec in models.items():
        p = int(spec) if np.isscalar(spec) else count_parameters(list(spec))
        rows.append((name, p, p * bytes_per_entry, p * p * bytes_per_entry))
    return rows


def _bytes(n):
    units = ["B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB"]
    value = float(n)
    for unit in units:
        if value < 1000 or unit == units[-1]:
            return f"{value:.3g} {unit}"
        value /= 1000


def format_hessian_table(rows):
    """Plain-text table of :func:`hessian_memory_rows` (decimal units)."""
    header = f"{'network':<34} {'p':>15} {'gradient':>10} {'Hessian':>10}"
    lines = [header, "-" * len(header)]
    for name, p, g, h in rows:
        lines.append(f"{name:<34} {p:>15,d} {_bytes(g):>10} {_bytes(h):>10}")
    return "\n".join(lines)


def tilted_double_well(w):
    r"""A 1-D loss with regions of both curvatures, for the Newton picture.

    :math:`\mathcal{L}(w) = w^4/4 - w^2 + w/2`; returns the value and the first
    and second derivatives (arrays shaped like ``w``).
    """
    w = np.asarray(w, dtype=float)
    return w**4 / 4 - w**2 + w / 2, w**3 - 2 * w + 0.5, 3 * w**2 - 2


# --------------------------------------------------------------------------
# chapter 10: mini-batches
# --------------------------------------------------------------------------

def plot_gradient_noise(batch_sizes, measured, predicted=None, sigma2=None):
    """Mini-batch gradient variance against batch size, on log-log axes.

    Parameters
    ----------
    batch_sizes, measured : array_like
        Batch sizes B and the measured mean squared deviation
        E||grad_B - grad||^2 (see :func:`gradient_noise`).
    predicted : array_like, optional
        The without-replacement prediction, drawn as a line.
    sigma2 : float, optional
        Per-point variance; draws the plain ``sigma2 / B`` line for reference.
    """
    b = np.asarray(batch_sizes, dtype=float)
    fig, (ax,) = _figure(width=6.0, height=4.0)
    if sigma2 is not None:
        ax.plot(b, sigma2 / b, color="0.6", ls=":", lw=1.5,
                label=r"$\sigma^2/B$ (independent draws)")
    if predicted is not None:
        ax.plot(b, predicted, color="#1f77b4", lw=1.5,
                label=r"$\sigma^2 (n-B)\,/\,(B(n-1))$ (without replacement)")
    ax.plot(b, measured, "o", color="#d62728", label="measured")
    ax.legend(fontsize=8, loc="upper right")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("batch size $B$")
    ax.set_ylabel(r"$\mathbb{E}\,\|\nabla\mathcal{L}_B - \nabla\mathcal{L}\|^2$")
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(fontsize=8, loc="lower left")
    return fig


def plot_batch_size_curves(runs, n, show_time=True):
    """Full training loss for several batch sizes, on three clocks.

    Parameters
    ----------
    runs : dict
        Batch size B -> dict with ``epoch``, ``loss``, ``steps`` and
        optionally ``seconds`` (see :func:`sgd_runs`).
    n : int
        Number of training points (labels B = n as full batch).
    show_time : bool
        Add a third panel against measured wall-clock seconds (spread evenly
        over the epochs of each run; log scale, from the end of epoch 1).
    """
    ncols = 3 if show_time else 2
    # drawn at the book's column width (6.5 in at 100 dpi, not scaled down),
    # one shared loss axis and one legend above the panels
    fig = Figure(figsize=(6.5, 3.6), layout="constrained")
    axes = list(fig.subplots(1, ncols, sharey=True))
    for i, (b, run) in enumerate(runs.items()):
        label = "full batch" if b >= n else f"B = {b}"
        color = _FALLBACK_COLORS[i % len(_FALLBACK_COLORS)]
        loss = np.asarray(run["loss"], dtype=float)
        axes[0].plot(run["steps"], loss, color=color, label=label, lw=1.6)
        axes[1].plot(run["epoch"], loss, color=color, label=label, lw=1.6)
        if show_time:  # seconds spread evenly over the epochs; log axis from epoch 1
            epoch = np.asarray(run["epoch"], dtype=float)
            t = epoch / epoch[-1] * run["seconds"]
            axes[2].plot(t[1:], loss[1:], color=color, label=label, lw=1.6)
    axes[0].set_xscale("symlog", linthresh=10)
    axes[0].set_xlabel("updates $k$\n(log scale)", fontsize=10)
    axes[1].set_xlabel("epochs (gradient\nevaluations / $n$)", fontsize=10)
    if show_time:
        axes[2].set_xscale("log")
        axes[2].set_xlabel("seconds on the build\nmachine (log scale)", fontsize=10)
    for ax in axes:
        ax.set_yscale("log")
        ax.grid(True, alpha=0.3)
        ax.tick_params(labelsize=9, which="both")
    axes[0].set_ylabel("full training loss", fontsize=10)
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside upper center",
               ncols=len(runs), fontsize=10, frameon=False)
    return fig


# --------------------------------------------------------------------------
# chapter 11: schedules
# --------------------------------------------------------------------------

def plot_schedules(schedules, steps, ax=None):
    """Learning rate eta_k against step k for labelled schedules (log y).

    ``schedules`` maps a label to a callable ``k -> lr`` or to an array of
    rates. Returns the Figure (``ax`` draws into an existing axes instead).
    """
    if ax is None:
        fig, (ax,) = _figure(width=6.0, height=3.6)
    else:
        fig = ax.figure
    k = np.arange(int(steps))
    highest = 0.0
    for i, (label, sched) in enumerate(schedules.items()):
        rates = (np.asarray(sched, dtype=float) if not callable(sched)
                 else np.array([sched(j) for j in k], dtype=float))
        highest = max(highest, float(np.max(rates)))
        ax.step(np.arange(rates.size), rates, where="post",
                color=_FALLBACK_COLORS[i % len(_FALLBACK_COLORS)], label=label, lw=1.6)
    ax.set_yscale("log")
    # three and a half decades below the largest rate; a fast decay leaves
    # through the bottom
    ax.set_ylim(highest * 3e-4, highest * 2)
    ax.set_xlabel("step $k$")
    ax.set_ylabel(r"learning rate $\eta_k$")
    ax.grid(True, which="both", alpha=0.25)
    ax.legend(fontsize=8, loc="lower left")
    return fig


def plot_loss_curves(curves, logy=True, xlabel="step $k$", ylabel="training loss",
                     title=None, width=6.4, height=4.0):
    """Loss against iteration for labelled runs.

    ``curves`` maps a label to a History (uses ``loss`` and ``stop_reason``),
    an array of losses, or a pair ``(x, loss)``. A diverged run (stop reason
    "diverged" or a non-finite loss) ends in a cross at its last finite loss
    and its label says at which step.
    """
    fig, (ax,) = _figure(width=width, height=height)
    _draw_curves(ax, curves, logy=logy, xlabel=xlabel, ylabel=ylabel)
    if title:
        ax.set_title(title)
    return fig


def _smoothed(record, window):
    """``(x, loss)`` of a run averaged over ``window`` steps.

    A diverged run (non-finite losses, or ``stop_reason == "diverged"``)
    keeps a NaN at its end, so that it is still drawn as diverged.
    """
    x, loss, diverged = _curve(record)
    finite = np.isfinite(loss)
    stop = np.flatnonzero(finite)[-1] + 1 if finite.any() else 0
    if window <= 1 or stop < window:
        xs, avg = x[:stop], loss[:stop]
    else:
        avg = np.convolve(loss[:stop], np.ones(window) / window, mode="valid")
        xs = x[window - 1:stop]
    if diverged:
        xs = np.append(xs, x[stop] if stop < x.size else x[-1] + 1)
        avg = np.append(avg, np.nan)
    return xs, avg


def plot_schedule_runs(schedules, histories, steps, smooth=1):
    """Two panels: the schedules (left) and the training losses they gave (right).

    ``schedules`` and ``histories`` share their labels; the colours match.
    ``smooth`` > 1 draws the losses as running means over that many steps
    (useful for noisy mini-batch losses).
    """
    fig, axes = _figure(ncols=2, width=9.0, height=3.6)
    plot_schedules(schedules, steps, ax=axes[0])
    axes[0].get_legend().remove()  # the colours match the labelled right panel
    curves = {label: _smoothed(h, smooth) for label, h in histories.items()}
    _draw_curves(axes[1], curves, colors=_palette(schedules),
                 ylabel="training loss" + (f" (mean of {smooth} steps)" if smooth > 1 else ""))
    return fig


def _palette(labels):
    return {label: _FALLBACK_COLORS[i % len(_FALLBACK_COLORS)]
            for i, label in enumerate(labels)}


# --------------------------------------------------------------------------
# chapters 12-13: paths on two-dimensional test functions
# --------------------------------------------------------------------------

def plot_paths(fun, paths, xlim, ylim, minimizer=None, histories=None,
               levels=20, grid=160, title=None):
    """Optimizer paths over the contours of a 2-D loss, and their losses.

    Parameters
    ----------
    fun : callable
        ``fun(w) -> (loss, grad)`` for ``w`` of shape (2,).
    paths : dict
        Label -> iterates, array of shape (k+1, 2).
    xlim, ylim : (float, float)
        The window drawn; parts of a path outside it are cut off.
    minimizer : array_like, shape (2,), optional
        Marked with a star.
    histories : dict, optional
        Label -> History or losses; adds a right panel of loss against k.
    levels : int
        Number of contour levels, spaced logarithmically above the minimum.
    grid : int
        Grid points per axis for the contours.
    """
    ncols = 2 if histories else 1
    fig, axes = _figure(ncols=ncols, width=4.4 * ncols, height=3.9)
    ax = axes[0]
    xx, yy, zz = _grid_values(fun, xlim, ylim, grid)
    floor = zz.min()
    span = np.maximum(zz - floor, 0.0)
    top = span.max()
    low = max(top * 1e-5, np.min(span[span > 0])) if np.any(span > 0) else 1.0
    cs = ax.contour(xx, yy, span + low, levels=np.geomspace(low, top + low, levels),
                    colors="0.55", linewidths=0.7)
    cs.set_label("_contours")
    for i, (label, path) in enumerate(paths.items()):
        path = np.asarray(path, dtype=float)
        color = _color(label, i)
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.5, label=label,
                marker="o", markersize=2.5)
        ax.plot(path[0, 0], path[0, 1], "s", color="black", markersize=6)
    if minimizer is not None:
        ax.plot(*np.asarray(minimizer, dtype=float), "*", color="gold",
                markeredgecolor="black", markersize=15, label="minimiser")
    ax.set_xlim(xlim)
    ax.set_ylim(ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8, loc="lower right")  # "best" is slow with long paths
    if title:
        ax.set_title(title)
    if histories:
        colors = {label: _color(label, i) for i, label in enumerate(paths)}
        _draw_curves(axes[1], histories, colors=colors)
        if paths and not any(_curve(h)[2] for h in histories.values()):
            axes[1].get_legend().remove()  # same colours as the labelled paths
    return fig


def plot_quadratic_model(fun, points, xlim=(-2.2, 2.2), ylim=None):
    """The second-order model of a 1-D loss at several points, and Newton's step.

    Parameters
    ----------
    fun : callable
        ``fun(w) -> (L, L', L'')`` on arrays (e.g. :func:`tilted_double_well`).
    points : sequence of float
        Points w^k; one panel each, showing the model
        L(w^k) + L'(w^k)(w - w^k) + L''(w^k)(w - w^k)^2 / 2 and the point
        w^k - L'(w^k)/L''(w^k) where its derivative vanishes.
    """
    points = list(points)
    fig, axes = _figure(ncols=len(points), width=3.8 * len(points), height=3.6)
    w = np.linspace(*xlim, 400)
    value = fun(w)[0]
    for ax, wk in zip(axes, points):
        l0, l1, l2 = (float(v) for v in fun(np.array(wk)))
        model = l0 + l1 * (w - wk) + 0.5 * l2 * (w - wk) ** 2
        ax.plot(w, value, color="black", lw=1.8, label=r"$\mathcal{L}(w)$")
        ax.plot(w, model, color="#1f77b4", ls="--", lw=1.5, label="quadratic model")
        ax.plot(wk, l0, "o", color="black", label=r"$w^k$")
        if l2 != 0:
            wn = wk - l1 / l2
            mn = l0 + l1 * (wn - wk) + 0.5 * l2 * (wn - wk) ** 2
            kind = "minimum" if l2 > 0 else "maximum"
            ax.plot(wn, mn, "D", color="#d62728", label=f"Newton point (model's {kind})")
            ax.plot(wn, float(fun(np.array(wn))[0]), "o", mfc="none", mew=1.5,
                    color="#d62728", label="loss at the Newton point")
            ax.annotate("", xy=(wn, mn), xytext=(wk, l0),
                        arrowprops={"arrowstyle": "->", "color": "#d62728"})
        sign = "> 0" if l2 > 0 else "< 0"
        ax.set_title(rf"$w^k = {wk:g}$, $\mathcal{{L}}''(w^k) {sign}$", fontsize=10)
        ax.set_xlim(xlim)
        lo, hi = (value.min(), value.max()) if ylim is None else ylim
        pad = 0.15 * (hi - lo)
        ax.set_ylim(lo - pad, hi + pad)
        ax.set_xlabel("$w$")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=7, loc="upper center")
    return fig


# --------------------------------------------------------------------------
# explorers: scalars in, figure out (wrapped by lecture2.widgets.explorer)
# --------------------------------------------------------------------------

def sgd_explorer(batch_size=10, lr=0.2, epochs=30, seed=0):
    """Mini-batch SGD against full-batch descent on the sinusoid network.

    Both runs see the data ``epochs`` times from the same start; left: full
    training loss after each epoch; right: the two fitted curves.
    """
    problem = sinusoid_problem(seed=0)
    _net0, X, Y = problem
    n = X.shape[0]
    b = int(min(max(batch_size, 1), n))
    runs = sgd_runs([b, n] if b < n else [n], lr=lr, epochs=int(epochs),
                    problem=problem, seed=seed)
    fig, axes = _figure(ncols=2, width=9.0, height=3.5)
    xs = np.linspace(0, 1, 200)[:, None]
    axes[1].plot(X[:, 0], Y[:, 0], ".", color="0.6", label="data")
    for i, (bb, run) in enumerate(runs.items()):
        label = "full batch" if bb >= n else f"B = {bb}"
        color = _FALLBACK_COLORS[i]
        loss = run["loss"]
        ok = np.isfinite(loss)
        axes[0].plot(run["epoch"][ok], loss[ok], color=color, lw=1.6,
                     label=f"{label} ({run['steps'][-1]} updates)")
        pred = run["net"].forward(xs)[:, 0]
        if np.all(np.isfinite(pred)):
            axes[1].plot(xs[:, 0], pred, color=color, lw=2, label=label)
    axes[0].set_yscale("log")
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("full training loss")
    axes[0].grid(True, alpha=0.3)
    axes[0].legend(fontsize=8, loc="upper right")
    axes[0].set_title(rf"$\eta$ = {lr:g}, {epochs} epochs", fontsize=10)
    axes[1].set_xlabel("$x$")
    axes[1].set_ylabel("$y$")
    axes[1].legend(fontsize=8, loc="lower left")
    return fig


def _test_problem(function, kappa=25.0):
    """A 2-D test function by name: "quadratic", "tilted quadratic", "rosenbrock".

    The tilted quadratic is the same bowl turned by 30 degrees, so that its
    steep and flat directions are no longer the coordinate axes.
    """
    from lecture2.testfunctions import quadratic, rosenbrock

    if function == "quadratic":
        return quadratic(kappa)
    if function == "tilted quadratic":
        return quadratic(kappa, angle=np.pi / 6)
    if function == "rosenbrock":
        return rosenbrock()
    raise ValueError("function must be 'quadratic', 'tilted quadratic' or "
                     f"'rosenbrock'; got {function!r}")


# Learning rates of the gradient-descent reference runs in the explorers.
_GD_RATE = {"quadratic": 0.07, "tilted quadratic": 0.07, "rosenbrock": 1e-3}


def schedule_explorer(lr0=0.5, s=1000, batch_size=10, steps=2000, seed=3):
    """Exponential schedule eta_k = lr0 * 0.1**(k/s) against the constant lr0.

    Trains the sinusoid network (:func:`sinusoid_problem`) with mini-batch
    SGD under both and draws the schedules and the mini-batch losses
    (running means over 50 steps).
    """
    from lecture2.optim import Constant, Exponential

    schedules = {f"exponential, s = {s:g}": Exponential(lr0, s),
                 f"constant {lr0:g}": Constant(lr0)}
    with _quiet():
        histories = {label: schedule_run(sched, steps=steps, batch_size=batch_size,
                                         seed=seed)
                     for label, sched in schedules.items()}
    return plot_schedule_runs(schedules, histories, steps, smooth=50)


def optimizer_explorer(method="adam", function="rosenbrock", lr=0.1, beta=0.9,
                       steps=500):
    """One method against gradient descent on a 2-D test function.

    ``beta`` is the momentum decay of heavy ball and Nesterov, the decay of
    RMSProp's average, and ``beta1`` of Adam and Nadam (AdaGrad has none).
    Gradient descent runs at a fixed rate that suits the function. The
    quadratics have condition number 25; every run starts at the test
    function's ``start``.
    """
    if method not in METHOD_LABELS or method in ("newton", "bfgs", "lbfgs"):
        raise ValueError("method must be a first-order method, one of 'gd', "
                         "'heavy_ball', 'nesterov', 'adagrad', 'rmsprop', 'adam', "
                         f"'nadam'; got {method!r}")
    fun = _test_problem(function)
    kwargs = {"heavy_ball": {"beta": beta}, "nesterov": {"beta": beta},
              "rmsprop": {"beta": beta}, "adam": {"beta1": beta},
              "nadam": {"beta1": beta}}.get(method, {})
    methods = {"GD": ("gd", _GD_RATE[function], {}),
               METHOD_LABELS[method]: (method, lr, kwargs)}
    paths, histories = optimizer_runs(fun, fun.start, methods, steps=int(steps))
    return plot_paths(fun, paths, fun.xlim, fun.ylim, minimizer=fun.minimizer,
                      histories=histories)


def second_order_explorer(function="rosenbrock", x0=-1.2, y0=1.0, steps=100):
    """Gradient descent, Newton, BFGS and L-BFGS from the start (x0, y0).

    The quadratics have condition number 100 (gradient descent at rate
    0.019, just under its stability limit 2/100).
    """
    fun = _test_problem(function, kappa=100.0)
    gd_rate = _GD_RATE["rosenbrock"] if function == "rosenbrock" else 0.019
    methods = {"GD": ("gd", gd_rate, {}), "Newton": ("newton", 1.0, {}),
               "BFGS": ("bfgs", 1.0, {}), "L-BFGS": ("lbfgs", 1.0, {"memory": 5})}
    paths, histories = optimizer_runs(fun, (x0, y0), methods, steps=int(steps))
    return plot_paths(fun, paths, fun.xlim, fun.ylim, minimizer=fun.minimizer,
                      histories=histories)
