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
use crate::decimal::{load, store};
use crate::{limits, part as parts, structure, FieldErrors, ServiceResult};

/// How a line's part was found.
pub mod match_status {
    pub const MATCHED: &str = "matched";
    pub const NO_MATCH: &str = "no_match";
    pub const AMBIGUOUS: &str = "ambiguous";
    pub const CUSTOM: &str = "custom";
}

/// The checksum behind `validated`: the fields that, once edited, need a new review.
pub fn checksum(line: &bom_line::Model) -> String {
    let text = format!(
        "{}|{}|{}|{}|{}|{}|{}|{}",
        line.bom_id,
        line.part_id.map(|p| p.to_string()).unwrap_or_default(),
        store(load(&line.quantity)),
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
    let quantity = load(line.quantity.as_ref());
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
