"""2-D test problems: gradients, Hessians, minimizers, grids and extreme inputs."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from lecture2.testfunctions import Objective, quadratic, rosenbrock

PROBLEMS = [quadratic(), quadratic(kappa=100.0, angle=0.7), rosenbrock(),
            rosenbrock(a=-0.5, b=10.0)]
POINTS = [np.array(p) for p in ([-1.2, 1.0], [0.3, -0.4], [1.7, 2.2], [0.0, 0.0])]


def central_gradient(f, w, h=1e-6):
    e = np.eye(2) * h
    return np.array([(f(w + e[j])[0] - f(w - e[j])[0]) / (2 * h) for j in range(2)])


def central_hessian(f, w, h=1e-5):
    e = np.eye(2) * h
    return np.column_stack([(f(w + e[j])[1] - f(w - e[j])[1]) / (2 * h) for j in range(2)])


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_gradient_and_hessian_match_central_differences(problem):
    for w in POINTS:
        loss, grad = problem(w)
        assert isinstance(loss, float)
        assert grad.shape == (2,)
        assert_allclose(grad, central_gradient(problem, w), rtol=1e-6, atol=1e-6)
        assert_allclose(problem.hessian(w), central_hessian(problem, w), rtol=1e-6, atol=1e-5)
        assert_allclose(problem.gradient(w), grad)


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_minimizer_is_a_strict_minimum(problem):
    loss, grad = problem(problem.minimizer)
    assert loss == problem.minimum == 0.0
    assert_allclose(grad, 0.0, atol=1e-14)
    assert np.linalg.eigvalsh(problem.hessian(problem.minimizer)).min() > 0


@pytest.mark.parametrize("angle", [0.0, 0.4, -1.2])
@pytest.mark.parametrize("kappa", [1.0, 10.0, 1000.0])
def test_quadratic_has_condition_number_kappa(kappa, angle):
    bowl = quadratic(kappa, angle)
    eig = np.linalg.eigvalsh(bowl.hessian([0.3, 0.1]))
    assert_allclose(eig, [1.0, kappa], rtol=1e-12)
    assert_allclose(bowl.start, [[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]]
                    @ np.array([-1.5, 1.0]), rtol=1e-14)


def test_quadratic_values():
    bowl = quadratic(kappa=10.0)
    loss, grad = bowl([1.0, -2.0])
    assert loss == 0.5 * (1.0 + 10.0 * 4.0)
    assert_allclose(grad, [1.0, -20.0])


def test_rosenbrock_values_and_minimizer():
    rosen = rosenbrock(a=2.0, b=5.0)
    assert_allclose(rosen.minimizer, [2.0, 4.0])
    loss, grad = rosen([0.0, 1.0])
    assert loss == 4.0 + 5.0
    assert_allclose(grad, [-4.0, 10.0])
    assert_allclose(rosenbrock().start, [-1.2, 1.0])
    assert_allclose(rosenbrock()(rosenbrock().start)[0], 24.2, rtol=1e-14)


@pytest.mark.parametrize("problem", PROBLEMS, ids=lambda p: p.name)
def test_value_evaluates_a_grid_at_once(problem):
    xx, yy = np.meshgrid(np.linspace(-2, 2, 7), np.linspace(-1, 3, 5))
    zz = problem.value(np.stack([xx, yy]))
    assert zz.shape == (5, 7)
    expected = [problem(np.array([a, b]))[0] for a, b in zip(xx.ravel(), yy.ravel())]
    assert_allclose(zz.ravel(), expected, rtol=1e-14)


def test_window_contains_start_and_minimizer():
    for problem in PROBLEMS:
        for point in (problem.start, problem.minimizer):
            assert problem.xlim[0] <= point[0] <= problem.xlim[1]
            assert problem.ylim[0] <= point[1] <= problem.ylim[1]


def test_extreme_inputs_give_inf_without_warnings():
    # pytest turns RuntimeWarnings into errors, so a warning would fail here
    rosen = rosenbrock()
    loss, grad = rosen([1e200, -1e200])
    assert loss == np.inf
    assert not np.all(np.isfinite(grad))
    assert rosen.value(np.array([[1e300], [1e300]]))[0] == np.inf
    assert quadratic(1e6)([1e300, 1e300])[0] == np.inf
    assert_allclose(rosen.hessian([1e200, 0.0]), [[np.inf, -4e202], [-4e202, 200.0]])


@pytest.mark.parametrize(
    ("make", "error", "pattern"),
    [
        (lambda: quadratic(kappa=0.5), ValueError, r"kappa must be a finite float >= 1; got 0\.5"),
        (lambda: quadratic(kappa=float("inf")), ValueError, r"kappa must be a finite float"),
        (lambda: quadratic(kappa="big"), TypeError, r"kappa must be .*got 'big'"),
        (lambda: quadratic(angle=float("nan")), ValueError, r"angle must be a finite float"),
        (lambda: rosenbrock(b=0.0), ValueError, r"b must be a positive finite float; got 0\.0"),
        (lambda: rosenbrock(a=float("inf")), ValueError, r"a must be a finite float; got inf"),
        (lambda: rosenbrock()([1.0, 2.0, 3.0]), ValueError,
         r"w must have shape \(2,\); got shape \(3,\)"),
        (lambda: rosenbrock().hessian(np.zeros((2, 2))), ValueError, r"w must have shape \(2,\)"),
        (lambda: rosenbrock().value(np.zeros(3)), ValueError, r"w must have shape \(2, \.\.\.\)"),
    ],
)
def test_bad_arguments_name_the_parameter(make, error, pattern):
    with pytest.raises(error, match=pattern):
        make()


def test_objective_repr_names_the_problem():
    assert isinstance(quadratic(), Objective)
    assert repr(rosenbrock()) == "<Objective rosenbrock(a=1, b=100), minimizer [1.0, 1.0]>"
