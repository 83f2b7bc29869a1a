"""Fully connected networks (eq. 1) and backpropagation (eqs. 5-7).

Conventions
-----------
``sizes = [N_0, ..., N_L]`` with ``N_0 = d`` inputs and ``N_L = m`` outputs;
there are ``L`` weight layers. Layer ``l`` has a weight matrix ``W`` of shape
``(N_{l-1}, N_l)`` (entry ``W[j, k]`` is the lecture's ``w_jk^l``, j in, k
out) and a bias ``b`` of shape ``(N_l,)`` (the lecture's ``w_0k^l``). A batch
is a matrix with one point per row, so eq. (1) reads, for all points at once::

    f^l = g^{l-1} @ W^l + b^l,    g^l = sigma(f^l)  (l < L),   g^0 = X,

and the output layer is the identity: ``g^L = f^L`` is the network output.

All ``p = sum_l (N_{l-1} + 1) N_l`` parameters live in one flat float64
vector ``w`` (the lecture's weight vector), stored layer by layer as
``W^1`` (row-major), ``b^1``, ``W^2``, ``b^2``, ...; the ``(W, b)`` pairs in
``Network.weights`` are views into it, so changing one changes the other.

Loss: ``L(w) = c/2 * sum_i ||y_i - f^L(x_i)||^2`` with ``c = 1/n``
(``reduction="mean"``, the default) or ``c = 1`` (``"sum"``, the lecture's).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from ._validate import check_array, check_choice, check_rng, check_sizes
from .activations import get_activation
from .init import SCHEMES, initialize
from .losses import _scale

__all__ = ["Network", "count_parameters"]


def count_parameters(sizes) -> int:
    """Number of parameters ``p = sum_{l=1}^{L} (N_{l-1} + 1) N_l``.

    Each of the ``N_l`` neurons of layer ``l`` has one weight per neuron of
    layer ``l - 1`` plus a bias.

    Examples
    --------
    >>> count_parameters([1, 30, 30, 1])
    1021
    """
    sizes = check_sizes(sizes)
    return sum((n_in + 1) * n_out for n_in, n_out in pairwise(sizes))


def _make_slices(sizes) -> list[tuple[slice, slice]]:
    """Where ``W^l`` and ``b^l`` sit in the flat vector, for l = 1..L."""
    slices, start = [], 0
    for n_in, n_out in pairwise(sizes):
        s_w = slice(start, start + n_in * n_out)
        s_b = slice(s_w.stop, s_w.stop + n_out)
        slices.append((s_w, s_b))
        start = s_b.stop
    return slices


def _quiet_if_diverged():
    """Silence numpy's overflow/invalid warnings in the forward and backward pass.

    Every nonlinearity is computed without overflow for any input, so with
    finite weights of sane size these warnings cannot occur. They occur only
    when the weights themselves are huge or not finite (a diverged run): the
    loss and gradient are then inf or NaN, and it is the caller's job to say
    so once (``lecture2.training`` warns ``DivergenceWarning``) rather than
    numpy's several times per step.
    """
    return np.errstate(over="ignore", invalid="ignore")


def _matmul(a: np.ndarray, b: np.ndarray, out=None) -> np.ndarray:
    """``a @ b`` (into ``out`` if given).

    When the inner dimension is 1 (the first layer of a one-input network,
    the backward step through a one-output layer) the product is an outer
    product; a broadcast multiply computes it about twice as fast as
    ``matmul``, whose BLAS path does not cover this shape (measured at
    n = 10,000).
    """
    if a.shape[1] == 1:
        return np.multiply(a, b, out=out)
    return np.matmul(a, b, out=out)


class _Workspace:
    """Preallocated arrays for the forward and backward pass at one batch size.

    ``f[l]``, ``g[l]`` and ``fbar[l]`` have shape ``(n, N_l)``, l = 1..L
    (``g[L]`` is not needed: the output layer is the identity). ``ones`` is
    the lecture's constant input ``g_0 = 1`` of the bias weights, shape
    ``(n,)``.
    """

    def __init__(self, sizes, n: int):
        widths = sizes[1:]
        self.ones = np.ones(n)
        self.f = [None] + [np.empty((n, k)) for k in widths]
        self.g = [None] + [np.empty((n, k)) for k in widths[:-1]] + [None]
        self.fbar = [None] + [np.empty((n, k)) for k in widths]


class Network:
    """A fully connected network ``x -> f(x; w)`` (eq. 1).

    Parameters
    ----------
    sizes : sequence of int
        Layer widths ``[N_0, ..., N_L]``: at least two positive integers
        (``N_0 = d`` inputs, then hidden widths, ``N_L = m`` outputs).
    activation : str or Activation, default "tanh"
        Hidden-layer nonlinearity sigma (see :mod:`lecture2.activations`);
        the output layer is the identity.
    alpha : float, default 1.0
        ELU's parameter.
    rng : numpy.random.Generator or int, optional
        If given, the weights are drawn with
        ``lecture2.init.initialize(net, init, rng)``. Otherwise ``w`` starts
        at zero: call :func:`lecture2.init.initialize` before training (a
        zero network is symmetric and its hidden units never separate).
    init : {"gaussian", "xavier", "he"}, default "xavier"
        Scheme used when ``rng`` is given.

    Attributes
    ----------
    sizes : tuple of int
    L : int
        Number of weight layers, ``len(sizes) - 1``.
    p : int
        Number of parameters.
    w : numpy.ndarray, shape (p,)
        The flat parameter vector. Assigning ``net.w = v`` copies ``v`` into
        it, so the ``weights`` views stay valid.
    weights : list of (W, b)
        Views into ``w``; ``W`` has shape ``(N_{l-1}, N_l)``, ``b`` ``(N_l,)``.
    activation : Activation

    Examples
    --------
    >>> net = Network([1, 30, 30, 1], "tanh", rng=0)
    >>> net.p, net.forward(np.zeros((4, 1))).shape
    (1021, (4, 1))
    """

    count_parameters = staticmethod(count_parameters)

    def __init__(self, sizes, activation="tanh", alpha: float = 1.0, *,
                 rng=None, init: str = "xavier"):
        self.sizes = check_sizes(sizes)
        self.L = len(self.sizes) - 1
        self.activation = get_activation(activation, alpha)
        self.p = count_parameters(self.sizes)
        self._slices = _make_slices(self.sizes)
        self._shapes = list(pairwise(self.sizes))
        self._w = np.zeros(self.p)
        self.weights = self._unpack(self._w)
        self._workspaces = {}  # batch size n -> _Workspace
        init = check_choice("init", init, SCHEMES)
        if rng is not None:
            initialize(self, init, check_rng("rng", rng))

    # ------------------------------------------------------------ parameters
    @property
    def w(self) -> np.ndarray:
        """The flat parameter vector, shape ``(p,)``."""
        return self._w

    @w.setter
    def w(self, value) -> None:
        self._w[...] = self._check_w(value)

    def layer_slices(self) -> list[tuple[slice, slice]]:
        """``[(slice_W, slice_b), ...]``: where each layer sits in ``w``.

        ``w[slice_W].reshape(N_{l-1}, N_l)`` is ``W^l`` and ``w[slice_b]`` is
        ``b^l``. The same slices index the gradient.
        """
        return list(self._slices)

    def copy(self) -> Network:
        """An independent network with the same sizes, activation and ``w``."""
        twin = Network(self.sizes, self.activation)
        twin.w = self._w
        return twin

    def _check_w(self, w) -> np.ndarray:
        # Non-finite entries are allowed: a diverged run may hold them, and
        # the forward pass then returns NaN rather than raising.
        return check_array("w", w, shape=(self.p,), finite=False)

    def _unpack(self, w: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per-layer ``(W, b)`` views into a flat ``(p,)`` array ``w``."""
        return [(w[s_w].reshape(shape), w[s_b])
                for (s_w, s_b), shape in zip(self._slices, self._shapes)]

    def _layers(self, w):
        """The network's own views, or views into another point ``w``."""
        return self.weights if w is None else self._unpack(self._check_w(w))

    # ----------------------------------------------------------------- input
    def _check_X(self, X) -> np.ndarray:
        d = self.sizes[0]
        X = check_array("X", X, ndim=(1, 2))
        if X.ndim == 1 and d == 1:
            X = X.reshape(-1, 1)  # documented: (n,) means (n, 1) when d = 1
        if X.ndim != 2 or X.shape[1] != d:
            raise ValueError(f"X must have shape (n, {d}); got shape {X.shape}")
        if X.shape[0] == 0:
            raise ValueError("X must contain at least one point; got 0 rows")
        return X

    def _check_XY(self, X, Y) -> tuple[np.ndarray, np.ndarray]:
        X = self._check_X(X)
        n, m = X.shape[0], self.sizes[-1]
        Y = check_array("Y", Y, ndim=(1, 2))
        if Y.ndim == 1 and m == 1:
            Y = Y.reshape(-1, 1)
        if Y.shape != (n, m):
            raise ValueError(f"Y must have shape ({n}, {m}); got shape {Y.shape}")
        return X, Y

    # --------------------------------------------------------------- forward
    def _trace(self, X, layers, ws=None):
        """Forward pass keeping every ``f^l`` and ``g^l`` (eq. 1).

        With a workspace ``ws`` the arrays are its buffers (overwritten by
        the next call); without one they are new arrays.
        """
        fs, gs = [None], [X]
        for l, (W, b) in enumerate(layers, start=1):
            f = _matmul(gs[-1], W, out=None if ws is None else ws.f[l])
            f += b  # f^l = g^{l-1} W^l + b^l
            if l < self.L:
                g = self.activation(f, out=None if ws is None else ws.g[l])
            else:
                g = f  # identity output layer
            fs.append(f)
            gs.append(g)
        return fs, gs

    def forward(self, X, w=None) -> np.ndarray:
        """Network outputs ``f^L(x_i; w)`` for every row of ``X``.

        Parameters
        ----------
        X : array_like, shape (n, d)
            Inputs, one per row (shape ``(n,)`` is read as ``(n, 1)`` when
            ``d = 1``).
        w : array_like, shape (p,), optional
            Evaluate at this parameter vector instead of ``self.w`` (no copy
            of the network is made).

        Returns
        -------
        numpy.ndarray, shape (n, m)
        """
        return self._forward(self._check_X(X), self._layers(w))

    def _forward(self, X, layers):
        """:meth:`forward` on a checked ``X`` and the per-layer ``(W, b)``."""
        with _quiet_if_diverged():
            g = X
            for l, (W, b) in enumerate(layers, start=1):
                g = _matmul(g, W)
                g += b
                if l < self.L:
                    g = self.activation(g)
        return g

    def forward_trace(self, X, w=None):
        """Forward pass returning all activations and layer outputs.

        Returns
        -------
        fs, gs : list of numpy.ndarray
            ``fs[l]`` is ``f^l`` and ``gs[l]`` is ``g^l``, shape
            ``(n, N_l)``, for ``l = 1..L``; ``fs[0]`` is None, ``gs[0]`` is
            ``X`` and ``gs[L]`` is ``fs[L]`` (identity output).
        """
        return self._trace(self._check_X(X), self._layers(w))

    # -------------------------------------------------------------- backward
    def _workspace(self, n: int) -> _Workspace:
        """Buffers for batches of ``n`` points, made once and then reused.

        Fresh arrays of a few MB on every call cost more than the arithmetic
        (new memory pages each time); at n = 10,000 reusing them made a
        gradient several times faster. A few batch sizes are kept (full batch,
        mini-batch, last short mini-batch).
        """
        ws = self._workspaces.get(n)
        if ws is None:
            if len(self._workspaces) >= 4:
                self._workspaces.clear()
            ws = self._workspaces[n] = _Workspace(self.sizes, n)
        return ws

    def _backprop(self, X, Y, layers, c, grad):
        """Loss at ``layers``; its gradient is written into ``grad`` (eqs. 5-7).

        ``c`` is 1/n (mean) or 1 (sum). The adjoints ``fbar^l`` are left in
        the workspace ``self._workspace(n).fbar``.
        """
        L = self.L
        ws = self._workspace(X.shape[0])
        with _quiet_if_diverged():
            fs, gs = self._trace(X, layers, ws)

            # Output adjoint: dL/df^L = c (f^L - y); the residual gives the loss.
            fbar = np.subtract(fs[L], Y, out=ws.fbar[L])
            loss = 0.5 * c * float(np.vdot(fbar, fbar))
            fbar *= c

            for l in range(L, 0, -1):
                W = layers[l - 1][0]
                s_w, s_b = self._slices[l - 1]

                # Eqs. (6) and (5): dL/dw_jk^l = sum_i fbar_k^l g_j^{l-1}, with
                # g_0 = 1 for the bias, written straight into the flat gradient
                # (ones @ fbar is the batch sum, 4x faster than np.sum(axis=0)).
                np.matmul(gs[l - 1].T, fbar, out=grad[s_w].reshape(W.shape))
                np.matmul(ws.ones, fbar, out=grad[s_b])

                # Eq. (7): fbar^{l-1} = sigma'(f^{l-1}) * (fbar^l W^l^T). The
                # derivative overwrites f^{l-1}, which is not needed again.
                if l > 1:
                    back = _matmul(fbar, W.T, out=ws.fbar[l - 1])
                    back *= self.activation.derivative(fs[l - 1], gs[l - 1],
                                                       out=fs[l - 1])
                    fbar = back
        return loss

    def adjoints(self, X, Y, w=None, reduction: str = "mean") -> list:
        """Activation adjoints ``fbar^l = dL/df^l`` by eq. (7).

        Parameters
        ----------
        X, Y, w, reduction
            As in :meth:`loss_and_grad`.

        Returns
        -------
        list
            ``[None, fbar^1, ..., fbar^L]``, ``fbar^l`` of shape
            ``(n, N_l)``: row ``i`` is the derivative of the loss with
            respect to point ``i``'s activations ``f^l(x_i)`` (the factor
            ``c`` included). ``fbar^L = c (f^L - Y)`` with ``c = 1/n`` (mean)
            or 1 (sum); then ``fbar^l = sigma'(f^l) * (fbar^{l+1} W^{l+1}^T)``.
        """
        X, Y = self._check_XY(X, Y)
        c = _scale(reduction, X.shape[0])
        self._backprop(X, Y, self._layers(w), c, np.empty(self.p))
        return [None] + [fbar.copy() for fbar in self._workspace(X.shape[0]).fbar[1:]]

    def loss(self, X, Y, w=None, reduction: str = "mean") -> float:
        """Squared-error loss ``c/2 sum_i ||y_i - f^L(x_i)||^2`` at ``w``.

        ``c = 1/n`` for ``reduction="mean"`` (default), 1 for ``"sum"``.
        Arguments as in :meth:`loss_and_grad`; only the forward pass is run.
        """
        X, Y = self._check_XY(X, Y)
        return self._loss(X, Y, self._layers(w), _scale(reduction, X.shape[0]))

    def _loss(self, X, Y, layers, c):
        """:meth:`loss` on checked ``X``, ``Y``, with the factor ``c`` (forward only)."""
        r = self._forward(X, layers)
        r -= Y
        return 0.5 * c * float(np.vdot(r, r))

    def loss_and_grad(self, X, Y, w=None, reduction: str = "mean"):
        """Loss and its gradient with respect to ``w`` by backpropagation.

        Forward pass (eq. 1), output adjoint ``c (f^L - y)``, the adjoint
        recursion (eq. 7) and the partial derivatives (eq. 6) summed over the
        batch (eq. 5), all as matrix products over the whole batch.

        Parameters
        ----------
        X : array_like, shape (n, d)
        Y : array_like, shape (n, m)
            (``(n,)`` is read as ``(n, 1)`` when ``d = 1`` / ``m = 1``.)
        w : array_like, shape (p,), optional
            Evaluate at this point instead of ``self.w``.
        reduction : {"mean", "sum"}, default "mean"

        Returns
        -------
        loss : float
        grad : numpy.ndarray, shape (p,)
            Laid out like ``w`` (see :meth:`layer_slices`).

        Notes
        -----
        With the step nonlinearity every hidden-layer gradient is zero
        (``sigma' = 0``), which is the lecture's point about the step.

        Weights so large (or non-finite) that the loss overflows give an
        infinite or NaN loss and gradient without a numpy warning; a training
        loop checks the loss and reports divergence once.

        Intermediate arrays live in buffers kept per batch size and reused
        by the next call; the returned gradient is always a new array.
        """
        X, Y = self._check_XY(X, Y)
        c = _scale(reduction, X.shape[0])
        grad = np.empty(self.p)
        loss = self._backprop(X, Y, self._layers(w), c, grad)
        return loss, grad

    def objective(self, X, Y, reduction: str = "mean"):
        """The function ``w -> (loss, grad)`` on fixed data, for optimisers.

        ``X``, ``Y`` and ``reduction`` are checked once, here; each call then
        only checks the shape of ``w``. The network's own ``w`` is not read
        or changed by the returned function. ``X`` and ``Y`` are held by
        reference, not copied.

        Returns
        -------
        callable
            ``fun(w) -> (loss, grad)``, equal to
            ``self.loss_and_grad(X, Y, w, reduction)``.
        """
        X, Y = self._check_XY(X, Y)
        return self._objective(X, Y, _scale(reduction, X.shape[0]))

    def _objective(self, X, Y, c):
        """:meth:`objective` on checked ``X``, ``Y``, with the factor ``c``."""

        def fun(w):
            grad = np.empty(self.p)  # new each call: a caller may keep the last
            loss = self._backprop(X, Y, self._unpack(self._check_w(w)), c, grad)
            return loss, grad

        return fun

    def __repr__(self) -> str:
        return f"Network({list(self.sizes)}, {self.activation.name!r})"
