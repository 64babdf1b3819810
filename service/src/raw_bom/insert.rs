//! Writing prepared raw lines in batches (many rows per statement, then their
//! substitutes), and a new BOM made from raw lines in one transaction.
use entity::{bom, bom_line, substitute};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use super::check::check_lines;
use super::prepare::{prepare, Prepared};
use super::wire::RawLine;
use crate::auth::Principal;
use crate::bom::{self as boms, BomInput};
use crate::progress::Progress;
use crate::{ServiceError, ServiceResult};

/// Inserts the lines, many per statement, then their substitutes. The caller holds the
/// BOM's lock, so the lines after the BOM's last id are these, in order.
/// With `progress`, reports from its start figure to its end figure as chunks are written.
pub(super) async fn insert_prepared(
    db: &impl ConnectionTrait,
    bom: &bom::Model,
    prepared: Vec<Prepared>,
    progress: Option<(&Progress, i32, i32)>,
) -> ServiceResult<Vec<bom_line::Model>> {
    let (rows, substitutes): (Vec<_>, Vec<_>) =
        prepared.into_iter().map(|p| (p.row, p.substitutes)).unzip();
    let saved = if rows.is_empty() {
        Vec::new()
    } else if rows.len() == 1 {
        vec![rows.into_iter().next().expect("one row").insert(db).await?]
    } else {
        let last = bom_line::Entity::find()
            .filter(bom_line::Column::BomId.eq(bom.id))
            .order_by_desc(bom_line::Column::Id)
            .one(db)
            .await?
            .map_or(0, |l| l.id);
        let chunks = rows.len().div_ceil(crate::db::INSERT_ROWS) as i32;
        for (i, chunk) in rows.chunks(crate::db::INSERT_ROWS).enumerate() {
            bom_line::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
            if let Some((progress, from, to)) = progress {
                progress.set(from + (to - from) * (i as i32 + 1) / chunks);
            }
        }
        bom_line::Entity::find()
            .filter(bom_line::Column::BomId.eq(bom.id))
            .filter(bom_line::Column::Id.gt(last))
            .order_by_asc(bom_line::Column::Id)
            .all(db)
            .await?
    };
    if saved.len() != substitutes.len() {
        return Err(ServiceError::Internal(format!(
            "BOM {}: wrote {} lines, read back {}",
            bom.id,
            substitutes.len(),
            saved.len()
        )));
    }
    let mut subs = Vec::new();
    for (line, parts) in saved.iter().zip(substitutes) {
        for part_id in parts {
            subs.push(crate::substitute::row(bom.team_id, line.id, part_id));
        }
    }
    for chunk in subs.chunks(500) {
        substitute::Entity::insert_many(chunk.to_vec())
            .exec(db)
            .await?;
    }
    Ok(saved)
}

/// Creates a BOM from raw lines, every line matched to the catalogue, in one transaction.
pub async fn create_bom(
    db: &DatabaseConnection,
    p: &Principal,
    input: BomInput,
    raw: Vec<RawLine>,
) -> ServiceResult<bom::Model> {
    check_lines(&raw)?;
    let txn = crate::db::write(db).await?;
    let bom = boms::create_in(
        &txn,
        p,
        BomInput {
            lines: None,
            ..input
        },
    )
    .await?;
    let prepared = prepare(&txn, &bom, &raw).await?;
    insert_prepared(&txn, &bom, prepared, None).await?;
    crate::db::commit(txn).await?;
    Ok(bom)
}
