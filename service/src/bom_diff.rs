//! Comparing two BOMs: line by line, or as multi-level totals per part.
//!
//! Lines are paired in three passes, each over the lines the earlier ones left:
//! 1. same part and the same set of reference designators;
//! 2. same part, the pair sharing the most designators (a line whose designators changed);
//! 3. different parts sharing designators, most shared first (designators moved to
//!    another part: one change of part, not a removal and an addition).
//!
//! What is left of the first BOM was removed, what is left of the second was added. A
//! line without a catalogue part stands for its MPN (else its description). The number of
//! statements does not depend on the number of lines.
use std::collections::{BTreeMap, BTreeSet, HashMap};

use entity::{bom_line, part};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::decimal::store;
use crate::{bom as boms, structure, FieldErrors, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

/// One field of a paired line that differs. Values are text: decimals in their shortest
/// form, booleans `true`/`false`, a part as its id (empty for no part).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LineDiff {
    pub kind: ChangeKind,
    /// The line in the first BOM (none when added).
    pub from_line_id: Option<i32>,
    /// The line in the second BOM (none when removed).
    pub to_line_id: Option<i32>,
    /// The part of the line (the second BOM's, when both have one).
    pub part_id: Option<i32>,
    /// The part's name, or the MPN or description of a line without a part.
    pub name: String,
    pub from_quantity: Option<Decimal>,
    pub to_quantity: Option<Decimal>,
    /// Fields that differ between the paired lines: quantity, part, do_not_place,
    /// optional, consumable, overage, note.
    pub changes: Vec<FieldChange>,
    pub designators_added: Vec<String>,
    pub designators_removed: Vec<String>,
    /// Substitute parts (ids) added to or removed from the line.
    pub substitutes_added: Vec<i32>,
    pub substitutes_removed: Vec<i32>,
}

/// A part's multi-level total in each BOM, for an exploded comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PartDiff {
    pub kind: ChangeKind,
    pub part_id: i32,
    pub name: String,
    pub from_quantity: Decimal,
    pub to_quantity: Decimal,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DiffSummary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// The build quantity the costs are for.
    pub build_quantity: Decimal,
    /// Reference cost of building each BOM, per currency: what program pricing would pay
    /// (overage included, do-not-place lines left out, sub-assemblies exploded).
    pub cost_from: BTreeMap<String, Decimal>,
    pub cost_to: BTreeMap<String, Decimal>,
    /// `cost_to - cost_from`, per currency.
    pub cost_change: BTreeMap<String, Decimal>,
    /// Parts of either BOM with no price, left out of the costs.
    pub unpriced: Vec<i32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct BomDiff {
    pub from_bom_id: i32,
    pub to_bom_id: i32,
    pub exploded: bool,
    /// Line changes (a line-by-line comparison); empty when `exploded`.
    pub lines: Vec<LineDiff>,
    /// Part total changes (an exploded comparison); empty otherwise.
    pub parts: Vec<PartDiff>,
    pub summary: DiffSummary,
}

/// What identifies the part of a line for pairing.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PartKey {
    Part(i32),
    Unmatched(String),
}

struct Side<'a> {
    line: &'a bom_line::Model,
    key: PartKey,
    designators: BTreeSet<String>,
    substitutes: BTreeSet<i32>,
}

fn side<'a>(line: &'a bom_line::Model, subs: &HashMap<i32, BTreeSet<i32>>) -> Side<'a> {
    let key = match line.part_id {
        Some(id) => PartKey::Part(id),
        None => PartKey::Unmatched(
            line.mpn
                .clone()
                .or_else(|| line.description.clone())
                .unwrap_or_default()
                .trim()
                .to_lowercase(),
        ),
    };
    let designators = line.reference_designators.iter().cloned().collect();
    Side {
        line,
        key,
        designators,
        substitutes: subs.get(&line.id).cloned().unwrap_or_default(),
    }
}

/// Pairs the lines of two BOMs (see the module docs): (from, to) index pairs. Each pass
/// looks only at the lines indexed under the same part or designator, so a BOM of
/// thousands of distinct lines pairs in about linear time.
fn pair(from: &[Side], to: &[Side]) -> Vec<(usize, usize)> {
    let mut from_free = vec![true; from.len()];
    let mut to_free = vec![true; to.len()];
    let mut pairs = Vec::new();
    let shared = |a: &Side, b: &Side| a.designators.intersection(&b.designators).count();
    let mut by_part: HashMap<&PartKey, Vec<usize>> = HashMap::new();
    let mut by_designator: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, f) in from.iter().enumerate() {
        by_part.entry(&f.key).or_default().push(i);
        for d in &f.designators {
            by_designator.entry(d).or_default().push(i);
        }
    }
    type Candidates<'a> = Box<dyn Fn(&Side) -> Vec<usize> + 'a>;
    let same_part: Candidates = Box::new(|t| by_part.get(&t.key).cloned().unwrap_or_default());
    let sharing: Candidates = Box::new(|t| {
        let mut ids: Vec<usize> = t
            .designators
            .iter()
            .flat_map(|d| by_designator.get(d.as_str()).into_iter().flatten().copied())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    });
    // (where to look, whether the designators must be the same)
    let passes: [(&Candidates, bool); 3] =
        [(&same_part, true), (&same_part, false), (&sharing, false)];
    for (candidates, exact) in passes {
        for (j, t) in to.iter().enumerate() {
            if !to_free[j] {
                continue;
            }
            let best = candidates(t)
                .into_iter()
                .filter(|&i| from_free[i] && (!exact || from[i].designators == t.designators))
                .max_by_key(|&i| (shared(&from[i], t), std::cmp::Reverse(i)));
            if let Some(i) = best {
                from_free[i] = false;
                to_free[j] = false;
                pairs.push((i, j));
            }
        }
    }
    pairs
}

