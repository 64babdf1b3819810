//! Reading BOM lines the principal may see: by id, by BOM, and where a part is used.
use entity::bom_line;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
};

use super::list::{line_number_length, uses_condition};
use crate::auth::Principal;
use crate::db::one_of;
use crate::{part as parts, ServiceError, ServiceResult};

pub async fn get(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<bom_line::Model> {
    let line = crate::owned::find::<bom_line::Entity>(db, p, id).await?;
    Ok(line)
}

pub async fn by_ids(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<bom_line::Model>> {
    crate::owned::by_ids::<bom_line::Entity>(db, p, ids).await
}

/// One line of a BOM; a line of another BOM is not found.
pub async fn line_of(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom_id: i32,
    line_id: i32,
) -> ServiceResult<bom_line::Model> {
    let line = get(db, p, line_id).await?;
    if line.bom_id != bom_id {
        return Err(ServiceError::not_found("bom line"));
    }
    Ok(line)
}

/// Lines of several BOMs, in line order.
pub async fn for_boms(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom_ids: &[i32],
) -> ServiceResult<Vec<bom_line::Model>> {
    if bom_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(bom_line::Entity::find()
        .filter(one_of(
            db.get_database_backend(),
            bom_line::Column::BomId,
            bom_ids.iter().copied(),
        ))
        .filter(one_of(
            db.get_database_backend(),
            bom_line::Column::TeamId,
            p.team_ids(),
        ))
        .order_by_asc(line_number_length())
        .order_by_asc(bom_line::Column::LineNumber)
        .order_by_asc(bom_line::Column::Id)
        .all(db)
        .await?)
}

pub async fn where_used(
    db: &DatabaseConnection,
    p: &Principal,
    part_id: i32,
) -> ServiceResult<Vec<bom_line::Model>> {
    parts::get(db, p, part_id).await?;
    Ok(bom_line::Entity::find()
        .filter(uses_condition(db, part_id).await?)
        .filter(bom_line::Column::TeamId.is_in(p.team_ids()))
        .order_by_asc(bom_line::Column::Id)
        .all(db)
        .await?)
}
