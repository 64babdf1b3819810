//! Users, passwords, API tokens, and signing in: what makes the principal a request acts
//! as. The principal and its access checks are `access`'s, named here too.
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::Utc;
use entity::{api_token, membership, team, user};
use rand::RngCore;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};

pub use crate::access::{Principal, Role, TeamRole};
use crate::{team as teams, FieldErrors, ServiceError, ServiceResult};

pub fn hash_password(password: &str) -> ServiceResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ServiceError::Internal(e.to_string()))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Tokens are 32 random bytes; only their SHA-256 is stored, which is enough for a
/// high-entropy secret and keeps the per-request lookup a single indexed read.
fn key_hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub team: &'a str,
    pub role: Role,
}

/// Creates a user (or updates the password of an existing one) and makes them a member.
pub async fn create_user(db: &DatabaseConnection, new: NewUser<'_>) -> ServiceResult<user::Model> {
    let mut errors = FieldErrors::new();
    let username = new.username.trim();
    if username.is_empty() || username.contains(':') {
        errors.add("username", "Enter a username without colons.");
    }
    if new.password.len() < 8 {
        errors.add("password", "Use at least 8 characters.");
    }
    errors.into_result()?;
    let hash = hash_password(new.password)?;
    let txn = crate::db::write(db).await?;
    let team = teams::ensure(&txn, new.team).await?;
    let existing = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(&txn)
        .await?;
    let user = match existing {
        Some(u) => {
            let mut am: user::ActiveModel = u.into();
            am.password_hash = Set(hash);
            am.update(&txn).await?
        }
        None => {
            user::ActiveModel {
                username: Set(username.to_owned()),
                password_hash: Set(hash),
                is_active: Set(true),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    teams::set_member(&txn, team.id, user.id, new.role).await?;
    crate::db::commit(txn).await?;
    Ok(user)
}

/// Creates a token for a user and returns the key; it cannot be read back later.
pub async fn create_token(
    db: &impl ConnectionTrait,
    username: &str,
    name: &str,
) -> ServiceResult<String> {
    let user = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or(ServiceError::not_found("user"))?;
    issue_token(db, user.id, name).await
}

async fn issue_token(db: &impl ConnectionTrait, user_id: i32, name: &str) -> ServiceResult<String> {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let key = format!("bg_{}", hex::encode(bytes));
    api_token::ActiveModel {
        user_id: Set(user_id),
        name: Set(if name.is_empty() {
            "default".into()
        } else {
            name.to_owned()
        }),
        key_hash: Set(key_hash(&key)),
        created_at: Set(Utc::now()),
        revoked: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(key)
}

/// Revokes a user's tokens (those named `name`, or all); returns how many.
pub async fn revoke_tokens(
    db: &impl ConnectionTrait,
    username: &str,
    name: Option<&str>,
) -> ServiceResult<u64> {
    let user = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or(ServiceError::not_found("user"))?;
    let mut q = api_token::Entity::update_many()
        .col_expr(api_token::Column::Revoked, Expr::value(true))
        .filter(api_token::Column::UserId.eq(user.id))
        .filter(api_token::Column::Revoked.eq(false));
    if let Some(n) = name {
        q = q.filter(api_token::Column::Name.eq(n));
    }
    Ok(q.exec(db).await?.rows_affected)
}

/// The caller's own tokens, newest first; their keys cannot be read back.
pub async fn own_tokens(
    db: &impl ConnectionTrait,
    p: &Principal,
) -> ServiceResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(p.user_id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?)
}

/// The caller's own tokens among `ids` (for loaders); other users' tokens are left out
/// like tokens that do not exist.
pub async fn own_tokens_by_ids(
    db: &impl ConnectionTrait,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<api_token::Model>> {
    Ok(crate::db::in_chunks(ids, |chunk| {
        api_token::Entity::find()
            .filter(crate::db::one_of(
                db.get_database_backend(),
                api_token::Column::Id,
                chunk,
            ))
            .filter(api_token::Column::UserId.eq(p.user_id))
            .all(db)
    })
    .await?)
}

/// A new token for the caller; the key is in the answer and nowhere else. Only a password
/// sign-in makes tokens, so a leaked token cannot make more of itself.
pub async fn create_own_token(
    db: &impl ConnectionTrait,
    p: &Principal,
    name: &str,
) -> ServiceResult<(api_token::Model, String)> {
    if !p.with_password {
        return Err(ServiceError::Forbidden(
            "New tokens need your username and password (HTTP Basic), not a token.".into(),
        ));
    }
    let name = name.trim();
    if name.chars().count() > 100 {
        return Err(FieldErrors::single(
            "name",
            "Ensure this field has no more than 100 characters.",
        ));
    }
    let key = issue_token(db, p.user_id, name).await?;
    let token = api_token::Entity::find()
        .filter(api_token::Column::KeyHash.eq(key_hash(&key)))
        .one(db)
        .await?
        .ok_or_else(|| ServiceError::Internal("the new token is missing".into()))?;
    Ok((token, key))
}

/// Revokes one of the caller's tokens; other users' tokens do not exist for them.
pub async fn revoke_own_token(
    db: &impl ConnectionTrait,
    p: &Principal,
    id: i32,
) -> ServiceResult<api_token::Model> {
    let token = api_token::Entity::find_by_id(id)
        .filter(api_token::Column::UserId.eq(p.user_id))
        .one(db)
        .await?
        .ok_or(ServiceError::not_found("token"))?;
    let mut am: api_token::ActiveModel = token.into();
    am.revoked = Set(true);
    Ok(am.update(db).await?)
}

/// Resolves an API key to its principal in a single statement.
pub async fn authenticate_token(db: &impl ConnectionTrait, key: &str) -> ServiceResult<Principal> {
    use api_token::Entity as A;
    use membership::Entity as M;
    use team::Entity as T;
    use user::Entity as U;
    let query = Query::select()
        .expr_as(Expr::col((U, user::Column::Id)), "user_id")
        .expr_as(Expr::col((U, user::Column::Username)), "username")
        .expr_as(Expr::col((M, membership::Column::TeamId)), "team_id")
        .expr_as(Expr::col((M, membership::Column::Role)), "role")
        .expr_as(Expr::col((T, team::Column::Name)), "team_name")
        .from(A)
        .inner_join(
            U,
            Expr::col((U, user::Column::Id)).equals((A, api_token::Column::UserId)),
        )
        .left_join(
            M,
            Expr::col((M, membership::Column::UserId)).equals((U, user::Column::Id)),
        )
        .left_join(
            T,
            Expr::col((T, team::Column::Id)).equals((M, membership::Column::TeamId)),
        )
        .and_where(Expr::col((A, api_token::Column::KeyHash)).eq(key_hash(key)))
        .and_where(Expr::col((A, api_token::Column::Revoked)).eq(false))
        .and_where(Expr::col((U, user::Column::IsActive)).eq(true))
        .take();
    let rows = db.query_all(&query).await?;
    let first = rows.first().ok_or(ServiceError::Unauthenticated)?;
    let mut principal = Principal {
        user_id: first.try_get("", "user_id")?,
        username: first.try_get("", "username")?,
        teams: Vec::new(),
        with_password: false,
    };
    for row in &rows {
        let team_id: Option<i32> = row.try_get("", "team_id")?;
        let role: Option<String> = row.try_get("", "role")?;
        let team_name: Option<String> = row.try_get("", "team_name")?;
        if let (Some(team_id), Some(role), Some(team_name)) = (team_id, role, team_name) {
            principal.teams.push(TeamRole {
                team_id,
                team_name,
                role: Role::parse(&role)?,
            });
        }
    }
    Ok(principal)
}

/// Username and password (HTTP Basic).
pub async fn authenticate_password(
    db: &DatabaseConnection,
    username: &str,
    password: &str,
) -> ServiceResult<Principal> {
    let user = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .filter(user::Column::IsActive.eq(true))
        .one(db)
        .await?;
    let Some(user) = user else {
        return Err(ServiceError::Unauthenticated);
    };
    // Argon2 is deliberately slow: it runs off the async workers so that sign-ins do not
    // stall other requests.
    let (given, hash) = (password.to_owned(), user.password_hash.clone());
    let valid = tokio::task::spawn_blocking(move || verify_password(&given, &hash))
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    if !valid {
        return Err(ServiceError::Unauthenticated);
    }
    Ok(Principal {
        with_password: true,
        ..principal_of(db, user).await?
    })
}

/// The principal of a user, for work done on their behalf outside a request (jobs).
pub async fn principal_for(db: &impl ConnectionTrait, user_id: i32) -> ServiceResult<Principal> {
    let user = user::Entity::find_by_id(user_id)
        .filter(user::Column::IsActive.eq(true))
        .one(db)
        .await?
        .ok_or(ServiceError::Unauthenticated)?;
    principal_of(db, user).await
}

async fn principal_of(db: &impl ConnectionTrait, user: user::Model) -> ServiceResult<Principal> {
    let memberships = membership::Entity::find()
        .filter(membership::Column::UserId.eq(user.id))
        .all(db)
        .await?;
    let team_ids: Vec<i32> = memberships.iter().map(|m| m.team_id).collect();
    let names = team::Entity::find()
        .filter(team::Column::Id.is_in(team_ids))
        .all(db)
        .await?;
    let mut teams = Vec::new();
    for m in memberships {
        let team_name = names
            .iter()
            .find(|t| t.id == m.team_id)
            .map(|t| t.name.clone())
            .unwrap_or_default();
        teams.push(TeamRole {
            team_id: m.team_id,
            team_name,
            role: Role::parse(&m.role)?,
        });
    }
    Ok(Principal {
        user_id: user.id,
        username: user.username,
        teams,
        with_password: false,
    })
}

/// True when no user exists yet, so `serve` can tell a newcomer how to make one.
pub async fn is_empty(db: &DatabaseConnection) -> ServiceResult<bool> {
    Ok(user::Entity::find().one(db).await?.is_none())
}

/// Every user with their teams and roles, by username: what `bomgraph user list` shows.
pub async fn list_users(
    db: &impl ConnectionTrait,
) -> ServiceResult<Vec<(user::Model, Vec<TeamRole>)>> {
    let users = user::Entity::find()
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?;
    let memberships = membership::Entity::find().all(db).await?;
    let teams = team::Entity::find().all(db).await?;
    users
        .into_iter()
        .map(|u| {
            let roles = memberships
                .iter()
                .filter(|m| m.user_id == u.id)
                .map(|m| {
                    Ok(TeamRole {
                        team_id: m.team_id,
                        team_name: teams
                            .iter()
                            .find(|t| t.id == m.team_id)
                            .map(|t| t.name.clone())
                            .unwrap_or_default(),
                        role: Role::parse(&m.role)?,
                    })
                })
                .collect::<ServiceResult<Vec<_>>>()?;
            Ok((u, roles))
        })
        .collect()
}

/// A user's tokens, newest first, revoked ones included; their keys cannot be read back.
pub async fn user_tokens(
    db: &impl ConnectionTrait,
    username: &str,
) -> ServiceResult<Vec<api_token::Model>> {
    let user = user::Entity::find()
        .filter(user::Column::Username.eq(username))
        .one(db)
        .await?
        .ok_or(ServiceError::not_found("user"))?;
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(user.id))
        .order_by_desc(api_token::Column::Id)
        .all(db)
        .await?)
}
