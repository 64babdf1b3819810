//! Prometheus metrics: HTTP requests and their durations, WebSocket connections and their
//! operations, SQL statements, jobs by kind and status and how long they ran, the database
//! pool, and the process's memory and CPU.
use std::time::Duration;

use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge,
    IntGaugeVec, Opts, Registry, TextEncoder,
};
use service::DatabaseConnection;

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    http_in_flight: IntGauge,
    /// Every SQL statement run by the connection, counted by its metric callback.
    pub db_statements: IntCounter,
    jobs: IntGaugeVec,
    /// How long jobs ran, by kind and outcome; observed by the worker.
    pub job_duration: HistogramVec,
    pool: IntGaugeVec,
    pool_waiters: IntGauge,
    /// Open GraphQL WebSocket connections, and the operations (subscriptions) they run.
    pub ws_connections: IntGauge,
    pub ws_operations: IntGauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

fn register<T: prometheus::core::Collector + Clone + 'static>(registry: &Registry, metric: T) -> T {
    registry
        .register(Box::new(metric.clone()))
        .expect("each metric is registered once");
    metric
}

impl Metrics {
    pub fn new() -> Self {
        let registry = Registry::new();
        let r = &registry;
        #[cfg(target_os = "linux")]
        registry
            .register(Box::new(
                prometheus::process_collector::ProcessCollector::for_self(),
            ))
            .expect("registered once");
        Self {
            http_requests: register(
                r,
                IntCounterVec::new(
                    Opts::new("bomgraph_http_requests_total", "HTTP requests served"),
                    &["method", "path", "status"],
                )
                .expect("valid metric"),
            ),
            http_duration: register(
                r,
                HistogramVec::new(
                    HistogramOpts::new(
                        "bomgraph_http_request_duration_seconds",
                        "HTTP request duration in seconds",
                    ),
                    &["method", "path"],
                )
                .expect("valid metric"),
            ),
            http_in_flight: register(
                r,
                IntGauge::new(
                    "bomgraph_http_requests_in_flight",
                    "HTTP requests being served",
                )
                .expect("valid metric"),
            ),
            ws_connections: register(
                r,
                IntGauge::new(
                    "bomgraph_ws_connections",
                    "Open GraphQL WebSocket connections",
                )
                .expect("valid metric"),
            ),
            ws_operations: register(
                r,
                IntGauge::new(
                    "bomgraph_ws_operations",
                    "Operations (subscriptions) running over GraphQL WebSockets",
                )
                .expect("valid metric"),
            ),
            db_statements: register(
                r,
                IntCounter::new("bomgraph_db_statements_total", "SQL statements executed")
                    .expect("valid metric"),
            ),
            jobs: register(
                r,
                IntGaugeVec::new(
                    Opts::new("bomgraph_jobs", "Jobs in the database by kind and status"),
                    &["kind", "status"],
                )
                .expect("valid metric"),
            ),
            job_duration: register(
                r,
                HistogramVec::new(
                    HistogramOpts::new(
                        "bomgraph_job_duration_seconds",
                        "How long this instance's jobs ran, by kind and outcome",
                    )
                    .buckets(vec![
                        0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 300.0,
                    ]),
                    &["kind", "status"],
                )
                .expect("valid metric"),
            ),
            pool: register(
                r,
                IntGaugeVec::new(
                    Opts::new(
                        "bomgraph_db_pool_connections",
                        "Database pool connections: open, idle, in use, and the maximum",
                    ),
                    &["state"],
                )
                .expect("valid metric"),
            ),
            pool_waiters: register(
                r,
                IntGauge::new(
                    "bomgraph_db_pool_waiters",
                    "Requests in flight beyond the pool's connections while none is idle: \
                     an estimate of those waiting for a connection (the pool does not count them)",
                )
                .expect("valid metric"),
            ),
            registry,
        }
    }

    /// Counts a request that started; the returned guard counts it finished.
    pub fn start_request(&self) -> InFlight {
        self.http_in_flight.inc();
        InFlight(self.http_in_flight.clone())
    }

    pub fn observe_request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        self.http_requests
            .with_label_values(&[method, route, &status.to_string()])
            .inc();
        self.http_duration
            .with_label_values(&[method, route])
            .observe(elapsed.as_secs_f64());
    }

    /// Reads the figures that are read rather than counted: jobs and the pool.
    async fn refresh(&self, db: &DatabaseConnection) {
        match service::job::counts(db).await {
            Ok(counts) => {
                self.jobs.reset();
                for (kind, status, n) in counts {
                    self.jobs.with_label_values(&[&kind, &status]).set(n);
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not count jobs for /metrics"),
        }
        let service::db::Pool { size, idle, max } = service::db::pool(db);
        let in_use = size.saturating_sub(idle);
        for (state, n) in [
            ("open", size),
            ("idle", idle),
            ("in_use", in_use),
            ("max", max),
        ] {
            self.pool.with_label_values(&[state]).set(n as i64);
        }
        let waiting = if idle == 0 && size >= max {
            (self.http_in_flight.get() - 1 - in_use as i64).max(0)
        } else {
            0
        };
        self.pool_waiters.set(waiting);
    }

    pub fn render(&self) -> String {
        let mut buf = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut buf)
            .expect("text encoding cannot fail");
        String::from_utf8(buf).expect("prometheus text is utf-8")
    }
}

/// Ends a request's count in `bomgraph_http_requests_in_flight`.
pub struct InFlight(IntGauge);

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Observes one finished job.
pub fn observe_job(histogram: &HistogramVec, kind: &str, status: &str, seconds: f64) {
    let h: Histogram = histogram.with_label_values(&[kind, status]);
    h.observe(seconds);
}

pub async fn endpoint(
    State(metrics): State<Metrics>,
    State(db): State<DatabaseConnection>,
) -> impl IntoResponse {
    metrics.refresh(&db).await;
    (
        [(CONTENT_TYPE, "text/plain; version=0.0.4")],
        metrics.render(),
    )
}
