"""Style helpers shared by every plot module.

Plot functions in :mod:`lecture2.plots` build their figures with
:class:`matplotlib.figure.Figure` directly, never with ``pyplot``: nothing is
registered globally, nothing is shown twice, and a figure is freed as soon as
the caller drops it. This module holds what they share: the figure factory,
the colours, and the conversion of a figure to PNG bytes used by the inline
display and by :func:`lecture2.widgets.explorer`.
"""

from __future__ import annotations

import io

from matplotlib.figure import Figure

__all__ = [
    "COLORS",
    "DPI",
    "enable_inline_png",
    "figure_to_png",
    "new_figure",
]

#: Resolution of every PNG the package writes (inline figures, explorers).
DPI = 100

#: A colour-blind safe cycle (Okabe-Ito), in the order plots use it.
COLORS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)


def new_figure(nrows=1, ncols=1, *, width=6.4, height=4.0, squeeze=True, **kwargs):
    """Make a figure and its axes without touching ``pyplot``.

    Parameters
    ----------
    nrows, ncols : int
        Grid of axes, as in :meth:`matplotlib.figure.Figure.subplots`.
    width, height : float
        Figure size in inches.
    squeeze : bool
        Passed to ``subplots``: a single axes comes back unwrapped.
    **kwargs
        Passed to ``subplots`` (for example ``sharex=True``).

    Returns
    -------
    fig : matplotlib.figure.Figure
    axes : matplotlib.axes.Axes or numpy.ndarray of Axes
    """
    for name, value in (("nrows", nrows), ("ncols", ncols)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"{name} must be a positive int; got {value!r}")
    for name, value in (("width", width), ("height", height)):
        if not isinstance(value, (int, float)) or not 0 < value < 100:
            raise ValueError(
                f"{name} must be a figure size in inches in (0, 100); got {value!r}"
            )
    fig = Figure(figsize=(width, height), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=squeeze, **kwargs)
    return fig, axes


def figure_to_png(fig, dpi=DPI):
    """Render a figure to PNG bytes (tight bounding box, fixed resolution).

    The same bytes come out for the same figure, so a test can compare the
    image an explorer stores with a fresh call of its plot function.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure to render.
    dpi : float
        Dots per inch.

    Returns
    -------
    bytes
        The PNG file contents.
    """
    if not isinstance(fig, Figure):
        raise TypeError(
            f"fig must be a matplotlib.figure.Figure; got {type(fig).__name__}"
        )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, bbox_inches="tight")
    return buffer.getvalue()


def _png_formatter(fig):
    return figure_to_png(fig)


def enable_inline_png():
    """Make IPython show a bare :class:`~matplotlib.figure.Figure` as a PNG.

    Without ``pyplot`` the inline backend is never loaded, and a figure left
    as the last expression of a cell shows only its text repr. This registers
    :func:`figure_to_png` as the PNG formatter for figures in the running
    IPython shell (nothing happens outside IPython). Importing
    :mod:`lecture2.plots` calls it.

    Returns
    -------
    bool
        True when a shell was found and the formatter registered.
    """
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to register
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return False
    formatter = shell.display_formatter.formatters["image/png"]
    formatter.for_type(Figure, _png_formatter)
    return True
