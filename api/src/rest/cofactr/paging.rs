//! Cofactr's list pages: `limit` (default 100) items from `offset`, answered as
//! `{count, next, previous, results}`.
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use serde::Serialize;
use service::page::{Page, PageRequest};

use super::schema;
use crate::rest::drf::{json_response, Params, RestError};
use crate::rest::page::{limit_offset, page_links};

/// Lists are pages of this size unless `limit` says otherwise.
pub const DEFAULT_LIMIT: u64 = 100;

/// The page a list request asks for: `limit` (default 100) items from `offset`.
pub fn page_request(params: &Params) -> Result<(PageRequest, u64, u64), RestError> {
    let (limit, offset) = match limit_offset(params)? {
        Some(paging) => paging,
        None => (
            DEFAULT_LIMIT,
            params
                .get("offset")
                .and_then(|o| o.trim().parse().ok())
                .unwrap_or(0),
        ),
    };
    Ok((PageRequest::offset_limit(offset, limit), limit, offset))
}

pub fn paged<T: Serialize>(
    headers: &HeaderMap,
    path: &str,
    params: &Params,
    limit: u64,
    offset: u64,
    page: Page<T>,
) -> Response {
    let (next, previous) = page_links(headers, path, params, limit, offset, page.total);
    json_response(
        StatusCode::OK,
        &schema::Page {
            count: page.total,
            next,
            previous,
            results: page.items,
        },
    )
}
