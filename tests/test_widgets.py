"""Tests for lecture2.widgets.explorer and the shared plot helpers."""

import base64

import ipywidgets
import numpy as np
import pytest
from matplotlib.figure import Figure

from lecture2.plots.common import figure_to_png, new_figure
from lecture2.widgets import Explorer, explorer

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def wave(freq=2.0, phase=0.0, kind="sin", points=200):
    """A small plot function with one default per parameter."""
    x = np.linspace(0.0, 1.0, points)
    y = np.sin(2 * np.pi * freq * x + phase)
    if kind == "cos":
        y = np.cos(2 * np.pi * freq * x + phase)
    fig, ax = new_figure(width=4.0, height=3.0)
    ax.plot(x, y)
    return fig


def png_of(bundle):
    return base64.b64decode(bundle["image/png"])


def test_bundle_carries_widget_and_the_default_png():
    app = explorer(wave, freq=(0.5, 5.0, 0.5), kind=["sin", "cos"])
    bundle = app._repr_mimebundle_()
    assert WIDGET_MIME in bundle
    assert bundle[WIDGET_MIME]["model_id"] == app.model_id
    assert png_of(bundle) == figure_to_png(wave())
    assert png_of(bundle).startswith(b"\x89PNG\r\n\x1a\n")
    # a different parameter value gives a different image: the check has teeth
    assert png_of(bundle) != figure_to_png(wave(freq=3.0))
    assert bundle["text/plain"].startswith("Explorer of wave (freq, kind)")


def test_controls_start_at_the_defaults():
    app = explorer(wave, freq=(0.5, 5.0, 0.5), points=(10, 400, 10),
                   kind={"sine": "sin", "cosine": "cos"})
    assert app.kwargs == {"freq": 2.0, "points": 200, "kind": "sin"}
    freq, points, kind = (app.controls[n] for n in ("freq", "points", "kind"))
    assert isinstance(freq, ipywidgets.FloatSlider)
    assert (freq.min, freq.max, freq.step) == (0.5, 5.0, 0.5)
    assert isinstance(points, ipywidgets.IntSlider)
    assert isinstance(kind, ipywidgets.Dropdown)
    assert freq.continuous_update is False
    assert points.continuous_update is False
    assert freq.description == "freq"
    assert app.plot_fn.__name__ == "wave"  # functools.wraps keeps the identity
    assert app.plot_fn.__doc__ == wave.__doc__


def test_a_given_widget_is_used_as_is():
    slider = ipywidgets.FloatSlider(value=0.0, min=-3.0, max=3.0, description="phase φ")
    app = explorer(wave, phase=slider)
    assert app.controls["phase"] is slider
    assert slider.description == "phase φ"


def test_changing_a_control_redraws_with_the_new_value():
    calls = []

    def recorded(freq=2.0, kind="sin"):
        calls.append({"freq": freq, "kind": kind})
        return wave(freq=freq, kind=kind)

    app = explorer(recorded, freq=(0.5, 5.0, 0.5), kind=["sin", "cos"])
    assert calls == [{"freq": 2.0, "kind": "sin"}]
    app.controls["freq"].value = 3.5
    app.controls["kind"].value = "cos"
    assert calls[1:] == [{"freq": 3.5, "kind": "sin"}, {"freq": 3.5, "kind": "cos"}]
    # the stored default image does not move with the controls
    assert png_of(app._repr_mimebundle_()) == figure_to_png(wave())


def test_is_a_widget_container():
    app = explorer(wave, freq=(0.5, 5.0))
    assert isinstance(app, Explorer)
    assert isinstance(app, ipywidgets.VBox)
    assert app.children[-1] is app.output


@pytest.mark.parametrize(
    ("controls", "error", "words"),
    [
        ({"frequency": (0.5, 5.0)}, ValueError, ["'frequency'", "freq, phase"]),
        ({"freq": (3.0, 5.0)}, ValueError, ["'freq'", "2.0", "not reachable"]),
        ({"kind": ["tan", "cos"]}, ValueError, ["'kind'", "'sin'"]),
        ({"points": (10, 100)}, ValueError, ["'points'", "200"]),
        ({"freq": "fast"}, TypeError, ["'freq'", "'fast'"]),
        ({"freq": 2.0}, TypeError, ["'freq'", "(min, max)"]),
        ({"freq": ipywidgets.FloatSlider(value=1.0)}, ValueError, ["'freq'", "1.0", "2.0"]),
    ],
)
def test_a_bad_control_raises_a_clear_error(controls, error, words):
    with pytest.raises(error) as info:
        explorer(wave, **controls)
    for word in words:
        assert word in str(info.value)