fn text(d: Decimal) -> String {
    store(d)
}

fn changes(a: &Side, b: &Side) -> Vec<FieldChange> {
    let (x, y) = (a.line, b.line);
    let part = |l: &bom_line::Model| l.part_id.map(|p| p.to_string()).unwrap_or_default();
    let fields = [
        ("quantity", text(x.quantity.0), text(y.quantity.0)),
        ("part", part(x), part(y)),
        (
            "do_not_place",
            x.do_not_place.to_string(),
            y.do_not_place.to_string(),
        ),
        ("optional", x.optional.to_string(), y.optional.to_string()),
        (
            "consumable",
            x.consumable.to_string(),
            y.consumable.to_string(),
        ),
        (
            "overage",
            x.overage.trim().to_owned(),
            y.overage.trim().to_owned(),
        ),
        ("note", x.note.clone(), y.note.clone()),
    ];
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| FieldChange {
            field: field.into(),
            old,
            new,
        })
        .collect()
}

fn name_of(parts: &HashMap<i32, part::Model>, line: &bom_line::Model) -> String {
    match line.part_id.and_then(|id| parts.get(&id)) {
        Some(part) => part.name.clone(),
        None => line
            .mpn
            .clone()
            .or_else(|| line.description.clone())
            .unwrap_or_default(),
    }
}

fn line_diff(
    kind: ChangeKind,
    a: Option<&Side>,
    b: Option<&Side>,
    parts: &HashMap<i32, part::Model>,
) -> LineDiff {
    let named = b.or(a).expect("a line on one side at least").line;
    let designators = |s: Option<&Side>| s.map(|s| s.designators.clone()).unwrap_or_default();
    let subs = |s: Option<&Side>| s.map(|s| s.substitutes.clone()).unwrap_or_default();
    let (da, db) = (designators(a), designators(b));
    let (sa, sb) = (subs(a), subs(b));
    LineDiff {
        kind,
        from_line_id: a.map(|s| s.line.id),
        to_line_id: b.map(|s| s.line.id),
        part_id: b
            .and_then(|s| s.line.part_id)
            .or(a.and_then(|s| s.line.part_id)),
        name: name_of(parts, named),
        from_quantity: a.map(|s| s.line.quantity.0.normalize()),
        to_quantity: b.map(|s| s.line.quantity.0.normalize()),
        changes: match (a, b) {
            (Some(a), Some(b)) => changes(a, b),
            _ => Vec::new(),
        },
        designators_added: db.difference(&da).cloned().collect(),
        designators_removed: da.difference(&db).cloned().collect(),
        substitutes_added: sb.difference(&sa).copied().collect(),
        substitutes_removed: sa.difference(&sb).copied().collect(),
    }
}

fn is_unchanged(d: &LineDiff) -> bool {
    d.changes.is_empty()
        && d.designators_added.is_empty()
        && d.designators_removed.is_empty()
        && d.substitutes_added.is_empty()
        && d.substitutes_removed.is_empty()
}

/// Compares the lines of two BOMs: the pairs that differ, the lines added and removed.
fn compare_lines(
    from: &[bom_line::Model],
    to: &[bom_line::Model],
    subs: &HashMap<i32, BTreeSet<i32>>,
    parts: &HashMap<i32, part::Model>,
) -> (Vec<LineDiff>, usize) {
    let a: Vec<Side> = from.iter().map(|l| side(l, subs)).collect();
    let b: Vec<Side> = to.iter().map(|l| side(l, subs)).collect();
    let pairs = pair(&a, &b);
    let mut paired_from = vec![false; a.len()];
    let mut by_to: HashMap<usize, usize> = HashMap::new();
    for (i, j) in pairs {
        paired_from[i] = true;
        by_to.insert(j, i);
    }
    let mut out = Vec::new();
    let mut unchanged = 0;
    for (j, t) in b.iter().enumerate() {
        let d = match by_to.get(&j) {
            Some(&i) => line_diff(ChangeKind::Changed, Some(&a[i]), Some(t), parts),
            None => line_diff(ChangeKind::Added, None, Some(t), parts),
        };
        if d.kind == ChangeKind::Changed && is_unchanged(&d) {
            unchanged += 1;
        } else {
            out.push(d);
        }
    }
    for (_, f) in a.iter().enumerate().filter(|(i, _)| !paired_from[*i]) {
        out.push(line_diff(ChangeKind::Removed, Some(f), None, parts));
    }
    (out, unchanged)
}

