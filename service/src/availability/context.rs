//! Everything one computation for a program reads: its lines' demand after the program's
//! part overrides, the parts, their offers and price breaks, and the revisions used.
use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{bom_line, part, part_override, price_break, supplier_offer};
use rust_decimal::Decimal;
use sea_orm::ConnectionTrait;

use crate::auth::Principal;
use crate::decimal::add;
use crate::part::{breaks_for_offers, offers_for_parts};
use crate::{program, ServiceResult};

use super::demand::{demand, Need};
use super::report::RevisionUsed;

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

pub(super) struct Context {
    pub(super) program_id: i32,
    pub(super) needs: BTreeMap<i32, Need>,
    pub(super) unmatched: Vec<(bom_line::Model, Decimal)>,
    pub(super) excluded: Vec<i32>,
    pub(super) parts: HashMap<i32, part::Model>,
    pub(super) overrides: HashMap<i32, part_override::Model>,
    pub(super) offers: HashMap<i32, Vec<supplier_offer::Model>>,
    pub(super) breaks: HashMap<i32, Vec<price_break::Model>>,
    pub(super) revisions: Vec<RevisionUsed>,
}

pub(super) async fn context(
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

pub(super) fn name_of(parts: &HashMap<i32, part::Model>, id: i32) -> String {
    parts.get(&id).map(|p| p.name.clone()).unwrap_or_default()
}
