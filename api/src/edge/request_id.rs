//! The header that names a request in the logs: taken from the client or made by
//! telemetry, returned in the response, and readable by browser front-ends (CORS).
use axum::http::HeaderName;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
