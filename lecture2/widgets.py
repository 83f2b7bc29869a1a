"""Interactive explorers: a plot function with live controls.

:func:`explorer` turns a plot function (parameters in, matplotlib
:class:`~matplotlib.figure.Figure` out, see :mod:`lecture2.plots`) into a
small app: one control per named parameter and the figure underneath, redrawn
when a control is released.

The object it returns displays as one output that carries two
representations:

- ``application/vnd.jupyter.widget-view+json``: the live controls and figure.
  JupyterLab, Notebook 7, Colab and VS Code rank the widget view above
  images, so that is what a reader with a running kernel sees.
- ``image/png``: the figure drawn with the function's defaults. The static
  book prefers it (``nb_mime_priority_overrides`` in ``_config.yml``), so the
  page shows the default view without a kernel, without widget JavaScript and
  without saved widget state. A front end that cannot show widgets (an
  untrusted notebook, a notebook viewer) falls back to it as well.

Example
-------
>>> from lecture2 import plots, widgets                      # doctest: +SKIP
>>> widgets.explorer(plots.nonlinearity_figure,             # doctest: +SKIP
...                  name=["tanh", "relu", "elu"], alpha=(0.1, 3.0, 0.1))
"""

from __future__ import annotations

import base64
import functools
import inspect

import ipywidgets
from IPython.display import Image, clear_output, display
from matplotlib.figure import Figure

from .plots.common import figure_to_png

__all__ = ["Explorer", "explorer"]

_WIDGET_MIMETYPE = "application/vnd.jupyter.widget-view+json"


def _make_control(name, spec, default):
    """Turn one control specification into a widget that starts at ``default``."""
    if isinstance(spec, ipywidgets.ValueWidget):
        widget = spec
        if widget.value != default:
            raise ValueError(
                f"control {name!r} starts at {widget.value!r} but the plot "
                f"function's default is {default!r}; set the widget's value to "
                "the default (the static book shows the default figure)"
            )
    elif isinstance(spec, (tuple, list, dict)):
        try:
            widget = ipywidgets.interactive.widget_from_abbrev(spec, default)
        except Exception as exc:  # ipywidgets' own message is not about `name`
            raise ValueError(
                f"control {name!r}: cannot make a widget from {spec!r} ({exc})"
            ) from exc
        if widget is None:
            raise ValueError(
                f"control {name!r} must be (min, max), (min, max, step), a list "
                f"or dict of options, or an ipywidgets ValueWidget; got {spec!r}"
            )
        # ipywidgets silently ignores a default it cannot set: a default
        # outside the slider's range or not among the options would put the
        # live view and the static figure out of step, so refuse it.
        if widget.value != default:
            raise ValueError(
                f"control {name!r}: the plot function's default {default!r} is "
                f"not reachable with {spec!r} (out of range or not an option)"
            )
    else:
        raise TypeError(
            f"control {name!r} must be (min, max), (min, max, step), a list or "
            f"dict of options, or an ipywidgets ValueWidget; got {spec!r}"
        )
    if hasattr(widget, "continuous_update"):
        widget.continuous_update = False  # redraw on release, not while dragging
    if not widget.description:
        widget.description = name
    widget.style.description_width = "initial"
    return widget


