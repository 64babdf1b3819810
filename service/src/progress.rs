//! How far a piece of work has got, shared between the work and whoever reports it.
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::Arc;

/// How far a running job has got, 0 to 100: set by the job as it goes, written to the
/// job's row with each lease renewal, and read live by requests on the same instance.
#[derive(Clone, Debug, Default)]
pub struct Progress(Arc<AtomicI32>);

impl Progress {
    pub fn set(&self, percent: i32) {
        self.0.store(percent.clamp(0, 100), Ordering::Relaxed);
    }

    pub fn get(&self) -> i32 {
        self.0.load(Ordering::Relaxed)
    }
}
