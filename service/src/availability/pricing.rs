//! Reference pricing: what each part costs at the price break its purchase quantity
//! reaches (respecting minimum order and multiple), per part, in total and per unit built.
use std::collections::{BTreeMap, HashMap};

use entity::{price_break, supplier_offer};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;

use crate::auth::Principal;
use crate::decimal::{add, div, mul};
use crate::{FieldErrors, ServiceResult};

use super::context::{context, name_of};
use super::report::{PartPrice, PricingAtQuantity};

/// Rounds a purchase up to the minimum order quantity and the order multiple.
pub fn purchase_quantity(needed: Decimal, moq: Decimal, multiple: Decimal) -> Option<Decimal> {
    let q = needed.max(moq);
    if multiple > Decimal::ZERO {
        q.checked_div(multiple)?.ceil().checked_mul(multiple)
    } else {
        Some(q)
    }
}

/// What to buy of one part from one offer.
pub(crate) struct Purchase<'a> {
    pub offer: &'a supplier_offer::Model,
    pub quantity: Decimal,
    pub break_quantity: Decimal,
    pub unit_price: Decimal,
    pub extended: Decimal,
}

/// The cheapest purchase of `needed` among the offers of one currency: each offer's
/// quantity respects its moq and multiple (and reaches its first break); its unit price is
/// that of the largest break not above the quantity.
pub(crate) fn best_offer<'a>(
    needed: Decimal,
    offers: &'a [supplier_offer::Model],
    breaks: &HashMap<i32, Vec<price_break::Model>>,
) -> Option<Purchase<'a>> {
    let currency = crate::figures::pricing_currency(offers, breaks)?;
    let mut best: Option<Purchase> = None;
    for offer in offers.iter().filter(|o| o.currency == currency) {
        let Some(bs) = breaks.get(&offer.id).filter(|b| !b.is_empty()) else {
            continue;
        };
        let (moq, multiple) = (offer.moq.0, offer.order_multiple.0);
        let Some(mut qty) = purchase_quantity(needed, moq, multiple) else {
            continue;
        };
        let smallest = bs
            .iter()
            .map(|b| b.quantity.0)
            .min()
            .unwrap_or(Decimal::ONE);
        if qty < smallest {
            let Some(q) = purchase_quantity(smallest, moq, multiple) else {
                continue;
            };
            qty = q;
        }
        let Some(applicable) = bs
            .iter()
            .filter(|b| b.quantity.0 <= qty)
            .max_by_key(|b| b.quantity.0)
        else {
            continue;
        };
        let unit = applicable.unit_price.0;
        let Some(extended) = unit.checked_mul(qty) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| extended < b.extended) {
            best = Some(Purchase {
                offer,
                quantity: qty,
                break_quantity: applicable.quantity.0,
                unit_price: unit,
                extended,
            });
        }
    }
    best
}

/// Build quantities priced when none are asked for.
pub const DEFAULT_BUILD_QUANTITIES: [Decimal; 4] = [
    Decimal::ONE,
    Decimal::TEN,
    Decimal::ONE_HUNDRED,
    Decimal::ONE_THOUSAND,
];
/// Each quantity is a full computation, so a request asks for a handful at most.
pub const MAX_BUILD_QUANTITIES: usize = 10;

/// Reference pricing of a program built `q` times, for each `q` (the defaults when empty).
pub async fn reference_pricing(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_id: i32,
    quantities: &[Decimal],
) -> ServiceResult<Vec<PricingAtQuantity>> {
    let quantities: &[Decimal] = if quantities.is_empty() {
        &DEFAULT_BUILD_QUANTITIES
    } else {
        quantities
    };
    let out_of_range = |q: &Decimal| *q <= Decimal::ZERO || *q > crate::decimal::MAX_QUANTITY;
    if quantities.len() > MAX_BUILD_QUANTITIES || quantities.iter().any(out_of_range) {
        return Err(FieldErrors::single(
            "quantities",
            format!("Give up to {MAX_BUILD_QUANTITIES} quantities, each greater than zero."),
        ));
    }
    let mut out = Vec::new();
    for q in quantities {
        let ctx = context(db, p, program_id, *q).await?;
        let mut result = PricingAtQuantity {
            build_quantity: q.normalize(),
            parts: Vec::new(),
            totals: BTreeMap::new(),
            per_unit: BTreeMap::new(),
            unpriced: Vec::new(),
            revisions: ctx.revisions.clone(),
        };
        for (part_id, need) in &ctx.needs {
            let offers = ctx.offers.get(part_id).map(Vec::as_slice).unwrap_or(&[]);
            let fixed = ctx
                .overrides
                .get(part_id)
                .and_then(|o| o.unit_price.map(Decimal::from));
            let best = best_offer(need.quantity, offers, &ctx.breaks);
            let price = match (fixed, best) {
                (Some(unit), best) => PartPrice {
                    part_id: *part_id,
                    name: name_of(&ctx.parts, *part_id),
                    needed: need.quantity.normalize(),
                    purchase_quantity: need.quantity.normalize(),
                    supplier: None,
                    offer_id: None,
                    break_quantity: None,
                    unit_price: unit.normalize(),
                    extended_price: mul(unit, need.quantity)?.normalize(),
                    // the override's own currency, else that of the price it stands for
                    currency: ctx
                        .overrides
                        .get(part_id)
                        .and_then(|o| o.currency.clone())
                        .or_else(|| best.map(|b| b.offer.currency.clone()))
                        .or_else(|| offers.first().map(|o| o.currency.clone()))
                        .unwrap_or_else(|| "USD".into()),
                    reason: "unit price fixed by the program".into(),
                },
                (None, Some(buy)) => PartPrice {
                    part_id: *part_id,
                    name: name_of(&ctx.parts, *part_id),
                    needed: need.quantity.normalize(),
                    purchase_quantity: buy.quantity.normalize(),
                    supplier: Some(buy.offer.supplier.clone()),
                    offer_id: Some(buy.offer.id),
                    break_quantity: Some(buy.break_quantity.normalize()),
                    unit_price: buy.unit_price.normalize(),
                    extended_price: buy.extended.normalize(),
                    currency: buy.offer.currency.clone(),
                    reason: format!(
                        "{} x {} at the {} break of {} (moq {}, multiple {})",
                        buy.quantity.normalize(),
                        buy.unit_price.normalize(),
                        buy.break_quantity.normalize(),
                        buy.offer.supplier,
                        buy.offer.moq.0.normalize(),
                        buy.offer.order_multiple.0.normalize()
                    ),
                },
                (None, None) => {
                    result.unpriced.push(*part_id);
                    continue;
                }
            };
            let total = result.totals.entry(price.currency.clone()).or_default();
            *total = add(*total, price.extended_price)?;
            result.parts.push(price);
        }
        for (currency, total) in &result.totals {
            result
                .per_unit
                .insert(currency.clone(), div(*total, *q)?.round_dp(6).normalize());
        }
        for total in result.totals.values_mut() {
            *total = total.normalize();
        }
        out.push(result);
    }
    Ok(out)
}
