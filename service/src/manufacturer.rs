//! Manufacturer aliases: per team, the other names its BOMs use for a manufacturer.
use entity::manufacturer_alias;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::auth::Principal;
use crate::matching::manufacturer_key;
use crate::{FieldErrors, ServiceResult};

pub async fn list(
    db: &DatabaseConnection,
    p: &Principal,
) -> ServiceResult<Vec<manufacturer_alias::Model>> {
    Ok(manufacturer_alias::Entity::find()
        .filter(manufacturer_alias::Column::TeamId.is_in(p.team_ids()))
        .order_by_asc(manufacturer_alias::Column::Alias)
        .all(db)
        .await?)
}

/// Records that `alias` means `manufacturer`; an alias already known is re-pointed.
pub async fn set(
    db: &DatabaseConnection,
    p: &Principal,
    team_id: Option<i32>,
    alias: &str,
    manufacturer: &str,
) -> ServiceResult<manufacturer_alias::Model> {
    let team_id = p.write_team(team_id)?;
    let key = manufacturer_key(alias);
    let mut errors = FieldErrors::new();
    if key.is_empty() {
        errors.add("alias", "This field may not be blank.");
    }
    if manufacturer_key(manufacturer).is_empty() {
        errors.add("manufacturer", "This field may not be blank.");
    }
    errors.into_result()?;
    let existing = manufacturer_alias::Entity::find()
        .filter(manufacturer_alias::Column::TeamId.eq(team_id))
        .filter(manufacturer_alias::Column::AliasKey.eq(key.clone()))
        .one(db)
        .await?;
    Ok(match existing {
        Some(a) => {
            let mut am: manufacturer_alias::ActiveModel = a.into();
            am.alias = Set(alias.trim().to_owned());
            am.manufacturer = Set(manufacturer.trim().to_owned());
            am.update(db).await?
        }
        None => {
            manufacturer_alias::ActiveModel {
                team_id: Set(team_id),
                alias_key: Set(key),
                alias: Set(alias.trim().to_owned()),
                manufacturer: Set(manufacturer.trim().to_owned()),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    })
}

pub async fn remove(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<()> {
    let alias = crate::owned::find::<manufacturer_alias::Entity>(db, p, id).await?;
    p.ensure_write(alias.team_id, "manufacturer alias")?;
    manufacturer_alias::Entity::delete_by_id(id)
        .exec(db)
        .await?;
    Ok(())
}
