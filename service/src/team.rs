//! Teams and membership administration: a team's admins add, change and remove members,
//! and a team always keeps at least one admin.
use chrono::Utc;
use entity::{membership, team, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::access::{Principal, Role};
use crate::{FieldErrors, ServiceError, ServiceResult};

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

/// One member of a team.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user_id: i32,
    pub username: String,
    pub role: Role,
}

/// The members of a team the caller belongs to, by username.
pub async fn members(
    db: &DatabaseConnection,
    p: &Principal,
    team_id: i32,
) -> ServiceResult<Vec<Member>> {
    p.ensure_read(team_id, "team")?;
    members_of(db, team_id).await
}

async fn members_of(db: &impl ConnectionTrait, team_id: i32) -> ServiceResult<Vec<Member>> {
    let rows = membership::Entity::find()
        .filter(membership::Column::TeamId.eq(team_id))
        .all(db)
        .await?;
    let users = user::Entity::find()
        .filter(user::Column::Id.is_in(rows.iter().map(|m| m.user_id)))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?;
    users
        .into_iter()
        .filter_map(|u| {
            let row = rows.iter().find(|m| m.user_id == u.id)?;
            Some(Role::parse(&row.role).map(|role| Member {
                user_id: u.id,
                username: u.username,
                role,
            }))
        })
        .collect()
}

/// Adds an existing user to the team, or changes their role there (admins only).
pub async fn set_member_role(
    db: &DatabaseConnection,
    p: &Principal,
    team_id: i32,
    username: &str,
    role: Role,
) -> ServiceResult<Member> {
    p.ensure_admin(team_id)?;
    let txn = crate::db::write(db).await?;
    let target = user::Entity::find()
        .filter(user::Column::Username.eq(username.trim()))
        .one(&txn)
        .await?
        .ok_or_else(|| FieldErrors::single("username", "No user has this username."))?;
    if role != Role::Admin {
        keep_an_admin(&txn, team_id, target.id).await?;
    }
    set_member(&txn, team_id, target.id, role).await?;
    crate::db::commit(txn).await?;
    Ok(Member {
        user_id: target.id,
        username: target.username,
        role,
    })
}

/// Removes a member from the team (admins only); their rows stay with the team.
pub async fn remove_member(
    db: &DatabaseConnection,
    p: &Principal,
    team_id: i32,
    username: &str,
) -> ServiceResult<()> {
    p.ensure_admin(team_id)?;
    let txn = crate::db::write(db).await?;
    let member = members_of(&txn, team_id)
        .await?
        .into_iter()
        .find(|m| m.username == username.trim())
        .ok_or(ServiceError::not_found("member"))?;
    keep_an_admin(&txn, team_id, member.user_id).await?;
    membership::Entity::delete_many()
        .filter(membership::Column::TeamId.eq(team_id))
        .filter(membership::Column::UserId.eq(member.user_id))
        .exec(&txn)
        .await?;
    crate::db::commit(txn).await?;
    Ok(())
}

/// Refuses to take the admin role away from the team's last admin. The admins' rows stay
/// locked until the change commits, so two admins cannot demote each other at once.
async fn keep_an_admin(db: &impl ConnectionTrait, team_id: i32, user_id: i32) -> ServiceResult<()> {
    let admins = membership::Entity::find()
        .filter(membership::Column::TeamId.eq(team_id))
        .filter(membership::Column::Role.eq(Role::Admin.as_str()))
        .lock_exclusive()
        .all(db)
        .await?;
    if admins.iter().all(|m| m.user_id == user_id) {
        return Err(ServiceError::Conflict(
            "A team keeps at least one admin; make another member admin first.".into(),
        ));
    }
    Ok(())
}
