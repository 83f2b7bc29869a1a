"""Tests for lecture2.network: layout, forward pass (eq. 1), backprop (eqs. 5-7)."""

import re
import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from lecture2.activations import ACTIVATIONS, get_activation
from lecture2.gradcheck import numerical_gradient, relative_error
from lecture2.init import initialize
from lecture2.network import Network, count_parameters

ARCHITECTURES = [[1, 5, 1], [2, 4, 3, 2], [3, 6, 6, 6, 1]]
SMOOTH = [a for a in ACTIVATIONS if a != "step"]


def make_problem(sizes, activation, seed=0, n=13):
    """A network with He-scaled random weights and biases, and random data."""
    rng = np.random.default_rng(seed)
    net = initialize(Network(sizes, activation), "xavier", rng)
    net.w += 0.1 * rng.standard_normal(net.p)  # nonzero biases too
    X = rng.standard_normal((n, sizes[0]))
    Y = rng.standard_normal((n, sizes[-1]))
    return net, X, Y


def reference_forward(net, X):
    """Eq. (1) written out with loops over points, layers and neurons."""
    sigma = net.activation
    out = np.empty((X.shape[0], net.sizes[-1]))
    for i, x in enumerate(X):
        g = list(x)
        for l, (W, b) in enumerate(net.weights, start=1):
            f = [b[k] + sum(W[j, k] * g[j] for j in range(len(g))) for k in range(W.shape[1])]
            g = [float(sigma(fk)) for fk in f] if l < net.L else f
        out[i] = g
    return out


# ---------------------------------------------------------------- layout
@pytest.mark.parametrize(
    "sizes, p",
    [([1, 30, 30, 1], 1021), ([1, 1], 2), ([2, 4, 3, 2], 35), ([3, 6, 6, 6, 1], 115),
     ([784, 100, 10], 79510)],
)
def test_parameter_count(sizes, p):
    assert count_parameters(sizes) == p
    assert Network.count_parameters(sizes) == p
    net = Network(sizes)
    assert net.p == p == net.w.shape[0]
    assert net.L == len(sizes) - 1
    assert net.sizes == tuple(sizes)


def test_weights_are_views_of_w():
    net = Network([2, 4, 3, 2])
    shapes = [((2, 4), (4,)), ((4, 3), (3,)), ((3, 2), (2,))]
    assert [(W.shape, b.shape) for W, b in net.weights] == shapes
    for W, b in net.weights:
        assert np.shares_memory(W, net.w) and np.shares_memory(b, net.w)
    # Flat layout: W^1 row-major, b^1, W^2, b^2, ...
    net.w = np.arange(net.p, dtype=float)
    W1, b1 = net.weights[0]
    assert_array_equal(W1, np.arange(8).reshape(2, 4))
    assert_array_equal(b1, [8, 9, 10, 11])
    assert net.weights[1][0][0, 0] == 12
    # Writing a view writes w.
    net.weights[2][1][:] = -1.0
    assert_array_equal(net.w[-2:], [-1.0, -1.0])


def test_layer_slices_tile_w():
    net = Network([3, 6, 6, 6, 1])
    stops = 0
    for (s_w, s_b), (W, b) in zip(net.layer_slices(), net.weights, strict=True):
        assert s_w.start == stops and s_b.start == s_w.stop
        assert s_w.stop - s_w.start == W.size and s_b.stop - s_b.start == b.size
        assert_array_equal(net.w[s_w].reshape(W.shape), W)
        stops = s_b.stop
    assert stops == net.p


def test_assigning_w_copies_and_keeps_views():
    net = Network([1, 3, 1])
    buffer = net.w
    new = np.linspace(-1, 1, net.p)
    net.w = new
    assert net.w is buffer
    assert_array_equal(net.w, new)
    new[0] = 99.0  # the network holds a copy
    assert net.w[0] == -1.0
    assert net.weights[0][0][0, 0] == -1.0


