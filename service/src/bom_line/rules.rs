//! The rules of one BOM line, checked against the line as it would be after a write: a
//! positive quantity (an integer one for a trackable part), no BOM loop, overage, text
//! lengths; and the checksum behind InvenTree's `validated`, which an edit of a reviewed
//! field clears. Every path that writes a line (add, update, import, raw lines) checks here.
use std::collections::HashSet;

use entity::{bom, bom_line, part};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;
use sha2::{Digest, Sha256};

use crate::auth::Principal;

use crate::{limits, part as parts, structure, FieldErrors, ServiceResult};

pub use entity::bom_line::MatchStatus;

/// The checksum behind `validated`: the fields that, once edited, need a new review.
pub fn checksum(line: &bom_line::Model) -> String {
    let text = format!(
        "{}|{}|{}|{}|{}|{}|{}|{}",
        line.bom_id,
        line.part_id.map(|p| p.to_string()).unwrap_or_default(),
        line.quantity,
        line.reference,
        line.optional,
        line.inherited,
        line.consumable,
        line.allow_variants,
    );
    hex::encode(Sha256::digest(text.as_bytes()))
}

pub fn is_validated(line: &bom_line::Model) -> bool {
    line.validation_hash.as_deref() == Some(checksum(line).as_str())
}

/// Empty, a number >= 0, or a percentage between 0 and 100.
fn check_overage(errors: &mut FieldErrors, overage: &str) {
    let o = overage.trim();
    if o.is_empty() {
        return;
    }
    if overage.chars().count() > limits::OVERAGE {
        errors.add("overage", limits::too_long(limits::OVERAGE));
        return;
    }
    let (number, percent) = match o.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (o, false),
    };
    match number.parse::<Decimal>() {
        Ok(v) if v.is_sign_negative() && !v.is_zero() => {
            errors.add("overage", "Overage value must not be negative")
        }
        Ok(v) if percent && v > Decimal::ONE_HUNDRED => {
            errors.add("overage", "Overage must not exceed 100%")
        }
        Ok(_) => {}
        Err(_) => errors.add("overage", "Invalid value for overage"),
    }
}

/// Every rule of a line, checked against the line as it would be after the write, given its
/// part (already checked to be the BOM's team) and the parts above the BOM's assembly.
pub(crate) fn line_errors(
    bom: &bom::Model,
    line: &bom_line::ActiveModel,
    part: Option<&part::Model>,
    above: &HashSet<i32>,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    let quantity = line.quantity.as_ref().0;
    crate::decimal::check_quantity(&mut errors, "quantity", quantity);
    limits::check_length(
        &mut errors,
        "reference",
        line.reference.as_ref(),
        limits::REFERENCE,
    );
    limits::check_length(&mut errors, "note", line.note.as_ref(), limits::NOTE);
    check_overage(&mut errors, line.overage.as_ref());
    match (*line.part_id.as_ref(), part) {
        (None, _) => {}
        (Some(_), None) => errors.add("part_id", "Select a valid part."),
        (Some(_), Some(part)) => {
            if part.trackable && quantity.fract() != Decimal::ZERO {
                errors.add(
                    "quantity",
                    "Quantity must be integer value for trackable parts",
                );
            }
            if let Some(assembly) = bom.assembly_part_id {
                if let Some(message) = structure::loop_error(assembly, part.id, above) {
                    errors.add("part_id", message);
                }
            }
        }
    }
    errors
}

/// The line's part if it is one of the BOM's team, and the parts above the BOM's assembly.
async fn line_context(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom: &bom::Model,
    part_id: Option<i32>,
) -> ServiceResult<(Option<part::Model>, HashSet<i32>)> {
    let part = match part_id {
        Some(id) => parts::get(db, p, id)
            .await
            .ok()
            .filter(|x| x.team_id == bom.team_id),
        None => None,
    };
    let above = match (bom.assembly_part_id, &part) {
        (Some(assembly), Some(part)) if part.id != assembly => {
            structure::parts_above(db, bom.team_id, assembly).await?
        }
        _ => HashSet::new(),
    };
    Ok((part, above))
}

