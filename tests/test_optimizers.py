"""Optimizers: one step from a prepared state, family relations, Newton's
safeguard, quasi-Newton against scipy, line searches and bad hyperparameters."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize as scipy_minimize

from lecture2.optim import (
    BFGS,
    LBFGS,
    OPTIMIZERS,
    AdaGrad,
    Adam,
    GradientDescent,
    HeavyBall,
    Nadam,
    Nesterov,
    Newton,
    NonFiniteError,
    RMSProp,
    backtracking,
    finite_difference_hessian,
    get_optimizer,
    newton_direction,
    wolfe,
)
from lecture2.testfunctions import quadratic, rosenbrock
from lecture2.training import minimize

# A fixed convex quadratic in 3-D, L(w) = 1/2 w^T A w - b^T w, with its gradient.
A = np.array([[3.0, 0.5, 0.0], [0.5, 2.0, -0.4], [0.0, -0.4, 1.0]])
B = np.array([1.0, -2.0, 0.5])


def quad(w):
    return 0.5 * w @ A @ w - B @ w, A @ w - B


def grad_quad(w):
    return A @ w - B


W = np.array([0.3, -1.2, 2.0])
M0 = np.array([0.05, -0.2, 0.1])  # a non-zero momentum from earlier steps
S0 = np.array([0.4, 2.5, 0.01])  # non-zero accumulated squares
K0 = 4  # four updates already made: the next one is the 5th
LR = 0.07
EPS = 1e-3  # large enough that eps inside or outside the sqrt is visible


def prepared(opt, m=True, s=True):
    opt.k = K0
    if m:
        opt.m = M0.copy()
    if s:
        opt.s = S0.copy()
    return opt


# ---------------------------------------------------------------------------
# one step from a hand-prepared state equals the formula
# ---------------------------------------------------------------------------

def test_gradient_descent_step():
    w1, loss, grad = GradientDescent().step(W, quad, LR)
    assert_allclose(w1, W - LR * grad_quad(W), rtol=1e-15)
    assert_allclose(loss, quad(W)[0], rtol=1e-15)
    assert_allclose(grad, grad_quad(W), rtol=1e-15)


def test_heavy_ball_step():
    opt = prepared(HeavyBall(beta=0.8), s=False)
    w1, _, grad = opt.step(W, quad, LR)
    m1 = 0.8 * M0 - LR * grad_quad(W)
    assert_allclose(opt.m, m1, rtol=1e-14)
    assert_allclose(w1, W + m1, rtol=1e-14)
    assert_allclose(grad, grad_quad(W), rtol=1e-15)
    assert opt.k == K0 + 1


def test_nesterov_step_takes_the_gradient_at_the_look_ahead_point():
    opt = prepared(Nesterov(beta=0.8), s=False)
    w1, loss, grad = opt.step(W, quad, LR)
    ahead = W + 0.8 * M0
    m1 = 0.8 * M0 - LR * grad_quad(ahead)
    assert_allclose(w1, W + m1, rtol=1e-14)
    assert_allclose(opt.m, m1, rtol=1e-14)
    assert_allclose(grad, grad_quad(ahead), rtol=1e-15)  # values at the look-ahead
    assert_allclose(loss, quad(ahead)[0], rtol=1e-15)
    assert not np.allclose(w1, W + 0.8 * M0 - LR * grad_quad(W))  # not heavy-ball


def test_adagrad_step_has_eps_inside_the_square_root():
    opt = prepared(AdaGrad(eps=EPS), m=False)
    w1, _, _ = opt.step(W, quad, LR)
    g = grad_quad(W)
    s1 = S0 + g**2
    assert_allclose(opt.s, s1, rtol=1e-15)
    assert_allclose(w1, W - LR * g / np.sqrt(s1 + EPS), rtol=1e-14)
    assert not np.allclose(w1, W - LR * g / (np.sqrt(s1) + EPS), rtol=1e-6)


def test_rmsprop_step():
    opt = prepared(RMSProp(beta=0.7, eps=EPS), m=False)
    w1, _, _ = opt.step(W, quad, LR)
    g = grad_quad(W)
    s1 = 0.7 * S0 + 0.3 * g**2
    assert_allclose(opt.s, s1, rtol=1e-15)
    assert_allclose(w1, W - LR * g / np.sqrt(s1 + EPS), rtol=1e-14)


def test_adam_step_uses_eta_once_and_bias_correction_with_k_from_one():
    opt = prepared(Adam(beta1=0.8, beta2=0.95, eps=EPS))
    w1, _, _ = opt.step(W, quad, LR)
    g, k = grad_quad(W), K0 + 1
    m1 = 0.8 * M0 - 0.2 * g  # no eta here: the slide's extra eta is a slip
    s1 = 0.95 * S0 + 0.05 * g**2
    m_hat, s_hat = m1 / (1 - 0.8**k), s1 / (1 - 0.95**k)
    assert_allclose(opt.m, m1, rtol=1e-14)
    assert_allclose(opt.s, s1, rtol=1e-14)
    assert_allclose(w1, W + LR * m_hat / np.sqrt(s_hat + EPS), rtol=1e-14)
    assert opt.k == k


def test_nadam_step():
    opt = prepared(Nadam(beta1=0.8, beta2=0.95, eps=EPS))
    w1, _, _ = opt.step(W, quad, LR)
    g, k = grad_quad(W), K0 + 1
    m1 = 0.8 * M0 - 0.2 * g
    s1 = 0.95 * S0 + 0.05 * g**2
    m_bar = 0.8 * m1 / (1 - 0.8 ** (k + 1)) - 0.2 * g / (1 - 0.8**k)
    s_hat = s1 / (1 - 0.95**k)
    assert_allclose(w1, W + LR * m_bar / np.sqrt(s_hat + EPS), rtol=1e-14)
    assert_allclose(opt.m, m1, rtol=1e-14)


@pytest.mark.parametrize("name", ["heavy_ball", "nesterov", "adagrad", "rmsprop", "adam",
                                  "nadam", "bfgs", "lbfgs"])
def test_reset_forgets_the_state(name):
    opt = get_optimizer(name)
    w = np.array([0.5, -0.3, 0.2])
    first = opt.step(w, quad, 0.1)[0]
    opt.step(first, quad, 0.1)
    opt.reset()
    assert opt.k == 0
    assert_allclose(opt.step(w, quad, 0.1)[0], first, rtol=1e-15)


# ---------------------------------------------------------------------------
# relations within the families
# ---------------------------------------------------------------------------

ROSEN = rosenbrock()


def run(opt, w, fun, lr, n):
    out = [w]
    for _ in range(n):
        w = opt.step(w, fun, lr)[0]
        out.append(w)
    return np.array(out)


@pytest.mark.parametrize("cls", [HeavyBall, Nesterov])
def test_momentum_with_beta_zero_is_gradient_descent(cls):
    gd = run(GradientDescent(), ROSEN.start, ROSEN, 1e-3, 30)
    assert_allclose(run(cls(beta=0.0), ROSEN.start, ROSEN, 1e-3, 30), gd, rtol=1e-15)


def test_nesterov_first_step_equals_heavy_ball_first_step():
    # m^{-1} = 0, so the look-ahead point is w^0 itself
    assert_allclose(Nesterov(0.9).step(W, quad, LR)[0], HeavyBall(0.9).step(W, quad, LR)[0],
                    rtol=1e-15)


def test_first_adam_step_equals_first_adagrad_step():
    # bias correction makes m_hat = -g and s_hat = g^2 at k = 1, AdaGrad's s^0 = g^2
    for beta1, beta2 in [(0.9, 0.999), (0.5, 0.9)]:
        adam = Adam(beta1, beta2, eps=EPS).step(W, quad, LR)[0]
        assert_allclose(adam, AdaGrad(eps=EPS).step(W, quad, LR)[0], rtol=1e-14)


def test_first_rmsprop_step_is_a_rescaled_adagrad_step():
    # s^0 = (1 - beta) g^2: RMSProp(eps) = AdaGrad(eps / (1 - beta)) with lr / sqrt(1 - beta)
    beta = 0.9
    rms = RMSProp(beta=beta, eps=EPS).step(W, quad, LR)[0]
    ada = AdaGrad(eps=EPS / (1 - beta)).step(W, quad, LR / np.sqrt(1 - beta))[0]
    assert_allclose(rms, ada, rtol=1e-14)


def test_adagrad_and_rmsprop_on_a_constant_gradient():
    # L(w) = c^T w: AdaGrad's k-th step shrinks like 1/sqrt(k), RMSProp's tends to lr
    c = np.array([0.5, -2.0])
    linear = lambda w: (c @ w, c.copy())
    k = np.arange(1, 41)[:, None]
    ada = np.diff(run(AdaGrad(eps=EPS), np.zeros(2), linear, LR, 40), axis=0)
    rms = np.diff(run(RMSProp(0.9, eps=EPS), np.zeros(2), linear, LR, 40), axis=0)
    assert_allclose(ada, -LR * c / np.sqrt(k * c**2 + EPS), rtol=1e-12)
    assert_allclose(rms, -LR * c / np.sqrt((1 - 0.9**k) * c**2 + EPS), rtol=1e-12)


@pytest.mark.parametrize("cls", [Adam, Nadam])
def test_bias_correction_is_exact_on_a_constant_gradient(cls):
    # m_hat = -c and s_hat = c^2 at every k when k counts from 1 (not for Nadam's m_bar)
    c = np.array([0.5, -2.0])
    linear = lambda w: (c @ w, c.copy())
    steps = np.diff(run(cls(0.9, 0.99, eps=EPS), np.zeros(2), linear, LR, 25), axis=0)
    expected = -LR * c / np.sqrt(c**2 + EPS)
    if cls is Adam:
        assert_allclose(steps, np.tile(expected, (25, 1)), rtol=1e-12)
    else:  # m_bar = -c (beta1 (1-beta1^k)/(1-beta1^(k+1)) + (1-beta1)/(1-beta1^k))
        k = np.arange(1, 26)[:, None]
        factor = 0.9 * (1 - 0.9**k) / (1 - 0.9 ** (k + 1)) + 0.1 / (1 - 0.9**k)
        assert_allclose(steps, factor * expected, rtol=1e-12)


def test_adam_with_beta1_zero_is_bias_corrected_rmsprop():
    # Adam(0, b, e) at step k = RMSProp(b, e c) with lr sqrt(c), c = 1 - b^k
    b, k = 0.95, K0 + 1
    c = 1 - b**k
    adam = prepared(Adam(beta1=0.0, beta2=b, eps=EPS)).step(W, quad, LR)[0]
    rms = prepared(RMSProp(beta=b, eps=EPS * c), m=False).step(W, quad, LR * np.sqrt(c))[0]
    assert_allclose(adam, rms, rtol=1e-13)


def test_nadam_with_beta1_zero_is_adam_with_beta1_zero():
    adam = run(Adam(beta1=0.0, beta2=0.9), ROSEN.start, ROSEN, 1e-2, 20)
    nadam = run(Nadam(beta1=0.0, beta2=0.9), ROSEN.start, ROSEN, 1e-2, 20)
    assert_allclose(nadam, adam, rtol=1e-14)


def test_lbfgs_first_two_steps_equal_bfgs():
    # both start from -g; after one pair both use the scaled identity update
    bfgs = run(BFGS(), ROSEN.start, ROSEN, None, 2)
    lbfgs = run(LBFGS(memory=5), ROSEN.start, ROSEN, None, 2)
    assert_allclose(lbfgs, bfgs, rtol=1e-12)
    assert not np.allclose(bfgs[2], bfgs[1])


# ---------------------------------------------------------------------------
# Newton
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [{"hessian": lambda w: A}, {}, {"line_search": False}])
def test_newton_solves_a_convex_quadratic_in_one_step(kwargs):
    opt = Newton(**kwargs)
    w1 = opt.step(np.array([10.0, -3.0, 4.0]), quad)[0]
    assert_allclose(w1, np.linalg.solve(A, B), rtol=1e-8, atol=1e-9)
    assert opt.step_size == 1.0
    assert not opt.modified


def double_well(w):
    """x^2/2 + y^4/4 - y^2/2: a saddle at the origin, minima at (0, +-1)."""
    x, y = w
    return 0.5 * x**2 + 0.25 * y**4 - 0.5 * y**2, np.array([x, y**3 - y])


def double_well_hessian(w):
    return np.array([[1.0, 0.0], [0.0, 3 * w[1] ** 2 - 1]])


def test_newton_safeguard_takes_a_descent_step_on_an_indefinite_hessian():
    w = np.array([1.0, 0.1])
    loss, grad = double_well(w)
    hess = double_well_hessian(w)
    assert np.linalg.eigvalsh(hess).min() < 0  # indefinite here
    plain = -np.linalg.solve(hess, grad)
    assert grad[1] * plain[1] > 0  # the plain Newton step climbs toward the saddle in y

    d, modified = newton_direction(hess, grad)
    assert modified
    assert grad @ d < 0
    assert_allclose(d, [-1.0, -grad[1] / abs(hess[1, 1])], rtol=1e-12)  # |lambda|

    opt = Newton(hessian=double_well_hessian)
    w1, _, _ = opt.step(w, double_well)
    assert opt.modified
    assert double_well(w1)[0] < loss
    assert abs(w1[1]) > abs(w[1])  # moved away from the saddle, toward y = +-1


def test_newton_escapes_the_saddle_and_finds_a_minimum():
    hist = minimize(double_well, [0.5, 1e-3], Newton(hessian=double_well_hessian),
                    steps=50, tol=1e-12)
    assert hist.stop_reason == "tolerance"
    assert_allclose(hist.w, [0.0, 1.0], atol=1e-10)


def test_newton_direction_damping_and_zero_hessian():
    g = np.array([1.0, -2.0, 0.5])
    d, modified = newton_direction(A, g, damping=0.3)
    assert_allclose(d, -np.linalg.solve(A + 0.3 * np.eye(3), g), rtol=1e-12)
    assert not modified
    d, modified = newton_direction(np.zeros((3, 3)), g)
    assert_allclose(d, -g)  # no curvature: the gradient direction
    assert modified


def test_finite_difference_hessian_matches_the_exact_one():
    for w in ([-1.2, 1.0], [0.5, 0.3], [1.0, 1.0]):
        assert_allclose(finite_difference_hessian(ROSEN, np.array(w)), ROSEN.hessian(w),
                        rtol=1e-6, atol=1e-6)


# ---------------------------------------------------------------------------
# quasi-Newton against scipy, and convergence on the shared problems
# ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def scipy_bfgs_minimizer():
    res = scipy_minimize(lambda w: ROSEN(w)[0], ROSEN.start, jac=lambda w: ROSEN(w)[1],
                         method="BFGS", options={"gtol": 1e-10})
    assert res.success
    return res.x


@pytest.mark.parametrize("opt", [BFGS(), LBFGS(memory=10), LBFGS(memory=2)],
                         ids=["bfgs", "lbfgs10", "lbfgs2"])
def test_quasi_newton_reaches_scipys_bfgs_minimizer(opt, scipy_bfgs_minimizer):
    hist = minimize(ROSEN, ROSEN.start, opt, steps=500, tol=1e-9)
    assert hist.stop_reason == "tolerance"
    assert_allclose(hist.w, scipy_bfgs_minimizer, atol=1e-5)
    assert_allclose(hist.w, ROSEN.minimizer, atol=1e-8)
    assert hist.steps < 100


# (method, lr, steps, tolerance on |w - w*|) on quadratic(kappa=10) from its start
CONVERGENCE = {
    "gd": (0.15, 400, 1e-6),
    "heavy_ball": (0.05, 400, 1e-6),
    "nesterov": (0.05, 400, 1e-6),
    "adagrad": (0.5, 2000, 1e-3),
    "rmsprop": (0.01, 2000, 3e-2),
    "adam": (0.05, 1000, 3e-2),
    "nadam": (0.05, 1000, 3e-2),
    "newton": (None, 5, 1e-10),
    "bfgs": (None, 20, 1e-8),
    "lbfgs": (None, 20, 1e-8),
}


@pytest.mark.parametrize("name", OPTIMIZERS)
def test_every_optimizer_converges_on_the_ill_conditioned_quadratic(name):
    bowl = quadratic(kappa=10.0, angle=0.3)
    lr, steps, tol = CONVERGENCE[name]
    hist = minimize(bowl, bowl.start, name, lr=1.0 if lr is None else lr, steps=steps)
    assert hist.stop_reason in ("budget", "tolerance")
    assert np.linalg.norm(hist.w - bowl.minimizer) < tol
    assert hist.final_loss < 0.5 * 10 * tol**2 + 1e-15


# ---------------------------------------------------------------------------
# line searches
# ---------------------------------------------------------------------------

def test_wolfe_step_satisfies_both_conditions():
    w = ROSEN.start
    loss, grad = ROSEN(w)
    d = -grad
    res = wolfe(ROSEN, w, loss, grad, d, c1=1e-4, c2=0.9)
    assert res.success
    assert res.loss <= loss + 1e-4 * res.step * (grad @ d)
    assert abs(res.grad @ d) <= 0.9 * abs(grad @ d)
    assert_allclose(res.w, w + res.step * d)
    assert_allclose(ROSEN(res.w)[0], res.loss)


def test_backtracking_halves_until_armijo_holds():
    w = ROSEN.start
    loss, grad = ROSEN(w)
    res = backtracking(ROSEN, w, loss, grad, -grad)
    assert res.success
    assert res.loss <= loss + 1e-4 * res.step * (grad @ -grad)
    # the previous trial (twice as long) failed Armijo
    longer = ROSEN(w - 2 * res.step * grad)[0]
    assert longer > loss + 1e-4 * 2 * res.step * (grad @ -grad)
    assert np.log2(res.step).is_integer()


def test_line_searches_refuse_an_ascent_direction():
    loss, grad = ROSEN(ROSEN.start)
    for search in (wolfe, backtracking):
        res = search(ROSEN, ROSEN.start, loss, grad, grad)
        assert not res.success
        assert res.step == 0.0
        assert res.evaluations == 0


def test_line_searches_shorten_steps_into_non_finite_regions():
    def cliff(w):  # a bowl that is infinite beyond |w| > 2
        if np.abs(w).max() > 2:
            return np.inf, np.full_like(w, np.nan)
        return 0.5 * w @ w, w.copy()

    w = np.array([1.5, 0.0])
    loss, grad = cliff(w)
    d = np.array([-100.0, 0.0])  # t = 1 jumps off the cliff
    for search in (wolfe, backtracking):
        res = search(cliff, w, loss, grad, d)
        assert res.success
        assert np.isfinite(res.loss)
        assert res.loss < loss


# ---------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: HeavyBall(beta=1.0), ValueError, r"beta must be a float in \[0, 1\); got 1\.0"),
        (lambda: HeavyBall(beta=-0.1), ValueError, r"beta must be .*got -0\.1"),
        (lambda: HeavyBall(beta="0.9"), TypeError, r"beta must be .*got '0\.9'"),
        (lambda: Nesterov(beta=1.5), ValueError, r"beta must be .*got 1\.5"),
        (lambda: AdaGrad(eps=0.0), ValueError, r"eps must be a positive finite float; got 0\.0"),
        (lambda: AdaGrad(eps=-1e-8), ValueError, r"eps must be .*got -1e-08"),
        (lambda: RMSProp(beta=1.0), ValueError, r"beta must be .*got 1\.0"),
        (lambda: RMSProp(eps=float("nan")), ValueError, r"eps must be .*got nan"),
        (lambda: Adam(beta1=1.0), ValueError, r"beta1 must be a float in \[0, 1\); got 1\.0"),
        (lambda: Adam(beta1=-0.5), ValueError, r"beta1 must be .*got -0\.5"),
        (lambda: Adam(beta2=1.2), ValueError, r"beta2 must be .*got 1\.2"),
        (lambda: Adam(eps=0), ValueError, r"eps must be .*got 0"),
        (lambda: Nadam(beta1=None), TypeError, r"beta1 must be .*got None"),
        (lambda: Nadam(beta2=1.0), ValueError, r"beta2 must be .*got 1\.0"),
        (lambda: Newton(damping=-1.0), ValueError,
         r"damping must be a non-negative finite float; got -1\.0"),
        (lambda: Newton(hessian=np.eye(2)), TypeError, r"hessian must be a callable"),
        (lambda: Newton(line_search="yes"), TypeError, r"line_search must be True or False"),
        (lambda: BFGS(c1=0.0), ValueError, r"c1 must be a float in \(0, 1\); got 0\.0"),
        (lambda: BFGS(c2=1.0), ValueError, r"c2 must be a float in \(0, 1\); got 1\.0"),
        (lambda: BFGS(c1=0.9, c2=0.1), ValueError,
         r"c1 must be smaller than c2 .*got c1=0\.9 and c2=0\.1"),
        (lambda: LBFGS(memory=0), ValueError, r"memory must be an integer >= 1; got 0"),
        (lambda: LBFGS(memory=2.5), TypeError, r"memory must be an integer"),
        (lambda: get_optimizer("sgd"), ValueError, r"name must be one of 'gd', .*got 'sgd'"),
        (lambda: get_optimizer("adam", beta1=1.0), ValueError, r"beta1 must be"),
        (lambda: GradientDescent().step(W, quad, 0.0), ValueError,
         r"lr must be a positive finite float; got 0\.0"),
        (lambda: Adam().step(W, quad, -0.1), ValueError, r"lr must be .*got -0\.1"),
        (lambda: HeavyBall().step(W, quad, None), TypeError, r"lr must be .*got None"),
        (lambda: GradientDescent().step(np.eye(2), quad, 0.1), ValueError,
         r"w must be a 1-D array of weights; got shape \(2, 2\)"),
        (lambda: GradientDescent().step(W, lambda w: (0.0, w[:2]), 0.1), ValueError,
         r"fun must return a gradient of shape \(3,\).*got shape \(2,\)"),
        (lambda: GradientDescent().step(W, lambda w: w, 0.1), TypeError,
         r"fun must return a tuple \(loss, grad\)"),
        (lambda: Newton(hessian=lambda w: np.eye(2)).step(W, quad), ValueError,
         r"hessian\(w\) must return an array of shape \(3, 3\); got shape \(2, 2\)"),
    ],
)
def test_bad_arguments_name_the_parameter(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


def test_state_of_another_shape_is_refused():
    opt = HeavyBall()
    opt.step(W, quad, 0.1)
    with pytest.raises(ValueError, match=r"state m has shape \(3,\) but w has shape \(2,\)"):
        opt.step(ROSEN.start, ROSEN, 0.1)


def test_registry_names_match_the_classes():
    for name in OPTIMIZERS:
        opt = get_optimizer(name)
        assert opt.name == name
        assert opt.uses_lr == (name not in ("newton", "bfgs", "lbfgs"))
    assert repr(get_optimizer("adam", beta1=0.5)) == "Adam(beta1=0.5, beta2=0.999, eps=1e-08)"


# -- review fixes: argument checks and Newton's non-finite Hessian -------------

def test_finite_difference_hessian_needs_a_positive_step():
    with pytest.raises(ValueError, match="h must be a positive finite float; got 0"):
        finite_difference_hessian(lambda w: (0.5 * w @ w, w), np.ones(2), h=0)


def test_newton_direction_needs_non_negative_damping():
    with pytest.raises(ValueError, match="damping must be a non-negative finite float; "
                                         "got -1"):
        newton_direction(np.eye(2), np.ones(2), damping=-1.0)


def test_newton_step_with_a_non_finite_hessian_is_an_explicit_error():
    opt = Newton(hessian=lambda w: np.array([[1.0, np.inf], [np.inf, 1.0]]))
    with pytest.raises(NonFiniteError, match="Newton's method needs a finite Hessian; "
                                             "the Hessian at the current weights has 2 "
                                             "non-finite entries"):
        opt.step(np.ones(2), lambda w: (0.5 * w @ w, w))