/// Compares BOM `from` with BOM `to` (any two BOMs the principal can read): line by line,
/// or with `exploded` as multi-level totals per part for `quantity` units. The summary
/// counts each kind of change and the change in reference cost at `quantity` units.
pub async fn diff(
    db: &DatabaseConnection,
    p: &Principal,
    from_id: i32,
    to_id: i32,
    exploded: bool,
    quantity: Decimal,
) -> ServiceResult<BomDiff> {
    let mut errors = FieldErrors::new();
    crate::decimal::check_quantity(&mut errors, "quantity", quantity);
    errors.into_result()?;
    let from = boms::get(db, p, from_id).await?;
    let to = boms::get(db, p, to_id).await?;
    let mut result = BomDiff {
        from_bom_id: from.id,
        to_bom_id: to.id,
        exploded,
        lines: Vec::new(),
        parts: Vec::new(),
        summary: DiffSummary {
            added: 0,
            removed: 0,
            changed: 0,
            unchanged: 0,
            build_quantity: quantity.normalize(),
            cost_from: BTreeMap::new(),
            cost_to: BTreeMap::new(),
            cost_change: BTreeMap::new(),
            unpriced: Vec::new(),
        },
    };
    if exploded {
        let (a, b) = (
            structure::explode(db, p, from.id, quantity).await?,
            structure::explode(db, p, to.id, quantity).await?,
        );
        let ids: Vec<i32> = a.iter().chain(&b).map(|x| x.part_id).collect();
        let parts = read::parts_by_id(db, p, &ids).await?;
        let totals = |rows: &[structure::ExplodedPart]| -> BTreeMap<i32, Decimal> {
            rows.iter().map(|r| (r.part_id, r.quantity)).collect()
        };
        let (ta, tb) = (totals(&a), totals(&b));
        let keys: BTreeSet<i32> = ta.keys().chain(tb.keys()).copied().collect();
        for part_id in keys {
            let (qa, qb) = (ta.get(&part_id).copied(), tb.get(&part_id).copied());
            let kind = match (qa, qb) {
                (None, _) => ChangeKind::Added,
                (_, None) => ChangeKind::Removed,
                (Some(x), Some(y)) if x == y => {
                    result.summary.unchanged += 1;
                    continue;
                }
                _ => ChangeKind::Changed,
            };
            result.parts.push(PartDiff {
                kind,
                part_id,
                name: parts
                    .get(&part_id)
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                from_quantity: qa.unwrap_or_default(),
                to_quantity: qb.unwrap_or_default(),
            });
        }
        count(&mut result.summary, result.parts.iter().map(|d| d.kind));
    } else {
        let lines = bom_line::Entity::find()
            .filter(bom_line::Column::BomId.is_in([from.id, to.id]))
            .order_by_asc(bom_line::Column::Id)
            .all(db)
            .await?;
        let (a, b): (Vec<_>, Vec<_>) = lines.into_iter().partition(|l| l.bom_id == from.id);
        // comparing a BOM with itself: both sides are its lines
        let b = if from.id == to.id { a.clone() } else { b };
        let subs = read::substitutes_of(db, &[from.id, to.id]).await?;
        let ids: Vec<i32> = a.iter().chain(&b).filter_map(|l| l.part_id).collect();
        let parts = read::parts_by_id(db, p, &ids).await?;
        let (diffs, unchanged) = compare_lines(&a, &b, &subs, &parts);
        result.summary.unchanged = unchanged;
        count(&mut result.summary, diffs.iter().map(|d| d.kind));
        result.lines = diffs;
    }
    let (cost_from, unpriced_from) = read::reference_cost(db, &from, quantity).await?;
    let (cost_to, unpriced_to) = read::reference_cost(db, &to, quantity).await?;
    let currencies: BTreeSet<&String> = cost_from.keys().chain(cost_to.keys()).collect();
    for c in currencies {
        let (x, y) = (
            cost_from.get(c).copied().unwrap_or_default(),
            cost_to.get(c).copied().unwrap_or_default(),
        );
        result
            .summary
            .cost_change
            .insert(c.clone(), (y - x).normalize());
    }
    let normal = |m: BTreeMap<String, Decimal>| -> BTreeMap<String, Decimal> {
        m.into_iter().map(|(k, v)| (k, v.normalize())).collect()
    };
    result.summary.cost_from = normal(cost_from);
    result.summary.cost_to = normal(cost_to);
    let unpriced: BTreeSet<i32> = unpriced_from.into_iter().chain(unpriced_to).collect();
    result.summary.unpriced = unpriced.into_iter().collect();
    Ok(result)
}

fn count(summary: &mut DiffSummary, kinds: impl Iterator<Item = ChangeKind>) {
    for kind in kinds {
        match kind {
            ChangeKind::Added => summary.added += 1,
            ChangeKind::Removed => summary.removed += 1,
            ChangeKind::Changed => summary.changed += 1,
        }
    }
}

mod read;
#[cfg(test)]
mod tests;
