//! DRF's LimitOffsetPagination for both REST dialects: `limit`/`offset` read and checked,
//! the bound on an unpaginated list, and the `next`/`previous` links of a page.
use axum::http::{header, HeaderMap};
use serde::Serialize;
use service::page::{PageRequest, MAX_UNPAGINATED};
use service::FieldErrors;

use super::drf::{bad_request, field_errors, same_name, Params, RestError};

/// `limit` and `offset` of DRF's LimitOffsetPagination: no limit (or 0) means the whole
/// list, unpaginated; a limit above `MAX_PAGE_SIZE` is capped as DRF's `max_limit` does.
/// A value that is not a whole number from 0 to 2^31 - 1 is a 400 naming it.
pub fn limit_offset(params: &Params) -> Result<Option<(u64, u64)>, RestError> {
    let mut errors = FieldErrors::new();
    let mut read = |key: &str| -> Option<u64> {
        let raw = params.get(key)?.trim();
        if raw.is_empty() {
            return None;
        }
        match raw.parse::<i64>() {
            Ok(n) if n < 0 => errors.add(key, "Ensure this value is greater than or equal to 0."),
            Ok(n) if n > i32::MAX as i64 => errors.add(
                key,
                format!("Ensure this value is less than or equal to {}.", i32::MAX),
            ),
            Ok(n) => return Some(n as u64),
            Err(_) => errors.add(key, "A valid integer is required."),
        }
        None
    };
    let limit = read("limit");
    let offset = read("offset");
    if !errors.is_empty() {
        return Err(RestError::from(field_errors(&errors, same_name)));
    }
    Ok(limit
        .filter(|l| *l > 0)
        .map(|l| (l.min(service::page::MAX_PAGE_SIZE), offset.unwrap_or(0))))
}

/// The page a REST list asks for: `limit`/`offset` when given, else the whole list up to
/// `MAX_UNPAGINATED` rows.
pub fn list_request(params: &Params) -> Result<(Option<(u64, u64)>, PageRequest), RestError> {
    let paging = limit_offset(params)?;
    let request = paging.map_or(PageRequest::unpaginated(), |(limit, offset)| {
        PageRequest::offset_limit(offset, limit)
    });
    Ok((paging, request))
}

/// An unpaginated list longer than `MAX_UNPAGINATED` is a 400 that says to page through it.
pub fn check_unpaginated(paging: Option<(u64, u64)>, total: u64) -> Result<(), RestError> {
    if paging.is_none() && total > MAX_UNPAGINATED {
        return Err(bad_request(
            "limit",
            format!(
                "This list has {total} items, more than the {MAX_UNPAGINATED} answered at once; \
                 page through it with limit and offset."
            ),
        ));
    }
    Ok(())
}

/// The absolute URL of this request with `offset` changed (removed for `None`).
fn page_url(headers: &HeaderMap, path: &str, params: &Params, offset: Option<u64>) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    let scheme = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("http");
    let mut pairs: Vec<(&String, String)> = params
        .iter()
        .filter(|(k, _)| k.as_str() != "offset")
        .map(|(k, v)| (k, v.clone()))
        .collect();
    let offset_key = "offset".to_string();
    if let Some(o) = offset {
        pairs.push((&offset_key, o.to_string()));
    }
    pairs.sort();
    let query: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", urlencoding::encode(k), urlencoding::encode(v)))
        .collect();
    format!("{scheme}://{host}{path}?{}", query.join("&"))
}

/// An InvenTree list as DRF answers it: a bare array without `limit`, a page with one.
#[derive(Serialize)]
#[serde(untagged)]
pub enum Listed<T> {
    All(Vec<T>),
    Page {
        count: u64,
        next: Option<String>,
        previous: Option<String>,
        results: Vec<T>,
    },
}

/// The list of `items` (of `total` in all) that `paging` asked for at `path`.
pub fn listed<T>(
    headers: &HeaderMap,
    path: &str,
    params: &Params,
    paging: Option<(u64, u64)>,
    total: u64,
    items: Vec<T>,
) -> Listed<T> {
    match paging {
        None => Listed::All(items),
        Some((limit, offset)) => {
            let (next, previous) = page_links(headers, path, params, limit, offset, total);
            Listed::Page {
                count: total,
                next,
                previous,
                results: items,
            }
        }
    }
}

/// `next` and `previous` links of a page, as DRF writes them.
pub fn page_links(
    headers: &HeaderMap,
    path: &str,
    params: &Params,
    limit: u64,
    offset: u64,
    count: u64,
) -> (Option<String>, Option<String>) {
    let next = (offset.saturating_add(limit) < count)
        .then(|| page_url(headers, path, params, Some(offset + limit)));
    let previous = (offset > 0).then(|| {
        if offset <= limit {
            page_url(headers, path, params, None)
        } else {
            page_url(headers, path, params, Some(offset - limit))
        }
    });
    (next, previous)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rest::drf::params_of;
    use axum::http::HeaderValue;

    #[test]
    fn limits_and_offsets() {
        let page = |q| limit_offset(&params_of(Some(q))).ok();
        assert_eq!(page("limit=0"), Some(None));
        assert_eq!(page("limit=5&offset=7"), Some(Some((5, 7))));
        assert_eq!(
            page("limit=100000"),
            Some(Some((500, 0))),
            "capped like every page"
        );
        for bad in [
            "limit=-1",
            "limit=x",
            "offset=99999999999999",
            "limit=5&offset=-3",
        ] {
            assert!(page(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn links() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("example.org:8000"));
        let p = params_of(Some("limit=2&offset=2&part=3"));
        let (next, prev) = page_links(&h, "/api/bom/", &p, 2, 2, 5);
        assert_eq!(
            next.unwrap(),
            "http://example.org:8000/api/bom/?limit=2&offset=4&part=3"
        );
        assert_eq!(
            prev.unwrap(),
            "http://example.org:8000/api/bom/?limit=2&part=3"
        );
    }
}
