//! The rules of a raw line as Cofactr's body states them (text of 1 to 255 characters, a
//! quantity that is positive once designators are counted), checked at once, before a
//! job is queued or a line matched; and the designators-versus-quantity warning of a
//! stored line.
use entity::bom_line;
use rust_decimal::Decimal;

use super::wire::{RawLine, UpsertBom};
use crate::{bom as boms, designators, limits, FieldErrors, ServiceError, ServiceResult};

impl RawLine {
    pub(super) fn designators(&self) -> Vec<String> {
        if !self.reference_designators.is_empty() {
            self.reference_designators
                .iter()
                .map(|d| d.trim().to_owned())
                .filter(|d| !d.is_empty())
                .collect()
        } else {
            designators::parse(self.reference_designators_string.as_deref().unwrap_or(""))
        }
    }

    /// The quantity to store: as given, or the number of designators when zero.
    pub(super) fn effective_quantity(&self) -> Decimal {
        if self.quantity.is_zero() {
            Decimal::from(self.designators().len())
        } else {
            self.quantity
        }
    }

    /// The rules of the seed's body: text fields of 1 to 255 characters, a quantity that is
    /// positive once designators are counted, an integer line number.
    pub fn check(&self, prefix: &str, errors: &mut FieldErrors) {
        let texts = [
            ("custom_id", &self.custom_id),
            ("mpn", &self.mpn),
            ("manufacturer_name", &self.manufacturer_name),
            (
                "reference_designators_string",
                &self.reference_designators_string,
            ),
            ("description", &self.description),
            ("link", &self.link),
            ("comments", &self.comments),
            ("line_number", &self.line_number),
            ("value", &self.value),
            ("package", &self.package),
            ("mount_type", &self.mount_type),
        ];
        for (field, value) in texts {
            if let Some(v) = value {
                if v.is_empty() {
                    errors.add(
                        &format!("{prefix}{field}"),
                        "Ensure this field has at least 1 characters.",
                    );
                } else {
                    let field = format!("{prefix}{field}");
                    limits::check_length(errors, &field, v, limits::RAW_LINE_TEXT);
                }
            }
        }
        if self.quantity.is_sign_negative() && !self.quantity.is_zero() {
            errors.add(
                &format!("{prefix}quantity"),
                "Ensure this value is greater than or equal to 0.",
            );
        } else if self.effective_quantity().is_zero() {
            errors.add(
                &format!("{prefix}quantity"),
                "Give a quantity or reference designators to count.",
            );
        }
        if self.metadata.as_ref().is_some_and(|m| !m.is_object()) {
            errors.add(
                &format!("{prefix}metadata"),
                "Metadata must be a JSON object.",
            );
        }
    }
}

/// Checks a batch of raw lines, naming each bad one `lines[i].field`.
pub fn check_lines(raw: &[RawLine]) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    for (i, line) in raw.iter().enumerate() {
        line.check(&format!("lines[{i}]."), &mut errors);
    }
    errors.into_result()
}

/// Checks an upsert body at once, before any job is queued: the BOM's fields by the rules
/// every BOM write follows (the upsert may create the BOM), and each line.
pub fn check_upsert(body: &UpsertBom) -> ServiceResult<()> {
    let mut errors = match boms::validate(&body.bom_input(None), true) {
        Err(ServiceError::Validation(fields)) => fields,
        Err(other) => return Err(other),
        Ok(()) => FieldErrors::new(),
    };
    for (i, line) in body.lines.iter().enumerate() {
        line.check(&format!("lines[{i}]."), &mut errors);
    }
    errors.into_result()
}

/// The designators of a line disagree with its quantity (both present).
pub fn quantity_mismatch(line: &bom_line::Model) -> bool {
    let count = line.reference_designators.len();
    count > 0 && Decimal::from(count) != line.quantity.0
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use serde_json::json;

    use super::RawLine;
    use crate::{limits, FieldErrors};

    fn errors(line: &RawLine) -> Vec<(String, Vec<String>)> {
        let mut errors = FieldErrors::new();
        line.check("lines[2].", &mut errors);
        errors.0.into_iter().collect()
    }

    fn with_quantity(q: i64) -> RawLine {
        RawLine {
            quantity: Decimal::from(q),
            ..Default::default()
        }
    }

    fn one(field: &str, message: impl Into<String>) -> Vec<(String, Vec<String>)> {
        vec![(format!("lines[2].{field}"), vec![message.into()])]
    }

    #[test]
    fn a_line_with_a_quantity_and_nothing_else_is_fine() {
        assert!(errors(&with_quantity(3)).is_empty());
    }

    #[test]
    fn text_fields_hold_1_to_255_characters() {
        let line = RawLine {
            mpn: Some(String::new()),
            ..with_quantity(1)
        };
        assert_eq!(
            errors(&line),
            one("mpn", "Ensure this field has at least 1 characters.")
        );
        let line = RawLine {
            comments: Some("c".repeat(limits::RAW_LINE_TEXT + 1)),
            package: Some("p".repeat(limits::RAW_LINE_TEXT)),
            ..with_quantity(1)
        };
        assert_eq!(
            errors(&line),
            one("comments", limits::too_long(limits::RAW_LINE_TEXT))
        );
    }

    #[test]
    fn a_negative_quantity_is_refused() {
        assert_eq!(
            errors(&with_quantity(-2)),
            one(
                "quantity",
                "Ensure this value is greater than or equal to 0."
            )
        );
    }

    #[test]
    fn no_quantity_counts_the_designators() {
        let line = RawLine {
            reference_designators_string: Some("R1-R3, R7".into()),
            ..Default::default()
        };
        assert!(errors(&line).is_empty());
        assert_eq!(line.effective_quantity(), Decimal::from(4));
        // a list, when given, is what counts; its blank entries do not
        let line = RawLine {
            reference_designators: vec!["C1".into(), " ".into(), " C2 ".into()],
            reference_designators_string: Some("C1-C9".into()),
            ..Default::default()
        };
        assert_eq!(line.designators(), ["C1", "C2"]);
        assert_eq!(line.effective_quantity(), Decimal::from(2));
        // a given quantity wins over the designators
        let line = RawLine {
            reference_designators_string: Some("R1-R3".into()),
            ..with_quantity(10)
        };
        assert_eq!(line.effective_quantity(), Decimal::from(10));
    }

    #[test]
    fn no_quantity_and_no_designators_is_refused() {
        assert_eq!(
            errors(&RawLine::default()),
            one(
                "quantity",
                "Give a quantity or reference designators to count."
            )
        );
    }

    #[test]
    fn metadata_must_be_an_object() {
        let line = RawLine {
            metadata: Some(json!(["a"])),
            ..with_quantity(1)
        };
        assert_eq!(
            errors(&line),
            one("metadata", "Metadata must be a JSON object.")
        );
        let line = RawLine {
            metadata: Some(json!({"a": 1})),
            ..with_quantity(1)
        };
        assert!(errors(&line).is_empty());
    }
}
