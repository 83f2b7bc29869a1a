"""Tests of lecture2.plots.optimizers (figures and precomputations of ch. 10-13)."""

import warnings

import numpy as np
import pytest
from matplotlib.figure import Figure
from numpy.testing import assert_allclose

from lecture2.plots import optimizers as po


class _Run:
    """A minimal stand-in for lecture2.training.History."""

    def __init__(self, loss, stop_reason="budget"):
        self.loss = np.asarray(loss, dtype=float)
        self.stop_reason = stop_reason
        self.steps = self.loss.size


def _bowl(w):
    """L(w) = (w1^2 + 10 w2^2) / 2, for contour tests."""
    w = np.asarray(w, dtype=float)
    return 0.5 * (w[0] ** 2 + 10 * w[1] ** 2), np.array([w[0], 10 * w[1]])


# --------------------------------------------------------------------------
# pure helpers
# --------------------------------------------------------------------------

def test_tilted_double_well_derivatives_match_finite_differences():
    w = np.linspace(-2, 2, 9)
    h = 1e-5
    value, d1, d2 = po.tilted_double_well(w)
    assert_allclose(value, w**4 / 4 - w**2 + w / 2, rtol=0, atol=1e-14)
    fd1 = (po.tilted_double_well(w + h)[0] - po.tilted_double_well(w - h)[0]) / (2 * h)
    fd2 = (po.tilted_double_well(w + h)[1] - po.tilted_double_well(w - h)[1]) / (2 * h)
    assert_allclose(d1, fd1, atol=1e-8)
    assert_allclose(d2, fd2, atol=1e-8)


def test_hessian_memory_rows_counts_and_bytes():
    rows = po.hessian_memory_rows({"small": [1, 16, 16, 1], "given": 1000})
    assert rows[0] == ("small", 321, 8 * 321, 8 * 321**2)
    assert rows[1] == ("given", 1000, 8000, 8_000_000)
    table = po.format_hessian_table(rows)
    assert "824 kB" in table  # 8 * 321^2 = 824,328 bytes
    assert "8 MB" in table
    assert "321" in table


def test_format_loss():
    assert po.format_loss(0.012345) == "1.23e-02"
    assert po.format_loss(3e-20) == "below 1e-12"
    assert po.format_loss(0.0) == "below 1e-12"
    assert po.format_loss(np.nan) == "diverged"
    assert po.format_loss(5e-9, floor=1e-8) == "below 1e-08"


def test_bytes_units():
    assert po._bytes(999) == "999 B"
    assert po._bytes(5.2e15) == "5.2 PB"


def test_curve_accepts_history_array_and_pair():
    x, _, div = po._curve(_Run([3.0, 2.0, np.nan], "diverged"))
    assert_allclose(x, [0, 1, 2])
    assert div
    x, _loss, div = po._curve(([0, 10, 20], [1.0, 0.5, 0.25]))
    assert_allclose(x, [0, 10, 20])
    assert not div
    with pytest.raises(ValueError, match="same shape"):
        po._curve(([0, 1], [1.0, 2.0, 3.0]))


def test_smoothed_is_a_running_mean_and_keeps_divergence():
    x, avg = po._smoothed(np.arange(10.0), 4)
    assert_allclose(x, np.arange(3, 10))
    assert_allclose(avg, np.arange(3, 10) - 1.5)
    loss = np.r_[np.ones(8), np.inf, np.nan]
    x, avg = po._smoothed(_Run(loss, "diverged"), 4)
    assert np.isnan(avg[-1]) and x[-1] == 8
    assert_allclose(avg[:-1], 1.0)


# --------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------

def test_plot_loss_curves_marks_divergence():
    fig = po.plot_loss_curves({"ok": _Run([1.0, 0.5, 0.25]),
                               "bad": _Run([1.0, 4.0, 20.0, np.inf], "diverged")})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["ok", "bad (diverged at step 3)"]  # losses of steps 0-2 finite
    cross = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(cross) == 1
    # the axis stops at 3 x the largest starting loss; the cross sits where
    # the run leaves it
    assert_allclose(cross[0].get_xydata(), [[1.0, 3.0]])
    assert_allclose(ax.get_ylim()[1], 3.0)
    assert ax.get_yscale() == "log"


def test_divergence_inside_the_axis_is_marked_at_the_last_finite_loss():
    fig = po.plot_loss_curves({"bad": _Run([1.0, 2.0, 2.5, np.nan], "diverged")})
    cross = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "x"]
    assert_allclose(cross[0].get_xydata(), [[2.0, 2.5]])


