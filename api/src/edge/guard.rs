//! Limits every request before any handler, authentication or parsing: the body's size
//! (413), its media type (415), and the input policy of `service::input` (no NUL, JSON
//! nested at most `MAX_JSON_DEPTH`) for the REST dialects' query strings and JSON bodies.
//! GraphQL checks its variables itself, once it has parsed them.
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::body_limit::{too_large, MAX_BODY_BYTES};
use super::surface::{refuse, Surface};
use crate::rest::drf::error::{same_name, service_error};
use crate::rest::drf::query::params_of;

/// The one route whose body is a multipart upload.
pub const UPLOAD_PATH: &str = "/api/bom/import/upload/";

fn content_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// The media type without its parameters, lower-case (`application/json`).
fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next()?.trim().to_ascii_lowercase())
}

fn is_json(media: &str) -> bool {
    media == "application/json" || (media.starts_with("application/") && media.ends_with("+json"))
}

/// Why a body of this media type is refused here, if it is. Only JSON is read, or
/// multipart on the upload route: a browser page on another site can send `text/plain` or
/// a form without a CORS preflight, so those never reach a handler.
fn unsupported(path: &str, media: Option<&str>) -> Option<String> {
    let upload = path == UPLOAD_PATH;
    let ok = match media {
        Some(m) if upload => m == "multipart/form-data",
        Some(m) => is_json(m),
        None => false,
    };
    (!ok).then(|| {
        let expected = if upload {
            "multipart/form-data"
        } else {
            "application/json"
        };
        match media {
            Some(m) => format!("Unsupported media type \"{m}\" in request; send {expected}."),
            None => format!("The request body has no Content-Type; send {expected}."),
        }
    })
}

pub async fn guard(req: Request, next: Next) -> Response {
    let surface = Surface::of(req.uri().path());
    // The header, or the length the body itself knows (a request made in-process).
    let declared = content_length(req.headers())
        .or_else(|| axum::body::HttpBody::size_hint(req.body()).exact());
    if declared.is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return too_large(surface);
    }
    let has_body = declared.is_none_or(|n| n > 0);
    let writes = matches!(
        *req.method(),
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let media = media_type(req.headers());
    if has_body && writes {
        if let Some(message) = unsupported(req.uri().path(), media.as_deref()) {
            return refuse(
                surface,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                &message,
            );
        }
    }
    let req = if surface == Surface::Rest {
        match rest_input(req, has_body && media.as_deref().is_some_and(is_json)).await {
            Ok(req) => req,
            Err(refusal) => return refusal,
        }
    } else {
        req
    };
    let response = next.run(req).await;
    // Extractors that hit the limit while reading answer in axum's plain text.
    if response.status() == StatusCode::PAYLOAD_TOO_LARGE
        && media_type(response.headers()).is_none_or(|m| !is_json(&m))
    {
        return too_large(surface);
    }
    response
}

/// The input policy on a REST request's query string and JSON body, in DRF's shape.
async fn rest_input(req: Request, json_body: bool) -> Result<Request, Response> {
    for (key, value) in params_of(req.uri().query()) {
        for (field, text) in [(key.as_str(), key.as_str()), (key.as_str(), value.as_str())] {
            if let Err(e) = service::input::check_text(field, text) {
                return Err(service_error(e, same_name).into_response());
            }
        }
    }
    if !json_body {
        return Ok(req);
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large(Surface::Rest))?;
    // A body that is not JSON is the handler's to refuse, in its own words.
    if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
        if let Err(e) = service::input::check_json(None, &value) {
            return Err(service_error(e, same_name).into_response());
        }
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types() {
        assert_eq!(unsupported("/api/bom/", Some("application/json")), None);
        assert_eq!(
            unsupported("/graphql", Some("application/vnd.x+json")),
            None
        );
        assert!(unsupported("/graphql", Some("text/plain")).is_some());
        assert!(unsupported("/v1/boms/", None).is_some());
        assert!(unsupported(UPLOAD_PATH, Some("application/json")).is_some());
        assert_eq!(unsupported(UPLOAD_PATH, Some("multipart/form-data")), None);
    }
}
