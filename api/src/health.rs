//! Health probes. `/livez` answers while the process serves HTTP and touches nothing else;
//! `/readyz` and `/healthz` also ask the database, and say it is down within one probe.
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::state::AppState;

/// How long a probe waits for the database: shorter than a load balancer's probe timeout,
/// so a database that hangs reads as down rather than as a probe that never answers.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

pub async fn live() -> Response {
    Json(json!({"status": "ok"})).into_response()
}

pub async fn ready(State(state): State<AppState>) -> Response {
    let outcome = tokio::time::timeout(PROBE_TIMEOUT, service::db::ping(&state.db)).await;
    let problem = match outcome {
        Ok(Ok(())) => return Json(json!({"status": "ok", "database": "ok"})).into_response(),
        Ok(Err(e)) => e.to_string(),
        Err(_) => format!("no answer within {} s", PROBE_TIMEOUT.as_secs()),
    };
    tracing::warn!(error = %problem, "readiness probe: the database is unreachable");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        Json(json!({"status": "error", "database": "unreachable"})),
    )
        .into_response()
}
