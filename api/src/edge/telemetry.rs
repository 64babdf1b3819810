//! One log line and one set of metrics per request, under a request id that is accepted
//! from the client (`x-request-id`) or made here, returned in the response, and carried by
//! every log line written while the request runs.
use std::cell::RefCell;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use rand::Rng;
use tracing::Instrument;

use super::request_id::REQUEST_ID;
use crate::state::AppState;

tokio::task_local! {
    /// The user the request authenticated as, for its log line.
    static USER: RefCell<Option<String>>;
}

/// Records who the current request authenticated as (a no-op outside a request).
pub fn set_user(username: &str) {
    let _ = USER.try_with(|u| *u.borrow_mut() = Some(username.to_owned()));
}

/// A client's id is kept when it is short printable ASCII; anything else gets a new one.
fn accepted(value: &HeaderValue) -> Option<&str> {
    let s = value.to_str().ok()?;
    (!s.is_empty() && s.len() <= 128 && s.bytes().all(|b| b.is_ascii_graphic())).then_some(s)
}

fn new_id() -> String {
    format!("{:032x}", rand::thread_rng().gen::<u128>())
}

pub async fn layer(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let start = Instant::now();
    let _in_flight = state.metrics.start_request();
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(accepted)
        .map_or_else(new_id, str::to_owned);
    let header = HeaderValue::from_str(&id).expect("checked or made printable");
    req.headers_mut().insert(REQUEST_ID, header.clone());
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let span = tracing::info_span!("request", request_id = %id);
    let (mut response, user) = USER
        .scope(
            RefCell::new(None),
            async move {
                let response = next.run(req).await;
                (response, USER.with(|u| u.borrow().clone()))
            }
            .instrument(span.clone()),
        )
        .await;
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    tracing::info!(
        parent: &span,
        method = %method,
        route = %route,
        status,
        latency_ms = (elapsed.as_secs_f64() * 1000.0 * 10.0).round() / 10.0,
        user = user.as_deref().unwrap_or("-"),
        "request"
    );
    state
        .metrics
        .observe_request(method.as_str(), &route, status, elapsed);
    response.headers_mut().insert(REQUEST_ID, header);
    response
}
