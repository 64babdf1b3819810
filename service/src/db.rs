//! Connecting to SQLite or PostgreSQL, and migrating.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ColumnTrait, ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, PrimaryKeyTrait, QuerySelect, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://bomgraph.db?mode=rwc";

/// Called once for every SQL statement the connection runs.
pub type StatementObserver = Box<dyn Fn() + Send + Sync + 'static>;

/// How long a request waits for a pooled connection before it is told the database is
/// unavailable (a 503): long enough to ride out a PostgreSQL restart, short enough that a
/// client hears back while it still waits.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long one attempt to open a connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// Opens a pool. SQLite files run in WAL mode with a busy timeout and a few connections,
/// so DataLoader batches and concurrent requests do not queue behind one connection.
/// An in-memory SQLite database exists per connection, so it gets exactly one.
pub async fn connect(
    url: &str,
    observer: Option<StatementObserver>,
) -> Result<DatabaseConnection, DbErr> {
    open(options(url), observer).await
}

/// Like [`connect`], but no connection is made until the first statement needs one: a
/// server whose database is down still starts and answers 503 until it comes back.
pub async fn connect_lazy(
    url: &str,
    observer: Option<StatementObserver>,
) -> Result<DatabaseConnection, DbErr> {
    let mut opts = options(url);
    opts.connect_lazy(true);
    open(opts, observer).await
}

async fn open(
    opts: ConnectOptions,
    observer: Option<StatementObserver>,
) -> Result<DatabaseConnection, DbErr> {
    let mut db = Database::connect(opts).await?;
    if let Some(observe) = observer {
        db.set_metric_callback(move |_info| observe());
    }
    Ok(db)
}

fn options(url: &str) -> ConnectOptions {
    let url = &with_create_mode(url);
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(CONNECT_TIMEOUT)
        .acquire_timeout(ACQUIRE_TIMEOUT);
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        opts.max_connections(if in_memory { 1 } else { SQLITE_CONNECTIONS })
            .min_connections(1)
            .map_sqlx_sqlite_opts(move |o| {
                let o = o
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .synchronous(SqliteSynchronous::Normal);
                if in_memory {
                    o
                } else {
                    o.journal_mode(SqliteJournalMode::Wal)
                }
            });
    } else {
        opts.max_connections(MAX_PG_CONNECTIONS)
            .map_sqlx_postgres_opts(|o| match o.get_application_name() {
                Some(_) => o,
                None => o.application_name(&instance_name()),
            });
    }
    opts
}

/// What a pool tells PostgreSQL it is (`pg_stat_activity.application_name`), unless the
/// URL names it: `bomgraph 1234/1`, process and pool. Pools of one process on one
/// database (several apps in a test) are thereby told apart by [`key`].
fn instance_name() -> String {
    static POOLS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = POOLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
    format!("bomgraph {}/{n}", std::process::id())
}

/// Connections to a SQLite file. Each runs on a thread of its own in the driver, and on two
/// cores 4 served the deep 200-line query at 33-36 req/s where 8 served 29 and 2 served
/// 29-32 (wrk, 8 connections), with the same peak memory.
pub const SQLITE_CONNECTIONS: u32 = 4;

/// Connections one instance opens to PostgreSQL at most.
pub const MAX_PG_CONNECTIONS: u32 = 16;

/// One attempt to reach the database with a single connection, so that a failure says
/// why (refused, unknown host, authentication) instead of only that a pool timed out.
pub async fn probe(url: &str) -> Result<(), String> {
    use sea_orm::sqlx::{Connection, PgConnection};
    if !url.starts_with("postgres") {
        return Ok(());
    }
    match tokio::time::timeout(CONNECT_TIMEOUT, PgConnection::connect(url)).await {
        Ok(Ok(conn)) => {
            let _ = conn.close().await;
            Ok(())
        }
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {} s", CONNECT_TIMEOUT.as_secs())),
    }
}

