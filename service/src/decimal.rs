//! Exact decimals: parsing user input, checking and computing. The stored form is
//! `entity::DecimalText`'s, which columns read and write themselves.
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::{FieldErrors, ServiceError};

/// The canonical text of a decimal, as stored: no trailing zeros, no exponent.
pub fn store(value: Decimal) -> String {
    entity::DecimalText(value).to_string()
}

/// The largest quantity or price accepted anywhere (lines, stock, offers, price breaks,
/// programs, overrides): far beyond any real build, and small enough that products and
/// sums of them stay exact.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

fn too_large() -> ServiceError {
    FieldErrors::single("quantity", "The quantities are too large to compute with.")
}

/// Multiplies quantities, refusing a product too large to hold exactly.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ServiceError> {
    a.checked_mul(b).ok_or_else(too_large)
}

/// Adds quantities, refusing a sum too large to hold exactly.
pub fn add(a: Decimal, b: Decimal) -> Result<Decimal, ServiceError> {
    a.checked_add(b).ok_or_else(too_large)
}

/// Divides quantities, refusing a quotient too large to hold (or a zero divisor).
pub fn div(a: Decimal, b: Decimal) -> Result<Decimal, ServiceError> {
    a.checked_div(b).ok_or_else(too_large)
}

/// Sums quantities, refusing a sum too large to hold exactly.
pub fn sum(values: impl IntoIterator<Item = Decimal>) -> Result<Decimal, ServiceError> {
    values.into_iter().try_fold(Decimal::ZERO, add)
}

/// Checks a stock figure, price or other amount: from 0 to `MAX_QUANTITY`.
pub fn check_amount(errors: &mut FieldErrors, field: &str, value: Decimal) {
    if value.is_sign_negative() && !value.is_zero() {
        errors.add(field, "Ensure this value is greater than or equal to 0.");
    } else if value > MAX_QUANTITY {
        errors.add(field, too_large_message());
    }
}

/// Checks a quantity to build or use: above 0 and up to `MAX_QUANTITY`.
/// The one wording of a quantity that is zero or negative (InvenTree's).
pub const NOT_POSITIVE: &str = "Quantity must be greater than zero";

pub fn check_quantity(errors: &mut FieldErrors, field: &str, value: Decimal) {
    if value <= Decimal::ZERO {
        errors.add(field, NOT_POSITIVE);
    } else if value > MAX_QUANTITY {
        errors.add(field, too_large_message());
    }
}

fn too_large_message() -> String {
    format!("Ensure this value is less than or equal to {MAX_QUANTITY}.")
}

/// Decimal places kept. Values go up to 10^12 (13 digits before the point) and the
/// decimal type holds 28 significant digits, so 15 places keep every accepted value exact;
/// more is refused rather than rounded away.
pub const MAX_DECIMAL_PLACES: i64 = 15;

/// Parses user input such as `"12.5"`, `"1e3"` or `" 4 "`; errors name the field.
pub fn parse(field: &str, input: &str) -> Result<Decimal, ServiceError> {
    parse_text(input).map_err(|message| FieldErrors::single(field, message))
}

/// Parses a decimal exactly, or says in DRF's words why it cannot.
pub fn parse_text(input: &str) -> Result<Decimal, String> {
    let invalid = || "A valid number is required.".to_owned();
    let s = input.trim();
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i64>().map_err(|_| invalid())?),
        None => (s, 0),
    };
    let unsigned = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !digits_only(whole) || !digits_only(fraction) {
        return Err(invalid());
    }
    let places = fraction.trim_end_matches('0').len() as i64 - exponent;
    if places > MAX_DECIMAL_PLACES {
        return Err(format!(
            "Ensure that there are no more than {MAX_DECIMAL_PLACES} decimal places."
        ));
    }
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(MAX_QUANTITY, Decimal::from(1_000_000_000_000_u64));
        assert!(mul(Decimal::MAX, Decimal::TWO).is_err());
        assert_eq!(mul(Decimal::TWO, Decimal::TEN).unwrap(), Decimal::from(20));
        assert!(sum([Decimal::MAX, Decimal::ONE]).is_err());
        assert_eq!(
            sum([Decimal::TWO, Decimal::TEN]).unwrap(),
            Decimal::from(12)
        );
        let mut errors = FieldErrors::new();
        check_amount(&mut errors, "a", Decimal::ZERO);
        check_amount(&mut errors, "a", MAX_QUANTITY);
        check_quantity(&mut errors, "q", MAX_QUANTITY);
        assert!(errors.is_empty());
        check_amount(&mut errors, "neg", Decimal::NEGATIVE_ONE);
        check_amount(&mut errors, "big", MAX_QUANTITY + Decimal::ONE);
        check_quantity(&mut errors, "zero", Decimal::ZERO);
        assert_eq!(errors.0.len(), 3);
    }

    #[test]
    fn round_trips_exactly() {
        for s in ["12345678.12345", "0.000123", "1", "-3.5"] {
            assert_eq!(store(parse("q", s).unwrap()), s);
        }
        assert_eq!(store(parse("q", "2.500").unwrap()), "2.5");
        assert_eq!(store(parse("q", "1e3").unwrap()), "1000");
        assert!(parse("q", "abc").is_err());
        assert_eq!(store(parse("q", "0.100000000000000000000").unwrap()), "0.1");
        assert_eq!(store(parse("q", "1.5e-14").unwrap()), "0.000000000000015");
    }

    #[test]
    fn more_places_than_kept_are_refused() {
        for s in [
            "0.00000000000000000000000000001",
            "0.0000000000000001",
            "1e-16",
        ] {
            assert_eq!(
                parse_text(s).unwrap_err(),
                "Ensure that there are no more than 15 decimal places.",
                "{s}"
            );
        }
        for s in ["", ".", "1.2.3", "--1", "1e", "0x10", "NaN"] {
            assert_eq!(
                parse_text(s).unwrap_err(),
                "A valid number is required.",
                "{s:?}"
            );
        }
    }
}
