//! Rows that belong to a team, found by id for a principal: a row of a team the principal
//! is not in answers exactly as a row that does not exist, so ids tell nothing across teams.
use entity::{bom, bom_line, job, part, part_override, program, program_line, substitute};
use sea_orm::{ConnectionTrait, EntityTrait, PrimaryKeyTrait, QuerySelect};

use crate::access::Principal;
use crate::{ServiceError, ServiceResult};

/// A table whose every row carries its team.
pub trait Owned: EntityTrait<PrimaryKey: PrimaryKeyTrait<ValueType: From<i32>>> {
    /// What a missing row is called in the error.
    const NAME: &'static str;
    fn team_of(row: &Self::Model) -> i32;
}

macro_rules! owned {
    ($($module:ident => $name:literal),* $(,)?) => {$(
        impl Owned for $module::Entity {
            const NAME: &'static str = $name;
            fn team_of(row: &$module::Model) -> i32 {
                row.team_id
            }
        }
    )*};
}

owned! {
    bom => "bom",
    bom_line => "bom line",
    job => "job",
    part => "part",
    part_override => "part override",
    program => "program",
    program_line => "program line",
    substitute => "substitute",
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
