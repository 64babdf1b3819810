//! `/api/bom/{id}/validate/`: a BomItem marked reviewed, or the mark cleared.
use axum::extract::State;
use axum::http::StatusCode;

use super::item::BomResult;
use crate::rest::drf::body::Body;
use crate::rest::drf::{json_response, Id, User};
use crate::rest::inventree::input::ValidationWrite;
use crate::rest::inventree::schema::{self, BomItemValidation};
use crate::state::AppState;

/// PATCH and PUT alike set the mark (`valid` false when left out).
#[utoipa::path(patch, path = "/api/bom/{id}/validate/", tag = "bom", params(("id" = i32, Path)), request_body = ValidationWrite,
    responses((status = 200, body = BomItemValidation), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn validate_patch(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Body(body): Body<ValidationWrite>,
) -> BomResult {
    let line = service::bom_line::validate(&state.db, &p, id, body.valid.or_default()).await?;
    let valid = service::bom_line::is_validated(&line);
    Ok(json_response(StatusCode::OK, &BomItemValidation { valid }))
}

#[utoipa::path(put, path = "/api/bom/{id}/validate/", tag = "bom", params(("id" = i32, Path)), request_body = ValidationWrite,
    responses((status = 200, body = BomItemValidation), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn validate_put(
    state: State<AppState>,
    user: User,
    id: Id,
    body: Body<ValidationWrite>,
) -> BomResult {
    validate_patch(state, user, id, body).await
}
