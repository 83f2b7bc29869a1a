"""Tests of lecture2.plots.optimizers (figures and precomputations of ch. 10-13)."""

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
    assert labels == ["ok", "bad (diverged at step 3)"]
    cross = [line for line in ax.get_lines() if line.get_marker() == "x"]
    assert len(cross) == 1
    # the axis stops at 10 x the largest starting loss; the cross sits where
    # the run leaves it
    assert_allclose(cross[0].get_xydata(), [[2.0, 10.0]])
    assert_allclose(ax.get_ylim()[1], 10.0)
    assert ax.get_yscale() == "log"


def test_divergence_inside_the_axis_is_marked_at_the_last_finite_loss():
    fig = po.plot_loss_curves({"bad": _Run([1.0, 2.0, 3.0, np.nan], "diverged")})
    cross = [ln for ln in fig.axes[0].get_lines() if ln.get_marker() == "x"]
    assert_allclose(cross[0].get_xydata(), [[2.0, 3.0]])


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
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["B = 10", "full batch"]
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


def test_plot_quadratic_model_newton_point():
    fig = po.plot_quadratic_model(po.tilted_double_well, points=[1.6, 0.3])
    for ax, wk in zip(fig.axes, [1.6, 0.3]):
        _, l1, l2 = po.tilted_double_well(wk)
        newton = next(ln for ln in ax.get_lines() if ln.get_marker() == "D")
        assert_allclose(newton.get_xdata()[0], wk - l1 / l2, rtol=1e-12)
    titles = [ax.get_title() for ax in fig.axes]
    assert "> 0" in titles[0] and "< 0" in titles[1]