/// Where a database URL points, without its password: `postgres://bom@db:5432/bomgraph`,
/// `sqlite://bomgraph.db`.
pub fn describe(url: &str) -> String {
    let without_query = url.split('?').next().unwrap_or(url);
    let Some((scheme, rest)) = without_query.split_once("://") else {
        return without_query.to_owned();
    };
    match rest.rsplit_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => format!("{scheme}://{rest}"),
    }
}

/// A SQLite file is created on first use, whether or not the URL says `mode=rwc`.
fn with_create_mode(url: &str) -> String {
    let is_file = url.starts_with("sqlite:") && !url.contains(":memory:") && !url.contains("mode=");
    match (is_file, url.contains('?')) {
        (false, _) => url.to_owned(),
        (true, true) => format!("{url}&mode=rwc"),
        (true, false) => format!("{url}?mode=rwc"),
    }
}

pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// Readiness: the database answers a trivial statement.
pub async fn ping(db: &DatabaseConnection) -> Result<(), DbErr> {
    db.ping().await
}

/// `column` is one of `ids`. On PostgreSQL the ids are bound as one array, so the
/// statement is prepared once whatever the number of ids (an IN list of another length is
/// another statement, parsed and planned again), and read through `unnest` in a subquery,
/// which PostgreSQL hashes: `column = ANY(CAST($1 AS integer[]))` compares each row with
/// the array one element at a time (16 s for 20,000 price breaks against 10,000 ids).
/// SQLite has no arrays and keeps the IN list.
pub fn one_of<C: ColumnTrait>(
    backend: DatabaseBackend,
    column: C,
    ids: impl IntoIterator<Item = i32>,
) -> sea_orm::sea_query::Expr {
    match backend {
        DatabaseBackend::Postgres => sea_orm::sea_query::Expr::cust_with_exprs(
            "$1 IN (SELECT unnest(CAST($2 AS integer[])))",
            [
                column.into_expr(),
                sea_orm::sea_query::Expr::val(pg_array(ids)),
            ],
        ),
        _ => column.is_in(ids),
    }
}

/// Ids as PostgreSQL's array text, `{1,2,3}`.
pub fn pg_array(ids: impl IntoIterator<Item = i32>) -> String {
    let list: Vec<String> = ids.into_iter().map(|i| i.to_string()).collect();
    format!("{{{}}}", list.join(","))
}

/// The most ids one `IN (...)` binds: SQLite takes at most 32,766 values in a statement
/// and PostgreSQL 65,535, and a team can have more lines or parts than that.
pub const IN_CHUNK: usize = 10_000;

/// Rows per multi-row INSERT. Measured with the upsert benchmark on PostgreSQL, 200-row
/// statements of BOM lines (about 35 columns) cost some 60 ms each and 50-row ones 4 ms;
/// SQLite does not mind either way.
pub const INSERT_ROWS: usize = 50;

/// Runs `query` once per chunk of at most `IN_CHUNK` ids and joins the rows. A request on
/// fewer ids than that stays one statement.
pub async fn in_chunks<T, F, Fut>(ids: &[i32], mut query: F) -> Result<Vec<T>, DbErr>
where
    F: FnMut(Vec<i32>) -> Fut,
    Fut: std::future::Future<Output = Result<Vec<T>, DbErr>>,
{
    let mut rows = Vec::new();
    for chunk in ids.chunks(IN_CHUNK) {
        rows.extend(query(chunk.to_vec()).await?);
    }
    Ok(rows)
}

/// Reads a row to change it: on PostgreSQL the row stays locked (FOR UPDATE) until the
/// transaction ends, so a check made on it holds until the write and a read-modify-write
/// cannot lose a concurrent one; on SQLite the write transaction already holds the whole
/// database.
pub async fn find_for_update<E>(
    txn: &impl ConnectionTrait,
    id: i32,
) -> Result<Option<E::Model>, DbErr>
where
    E: EntityTrait,
    <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i32>,
{
    E::find_by_id(id).lock_exclusive().one(txn).await
}

