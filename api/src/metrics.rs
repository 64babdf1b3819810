//! Prometheus metrics: HTTP requests, their durations, and every SQL statement.
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, Opts, Registry, TextEncoder,
};

use crate::app::AppState;

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    /// Every SQL statement run by the connection, counted by its metric callback.
    pub db_statements: IntCounter,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new("bomgraph_http_requests_total", "HTTP requests served"),
            &["method", "path", "status"],
        )
        .expect("valid metric");
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "bomgraph_http_request_duration_seconds",
                "HTTP request duration in seconds",
            ),
            &["method", "path"],
        )
        .expect("valid metric");
        let db_statements =
            IntCounter::new("bomgraph_db_statements_total", "SQL statements executed")
                .expect("valid metric");
        registry
            .register(Box::new(http_requests.clone()))
            .expect("registered once");
        registry
            .register(Box::new(http_duration.clone()))
            .expect("registered once");
        registry
            .register(Box::new(db_statements.clone()))
            .expect("registered once");
        Self {
            registry,
            http_requests,
            http_duration,
            db_statements,
        }
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding cannot fail");
        String::from_utf8(buf).expect("prometheus text is utf-8")
    }
}

/// Records every request under its route pattern (not the raw path, which would make one
/// series per id).
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().to_string();
    let path = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    state
        .metrics
        .http_requests
        .with_label_values(&[&method, &path, &status])
        .inc();
    state
        .metrics
        .http_duration
        .with_label_values(&[&method, &path])
        .observe(start.elapsed().as_secs_f64());
    response
}

pub async fn endpoint(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}
