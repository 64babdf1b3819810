//! Step 3 of an import: every item checked by the line rules and the same-part policy,
//! then all inserted in one transaction, or none.
use crate::events::{self, Change, Event};
use std::collections::{HashMap, HashSet};

use entity::{bom, bom_line, part};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::extract::CHUNK;
use crate::auth::Principal;
use crate::bom_line::{apply, blank, line_errors, LineInput};
use crate::same_part::{self, Decision, SamePart};
use crate::{bom as boms, structure, FieldErrors, ServiceError, ServiceResult};

/// One item of a submit: a line for the BOM of `assembly_part_id`.
#[derive(Debug, Clone)]
pub struct ImportItem {
    pub assembly_part_id: i32,
    pub line: LineInput,
}

/// A repeated (assembly, part) pair is refused: InvenTree's own import skips it silently,
/// which loses the row's quantity without a word; refusing shows the importer the row.
const IMPORT_SAME_PART: SamePart = SamePart::Refuse;

/// Step 3: validates every item and inserts them all in one transaction, or none. An item
/// that repeats a line of the BOM, or another item, is refused ([`IMPORT_SAME_PART`]). A
/// clear requested at upload happens here, inside the same transaction.
pub async fn submit(
    db: &DatabaseConnection,
    p: &Principal,
    items: Vec<ImportItem>,
) -> ServiceResult<usize> {
    if items.is_empty() {
        return Err(FieldErrors::single(
            "items",
            "At least one BOM item is required",
        ));
    }
    let txn = crate::db::write(db).await?;
    let mut boms_by_assembly: HashMap<i32, bom::Model> = HashMap::new();
    let mut above_by_assembly: HashMap<i32, HashSet<i32>> = HashMap::new();
    let mut errors = FieldErrors::new();
    // BOMs are locked in a fixed order, so two imports into the same assemblies cannot
    // wait on each other.
    let mut in_lock_order: Vec<(usize, &ImportItem)> = items.iter().enumerate().collect();
    in_lock_order.sort_by_key(|(_, item)| item.assembly_part_id);
    for (i, item) in in_lock_order {
        if boms_by_assembly.contains_key(&item.assembly_part_id) {
            continue;
        }
        match boms::for_assembly(&txn, p, item.assembly_part_id).await {
            Ok(bom) => {
                let live = bom.clear_on_import_until > Some(chrono::Utc::now());
                let mine = bom.clear_on_import_by == Some(p.user_id);
                if live && mine {
                    bom_line::Entity::delete_many()
                        .filter(bom_line::Column::BomId.eq(bom.id))
                        .exec(&txn)
                        .await?;
                }
                // spent by its owner's submit, or gone stale; another user's import
                // running at the same time keeps its mark
                if bom.clear_on_import_by.is_some() && (mine || !live) {
                    let mut am: bom::ActiveModel = bom.clone().into();
                    am.clear_on_import_by = Set(None);
                    am.clear_on_import_until = Set(None);
                    am.update(&txn).await?;
                }
                boms_by_assembly.insert(item.assembly_part_id, bom);
            }
            Err(ServiceError::Validation(_)) => {
                errors.add(&format!("items[{i}].part"), "Select a valid part.")
            }
            Err(other) => return Err(other),
        }
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    // after every BOM lock: the structure lock is the last one a writer waits for
    for (assembly, bom) in &boms_by_assembly {
        let above = structure::parts_above(&txn, bom.team_id, *assembly).await?;
        above_by_assembly.insert(*assembly, above);
    }
    let bom_ids: Vec<i32> = boms_by_assembly.values().map(|b| b.id).collect();
    let mut existing: HashMap<(i32, i32), Vec<bom_line::Model>> = HashMap::new();
    for line in bom_line::Entity::find()
        .filter(bom_line::Column::BomId.is_in(bom_ids))
        .order_by_asc(bom_line::Column::Id)
        .all(&txn)
        .await?
    {
        if let Some(part) = line.part_id {
            existing.entry((line.bom_id, part)).or_default().push(line);
        }
    }
    let mut imported: HashMap<(i32, i32), usize> = HashMap::new();
    let part_ids: HashSet<i32> = items
        .iter()
        .filter_map(|i| i.line.part_id.flatten())
        .collect();
    let mut parts: HashMap<i32, part::Model> = HashMap::new();
    for chunk in part_ids.into_iter().collect::<Vec<_>>().chunks(CHUNK) {
        parts.extend(
            crate::part::by_ids(&txn, p, chunk)
                .await?
                .into_iter()
                .map(|x| (x.id, x)),
        );
    }
    let mut rows = Vec::new();
    let mut edges = Vec::new();
    for (i, item) in items.into_iter().enumerate() {
        let bom = &boms_by_assembly[&item.assembly_part_id];
        let Some(part_id) = item.line.part_id.flatten() else {
            errors.add(&format!("items[{i}].part_id"), "This field is required.");
            continue;
        };
        edges.push((i, item.assembly_part_id, part_id));
        let part = parts.get(&part_id).filter(|x| x.team_id == bom.team_id);
        let mut am = blank(bom);
        apply(&mut am, item.line);
        let line_errs = line_errors(bom, &am, part, &above_by_assembly[&item.assembly_part_id]);
        errors.extend_prefixed(&format!("items[{i}]."), line_errs);
        let same = existing
            .get(&(bom.id, part_id))
            .map_or(&[][..], Vec::as_slice);
        if let Decision::Refuse(line) = IMPORT_SAME_PART.decide(same, &[]) {
            errors.add(&format!("items[{i}].part_id"), same_part::refusal(line));
        } else if let Some(first) = imported.insert((bom.id, part_id), i) {
            errors.add(
                &format!("items[{i}].part_id"),
                format!("Item {first} of this import is for the same part; give it once."),
            );
        }
        rows.push(am);
    }
    errors.into_result()?;
    let created = rows.len();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<bom_line::ActiveModel> =
            rows.by_ref().take(crate::db::INSERT_ROWS).collect();
        bom_line::Entity::insert_many(chunk).exec(&txn).await?;
    }
    check_new_loops(&txn, &boms_by_assembly, &edges).await?;
    let mut changed: Vec<i32> = boms_by_assembly.values().map(|b| b.id).collect();
    changed.sort_unstable();
    changed.dedup();
    let events = changed
        .into_iter()
        .map(|bom| Event::bom(bom, Change::LinesChanged));
    events::commit(db, txn, events).await?;
    Ok(created)
}

/// Each row was checked against the structure before the import, but rows for several
/// assemblies can close a loop between themselves (A uses B in one row, B uses A in
/// another). With every row written, an imported line is a loop when its part now uses
/// its assembly.
async fn check_new_loops(
    txn: &impl sea_orm::ConnectionTrait,
    boms_by_assembly: &HashMap<i32, bom::Model>,
    edges: &[(usize, i32, i32)],
) -> ServiceResult<()> {
    if boms_by_assembly.len() < 2 {
        return Ok(());
    }
    let mut above_by_assembly = HashMap::new();
    for (assembly, bom) in boms_by_assembly {
        let above = structure::parts_above(txn, bom.team_id, *assembly).await?;
        above_by_assembly.insert(*assembly, above);
    }
    let mut errors = FieldErrors::new();
    for (i, assembly, part_id) in edges {
        if let Some(message) =
            structure::loop_error(*assembly, *part_id, &above_by_assembly[assembly])
        {
            errors.add(&format!("items[{i}].part_id"), message);
        }
    }
    errors.into_result()
}
