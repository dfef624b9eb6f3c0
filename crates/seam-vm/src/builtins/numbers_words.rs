//! The numeric builtins' fast paths on words (see [`WordFn`](super::WordFn)): fixnums and
//! flonums answered without decoding, everything else (bignums, rationals, complex
//! numbers, wrong types, overflow) left to the builtin, which reports every error. The
//! agreement test in `test_support.rs` runs each against its builtin.

use crate::heap::Heap;
use crate::num::Cmp;
use crate::object::Object;
use crate::value::Word;

/// A real argument the fast paths handle.
#[derive(Clone, Copy)]
enum Real {
    Fix(i64),
    Flo(f64),
}

impl Real {
    #[inline(always)]
    fn of(w: Word) -> Option<Real> {
        if w.is_fixnum() {
            Some(Real::Fix(w.fixnum_bits()))
        } else {
            w.flonum_value().map(Real::Flo)
        }
    }

    /// As a flonum: exact, since a fixnum has at most 51 bits.
    #[inline(always)]
    fn float(self) -> f64 {
        match self {
            Real::Fix(n) => n as f64,
            Real::Flo(f) => f,
        }
    }
}

/// A one-argument builtin: `fix` on a fixnum, `flo` on a flonum.
#[inline(always)]
fn unary(a: &[Word], fix: impl Fn(i64) -> Option<Word>, flo: impl Fn(f64) -> Option<Word>) -> Option<Word> {
    match Real::of(a[0])? {
        Real::Fix(n) => fix(n),
        Real::Flo(f) => flo(f),
    }
}

pub(super) fn zero(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |n| Some(Word::bool(n == 0)), |f| Some(Word::bool(f == 0.0)))
}

pub(super) fn positive(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |n| Some(Word::bool(n > 0)), |f| Some(Word::bool(f > 0.0)))
}

pub(super) fn negative(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |n| Some(Word::bool(n < 0)), |f| Some(Word::bool(f < 0.0)))
}

pub(super) fn odd(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |n| Some(Word::bool(n & 1 == 1)), |_| None)
}

pub(super) fn even(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |n| Some(Word::bool(n & 1 == 0)), |_| None)
}

pub(super) fn abs(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |n| Word::fixnum(n.abs()), |f| Some(Word::flonum(f.abs())))
}

pub(super) fn square(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |n| n.checked_mul(n).and_then(Word::fixnum), |f| Some(Word::flonum(f * f)))
}

/// `exact`, `inexact->exact`: an integral flonum in the fixnum range converts directly.
pub(super) fn exact(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, Word::fixnum, |f| seam_num::float_to_fixnum(f).and_then(Word::fixnum))
}

/// `inexact`, `exact->inexact`.
pub(super) fn inexact(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |n| Some(Word::flonum(n as f64)), |f| Some(Word::flonum(f)))
}

/// How `rounding` rounds a ratio.
#[derive(Clone, Copy)]
pub(super) enum Rounding {
    Floor,
    Ceiling,
    Truncate,
    Round,
}

/// `floor`, `ceiling`, `truncate`, `round`: a fixnum is its own answer, a flonum is rounded
/// directly, and a ratio whose parts fit 62 bits is rounded in integer arithmetic.
pub(super) fn rounding(heap: &mut Heap, a: &[Word], float: fn(f64) -> f64, how: Rounding) -> Option<Word> {
    if let Some(Object::Rational(r)) = a[0].object_index().map(|o| heap.get(o)) {
        let (n, d) = (i64::try_from(r.numer()).ok()?, i64::try_from(r.denom()).ok()?);
        if n.unsigned_abs() >= 1 << 62 || d <= 0 || d >= 1 << 62 {
            return None;
        }
        // A ratio in lowest terms has a positive denominator, so `div_euclid` floors.
        let floor = n.div_euclid(d);
        let twice_rest = 2 * (n - floor * d);
        let rounded = match how {
            Rounding::Floor => floor,
            Rounding::Ceiling => floor + i64::from(n != floor * d),
            Rounding::Truncate => n / d,
            Rounding::Round if twice_rest > d || (twice_rest == d && floor % 2 != 0) => floor + 1,
            Rounding::Round => floor,
        };
        return Word::fixnum(rounded);
    }
    unary(a, Word::fixnum, |f| Some(Word::flonum(float(f))))
}

/// `/`: fixnums give a fixnum when the division is exact, else a ratio in lowest terms;
/// with a flonum among two operands (and no exact zero divisor), a flonum.
pub(super) fn divide_exactly(heap: &mut Heap, a: &[Word]) -> Option<Word> {
    let (x, y) = match *a {
        [y] => (Real::Fix(1), Real::of(y)?),
        [x, y] => (Real::of(x)?, Real::of(y)?),
        _ => return None,
    };
    match (x, y) {
        (_, Real::Fix(0)) => None,
        (Real::Fix(x), Real::Fix(y)) => {
            if x % y == 0 {
                return Word::fixnum(x / y);
            }
            let g = num_integer::Integer::gcd(&x, &y);
            let (n, d) = if y < 0 { (-x / g, -y / g) } else { (x / g, y / g) };
            let ratio = num_rational::BigRational::new_raw(n.into(), d.into());
            Word::new(heap.alloc(Object::Rational(Box::new(ratio)))).ok()
        }
        _ => Some(Word::flonum(x.float() / y.float())),
    }
}

pub(super) fn number(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |_| Some(Word::TRUE), |_| Some(Word::TRUE))
}

