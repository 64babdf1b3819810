//! Rows that belong to a team, found by id for a principal: a row of a team the principal
//! is not in answers exactly as a row that does not exist, so ids tell nothing across teams.
use entity::{
    bom, bom_line, job, manufacturer_alias, part, part_override, price_break, program,
    program_line, substitute, supplier_offer,
};
use sea_orm::{ConnectionTrait, EntityTrait, PrimaryKeyTrait, QueryFilter, QuerySelect};

use crate::access::Principal;
use crate::db::{in_chunks, one_of};
use crate::{ServiceError, ServiceResult};

/// A table whose every row carries its team.
pub trait Owned: EntityTrait<PrimaryKey: PrimaryKeyTrait<ValueType: From<i32>>> {
    /// What a missing row is called in the error.
    const NAME: &'static str;
    fn team_of(row: &Self::Model) -> i32;
    fn id_of(row: &Self::Model) -> i32;
    /// The `id` and `team_id` columns, for lookups of many rows in one statement.
    fn id_column() -> Self::Column;
    fn team_column() -> Self::Column;
}

macro_rules! owned {
    ($($module:ident => $name:literal),* $(,)?) => {$(
        impl Owned for $module::Entity {
            const NAME: &'static str = $name;
            fn team_of(row: &$module::Model) -> i32 {
                row.team_id
            }
            fn id_of(row: &$module::Model) -> i32 {
                row.id
            }
            fn id_column() -> $module::Column {
                $module::Column::Id
            }
            fn team_column() -> $module::Column {
                $module::Column::TeamId
            }
        }
    )*};
}

owned! {
    bom => "bom",
    bom_line => "bom line",
    job => "job",
    manufacturer_alias => "manufacturer alias",
    part => "part",
    part_override => "part override",
    price_break => "price break",
    program => "program",
    program_line => "program line",
    substitute => "substitute",
    supplier_offer => "offer",
}

/// The rows of `ids` the principal may read, in no particular order: ids of other teams'
/// rows are left out exactly like ids of no row. One statement for up to
/// [`crate::db::IN_CHUNK`] ids (the loaders' batches).
pub async fn by_ids<E: Owned>(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<E::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let backend = db.get_database_backend();
    Ok(in_chunks(ids, |chunk| {
        E::find()
            .filter(one_of(backend, E::id_column(), chunk))
            .filter(one_of(backend, E::team_column(), p.team_ids()))
            .all(db)
    })
    .await?)
}

/// The row `id` of `E`, if the principal may read it.
pub async fn find<E: Owned>(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<E::Model> {
    readable::<E>(p, E::find_by_id(id).one(db).await?)
}

/// Like [`find`], with the row locked until the transaction ends.
pub async fn find_for_update<E: Owned>(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<E::Model> {
    readable::<E>(p, E::find_by_id(id).lock_exclusive().one(db).await?)
}

/// A row found, if the principal may read it, or the same not-found as no row at all.
pub fn readable<E: Owned>(p: &Principal, row: Option<E::Model>) -> ServiceResult<E::Model> {
    let row = row.ok_or(ServiceError::not_found(E::NAME))?;
    p.ensure_read(E::team_of(&row), E::NAME)?;
    Ok(row)
}
