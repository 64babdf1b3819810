//! The cost model. Before a query runs, async-graphql's complexity check sums every
//! selected field over aliases and fragments, with connection pages costing their size and
//! the traversals (`whereUsed`, `bomExplosion`, program reports) a fixed `TRAVERSAL` each;
//! `MAX_COMPLEXITY` bounds that sum. A plain list's length is known only once it is loaded
//! (a BOM's lines), so every list resolver also charges the request's [`Budget`] its
//! length times the fields selected on each item, before any item is resolved: the values
//! one response can hold are bounded by `MAX_VALUES`, however the query is written.
//! A request over its budget answers one `QUERY_TOO_COMPLEX` error and no data.
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

use async_graphql::{Context, ErrorExtensions};

/// Depth and static complexity caps: generous enough for GraphiQL's introspection query
/// and real front-end queries, tight enough to stop abusive nesting and aliasing.
pub const MAX_DEPTH: usize = 16;
pub const MAX_COMPLEXITY: usize = 20_000;

/// The static cost of one traversal of the BOM structure or a program report: at most 20
/// of them fit in one request.
pub const TRAVERSAL: usize = 1_000;

/// Values (fields of list items) one response may hold. `bench/run`'s deep query over a
/// 10,000-line BOM (each line's part with 2 offers of 3 price breaks, and two substitutes
/// whose parts have the same) is about 1,050,000 of them, so it still comes back whole;
/// 400 aliases of a 5,000-line BOM's lines with four fields (8,000,000) are refused before
/// any of them is resolved.
pub const MAX_VALUES: usize = 2_000_000;

pub const TOO_COMPLEX: &str = "QUERY_TOO_COMPLEX";

#[derive(Debug, Default)]
pub struct Budget {
    used: AtomicUsize,
    exceeded: AtomicBool,
}

impl Budget {
    /// Values charged so far.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }

    pub fn exceeded(&self) -> bool {
        self.exceeded.load(Ordering::Relaxed)
    }

    /// A full budget again: a subscription is charged afresh for each event it sends.
    pub fn reset(&self) {
        self.used.store(0, Ordering::Relaxed);
        self.exceeded.store(false, Ordering::Relaxed);
    }

    /// Takes `values` from the budget, or refuses once it is spent.
    pub fn charge(&self, values: usize) -> async_graphql::Result<()> {
        let used = self
            .used
            .fetch_add(values, Ordering::Relaxed)
            .saturating_add(values);
        if used > MAX_VALUES || self.exceeded() {
            self.exceeded.store(true, Ordering::Relaxed);
            return Err(too_many_values());
        }
        Ok(())
    }
}

pub fn too_many_values() -> async_graphql::Error {
    async_graphql::Error::new(format!(
        "This query asks for more than {MAX_VALUES} values; select fewer fields or aliases, \
         or page through long lists with first/after."
    ))
    .extend_with(|_, e| e.set("code", TOO_COMPLEX))
}

/// Charges the request's budget for `count` items before their fields are resolved.
///
/// Sibling fields (400 aliases of one BOM's lines) resolve concurrently and are woken
/// together when their loader's batch is ready; the charge is followed by one yield, so
/// every sibling has charged before any of them builds its items, and a request over its
/// budget is refused before the work rather than after it.
pub async fn charge(ctx: &Context<'_>, count: usize) -> async_graphql::Result<()> {
    let Some(budget) = ctx.data_opt::<Arc<Budget>>() else {
        return Ok(());
    };
    let per_item = ctx.field().selection_set().count().max(1);
    let values = count.saturating_mul(per_item);
    budget.charge(values)?;
    // Only a large list is worth the wait: small ones (a part's offers) are most of the
    // lists of a normal query, and each yield re-polls the futures around it.
    if values >= YIELD_ABOVE {
        tokio::task::yield_now().await;
        if budget.exceeded() {
            return Err(too_many_values());
        }
    }
    Ok(())
}

/// Lists charging at least this many values let their siblings charge before resolving.
const YIELD_ABOVE: usize = 1_000;

/// [`charge`] for items already in hand.
pub async fn charged<T>(ctx: &Context<'_>, items: Vec<T>) -> async_graphql::Result<Vec<T>> {
    charge(ctx, items.len()).await?;
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spent_budget_stays_spent() {
        let b = Budget::default();
        assert!(b.charge(MAX_VALUES).is_ok());
        assert!(!b.exceeded());
        assert!(b.charge(1).is_err());
        assert!(b.exceeded());
        assert!(b.charge(0).is_err(), "nothing more runs once it is spent");
    }
}
