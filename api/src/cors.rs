//! CORS for the configured front-end origins, through tower-http's `CorsLayer`.
//!
//! A preflight may ask for any request header (Apollo sends `apollographql-client-name`
//! and `-version`, urql and Relay apps often `x-request-id`): the grant mirrors what the
//! preflight asks for, since the origin list is what keeps other sites out. Browsers may
//! cache a grant for an hour, and may read the response's `x-request-id`.
//!
//! `CorsLayer` answers every OPTIONS as a preflight, but DRF clients send a plain OPTIONS
//! (no `Access-Control-Request-Method`) to read a list's field descriptions, so only real
//! preflights and requests that carry an `Origin` go through it.
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower::{Layer, ServiceExt};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer};

use crate::edge::request_id::REQUEST_ID;

/// How long a browser may keep a preflight's grant.
const MAX_AGE: Duration = Duration::from_secs(3600);

/// Which browser origins may call the API; by default none.
#[derive(Clone, Default)]
pub struct CorsPolicy(Option<CorsLayer>);

impl CorsPolicy {
    /// A policy granting exactly `origins` (each checked by [`parse_origin`]); `*` grants
    /// every origin. No origins grant nothing.
    pub fn allowing(origins: &[Origin]) -> Self {
        if origins.is_empty() {
            return Self(None);
        }
        let allow_origin = if origins.iter().any(|o| o.0 == "*") {
            AllowOrigin::any()
        } else {
            AllowOrigin::list(origins.iter().map(|o| {
                HeaderValue::from_str(&o.0).expect("a parsed origin is a valid header value")
            }))
        };
        Self(Some(
            CorsLayer::new()
                .allow_origin(allow_origin)
                .allow_methods([
                    Method::GET,
                    Method::POST,
                    Method::PUT,
                    Method::PATCH,
                    Method::DELETE,
                    Method::OPTIONS,
                ])
                .allow_headers(AllowHeaders::mirror_request())
                .expose_headers([REQUEST_ID])
                .max_age(MAX_AGE),
        ))
    }
}

/// An origin as a browser sends it: `scheme://host[:port]`, lower-case, or `*`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin(String);

/// Parses a `--cors-origin` value. A browser's `Origin` header never has a path (not even
/// a trailing slash), a query, user info or a missing scheme, so such a value could never
/// match: it is refused at start-up rather than accepted and silently useless.
pub fn parse_origin(value: &str) -> Result<Origin, String> {
    let value = value.trim();
    if value == "*" {
        return Ok(Origin(value.to_owned()));
    }
    let expected = "an origin is scheme://host[:port], e.g. https://bom.example.com";
    let Some((scheme, authority)) = value.split_once("://") else {
        return Err(format!("`{value}` has no scheme: {expected}"));
    };
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !scheme_ok {
        return Err(format!("`{value}` has no valid scheme: {expected}"));
    }
    if authority.is_empty() {
        return Err(format!("`{value}` has no host: {expected}"));
    }
    if let Some(extra) = authority.find(['/', '?', '#']) {
        return Err(format!(
            "`{value}` has a path or query (`{}`), which an origin never has: {expected}",
            &authority[extra..]
        ));
    }
    if authority.contains('@') || authority.chars().any(char::is_whitespace) {
        return Err(format!("`{value}` is not a host: {expected}"));
    }
    let origin = format!("{scheme}://{authority}").to_ascii_lowercase();
    HeaderValue::from_str(&origin).map_err(|_| format!("`{value}` is not a host: {expected}"))?;
    Ok(Origin(origin))
}

pub async fn layer(State(policy): State<CorsPolicy>, req: Request, next: Next) -> Response {
    let Some(cors) = policy.0 else {
        return next.run(req).await;
    };
    let headers = req.headers();
    let preflight = req.method() == Method::OPTIONS
        && headers.contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let from_browser = headers.contains_key(header::ORIGIN);
    if !from_browser || (req.method() == Method::OPTIONS && !preflight) {
        return next.run(req).await;
    }
    match cors.layer(next).oneshot(req).await {
        Ok(response) => response.into_response(),
        Err(never) => match never {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_origin_is_a_scheme_and_a_host() {
        let ok = |v: &str| parse_origin(v).map(|o| o.0);
        assert_eq!(
            ok("https://bom.example.com"),
            Ok("https://bom.example.com".into())
        );
        assert_eq!(
            ok(" http://localhost:5173 "),
            Ok("http://localhost:5173".into())
        );
        assert_eq!(
            ok("HTTPS://Bom.Example.com"),
            Ok("https://bom.example.com".into())
        );
        assert_eq!(ok("*"), Ok("*".into()));
    }

    #[test]
    fn values_that_could_never_match_are_refused() {
        for (value, says) in [
            ("bom.example.com", "no scheme"),
            ("localhost:5173", "no scheme"),
            ("https://bom.example.com/", "path"),
            ("https://bom.example.com/app", "path"),
            ("https://bom.example.com?x=1", "path or query"),
            ("https://", "no host"),
            ("https://user@bom.example.com", "not a host"),
            ("1http://bom.example.com", "no valid scheme"),
        ] {
            let err = parse_origin(value).expect_err(value);
            assert!(err.contains(says), "{value}: {err}");
            assert!(err.contains("scheme://host[:port]"), "{value}: {err}");
        }
    }
}
