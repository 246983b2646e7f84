"""The error function and the standard normal distribution, in plain NumPy.

GELU in its exact form is ``gelu(x) = x * Phi(x)``, where ``Phi`` is the cumulative
distribution function (CDF) of the standard normal distribution, and
``Phi(x) = 0.5 * erfc(-x / sqrt(2)) = 0.5 * (1 + erf(x / sqrt(2)))``. Its derivative needs
the normal density ``phi(x) = exp(-x^2 / 2) / sqrt(2 pi)``. NumPy has no ``erf``, and glassnet
does not depend on SciPy, so this module computes it.

The maths (Abramowitz & Stegun, Handbook of Mathematical Functions, chapter 7):

    erf(x)  = 2 / sqrt(pi) * integral from 0 to x of exp(-t^2) dt
    erfc(x) = 1 - erf(x),        erf(-x) = -erf(x),        erfc(-x) = 2 - erfc(x)

For 0 <= x < 2 we sum the series A&S 7.1.6, whose terms are all positive (so no cancellation,
unlike the alternating Taylor series 7.1.5)::

    erf(x) = 2 / sqrt(pi) * exp(-x^2) * sum over n >= 0 of 2^n x^(2n+1) / (1 * 3 * 5 ... (2n+1))

Each term is the previous one times ``2 x^2 / (2n + 1)``. At x = 2 the terms stop mattering
(below 1e-17 of the sum) after about 30 of them; we take 32.

For x >= 2 we use the continued fraction A&S 7.1.14 for the tail::

    erfc(x) = exp(-x^2) / sqrt(pi) * 1 / (x + (1/2) / (x + 1 / (x + (3/2) / (x + 2 / (x + ...)))))

evaluated backwards from a fixed depth: start with ``f = x`` and repeat
``f = x + (k / 2) / f`` for k = 60, 59, ..., 1. It converges faster the larger x is; at x = 2
a depth of about 50 already gives full float64 precision. Then ``erf(x) = 1 - erfc(x)``.

Two numerical details:

- ``exp(-x^2)`` is computed as ``exp(-s^2) * exp(-(x - s)(x + s))`` with ``s`` = x rounded to a
  multiple of 1/16, so ``s^2`` is exact. Rounding ``x^2`` directly would cost a relative error
  of about ``x^2 * 1e-16`` (1e-13 at x = 26), which matters for ``erfc`` far in the tail.
- Arguments are clamped before the exponentials (at 27.3 for erfc, where erfc(x) is below
  the smallest float64; at 40 for the density): the answer is unchanged, nothing overflows,
  and underflow to 0 is the correct result, so it is not reported. inf and NaN need no
  special case: erf(+-inf) = +-1, erfc(inf) = 0, and NaN stays NaN.

Accuracy in float64: about 2e-15 relative for ``erf`` everywhere; ``erfc(x)`` about 1e-15 relative
for x >= 2 (``1 - erf`` below that, so about 1e-13 near x = 2). float32 inputs are computed in
float64 and rounded once, and every function returns the dtype it was given (integer inputs
give glassnet's default float dtype). Only fixed loops over series terms; no Python loop over
elements.

Example:
    >>> import numpy as np
    >>> from glassnet.ops._special import erf, normal_cdf
    >>> np.round(erf(np.array([-1.0, 0.0, 0.5, np.inf])), 6)
    array([-0.842701,  0.      ,  0.5205  ,  1.      ])
    >>> np.round(normal_cdf(np.array([-1.96, 0.0, 1.96])), 4)
    array([0.025, 0.5  , 0.975])
"""

from __future__ import annotations

import math

import numpy as np

from glassnet.backend import get_default_dtype

__all__ = ["erf", "erfc", "normal_cdf", "normal_pdf"]

_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_ONE_OVER_SQRT_PI = 1.0 / math.sqrt(math.pi)
_ONE_OVER_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_2 = math.sqrt(2.0)

_SERIES_LIMIT = 2.0  # below: the series 7.1.6; at or above: the continued fraction 7.1.14
_SERIES_TERMS = 32  # enough for x < 2 (the terms fall below 1e-17 of the sum after ~30)
_FRACTION_DEPTH = 60  # enough for x >= 2 (full float64 precision from a depth of ~50)
_ERFC_CLAMP = 27.3  # erfc(27.3) ~ 1e-325 is 0 in float64, so larger x change nothing
_PDF_CLAMP = 40.0  # exp(-40^2 / 2) = exp(-800) is 0 in float64


def erf(x):
    """The error function, ``erf(x) = 2 / sqrt(pi) * integral_0^x exp(-t^2) dt``.

    Odd (``erf(-x) = -erf(x)``), rising from -1 to 1; ``erf(+-inf) = +-1``; NaN stays NaN.
    See the module docstring for the method (A&S 7.1.6 and 7.1.14) and its accuracy.

    Args:
        x: array-like of real numbers.

    Returns:
        numpy.ndarray of the same shape; float32/float64 inputs keep their dtype.

    Example:
        >>> import numpy as np
        >>> np.round(erf(np.array([0.1, 1.0, 3.0], dtype=np.float32)), 5)
        array([0.11246, 0.8427 , 0.99998], dtype=float32)
    """
    x64, dtype = _as_float64(x, "erf")
    z = np.abs(x64)
    small = z < _SERIES_LIMIT  # NaN compares False, so NaN goes to the continued fraction
    result = np.empty_like(z)
    result[small] = _erf_series(z[small])
    result[~small] = 1.0 - _erfc_continued_fraction(z[~small])
    return np.copysign(result, x64).astype(dtype, copy=False)