def test_copy_is_independent():
    net, _, _ = make_problem([1, 5, 1], "elu")
    twin = net.copy()
    assert_array_equal(twin.w, net.w)
    assert twin.sizes == net.sizes and twin.activation == net.activation
    twin.w[:] = 0.0
    assert not np.all(net.w == 0.0)


def test_network_rng_keyword():
    a = Network([1, 8, 1], "relu", rng=3, init="he")
    b = initialize(Network([1, 8, 1], "relu"), "he", 3)
    assert_array_equal(a.w, b.w)
    assert np.all(Network([1, 8, 1]).w == 0.0)  # no rng: zeros


# --------------------------------------------------------------- forward
@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("sizes", ARCHITECTURES)
def test_forward_matches_reference(activation, sizes):
    net, X, _ = make_problem(sizes, activation, n=4)
    assert_allclose(net.forward(X), reference_forward(net, X), rtol=1e-12, atol=1e-14)


def test_forward_small_example_by_hand():
    net = Network([1, 2, 1], "relu")
    W1, b1 = net.weights[0]
    W2, b2 = net.weights[1]
    W1[:] = [[1.0, -1.0]]
    b1[:] = [0.0, 0.5]
    W2[:] = [[2.0], [3.0]]
    b2[:] = [1.0]
    # x = 1: f1 = [1, -0.5] -> g1 = [1, 0] -> f2 = 2 + 1 = 3
    # x = -1: f1 = [-1, 1.5] -> g1 = [0, 1.5] -> f2 = 4.5 + 1 = 5.5
    assert_allclose(net.forward([[1.0], [-1.0]]), [[3.0], [5.5]], rtol=1e-15)


def test_forward_at_another_point_leaves_network_alone():
    net, X, _ = make_problem([2, 4, 3, 2], "tanh")
    w_saved = net.w.copy()
    other = np.random.default_rng(9).standard_normal(net.p)
    out = net.forward(X, w=other)
    assert_array_equal(net.w, w_saved)
    twin = net.copy()
    twin.w = other
    assert_allclose(out, twin.forward(X), rtol=1e-15)
    assert_allclose(net.loss_and_grad(X, np.zeros((13, 2)), w=other)[1],
                    twin.loss_and_grad(X, np.zeros((13, 2)))[1], rtol=1e-15)


def test_forward_trace_structure():
    net, X, _ = make_problem([3, 6, 6, 6, 1], "swish")
    fs, gs = net.forward_trace(X)
    assert len(fs) == len(gs) == net.L + 1
    assert fs[0] is None
    assert_array_equal(gs[0], X)
    assert gs[-1] is fs[-1]
    sigma = get_activation("swish")
    for l in range(1, net.L + 1):
        assert fs[l].shape == gs[l].shape == (13, net.sizes[l])
        W, b = net.weights[l - 1]
        assert_allclose(fs[l], gs[l - 1] @ W + b, rtol=1e-15)
        if l < net.L:
            assert_allclose(gs[l], sigma(fs[l]), rtol=1e-15)
    assert_allclose(gs[-1], net.forward(X), rtol=1e-15)


