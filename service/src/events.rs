//! What changed, told to whoever watches it: a BOM's lines, fields, approval, archive and
//! revisions, a job's status and progress, and a part's stock. Writes raise events; an event is delivered
//! only once its transaction has committed, and never for one that rolled back.
//!
//! On SQLite every writer is this process: [`commit`] commits, then hands the events to
//! this process's subscribers of that database. On PostgreSQL the events are sent with
//! `pg_notify` inside the writing transaction, so PostgreSQL delivers them at COMMIT to
//! every instance listening on the database, this one included; each instance keeps one
//! listening connection and passes what it hears on to its own subscribers.
//!
//! A slow subscriber costs a bounded buffer: each topic (one BOM, one job) keeps the last
//! [`BUFFER`] events for its slowest subscriber, and one that falls further behind is told
//! it missed some ([`Change::Resync`]) and reads the current state afresh.
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, DatabaseTransaction, Statement,
};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::{ServiceError, ServiceResult};

/// The PostgreSQL channel events travel on.
pub const CHANNEL: &str = "bomgraph_events";

/// Events one topic holds for its slowest subscriber before that one is told it missed
/// some: far more than one write raises, so only a client that stops reading reaches it.
pub const BUFFER: usize = 256;

/// What an event is about: subscribers watch one topic each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Bom(i32),
    Job(i32),
    Part(i32),
}

/// What happened. Events carry ids, never rows: a subscriber reads the rows it shows with
/// its own permissions, after the change committed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Change {
    LineAdded {
        line: i32,
    },
    LineChanged {
        line: i32,
    },
    LineRemoved {
        line: i32,
    },
    /// Many lines at once (an upsert, an import, a rematch, a bulk delete).
    LinesChanged,
    /// The BOM's own fields or metadata.
    Updated,
    Approved,
    Archived,
    Deleted,
    /// A new revision was made from this BOM.
    Revised {
        revision: i32,
    },
    /// A part's stock figures (in stock, allocated, on order, building, external).
    Stock,
    /// A job's status or progress.
    Job {
        progress: i32,
    },
    /// Events may have been missed (a subscriber fell behind, or the database connection
    /// that carries them was lost): read the current state again.
    Resync,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub topic: Topic,
    pub change: Change,
}

impl Event {
    pub fn bom(id: i32, change: Change) -> Self {
        Self {
            topic: Topic::Bom(id),
            change,
        }
    }

    pub fn stock(part: i32) -> Self {
        Self {
            topic: Topic::Part(part),
            change: Change::Stock,
        }
    }

    pub fn job(id: i32, progress: i32) -> Self {
        Self {
            topic: Topic::Job(id),
            change: Change::Job { progress },
        }
    }
}

/// Commits `txn`, then delivers `events`. Use it in place of [`crate::db::commit`] for a
/// write that others may watch.
pub async fn commit(
    db: &DatabaseConnection,
    txn: DatabaseTransaction,
    events: impl IntoIterator<Item = Event>,
) -> ServiceResult<()> {
    let events: Vec<Event> = events.into_iter().collect();
    if db.get_database_backend() == DatabaseBackend::Postgres {
        for event in &events {
            notify(&txn, event).await?;
        }
        crate::db::commit(txn).await
    } else {
        crate::db::commit(txn).await?;
        let hub = hub(db);
        for event in events {
            hub.deliver(event);
        }
        Ok(())
    }
}

/// Delivers an event of a write made outside a transaction (a job's claim, progress or
/// outcome). A lost notification is logged, not an error: the write itself stands.
pub async fn publish(db: &DatabaseConnection, event: Event) {
    if db.get_database_backend() == DatabaseBackend::Postgres {
        if let Err(e) = notify(db, &event).await {
            tracing::warn!(error = %e, ?event, "could not announce a change");
        }
    } else {
        hub(db).deliver(event);
    }
}

async fn notify(conn: &impl ConnectionTrait, event: &Event) -> ServiceResult<()> {
    let payload =
        serde_json::to_string(event).map_err(|e| ServiceError::Internal(e.to_string()))?;
    conn.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    ))
    .await?;
    Ok(())
}

/// Watches `topic` from now on. On PostgreSQL this process's listener is connected
/// before it returns, so a change committed after `subscribe` is never missed: subscribe
/// first, then read the current state.
pub async fn subscribe(db: &DatabaseConnection, topic: Topic) -> ServiceResult<Subscription> {
    let hub = hub(db);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        hub.listen(db).await?;
    }
    Ok(hub.subscribe(topic))
}

/// One subscriber's view of a topic.
pub struct Subscription {
    hub: Arc<Hub>,
    topic: Topic,
    rx: broadcast::Receiver<Change>,
}

impl Subscription {
    /// The next change; `Resync` when some were missed.
    pub async fn next(&mut self) -> Change {
        match self.rx.recv().await {
            Ok(change) => change,
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::debug!(topic = ?self.topic, missed, "a subscriber fell behind");
                Change::Resync
            }
            // the hub keeps the sender while anyone subscribes, so this does not happen
            Err(broadcast::error::RecvError::Closed) => std::future::pending().await,
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        self.hub.unsubscribe(self.topic);
    }
}

/// The subscribers of one database in this process.
#[derive(Default)]
pub struct Hub {
    topics: Mutex<HashMap<Topic, broadcast::Sender<Change>>>,
    /// The task passing PostgreSQL's notifications on; started by the first subscriber.
    listener: tokio::sync::Mutex<Option<tokio::task::JoinHandle<()>>>,
    capacity: Option<usize>,
}