pub(super) fn integer(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |_| Some(Word::TRUE), |f| Some(Word::bool(f.is_finite() && f.fract() == 0.0)))
}

pub(super) fn exact_integer(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |_| Some(Word::TRUE), |_| Some(Word::FALSE))
}

pub(super) fn is_exact(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |_| Some(Word::TRUE), |_| Some(Word::FALSE))
}

pub(super) fn is_inexact(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(a, |_| Some(Word::FALSE), |_| Some(Word::TRUE))
}

/// `sqrt`: exact squares stay exact; a non-negative flonum's root is the flonum root.
pub(super) fn sqrt(_: &mut Heap, a: &[Word]) -> Option<Word> {
    unary(
        a,
        |n| {
            let root = num_integer::Roots::sqrt(&n.max(0));
            (n >= 0 && root * root == n).then(|| Word::fixnum(root)).flatten()
        },
        |f| (f >= 0.0).then(|| Word::flonum(f.sqrt())),
    )
}

/// `expt` of two fixnums with a result in the fixnum range.
pub(super) fn expt(_: &mut Heap, a: &[Word]) -> Option<Word> {
    let (Real::Fix(base), Real::Fix(power)) = (Real::of(a[0])?, Real::of(a[1])?) else { return None };
    base.checked_pow(u32::try_from(power).ok()?).and_then(Word::fixnum)
}

/// `max` and `min`: fixnums give a fixnum; with a flonum among them, a flonum (R7RS:
/// inexact contagion). NaNs and signed zeros are left to the builtin.
pub(super) fn extremum(a: &[Word], pick_max: bool) -> Option<Word> {
    let first = Real::of(a[0])?;
    let mut fix = match first {
        Real::Fix(n) => Some(n),
        Real::Flo(_) => None,
    };
    let mut best = first.float();
    for &w in &a[1..] {
        let x = Real::of(w)?;
        if let (Some(n), Real::Fix(m)) = (fix, x) {
            fix = Some(if pick_max { n.max(m) } else { n.min(m) });
        } else {
            fix = None;
        }
        let f = x.float();
        if (pick_max && f > best) || (!pick_max && f < best) {
            best = f;
        }
    }
    match fix {
        Some(n) => Word::fixnum(n),
        None if a.iter().all(|&w| Real::of(w).is_some_and(|x| x.float() != 0.0 && !x.float().is_nan())) => {
            Some(Word::flonum(best))
        }
        None => None,
    }
}

/// `=`, `<`, ... of fixnums and flonums: compared as flonums when either is one (exact:
/// fixnums have at most 51 bits), so a NaN makes every comparison false.
pub(super) fn chain(a: &[Word], cmp: Cmp) -> Option<Word> {
    let mut holds = true;
    let mut previous = Real::of(a[0])?;
    for &w in &a[1..] {
        let x = Real::of(w)?;
        holds &= match (previous, x) {
            (Real::Fix(p), Real::Fix(n)) => cmp.holds(p, n),
            _ => cmp.holds(previous.float(), x.float()),
        };
        previous = x;
    }
    Some(Word::bool(holds))
}

/// `+`, `-` and `*` of fixnums: `None` on overflow.
pub(super) fn fold_fixnums(a: &[Word], op: fn(i64, i64) -> Option<i64>) -> Option<Word> {
    let mut acc = Real::of(a[0]).and_then(|x| if let Real::Fix(n) = x { Some(n) } else { None })?;
    for &w in &a[1..] {
        let Real::Fix(n) = Real::of(w)? else { return None };
        acc = op(acc, n)?;
    }
    Word::fixnum(acc)
}

/// Integer division of two fixnums (`quotient`, `remainder`, `modulo`, ...).
pub(super) fn divide(a: &[Word], op: fn(i64, i64) -> Option<i64>) -> Option<Word> {
    let (Real::Fix(x), Real::Fix(y)) = (Real::of(a[0])?, Real::of(a[1])?) else { return None };
    op(x, y).and_then(Word::fixnum)
}

/// `number->string` of a fixnum in radix 10, its digits written straight into the string.
pub(super) fn number_to_string(heap: &mut Heap, a: &[Word]) -> Option<Word> {
    if a.len() == 2 && a[1] != Word::small_fixnum(10) {
        return None;
    }
    let Real::Fix(n) = Real::of(a[0])? else { return None };
    // Written backwards into a buffer, then copied into a string of exactly their length.
    let mut buffer = [0u8; 24];
    let mut start = buffer.len();
    let mut rest = n.unsigned_abs();
    loop {
        start -= 1;
        buffer[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    if n < 0 {
        start -= 1;
        buffer[start] = b'-';
    }
    let text: Vec<char> = buffer[start..].iter().map(|&b| char::from(b)).collect();
    Word::new(heap.alloc(Object::String(text))).ok()
}

/// `gcd` and `lcm` of fixnums (`None` for none: the builtin gives the identity).
pub(super) fn gcd_lcm(a: &[Word], lcm: bool) -> Option<Word> {
    let mut acc = match Real::of(*a.first()?)? {
        Real::Fix(n) => n.unsigned_abs(),
        Real::Flo(_) => return None,
    };
    for &w in &a[1..] {
        let Real::Fix(n) = Real::of(w)? else { return None };
        let n = n.unsigned_abs();
        acc = if lcm {
            if acc == 0 || n == 0 {
                0
            } else {
                (acc / num_integer::Integer::gcd(&acc, &n)).checked_mul(n)?
            }
        } else {
            num_integer::Integer::gcd(&acc, &n)
        };
    }
    Word::fixnum(i64::try_from(acc).ok()?)
}
