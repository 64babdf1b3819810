//! Teams and membership administration.
use chrono::Utc;
use entity::{membership, team};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::auth::Role;
use crate::{FieldErrors, ServiceResult};

/// Finds a team by name, creating it when missing.
pub async fn ensure(db: &impl ConnectionTrait, name: &str) -> ServiceResult<team::Model> {
    let name = name.trim();
    if name.is_empty() {
        return Err(FieldErrors::single("team", "This field may not be blank."));
    }
    if let Some(t) = team::Entity::find()
        .filter(team::Column::Name.eq(name))
        .one(db)
        .await?
    {
        return Ok(t);
    }
    Ok(team::ActiveModel {
        name: Set(name.to_owned()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// Gives a user a role in a team, replacing any role they had there.
pub async fn set_member(
    db: &impl ConnectionTrait,
    team_id: i32,
    user_id: i32,
    role: Role,
) -> ServiceResult<()> {
    membership::Entity::delete_many()
        .filter(membership::Column::TeamId.eq(team_id))
        .filter(membership::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    membership::ActiveModel {
        team_id: Set(team_id),
        user_id: Set(user_id),
        role: Set(role.as_str().to_owned()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