/// The hub of `db`'s database. Keyed by the database, so that apps on other databases in
/// one process (tests) do not hear each other.
pub fn hub(db: &DatabaseConnection) -> Arc<Hub> {
    static HUBS: OnceLock<Mutex<HashMap<String, Arc<Hub>>>> = OnceLock::new();
    HUBS.get_or_init(Default::default)
        .lock()
        .expect("event hubs")
        .entry(crate::db::key(db))
        .or_default()
        .clone()
}

impl Hub {
    /// A hub whose topics hold `capacity` events: for tests of a subscriber falling behind.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            capacity: Some(capacity),
            ..Default::default()
        }
    }

    fn topics(&self) -> std::sync::MutexGuard<'_, HashMap<Topic, broadcast::Sender<Change>>> {
        self.topics.lock().expect("event topics")
    }

    pub fn subscribe(self: &Arc<Self>, topic: Topic) -> Subscription {
        let capacity = self.capacity.unwrap_or(BUFFER);
        let rx = self
            .topics()
            .entry(topic)
            .or_insert_with(|| broadcast::channel(capacity).0)
            .subscribe();
        Subscription {
            hub: self.clone(),
            topic,
            rx,
        }
    }

    /// Forgets a topic with its last subscriber (the one leaving still counts).
    fn unsubscribe(&self, topic: Topic) {
        let mut topics = self.topics();
        if topics
            .get(&topic)
            .is_some_and(|tx| tx.receiver_count() <= 1)
        {
            topics.remove(&topic);
        }
    }

    /// Hands an event to its topic's subscribers; nobody watching costs nothing.
    pub fn deliver(&self, event: Event) {
        if let Some(tx) = self.topics().get(&event.topic) {
            let _ = tx.send(event.change);
        }
    }

    /// Tells every subscriber it may have missed events.
    fn resync_all(&self) {
        for tx in self.topics().values() {
            let _ = tx.send(Change::Resync);
        }
    }

    /// How many topics have subscribers.
    pub fn topic_count(&self) -> usize {
        self.topics().len()
    }

    /// Starts this process's listener on PostgreSQL, unless it runs already.
    async fn listen(self: &Arc<Self>, db: &DatabaseConnection) -> ServiceResult<()> {
        let mut task = self.listener.lock().await;
        if task.as_ref().is_some_and(|t| !t.is_finished()) {
            return Ok(());
        }
        let mut listener = PgListener::connect_with(db.get_postgres_connection_pool())
            .await
            .map_err(unavailable)?;
        listener.listen(CHANNEL).await.map_err(unavailable)?;
        let hub = Arc::downgrade(self);
        *task = Some(tokio::spawn(async move {
            loop {
                let heard = listener.try_recv().await;
                let Some(hub) = hub.upgrade() else { break };
                match heard {
                    Ok(Some(n)) => match serde_json::from_str::<Event>(n.payload()) {
                        Ok(event) => hub.deliver(event),
                        Err(e) => tracing::warn!(error = %e, "an event that cannot be read"),
                    },
                    // The connection was lost and is made again: events in between are gone.
                    Ok(None) => hub.resync_all(),
                    Err(e) => {
                        tracing::warn!(error = %e, "event notifications interrupted");
                        hub.resync_all();
                        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                    }
                }
            }
        }));
        Ok(())
    }
}

fn unavailable(e: sea_orm::sqlx::Error) -> ServiceError {
    tracing::warn!(error = %e, "cannot listen for events");
    ServiceError::Unavailable {
        maybe_committed: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slow_subscriber_is_bounded_and_told_it_missed_events() {
        let hub = Arc::new(Hub::with_capacity(2));
        let mut slow = hub.subscribe(Topic::Bom(1));
        for line in 0..5 {
            hub.deliver(Event::bom(1, Change::LineAdded { line }));
        }
        assert_eq!(slow.next().await, Change::Resync);
        // what remains is the newest events, at most the buffer
        assert_eq!(slow.next().await, Change::LineAdded { line: 3 });
        assert_eq!(slow.next().await, Change::LineAdded { line: 4 });
    }

    #[tokio::test]
    async fn a_topic_is_heard_only_by_its_subscribers_and_forgotten_with_the_last() {
        let hub = Arc::new(Hub::default());
        let mut one = hub.subscribe(Topic::Bom(1));
        let two = hub.subscribe(Topic::Bom(2));
        hub.deliver(Event::bom(2, Change::Approved));
        hub.deliver(Event::bom(1, Change::Archived));
        assert_eq!(one.next().await, Change::Archived);
        assert_eq!(hub.topic_count(), 2);
        drop(two);
        assert_eq!(hub.topic_count(), 1);
        drop(one);
        assert_eq!(hub.topic_count(), 0);
        // nobody listens: delivering is a no-op, not an error
        hub.deliver(Event::bom(1, Change::Approved));
    }

    #[test]
    fn events_travel_as_small_json() {
        let event = Event::bom(12, Change::LineAdded { line: 40 });
        let text = serde_json::to_string(&event).unwrap();
        assert_eq!(
            text,
            r#"{"topic":{"bom":12},"change":{"kind":"line_added","line":40}}"#
        );
        assert_eq!(serde_json::from_str::<Event>(&text).unwrap(), event);
    }
}