pub(crate) async fn check_line(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom: &bom::Model,
    line: &bom_line::ActiveModel,
) -> ServiceResult<()> {
    let (part, above) = line_context(db, p, bom, *line.part_id.as_ref()).await?;
    line_errors(bom, line, part.as_ref(), &above).into_result()
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashSet};

    use super::{checksum, is_validated, line_errors};
    use crate::bom_line::{apply, blank, LineInput};
    use crate::decimal::NOT_POSITIVE;
    use crate::limits;
    use crate::test_rows::{bom, line, part};

    /// The errors of a line written with `input` into a BOM that builds part 10, using
    /// `part` with the parts in `above` above that assembly.
    fn errors(
        input: LineInput,
        part: Option<&entity::part::Model>,
        above: &[i32],
    ) -> BTreeMap<String, Vec<String>> {
        let bom = bom(Some(10));
        let mut am = blank(&bom);
        apply(&mut am, input);
        let above: HashSet<i32> = above.iter().copied().collect();
        line_errors(&bom, &am, part, &above).0
    }

    fn quantity(q: &str) -> LineInput {
        LineInput {
            quantity: Some(q.parse().unwrap()),
            ..Default::default()
        }
    }

    #[test]
    fn a_quantity_must_be_greater_than_zero() {
        for q in ["0", "-1", "-0.001"] {
            assert_eq!(
                errors(quantity(q), None, &[])["quantity"],
                [NOT_POSITIVE],
                "{q}"
            );
        }
        assert!(errors(quantity("0.001"), None, &[]).is_empty());
    }

    #[test]
    fn a_trackable_part_needs_an_integer_quantity() {
        let with_part = |q: &str, trackable: bool| {
            let input = LineInput {
                part_id: Some(Some(20)),
                ..quantity(q)
            };
            errors(input, Some(&part(20, trackable)), &[])
        };
        assert_eq!(
            with_part("1.5", true)["quantity"],
            ["Quantity must be integer value for trackable parts"]
        );
        assert!(with_part("2", true).is_empty());
        assert!(with_part("1.5", false).is_empty());
    }

    #[test]
    fn a_line_may_not_use_its_assembly_or_a_part_that_uses_it() {
        let using = |id: i32, above: &[i32]| {
            let input = LineInput {
                part_id: Some(Some(id)),
                ..Default::default()
            };
            errors(input, Some(&part(id, false)), above)
        };
        assert_eq!(
            using(10, &[])["part_id"],
            ["Part cannot be added to its own Bill of Materials"]
        );
        assert!(using(20, &[20])["part_id"][0].contains("BOM loop"));
        assert!(using(30, &[20]).is_empty());
    }

    #[test]
    fn a_part_not_found_in_the_boms_team_is_refused() {
        let input = LineInput {
            part_id: Some(Some(99)),
            ..Default::default()
        };
        assert_eq!(
            errors(input, None, &[])["part_id"],
            ["Select a valid part."]
        );
    }

    #[test]
    fn overage_is_blank_a_number_or_a_percentage_up_to_100() {
        let overage = |o: &str| {
            let input = LineInput {
                overage: Some(o.into()),
                ..Default::default()
            };
            errors(input, None, &[]).remove("overage")
        };
        for fine in ["", "  ", "2", "0.5", "0", "10%", "100%", "12.5 %"] {
            assert_eq!(overage(fine), None, "{fine:?}");
        }
        let refused = [
            ("-1", "Overage value must not be negative"),
            ("-5%", "Overage value must not be negative"),
            ("101%", "Overage must not exceed 100%"),
            ("abc", "Invalid value for overage"),
            ("%", "Invalid value for overage"),
        ];
        for (value, message) in refused {
            assert_eq!(overage(value), Some(vec![message.to_string()]), "{value:?}");
        }
        let long = "1".repeat(limits::OVERAGE + 1);
        assert_eq!(
            overage(&long),
            Some(vec![limits::too_long(limits::OVERAGE)])
        );
    }

    #[test]
    fn reference_and_note_have_inventrees_lengths() {
        let texts = |reference: usize, note: usize| {
            let input = LineInput {
                reference: Some("R".repeat(reference)),
                note: Some("n".repeat(note)),
                ..Default::default()
            };
            errors(input, None, &[])
        };
        assert!(texts(limits::REFERENCE, limits::NOTE).is_empty());
        let too_long = texts(limits::REFERENCE + 1, limits::NOTE + 1);
        assert_eq!(too_long["reference"], [limits::too_long(limits::REFERENCE)]);
        assert_eq!(too_long["note"], [limits::too_long(limits::NOTE)]);
    }

    #[test]
    fn editing_a_reviewed_field_clears_the_review_and_others_do_not() {
        let reviewed = || {
            let mut l = line(1, Some(20), "2", &["R1"]);
            l.validation_hash = Some(checksum(&l));
            l
        };
        assert!(is_validated(&reviewed()));
        type Edit = fn(&mut entity::bom_line::Model);
        let edits: [(&str, Edit); 8] = [
            ("bom", |l| l.bom_id = 2),
            ("part", |l| l.part_id = Some(21)),
            ("quantity", |l| l.quantity = "3".parse().unwrap()),
            ("reference", |l| l.reference = "R2".into()),
            ("optional", |l| l.optional = true),
            ("inherited", |l| l.inherited = true),
            ("consumable", |l| l.consumable = true),
            ("allow_variants", |l| l.allow_variants = true),
        ];
        for (field, edit) in edits {
            let mut l = reviewed();
            edit(&mut l);
            assert!(!is_validated(&l), "editing {field} keeps the review");
        }
        let mut l = reviewed();
        l.note = "checked by hand".into();
        l.comments = Some("a comment".into());
        l.quantity = "2.000".parse().unwrap();
        assert!(
            is_validated(&l),
            "a note, a comment or trailing zeros need no review"
        );
        assert!(!is_validated(&line(1, Some(20), "2", &["R1"])));
    }

    #[test]
    fn the_checksum_does_not_depend_on_how_zero_decimals_are_written() {
        let a = line(1, None, "1.5", &[]);
        let b = line(1, None, "1.50", &[]);
        assert_eq!(checksum(&a), checksum(&b));
        assert_ne!(checksum(&a), checksum(&line(1, None, "15", &[])));
    }
}
