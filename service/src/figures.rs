//! Computed figures of BOM lines, as InvenTree defines them, and the batch that feeds them.
//!
//! `load_bundle` reads everything the figures of a set of lines need in a fixed number of
//! statements (substitutes, parts with their variants, offers, price breaks), whatever the
//! number of lines. The GraphQL layer hands a whole page of lines to it at once.
use std::collections::{HashMap, HashSet};

use entity::{part, price_break, substitute, supplier_offer};
use rust_decimal::Decimal;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    Statement,
};

use crate::auth::Principal;
use crate::db::one_of;
use crate::part::{available_stock, breaks_for_offers, offers_for_parts};
use crate::ServiceResult;

/// What the figures of one line depend on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LineRef {
    pub id: i32,
    pub part_id: Option<i32>,
    pub quantity: Decimal,
    pub allow_variants: bool,
}

impl From<&entity::bom_line::Model> for LineRef {
    fn from(l: &entity::bom_line::Model) -> Self {
        LineRef {
            id: l.id,
            part_id: l.part_id,
            quantity: l.quantity.0,
            allow_variants: l.allow_variants,
        }
    }
}

#[derive(Debug, Default)]
pub struct LineBundle {
    /// Line parts and substitute parts.
    pub parts: HashMap<i32, part::Model>,
    pub substitutes: HashMap<i32, Vec<substitute::Model>>,
    /// Variants (any depth) of each part in `parts`.
    pub variants: HashMap<i32, Vec<part::Model>>,
    pub offers: HashMap<i32, Vec<supplier_offer::Model>>,
    pub breaks: HashMap<i32, Vec<price_break::Model>>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineFigures {
    pub available_stock: Decimal,
    pub available_substitute_stock: Decimal,
    pub available_variant_stock: Decimal,
    pub on_order: Decimal,
    pub building: Decimal,
    pub external_stock: Decimal,
    /// Lowest and highest unit price over the part's price breaks, in `pricing_currency`.
    pub pricing_min: Option<Decimal>,
    pub pricing_max: Option<Decimal>,
    pub pricing_min_total: Option<Decimal>,
    pub pricing_max_total: Option<Decimal>,
    pub pricing_currency: Option<String>,
}

#[derive(FromQueryResult)]
struct TreeRow {
    root_id: i32,
}

/// Parts and all their variants in one recursive statement. On PostgreSQL the ids are bound
/// as two arrays, so the statement is prepared once; on SQLite, which has no arrays, they
/// are written into it (integers, sorted, so one set of ids is one statement).
async fn parts_with_variants(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &HashSet<i32>,
) -> ServiceResult<(HashMap<i32, part::Model>, HashMap<i32, Vec<part::Model>>)> {
    let mut parts = HashMap::new();
    let mut variants: HashMap<i32, Vec<part::Model>> = HashMap::new();
    if ids.is_empty() || p.teams.is_empty() {
        return Ok((parts, variants));
    }
    let mut sorted: Vec<i32> = ids.iter().copied().collect();
    sorted.sort_unstable();
    let tree = |ids: &str, teams: &str| {
        format!(
            "WITH RECURSIVE tree(root_id, part_id, depth) AS ( \
               SELECT id, id, 0 FROM part WHERE {ids} AND {teams} \
               UNION ALL \
               SELECT tree.root_id, part.id, tree.depth + 1 FROM part \
                 JOIN tree ON part.variant_of = tree.part_id WHERE tree.depth < 32 \
             ) SELECT tree.root_id AS root_id, part.* FROM tree JOIN part ON part.id = tree.part_id"
        )
    };
    let backend = db.get_database_backend();
    let statement = match backend {
        DatabaseBackend::Postgres => Statement::from_sql_and_values(
            backend,
            tree(
                "id IN (SELECT unnest(CAST($1 AS integer[])))",
                "team_id IN (SELECT unnest(CAST($2 AS integer[])))",
            ),
            [
                crate::db::pg_array(sorted).into(),
                crate::db::pg_array(p.team_ids()).into(),
            ],
        ),
        _ => {
            let list = |v: Vec<i32>| {
                v.iter()
                    .map(|i| i.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            };
            Statement::from_string(
                backend,
                tree(
                    &format!("id IN ({})", list(sorted)),
                    &format!("team_id IN ({})", list(p.team_ids())),
                ),
            )
        }
    };
    let rows = db.query_all_raw(statement).await?;
    for row in rows {
        let root = TreeRow::from_query_result(&row, "")?.root_id;
        let model = part::Model::from_query_result(&row, "")?;
        if model.id == root {
            parts.insert(root, model);
        } else {
            variants.entry(root).or_default().push(model);
        }
    }
    Ok((parts, variants))
}

/// Loads what the figures of `lines` need: four statements, whatever the number of lines.
pub async fn load_bundle(
    db: &impl ConnectionTrait,
    p: &Principal,
    lines: &[LineRef],
) -> ServiceResult<LineBundle> {
    let mut bundle = LineBundle::default();
    if lines.is_empty() {
        return Ok(bundle);
    }
    let line_ids: Vec<i32> = lines.iter().map(|l| l.id).collect();
    let subs = crate::db::in_chunks(&line_ids, |chunk| {
        substitute::Entity::find()
            .filter(one_of(
                db.get_database_backend(),
                substitute::Column::BomLineId,
                chunk,
            ))
            .filter(one_of(
                db.get_database_backend(),
                substitute::Column::TeamId,
                p.team_ids(),
            ))
            .order_by_asc(substitute::Column::Id)
            .all(db)
    })
    .await?;
    let mut part_ids: HashSet<i32> = lines.iter().filter_map(|l| l.part_id).collect();
    part_ids.extend(subs.iter().map(|s| s.part_id));
    for s in subs {
        bundle.substitutes.entry(s.bom_line_id).or_default().push(s);
    }
    let (parts, variants) = parts_with_variants(db, p, &part_ids).await?;
    bundle.parts = parts;
    bundle.variants = variants;
    let ids: Vec<i32> = bundle.parts.keys().copied().collect();
    let offers = offers_for_parts(db, &ids).await?;
    let offer_ids: Vec<i32> = offers.iter().map(|o| o.id).collect();
    for b in breaks_for_offers(db, &offer_ids).await? {
        bundle.breaks.entry(b.offer_id).or_default().push(b);
    }
    for o in offers {
        bundle.offers.entry(o.part_id).or_default().push(o);
    }
    Ok(bundle)
}

/// The currency a part is priced in: that of its first offer with price breaks. Offers in
/// other currencies are left out of its pricing: bomgraph converts no money.
pub fn pricing_currency(
    offers: &[supplier_offer::Model],
    breaks: &HashMap<i32, Vec<price_break::Model>>,
) -> Option<String> {
    offers
        .iter()
        .find(|o| breaks.get(&o.id).is_some_and(|b| !b.is_empty()))
        .map(|o| o.currency.clone())
}

/// Lowest and highest unit price over a part's price breaks, in the currency of its first
/// offer that has any. Offers in other currencies are left out: bomgraph converts no money.
pub fn price_range(
    offers: &[supplier_offer::Model],
    breaks: &HashMap<i32, Vec<price_break::Model>>,
) -> Option<(Decimal, Decimal, String)> {
    let currency = pricing_currency(offers, breaks)?;
    let prices = offers
        .iter()
        .filter(|o| o.currency == currency)
        .flat_map(|o| breaks.get(&o.id).into_iter().flatten())
        .map(|b| b.unit_price.0);
    let (min, max) = prices.fold((None::<Decimal>, None::<Decimal>), |(lo, hi), v| {
        (
            Some(lo.map_or(v, |x| x.min(v))),
            Some(hi.map_or(v, |x| x.max(v))),
        )
    });
    Some((min?, max?, currency))
}

impl LineBundle {
    pub fn figures(&self, line: &LineRef) -> LineFigures {
        let mut f = LineFigures::default();
        let Some(part) = line.part_id.and_then(|id| self.parts.get(&id)) else {
            return f;
        };
        f.available_stock = available_stock(part);
        f.on_order = part.on_order.0;
        f.building = part.building.0;
        f.external_stock = part.external_stock.0;
        f.available_substitute_stock = self
            .substitutes
            .get(&line.id)
            .into_iter()
            .flatten()
            .filter_map(|s| self.parts.get(&s.part_id))
            .map(available_stock)
            .fold(Decimal::ZERO, Decimal::saturating_add)
            .normalize();
        if line.allow_variants {
            f.available_variant_stock = self
                .variants
                .get(&part.id)
                .into_iter()
                .flatten()
                .map(available_stock)
                .fold(Decimal::ZERO, Decimal::saturating_add)
                .normalize();
        }
        let offers = self.offers.get(&part.id).map(Vec::as_slice).unwrap_or(&[]);
        if let Some((min, max, currency)) = price_range(offers, &self.breaks) {
            f.pricing_min = Some(min.normalize());
            f.pricing_max = Some(max.normalize());
            // Inputs are bounded so these fit; a total that would not reads as unknown.
            f.pricing_min_total = min.checked_mul(line.quantity).map(|t| t.normalize());
            f.pricing_max_total = max.checked_mul(line.quantity).map(|t| t.normalize());
            f.pricing_currency = Some(currency);
        }
        f
    }
}
