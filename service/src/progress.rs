//! How far a piece of work has got, shared between the work and whoever reports it.
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

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

#[cfg(test)]
mod tests {
    use super::*;

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
