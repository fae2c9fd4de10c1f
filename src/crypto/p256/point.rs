//! Points of P-256 (y² = x³ − 3x + b) over a [`Field`]: affine points for tables, Jacobian points
//! (x = X/Z², y = Y/Z³) for sums, with the exceptional cases of the addition formulas (a point
//! plus itself, a point plus its negative, the identity) checked and handled: variable time.

use super::field::Field;

/// An affine point (never the identity).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Affine<F> {
    pub(crate) x: F,
    pub(crate) y: F,
}

/// A Jacobian point, or the identity when `infinity`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Jacobian<F> {
    pub(crate) x: F,
    pub(crate) y: F,
    pub(crate) z: F,
    pub(crate) infinity: bool,
}

impl<F: Field> Affine<F> {
    /// Whether (x, y) satisfies the curve equation.
    pub(crate) fn is_on_curve(&self) -> bool {
        let rhs = self
            .x
            .square()
            .mul(&self.x)
            .sub(&self.x.scale(3))
            .add(&F::B);
        self.y.square().equals(&rhs)
    }

    /// −self.
    #[must_use]
    pub(crate) fn neg(&self) -> Self {
        Affine {
            x: self.x,
            y: self.y.neg(),
        }
    }

    /// The same point in Jacobian coordinates.
    pub(crate) fn to_jacobian(self) -> Jacobian<F> {
        Jacobian {
            x: self.x,
            y: self.y,
            z: F::ONE,
            infinity: false,
        }
    }
}

impl<F: Field> Jacobian<F> {
    /// The identity.
    pub(crate) const IDENTITY: Self = Jacobian {
        x: F::ZERO,
        y: F::ONE,
        z: F::ZERO,
        infinity: true,
    };

    /// −self.
    #[must_use]
    pub(crate) fn neg(&self) -> Self {
        Jacobian {
            y: self.y.neg(),
            ..*self
        }
    }

    /// 2·self (dbl-2001-b, a = −3: 3M + 5S). P-256 has no point of order 2, so a finite point
    /// doubles to a finite point.
    #[must_use]
    pub(crate) fn double(&self) -> Self {
        if self.infinity {
            return *self;
        }
        let delta = self.z.square();
        let gamma = self.y.square();
        let beta = self.x.mul(&gamma);
        let alpha = self.x.sub(&delta).mul(&self.x.add(&delta)).scale(3);
        let x3 = alpha.square().sub(&beta.scale(8));
        let z3 = self.y.add(&self.z).square().sub(&gamma).sub(&delta);
        let y3 = alpha
            .mul(&beta.scale(4).sub(&x3))
            .sub(&gamma.square().scale(8));
        Jacobian {
            x: x3,
            y: y3,
            z: z3,
            infinity: false,
        }
    }

    /// self + q for an affine q (mixed addition: 8M + 3S).
    #[must_use]
    pub(crate) fn add_affine(&self, q: &Affine<F>) -> Self {
        if self.infinity {
            return q.to_jacobian();
        }
        let z1z1 = self.z.square();
        let u2 = q.x.mul(&z1z1);
        let s2 = q.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y);
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let hh = h.square();
        let hhh = h.mul(&hh);
        let v = self.x.mul(&hh);
        let x3 = r.square().sub(&hhh).sub(&v.scale(2));
        let y3 = r.mul(&v.sub(&x3)).sub(&self.y.mul(&hhh));
        Jacobian {
            x: x3,
            y: y3,
            z: self.z.mul(&h),
            infinity: false,
        }
    }

    /// self + q (12M + 4S).
    #[must_use]
    pub(crate) fn add(&self, q: &Self) -> Self {
        if self.infinity {
            return *q;
        }
        if q.infinity {
            return *self;
        }
        let z1z1 = self.z.square();
        let z2z2 = q.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = q.x.mul(&z1z1);
        let s1 = self.y.mul(&q.z).mul(&z2z2);
        let s2 = q.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1);
        if h.is_zero() {
            return if r.is_zero() {
                self.double()
            } else {
                Self::IDENTITY
            };
        }
        let hh = h.square();
        let hhh = h.mul(&hh);
        let v = u1.mul(&hh);
        let x3 = r.square().sub(&hhh).sub(&v.scale(2));
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&hhh));
        Jacobian {
            x: x3,
            y: y3,
            z: self.z.mul(&q.z).mul(&h),
            infinity: false,
        }
    }
}

/// Affine forms of finite Jacobian points with one field inversion (Montgomery's trick).
pub(crate) fn normalize_all<F: Field>(points: &[Jacobian<F>]) -> Vec<Affine<F>> {
    // prefix[i] = z_0 · … · z_{i−1}
    let mut prefix = Vec::with_capacity(points.len());
    let mut acc = F::ONE;
    for p in points {
        prefix.push(acc);
        acc = acc.mul(&p.z);
    }
    let mut inv = acc.invert();
    let mut out = vec![
        Affine {
            x: F::ZERO,
            y: F::ZERO
        };
        points.len()
    ];
    for ((p, before), slot) in points.iter().zip(prefix).zip(out.iter_mut()).rev() {
        let zinv = inv.mul(&before);
        inv = inv.mul(&p.z);
        let zinv2 = zinv.square();
        *slot = Affine {
            x: p.x.mul(&zinv2),
            y: p.y.mul(&zinv2).mul(&zinv),
        };
    }
    out
}
