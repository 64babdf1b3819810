//! Background jobs, kept in the database: they survive restarts, and when several
//! instances share one PostgreSQL each job is claimed by exactly one of them.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use chrono::{Duration, Utc};
use entity::job;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection,
    EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter, Set, Statement, Value,
};
use serde_json::{json, Value as Json};

use crate::auth::{principal_for, Principal};
use crate::events::{self, Event};
pub use crate::progress::Progress;
use crate::raw_bom::{self, UpsertBom};
use crate::{availability, ServiceError, ServiceResult};

pub mod kind {
    pub const BOM_UPSERT: &str = "bom_upsert";
    pub const PROGRAM_AVAILABILITY: &str = "program_availability";
}

pub use entity::job::JobStatus;

/// A running job whose worker has not renewed its lease for this long is taken to be
/// interrupted (the process stopped) and is run again. The worker renews it every
/// `LEASE_SECONDS / 3`, so a job whose server was killed is retried within seconds,
/// while a worker that misses one renewal (a slow statement) keeps its job.
pub const LEASE_SECONDS: i64 = 6;
/// Jobs one team may have queued or running at once: enough for any real burst of
/// upserts, and a bound on what one member (a viewer too) can make the workers do.
pub const MAX_ACTIVE_JOBS_PER_TEAM: u64 = 20;

/// A job's progress as this process knows it now, fresher than its row on SQLite, where
/// a job's own write transaction holds back the row's update until it commits.
fn live_progress(db: &DatabaseConnection, job: &mut job::Model) {
    if job.status == JobStatus::Running {
        if let Some(p) = crate::progress::live(db, job.id) {
            job.progress = job.progress.max(p);
        }
    }
}
/// Runs of one job before an interrupted job is failed instead of retried.
pub const MAX_ATTEMPTS: i32 = 3;

pub async fn get(db: &DatabaseConnection, p: &Principal, id: i32) -> ServiceResult<job::Model> {
    let mut job = crate::owned::find::<job::Entity>(db, p, id).await?;
    live_progress(db, &mut job);
    Ok(job)
}

/// The jobs of `ids` the principal may read (for loaders), with their live progress.
pub async fn by_ids(
    db: &DatabaseConnection,
    p: &Principal,
    ids: &[i32],
) -> ServiceResult<Vec<job::Model>> {
    let mut jobs = crate::owned::by_ids::<job::Entity>(db, p, ids).await?;
    jobs.iter_mut().for_each(|job| live_progress(db, job));
    Ok(jobs)
}

/// Queues a job, unless the team already has `MAX_ACTIVE_JOBS_PER_TEAM` queued or running.
async fn enqueue(
    db: &DatabaseConnection,
    p: &Principal,
    team_id: i32,
    kind: &str,
    payload: Json,
) -> ServiceResult<job::Model> {
    let txn = crate::db::write(db).await?;
    // Two requests must not both take the last free place.
    crate::db::lock_team(&txn, crate::db::TeamLock::Jobs, team_id).await?;
    let active = job::Entity::find()
        .filter(job::Column::TeamId.eq(team_id))
        .filter(job::Column::Status.is_in([JobStatus::Queued, JobStatus::Running]))
        .count(&txn)
        .await?;
    if active >= MAX_ACTIVE_JOBS_PER_TEAM {
        return Err(ServiceError::RateLimited(format!(
            "The team has {active} jobs queued or running, the most it may have at once; \
             wait for some of them to finish."
        )));
    }
    let job = job::ActiveModel {
        team_id: Set(team_id),
        kind: Set(kind.to_owned()),
        status: Set(JobStatus::Queued),
        progress: Set(0),
        payload: Set(payload),
        result: Set(None),
        error: Set(None),
        attempts: Set(0),
        locked_by: Set(None),
        locked_until: Set(None),
        created_by: Set(Some(p.user_id).filter(|id| *id > 0)),
        created_at: Set(Utc::now()),
        started_at: Set(None),
        finished_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    crate::db::commit(txn).await?;
    announce(db).await;
    Ok(job)
}

/// The PostgreSQL channel on which a queued job wakes the workers of every instance.
pub const CHANNEL: &str = "bomgraph_jobs";

/// Wakes this process's idle workers of `db` at once when a job is queued here. Keyed by
/// the database, so that apps on other databases in one process (tests) are not woken.
pub fn queued_here(db: &DatabaseConnection) -> Arc<tokio::sync::Notify> {
    static QUEUED: OnceLock<Mutex<HashMap<String, Arc<tokio::sync::Notify>>>> = OnceLock::new();
    QUEUED
        .get_or_init(Default::default)
        .lock()
        .expect("wake-up map")
        .entry(crate::db::key(db))
        .or_default()
        .clone()
}

/// Tells the workers a job is waiting: this process's at once, other instances' through
/// PostgreSQL's `NOTIFY` (a lost notification only delays the job to the next safety poll).
async fn announce(db: &DatabaseConnection) {
    queued_here(db).notify_waiters();
    if db.get_database_backend() == DatabaseBackend::Postgres {
        let notify = Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_notify($1, '')",
            [CHANNEL.into()],
        );
        if let Err(e) = db.execute_raw(notify).await {
            tracing::warn!(error = %e, "could not notify the other instances of a new job");
        }
    }
}

