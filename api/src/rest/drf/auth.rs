//! The `User` extractor: who sends a REST request, with DRF's 401s for a missing or wrong
//! credential.
use std::sync::Arc;

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use service::auth::Principal;
use service::ServiceError;

use super::error::{same_name, service_error, RestError};
use super::response::detail;
use crate::auth;
use crate::state::AppState;

/// The authenticated user of a REST request; a missing or wrong credential is a 401.
pub struct User(pub Arc<Principal>);

impl FromRequestParts<AppState> for User {
    type Rejection = RestError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match auth::authenticate(&state.db, &parts.headers).await {
            Ok(Some(p)) => Ok(User(p)),
            Ok(None) => Err(RestError::from(unauthorized(
                "Authentication credentials were not provided.",
            ))),
            Err(e) => Err(auth_failure(&parts.headers, e)),
        }
    }
}

impl OptionalFromRequestParts<AppState> for User {
    type Rejection = RestError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match auth::authenticate(&state.db, &parts.headers).await {
            Ok(p) => Ok(p.map(User)),
            Err(e) => Err(auth_failure(&parts.headers, e)),
        }
    }
}

/// A wrong credential is a 401 in DRF's words for its scheme; a database that cannot
/// answer is not the client's fault.
fn auth_failure(headers: &HeaderMap, e: ServiceError) -> RestError {
    match e {
        ServiceError::Unauthenticated => {
            RestError::from(unauthorized(match auth::credentials(headers) {
                Ok(Some(auth::Credentials::Basic { .. })) => "Invalid username/password.",
                _ => "Invalid token.",
            }))
        }
        other => service_error(other, same_name),
    }
}

fn unauthorized(message: &str) -> Response {
    let mut resp = detail(StatusCode::UNAUTHORIZED, message);
    resp.headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Token"));
    resp
}
