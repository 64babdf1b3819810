//! How far a piece of work has got, shared between the work and whoever reports it.
use std::collections::HashMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use sea_orm::DatabaseConnection;
use tokio::sync::Notify;

/// How far a running job has got, 0 to 100: set by the job as it goes, written to the
/// job's row with each lease renewal, read live by requests on the same instance, and
/// announced to the job's subscribers as it changes.
#[derive(Clone, Debug, Default)]
pub struct Progress(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    percent: AtomicI32,
    moved: Notify,
}

impl Progress {
    pub fn set(&self, percent: i32) {
        let percent = percent.clamp(0, 100);
        if self.0.percent.swap(percent, Ordering::Relaxed) != percent {
            self.0.moved.notify_one();
        }
    }

    pub fn get(&self) -> i32 {
        self.0.percent.load(Ordering::Relaxed)
    }

    /// Waits until the figure has changed since the last wait returned. Changes made while
    /// nobody waits are folded into one wake-up.
    pub async fn changed(&self) {
        self.0.moved.notified().await;
    }
}

/// A job of one database: ids start at 1 in every database, and one process (tests) may
/// run jobs of several.
type LiveKey = (String, i32);

/// The progress of the jobs this process is running, by database and job id.
fn running() -> &'static Mutex<HashMap<LiveKey, Progress>> {
    static RUNNING: OnceLock<Mutex<HashMap<LiveKey, Progress>>> = OnceLock::new();
    RUNNING.get_or_init(Default::default)
}

/// How far job `id` of `db` has got, if this process is running it.
pub(crate) fn live(db: &DatabaseConnection, id: i32) -> Option<i32> {
    let key = (crate::db::key(db), id);
    running()
        .lock()
        .expect("progress map")
        .get(&key)
        .map(Progress::get)
}

/// A running job's entry in the live progress map, removed when the run ends however it
/// ends.
pub(crate) struct Live(LiveKey);

impl Live {
    pub(crate) fn register(db: &DatabaseConnection, id: i32, progress: Progress) -> Self {
        let key = (crate::db::key(db), id);
        running()
            .lock()
            .expect("progress map")
            .insert(key.clone(), progress);
        Self(key)
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        running().lock().expect("progress map").remove(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_job_s_live_progress_is_known_only_for_its_own_database() {
        let (dir, pid) = (std::env::temp_dir(), std::process::id());
        let path = |n: &str| format!("{}/live-{pid}-{n}.db", dir.display());
        let a = crate::db::connect(&format!("sqlite://{}", path("a")), None)
            .await
            .unwrap();
        let b = crate::db::connect(&format!("sqlite://{}", path("b")), None)
            .await
            .unwrap();
        let progress = Progress::default();
        progress.set(95);
        let running = Live::register(&a, 1, progress);
        assert_eq!((live(&a, 1), live(&b, 1)), (Some(95), None));
        drop(running);
        assert_eq!(live(&a, 1), None, "a finished run is forgotten");
        for n in ["a", "b"] {
            let _ = std::fs::remove_file(path(n));
        }
    }

    #[tokio::test]
    async fn changes_made_meanwhile_wake_the_next_wait_once() {
        let p = Progress::default();
        p.set(10);
        p.set(20);
        p.set(20);
        tokio::time::timeout(std::time::Duration::from_secs(1), p.changed())
            .await
            .expect("the changes wake the waiter");
        assert_eq!(p.get(), 20);
        let again = tokio::time::timeout(std::time::Duration::from_millis(50), p.changed()).await;
        assert!(again.is_err(), "nothing changed since");
    }
}
