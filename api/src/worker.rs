//! The job worker every `serve` process runs: it claims jobs from the database, so any
//! number of instances can share one PostgreSQL.
use std::time::Duration;

use prometheus::HistogramVec;
use service::DatabaseConnection;
use tokio::sync::watch;
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

/// How long an idle worker waits, when nothing wakes it, before looking for jobs again: a
/// job queued on this instance or announced by another one wakes it at once, so this poll
/// only catches lost notifications and jobs whose worker died (their lease runs out).
/// One read of the job table every few seconds is all an idle instance costs.
const SAFETY_POLL: Duration = Duration::from_secs(3);
/// How long a worker waits after the database failed it.
const ERROR_PAUSE: Duration = Duration::from_secs(1);

/// A running worker. Stop it with [`Worker::stop`]: aborting its task could drop a claim
/// the database has already recorded, and that job would then wait out its lease.
pub struct Worker {
    id: String,
    stop: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Worker {
    /// Runs jobs until stopped; idles briefly when there are none.
    pub fn spawn(db: DatabaseConnection) -> Self {
        Self::spawn_observed(db, None)
    }

    /// [`Worker::spawn`], recording each finished job's run time in `durations`.
    pub fn spawn_observed(db: DatabaseConnection, durations: Option<HistogramVec>) -> Self {
        let (stop, mut stopping) = watch::channel(false);
        let id = worker_id();
        let task = tokio::spawn({
            let id = id.clone();
            async move {
                tracing::info!(worker = %id, "job worker started");
                let mut wakeups = service::job::Wakeups::listen(&db).await;
                let mut look = true;
                let queued = service::job::queued_here(&db);
                while !*stopping.borrow() {
                    // Registered before looking, so a job queued meanwhile still wakes us.
                    let woken = queued.notified();
                    tokio::pin!(woken);
                    woken.as_mut().enable();
                    let pause = match run_if_any(&db, &id, look).await {
                        Ok(Some(job)) => {
                            if let (Some(h), Some(start), Some(end)) =
                                (&durations, job.started_at, job.finished_at)
                            {
                                let seconds = (end - start).num_milliseconds() as f64 / 1000.0;
                                crate::metrics::observe_job(
                                    h,
                                    &job.kind,
                                    &job.status.to_string(),
                                    seconds,
                                );
                            }
                            look = true;
                            continue;
                        }
                        Ok(None) => SAFETY_POLL,
                        Err(e) => {
                            tracing::error!(error = %e, "job worker error");
                            ERROR_PAUSE
                        }
                    };
                    let announced = async {
                        match wakeups.as_mut() {
                            Some(w) => w.next().await,
                            None => std::future::pending().await,
                        }
                    };
                    // Woken: claim at once. Timed out: look first, with one read.
                    look = tokio::select! {
                        _ = &mut woken => true,
                        _ = announced => true,
                        _ = tokio::time::sleep(pause) => false,
                        // a dropped handle stops the worker too
                        changed = stopping.changed() => if changed.is_err() { break } else { true },
                    };
                }
                tracing::info!(worker = %id, "job worker stopped");
            }
        });
        Self { id, stop, task }
    }

    /// The name jobs record as `locked_by`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Stops at once, as a killed process would: a job in hand waits out its lease.
    pub fn abort(self) {
        self.task.abort();
    }

    /// Finishes the job in hand, if any, and returns once the worker has stopped.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        if let Err(e) = self.task.await {
            tracing::error!(error = %e, "job worker ended abnormally");
        }
    }
}

/// Claims and runs a job; after a quiet safety poll (`claim` false) only when one read
/// shows there is one to claim.
async fn run_if_any(
    db: &DatabaseConnection,
    worker: &str,
    claim: bool,
) -> Result<Option<entity::job::Model>, service::ServiceError> {
    if !claim && !service::job::runnable(db).await? {
        return Ok(None);
    }
    service::job::run_one(db, worker).await
}
