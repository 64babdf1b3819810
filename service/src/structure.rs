//! Multi-level structure: loops, explosion, and which BOM builds a sub-assembly.
use std::collections::{BTreeMap, HashMap, HashSet};

use entity::{bom, bom_line};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use crate::auth::Principal;
use crate::db::TeamLock;
use crate::decimal;
use crate::{bom_lookup, FieldErrors, ServiceResult};

/// Every part that uses `part_id` at some depth: the assemblies of the BOMs whose lines use
/// it, their users, and so on. One pair of statements per level. Only write paths ask, to
/// check for loops; the team's structure lock makes the answer hold until they commit.
pub async fn parts_above(
    txn: &impl ConnectionTrait,
    team_id: i32,
    part_id: i32,
) -> ServiceResult<HashSet<i32>> {
    crate::db::lock_team(txn, TeamLock::Structure, team_id).await?;
    let db = txn;
    let mut seen = HashSet::new();
    let mut frontier = vec![part_id];
    while !frontier.is_empty() {
        let bom_ids: HashSet<i32> = bom_line::Entity::find()
            .filter(bom_line::Column::PartId.is_in(frontier.clone()))
            .all(db)
            .await?
            .into_iter()
            .map(|l| l.bom_id)
            .collect();
        if bom_ids.is_empty() {
            break;
        }
        frontier = bom::Entity::find()
            .filter(bom::Column::Id.is_in(bom_ids))
            .filter(bom::Column::Archived.eq(false))
            .all(db)
            .await?
            .into_iter()
            .filter_map(|b| b.assembly_part_id)
            .filter(|p| seen.insert(*p))
            .collect();
    }
    Ok(seen)
}

/// The loop rule, given the parts above the assembly (see `parts_above`).
pub fn loop_error(assembly: i32, part_id: i32, above: &HashSet<i32>) -> Option<&'static str> {
    if assembly == part_id {
        Some("Part cannot be added to its own Bill of Materials")
    } else if above.contains(&part_id) {
        Some("This part's own BOM (directly or further down) uses the assembly: that would be a BOM loop")
    } else {
        None
    }
}

/// Giving an existing BOM a new assembly part must not make any of its lines a loop.
pub async fn check_assembly_change(
    db: &impl ConnectionTrait,
    team_id: i32,
    bom_id: i32,
    assembly: i32,
) -> ServiceResult<()> {
    let lines = bom_line::Entity::find()
        .filter(bom_line::Column::BomId.eq(bom_id))
        .all(db)
        .await?;
    let above = parts_above(db, team_id, assembly).await?;
    if lines
        .iter()
        .filter_map(|l| l.part_id)
        .any(|p| loop_error(assembly, p, &above).is_some())
    {
        return Err(FieldErrors::single(
            "assembly_part_id",
            "A line of this BOM uses the part (at some depth): that would be a BOM loop",
        ));
    }
    Ok(())
}

/// The BOM that builds each part among `boms`: its approved BOM if any, else its newest,
/// never an archived one. Used wherever sub-assemblies are exploded.
pub fn builders(boms: &[bom::Model]) -> HashMap<i32, i32> {
    let mut best: HashMap<i32, &bom::Model> = HashMap::new();
    for b in boms.iter().filter(|b| !b.archived) {
        if let Some(part) = b.assembly_part_id {
            if best
                .get(&part)
                .is_none_or(|cur| (b.approved, b.id) > (cur.approved, cur.id))
            {
                best.insert(part, b);
            }
        }
    }
    best.into_iter().map(|(k, v)| (k, v.id)).collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplodedPart {
    pub part_id: i32,
    /// Total quantity needed to build the requested number of units.
    pub quantity: Decimal,
    /// The shallowest level at which the part appears (1 = a line of the BOM itself).
    pub level: i32,
    /// True when the part is built from its own BOM, which was exploded in turn.
    pub is_assembly: bool,
}

/// Explodes a BOM to any depth: for each part, the total quantity for `quantity` units.
/// One pair of statements per level.
pub async fn explode(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
    quantity: Decimal,
) -> ServiceResult<Vec<ExplodedPart>> {
    let mut errors = FieldErrors::new();
    decimal::check_quantity(&mut errors, "quantity", quantity);
    errors.into_result()?;
    let root = bom_lookup::get(db, p, bom_id).await?;
    let mut totals: BTreeMap<i32, ExplodedPart> = BTreeMap::new();
    // (bom id, multiplier) pairs still to expand
    let mut frontier = vec![(root.id, quantity)];
    let mut level = 1;
    // Loops are refused on every write; the depth cap only guards against hand-edited data.
    while !frontier.is_empty() && level <= 64 {
        let ids: Vec<i32> = frontier.iter().map(|(b, _)| *b).collect();
        let lines = bom_line::Entity::find()
            .filter(bom_line::Column::BomId.is_in(ids))
            .order_by_asc(bom_line::Column::Id)
            .all(db)
            .await?;
        let part_ids: Vec<i32> = lines.iter().filter_map(|l| l.part_id).collect();
        let sub_boms = bom::Entity::find()
            .filter(bom::Column::AssemblyPartId.is_in(part_ids))
            .filter(bom::Column::TeamId.eq(root.team_id))
            .all(db)
            .await?;
        let builders = builders(&sub_boms);
        let mut next: BTreeMap<i32, Decimal> = BTreeMap::new();
        for line in &lines {
            let Some(part_id) = line.part_id else {
                continue;
            };
            let multiplier = decimal::sum(
                frontier
                    .iter()
                    .filter(|(b, _)| *b == line.bom_id)
                    .map(|(_, m)| *m),
            )?;
            let needed = decimal::mul(line.quantity.0, multiplier)?;
            let child = builders.get(&part_id).copied();
            let entry = totals.entry(part_id).or_insert(ExplodedPart {
                part_id,
                quantity: Decimal::ZERO,
                level,
                is_assembly: child.is_some(),
            });
            entry.quantity = decimal::add(entry.quantity, needed)?;
            if let Some(child) = child {
                let units = next.entry(child).or_default();
                *units = decimal::add(*units, needed)?;
            }
        }
        frontier = next.into_iter().collect();
        level += 1;
    }
    Ok(totals
        .into_values()
        .map(|mut p| {
            p.quantity = p.quantity.normalize();
            p
        })
        .collect())
}