/// Whether any job could be claimed now: one read, so an idle worker's safety poll costs
/// the database next to nothing.
pub async fn runnable(db: &DatabaseConnection) -> ServiceResult<bool> {
    let now = Utc::now();
    Ok(job::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(job::Column::Status.eq(JobStatus::Queued))
                .add(
                    sea_orm::Condition::all()
                        .add(job::Column::Status.eq(JobStatus::Running))
                        .add(job::Column::LockedUntil.lt(now)),
                ),
        )
        .one(db)
        .await?
        .is_some())
}

/// Notifications of jobs queued by any instance sharing this PostgreSQL database.
pub struct Wakeups(sea_orm::sqlx::postgres::PgListener);

impl Wakeups {
    /// Listens on [`CHANNEL`]; `None` on SQLite, where every writer is this process.
    pub async fn listen(db: &DatabaseConnection) -> Option<Self> {
        if db.get_database_backend() != DatabaseBackend::Postgres {
            return None;
        }
        let pool = db.get_postgres_connection_pool();
        let connected = async {
            let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        };
        match connected.await {
            Ok(listener) => Some(Self(listener)),
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for new jobs; polling only");
                None
            }
        }
    }

    /// Waits for the next notification. A lost connection is re-established by the
    /// listener; an error is only logged, and the worker's safety poll covers the gap.
    pub async fn next(&mut self) {
        if let Err(e) = self.0.recv().await {
            tracing::warn!(error = %e, "job notifications interrupted");
            tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        }
    }
}

/// How many jobs there are of each kind in each status: `(kind, status, count)`.
pub async fn counts(db: &DatabaseConnection) -> ServiceResult<Vec<(String, String, i64)>> {
    #[derive(FromQueryResult)]
    struct Row {
        kind: String,
        status: String,
        n: i64,
    }
    let rows = Row::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        "SELECT kind, status, COUNT(*) AS n FROM job GROUP BY kind, status",
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|r| (r.kind, r.status, r.n)).collect())
}

/// Validates an upsert body at once and queues it.
pub async fn enqueue_upsert(
    db: &DatabaseConnection,
    p: &Principal,
    body: UpsertBom,
) -> ServiceResult<job::Model> {
    raw_bom::check_upsert(&body)?;
    let team_id = p.write_team(body.team_id)?;
    let body = UpsertBom {
        team_id: Some(team_id),
        ..body
    };
    let payload = serde_json::to_value(&body).map_err(|e| ServiceError::Internal(e.to_string()))?;
    enqueue(db, p, team_id, kind::BOM_UPSERT, payload).await
}

pub async fn enqueue_availability(
    db: &DatabaseConnection,
    p: &Principal,
    program_id: i32,
) -> ServiceResult<job::Model> {
    let program = crate::program::get(db, p, program_id).await?;
    enqueue(
        db,
        p,
        program.team_id,
        kind::PROGRAM_AVAILABILITY,
        json!({ "program_id": program_id }),
    )
    .await
}