def test_plot_fn_must_be_callable_with_defaults_and_return_a_figure():
    with pytest.raises(TypeError, match="plot_fn must be a callable"):
        explorer(None)

    def needs_x(x, freq=1.0):
        return wave(freq)

    with pytest.raises(ValueError, match="no default for x"):
        explorer(needs_x, freq=(0.5, 5.0))

    def not_a_figure(freq=1.0):
        return [freq]

    with pytest.raises(TypeError, match="must return a matplotlib.figure.Figure; got list"):
        explorer(not_a_figure, freq=(0.5, 5.0))


def test_figure_to_png_is_deterministic_and_checks_its_input():
    assert figure_to_png(wave()) == figure_to_png(wave())
    with pytest.raises(TypeError, match="fig must be a matplotlib.figure.Figure; got str"):
        figure_to_png("figure")


def test_new_figure_builds_without_pyplot():
    fig, axes = new_figure(1, 2, width=6.0, height=2.5)
    assert isinstance(fig, Figure)
    assert axes.shape == (2,)
    np.testing.assert_allclose(fig.get_size_inches(), [6.0, 2.5], rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="ncols must be a positive int; got 0"):
        new_figure(1, 0)
    with pytest.raises(ValueError, match="width must be a figure size"):
        new_figure(width=-1)


def test_in_a_kernel_a_control_change_replaces_the_figure(tmp_path):
    """Run the explorer in a real IPython kernel: the Output widget first holds
    the default figure, and after a control change exactly one new figure,
    the one for the new value (nbclient plays the front end's part)."""
    import hashlib
    import os

    import nbformat
    from nbclient import NotebookClient

    code = '''\
import hashlib
import numpy as np
from lecture2 import plots, widgets
from lecture2.plots.common import figure_to_png

def demo(freq=2.0):
    fig, ax = plots.new_figure(width=3.0, height=2.0)
    x = np.linspace(0.0, 1.0, 100)
    ax.plot(x, np.sin(2 * np.pi * freq * x))
    return fig

app = widgets.explorer(demo, freq=(0.5, 5.0, 0.5))
app'''
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(code),
        nbformat.v4.new_code_cell(
            "print(app.output.model_id, hashlib.sha1(figure_to_png(demo())).hexdigest())"),
        nbformat.v4.new_code_cell("app.controls['freq'].value = 3.5"),
        nbformat.v4.new_code_cell("print(hashlib.sha1(figure_to_png(demo(3.5))).hexdigest())"),
    ]
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    client = NotebookClient(nb, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute(env=env)

    bundle = nb.cells[0].outputs[0]["data"]
    assert WIDGET_MIME in bundle and "image/png" in bundle
    output_id, default_sha = nb.cells[1].outputs[0]["text"].split()
    new_sha = nb.cells[3].outputs[0]["text"].strip()
    assert hashlib.sha1(base64.b64decode(bundle["image/png"])).hexdigest() == default_sha
    assert default_sha != new_sha

    state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    shown = state[output_id]["state"]["outputs"]
    assert len(shown) == 1
    assert hashlib.sha1(base64.b64decode(shown[0]["data"]["image/png"])).hexdigest() == new_sha


def test_a_failing_redraw_in_a_kernel_raises_nothing_more(monkeypatch):
    # In a kernel the Output widget shows the traceback and swallows the
    # exception; the redraw must then stop there, not raise UnboundLocalError.
    from ipywidgets.widgets import widget_output

    shown = []

    class Shell:
        def showtraceback(self, exc_tuple, tb_offset=None):
            shown.append(exc_tuple[0])

    def flaky(freq=2.0):
        if freq != 2.0:
            raise ValueError("freq out of range")
        return wave(freq=freq)

    app = explorer(flaky, freq=(0.5, 5.0, 0.5))
    monkeypatch.setattr(widget_output, "get_ipython", lambda: Shell())
    app.controls["freq"].value = 3.0  # must not raise
    assert shown == [ValueError]
