//! Doubles the way qemu-ga prints them: C's `printf("%.17g")`.
//!
//! Seventeen significant digits, correctly rounded (ties to even, as
//! glibc does); plain notation when the decimal exponent is in -4..17,
//! else `d.ddde±XX` with at least two exponent digits; trailing zeros and
//! a bare decimal point removed.

use std::fmt::Write as _;

/// Significant digits printed.
const PRECISION: usize = 17;

/// A small stack buffer for `core::fmt` output.
struct Scratch {
    bytes: [u8; 48],
    len: usize,
}

impl std::fmt::Write for Scratch {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let slot = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        slot.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Appends `value` to `out` formatted as `%.17g`.
pub fn write_g17(out: &mut Vec<u8>, value: f64) {
    if value.is_sign_negative() {
        out.push(b'-');
    }
    if value.is_nan() {
        out.extend_from_slice(b"nan");
        return;
    }
    if value.is_infinite() {
        out.extend_from_slice(b"inf");
        return;
    }
    // Seventeen correctly rounded significant digits, as d.dddde[-]X.
    let mut scratch = Scratch {
        bytes: [0; 48],
        len: 0,
    };
    if write!(scratch, "{:.*e}", PRECISION - 1, value.abs()).is_err() {
        return;
    }
    let text = scratch.bytes.get(..scratch.len).unwrap_or_default();
    let (mantissa, exponent) = match text.iter().position(|&b| b == b'e') {
        Some(at) => (
            text.get(..at).unwrap_or_default(),
            text.get(at + 1..).unwrap_or_default(),
        ),
        None => (text, &b"0"[..]),
    };
    let exponent: i32 = std::str::from_utf8(exponent)
        .ok()
        .and_then(|e| e.parse().ok())
        .unwrap_or(0);
    let mut digits = [b'0'; PRECISION];
    for (slot, &d) in digits
        .iter_mut()
        .zip(mantissa.iter().filter(|b| b.is_ascii_digit()))
    {
        *slot = d;
    }
    // Significant digits left once trailing zeros are dropped (at least 1).
    let significant = digits.iter().rposition(|&d| d != b'0').map_or(1, |p| p + 1);
    let digits = digits.get(..significant).unwrap_or_default();

    if exponent < -4 || exponent >= PRECISION as i32 {
        let (first, rest) = digits.split_first().unwrap_or((&b'0', &[]));
        out.push(*first);
        if !rest.is_empty() {
            out.push(b'.');
            out.extend_from_slice(rest);
        }
        out.push(b'e');
        out.push(if exponent < 0 { b'-' } else { b'+' });
        let magnitude = exponent.unsigned_abs();
        if magnitude < 10 {
            out.push(b'0');
        }
        out.extend_from_slice(magnitude.to_string().as_bytes());
    } else if exponent >= 0 {
        // `exponent + 1` digits before the point.
        let whole = exponent as usize + 1;
        for i in 0..whole {
            out.push(digits.get(i).copied().unwrap_or(b'0'));
        }
        if let Some(fraction) = digits.get(whole..).filter(|f| !f.is_empty()) {
            out.push(b'.');
            out.extend_from_slice(fraction);
        }
    } else {
        out.extend_from_slice(b"0.");
        for _ in 0..(-exponent - 1) {
            out.push(b'0');
        }
        out.extend_from_slice(digits);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g17(value: f64) -> String {
        let mut out = Vec::new();
        write_g17(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn wire_examples() {
        assert_eq!(g17(0.1), "0.10000000000000001");
        assert_eq!(g17(1.5e300), "1.5000000000000001e+300");
        assert_eq!(g17(1.88623046875), "1.88623046875");
        assert_eq!(g17(0.5224609375), "0.5224609375");
    }

    #[test]
    fn integral_and_signed_values() {
        assert_eq!(g17(0.0), "0");
        assert_eq!(g17(-0.0), "-0");
        assert_eq!(g17(1.0), "1");
        assert_eq!(g17(-1.5), "-1.5");
        assert_eq!(g17(100.0), "100");
        assert_eq!(g17(1e16), "10000000000000000");
        assert_eq!(g17(1e17), "1e+17");
        assert_eq!(g17(123456789012345680.0), "1.2345678901234568e+17");
    }

    #[test]
    fn exponent_boundaries() {
        assert_eq!(g17(0.0001), "0.0001");
        assert_eq!(g17(0.00001), "1.0000000000000001e-05");
        assert_eq!(g17(1e-300), "1e-300");
        assert_eq!(g17(f64::MAX), "1.7976931348623157e+308");
        assert_eq!(g17(f64::MIN_POSITIVE), "2.2250738585072014e-308");
        assert_eq!(g17(5e-324), "4.9406564584124654e-324");
    }

    #[test]
    fn not_finite() {
        assert_eq!(g17(f64::INFINITY), "inf");
        assert_eq!(g17(f64::NEG_INFINITY), "-inf");
        assert_eq!(g17(f64::NAN), "nan");
    }

    /// Reference values from a correctly rounding `%.17g` (CPython's).
    #[test]
    fn matches_reference() {
        let cases: &[(u64, &str)] = &REFERENCE;
        for &(bits, expected) in cases {
            assert_eq!(g17(f64::from_bits(bits)), expected, "bits {bits:#x}");
        }
    }

    const REFERENCE: [(u64, &str); 69] = [
        (0x0000000000001ef3, "3.9144821120001964e-320"),
        (0x00000000000012a4, "2.3576812619544285e-320"),
        (0x00007e40909a0491, "6.8584102573586851e-310"),
        (0x00001e68c72036a0, "1.6519265800079084e-310"),
        (0x01cf325712d9b357, "5.8229380387602032e-300"),
        (0x01c6fd83a5afa84b, "4.29120025221327e-300"),
        (0x3596c71bc3e721f3, "1.5219903229723614e-50"),
        (0x35b4d40d3447a86f, "5.5669215987047823e-50"),
        (0x3bcf947489ffcfb8, "1.3374609259778638e-20"),
        (0x3becf0eb32812536, "4.9028111529614723e-20"),
        (0x3ebb5335483983b4, "1.6286988121715704e-06"),
        (0x3ebe7973be93550e, "1.8164171200947855e-06"),
        (0x3f09463287306034, "4.8206727022826265e-05"),
        (0x3f16211bb64d1ad7, "8.4416691220483425e-05"),
        (0x3f2bb623220a8677, "0.00021142176503468103"),
        (0x3f33b88460665e73, "0.0003009150681463131"),
        (0x3f7b39c75d4f79a1, "0.0066468990016503035"),
        (0x3f838423cc2cae02, "0.0095293804821130514"),
        (0x3fe3d2108ae86f5a, "0.61939265375574881"),
        (0x3fdd3fb10d2833f8, "0.45701242718570212"),
        (0x4023929561ff57d7, "9.7862959503362799"),
        (0x3ff6b53954051c9e, "1.4192441255598065"),
        (0x4055d0c7403fe2c7, "87.262161314381146"),
        (0x4042084c89db8f6a, "36.064835769850859"),
        (0x406cba8be0ea781b, "229.82957502169378"),
        (0x4069c06a9ce74a0e, "206.01301427053153"),
        (0x41170c869117a3c5, "377633.64169174089"),
        (0x412977a37248529c, "834513.72320802836"),
        (0x4218762737c49e14, "26265374193.154373"),
        (0x422d07fc57133e72, "62344014729.621964"),
        (0x4337fb4a59fe5028, "6750221220335656"),
        (0x432eeb795c0a36fa, "4351577884531581"),
        (0x436a5549e3ea480d, "59297001913860200"),
        (0x434bcd411a961576, "15651007747599084"),
        (0x43810ebdca095d46, "1.5364105296960941e+17"),
        (0x438fae7ff08f75a7, "2.8536284153739389e+17"),
        (0x43d8b7070f3be3f1, "7.123599758636074e+18"),
        (0x43d0d22ec85a1b3f, "4.8483307510246267e+18"),
        (0x4434bf7ad2822b8f, "3.8273245333911234e+20"),
        (0x4440feb9d2ad8864, "6.2700567715687485e+20"),
        (0x4a75b7ef8522b4cb, "5.0786593873369788e+50"),
        (0x4a6fa0aa4d5ec236, "3.6979029717731412e+50"),
        (0x54e2a11d9a3159ef, "8.149415333702422e+100"),
        (0x54e0aabbc4bed1bc, "7.290949903566142e+100"),
        (0x7e531833789c4ad9, "3.1968685964993764e+300"),
        (0x7e626d0133b39b36, "6.1698133923280392e+300"),
        (0x7ff0000000000000, "inf"),
        (0x7ff0000000000000, "inf"),
        (0x3fd3333333333333, "0.29999999999999999"),
        (0x3fe5555555555555, "0.66666666666666663"),
        (0x3fd5555555555555, "0.33333333333333331"),
        (0x405edd2f1a9fbe77, "123.456"),
        (0x4340000000000000, "9007199254740992"),
        (0x43e0000000000000, "9.2233720368547758e+18"),
        (0x43f0000000000000, "1.8446744073709552e+19"),
        (0x3fd3333333333334, "0.30000000000000004"),
        (0x3e7ad7f29abcaf48, "9.9999999999999995e-08"),
        (0x41b1de784a000000, "299792458"),
        (0x44dfe185ca57c517, "6.0221407599999999e+23"),
        (0x3f201f31f46ed246, "0.00012300000000000001"),
        (0x4132d68700000000, "1234567"),
        (0x3fb1eb851eb851ec, "0.070000000000000007"),
        (0x3f0a36e2eb1c432d, "5.0000000000000002e-05"),
        (0x8000000000001ef3, "-3.9144821120001964e-320"),
        (0x80000000000012a4, "-2.3576812619544285e-320"),
        (0x80007e40909a0491, "-6.8584102573586851e-310"),
        (0x80001e68c72036a0, "-1.6519265800079084e-310"),
        (0x81cf325712d9b357, "-5.8229380387602032e-300"),
        (0x81c6fd83a5afa84b, "-4.29120025221327e-300"),
    ];
}
