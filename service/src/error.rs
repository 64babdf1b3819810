use std::collections::BTreeMap;
use std::fmt;

use sea_orm::{DbErr, SqlErr};

pub type ServiceResult<T> = Result<T, ServiceError>;

/// Per-field validation messages, keyed by the field's snake_case name
/// (`non_field_errors` for the object as a whole).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, Vec<String>>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_default()
            .push(message.into());
    }

    /// Adds another set of messages with their fields under a prefix such as `lines[3].`.
    pub fn extend_prefixed(&mut self, prefix: &str, other: FieldErrors) {
        for (field, messages) in other.0 {
            for m in messages {
                self.add(&format!("{prefix}{field}"), m);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when no message was added, the validation error otherwise.
    pub fn into_result(self) -> ServiceResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(ServiceError::Validation(self))
        }
    }

    pub fn single(field: &str, message: impl Into<String>) -> ServiceError {
        let mut e = Self::new();
        e.add(field, message);
        ServiceError::Validation(e)
    }
}

impl fmt::Display for FieldErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{k}: {}", v.join(" ")))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{0}")]
    Validation(FieldErrors),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("authentication required")]
    Unauthenticated,
    /// A limit on how much one team may ask of the server at once (queued jobs).
    #[error("{0}")]
    RateLimited(String),
    /// The database cannot be reached: it is down, restarting, or every pooled connection
    /// is busy past the acquire timeout. `maybe_committed` is set when the failure came at
    /// COMMIT, so the write may have landed and must not be sent again blindly.
    #[error("The database is unavailable at the moment; try again shortly.")]
    Unavailable { maybe_committed: bool },
    /// A database or other unexpected failure. The detail is logged, never shown to clients.
    #[error("internal error")]
    Internal(String),
}

impl ServiceError {
    pub fn not_found(entity: &'static str) -> Self {
        Self::NotFound { entity }
    }
}

/// Two transactions waiting on each other (PostgreSQL aborts one of them) or a write that
/// waited out the busy timeout (SQLite): nothing was changed, and the request can be retried.
fn is_contention(e: &DbErr) -> bool {
    let text = e.to_string();
    [
        "deadlock detected",
        "could not serialize access",
        "database is locked",
    ]
    .iter()
    .any(|m| text.contains(m))
}

/// The database went away, or never answered: a closed or refused connection, a pool
/// that timed out, or PostgreSQL shutting down or starting up (SQLSTATE class 08, 57P0x).
pub fn is_unavailable(e: &DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::RuntimeErr;
    let sqlx = match e {
        DbErr::ConnectionAcquire(_) => return true,
        DbErr::Conn(RuntimeErr::SqlxError(s))
        | DbErr::Exec(RuntimeErr::SqlxError(s))
        | DbErr::Query(RuntimeErr::SqlxError(s)) => s,
        _ => return false,
    };
    match sqlx.as_ref() {
        Sqlx::Io(_)
        | Sqlx::Tls(_)
        | Sqlx::PoolTimedOut
        | Sqlx::PoolClosed
        | Sqlx::WorkerCrashed => true,
        Sqlx::Protocol(_) => true,
        Sqlx::Database(db) => db.code().is_some_and(|code| {
            code.starts_with("08") || matches!(code.as_ref(), "57P01" | "57P02" | "57P03")
        }),
        _ => false,
    }
}

impl From<DbErr> for ServiceError {
    fn from(e: DbErr) -> Self {
        if is_unavailable(&e) {
            tracing::warn!(error = %e, "database unavailable");
            return Self::Unavailable {
                maybe_committed: false,
            };
        }
        match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                Self::Conflict("a record with these values already exists".into())
            }
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::Conflict("the record is still referenced by other records".into())
            }
            _ if is_contention(&e) => {
                tracing::warn!(error = %e, "concurrent writes collided");
                Self::Conflict(
                    "Another request changed the same data at the same moment; send this one again."
                        .into(),
                )
            }
            _ => {
                tracing::error!(error = %e, "database error");
                Self::Internal(e.to_string())
            }
        }
    }
}
