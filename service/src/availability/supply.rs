//! Availability: per part, its demand against on-hand, substitute and supplier stock, and
//! the status and shortfall that follow.
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;

use crate::auth::Principal;
use crate::decimal::sum;
use crate::part::available_stock;
use crate::ServiceResult;

use super::context::{context, name_of};
use super::report::{status, Availability, PartAvailability};

/// Availability of every part a program needs.
pub async fn availability(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_id: i32,
) -> ServiceResult<Availability> {
    let ctx = context(db, p, program_id, Decimal::ONE).await?;
    let on_hand_of = |part_id: i32| {
        ctx.overrides
            .get(&part_id)
            .and_then(|o| o.on_hand_quantity.map(Decimal::from))
            .unwrap_or_else(|| {
                ctx.parts
                    .get(&part_id)
                    .map(available_stock)
                    .unwrap_or_default()
            })
    };
    let mut pool: BTreeMap<i32, Decimal> = ctx
        .needs
        .values()
        .flat_map(|n| n.substitutes.iter().copied())
        .map(|s| {
            let own = ctx.needs.get(&s).map_or(Decimal::ZERO, |n| n.quantity);
            (s, (on_hand_of(s) - own).max(Decimal::ZERO))
        })
        .collect();
    let mut parts = Vec::new();
    for (part_id, need) in &ctx.needs {
        let override_on_hand = ctx
            .overrides
            .get(part_id)
            .and_then(|o| o.on_hand_quantity.map(Decimal::from));
        let on_hand = on_hand_of(*part_id);
        let mut substitute_on_hand = Decimal::ZERO;
        let mut subs: Vec<i32> = need.substitutes.iter().copied().collect();
        subs.sort_unstable();
        for s in subs {
            let missing = need.quantity - on_hand - substitute_on_hand;
            if missing <= Decimal::ZERO {
                break;
            }
            let free = pool.entry(s).or_default();
            let take = missing.min(*free);
            *free -= take;
            substitute_on_hand += take;
        }
        let offers = ctx.offers.get(part_id).map(Vec::as_slice).unwrap_or(&[]);
        let supplier_stock = sum(offers.iter().map(|o| o.stock.0))?;
        let to_buy = (need.quantity - on_hand - substitute_on_hand).max(Decimal::ZERO);
        let (status, shortfall, reason) = if to_buy.is_zero() {
            let why = if need.quantity <= on_hand {
                format!(
                    "demand {} covered by {} on hand",
                    need.quantity.normalize(),
                    on_hand.normalize()
                )
            } else {
                format!(
                    "demand {} covered by {} on hand and {} of substitutes",
                    need.quantity.normalize(),
                    on_hand.normalize(),
                    substitute_on_hand.normalize()
                )
            };
            (status::ON_HAND, Decimal::ZERO, why)
        } else if offers.is_empty() {
            (
                status::NEEDS_RFQ,
                to_buy,
                format!("{} to buy and no supplier offers", to_buy.normalize()),
            )
        } else if supplier_stock >= to_buy {
            (
                status::BUYABLE,
                Decimal::ZERO,
                format!(
                    "{} to buy, suppliers hold {}",
                    to_buy.normalize(),
                    supplier_stock.normalize()
                ),
            )
        } else {
            let short = to_buy - supplier_stock;
            (
                status::SHORTAGE,
                short,
                format!(
                    "{} to buy, suppliers hold only {}",
                    to_buy.normalize(),
                    supplier_stock.normalize()
                ),
            )
        };
        parts.push(PartAvailability {
            part_id: Some(*part_id),
            bom_line_id: None,
            name: name_of(&ctx.parts, *part_id),
            demand: need.quantity.normalize(),
            on_hand: on_hand.normalize(),
            substitute_on_hand: substitute_on_hand.normalize(),
            supplier_stock: supplier_stock.normalize(),
            to_buy: to_buy.normalize(),
            shortfall: shortfall.normalize(),
            status: status.into(),
            reason: if override_on_hand.is_some() {
                format!("{reason} (on hand fixed by the program)")
            } else {
                reason
            },
        });
    }
    for (line, required) in &ctx.unmatched {
        let label = line
            .mpn
            .clone()
            .or_else(|| line.description.clone())
            .unwrap_or_else(|| format!("line {}", line.id));
        parts.push(PartAvailability {
            part_id: None,
            bom_line_id: Some(line.id),
            name: label,
            demand: required.normalize(),
            on_hand: Decimal::ZERO,
            substitute_on_hand: Decimal::ZERO,
            supplier_stock: Decimal::ZERO,
            to_buy: required.normalize(),
            shortfall: required.normalize(),
            status: status::NO_MATCH.into(),
            reason: "the BOM line has no catalogue part".into(),
        });
    }
    Ok(Availability {
        program_id: ctx.program_id,
        parts,
        excluded: ctx.excluded,
        revisions: ctx.revisions,
    })
}
