//! What a diff reads: the parts and substitutes of the lines, and each BOM's reference
//! cost; a fixed number of statements whatever the number of lines.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::{bom, bom_line, part, substitute};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, QueryTrait};

use crate::auth::Principal;
use crate::availability::{best_offer, demand};
use crate::decimal::add;
use crate::part::{breaks_for_offers, offers_for_parts};
use crate::ServiceResult;

/// Reference cost of building `quantity` units of a BOM, per currency, and its unpriced
/// parts.
pub(super) async fn reference_cost(
    db: &DatabaseConnection,
    bom: &bom::Model,
    quantity: Decimal,
) -> ServiceResult<(BTreeMap<String, Decimal>, Vec<i32>)> {
    let (needs, _unmatched) = demand(db, bom.team_id, &[(bom.id, Decimal::ONE)], quantity).await?;
    let ids: Vec<i32> = needs.keys().copied().collect();
    let offer_rows = offers_for_parts(db, &ids).await?;
    let offer_ids: Vec<i32> = offer_rows.iter().map(|o| o.id).collect();
    let mut breaks = HashMap::new();
    for b in breaks_for_offers(db, &offer_ids).await? {
        breaks.entry(b.offer_id).or_insert_with(Vec::new).push(b);
    }
    let mut offers: HashMap<i32, Vec<_>> = HashMap::new();
    for o in offer_rows {
        offers.entry(o.part_id).or_default().push(o);
    }
    let mut totals = BTreeMap::new();
    let mut unpriced = Vec::new();
    for (part_id, need) in &needs {
        let offers = offers.get(part_id).map(Vec::as_slice).unwrap_or(&[]);
        match best_offer(need.quantity, offers, &breaks) {
            Some(buy) => {
                let total = totals.entry(buy.offer.currency.clone()).or_default();
                *total = add(*total, buy.extended)?;
            }
            None => unpriced.push(*part_id),
        }
    }
    Ok((totals, unpriced))
}

pub(super) async fn parts_by_id(
    db: &DatabaseConnection,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<HashMap<i32, part::Model>> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(crate::part::by_ids(db, p, &ids)
        .await?
        .into_iter()
        .map(|x| (x.id, x))
        .collect())
}

/// The substitute parts of every line of the given BOMs, by line id: one statement.
pub(super) async fn substitutes_of(
    db: &DatabaseConnection,
    bom_ids: &[i32],
) -> ServiceResult<HashMap<i32, BTreeSet<i32>>> {
    let rows = substitute::Entity::find()
        .filter(
            substitute::Column::BomLineId.in_subquery(
                bom_line::Entity::find()
                    .select_only()
                    .column(bom_line::Column::Id)
                    .filter(bom_line::Column::BomId.is_in(bom_ids.iter().copied()))
                    .into_query(),
            ),
        )
        .all(db)
        .await?;
    let mut out: HashMap<i32, BTreeSet<i32>> = HashMap::new();
    for s in rows {
        out.entry(s.bom_line_id).or_default().insert(s.part_id);
    }
    Ok(out)
}
