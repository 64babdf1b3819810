//! Database faults and operations: an unreachable database answers 503 with Retry-After
//! in each surface's shape (never a 500) and the probes say so; a request the database
//! dropped is retried once when that is safe; every request is logged under an id; the
//! metrics cover jobs, the pool and the process; an orphaned job is retried within
//! seconds, and an upsert reports its progress.
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::http::{header, Method, StatusCode};
use axum::response::IntoResponse;
use serde_json::json;
use service::raw_bom::{RawLine, UpsertBom};
use tests::builders::{program, queue_availability};
use tests::request::{json_request, send_to};
use tests::{error_codes, TeamRole, TestApp};

#[tokio::test]
async fn an_unreachable_database_is_a_503_with_retry_after_never_a_500() {
    // Nothing listens on port 1: every connection is refused.
    let state = api::AppState::open_lazy("postgres://postgres@127.0.0.1:1/bomgraph")
        .await
        .expect("a lazy pool opens without the database");
    let router = api::router(state);
    let query = json!({"query": "{ me { username } }"});
    let get = |path| send_to(&router, json_request(Method::GET, path, &[], None));
    let (graphql, rest, healthz, readyz, livez) = tokio::join!(
        send_to(
            &router,
            json_request(
                Method::POST,
                "/graphql",
                &[("authorization", "Bearer some-token")],
                Some(query)
            )
        ),
        send_to(
            &router,
            json_request(
                Method::GET,
                "/api/bom/",
                &[("authorization", "Token some-token")],
                None
            )
        ),
        get("/healthz"),
        get("/readyz"),
        get("/livez"),
    );
    assert_eq!(graphql.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(graphql.headers[header::RETRY_AFTER], "1");
    assert_eq!(error_codes(&graphql.json()), ["UNAVAILABLE"]);
    assert_eq!(rest.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(rest.headers[header::RETRY_AFTER], "1");
    assert!(rest.json()["detail"]
        .as_str()
        .unwrap()
        .contains("database is unavailable"));
    assert_eq!(healthz.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(readyz.json()["database"], "unreachable");
    assert_eq!(
        livez.status,
        StatusCode::OK,
        "liveness does not ask the database"
    );
}

#[tokio::test]
async fn a_request_the_database_dropped_is_sent_once_more_when_safe() {
    use api::edge::retry::{once, RetrySafe};
    let calls = Arc::new(AtomicUsize::new(0));
    let handler = |safe: bool, calls: Arc<AtomicUsize>| {
        move || async move {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                let mut r = StatusCode::SERVICE_UNAVAILABLE.into_response();
                if safe {
                    r.extensions_mut().insert(RetrySafe);
                }
                r
            } else {
                StatusCode::OK.into_response()
            }
        }
    };
    let unsafe_calls = Arc::new(AtomicUsize::new(0));
    let router = axum::Router::new()
        .route("/safe", axum::routing::post(handler(true, calls.clone())))
        .route(
            "/unsafe",
            axum::routing::post(handler(false, unsafe_calls.clone())),
        )
        .layer(axum::middleware::from_fn(once));
    let body = Some(json!({"a": 1}));
    let post = |path, body| send_to(&router, json_request(Method::POST, path, &[], body));
    let status = post("/safe", body.clone()).await.status;
    assert_eq!((status, calls.load(Ordering::SeqCst)), (StatusCode::OK, 2));
    let status = post("/unsafe", body).await.status;
    assert_eq!(
        (status, unsafe_calls.load(Ordering::SeqCst)),
        (StatusCode::SERVICE_UNAVAILABLE, 1),
        "a write that may have committed is not sent again"
    );
}

#[tokio::test]
async fn a_lost_connection_costs_no_request_on_postgres() {
    let app = TestApp::new().await;
    if !app.is_postgres() {
        return;
    }
    let token = app.user("pat", "plant", TeamRole::Admin).await;
    app.data(&token, "{ me { username } }", json!({})).await;
    // Every pooled connection of this app dies, as in a PostgreSQL restart.
    let admin = sea_orm::Database::connect(std::env::var("TEST_DATABASE_URL").unwrap())
        .await
        .unwrap();
    let db_name = app.database_url().rsplit('/').next().unwrap().to_owned();
    use sea_orm::ConnectionTrait;
    admin
        .execute_unprepared(&format!(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db_name}' AND pid <> pg_backend_pid()"
        ))
        .await
        .unwrap();
    for _ in 0..5 {
        let resp = app
            .gql(
                &token,
                "{ me { username } parts(first: 1) { totalCount } }",
                json!({}),
            )
            .await;
        assert!(error_codes(&resp).is_empty(), "{resp}");
        let reply = app
            .rest(Method::GET, "/api/bom/?limit=1", &token, None)
            .await;
        assert_eq!(reply.status, StatusCode::OK);
    }
}

/// A log writer that keeps what is written, for one test's subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn every_request_is_logged_under_its_request_id() {
    let app = TestApp::new().await;
    let token = app.user("lou", "plant", TeamRole::Admin).await;
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let bearer = format!("Bearer {token}");
    let reply = app
        .request(
            Method::POST,
            "/graphql",
            &[("authorization", &bearer), ("x-request-id", "trace-me-42")],
            Some(json!({"query": "{ me { username } }"})),
        )
        .await;
    assert_eq!(reply.headers["x-request-id"], "trace-me-42");
    let made = app.request(Method::GET, "/livez", &[], None).await;
    let made_id = made.headers["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(made_id.len(), 32, "an id is made when none is sent");
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let line = text
        .lines()
        .find(|l| l.contains("trace-me-42") && l.contains("route=/graphql"))
        .unwrap_or_else(|| panic!("no access line in:\n{text}"));
    for part in ["method=POST", "status=200", "latency_ms=", "user=\"lou\""] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
    assert!(text
        .lines()
        .any(|l| l.contains(&made_id) && l.contains("route=/livez")));
}

#[tokio::test]
async fn metrics_cover_jobs_the_pool_and_the_process() {
    let app = TestApp::new().await;
    let token = app.user("mo", "plant", TeamRole::Admin).await;
    let program = program(&app, &token, "P").await;
    let job = queue_availability(&app, &token, &program).await;
    app.wait_job(&token, &job).await;
    let text = app.request(Method::GET, "/metrics", &[], None).await.text();
    for metric in [
        "bomgraph_jobs{kind=\"program_availability\",status=\"succeeded\"} 1",
        "bomgraph_db_pool_connections{state=\"max\"}",
        "bomgraph_db_pool_waiters",
        "bomgraph_http_requests_in_flight",
        "bomgraph_job_duration_seconds",
        "process_resident_memory_bytes",
        "process_cpu_seconds_total",
    ] {
        assert!(text.contains(metric), "{metric} missing from /metrics");
    }
}

#[tokio::test]
async fn an_orphaned_job_is_retried_after_a_short_lease() {
    let mut app = TestApp::new().await;
    app.stop_worker().await;
    let token = app.user("oj", "plant", TeamRole::Admin).await;
    let program = program(&app, &token, "P").await;
    let job = queue_availability(&app, &token, &program).await;
    // A worker claims it and dies without a word.
    let claimed = service::job::claim(&app.state.db, "a-killed-worker")
        .await
        .unwrap();
    assert!(claimed.is_some());
    app.start_worker();
    let done = app.wait_job(&token, &job).await;
    assert_eq!(done["status"], "SUCCEEDED");
    assert_eq!(done["attempts"], 2);
}

#[tokio::test]
async fn an_upsert_reports_its_progress_as_it_writes() {
    let app = TestApp::new().await;
    let token = app.user("up", "plant", TeamRole::Admin).await;
    let principal = service::auth::authenticate_token(&app.state.db, &token)
        .await
        .unwrap();
    let body = UpsertBom {
        name: "Progress".into(),
        lines: (0..300)
            .map(|i| RawLine {
                mpn: Some(format!("MPN-{i}")),
                quantity: 1.into(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    };
    let progress = service::progress::Progress::default();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let watcher = tokio::spawn({
        let (progress, seen) = (progress.clone(), seen.clone());
        async move {
            loop {
                seen.lock().unwrap().push(progress.get());
                tokio::task::yield_now().await;
            }
        }
    });
    service::raw_bom::upsert_reporting(&app.state.db, &principal, &body, &progress)
        .await
        .unwrap();
    watcher.abort();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(progress.get(), 95, "all lines written");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "progress only grows");
    assert!(
        seen.iter().any(|p| *p > 0 && *p < 95),
        "progress seen between start and end: {seen:?}"
    );
}
