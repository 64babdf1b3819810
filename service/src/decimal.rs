//! Exact decimals: parsing user input and the canonical string stored in the database.
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::{FieldErrors, ServiceError};

/// The canonical stored form: no trailing zeros, no exponent.
pub fn store(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Reads a stored value. Stored values are written by `store`, so a parse failure means the
/// row was edited by hand; it reads as zero rather than failing a whole request.
pub fn load(stored: &str) -> Decimal {
    Decimal::from_str(stored.trim()).unwrap_or_else(|_| {
        tracing::warn!(value = stored, "unparseable stored decimal");
        Decimal::ZERO
    })
}

pub fn load_opt(stored: &Option<String>) -> Option<Decimal> {
    stored.as_deref().map(load)
}

/// The largest quantity accepted anywhere (lines, stock, programs, price breaks): far
/// beyond any real build, and small enough that multiplying through a deep BOM stays exact.
pub const MAX_QUANTITY: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Multiplies quantities, refusing a product too large to hold exactly.
pub fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ServiceError> {
    a.checked_mul(b).ok_or_else(|| {
        FieldErrors::single("quantity", "The quantities are too large to compute with.")
    })
}

/// Parses user input such as `"12.5"`, `"1e3"` or `" 4 "`; errors name the field.
pub fn parse(field: &str, input: &str) -> Result<Decimal, ServiceError> {
    let s = input.trim();
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .map_err(|_| FieldErrors::single(field, "A valid number is required."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds() {
        assert_eq!(MAX_QUANTITY, Decimal::from(1_000_000_000_000_u64));
        assert!(mul(Decimal::MAX, Decimal::TWO).is_err());
        assert_eq!(mul(Decimal::TWO, Decimal::TEN).unwrap(), Decimal::from(20));
    }

    #[test]
    fn round_trips_exactly() {
        for s in ["12345678.12345", "0.000123", "1", "-3.5"] {
            assert_eq!(store(parse("q", s).unwrap()), s);
        }
        assert_eq!(store(parse("q", "2.500").unwrap()), "2.5");
        assert_eq!(store(parse("q", "1e3").unwrap()), "1000");
        assert!(parse("q", "abc").is_err());
    }
}
