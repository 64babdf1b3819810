//! Who may do what: the principal a request acts as, its teams and its role in each. Every
//! module that reads or writes a team's rows asks here; this module asks no other, so the
//! user and team administration that build a principal can use it too.
//!
//! A team the user does not belong to reads as "not found", so ids of other teams' rows
//! reveal nothing.
use crate::{FieldErrors, ServiceError, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn parse(s: &str) -> ServiceResult<Self> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            _ => Err(FieldErrors::single(
                "role",
                format!("\"{s}\" is not a valid choice (viewer, editor, admin)."),
            )),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamRole {
    pub team_id: i32,
    pub team_name: String,
    pub role: Role,
}

/// The authenticated user of one request and their teams.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user_id: i32,
    pub username: String,
    pub teams: Vec<TeamRole>,
    /// Signed in with username and password rather than a token.
    pub with_password: bool,
}

impl Principal {
    pub fn team_ids(&self) -> Vec<i32> {
        self.teams.iter().map(|t| t.team_id).collect()
    }

    fn role_in(&self, team_id: i32) -> Option<Role> {
        self.teams
            .iter()
            .find(|t| t.team_id == team_id)
            .map(|t| t.role)
    }

    /// Rows of teams the user is not in do not exist for them.
    pub fn ensure_read(&self, team_id: i32, entity: &'static str) -> ServiceResult<()> {
        self.role_in(team_id)
            .map(|_| ())
            .ok_or(ServiceError::not_found(entity))
    }

    pub fn ensure_write(&self, team_id: i32, entity: &'static str) -> ServiceResult<()> {
        match self.role_in(team_id) {
            None => Err(ServiceError::not_found(entity)),
            Some(Role::Viewer) => Err(ServiceError::Forbidden(
                "You do not have permission to perform this action.".into(),
            )),
            Some(_) => Ok(()),
        }
    }

    /// Members and their roles are the team's admins' to change.
    pub fn ensure_admin(&self, team_id: i32) -> ServiceResult<()> {
        match self.role_in(team_id) {
            None => Err(ServiceError::not_found("team")),
            Some(Role::Admin) => Ok(()),
            Some(_) => Err(ServiceError::Forbidden(
                "Only the team's admins can change its members.".into(),
            )),
        }
    }

    /// The team a new row goes to: the one asked for, else the only team the user can write.
    pub fn write_team(&self, requested: Option<i32>) -> ServiceResult<i32> {
        if let Some(team_id) = requested {
            // A team the user is not in is a bad field value, not a missing resource.
            if self.role_in(team_id).is_none() {
                return Err(FieldErrors::single(
                    "team_id",
                    format!("Invalid pk \"{team_id}\" - object does not exist."),
                ));
            }
            self.ensure_write(team_id, "team")?;
            return Ok(team_id);
        }
        let writable: Vec<i32> = self
            .teams
            .iter()
            .filter(|t| t.role >= Role::Editor)
            .map(|t| t.team_id)
            .collect();
        match writable.as_slice() {
            [one] => Ok(*one),
            [] => Err(ServiceError::Forbidden(
                "You do not have permission to perform this action.".into(),
            )),
            _ => Err(FieldErrors::single(
                "team_id",
                "You belong to several teams; say which team this belongs to.",
            )),
        }
    }
}
