//! Credentials from the `Authorization` header, in every scheme bomgraph accepts:
//! `Token <key>` (InvenTree), `Api-Key <key>` (Cofactr), `Bearer <key>`, and HTTP Basic.
use std::sync::Arc;

use axum::http::{header::AUTHORIZATION, HeaderMap};
use base64::Engine;
use service::auth::{authenticate_password, authenticate_token, Principal};
use service::{DatabaseConnection, ServiceError};

#[derive(Debug, PartialEq, Eq)]
pub enum Credentials {
    Key(String),
    Basic { username: String, password: String },
}

/// `Ok(None)` when no credentials were sent; an error when the header is malformed.
pub fn credentials(headers: &HeaderMap) -> Result<Option<Credentials>, ServiceError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value
        .to_str()
        .map_err(|_| ServiceError::Unauthenticated)?
        .trim();
    let (scheme, rest) = value.split_once(' ').ok_or(ServiceError::Unauthenticated)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return Err(ServiceError::Unauthenticated);
    }
    match scheme.to_ascii_lowercase().as_str() {
        "token" | "bearer" | "api-key" => Ok(Some(Credentials::Key(rest.to_owned()))),
        "basic" => {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(rest)
                .map_err(|_| ServiceError::Unauthenticated)?;
            let text = String::from_utf8(raw).map_err(|_| ServiceError::Unauthenticated)?;
            let (username, password) = text.split_once(':').ok_or(ServiceError::Unauthenticated)?;
            Ok(Some(Credentials::Basic {
                username: username.to_owned(),
                password: password.to_owned(),
            }))
        }
        _ => Err(ServiceError::Unauthenticated),
    }
}

/// The principal of a request: `Ok(None)` without credentials, an error for bad ones.
pub async fn authenticate(
    db: &DatabaseConnection,
    headers: &HeaderMap,
) -> Result<Option<Arc<Principal>>, ServiceError> {
    let principal = match credentials(headers)? {
        None => return Ok(None),
        Some(Credentials::Key(key)) => authenticate_token(db, &key).await?,
        Some(Credentials::Basic { username, password }) => {
            authenticate_password(db, &username, &password).await?
        }
    };
    crate::edge::telemetry::set_user(&principal.username);
    Ok(Some(Arc::new(principal)))
}

/// The principal of an unauthenticated request: a member of no team, so it sees nothing.
pub fn anonymous() -> Arc<Principal> {
    Arc::new(Principal {
        user_id: 0,
        username: String::new(),
        teams: Vec::new(),
        with_password: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn schemes() {
        for scheme in ["Token", "Bearer", "Api-Key", "bearer"] {
            assert_eq!(
                credentials(&with(&format!("{scheme} abc"))).unwrap(),
                Some(Credentials::Key("abc".into()))
            );
        }
        assert_eq!(
            credentials(&with("Basic dTpwOnc=")).unwrap(),
            Some(Credentials::Basic {
                username: "u".into(),
                password: "p:w".into()
            })
        );
        assert!(credentials(&with("Digest abc")).is_err());
        assert!(credentials(&with("Token")).is_err());
        assert_eq!(credentials(&HeaderMap::new()).unwrap(), None);
    }
}
