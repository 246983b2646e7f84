"""erf, erfc and the standard normal CDF/density against Python's math module (libm).

math.erf and math.erfc are accurate to about one unit in the last place, so they are the
oracle here; mpmath (50 digits), when installed, is a second, independent one.
"""

import math
from decimal import Decimal, localcontext

import numpy as np
import pytest

from glassnet.ops._special import erf, erfc, normal_cdf, normal_pdf

FLOAT64_TINY = np.finfo(np.float64).tiny  # smallest normal float64, ~2.2e-308
DENSE_GRID = np.concatenate([np.linspace(-10.0, 10.0, 20001), [0.0, 1e-300, -1e-300, 1e-20]])


def _max_relative_error(got, want):
    """Largest |got - want| / |want| (absolute error where want is 0)."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    return np.max(np.abs(got - want) / np.maximum(np.abs(want), FLOAT64_TINY))


# ----------------------------------------------------------------------------------- erf


def test_erf_matches_math_erf_on_a_dense_grid_to_1e_14():
    want = [math.erf(v) for v in DENSE_GRID]
    assert _max_relative_error(erf(DENSE_GRID), want) < 1e-14


def test_erf_is_accurate_on_both_sides_of_the_method_switch_at_2():
    # The series serves |x| < 2, the continued fraction |x| >= 2: check right at the seam.
    below = np.nextafter(2.0, 0.0) - np.arange(50) * 1e-10
    x = np.concatenate([below, 2.0 + np.arange(50) * 1e-10])
    x = np.concatenate([x, -x])
    assert _max_relative_error(erf(x), [math.erf(v) for v in x]) < 1e-14


def test_erf_of_tiny_values_is_2_over_sqrt_pi_times_x():
    # erf(x) = 2/sqrt(pi) * (x - x^3/3 + ...): for |x| < 1e-8 the x^3 term is below 1e-16 relative.
    x = np.array([1e-300, -1e-300, 1e-200, 1e-20, 1e-9, FLOAT64_TINY])
    got = erf(x)
    assert _max_relative_error(got, [math.erf(v) for v in x]) < 1e-15
    assert got[0] == pytest.approx(1.1283791670955126e-300, rel=1e-15)


def test_erf_of_a_subnormal_and_of_signed_zero():
    smallest = np.array([5e-324, -5e-324])  # the smallest subnormal float64
    np.testing.assert_array_equal(erf(smallest), [math.erf(5e-324), math.erf(-5e-324)])
    zeros = erf(np.array([0.0, -0.0]))
    np.testing.assert_array_equal(zeros, [0.0, 0.0])
    np.testing.assert_array_equal(np.signbit(zeros), [False, True])  # erf(-0.0) = -0.0, as libm


def test_erf_saturates_to_exactly_plus_minus_one_for_large_magnitudes():
    big = np.array([6.0, 10.0, 27.0, 30.0, 1e10, 1e300, np.finfo(np.float64).max, np.inf])
    np.testing.assert_array_equal(erf(big), np.ones_like(big))
    np.testing.assert_array_equal(erf(-big), -np.ones_like(big))


def test_erf_propagates_nan():
    got = erf(np.array([np.nan, 0.5, -np.nan]))
    assert np.isnan(got[0]) and np.isnan(got[2])
    assert got[1] == pytest.approx(math.erf(0.5), rel=1e-15)


def test_erf_is_exactly_odd():
    x = np.linspace(0.0, 8.0, 1601)
    np.testing.assert_array_equal(erf(-x), -erf(x))


def test_erf_float32_keeps_dtype_and_is_within_one_float32_ulp():
    x = np.linspace(-5.0, 5.0, 2001, dtype=np.float32)
    got = erf(x)
    assert got.dtype == np.float32
    want = np.array([math.erf(float(v)) for v in x], dtype=np.float32)  # correctly rounded
    ulps = np.abs(got.astype(np.float64) - want) / np.spacing(np.abs(want).astype(np.float32))
    assert ulps.max() <= 1.0


def test_erf_keeps_shape_and_float64_and_gives_integers_the_default_dtype():
    x = np.arange(6, dtype=np.float64).reshape(2, 3) / 4
    got = erf(x)
    assert got.shape == (2, 3) and got.dtype == np.float64
    assert erf(np.array(0.5)).shape == ()
    assert erf(np.array([0, 1, 2])).dtype == np.float32  # glassnet's default float dtype
    assert erf(np.array([0, 1, 2])).tolist() == pytest.approx([0.0, 0.8427008, 0.9953223])


def test_erf_does_not_modify_its_input():
    x = np.array([-3.0, -0.5, 0.0, 2.5])
    before = x.copy()
    erf(x)
    np.testing.assert_array_equal(x, before)


def test_erf_rejects_complex_and_strings_with_a_type_error():
    with pytest.raises(TypeError, match=r"erf: expected real numbers.*received dtype complex128"):
        erf(np.array([1 + 2j]))
    with pytest.raises(TypeError, match=r"erf: expected real numbers.*received dtype <U"):
        erf(np.array(["0.5"]))


def test_erf_matches_mpmath_at_50_digits():
    mpmath = pytest.importorskip("mpmath")
    x = np.random.default_rng(0).uniform(-7.0, 7.0, 500)
    with mpmath.workdps(50):
        want = [float(mpmath.erf(mpmath.mpf(float(v)))) for v in x]
    assert _max_relative_error(erf(x), want) < 1e-14


# ---------------------------------------------------------------------------------- erfc


def test_erfc_matches_math_erfc_including_the_far_right_tail():
    x = np.linspace(-10.0, 26.0, 36001)  # erfc(26) = 5.7e-296, still a normal float64
    want = [math.erfc(v) for v in x]
    assert _max_relative_error(erfc(x), want) < 5e-13  # worst just below 2 (1 - erf)
    tail = x >= 2.0
    assert _max_relative_error(erfc(x[tail]), np.array(want)[tail]) < 1e-14


def test_erfc_limits_and_nan():
    got = erfc(np.array([np.inf, -np.inf, 30.0, 1e300, -1e300, 0.0, np.nan]))
    np.testing.assert_array_equal(got[:6], [0.0, 2.0, 0.0, 0.0, 2.0, 1.0])
    assert np.isnan(got[6])


# ---------------------------------------------------------------------------- normal_cdf


def test_normal_cdf_equals_its_erf_definition():
    x = np.linspace(-10.0, 10.0, 4001)
    by_definition = 0.5 * (1.0 + np.array([math.erf(v / math.sqrt(2.0)) for v in x]))
    # 1 + erf(...) rounds to a multiple of 2^-52 near 0, so the definition itself is only good
    # to a few 1e-16 absolute there (the reason normal_cdf uses erfc instead).
    np.testing.assert_allclose(normal_cdf(x), by_definition, rtol=0, atol=5e-16)


def test_normal_cdf_keeps_relative_precision_in_the_left_tail():
    x = np.linspace(-37.0, 8.0, 9001)
    want = [0.5 * math.erfc(-v / math.sqrt(2.0)) for v in x]
    assert _max_relative_error(normal_cdf(x), want) < 5e-13
    assert normal_cdf(np.array([-10.0]))[0] == pytest.approx(7.619853024160527e-24, rel=1e-13)


def test_normal_cdf_known_values_limits_and_symmetry():
    got = normal_cdf(np.array([0.0, 1.959963984540054, -np.inf, np.inf, np.nan]))
    assert got[0] == 0.5
    assert got[1] == pytest.approx(0.975, rel=1e-15)  # the 97.5% quantile
    np.testing.assert_array_equal(got[2:4], [0.0, 1.0])
    assert np.isnan(got[4])
    x = np.linspace(-6.0, 6.0, 601)
    np.testing.assert_allclose(normal_cdf(x) + normal_cdf(-x), 1.0, rtol=0, atol=3e-16)


def test_normal_cdf_float32_keeps_dtype():
    x = np.array([-2.0, 0.0, 2.0], dtype=np.float32)
    got = normal_cdf(x)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, [0.02275013, 0.5, 0.97724987], rtol=1e-7)


# ---------------------------------------------------------------------------- normal_pdf


def _pdf_reference(v: float) -> float:
    """exp(-v^2 / 2) / sqrt(2 pi) with 40 exact digits (Decimal holds v exactly)."""
    with localcontext() as context:
        context.prec = 40
        two_pi = 2 * Decimal("3.141592653589793238462643383279502884197")
        return float((-(Decimal(v) ** 2) / 2).exp() / two_pi.sqrt())


def test_normal_pdf_matches_a_40_digit_reference():
    x = np.concatenate([np.linspace(-37.0, 37.0, 7401), [1e-300, 0.0]])
    want = [_pdf_reference(float(v)) for v in x]
    assert _max_relative_error(normal_pdf(x), want) < 2e-15


def test_normal_pdf_is_the_derivative_of_normal_cdf():
    # Central differences on the left half, where Phi is small and keeps its relative precision
    # (on the right Phi is near 1 and the difference would lose ~11 digits to cancellation).
    x = np.linspace(-6.0, 0.0, 61)
    h = 1e-5
    slope = (normal_cdf(x + h) - normal_cdf(x - h)) / (2 * h)
    np.testing.assert_allclose(slope, normal_pdf(x), rtol=1e-8)


def test_normal_pdf_limits_nan_and_dtype():
    got = normal_pdf(np.array([0.0, 40.0, -1e200, np.inf, -np.inf, np.nan]))
    assert got[0] == pytest.approx(1 / math.sqrt(2 * math.pi), rel=1e-16)
    np.testing.assert_array_equal(got[1:5], [0.0, 0.0, 0.0, 0.0])
    assert np.isnan(got[5])
    assert normal_pdf(np.array([1.0], dtype=np.float32)).dtype == np.float32


# ------------------------------------------------------------------------ floating point


@pytest.mark.parametrize("fn", [erf, erfc, normal_cdf, normal_pdf])
def test_no_overflow_division_or_invalid_operation_anywhere(fn):
    # filterwarnings=error::RuntimeWarning already fails on a warning; raising turns the same
    # IEEE flags into exceptions even where NumPy would stay silent. Underflow to 0 is the
    # correct answer far in the tails, so it is allowed.
    x = np.array([-np.inf, -1e308, -40.0, -27.3, -2.0, -1e-300, -5e-324, 0.0, -0.0,
                  5e-324, 1e-300, 1.9999999999999998, 2.0, 26.0, 1e308, np.inf, np.nan])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        got = fn(x)
    assert np.isnan(got).tolist() == [False] * 16 + [True]