/// Fails running jobs that were interrupted too often.
async fn fail_exhausted(db: &DatabaseConnection) -> ServiceResult<()> {
    let now = Utc::now();
    job::Entity::update_many()
        .col_expr(
            job::Column::Status,
            sea_orm::sea_query::Expr::value(JobStatus::Failed),
        )
        .col_expr(
            job::Column::Error,
            sea_orm::sea_query::Expr::value(format!(
                "interrupted {MAX_ATTEMPTS} times: the worker stopped while running it"
            )),
        )
        .col_expr(
            job::Column::FinishedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(job::Column::Status.eq(JobStatus::Running))
        .filter(job::Column::LockedUntil.lt(now))
        .filter(job::Column::Attempts.gte(MAX_ATTEMPTS))
        .exec(db)
        .await?;
    Ok(())
}

/// Claims the oldest runnable job for `worker`: a queued one, or a running one whose lease
/// ran out. One statement; on PostgreSQL `FOR UPDATE SKIP LOCKED` keeps two instances from
/// claiming the same job, and SQLite serialises writers anyway.
pub async fn claim(db: &DatabaseConnection, worker: &str) -> ServiceResult<Option<job::Model>> {
    fail_exhausted(db).await?;
    let backend = db.get_database_backend();
    let now = Utc::now();
    let until = now + Duration::seconds(LEASE_SECONDS);
    let (lock, p) = match backend {
        DatabaseBackend::Postgres => (
            "FOR UPDATE SKIP LOCKED",
            ["$1", "$2", "$3", "$4", "$5", "$6", "$7"],
        ),
        _ => ("", ["?", "?", "?", "?", "?", "?", "?"]),
    };
    let sql = format!(
        "UPDATE job SET status = {p0}, locked_by = {p1}, locked_until = {p2}, started_at = {p3}, attempts = attempts + 1 \
         WHERE id = (SELECT id FROM job WHERE (status = {p4} OR (status = {p5} AND locked_until < {p6})) \
                     AND attempts < {max} ORDER BY id LIMIT 1 {lock}) \
         RETURNING *",
        p0 = p[0], p1 = p[1], p2 = p[2], p3 = p[3], p4 = p[4], p5 = p[5], p6 = p[6], max = MAX_ATTEMPTS
    );
    let values: Vec<Value> = vec![
        JobStatus::Running.into(),
        worker.into(),
        until.into(),
        now.into(),
        JobStatus::Queued.into(),
        JobStatus::Running.into(),
        now.into(),
    ];
    let row = db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await?;
    let Some(row) = row else { return Ok(None) };
    let job = job::Model::from_query_result(&row, "")?;
    events::publish(db, Event::job(job.id, job.progress)).await;
    Ok(Some(job))
}

/// Records the outcome, if this worker still holds the job (a worker whose lease ran out
/// and was taken over records nothing).
async fn finish(
    db: &DatabaseConnection,
    job: job::Model,
    worker: &str,
    outcome: Result<Json, String>,
) -> ServiceResult<job::Model> {
    use sea_orm::sea_query::Expr;
    let (status, result, error, progress) = match outcome {
        Ok(result) => (JobStatus::Succeeded, Some(result), None, 100),
        Err(error) => (JobStatus::Failed, None, Some(error), job.progress),
    };
    let done = job::Entity::update_many()
        .col_expr(job::Column::Status, Expr::value(status))
        .col_expr(job::Column::Result, Expr::value(result))
        .col_expr(job::Column::Error, Expr::value(error))
        .col_expr(job::Column::Progress, Expr::value(progress))
        .col_expr(
            job::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(job::Column::FinishedAt, Expr::value(Utc::now()))
        .filter(job::Column::Id.eq(job.id))
        .filter(job::Column::LockedBy.eq(worker))
        .filter(job::Column::Status.eq(JobStatus::Running))
        .exec(db)
        .await?;
    if done.rows_affected == 0 {
        tracing::warn!(
            job = job.id,
            "the job was taken over by another worker; its outcome is dropped"
        );
    }
    let job = job::Entity::find_by_id(job.id)
        .one(db)
        .await?
        .ok_or(ServiceError::not_found("job"))?;
    events::publish(db, Event::job(job.id, job.progress)).await;
    Ok(job)
}

/// Tells the job's subscribers each change of its progress, as it happens.
async fn announce_progress(db: DatabaseConnection, id: i32, progress: Progress) {
    loop {
        progress.changed().await;
        events::publish(&db, Event::job(id, progress.get())).await;
    }
}

fn describe(e: &ServiceError) -> String {
    match e {
        ServiceError::Validation(fields) => format!("invalid: {fields}"),
        other => other.to_string(),
    }
}

async fn execute(
    db: &DatabaseConnection,
    job: &job::Model,
    progress: &Progress,
) -> ServiceResult<Json> {
    let user = job.created_by.ok_or(ServiceError::Unauthenticated)?;
    let p = principal_for(db, user).await?;
    match job.kind.as_str() {
        kind::BOM_UPSERT => {
            let body: UpsertBom = serde_json::from_value(job.payload.clone())
                .map_err(|e| ServiceError::Internal(format!("bad job payload: {e}")))?;
            let bom = raw_bom::upsert_reporting(db, &p, &body, progress).await?;
            Ok(json!({ "bom_id": bom.id, "lines": body.lines.len() }))
        }
        kind::PROGRAM_AVAILABILITY => {
            let program_id = job.payload["program_id"].as_i64().unwrap_or_default() as i32;
            let report = availability::availability(db, &p, program_id).await?;
            serde_json::to_value(report).map_err(|e| ServiceError::Internal(e.to_string()))
        }
        other => Err(ServiceError::Internal(format!("unknown job kind {other}"))),
    }
}

/// The BOM a succeeded upsert wrote, as `execute` records it in the job's result.
pub fn upserted_bom(job: &job::Model) -> Option<i32> {
    if job.kind != kind::BOM_UPSERT {
        return None;
    }
    let id = job.result.as_ref()?.get("bom_id")?.as_i64()?;
    i32::try_from(id).ok()
}

/// Keeps a running job's lease while its worker is alive, and writes its progress.
async fn renew_lease(db: DatabaseConnection, id: i32, worker: String, progress: Progress) {
    loop {
        tokio::time::sleep(std::time::Duration::from_secs((LEASE_SECONDS / 3) as u64)).await;
        let renewed = job::Entity::update_many()
            .col_expr(
                job::Column::LockedUntil,
                sea_orm::sea_query::Expr::value(Utc::now() + Duration::seconds(LEASE_SECONDS)),
            )
            .col_expr(
                job::Column::Progress,
                sea_orm::sea_query::Expr::value(progress.get()),
            )
            .filter(job::Column::Id.eq(id))
            .filter(job::Column::LockedBy.eq(worker.clone()))
            .filter(job::Column::Status.eq(JobStatus::Running))
            .exec(&db)
            .await;
        if let Err(e) = renewed {
            tracing::warn!(job = id, error = %e, "could not renew the job's lease");
        }
    }
}

/// A task that ends with its owner: a worker stopped mid-job stops the job's tasks too
/// (the job's lease then runs out and another attempt takes it).
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Claims and runs one job; `None` when there was none.
pub async fn run_one(db: &DatabaseConnection, worker: &str) -> ServiceResult<Option<job::Model>> {
    let Some(job) = claim(db, worker).await? else {
        return Ok(None);
    };
    tracing::info!(job = job.id, kind = %job.kind, attempt = job.attempts, "running job");
    let progress = Progress::default();
    let _live = crate::progress::Live::register(db, job.id, progress.clone());
    let _heartbeat = AbortOnDrop(tokio::spawn(renew_lease(
        db.clone(),
        job.id,
        worker.to_owned(),
        progress.clone(),
    )));
    let _announcer = AbortOnDrop(tokio::spawn(announce_progress(
        db.clone(),
        job.id,
        progress.clone(),
    )));
    // Its own task, so that a bug in one job fails that job instead of the worker.
    let mut run = AbortOnDrop(tokio::spawn({
        let (db, job) = (db.clone(), job.clone());
        async move {
            execute(&db, &job, &progress)
                .await
                .map_err(|e| describe(&e))
        }
    }));
    let outcome = match (&mut run.0).await {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::error!(job = job.id, error = %e, "job stopped unexpectedly");
            Err("The job stopped unexpectedly; see the server log.".to_owned())
        }
    };
    if let Err(e) = &outcome {
        tracing::warn!(job = job.id, error = %e, "job failed");
    }
    Ok(Some(finish(db, job, worker, outcome).await?))
}
