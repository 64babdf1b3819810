//! Text limits, each declared once with the contract it comes from. Every write path checks
//! its text against these, through [`check_length`], so one value is accepted or refused
//! the same way wherever it arrives.
use crate::FieldErrors;

/// A BOM's name, version and part number, and its integration fields: Cofactr documents
/// 255 characters for each (Upsert BOM Async, Create BOM), and every path that writes a BOM
/// takes what that documented body may carry.
pub const BOM_TEXT: usize = 255;

/// The text fields of Cofactr's `CreateRawBomLine`: 1 to 255 characters.
pub const RAW_LINE_TEXT: usize = 255;

/// InvenTree's `BomItem.reference` (max_length 5000 in its API schema).
pub const REFERENCE: usize = 5000;

/// InvenTree's `BomItem.note` (max_length 500).
pub const NOTE: usize = 500;

/// InvenTree's `BomItem.overage` (max_length 24).
pub const OVERAGE: usize = 24;

/// A part's text fields, as InvenTree's Part model limits them (its API schema's max_length).
pub const PART_NAME: usize = 100;
pub const PART_IPN: usize = 100;
pub const PART_DESCRIPTION: usize = 250;
pub const PART_REVISION: usize = 100;
pub const PART_UNITS: usize = 20;
pub const PART_KEYWORDS: usize = 250;
pub const PART_LINK: usize = 2000;
/// Not InvenTree Part fields (its manufacturer parts hold them): as long as a name.
pub const PART_MPN: usize = 100;
pub const PART_MANUFACTURER: usize = 100;

/// DRF's wording for a text over its limit.
pub fn too_long(max: usize) -> String {
    format!("Ensure this field has no more than {max} characters.")
}

/// Adds DRF's error for `field` when `value` is longer than `max` characters.
pub fn check_length(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.add(field, too_long(max));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let mut errors = FieldErrors::new();
        check_length(&mut errors, "name", &"é".repeat(BOM_TEXT), BOM_TEXT);
        assert!(errors.is_empty());
        check_length(&mut errors, "name", &"é".repeat(BOM_TEXT + 1), BOM_TEXT);
        assert_eq!(
            errors.0["name"],
            ["Ensure this field has no more than 255 characters."]
        );
    }
}
