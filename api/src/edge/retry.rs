//! One retry for a request that met a database connection that had gone away (a
//! PostgreSQL restart drops every pooled connection). The pool hands the second attempt a
//! fresh connection. Only responses marked [`RetrySafe`] are retried: reads, and writes
//! whose transaction failed before COMMIT, so nothing can be applied twice.
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

use super::body_limit::{too_large, MAX_BODY_BYTES};
use super::surface::Surface;

/// Set on a response whose request changed nothing because the database went away, so
/// that sending it again is safe.
#[derive(Debug, Clone, Copy)]
pub struct RetrySafe;

/// How long the retry waits: long enough for the pool to notice the dead connections.
const PAUSE: Duration = Duration::from_millis(200);

pub async fn once(req: Request, next: Next) -> Response {
    let surface = Surface::of(req.uri().path());
    let (parts, body) = req.into_parts();
    // The body is kept to send it again; the guard has already bounded its size.
    let Ok(bytes) = to_bytes(body, MAX_BODY_BYTES).await else {
        return too_large(surface);
    };
    let first = next
        .clone()
        .run(Request::from_parts(
            parts.clone(),
            Body::from(bytes.clone()),
        ))
        .await;
    if first.extensions().get::<RetrySafe>().is_none() {
        return first;
    }
    tracing::warn!("the database dropped the request; sending it once more");
    tokio::time::sleep(PAUSE).await;
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
