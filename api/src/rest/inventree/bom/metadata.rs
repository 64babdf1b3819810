//! `.../metadata/` of a BomItem, and the read and write the substitute's metadata shares.
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::Value;
use service::auth::Principal;
use service::metadata::{MetadataMode, Target};

use super::item::err;
use crate::rest::drf::{body_object, json_response, path_id, RestError, RestResult, User};
use crate::rest::inventree::schema::{self, Metadata};
use crate::state::AppState;

/// What a metadata write asks for: `None` when a PATCH sends no `metadata` key.
pub fn metadata_value(body: &Bytes, mode: MetadataMode) -> Result<Option<Value>, RestError> {
    let data = body_object(body)?;
    match data.get("metadata") {
        Some(v) => Ok(Some(v.clone())),
        None if mode == MetadataMode::Merge => Ok(None),
        None => Err(crate::rest::drf::bad_request(
            "metadata",
            "This field is required.",
        )),
    }
}

#[utoipa::path(get, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 200, body = Metadata), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_get(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    read_metadata(&state, &p, Target::BomLine, &id).await
}

/// `GET .../metadata/` of a line or a substitute.
pub async fn read_metadata(
    state: &AppState,
    p: &Principal,
    target: Target,
    id: &str,
) -> RestResult {
    let metadata = service::metadata::read(&state.db, p, target, path_id(id)?)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &Metadata { metadata }))
}

/// `PUT` (replace) or `PATCH` (merge) `.../metadata/` of a line or a substitute; a PATCH
/// without `metadata` changes nothing.
pub async fn write_metadata(
    state: &AppState,
    p: &Principal,
    target: Target,
    id: &str,
    body: &Bytes,
    mode: MetadataMode,
) -> RestResult {
    let id = path_id(id)?;
    let metadata = match metadata_value(body, mode)? {
        Some(v) => service::metadata::write(&state.db, p, target, id, v, mode).await,
        None => service::metadata::read(&state.db, p, target, id).await,
    }
    .map_err(err)?;
    Ok(json_response(StatusCode::OK, &Metadata { metadata }))
}

#[utoipa::path(patch, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = Metadata,
    responses((status = 200, body = Metadata), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_patch(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    write_metadata(&state, &p, Target::BomLine, &id, &body, MetadataMode::Merge).await
}

#[utoipa::path(put, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = Metadata,
    responses((status = 200, body = Metadata), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_put(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    write_metadata(
        &state,
        &p,
        Target::BomLine,
        &id,
        &body,
        MetadataMode::Replace,
    )
    .await
}
