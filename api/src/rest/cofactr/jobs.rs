//! `/v1/jobs/{id}/`: the state of a background job.
use axum::extract::State;
use axum::http::StatusCode;

use super::schema::{self, Job};
use crate::rest::drf::{json_response, Id, RestResult, User};
use crate::rest::inventree::schema::Detail;
use crate::state::AppState;

#[utoipa::path(get, path = "/v1/jobs/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Job), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn detail(State(state): State<AppState>, User(p): User, Id(id): Id) -> RestResult {
    let job = service::job::get(&state.db, &p, id).await?;
    Ok(json_response(StatusCode::OK, &schema::job(job)))
}
