//! `/api/bom/{id}/validate/`: a BomItem marked reviewed, or the mark cleared.
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use service::auth::Principal;

use super::item::{err, rename};
use crate::rest::drf::{body_object, json_response, path_id, Fields, RestResult, User};
use crate::rest::inventree::schema::{self, BomItemValidation};
use crate::state::AppState;

async fn set_valid(
    state: AppState,
    p: std::sync::Arc<Principal>,
    id: String,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    let valid = f.boolean("valid").unwrap_or(false);
    f.finish(rename)?;
    let line = service::bom_line::validate(&state.db, &p, id, valid)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::OK,
        &BomItemValidation {
            valid: service::bom_line::is_validated(&line),
        },
    ))
}

#[utoipa::path(patch, path = "/api/bom/{id}/validate/", tag = "bom", params(("id" = i32, Path)), request_body = BomItemValidation,
    responses((status = 200, body = BomItemValidation), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn validate_patch(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    set_valid(state, p, id, body).await
}

#[utoipa::path(put, path = "/api/bom/{id}/validate/", tag = "bom", params(("id" = i32, Path)), request_body = BomItemValidation,
    responses((status = 200, body = BomItemValidation), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn validate_put(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    set_valid(state, p, id, body).await
}
