//! Connecting to SQLite or PostgreSQL, and migrating.
use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection,
    DatabaseTransaction, DbErr, EntityTrait, PrimaryKeyTrait, QuerySelect, SqliteTransactionMode,
    Statement, TransactionOptions, TransactionTrait,
};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://bomgraph.db?mode=rwc";

/// Called once for every SQL statement the connection runs.
pub type StatementObserver = Box<dyn Fn() + Send + Sync + 'static>;

/// Opens a pool. SQLite files run in WAL mode with a busy timeout and several connections,
/// so DataLoader batches and concurrent requests do not queue behind one connection.
/// An in-memory SQLite database exists per connection, so it gets exactly one.
pub async fn connect(
    url: &str,
    observer: Option<StatementObserver>,
) -> Result<DatabaseConnection, DbErr> {
    let url = &with_create_mode(url);
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        opts.max_connections(if in_memory { 1 } else { 8 })
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
        opts.max_connections(16);
    }
    let mut db = Database::connect(opts).await?;
    if let Some(observe) = observer {
        db.set_metric_callback(move |_info| observe());
    }
    Ok(db)
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
