//! Substitutes: approved alternative parts for one BOM line.
use entity::substitute;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::Value;

use crate::auth::Principal;
use crate::metadata::{self, MetadataMode};
use crate::{bom as boms, bom_line, part, FieldErrors, ServiceError, ServiceResult};

pub async fn get(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<substitute::Model> {
    let sub = substitute::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(ServiceError::not_found("substitute"))?;
    p.ensure_read(sub.team_id, "substitute")?;
    Ok(sub)
}

pub async fn for_lines(
    db: &impl ConnectionTrait,
    p: &Principal,
    line_ids: &[i32],
) -> ServiceResult<Vec<substitute::Model>> {
    if line_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(substitute::Entity::find()
        .filter(substitute::Column::BomLineId.is_in(line_ids.iter().copied()))
        .filter(substitute::Column::TeamId.is_in(p.team_ids()))
        .order_by_asc(substitute::Column::Id)
        .all(db)
        .await?)
}

/// Unique per (line, part), never the line's own part, and of the line's team. Substitutes
/// are part of the BOM's structure, so an approved BOM's substitutes are fixed too.
pub async fn add(
    db: &DatabaseConnection,
    p: &Principal,
    line_id: i32,
    part_id: i32,
    metadata: Option<Value>,
) -> ServiceResult<substitute::Model> {
    if metadata.as_ref().is_some_and(|m| !m.is_object()) {
        return Err(FieldErrors::single(
            "metadata",
            "Metadata must be a JSON object.",
        ));
    }
    let txn = db.begin().await?;
    let line = bom_line::get(&txn, p, line_id).await?;
    boms::get_for_write(&txn, p, line.bom_id, true).await?;
    let part = part::get(&txn, p, part_id)
        .await
        .map_err(|_| FieldErrors::single("part_id", "Select a valid part."))?;
    if part.team_id != line.team_id {
        return Err(FieldErrors::single("part_id", "Select a valid part."));
    }
    if line.part_id == Some(part_id) {
        return Err(FieldErrors::single(
            "part_id",
            "Substitute part cannot be the same as the master part",
        ));
    }
    let exists = substitute::Entity::find()
        .filter(substitute::Column::BomLineId.eq(line_id))
        .filter(substitute::Column::PartId.eq(part_id))
        .count(&txn)
        .await?;
    if exists > 0 {
        return Err(FieldErrors::single(
            "non_field_errors",
            "The fields part, bom_item must make a unique set.",
        ));
    }
    let sub = substitute::ActiveModel {
        team_id: Set(line.team_id),
        bom_line_id: Set(line_id),
        part_id: Set(part_id),
        metadata: Set(metadata),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(sub)
}

pub async fn remove(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let txn = db.begin().await?;
    let sub = get(&txn, p, id).await?;
    let line = bom_line::get(&txn, p, sub.bom_line_id).await?;
    boms::get_for_write(&txn, p, line.bom_id, true).await?;
    substitute::Entity::delete_by_id(id).exec(&txn).await?;
    txn.commit().await?;
    Ok(())
}

pub async fn set_metadata(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    value: Value,
    mode: MetadataMode,
) -> ServiceResult<substitute::Model> {
    let sub = get(db, p, id).await?;
    p.ensure_write(sub.team_id, "substitute")?;
    let merged = metadata::apply(sub.metadata.as_ref(), value, mode)?;
    let mut am: substitute::ActiveModel = sub.into();
    am.metadata = Set(Some(merged));
    Ok(am.update(db).await?)
}
