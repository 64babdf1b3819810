//! Teams and membership administration: a team's admins add, change and remove members,
//! and a team always keeps at least one admin.
use chrono::Utc;
use entity::{membership, team, user};
use sea_orm::sea_query::Query;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, JoinType, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::access::{Principal, Role};
use crate::db::one_of;
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

/// Gives a user a role in a team, replacing any role they had there. A member keeps their
/// membership row (and so its id) when their role changes.
pub async fn set_member(
    db: &impl ConnectionTrait,
    team_id: i32,
    user_id: i32,
    role: Role,
) -> ServiceResult<membership::Model> {
    let existing = membership::Entity::find()
        .filter(membership::Column::TeamId.eq(team_id))
        .filter(membership::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    Ok(match existing {
        Some(row) => {
            let mut am: membership::ActiveModel = row.into();
            am.role = Set(role.as_str().to_owned());
            am.update(db).await?
        }
        None => {
            membership::ActiveModel {
                team_id: Set(team_id),
                user_id: Set(user_id),
                role: Set(role.as_str().to_owned()),
                ..Default::default()
            }
            .insert(db)
            .await?
        }
    })
}

/// One member of a team: a membership row and its user's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The membership row's id.
    pub id: i32,
    pub team_id: i32,
    pub user_id: i32,
    pub username: String,
    pub role: Role,
}

/// A membership row with its user's name, as one statement reads it.
#[derive(Debug, FromQueryResult)]
struct MemberRow {
    id: i32,
    team_id: i32,
    user_id: i32,
    role: String,
    username: String,
}

impl MemberRow {
    fn into_member(self) -> ServiceResult<Member> {
        Ok(Member {
            id: self.id,
            team_id: self.team_id,
            user_id: self.user_id,
            username: self.username,
            role: Role::parse(&self.role)?,
        })
    }
}

/// The memberships of `ids` in the caller's teams (for loaders); others are left out like
/// memberships that do not exist.
pub async fn members_by_ids(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<Member>> {
    let backend = db.get_database_backend();
    let rows = crate::db::in_chunks(ids, |chunk| {
        membership::Entity::find()
            .select_only()
            .columns([
                membership::Column::Id,
                membership::Column::TeamId,
                membership::Column::UserId,
                membership::Column::Role,
            ])
            .column(user::Column::Username)
            .join(
                JoinType::InnerJoin,
                membership::Entity::belongs_to(user::Entity)
                    .from(membership::Column::UserId)
                    .to(user::Column::Id)
                    .into(),
            )
            .filter(one_of(backend, membership::Column::Id, chunk))
            .filter(one_of(backend, membership::Column::TeamId, p.team_ids()))
            .into_model::<MemberRow>()
            .all(db)
    })
    .await?;
    rows.into_iter().map(MemberRow::into_member).collect()
}

/// The users of `ids` the caller may see (for loaders): the caller and the members of the
/// caller's teams. Anyone else is left out like a user that does not exist.
pub async fn users_by_ids(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<user::Model>> {
    let backend = db.get_database_backend();
    Ok(crate::db::in_chunks(ids, |chunk| {
        let teammates = Query::select()
            .column(membership::Column::UserId)
            .from(membership::Entity)
            .and_where(one_of(backend, membership::Column::TeamId, p.team_ids()))
            .to_owned();
        user::Entity::find()
            .filter(one_of(backend, user::Column::Id, chunk))
            .filter(
                Condition::any()
                    .add(user::Column::Id.eq(p.user_id))
                    .add(user::Column::Id.in_subquery(teammates)),
            )
            .all(db)
    })
    .await?)
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
                id: row.id,
                team_id: row.team_id,
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
    let row = set_member(&txn, team_id, target.id, role).await?;
    crate::db::commit(txn).await?;
    Ok(Member {
        id: row.id,
        team_id,
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
