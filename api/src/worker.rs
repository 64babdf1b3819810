//! The job worker every `serve` process runs: it claims jobs from the database, so any
//! number of instances can share one PostgreSQL.
use std::time::Duration;

use service::DatabaseConnection;
use tokio::task::JoinHandle;

/// A name for this process's worker, unique across instances.
pub fn worker_id() -> String {
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "bomgraph".into());
    format!("{host}-{}-{started}", std::process::id())
}

/// How long an idle worker waits before looking for jobs again.
const IDLE_POLL: Duration = Duration::from_millis(250);

/// Runs jobs until the task is aborted; idles briefly when there are none.
pub fn spawn(db: DatabaseConnection) -> JoinHandle<()> {
    let id = worker_id();
    tokio::spawn(async move {
        tracing::info!(worker = %id, "job worker started");
        loop {
            match service::job::run_one(&db, &id).await {
                Ok(Some(_)) => {}
                Ok(None) => tokio::time::sleep(IDLE_POLL).await,
                Err(e) => {
                    tracing::error!(error = %e, "job worker error");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    })
}
