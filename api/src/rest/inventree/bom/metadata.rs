//! `.../metadata/` of a BomItem, and the read and write the substitute's metadata shares.
use axum::extract::State;
use axum::http::StatusCode;
use service::auth::Principal;
use service::metadata::{MetadataMode, Target};

use super::item::BomResult;
use crate::rest::drf::body::{Body, Partial};
use crate::rest::drf::{json_response, Id, User};
use crate::rest::inventree::input::MetadataWrite;
use crate::rest::inventree::schema::{self, Metadata};
use crate::state::AppState;

/// `GET .../metadata/` of a line or a substitute.
pub async fn read_metadata(state: &AppState, p: &Principal, target: Target, id: i32) -> BomResult {
    let metadata = service::metadata::read(&state.db, p, target, id).await?;
    Ok(json_response(StatusCode::OK, &Metadata { metadata }))
}

/// `PUT` (replace) or `PATCH` (merge) `.../metadata/` of a line or a substitute; a PATCH
/// without `metadata` changes nothing.
pub async fn write_metadata(
    state: &AppState,
    p: &Principal,
    target: Target,
    id: i32,
    body: MetadataWrite,
    mode: MetadataMode,
) -> BomResult {
    let metadata = match body.metadata.get() {
        Some(v) => service::metadata::write(&state.db, p, target, id, v, mode).await?,
        None => service::metadata::read(&state.db, p, target, id).await?,
    };
    Ok(json_response(StatusCode::OK, &Metadata { metadata }))
}

#[utoipa::path(get, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 200, body = Metadata), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_get(State(state): State<AppState>, User(p): User, Id(id): Id) -> BomResult {
    read_metadata(&state, &p, Target::BomLine, id).await
}

#[utoipa::path(patch, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = MetadataWrite,
    responses((status = 200, body = Metadata), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_patch(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Partial(body): Partial<MetadataWrite>,
) -> BomResult {
    write_metadata(&state, &p, Target::BomLine, id, body, MetadataMode::Merge).await
}

#[utoipa::path(put, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = MetadataWrite,
    responses((status = 200, body = Metadata), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_put(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Body(body): Body<MetadataWrite>,
) -> BomResult {
    write_metadata(&state, &p, Target::BomLine, id, body, MetadataMode::Replace).await
}