def test_one_dimensional_inputs_and_targets():
    net, X, Y = make_problem([1, 5, 1], "tanh")
    assert_array_equal(net.forward(X[:, 0]), net.forward(X))
    assert net.loss(X[:, 0], Y[:, 0]) == net.loss(X, Y)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_extreme_inputs_no_warning(activation):
    net = Network([1, 10, 10, 1], activation, rng=0, init="gaussian")
    X = np.array([[-1e3], [1e3], [-1e6], [1e6]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = net.loss_and_grad(X, np.zeros((4, 1)))
    assert np.isfinite(loss) and np.all(np.isfinite(grad))


# -------------------------------------------------------------- backprop
@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("activation", SMOOTH)
@pytest.mark.parametrize("sizes", ARCHITECTURES)
def test_backprop_matches_finite_differences(sizes, activation, reduction):
    # For ReLU and ELU, take the first seed whose hidden activations all stay
    # 1e-3 away from the kink at 0, so that a step h = 1e-6 in one weight
    # cannot cross it (the finite difference would then not be a derivative).
    for seed in range(20):
        net, X, Y = make_problem(sizes, activation, seed=seed)
        fs, _ = net.forward_trace(X)
        if min(np.abs(f).min() for f in fs[1:-1]) > 1e-3:
            break
    else:
        pytest.fail("no seed keeps the activations away from the kink")
    loss, grad = net.loss_and_grad(X, Y, reduction=reduction)
    numerical = numerical_gradient(lambda w: net.loss(X, Y, w, reduction), net.w)
    assert relative_error(grad, numerical) < 1e-7
    assert loss == pytest.approx(net.loss(X, Y, reduction=reduction), rel=1e-14)


@pytest.mark.parametrize("activation", SMOOTH)
def test_sum_is_n_times_mean(activation):
    net, X, Y = make_problem([2, 4, 3, 2], activation)
    l_mean, g_mean = net.loss_and_grad(X, Y)
    l_sum, g_sum = net.loss_and_grad(X, Y, reduction="sum")
    assert_allclose(l_sum, 13 * l_mean, rtol=1e-14)
    assert_allclose(g_sum, 13 * g_mean, rtol=1e-12, atol=1e-15)


def test_loss_value_convention():
    net, X, Y = make_problem([2, 4, 3, 2], "tanh")
    r = net.forward(X) - Y
    assert net.loss(X, Y) == pytest.approx(np.sum(r**2) / (2 * 13), rel=1e-14)
    assert net.loss(X, Y, reduction="sum") == pytest.approx(np.sum(r**2) / 2, rel=1e-14)


@pytest.mark.parametrize("reduction, c", [("mean", 1 / 13), ("sum", 1.0)])
def test_adjoints_follow_eqs_5_to_7(reduction, c):
    net, X, Y = make_problem([3, 6, 6, 6, 1], "logistic")
    fbar = net.adjoints(X, Y, reduction=reduction)
    fs, gs = net.forward_trace(X)
    sigma = net.activation
    assert fbar[0] is None and len(fbar) == net.L + 1
    # Output adjoint: c (f^L - y), the sign the slide has the wrong way round.
    assert_allclose(fbar[-1], c * (fs[-1] - Y), rtol=1e-14)
    # Eq. (7), one layer at a time.
    for l in range(net.L - 1, 0, -1):
        W_next = net.weights[l][0]
        expected = sigma.derivative(fs[l]) * (fbar[l + 1] @ W_next.T)
        assert fbar[l].shape == (13, net.sizes[l])
        assert_allclose(fbar[l], expected, rtol=1e-12, atol=1e-16)
    # Eqs. (6) and (5): the gradient is the batch sum of fbar_k g_j.
    _, grad = net.loss_and_grad(X, Y, reduction=reduction)
    for l, (s_w, s_b) in enumerate(net.layer_slices(), start=1):
        expected_W = sum(np.outer(gs[l - 1][i], fbar[l][i]) for i in range(13))
        assert_allclose(grad[s_w].reshape(expected_W.shape), expected_W, rtol=1e-12,
                        atol=1e-16)
        assert_allclose(grad[s_b], fbar[l].sum(axis=0), rtol=1e-12, atol=1e-16)


def test_step_network_has_zero_hidden_gradient():
    net, X, Y = make_problem([2, 4, 3, 1], "step")
    _, grad = net.loss_and_grad(X, Y)
    slices = net.layer_slices()
    hidden = np.concatenate([grad[s_w] for s_w, _ in slices[:-1]]
                            + [grad[s_b] for _, s_b in slices[:-1]])
    assert_array_equal(hidden, 0.0)
    assert np.abs(grad[slices[-1][1]]).max() > 0  # the output bias still learns


def test_objective_matches_loss_and_grad():
    net, X, Y = make_problem([2, 4, 3, 2], "swish")
    fun = net.objective(X, Y, reduction="sum")
    w_saved = net.w.copy()
    other = w_saved + 0.01
    loss, grad = fun(other)
    assert_array_equal(net.w, w_saved)  # the network is not touched
    expected = net.loss_and_grad(X, Y, w=other, reduction="sum")
    assert loss == expected[0]
    assert_array_equal(grad, expected[1])
    # A fresh gradient array per call (an optimiser may keep the old one).
    assert fun(other)[1] is not grad


def test_gradient_at_a_minimum_is_zero():
    # A linear network (no hidden layer) fitted exactly has zero gradient.
    rng = np.random.default_rng(2)
    X = rng.standard_normal((20, 3))
    net = Network([3, 2], rng=0)
    Y = net.forward(X)
    loss, grad = net.loss_and_grad(X, Y)
    assert loss == 0.0
    assert_array_equal(grad, 0.0)


# ------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "sizes, error, message",
    [
        ([], ValueError, "sizes must be a list of at least 2 positive integers; got []"),
        ([3], ValueError, "sizes must be a list of at least 2 positive integers; got [3]"),
        ([1, 0, 1], ValueError, "sizes[1] = 0 is not positive"),
        ([1, -4, 1], ValueError, "sizes[1] = -4 is not positive"),
        ([1, 2.5, 1], TypeError, "sizes[1] = 2.5 is not an integer"),
        ([1, True, 1], TypeError, "sizes[1] = True is not an integer"),
        ([1, "3", 1], TypeError, "is not an integer"),
        ("131", TypeError, "sizes must be a list of at least 2 positive integers; got '131'"),
        (None, TypeError, "sizes must be a list of at least 2 positive integers; got None"),
        (5, TypeError, "sizes must be a list"),
    ],
)
def test_bad_sizes(sizes, error, message):
    with pytest.raises(error, match=re.escape(message)):
        Network(sizes)
    with pytest.raises(error):
        count_parameters(sizes)


def test_sizes_accept_numpy_integers():
    assert Network(np.array([2, 3, 1])).p == 13


def test_bad_init_scheme_even_without_rng():
    with pytest.raises(ValueError, match="init must be one of 'gaussian', 'xavier', 'he'; got 'glorot'"):
        Network([1, 2, 1], init="glorot")
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        Network([1, 2, 1], rng="seed")


def test_bad_activation():
    with pytest.raises(ValueError, match="name must be one of 'step', 'logistic'"):
        Network([1, 2, 1], "sigmoid")
    with pytest.raises(ValueError, match="alpha must be a positive finite float; got 0.0"):
        Network([1, 2, 1], "elu", alpha=0.0)
    with pytest.raises(ValueError, match="alpha is ELU's parameter; 'tanh' has none"):
        Network([1, 2, 1], "tanh", alpha=3)


@pytest.mark.parametrize(
    "X, Y, error, message",
    [
        (np.zeros((5, 1)), np.zeros((5, 2)), ValueError, "X must have shape (n, 2); got shape (5, 1)"),
        (np.zeros(5), np.zeros((5, 2)), ValueError, "X must have shape (n, 2); got shape (5,)"),
        (np.zeros((5, 2, 1)), np.zeros((5, 2)), ValueError, "X must be a 1-D or 2-D array; got shape (5, 2, 1)"),
        (np.zeros((0, 2)), np.zeros((0, 2)), ValueError, "X must contain at least one point"),
        (np.full((5, 2), np.nan), np.zeros((5, 2)), ValueError, "X must contain only finite numbers"),
        ([["a", "b"]], np.zeros((1, 2)), TypeError, "X must be an array of real numbers"),
        (np.zeros((5, 2)), np.zeros((4, 2)), ValueError, "Y must have shape (5, 2); got shape (4, 2)"),
        (np.zeros((5, 2)), np.zeros(5), ValueError, "Y must have shape (5, 2); got shape (5,)"),
        (np.zeros((5, 2)), np.zeros((5, 2)) + np.inf, ValueError, "Y must contain only finite numbers"),
    ],
)
def test_bad_data(X, Y, error, message):
    net = Network([2, 3, 2])
    for call in (net.loss_and_grad, net.loss, net.adjoints, net.objective):
        with pytest.raises(error, match=re.escape(message)):
            call(X, Y)
    if message.startswith("X"):
        with pytest.raises(error, match=re.escape(message)):
            net.forward(X)


def test_bad_w_and_reduction():
    net = Network([2, 3, 2])
    X, Y = np.zeros((4, 2)), np.zeros((4, 2))
    message = f"w must have shape ({net.p},); got shape (3,)"
    with pytest.raises(ValueError, match=re.escape(message)):
        net.forward(X, w=np.zeros(3))
    with pytest.raises(ValueError, match="w must have shape"):
        net.loss_and_grad(X, Y, w=np.zeros((net.p, 1)))
    with pytest.raises(ValueError, match="w must have shape"):
        net.objective(X, Y)(np.zeros(net.p + 1))
    with pytest.raises(ValueError, match="w must have shape"):
        net.w = np.zeros(net.p - 1)
    for call in (net.loss_and_grad, net.loss, net.adjoints, net.objective):
        with pytest.raises(ValueError, match="reduction must be one of 'mean', 'sum'; got 'avg'"):
            call(X, Y, reduction="avg")


# ------------------------------------------------------ buffers and edges
def test_results_do_not_alias_reused_buffers():
    net, X, Y = make_problem([2, 4, 3, 2], "tanh")
    fun = net.objective(X, Y)
    w1, w2 = net.w.copy(), net.w + 0.3
    loss1, grad1 = fun(w1)
    grad1_saved = grad1.copy()
    fbar1 = net.adjoints(X, Y)
    fbar1_saved = [a.copy() for a in fbar1[1:]]
    fun(w2)
    net.loss_and_grad(X[:5], Y[:5])  # another batch size
    net.adjoints(X, Y, w=w2)
    assert_array_equal(grad1, grad1_saved)
    for a, saved in zip(fbar1[1:], fbar1_saved, strict=True):
        assert_array_equal(a, saved)
    # and recomputing at w1 gives the same values again
    loss1_again, grad1_again = fun(w1)
    assert loss1_again == loss1
    assert_array_equal(grad1_again, grad1_saved)


def test_many_batch_sizes_stay_correct():
    net, X, Y = make_problem([1, 5, 1], "elu", n=40)
    for n in (40, 7, 40, 3, 11, 19, 2, 40):
        loss, grad = net.loss_and_grad(X[:n], Y[:n])
        twin = net.copy()  # fresh buffers
        expected = twin.loss_and_grad(X[:n], Y[:n])
        assert loss == expected[0]
        assert_array_equal(grad, expected[1])


@pytest.mark.parametrize("scale", [1e200, 1e300])
def test_diverged_weights_give_nonfinite_loss_quietly(scale):
    net, X, Y = make_problem([1, 5, 5, 1], "tanh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss, grad = net.loss_and_grad(X, Y, w=net.w * scale)
        out = net.forward(X, w=np.full(net.p, np.inf))
    assert not np.isfinite(loss)
    assert not np.all(np.isfinite(grad))
    assert not np.all(np.isfinite(out))


def test_complex_and_text_data_refused():
    net = Network([1, 2, 1])
    with pytest.raises(TypeError, match="X must be an array of real numbers"):
        net.forward(np.ones((3, 1)) * 1j)
    with pytest.raises(TypeError, match="X must be an array of real numbers"):
        net.forward([["1"], ["2"]])
