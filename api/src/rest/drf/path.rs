//! Path ids as typed extractors: a segment that is not an integer is simply not found, as
//! Django's `<int:pk>` routes answer.
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;

use super::error::RestError;
use super::response::not_found;

/// The id of a path with one parameter (`/api/bom/{id}/`).
pub struct Id(pub i32);

/// The two ids of a nested path (`/v1/boms/{id}/lines/{line_id}/`): the parent's, then
/// the child's.
pub struct Ids(pub i32, pub i32);

/// The path's parameters as integers, in order; a 404 if any is not one.
async fn ids<S: Send + Sync>(parts: &mut Parts, state: &S) -> Result<Vec<i32>, RestError> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|_| RestError::from(not_found()))?;
    params
        .iter()
        .map(|(_, raw)| raw.parse().map_err(|_| RestError::from(not_found())))
        .collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match ids(parts, state).await?[..] {
            [id] => Ok(Id(id)),
            _ => Err(RestError::from(not_found())),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match ids(parts, state).await?[..] {
            [parent, child] => Ok(Ids(parent, child)),
            _ => Err(RestError::from(not_found())),
        }
    }
}
