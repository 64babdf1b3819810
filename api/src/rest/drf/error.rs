//! DRF's error bodies: `RestError`, field errors under each resource's names, and how a
//! `ServiceError` reads over REST.
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};
use service::{FieldErrors, ServiceError};

use super::response::{detail, json_response, not_found};

/// An error in DRF's shape. Validation field names go through `rename`, so each resource
/// reports its own field names (`part_id` is `sub_part` on a BomItem).
pub struct RestError(Box<Response>);

impl From<Response> for RestError {
    fn from(r: Response) -> Self {
        Self(Box::new(r))
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        *self.0
    }
}

pub type RestResult = Result<Response, RestError>;

/// A service error over REST under the service's own field names (Cofactr's bodies use
/// them as they are).
impl From<ServiceError> for RestError {
    fn from(e: ServiceError) -> Self {
        service_error(e, same_name)
    }
}

/// How one resource names the service's fields in its bodies (`part_id` is a BomItem's
/// `sub_part`).
pub trait FieldNames {
    fn rename(field: &str) -> String;
}

/// An error of a resource whose bodies name fields their own way: a `ServiceError`'s
/// field errors are reported under `N`'s names, so handlers can use `?` on service calls.
pub struct NamedError<N>(RestError, std::marker::PhantomData<N>);

impl<N: FieldNames> From<ServiceError> for NamedError<N> {
    fn from(e: ServiceError) -> Self {
        Self(service_error(e, N::rename), std::marker::PhantomData)
    }
}

impl<N> From<RestError> for NamedError<N> {
    fn from(e: RestError) -> Self {
        Self(e, std::marker::PhantomData)
    }
}

impl<N> IntoResponse for NamedError<N> {
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

/// The result of a handler of a resource with its own field names.
pub type NamedResult<N> = Result<Response, NamedError<N>>;

pub fn field_errors(fields: &FieldErrors, rename: fn(&str) -> String) -> Response {
    let mut body = Map::new();
    for (k, v) in &fields.0 {
        body.insert(rename(k), json!(v));
    }
    json_response(StatusCode::BAD_REQUEST, &Value::Object(body))
}

pub fn service_error(e: ServiceError, rename: fn(&str) -> String) -> RestError {
    RestError::from(match e {
        ServiceError::NotFound { .. } => not_found(),
        ServiceError::Validation(fields) => field_errors(&fields, rename),
        ServiceError::Conflict(message) => json_response(
            StatusCode::BAD_REQUEST,
            &json!({ "non_field_errors": [message] }),
        ),
        ServiceError::Forbidden(_) => detail(
            StatusCode::FORBIDDEN,
            "You do not have permission to perform this action.",
        ),
        ServiceError::Unauthenticated => detail(
            StatusCode::UNAUTHORIZED,
            "Authentication credentials were not provided.",
        ),
        ServiceError::RateLimited(message) => {
            let mut r = detail(StatusCode::TOO_MANY_REQUESTS, &message);
            crate::edge::surface::with_retry_after(&mut r);
            r
        }
        e @ ServiceError::Unavailable { maybe_committed } => {
            let mut r = detail(StatusCode::SERVICE_UNAVAILABLE, &e.to_string());
            crate::edge::surface::with_retry_after(&mut r);
            if !maybe_committed {
                r.extensions_mut().insert(crate::edge::retry::RetrySafe);
            }
            r
        }
        ServiceError::Internal(_) => detail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "A server error occurred.",
        ),
    })
}

pub fn same_name(field: &str) -> String {
    field.to_owned()
}

pub fn bad_request(field: &str, message: impl Into<String>) -> RestError {
    RestError::from(field_errors(&single(field, message), same_name))
}

fn single(field: &str, message: impl Into<String>) -> FieldErrors {
    let mut e = FieldErrors::new();
    e.add(field, message);
    e
}