/// Starts a transaction that writes. On SQLite it takes the write lock at `BEGIN`
/// (IMMEDIATE), so a transaction that reads before it writes waits its turn instead of
/// failing when another writer commits in between; PostgreSQL ignores the option.
pub async fn write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::with_create_mode;

    #[test]
    fn sqlite_files_are_created() {
        assert_eq!(with_create_mode("sqlite://b.db"), "sqlite://b.db?mode=rwc");
        assert_eq!(
            with_create_mode("sqlite://b.db?cache=shared"),
            "sqlite://b.db?cache=shared&mode=rwc"
        );
        assert_eq!(
            with_create_mode("sqlite://b.db?mode=ro"),
            "sqlite://b.db?mode=ro"
        );
        assert_eq!(with_create_mode("sqlite::memory:"), "sqlite::memory:");
        assert_eq!(with_create_mode("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn descriptions_hide_passwords() {
        assert_eq!(
            super::describe("postgres://bom:secret@db.example:5432/bomgraph?sslmode=require"),
            "postgres://bom@db.example:5432/bomgraph"
        );
        assert_eq!(super::describe("postgres://db/x"), "postgres://db/x");
        assert_eq!(
            super::describe("sqlite://bomgraph.db?mode=rwc"),
            "sqlite://bomgraph.db"
        );
    }
}

/// What a team-wide lock serialises (the first key of PostgreSQL's advisory lock).
#[derive(Debug, Clone, Copy)]
#[repr(i32)]
pub enum TeamLock {
    /// Loop checks: two writes that each add half of a loop (A uses B, B uses A) must not
    /// both pass on what the other has not committed yet.
    Structure = 1,
    /// Upserts: two upserts of one new key must not both create a BOM.
    Upsert = 2,
    /// Job queueing: two requests must not both take a team's last free job place.
    Jobs = 3,
}

/// Holds `lock` for `team_id` until the transaction ends, on PostgreSQL. On SQLite the
/// write transaction already holds the whole database. Take it after the transaction's
/// row locks (or before all of them), so writers never wait on each other in a circle.
pub async fn lock_team(
    txn: &impl ConnectionTrait,
    lock: TeamLock,
    team_id: i32,
) -> Result<(), DbErr> {
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1, $2)",
            [(lock as i32).into(), team_id.into()],
        ))
        .await?;
    }
    Ok(())
}

/// Names the pool `db` belongs to: `host:port/name application_name` on PostgreSQL (one
/// key per pool, as every pool is an instance of its own), the file's path on SQLite (one
/// key per file: all writers of a SQLite file are one process).
pub fn key(db: &DatabaseConnection) -> String {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let o = db.get_postgres_connection_pool().connect_options();
            format!(
                "{}:{}/{} {}",
                o.get_host(),
                o.get_port(),
                o.get_database().unwrap_or_default(),
                o.get_application_name().unwrap_or_default()
            )
        }
        _ => {
            let o = db.get_sqlite_connection_pool().connect_options();
            o.get_filename().display().to_string()
        }
    }
}

/// Commits. A connection lost at COMMIT leaves the outcome unknown, and the error says
/// so, so that the request is not sent again blindly (a failure before COMMIT changed
/// nothing and may be retried).
pub async fn commit(txn: DatabaseTransaction) -> Result<(), crate::ServiceError> {
    txn.commit()
        .await
        .map_err(|e| match crate::ServiceError::from(e) {
            crate::ServiceError::Unavailable { .. } => crate::ServiceError::Unavailable {
                maybe_committed: true,
            },
            other => other,
        })
}

/// How many connections the pool holds, how many of them are idle, and the most it opens.
#[derive(Debug, Clone, Copy)]
pub struct Pool {
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

/// The figures of the connection pool behind `db`, whichever backend it is.
pub fn pool(db: &DatabaseConnection) -> Pool {
    match db.get_database_backend() {
        DatabaseBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            Pool {
                size: pool.size(),
                idle: pool.num_idle() as u32,
                max: pool.options().get_max_connections(),
            }
        }
        _ => {
            let pool = db.get_sqlite_connection_pool();
            Pool {
                size: pool.size(),
                idle: pool.num_idle() as u32,
                max: pool.options().get_max_connections(),
            }
        }
    }
}