class Explorer(ipywidgets.VBox):
    """Live controls over a plot function, with a static default image.

    Made by :func:`explorer`; see there for the parameters.

    Attributes
    ----------
    plot_fn : callable
        The wrapped plot function (``functools.wraps`` keeps its name,
        docstring and signature).
    controls : dict of str to ipywidgets.ValueWidget
        One widget per controlled parameter, starting at its default.
    defaults : dict
        The plot function's default of each controlled parameter.
    output : ipywidgets.Output
        Where the current figure is drawn.
    default_png : bytes
        PNG of ``plot_fn()`` with every parameter at its default.
    """

    def __init__(self, plot_fn, controls, defaults):
        self.controls = controls
        self.output = ipywidgets.Output()
        self.defaults = dict(defaults)

        @functools.wraps(plot_fn)
        def draw(**kwargs):
            fig = plot_fn(**kwargs)
            if not isinstance(fig, Figure):
                raise TypeError(
                    f"plot_fn {getattr(plot_fn, '__name__', plot_fn)!r} must return "
                    f"a matplotlib.figure.Figure; got {type(fig).__name__}"
                )
            return figure_to_png(fig)

        self.plot_fn = draw
        self.default_png = draw(**self.defaults)
        self._show(self.default_png)
        super().__init__(
            children=[ipywidgets.HBox(list(controls.values()),
                                      layout=ipywidgets.Layout(flex_flow="row wrap")),
                      self.output]
        )
        for widget in controls.values():
            widget.observe(self._on_change, names="value")

    @property
    def kwargs(self):
        """The current value of every controlled parameter."""
        return {name: widget.value for name, widget in self.controls.items()}

    def _show(self, png):
        with self.output:
            clear_output(wait=True)  # replace the old frame without a flicker
            display(Image(data=png, format="png"))

    def _on_change(self, change=None):
        # An exception inside `with self.output` is shown in the output area
        # (a traceback under the controls), not lost in the kernel log; in a
        # kernel the Output widget then swallows it, so there is no new frame.
        png = None
        with self.output:
            png = self.plot_fn(**self.kwargs)
        if png is not None:
            self._show(png)

    def _repr_mimebundle_(self, **kwargs):
        # ipywidgets 7 (still preinstalled on some hosted notebooks) displays
        # widgets through _ipython_display_ and has no _repr_mimebundle_:
        # there IPython never calls this method, and the live widget shows.
        base = getattr(super(), "_repr_mimebundle_", None)
        data = base(**kwargs) if base is not None else {}
        if _WIDGET_MIMETYPE not in data:  # closed widget: nothing live to show
            return data
        names = ", ".join(self.controls) or "no controls"
        data["text/plain"] = (
            f"Explorer of {self.plot_fn.__name__} ({names}); the live controls "
            "need a running Python kernel"
        )
        data["image/png"] = base64.b64encode(self.default_png).decode("ascii")
        return data


def explorer(plot_fn, **controls):
    """Wrap a plot function in live controls.

    Parameters
    ----------
    plot_fn : callable
        ``plot_fn(**params) -> matplotlib.figure.Figure``. Every parameter
        must have a default: the explorer starts there, and the static book
        shows the figure of ``plot_fn()``.
    **controls
        One entry per parameter to control, named as in ``plot_fn``:

        - ``(min, max)`` or ``(min, max, step)``: a slider (integer when all
          three are ints, float otherwise);
        - a list or dict: a dropdown of the options;
        - an ``ipywidgets.ValueWidget``: used as it is (its value must equal
          the default).

        Sliders redraw when released (``continuous_update=False``).

    Returns
    -------
    Explorer
        A widget. Its display carries the live widget and a PNG of the
        default figure, so it is meaningful both with and without a kernel.

    Raises
    ------
    TypeError
        If ``plot_fn`` is not callable or does not return a Figure, or a
        control is of a type that cannot become a widget.
    ValueError
        If a control names no parameter of ``plot_fn``, cannot be turned into
        a widget, or cannot reach the parameter's default; or if a parameter
        of ``plot_fn`` has no default.
    """
    if not callable(plot_fn):
        raise TypeError(
            f"plot_fn must be a callable returning a Figure; got {type(plot_fn).__name__}"
        )
    signature = inspect.signature(plot_fn)
    params = signature.parameters
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    missing = [n for n, p in params.items()
               if p.kind not in variadic and p.default is inspect.Parameter.empty]
    if missing:
        raise ValueError(
            f"every parameter of plot_fn {plot_fn.__name__!r} needs a default "
            f"(the explorer starts there); no default for {', '.join(missing)}"
        )
    unknown = [n for n in controls
               if n not in params or params[n].kind in variadic]
    if unknown:
        known = ", ".join(n for n, p in params.items() if p.kind not in variadic)
        raise ValueError(
            f"control {unknown[0]!r} is not a parameter of {plot_fn.__name__!r}; "
            f"expected one of: {known or '(none)'}"
        )
    defaults = {n: params[n].default for n in controls}
    widgets = {n: _make_control(n, spec, defaults[n]) for n, spec in controls.items()}
    return Explorer(plot_fn, widgets, defaults)
