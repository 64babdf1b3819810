//! Finding a BOM as the principal may reach it: to read (`get`, `by_ids`), locked to change
//! it (`get_for_write`), and the BOM that InvenTree's `BomItem.part` stands for
//! (`for_assembly`). BOMs, lines, substitutes, revisions and the structure walk all start
//! from these lookups, so they live apart from the BOM writes that use those modules.
use chrono::Utc;
use entity::bom;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::auth::Principal;
use crate::{part, FieldErrors, ServiceError, ServiceResult};

pub async fn get(db: &impl ConnectionTrait, p: &Principal, id: i32) -> ServiceResult<bom::Model> {
    let bom = crate::owned::find::<bom::Entity>(db, p, id).await?;
    Ok(bom)
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<bom::Model>> {
    crate::owned::by_ids::<bom::Entity>(db, p, ids).await
}

/// A BOM the principal may change: writable team, not archived, and (for line changes)
/// not approved.
pub(crate) async fn get_for_write(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
    changing_lines: bool,
) -> ServiceResult<bom::Model> {
    // Locked until the transaction ends, so an approval and a line change cannot interleave.
    let bom = crate::owned::find_for_update::<bom::Entity>(db, p, id).await?;
    p.ensure_write(bom.team_id, "bom")?;
    if bom.archived {
        return Err(ServiceError::Conflict(
            "The BOM is archived and cannot be changed.".into(),
        ));
    }
    if changing_lines && bom.approved {
        return Err(ServiceError::Conflict(
            "The BOM is approved; its lines cannot be changed.".into(),
        ));
    }
    Ok(bom)
}

/// The BOM that InvenTree's `BomItem.part` stands for: the newest unarchived BOM that builds
/// the assembly part, created (named after the part) on first use. Checked writable.
pub async fn for_assembly(
    db: &impl ConnectionTrait,
    p: &Principal,
    assembly_part_id: i32,
) -> ServiceResult<bom::Model> {
    let part = part::get(db, p, assembly_part_id)
        .await
        .map_err(|_| FieldErrors::single("assembly_part_id", "Select a valid part."))?;
    if !part.assembly {
        return Err(FieldErrors::single(
            "assembly_part_id",
            "The part is not an assembly.",
        ));
    }
    let existing = bom::Entity::find()
        .filter(bom::Column::AssemblyPartId.eq(assembly_part_id))
        .filter(bom::Column::Archived.eq(false))
        .order_by_desc(bom::Column::Id)
        .one(db)
        .await?;
    if let Some(bom) = existing {
        return get_for_write(db, p, bom.id, true).await;
    }
    p.ensure_write(part.team_id, "part")?;
    let now = Utc::now();
    Ok(bom::ActiveModel {
        team_id: Set(part.team_id),
        name: Set(part.name.clone()),
        version: Set(String::new()),
        part_number: Set(part.ipn.clone()),
        description: Set(String::new()),
        assembly_part_id: Set(Some(part.id)),
        approved: Set(false),
        approved_at: Set(None),
        approved_by: Set(None),
        archived: Set(false),
        metadata: Set(None),
        integration_record_id: Set(None),
        synced_from_integration: Set(false),
        integration_source_name: Set(None),
        synced_from_integration_at: Set(None),
        clear_on_import_by: Set(None),
        clear_on_import_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?)
}
