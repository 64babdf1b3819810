//! What a program needs, what it is short of, and what it costs.
//!
//! Demand per part = over the program's lines, build quantity x line quantity (+ overage),
//! with sub-assemblies exploded to their parts (do-not-place lines need nothing), then the
//! program's part overrides. Supply = on hand (in stock less allocated, or the override's
//! fixed figure), the pooled stock of the lines' substitutes, and supplier stock.
//!
//! Substitute stock is one pool shared by the whole program: a substitute first covers its
//! own demand when the program needs it directly, and what is left goes to the parts it
//! stands in for, in part order, so no unit is counted twice.
use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{bom, bom_line, part, part_override, price_break, supplier_offer};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::decimal::{add, div, mul, sum};
use crate::part::{available_stock, breaks_for_offers, offers_for_parts};
use crate::{program, FieldErrors, ServiceResult};

pub mod status {
    pub const ON_HAND: &str = "on_hand";
    pub const BUYABLE: &str = "buyable";
    pub const NEEDS_RFQ: &str = "needs_rfq";
    pub const SHORTAGE: &str = "shortage";
    pub const NO_MATCH: &str = "no_match";
}

/// Demand for one part (or one unmatched line) and where it comes from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Need {
    pub quantity: Decimal,
    pub substitutes: HashSet<i32>,
}

// The REST dialect serves these reports as they are, so they describe themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PartAvailability {
    pub part_id: Option<i32>,
    /// The unmatched line, for `no_match`.
    pub bom_line_id: Option<i32>,
    pub name: String,
    pub demand: Decimal,
    pub on_hand: Decimal,
    /// Substitute stock this part draws on, from the program's shared pool.
    pub substitute_on_hand: Decimal,
    pub supplier_stock: Decimal,
    /// Still to get once on-hand and substitute stock are used.
    pub to_buy: Decimal,
    /// What neither stock nor suppliers can cover.
    pub shortfall: Decimal,
    pub status: String,
    pub reason: String,
}

/// The BOM revision one program line was computed from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RevisionUsed {
    pub program_line_id: i32,
    /// The BOM the line names.
    pub bom_id: i32,
    /// The BOM used: `bom_id`, or the latest approved revision of its chain when the line
    /// follows the chain.
    pub used_bom_id: i32,
    /// The used BOM's revision label.
    pub revision: String,
    pub follows_latest: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Availability {
    pub program_id: i32,
    pub parts: Vec<PartAvailability>,
    /// Parts the program's overrides exclude.
    pub excluded: Vec<i32>,
    /// The revision each program line used.
    #[serde(default)]
    pub revisions: Vec<RevisionUsed>,
}

/// One part's purchase at one build quantity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PartPrice {
    pub part_id: i32,
    pub name: String,
    pub needed: Decimal,
    /// After minimum order quantity, order multiple and the first break.
    pub purchase_quantity: Decimal,
    pub supplier: Option<String>,
    pub offer_id: Option<i32>,
    pub break_quantity: Option<Decimal>,
    pub unit_price: Decimal,
    pub extended_price: Decimal,
    pub currency: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PricingAtQuantity {
    pub build_quantity: Decimal,
    pub parts: Vec<PartPrice>,
    /// Total per currency.
    pub totals: BTreeMap<String, Decimal>,
    /// Total per currency divided by the build quantity.
    pub per_unit: BTreeMap<String, Decimal>,
    /// Parts with no price: no offer with price breaks and no override price.
    pub unpriced: Vec<i32>,
    /// The revision each program line used.
    #[serde(default)]
    pub revisions: Vec<RevisionUsed>,
}

/// Adds the overage of a line to its required quantity: an absolute overage once per
/// build, a percentage of the requirement.
pub(crate) fn with_overage(required: Decimal, overage: &str) -> ServiceResult<Decimal> {
    let o = overage.trim();
    let extra = match o.strip_suffix('%') {
        Some(pct) => match pct.trim().parse::<Decimal>() {
            Ok(p) => mul(required, p / Decimal::ONE_HUNDRED)?,
            Err(_) => Decimal::ZERO,
        },
        None => o.parse::<Decimal>().unwrap_or(Decimal::ZERO),
    };
    add(required, extra)
}

/// Demand of BOMs built `scale` times, given as (BOM id, units) pairs: three statements
/// per BOM level.
pub(crate) async fn demand(
    db: &impl ConnectionTrait,
    team_id: i32,
    lines: &[(i32, Decimal)],
    scale: Decimal,
) -> ServiceResult<(BTreeMap<i32, Need>, Vec<(bom_line::Model, Decimal)>)> {
    let mut needs: BTreeMap<i32, Need> = BTreeMap::new();
    let mut unmatched = Vec::new();
    // (bom id, units to build)
    let mut frontier: Vec<(i32, Decimal)> = lines
        .iter()
        .map(|(bom, quantity)| Ok((*bom, mul(*quantity, scale)?)))
        .collect::<ServiceResult<_>>()?;
    let mut depth = 0;
    while !frontier.is_empty() && depth < 64 {
        depth += 1;
        let ids: Vec<i32> = frontier.iter().map(|(b, _)| *b).collect();
        let bom_lines = bom_line::Entity::find()
            .filter(bom_line::Column::BomId.is_in(ids))
            .order_by_asc(bom_line::Column::Id)
            .all(db)
            .await?;
        let part_ids: Vec<i32> = bom_lines.iter().filter_map(|l| l.part_id).collect();
        let sub_boms = bom::Entity::find()
            .filter(bom::Column::TeamId.eq(team_id))
            .filter(bom::Column::AssemblyPartId.is_in(part_ids))
            .all(db)
            .await?;
        let builders = crate::structure::builders(&sub_boms);
        let subs = crate::substitute::lines_substitutes(db, &bom_lines).await?;
        let mut next: Vec<(i32, Decimal)> = Vec::new();
        for (bom_id, units) in &frontier {
            for line in bom_lines
                .iter()
                .filter(|l| l.bom_id == *bom_id && !l.do_not_place)
            {
                let required = with_overage(mul(line.quantity.0, *units)?, &line.overage)?;
                match line.part_id {
                    None => unmatched.push((line.clone(), required)),
                    Some(part_id) => match builders.get(&part_id) {
                        Some(child) => next.push((*child, required)),
                        None => {
                            let need = needs.entry(part_id).or_default();
                            need.quantity = add(need.quantity, required)?;
                            need.substitutes
                                .extend(subs.get(&line.id).into_iter().flatten());
                        }
                    },
                }
            }
        }
        frontier = next;
    }
    Ok((needs, unmatched))
}

