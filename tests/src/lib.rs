//! Test harness: the real HTTP app on a fresh database, driven with HTTP requests.
//!
//! SQLite (a temporary file) by default; PostgreSQL when `TEST_DATABASE_URL` is set, with a
//! fresh database per test app, dropped when the app is dropped.
//!
//! - [`request`]: how a test talks to the app (GraphQL, the REST dialects, raw requests).
//! - [`builders`]: the data a test starts from (parts, BOMs, lines, programs, revisions).
//! - [`import`]: InvenTree's three-step BOM import, step by step.
//! - [`ws`]: a GraphQL-over-WebSocket client, for subscriptions.
//! - [`bench`]: what the benchmark binaries share.
//! - [`module_graph`]: the module graph of a crate, for the architecture test.
pub mod bench;
pub mod builders;
pub mod import;
pub mod module_graph;
pub mod request;
pub mod ws;

pub use request::{error_codes, fails, global_id, Reply, Rest};
pub use service::auth::Role as TeamRole;

use std::sync::atomic::{AtomicU64, Ordering};

use api::{router, AppState};
use axum::Router;
use rand::Rng;
use sea_orm::{ConnectionTrait, Database};
use serde_json::json;
use service::auth::{self, NewUser, Role};

static COUNTER: AtomicU64 = AtomicU64::new(0);

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

pub struct TestApp {
    pub state: AppState,
    router: Router,
    cleanup: Cleanup,
    worker: Option<api::worker::Worker>,
}

fn unique_name() -> String {
    format!(
        "bg_test_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        rand::thread_rng().gen::<u32>()
    )
}

/// `postgres://u@h/db?x` with its database replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = &base[..base.rfind('/').expect("database URL has a path")];
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl TestApp {
    pub async fn new() -> Self {
        init_logging();
        let (url, cleanup) = match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|u| !u.is_empty())
        {
            Some(admin_url) => {
                let name = unique_name();
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("connect TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                admin.close().await.ok();
                (
                    with_database(&admin_url, &name),
                    Cleanup::Postgres { admin_url, name },
                )
            }
            None => {
                let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
                (
                    format!("sqlite://{}?mode=rwc", path.display()),
                    Cleanup::SqliteFile(path),
                )
            }
        };
        let state = AppState::open(&url).await.expect("open test database");
        let router = router(state.clone());
        let worker = Some(observed_worker(&state));
        Self {
            state,
            router,
            cleanup,
            worker,
        }
    }

    /// The URL of this app's database, for other processes.
    pub fn database_url(&self) -> String {
        match &self.cleanup {
            Cleanup::SqliteFile(path) => format!("sqlite://{}?mode=rwc", path.display()),
            Cleanup::Postgres { admin_url, name } => with_database(admin_url, name),
        }
    }

    /// A second app on the same database: another instance behind a load balancer, with
    /// its own connection pool and job worker.
    pub async fn second_instance(&self) -> AppState {
        AppState::open(&self.database_url())
            .await
            .expect("open second instance")
    }

    /// Stops this app's job worker (jobs then wait, as if the process had stopped).
    pub async fn stop_worker(&mut self) {
        if let Some(w) = self.worker.take() {
            w.stop().await;
        }
    }

    pub fn start_worker(&mut self) {
        if self.worker.is_none() {
            self.worker = Some(observed_worker(&self.state));
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self.cleanup, Cleanup::Postgres { .. })
    }

    /// Creates a user with a role in a team and returns a fresh API token for them.
    pub async fn user(&self, username: &str, team: &str, role: Role) -> String {
        auth::create_user(
            &self.state.db,
            NewUser {
                username,
                password: "password123",
                team,
                role,
            },
        )
        .await
        .expect("create user");
        auth::create_token(&self.state.db, username, "test")
            .await
            .expect("create token")
    }

    /// The GraphQL ids of the token's user's teams, as `me` lists them.
    pub async fn team_ids(&self, token: &str) -> Vec<String> {
        let me = self
            .data(token, "{ me { teams { teamId } } }", json!({}))
            .await;
        me["me"]["teams"]
            .as_array()
            .expect("teams")
            .iter()
            .map(|t| t["teamId"].as_str().expect("a team id").to_owned())
            .collect()
    }

    /// The database ids of the token's user's teams (the REST dialects' `team_id`).
    pub async fn team_row_ids(&self, token: &str) -> Vec<i32> {
        let me = self
            .data(token, "{ me { teams { team { rowId } } } }", json!({}))
            .await;
        me["me"]["teams"]
            .as_array()
            .expect("teams")
            .iter()
            .map(|t| t["team"]["rowId"].as_i64().expect("a team row id") as i32)
            .collect()
    }

    /// Serves the app on a local port, as `bomgraph serve` does, for clients that need a
    /// real socket (WebSockets); the server stops with the test's runtime.
    pub async fn serve(&self) -> std::net::SocketAddr {
        serve(self.router.clone()).await
    }

    /// SQL statements run so far by this app's connection.
    pub fn statements(&self) -> u64 {
        self.state.metrics.db_statements.get()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(w) = self.worker.take() {
            w.abort();
        }
        match &self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime; the cleanup needs one of its own.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .unwrap();
                    rt.block_on(async move {
                        if let Ok(admin) = Database::connect(&admin_url).await {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

/// Serves `router` on a free local port.
pub async fn serve(router: Router) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind a local port");
    let addr = listener.local_addr().expect("local address");
    let listener = axum::serve::ListenerExt::tap_io(listener, |tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    addr
}

/// A job worker as `serve` runs it, timing jobs in the app's metrics.
fn observed_worker(state: &AppState) -> api::worker::Worker {
    api::worker::Worker::spawn_observed(state.db.clone(), Some(state.metrics.job_duration.clone()))
}

/// Server logs for a failing test: set `RUST_LOG` (e.g. `RUST_LOG=service=debug`).
fn init_logging() {
    if let Ok(filter) = std::env::var("RUST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    }
}