def erfc(x):
    """The complementary error function, ``erfc(x) = 1 - erf(x)``, accurate in the right tail.

    ``erfc(x)`` for large x (``erfc(10) = 2.1e-45``) cannot be computed as ``1 - erf(x)``:
    erf(x) rounds to 1. Here the tail comes straight from the continued fraction, and
    ``erfc(-x) = 2 - erfc(x)``. ``erfc(inf) = 0``, ``erfc(-inf) = 2``.

    Args:
        x: array-like of real numbers.

    Returns:
        numpy.ndarray of the same shape; float32/float64 inputs keep their dtype.

    Example:
        >>> import numpy as np
        >>> print(erfc(np.array([-1.0, 0.0, 10.0])))
        [1.84270079e+00 1.00000000e+00 2.08848758e-45]
    """
    x64, dtype = _as_float64(x, "erfc")
    tail = _erfc_nonnegative(np.abs(x64))
    return np.where(x64 < 0, 2.0 - tail, tail).astype(dtype, copy=False)


def normal_cdf(x):
    """The standard normal CDF, ``Phi(x) = 0.5 * (1 + erf(x / sqrt(2)))``.

    Computed as ``0.5 * erfc(-x / sqrt(2))``, the same value on paper, so that the left
    tail keeps its precision (``Phi(-10) = 7.6e-24`` instead of ``1 - 1 = 0``).

    Args:
        x: array-like of real numbers.

    Returns:
        numpy.ndarray of the same shape; float32/float64 inputs keep their dtype.

    Example:
        >>> import numpy as np
        >>> np.round(normal_cdf(np.array([-np.inf, -1.0, 0.0, 1.0, np.inf])), 4)
        array([0.    , 0.1587, 0.5   , 0.8413, 1.    ])
    """
    x64, dtype = _as_float64(x, "normal_cdf")
    minus_t = -x64 / _SQRT_2
    tail = _erfc_nonnegative(np.abs(minus_t))
    return (0.5 * np.where(minus_t < 0, 2.0 - tail, tail)).astype(dtype, copy=False)


def normal_pdf(x):
    """The standard normal density, ``phi(x) = exp(-x^2 / 2) / sqrt(2 pi)``.

    It is the derivative of ``normal_cdf``; exact GELU's backward pass uses it:
    ``d/dx [x * Phi(x)] = Phi(x) + x * phi(x)``.

    Args:
        x: array-like of real numbers.

    Returns:
        numpy.ndarray of the same shape; float32/float64 inputs keep their dtype.

    Example:
        >>> import numpy as np
        >>> np.round(normal_pdf(np.array([0.0, 1.0, -1.0, np.inf])), 6)
        array([0.398942, 0.241971, 0.241971, 0.      ])
    """
    x64, dtype = _as_float64(x, "normal_pdf")
    z = np.minimum(np.abs(x64), _PDF_CLAMP)  # np.minimum keeps NaN
    density = _ONE_OVER_SQRT_2PI * _exp_minus_square(z, scale=0.5)
    return density.astype(dtype, copy=False)


def _as_float64(x, where):
    """Return (x as float64, dtype to give back): floats keep theirs, integers get the default."""
    x = np.asarray(x)
    if x.dtype.kind == "f":
        return x.astype(np.float64), x.dtype
    if x.dtype.kind in "biu":
        return x.astype(np.float64), get_default_dtype()
    raise TypeError(
        f"{where}: expected real numbers (a float or integer array), received dtype {x.dtype}"
    )


def _exp_minus_square(z, scale=1.0):
    """exp(-scale * z^2) for z >= 0 and scale 1 or 1/2, without the rounding error of z^2.

    With s = z rounded to a multiple of 1/16, s^2 (and s^2 / 2) is exact, and
    z^2 = s^2 + (z - s)(z + s), so exp(-z^2) = exp(-s^2) * exp(-(z - s)(z + s)).
    The second factor is close to 1, so its argument's rounding error costs almost nothing.
    """
    s = np.round(z * 16.0) / 16.0
    with np.errstate(under="ignore"):  # exp of a very negative number is 0: the right answer
        return np.exp(-scale * s * s) * np.exp(-scale * (z - s) * (z + s))


def _erf_series(z):
    """erf(z) for 0 <= z < 2 by A&S 7.1.6 (all terms positive)."""
    two_z_squared = 2.0 * z * z
    term = z.copy()
    total = z.copy()
    with np.errstate(under="ignore"):  # tiny z: later terms underflow to 0, as they should
        for n in range(1, _SERIES_TERMS):
            term = term * two_z_squared / (2 * n + 1)
            total = total + term
    return _TWO_OVER_SQRT_PI * _exp_minus_square(z) * total


def _erfc_continued_fraction(z):
    """erfc(z) for z >= 2 (or NaN) by the continued fraction A&S 7.1.14, evaluated backwards."""
    z = np.minimum(z, _ERFC_CLAMP)  # inf -> 27.3 (erfc already 0 there); NaN stays NaN
    f = z.copy()
    for k in range(_FRACTION_DEPTH, 0, -1):
        f = z + (k / 2.0) / f  # f >= z >= 2: no division by zero
    return _ONE_OVER_SQRT_PI * _exp_minus_square(z) / f


def _erfc_nonnegative(z):
    """erfc(z) for z >= 0 (or NaN): 1 - series below 2, the continued fraction from 2 on."""
    small = z < _SERIES_LIMIT
    result = np.empty_like(z)
    result[small] = 1.0 - _erf_series(z[small])
    result[~small] = _erfc_continued_fraction(z[~small])
    return result
