//! Path ids: a segment that is not an integer is simply not found.
use super::error::RestError;
use super::response::not_found;

/// A path id: anything that is not an integer is simply not found.
pub fn path_id(raw: &str) -> Result<i32, RestError> {
    raw.parse().map_err(|_| RestError::from(not_found()))
}
