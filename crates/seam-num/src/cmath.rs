//! The elementary functions on inexact complex numbers (pairs of `f64`), with the principal
//! values and branch cuts R7RS takes from Common Lisp. Signed zeros choose the side of a
//! cut: `sqrt(-4-0.0i)` is `-2i` and `sqrt(-4+0.0i)` is `+2i`. The inverse sine and cosine
//! follow Kahan ("Branch Cuts for Complex Elementary Functions", 1987), which keeps the
//! sign of zero through every step; the others follow their textbook definitions, with the
//! overflow and cancellation cases handled where they arise.

/// A complex number as its real and imaginary flonum parts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct C {
    pub re: f64,
    pub im: f64,
}

impl C {
    pub fn new(re: f64, im: f64) -> C {
        C { re, im }
    }

    fn mul(self, other: C) -> C {
        C::new(self.re * other.re - self.im * other.im, self.re * other.im + self.im * other.re)
    }
}

/// The principal square root, whose real part is never negative; the cut is the negative
/// real axis, continuous with quadrant II from above (`+0.0`) and quadrant III from below
/// (`-0.0`).
pub(crate) fn sqrt(z: C) -> C {
    let (x, y) = (z.re, z.im);
    if y.is_infinite() {
        return C::new(f64::INFINITY, y);
    }
    if x.is_nan() {
        return C::new(f64::NAN, f64::NAN);
    }
    if x.is_infinite() {
        let zero = if y.is_nan() { f64::NAN } else { 0f64.copysign(y) };
        return if x > 0.0 { C::new(x, zero) } else { C::new(zero.abs(), f64::INFINITY.copysign(y)) };
    }
    if x == 0.0 && y == 0.0 {
        return C::new(0.0, y);
    }
    // t = sqrt((|x| + |z|) / 2), scaled so that |x| + |z| neither overflows nor underflows.
    let largest = x.abs().max(y.abs());
    let (scale_in, scale_out) = if largest > 1e300 {
        (0.25, 2.0)
    } else if largest < 1e-300 {
        (2f64.powi(104), 2f64.powi(-52))
    } else {
        (1.0, 1.0)
    };
    let (sx, sy) = (x * scale_in, y * scale_in);
    let t = ((sx.abs() + sx.hypot(sy)) / 2.0).sqrt();
    if x >= 0.0 {
        C::new(t * scale_out, sy / (2.0 * t) * scale_out)
    } else {
        C::new(sy.abs() / (2.0 * t) * scale_out, t.copysign(y) * scale_out)
    }
}

/// `e^z` = `e^x (cos y + i sin y)`; a zero imaginary part stays (so `exp(+inf+0i)` is not
/// NaN).
pub(crate) fn exp(z: C) -> C {
    if z.im == 0.0 {
        return C::new(z.re.exp(), z.im);
    }
    let r = z.re.exp();
    C::new(r * z.im.cos(), r * z.im.sin())
}

/// The principal logarithm `ln|z| + i·arg z`, with `arg z` in (-π, π]; the cut is the
/// negative real axis.
pub(crate) fn log(z: C) -> C {
    C::new(z.re.hypot(z.im).ln(), z.im.atan2(z.re))
}

/// `sin z` = `sin x cosh y + i cos x sinh y`.
pub(crate) fn sin(z: C) -> C {
    C::new(z.re.sin() * z.im.cosh(), z.re.cos() * z.im.sinh())
}

/// `cos z` = `cos x cosh y - i sin x sinh y`.
pub(crate) fn cos(z: C) -> C {
    C::new(z.re.cos() * z.im.cosh(), -(z.re.sin() * z.im.sinh()))
}

/// `tan z` = `(sin 2x + i sinh 2y) / (cos 2x + cosh 2y)`, which tends to `±i` as `|y|`
/// grows (computed as such past the point where `cosh 2y` would overflow).
pub(crate) fn tan(z: C) -> C {
    let (x2, y2) = (2.0 * z.re, 2.0 * z.im);
    if z.im.abs() > 20.0 {
        // cosh 2y ≈ e^|2y|/2 swamps cos 2x; sinh 2y / cosh 2y = ±1 to the last bit.
        return C::new(2.0 * x2.sin() * (-y2.abs()).exp(), 1f64.copysign(z.im));
    }
    let d = x2.cos() + y2.cosh();
    C::new(x2.sin() / d, y2.sinh() / d)
}

