//! Relay connections over `service::page`: offset cursors on a total, stable ordering.
use async_graphql::connection::{Connection, CursorType, Edge};
use async_graphql::{OutputType, SimpleObject};
use base64::Engine;
use service::page::{Page, PageRequest, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};
use service::FieldErrors;

use super::error::to_gql;

/// An opaque cursor: the item's offset in the ordered list.
pub struct OffsetCursor(pub u64);

impl CursorType for OffsetCursor {
    type Error = String;

    fn decode_cursor(s: &str) -> Result<Self, Self::Error> {
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| "invalid cursor".to_string())?;
        let text = String::from_utf8(raw).map_err(|_| "invalid cursor".to_string())?;
        text.strip_prefix("offset:")
            .and_then(|n| n.parse().ok())
            .map(OffsetCursor)
            .ok_or_else(|| "invalid cursor".to_string())
    }

    fn encode_cursor(&self) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("offset:{}", self.0))
    }
}

#[derive(SimpleObject)]
pub struct ConnectionTotals {
    /// Number of items matching the query, across all pages.
    pub total_count: u64,
}

pub type Conn<T> = Connection<OffsetCursor, T, ConnectionTotals>;

/// A list field costs its page size times what each item asks for, so that a query's
/// complexity (capped by the schema) follows the rows it can make the server load.
pub fn page_complexity(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let size = match first.or(last) {
        Some(n) => (n.max(0) as u64).min(MAX_PAGE_SIZE),
        None => DEFAULT_PAGE_SIZE,
    };
    (size.max(1) as usize).saturating_mul(child_complexity)
}

/// The Relay arguments of a list field.
pub fn page_request(
    after: Option<String>,
    before: Option<String>,
    first: Option<i32>,
    last: Option<i32>,
) -> async_graphql::Result<PageRequest> {
    let cursor = |field: &str, c: Option<String>| -> async_graphql::Result<Option<u64>> {
        c.map(|c| {
            OffsetCursor::decode_cursor(&c)
                .map(|c| c.0)
                .map_err(|e| to_gql(FieldErrors::single(field, e)))
        })
        .transpose()
    };
    let count = |field: &str, n: Option<i32>| -> async_graphql::Result<Option<u64>> {
        match n {
            Some(n) if n < 0 => Err(to_gql(FieldErrors::single(field, "must not be negative"))),
            other => Ok(other.map(|n| n as u64)),
        }
    };
    Ok(PageRequest {
        after: cursor("after", after)?,
        before: cursor("before", before)?,
        first: count("first", first)?,
        last: count("last", last)?,
        unbounded: false,
        cap: None,
    })
}

pub fn connection<M, T: OutputType>(page: Page<M>, node: impl Fn(M) -> T) -> Conn<T> {
    let mut conn = Connection::with_additional_fields(
        page.window.has_previous,
        page.window.has_next,
        ConnectionTotals {
            total_count: page.total,
        },
    );
    let start = page.window.offset;
    conn.edges.extend(
        page.items
            .into_iter()
            .enumerate()
            .map(|(i, m)| Edge::new(OffsetCursor(start + i as u64), node(m))),
    );
    conn
}
