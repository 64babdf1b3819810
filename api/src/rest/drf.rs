//! Django REST Framework conventions shared by the REST dialects: error bodies, request
//! bodies that ignore unknown keys, field parsing, authentication and pagination links.
use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Map, Value};
use service::auth::Principal;
use service::{FieldErrors, ServiceError};

use crate::app::AppState;
use crate::auth;

/// A JSON response with exactly `Content-Type: application/json`.
pub fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut resp = (status, bytes).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

pub fn detail(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({ "detail": message }))
}

pub fn not_found() -> Response {
    detail(StatusCode::NOT_FOUND, "Not found.")
}

pub fn method_not_allowed(method: &Method) -> Response {
    detail(
        StatusCode::METHOD_NOT_ALLOWED,
        &format!("Method \"{method}\" not allowed."),
    )
}

pub fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

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

/// A JSON request body as an object. An empty body is `{}` (clients send `{}` or nothing
/// on GET and DELETE); anything but an object is a 400.
pub fn body_object(bytes: &Bytes) -> Result<Map<String, Value>, RestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(bad_request(
            "non_field_errors",
            "Invalid data. Expected a dictionary, but got list.",
        )),
        Err(e) => Err(RestError::from(detail(
            StatusCode::BAD_REQUEST,
            &format!("JSON parse error - {e}"),
        ))),
    }
}

/// Reads typed fields from a request object, collecting DRF-style messages per field.
pub struct Fields<'a> {
    pub data: &'a Map<String, Value>,
    pub errors: FieldErrors,
}

impl<'a> Fields<'a> {
    pub fn new(data: &'a Map<String, Value>) -> Self {
        Self {
            data,
            errors: FieldErrors::new(),
        }
    }

    fn present(&self, key: &str) -> Option<&'a Value> {
        self.data.get(key)
    }

    pub fn require(&mut self, key: &str) {
        if !self.data.contains_key(key) {
            self.errors.add(key, "This field is required.");
        }
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.present(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(if *b { "True".into() } else { "False".into() }),
            Value::Null => {
                self.errors.add(key, "This field may not be null.");
                None
            }
            _ => {
                self.errors.add(key, "Not a valid string.");
                None
            }
        }
    }

    /// A nullable string field: `Some(None)` for an explicit null.
    pub fn nullable_string(&mut self, key: &str) -> Option<Option<String>> {
        match self.present(key)? {
            Value::Null => Some(None),
            _ => self.string(key).map(Some),
        }
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let v = self.present(key)?;
        let parsed = match v {
            Value::Bool(b) => Some(*b),
            Value::Number(n) if n.as_i64() == Some(1) => Some(true),
            Value::Number(n) if n.as_i64() == Some(0) => Some(false),
            Value::String(s) => parse_bool(s),
            _ => None,
        };
        if parsed.is_none() {
            self.errors.add(key, "Must be a valid boolean.");
        }
        parsed
    }

    pub fn decimal(&mut self, key: &str) -> Option<Decimal> {
        let parsed = match self.present(key)? {
            Value::Number(n) => service::decimal::parse_text(&n.to_string()),
            Value::String(s) => service::decimal::parse_text(s),
            _ => Err("A valid number is required.".to_owned()),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(message) => {
                self.errors.add(key, message);
                None
            }
        }
    }

    /// A primary key: an integer or a string of one.
    pub fn pk(&mut self, key: &str) -> Option<i32> {
        let v = self.present(key)?;
        let parsed = match v {
            Value::Number(n) => n.as_i64().and_then(|i| i32::try_from(i).ok()),
            Value::String(s) => s.trim().parse().ok(),
            Value::Null => {
                self.errors.add(key, "This field may not be null.");
                return None;
            }
            _ => None,
        };
        if parsed.is_none() {
            self.errors.add(
                key,
                format!(
                    "Incorrect type. Expected pk value, received {}.",
                    type_name(v)
                ),
            );
        }
        parsed
    }

    /// A nullable primary key: `Some(None)` for an explicit null.
    pub fn nullable_pk(&mut self, key: &str) -> Option<Option<i32>> {
        match self.present(key)? {
            Value::Null => Some(None),
            _ => self.pk(key).map(Some),
        }
    }

    pub fn finish(self, rename: fn(&str) -> String) -> Result<(), RestError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(RestError::from(field_errors(&self.errors, rename)))
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "str",
        Value::Number(_) => "float",
        Value::Bool(_) => "bool",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
        Value::Null => "NoneType",
    }
}

/// DRF's boolean filter values; anything else means "no filter".
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Query parameters, last value winning.
pub type Params = HashMap<String, String>;

pub fn params_of(query: Option<&str>) -> Params {
    query
        .map(|q| {
            q.split('&')
                .filter(|kv| !kv.is_empty())
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    let decode = |s: &str| {
                        urlencoding::decode(&s.replace('+', " "))
                            .map(|c| c.into_owned())
                            .unwrap_or_default()
                    };
                    (decode(k), decode(v))
                })
                .collect()
        })
        .unwrap_or_default()
}

pub fn flag(params: &Params, key: &str) -> Option<bool> {
    params.get(key).and_then(|v| parse_bool(v))
}

/// A path id: anything that is not an integer is simply not found.
pub fn path_id(raw: &str) -> Result<i32, RestError> {
    raw.parse().map_err(|_| RestError::from(not_found()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_and_params() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
        let p = params_of(Some("a=1&search=r%201&b=x+y"));
        assert_eq!(p["search"], "r 1");
        assert_eq!(p["b"], "x y");
    }
}