def test_plot_schedules_draws_the_rates():
    fig = po.plot_schedules({"exp": lambda k: 0.5 * 0.1 ** (k / 10)}, steps=30)
    line = fig.axes[0].get_lines()[0]
    assert_allclose(line.get_ydata(), 0.5 * 0.1 ** (np.arange(30) / 10), rtol=1e-12)


def test_plot_schedule_runs_colours_match():
    scheds = {"a": lambda k: 0.1, "b": lambda k: 0.01}
    runs = {"a": _Run(np.linspace(1, 0.1, 20)), "b": _Run(np.linspace(1, 0.5, 20))}
    fig = po.plot_schedule_runs(scheds, runs, steps=20, smooth=5)
    left, right = fig.axes
    assert [ln.get_color() for ln in left.get_lines()] == \
        [ln.get_color() for ln in right.get_lines()]
    assert right.get_lines()[0].get_xdata()[0] == 4  # first full window


def test_plot_gradient_noise_lines():
    b = np.array([1, 2, 4, 8])
    fig = po.plot_gradient_noise(b, 2.0 / b, predicted=2.0 / b, sigma2=2.0)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert len(ax.get_lines()) == 3
    assert_allclose(ax.get_lines()[-1].get_ydata(), [2.0, 1.0, 0.5, 0.25])


def test_plot_batch_size_curves_axes():
    runs = {10: {"epoch": np.arange(3), "loss": [1.0, 0.5, 0.3],
                 "steps": np.arange(3) * 20, "seconds": 0.2},
            200: {"epoch": np.arange(3), "loss": [1.0, 0.9, 0.8],
                  "steps": np.arange(3), "seconds": 0.1}}
    fig = po.plot_batch_size_curves(runs, n=200)
    assert len(fig.axes) == 3
    assert_allclose(fig.axes[0].get_lines()[0].get_xdata(), [0, 20, 40])
    assert_allclose(fig.axes[2].get_lines()[1].get_xdata(), [0.05, 0.1])
    (legend,) = fig.legends  # one legend for the three panels
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels == ["B = 10", "full batch"]
    assert min(t.get_fontsize() for t in legend.get_texts()) >= 9
    assert fig.get_figwidth() <= 6.5
    assert len(po.plot_batch_size_curves(runs, n=200, show_time=False).axes) == 2


def test_plot_paths_draws_paths_and_losses():
    path = np.array([[-1.0, 0.5], [-0.5, -0.3], [0.0, 0.0]])
    fig = po.plot_paths(_bowl, {"gd": path}, xlim=(-2, 2), ylim=(-1, 1),
                        minimizer=(0, 0), histories={"gd": _Run([5.0, 1.0, 0.0 + 1e-9])},
                        grid=30)
    ax, ax2 = fig.axes
    gd_line = next(ln for ln in ax.get_lines() if ln.get_label() == "gd")
    assert_allclose(gd_line.get_xydata(), path)
    assert gd_line.get_color() == po.METHOD_COLORS["gd"]
    assert ax2.get_lines()[0].get_color() == po.METHOD_COLORS["gd"]
    assert ax2.get_legend() is None  # the paths' legend names the colours
    fig = po.plot_paths(_bowl, {"gd": path}, xlim=(-2, 2), ylim=(-1, 1),
                        histories={"gd": _Run([5.0, np.inf], "diverged")}, grid=30)
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert labels == ["gd (diverged at step 1)"]


def test_plot_quadratic_model_newton_point():
    fig = po.plot_quadratic_model(po.tilted_double_well, points=[1.6, 0.3])
    for ax, wk in zip(fig.axes, [1.6, 0.3]):
        _, l1, l2 = po.tilted_double_well(wk)
        newton = next(ln for ln in ax.get_lines() if ln.get_marker() == "D")
        assert_allclose(newton.get_xdata()[0], wk - l1 / l2, rtol=1e-12)
    titles = [ax.get_title() for ax in fig.axes]
    assert "> 0" in titles[0] and "< 0" in titles[1]


# --------------------------------------------------------------------------
# precomputations and explorers (use the numerical core)
# --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def problem():
    return po.sinusoid_problem(n=40, sizes=(1, 4, 1), seed=0)


def test_sinusoid_problem_is_seeded(problem):
    net, X, Y = problem
    net2, X2, Y2 = po.sinusoid_problem(n=40, sizes=(1, 4, 1), seed=0)
    assert_allclose(X, X2, rtol=0, atol=0)
    assert X.shape == (40, 1) and Y.shape == (40, 1) and net.p == 13
    assert_allclose(net.w, net2.w, rtol=0, atol=0)
    assert_allclose(Y, Y2, rtol=0, atol=0)


