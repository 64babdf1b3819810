//! A refusal in the shape of the surface a request came to: GraphQL's `errors` with an
//! `extensions.code`, or the REST dialects' `{"detail": ...}` (DRF's shape, which both
//! the InvenTree and the Cofactr clients read).
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use serde_json::json;

use crate::rest::drf::response::{detail, json_response};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    GraphQl,
    Rest,
}

impl Surface {
    pub fn of(path: &str) -> Self {
        if path == "/graphql" || path.starts_with("/graphql/") {
            Self::GraphQl
        } else {
            Self::Rest
        }
    }
}

/// Seconds a client should wait before sending again a request refused with 503 or 429.
pub const RETRY_AFTER_SECONDS: u64 = 1;

/// A GraphQL response that holds only errors, each with its `extensions.code`.
pub fn graphql_errors(status: StatusCode, errors: &[(&str, &str)]) -> Response {
    let errors: Vec<_> = errors
        .iter()
        .map(|(code, message)| json!({"message": message, "extensions": {"code": code}}))
        .collect();
    json_response(status, &json!({ "errors": errors }))
}

/// Refuses a request: `code` is the GraphQL `extensions.code`; REST answers `message` as
/// its `detail`. 503 and 429 carry `Retry-After`.
pub fn refuse(surface: Surface, status: StatusCode, code: &str, message: &str) -> Response {
    let mut response = match surface {
        Surface::GraphQl => graphql_errors(status, &[(code, message)]),
        Surface::Rest => detail(status, message),
    };
    with_retry_after(&mut response);
    response
}

/// Adds `Retry-After` to a 503 or 429.
pub fn with_retry_after(response: &mut Response) {
    if matches!(
        response.status(),
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS
    ) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    }
}