/// Applies the program's overrides: excluded parts leave, replaced parts pass their demand on.
fn apply_overrides(
    needs: BTreeMap<i32, Need>,
    overrides: &HashMap<i32, part_override::Model>,
) -> ServiceResult<(BTreeMap<i32, Need>, Vec<i32>)> {
    let mut out: BTreeMap<i32, Need> = BTreeMap::new();
    let mut excluded = Vec::new();
    for (part_id, need) in needs {
        let o = overrides.get(&part_id);
        if o.is_some_and(|o| o.exclude) {
            excluded.push(part_id);
            continue;
        }
        let target = o.and_then(|o| o.replacement_part_id).unwrap_or(part_id);
        let entry = out.entry(target).or_default();
        entry.quantity = add(entry.quantity, need.quantity)?;
        entry.substitutes.extend(need.substitutes);
    }
    for need in out.values_mut() {
        need.substitutes.retain(|s| !excluded.contains(s));
    }
    Ok((out, excluded))
}

/// An override that replaces a part and also fixes on-hand or price speaks of the
/// replacement, where the demand went; the replacement's own override comes first.
fn carry_to_replacements(overrides: &mut HashMap<i32, part_override::Model>) {
    let mut carried: Vec<part_override::Model> = overrides
        .values()
        .filter(|o| !o.exclude && (o.on_hand_quantity.is_some() || o.unit_price.is_some()))
        .filter_map(|o| {
            let target = o.replacement_part_id?;
            (!overrides.contains_key(&target)).then(|| part_override::Model {
                part_id: target,
                replacement_part_id: None,
                ..o.clone()
            })
        })
        .collect();
    // several parts replaced by one: the earliest override's figures, whatever the map order
    carried.sort_by_key(|o| std::cmp::Reverse(o.id));
    for o in carried {
        overrides.insert(o.part_id, o);
    }
}

struct Context {
    program_id: i32,
    needs: BTreeMap<i32, Need>,
    unmatched: Vec<(bom_line::Model, Decimal)>,
    excluded: Vec<i32>,
    parts: HashMap<i32, part::Model>,
    overrides: HashMap<i32, part_override::Model>,
    offers: HashMap<i32, Vec<supplier_offer::Model>>,
    breaks: HashMap<i32, Vec<price_break::Model>>,
    revisions: Vec<RevisionUsed>,
}

async fn context(
    db: &impl ConnectionTrait,
    p: &Principal,
    program_id: i32,
    scale: Decimal,
) -> ServiceResult<Context> {
    let prog = program::get(db, p, program_id).await?;
    let lines = program::lines_for(db, p, &[program_id]).await?;
    let mut overrides: HashMap<i32, part_override::Model> =
        program::overrides_for(db, p, &[program_id])
            .await?
            .into_iter()
            .map(|o| (o.part_id, o))
            .collect();
    let used = crate::revision::resolve_lines(db, p, &lines).await?;
    let mut builds = Vec::new();
    let mut revisions = Vec::new();
    for line in &lines {
        let Some(bom) = used.get(&line.id) else {
            continue;
        };
        builds.push((bom.id, line.quantity.0));
        revisions.push(RevisionUsed {
            program_line_id: line.id,
            bom_id: line.bom_id,
            used_bom_id: bom.id,
            revision: bom.revision.clone(),
            follows_latest: line.follow_latest,
        });
    }
    let (raw, unmatched) = demand(db, prog.team_id, &builds, scale).await?;
    let (needs, excluded) = apply_overrides(raw, &overrides)?;
    carry_to_replacements(&mut overrides);
    let mut ids: HashSet<i32> = needs.keys().copied().collect();
    for n in needs.values() {
        ids.extend(&n.substitutes);
    }
    let ids: Vec<i32> = ids.into_iter().collect();
    let parts: HashMap<i32, part::Model> = crate::part::by_ids(db, p, &ids)
        .await?
        .into_iter()
        .map(|x| (x.id, x))
        .collect();
    let part_ids: Vec<i32> = needs.keys().copied().collect();
    let offer_rows = offers_for_parts(db, &part_ids).await?;
    let offer_ids: Vec<i32> = offer_rows.iter().map(|o| o.id).collect();
    let mut breaks: HashMap<i32, Vec<price_break::Model>> = HashMap::new();
    for b in breaks_for_offers(db, &offer_ids).await? {
        breaks.entry(b.offer_id).or_default().push(b);
    }
    let mut offers: HashMap<i32, Vec<supplier_offer::Model>> = HashMap::new();
    for o in offer_rows {
        offers.entry(o.part_id).or_default().push(o);
    }
    Ok(Context {
        program_id,
        needs,
        unmatched,
        excluded,
        parts,
        overrides,
        offers,
        breaks,
        revisions,
    })
}

fn name_of(parts: &HashMap<i32, part::Model>, id: i32) -> String {
    parts.get(&id).map(|p| p.name.clone()).unwrap_or_default()
}

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
