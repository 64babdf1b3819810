//! DRF's plain responses: JSON with its exact media type, `{"detail": ..}`, 404, 405, 204.
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::json;

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