/// `√(1 - z)` and `√(1 + z)`, with the signs of zero parts kept (`1 - z` negates the
/// imaginary part, `-0.0` included).
fn one_minus_plus(z: C) -> (C, C) {
    (sqrt(C::new(1.0 - z.re, -z.im)), sqrt(C::new(1.0 + z.re, z.im)))
}

/// The principal arcsine (Kahan): cuts on the real axis outside [-1, 1].
pub(crate) fn asin(z: C) -> C {
    let (s1, s2) = one_minus_plus(z);
    let re = z.re.atan2(s1.mul(s2).re);
    let im = (s1.re * s2.im - s1.im * s2.re).asinh();
    C::new(re, im)
}

/// The principal arccosine (Kahan): cuts on the real axis outside [-1, 1].
pub(crate) fn acos(z: C) -> C {
    let (s1, s2) = one_minus_plus(z);
    let re = 2.0 * s1.re.atan2(s2.re);
    let im = (s2.re * s1.im - s2.im * s1.re).asinh();
    C::new(re, im)
}

/// The principal arctangent, `(log(1 + iz) - log(1 - iz)) / 2i` as R7RS defines it: cuts
/// on the imaginary axis outside [-i, i].
pub(crate) fn atan(z: C) -> C {
    let (x, y) = (z.re, z.im);
    // 1 + iz = (1 - y) + ix and 1 - iz = (1 + y) - ix; their logarithms' real parts are
    // taken through log1p near zero, where ln|1 ± iz| would cancel to nothing.
    let ln_abs = |a: f64, b: f64| {
        if a.abs() < 0.5 && b.abs() < 0.5 {
            0.5 * (2.0 * a + a * a + b * b).ln_1p()
        } else {
            (1.0 + a).hypot(b).ln()
        }
    };
    let re_diff = ln_abs(-y, x) - ln_abs(y, -x);
    let im_diff = x.atan2(1.0 - y) - (-x).atan2(1.0 + y);
    // (a + bi) / 2i = b/2 - (a/2)i.
    C::new(im_diff / 2.0, -re_diff / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: C, b: C) -> bool {
        let near = |p: f64, q: f64| (p - q).abs() <= 1e-12 * p.abs().max(q.abs()).max(1.0);
        near(a.re, b.re) && near(a.im, b.im)
    }

    #[test]
    fn sqrt_keeps_the_side_of_the_cut() {
        assert_eq!(sqrt(C::new(-4.0, 0.0)), C::new(0.0, 2.0));
        assert_eq!(sqrt(C::new(-4.0, -0.0)), C::new(0.0, -2.0));
        assert_eq!(sqrt(C::new(4.0, 0.0)), C::new(2.0, 0.0));
        assert!(close(sqrt(C::new(3.0, 4.0)), C::new(2.0, 1.0)));
        assert!(close(sqrt(C::new(1e308, 1e308)), {
            let s = sqrt(C::new(1.0, 1.0));
            C::new(s.re * 1e154, s.im * 1e154)
        }));
    }

    #[test]
    fn inverse_functions_invert() {
        for z in [C::new(0.5, 0.25), C::new(-2.0, 1.0), C::new(3.0, -0.5), C::new(-0.1, -4.0)] {
            assert!(close(sin(asin(z)), z), "sin asin {z:?}");
            assert!(close(cos(acos(z)), z), "cos acos {z:?}");
            assert!(close(tan(atan(z)), z), "tan atan {z:?}");
            assert!(close(exp(log(z)), z), "exp log {z:?}");
            let s = sqrt(z);
            assert!(close(s.mul(s), z), "sqrt {z:?}");
        }
    }

    #[test]
    fn atan_is_accurate_near_zero() {
        let tiny = atan(C::new(1e-20, 1e-20));
        assert!((tiny.re - 1e-20).abs() < 1e-34 && (tiny.im - 1e-20).abs() < 1e-34, "{tiny:?}");
    }
}
