//! Column types that carry their own conversion, so that a model field already holds the
//! value the rules work with: exact decimals stored as text, lists stored as JSON arrays.
use std::convert::Infallible;
use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use rust_decimal::Decimal;
use sea_orm::entity::prelude::*;
use sea_orm::FromJsonQueryResult;
use serde::{Deserialize, Serialize};

/// An exact decimal stored as its canonical text (no trailing zeros, no exponent).
///
/// SQLite has no exact decimal type and sea-orm stores `Decimal` there as REAL, which loses
/// digits; text round-trips unchanged on both backends.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, DeriveValueType)]
#[sea_orm(
    value_type = "String",
    from_str = "DecimalText::read_stored",
    to_str = "DecimalText::to_string"
)]
pub struct DecimalText(pub Decimal);

impl DecimalText {
    /// Reads a stored value. Stored values are written by this type, so a parse failure
    /// means the row was edited by hand; it reads as zero rather than failing a request.
    fn read_stored(stored: &str) -> Result<Self, Infallible> {
        Ok(Self(Decimal::from_str(stored.trim()).unwrap_or_else(
            |_| {
                tracing::warn!(value = stored, "unparseable stored decimal");
                Decimal::ZERO
            },
        )))
    }
}

/// The stored form.
impl fmt::Display for DecimalText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.normalize().fmt(f)
    }
}

/// Strict parsing, for values written by hand (fixtures, benchmarks).
impl FromStr for DecimalText {
    type Err = rust_decimal::Error;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Decimal::from_str(s).map(Self)
    }
}

impl Deref for DecimalText {
    type Target = Decimal;

    fn deref(&self) -> &Decimal {
        &self.0
    }
}

impl From<Decimal> for DecimalText {
    fn from(value: Decimal) -> Self {
        Self(value)
    }
}

impl From<DecimalText> for Decimal {
    fn from(value: DecimalText) -> Self {
        value.0
    }
}

/// A list of strings stored as a JSON array (reference designators, alternative MPNs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct StringList(pub Vec<String>);

impl Deref for StringList {
    type Target = Vec<String>;

    fn deref(&self) -> &Vec<String> {
        &self.0
    }
}

impl From<Vec<String>> for StringList {
    fn from(value: Vec<String>) -> Self {
        Self(value)
    }
}

/// A list of row ids stored as a JSON array (the candidates of an ambiguous match).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, FromJsonQueryResult)]
#[serde(transparent)]
pub struct IdList(pub Vec<i32>);

impl Deref for IdList {
    type Target = Vec<i32>;

    fn deref(&self) -> &Vec<i32> {
        &self.0
    }
}

impl From<Vec<i32>> for IdList {
    fn from(value: Vec<i32>) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decimal_is_stored_in_its_shortest_form_and_read_back_exactly() {
        let stored = DecimalText("2.500".parse().unwrap()).to_string();
        assert_eq!(stored, "2.5");
        let tiny = DecimalText::read_stored("0.000000000000015").unwrap();
        assert_eq!(tiny.to_string(), "0.000000000000015");
    }

    #[test]
    fn a_stored_decimal_edited_by_hand_into_garbage_reads_as_zero() {
        assert_eq!(DecimalText::read_stored("twelve").unwrap().0, Decimal::ZERO);
    }
}

/// GraphQL shows each of these as the value it wraps: `DecimalText` as `Decimal`,
/// `StringList` as `[String!]!`, so a model's column keeps the type clients know.
#[cfg(feature = "graphql")]
mod graphql {
    use std::borrow::Cow;

    use async_graphql::parser::types::Field;
    use async_graphql::registry::Registry;
    use async_graphql::{ContextSelectionSet, OutputType, Positioned, ServerResult, Value};

    use super::{DecimalText, StringList};

    macro_rules! shown_as_inner {
        ($outer:ty, $inner:ty) => {
            impl OutputType for $outer {
                fn type_name() -> Cow<'static, str> {
                    <$inner>::type_name()
                }

                fn qualified_type_name() -> String {
                    <$inner>::qualified_type_name()
                }

                fn create_type_info(registry: &mut Registry) -> String {
                    <$inner>::create_type_info(registry)
                }

                async fn resolve(
                    &self,
                    ctx: &ContextSelectionSet<'_>,
                    field: &Positioned<Field>,
                ) -> ServerResult<Value> {
                    self.0.resolve(ctx, field).await
                }
            }
        };
    }

    shown_as_inner!(DecimalText, rust_decimal::Decimal);
    shown_as_inner!(StringList, Vec<String>);
}
