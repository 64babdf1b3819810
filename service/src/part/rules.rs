//! The catalogue's rules: text limits and figures of a part and its offers, the variant
//! tree without loops, currency codes, and what counts as available stock.
use std::collections::HashSet;

use entity::{bom_line, part};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::input::PartInput;
use crate::decimal;
use crate::{limits, FieldErrors, ServiceResult};

fn check_text(errors: &mut FieldErrors, field: &str, value: &Option<String>, max: usize) {
    if let Some(v) = value {
        limits::check_length(errors, field, v, max);
    }
}

pub(super) fn validate(input: &PartInput, creating: bool) -> ServiceResult<()> {
    let mut errors = FieldErrors::new();
    match &input.name {
        Some(n) if n.trim().is_empty() => errors.add("name", "This field may not be blank."),
        None if creating => errors.add("name", "This field is required."),
        _ => {}
    }
    check_text(&mut errors, "name", &input.name, limits::PART_NAME);
    check_text(&mut errors, "ipn", &input.ipn, limits::PART_IPN);
    check_text(
        &mut errors,
        "description",
        &input.description,
        limits::PART_DESCRIPTION,
    );
    check_text(&mut errors, "mpn", &input.mpn, limits::PART_MPN);
    check_text(
        &mut errors,
        "manufacturer",
        &input.manufacturer,
        limits::PART_MANUFACTURER,
    );
    check_text(
        &mut errors,
        "revision",
        &input.revision,
        limits::PART_REVISION,
    );
    check_text(&mut errors, "units", &input.units, limits::PART_UNITS);
    check_text(
        &mut errors,
        "keywords",
        &input.keywords,
        limits::PART_KEYWORDS,
    );
    check_text(&mut errors, "link", &input.link, limits::PART_LINK);
    for (field, value) in [
        ("in_stock", input.in_stock),
        ("allocated", input.allocated),
        ("on_order", input.on_order),
        ("building", input.building),
        ("external_stock", input.external_stock),
    ] {
        if let Some(v) = value {
            decimal::check_amount(&mut errors, field, v);
        }
    }
    for offer in input.offers.iter().flatten() {
        if offer.supplier.trim().is_empty() {
            errors.add("offers", "Each offer needs a supplier.");
        }
        if offer.moq < Decimal::ONE || offer.order_multiple < Decimal::ONE {
            errors.add("offers", "moq and order_multiple must be at least 1.");
        } else {
            decimal::check_amount(&mut errors, "offers", offer.moq);
            decimal::check_amount(&mut errors, "offers", offer.order_multiple);
        }
        decimal::check_amount(&mut errors, "offers", offer.stock);
        if !is_currency_code(&offer.currency) {
            errors.add(
                "offers",
                "currency must be a three-letter ISO 4217 code such as USD.",
            );
        }
        for pb in &offer.price_breaks {
            if pb.quantity <= Decimal::ZERO {
                errors.add(
                    "offers",
                    "Price break quantities must be greater than zero.",
                );
            }
            decimal::check_amount(&mut errors, "offers", pb.quantity);
            decimal::check_amount(&mut errors, "offers", pb.unit_price);
        }
    }
    errors.into_result()
}

/// `variant_of` must be a part of the same team and must not make the variant tree a loop.
pub(super) async fn check_variant_of(
    db: &impl ConnectionTrait,
    team_id: i32,
    part_id: Option<i32>,
    parent: i32,
) -> ServiceResult<()> {
    let mut current = Some(parent);
    let mut seen = HashSet::new();
    while let Some(id) = current {
        if Some(id) == part_id || !seen.insert(id) {
            return Err(FieldErrors::single(
                "variant_of",
                "A part cannot be a variant of itself.",
            ));
        }
        let row = part::Entity::find_by_id(id)
            .filter(part::Column::TeamId.eq(team_id))
            .one(db)
            .await?
            .ok_or_else(|| FieldErrors::single("variant_of", "Select a valid part."))?;
        current = row.variant_of;
    }
    Ok(())
}

/// Available stock as InvenTree defines it: in stock less allocated, never below zero.
pub fn available_stock(part: &part::Model) -> Decimal {
    (part.in_stock.0 - part.allocated.0)
        .max(Decimal::ZERO)
        .normalize()
}

/// A three-letter ISO 4217 code such as USD.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.chars().all(|c| c.is_ascii_uppercase())
}

/// Making a part trackable is refused while a line uses it with a fractional quantity.
pub async fn check_trackable_quantities(
    db: &impl ConnectionTrait,
    part_id: i32,
) -> ServiceResult<()> {
    let lines = bom_line::Entity::find()
        .filter(bom_line::Column::PartId.eq(part_id))
        .all(db)
        .await?;
    if lines.iter().any(|l| l.quantity.0.fract() != Decimal::ZERO) {
        return Err(FieldErrors::single(
            "trackable",
            "BOM lines use this part with a fractional quantity; trackable parts need integers.",
        ));
    }
    Ok(())
}