def test_gradient_noise_matches_the_finite_population_formula(problem):
    net, X, Y = problem
    noise = po.gradient_noise(net, X, Y, [1, 5, 20, 40], draws=2000, seed=0)
    # B = n: the mini-batch gradient is the full gradient
    assert_allclose(noise["measured"][-1], 0.0, atol=1e-20)
    assert_allclose(noise["predicted"][-1], 0.0, atol=1e-20)
    # B = 1 and the others: within sampling error of sigma^2/B (n-B)/(n-1)
    assert_allclose(noise["measured"][:3], noise["predicted"][:3], rtol=0.1)
    assert_allclose(noise["predicted"][0], noise["sigma2"], rtol=1e-12)
    with pytest.raises(ValueError, match="batch_sizes"):
        po.gradient_noise(net, X, Y, [0, 5])


def test_every_optimizer_and_schedule_is_used_in_chapters_10_to_13():
    import json
    from pathlib import Path

    from lecture2.optim import OPTIMIZERS

    book = Path(__file__).resolve().parents[1] / "book"
    source = ""
    for name in ("10_sgd", "11_schedules", "12_momentum_adaptive", "13_second_order"):
        cells = json.loads((book / f"{name}.ipynb").read_text())["cells"]
        source += "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    for name in OPTIMIZERS:
        assert f'"{name}"' in source, name
    for schedule in ("Constant(", "Exponential(", "PiecewiseConstant("):
        assert schedule in source, schedule


def test_sgd_runs_records_one_loss_per_epoch(problem):
    net, X, Y = problem
    w_before = net.w.copy()
    runs = po.sgd_runs([8, 40], lr=0.1, epochs=3, problem=problem, seed=1)
    assert_allclose(net.w, w_before, rtol=0, atol=0)  # the caller's net is untouched
    assert_allclose(runs[8]["steps"], [0, 5, 10, 15])
    assert_allclose(runs[8]["epoch"], [0, 1, 2, 3])
    assert_allclose(runs[40]["steps"], [0, 1, 2, 3])
    # epoch 0 is the starting loss of every run; the last is the trained net's loss
    assert_allclose(runs[8]["loss"][0], net.loss(X, Y), rtol=1e-12)
    assert_allclose(runs[40]["loss"][-1], runs[40]["net"].loss(X, Y), rtol=1e-12)


def test_optimizer_runs_newton_solves_a_quadratic_in_one_step():
    from lecture2.testfunctions import quadratic

    bowl = quadratic(kappa=100.0)
    paths, hists = po.optimizer_runs(
        bowl, bowl.start, {"GD": ("gd", 0.019, {}), "Newton": ("newton", 1.0, {})},
        steps=5)
    assert_allclose(paths["Newton"][1], [0.0, 0.0], atol=1e-10)
    # GD: w1 = w0 - lr * A w0 with A = diag(1, 100)
    w0 = bowl.start
    assert_allclose(paths["GD"][1], w0 - 0.019 * np.array([1.0, 100.0]) * w0,
                    rtol=1e-12)
    assert paths["GD"].shape == (6, 2)
    assert hists["Newton"].stop_reason == "tolerance"


def test_optimizer_runs_reports_divergence_without_warning():
    from lecture2.testfunctions import quadratic

    bowl = quadratic(kappa=10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, hists = po.optimizer_runs(bowl, bowl.start, {"GD": ("gd", 1.0, {})},
                                     steps=2000)
    assert hists["GD"].stop_reason == "diverged"


def test_schedule_run_same_batches_for_every_schedule(problem):
    a = po.schedule_run(0.1, steps=12, batch_size=8, seed=2, problem=problem)
    b = po.schedule_run(lambda k: 0.1, steps=12, batch_size=8, seed=2, problem=problem)
    assert_allclose(a.loss, b.loss, rtol=0, atol=0)
    assert a.loss.shape == (12,)


@pytest.mark.parametrize("explorer, kwargs", [
    (po.sgd_explorer, {"epochs": 2}),
    (po.schedule_explorer, {"steps": 60}),
    (po.optimizer_explorer, {"steps": 20, "function": "tilted quadratic",
                             "method": "nesterov", "lr": 0.02}),
    (po.second_order_explorer, {"steps": 5, "function": "quadratic"}),
])
def test_explorers_return_figures(explorer, kwargs):
    fig = explorer(**kwargs)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2


def test_explorers_reject_bad_choices():
    with pytest.raises(ValueError, match="function"):
        po.optimizer_explorer(function="himmelblau", steps=2)
    with pytest.raises(ValueError, match="first-order"):
        po.optimizer_explorer(method="newton", steps=2)
