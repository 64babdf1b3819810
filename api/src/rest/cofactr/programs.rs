//! `/v1/programs/...`: programs, their lines and part overrides, availability and pricing.
use std::str::FromStr;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::IntoParams;

use super::input::{OverrideBody, ProgramBody, ProgramLineBody};
use super::paging::{page_request, paged};
use super::schema::{self, PartOverride, Program, ProgramLine};
use crate::rest::drf::body::{checked, Body, Partial, PartialWithErrors, WithErrors};
use crate::rest::drf::{
    bad_request, json_response, no_content, Id, Ids, Paging, Query, RestResult, User,
};
use crate::rest::inventree::schema::{BadRequest, Detail};
use crate::state::AppState;

/// The filter of `GET /v1/programs/`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ProgramQuery {
    /// draft, approved or complete.
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/v1/programs/", tag = "cofactr", params(ProgramQuery, Paging),
    responses((status = 200, body = schema::Page<Program>), (status = 401, body = Detail)))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    Query(query, params): Query<ProgramQuery>,
) -> RestResult {
    let (request, limit, offset) = page_request(&params)?;
    let page = service::program::list(&state.db, &p, query.status, request).await?;
    let page = page.map(schema::program);
    Ok(paged(
        &headers,
        "/v1/programs/",
        &params,
        limit,
        offset,
        page,
    ))
}

#[utoipa::path(post, path = "/v1/programs/", tag = "cofactr", request_body = ProgramBody,
    responses((status = 201, body = Program), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn create(
    State(state): State<AppState>,
    User(p): User,
    Body(body): Body<ProgramBody>,
) -> RestResult {
    let program = service::program::create(&state.db, &p, body.into()).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &schema::program(program),
    ))
}

#[utoipa::path(get, path = "/v1/programs/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Program), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn detail(State(state): State<AppState>, User(p): User, Id(id): Id) -> RestResult {
    let program = service::program::get(&state.db, &p, id).await?;
    Ok(json_response(StatusCode::OK, &schema::program(program)))
}

#[utoipa::path(patch, path = "/v1/programs/{id}/", tag = "cofactr", params(("id" = i32, Path)), request_body = ProgramBody,
    responses((status = 200, body = Program), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn update(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Partial(body): Partial<ProgramBody>,
) -> RestResult {
    let program = service::program::update(&state.db, &p, id, body.into()).await?;
    Ok(json_response(StatusCode::OK, &schema::program(program)))
}

#[utoipa::path(delete, path = "/v1/programs/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 204), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn destroy(State(state): State<AppState>, User(p): User, Id(id): Id) -> RestResult {
    service::program::delete(&state.db, &p, id).await?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/v1/programs/{id}/availabilities/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = service::availability::Availability, description = "Per part: demand, stock, what to buy, what is short, a status (on_hand, buyable, needs_rfq, shortage, no_match) and why"),
              (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn availabilities(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
) -> RestResult {
    let report = service::availability::availability(&state.db, &p, id).await?;
    Ok(json_response(StatusCode::OK, &report))
}

#[utoipa::path(get, path = "/v1/programs/{id}/availabilities/async/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = String, content_type = "application/json", description = "The job id, a JSON string"), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn availabilities_async(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
) -> RestResult {
    let job = service::job::enqueue_availability(&state.db, &p, id).await?;
    Ok(json_response(StatusCode::OK, &job.id.to_string()))
}

/// The build quantities of `GET /v1/programs/{id}/reference_pricing/`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PricingQuery {
    /// Build quantities, comma-separated; default 1,10,100,1000
    pub quantities: Option<String>,
}

impl PricingQuery {
    fn quantities(&self) -> Result<Vec<Decimal>, crate::rest::drf::RestError> {
        match self.quantities.as_deref().filter(|s| !s.trim().is_empty()) {
            None => Ok(Vec::new()),
            Some(s) => s
                .split(',')
                .map(|q| Decimal::from_str(q.trim()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| bad_request("quantities", "Give numbers separated by commas.")),
        }
    }
}

#[utoipa::path(get, path = "/v1/programs/{id}/reference_pricing/", tag = "cofactr",
    params(("id" = i32, Path), PricingQuery),
    responses((status = 200, body = Vec<service::availability::PricingAtQuantity>, description = "Per build quantity: the parts' purchases, totals and per-unit cost per currency"),
              (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn reference_pricing(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Query(query, _): Query<PricingQuery>,
) -> RestResult {
    let quantities = query.quantities()?;
    let rows = service::availability::reference_pricing(&state.db, &p, id, &quantities).await?;
    Ok(json_response(StatusCode::OK, &rows))
}

#[utoipa::path(get, path = "/v1/programs/{id}/lines/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Vec<ProgramLine>), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn lines(State(state): State<AppState>, User(p): User, Id(id): Id) -> RestResult {
    let rows = service::program::lines(&state.db, &p, id).await?;
    let rows: Vec<ProgramLine> = rows.into_iter().map(schema::program_line).collect();
    Ok(json_response(StatusCode::OK, &rows))
}

#[utoipa::path(post, path = "/v1/programs/{id}/lines/", tag = "cofactr", params(("id" = i32, Path)), request_body = ProgramLineBody,
    responses((status = 201, body = ProgramLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn add_line(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Body(line): Body<ProgramLineBody>,
) -> RestResult {
    let line = service::program::add_line(&state.db, &p, id, line.into()).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &schema::program_line(line),
    ))
}

#[utoipa::path(get, path = "/v1/programs/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)),
    responses((status = 200, body = ProgramLine), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_detail(
    State(state): State<AppState>,
    User(p): User,
    Ids(program, line): Ids,
) -> RestResult {
    let line = service::program::line_of(&state.db, &p, program, line).await?;
    Ok(json_response(StatusCode::OK, &schema::program_line(line)))
}

/// The line is looked up first; its BOM is fixed, so only the quantity and
/// `follow_latest` change, and a body with neither changes nothing.
#[utoipa::path(patch, path = "/v1/programs/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)), request_body = ProgramLineBody,
    responses((status = 200, body = ProgramLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_update(
    State(state): State<AppState>,
    User(p): User,
    Ids(program, line): Ids,
    WithErrors(change, errors): PartialWithErrors<ProgramLineBody>,
) -> RestResult {
    let current = service::program::line_of(&state.db, &p, program, line).await?;
    checked(errors)?;
    let input = service::program::LineInput {
        bom_id: None,
        ..change.into()
    };
    if input.quantity.is_none() && input.follow_latest.is_none() {
        return Ok(json_response(
            StatusCode::OK,
            &schema::program_line(current),
        ));
    }
    let line = service::program::update_line(&state.db, &p, current.id, input).await?;
    Ok(json_response(StatusCode::OK, &schema::program_line(line)))
}

#[utoipa::path(delete, path = "/v1/programs/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)),
    responses((status = 204), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_destroy(
    State(state): State<AppState>,
    User(p): User,
    Ids(program, line): Ids,
) -> RestResult {
    let current = service::program::line_of(&state.db, &p, program, line).await?;
    service::program::remove_line(&state.db, &p, current.id).await?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/v1/programs/{id}/part_overrides/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Vec<PartOverride>), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn overrides(State(state): State<AppState>, User(p): User, Id(id): Id) -> RestResult {
    let rows = service::program::overrides(&state.db, &p, id).await?;
    let rows: Vec<PartOverride> = rows.into_iter().map(schema::part_override).collect();
    Ok(json_response(StatusCode::OK, &rows))
}

#[utoipa::path(post, path = "/v1/programs/{id}/part_overrides/", tag = "cofactr", params(("id" = i32, Path)), request_body = OverrideBody,
    responses((status = 201, body = PartOverride), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn add_override(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Body(body): Body<OverrideBody>,
) -> RestResult {
    let o = service::program::add_override(&state.db, &p, id, body.into()).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &schema::part_override(o),
    ))
}

#[utoipa::path(get, path = "/v1/programs/{id}/part_overrides/{override_id}/", tag = "cofactr", params(("id" = i32, Path), ("override_id" = i32, Path)),
    responses((status = 200, body = PartOverride), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn override_detail(
    State(state): State<AppState>,
    User(p): User,
    Ids(program, id): Ids,
) -> RestResult {
    let o = service::program::override_of(&state.db, &p, program, id).await?;
    Ok(json_response(StatusCode::OK, &schema::part_override(o)))
}

/// The override is looked up first, so one of another program is a 404 whatever the body.
#[utoipa::path(patch, path = "/v1/programs/{id}/part_overrides/{override_id}/", tag = "cofactr", params(("id" = i32, Path), ("override_id" = i32, Path)), request_body = OverrideBody,
    responses((status = 200, body = PartOverride), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn override_update(
    State(state): State<AppState>,
    User(p): User,
    Ids(program, id): Ids,
    WithErrors(change, errors): PartialWithErrors<OverrideBody>,
) -> RestResult {
    let current = service::program::override_of(&state.db, &p, program, id).await?;
    checked(errors)?;
    let o = service::program::update_override(&state.db, &p, current.id, change.into()).await?;
    Ok(json_response(StatusCode::OK, &schema::part_override(o)))
}

#[utoipa::path(delete, path = "/v1/programs/{id}/part_overrides/{override_id}/", tag = "cofactr", params(("id" = i32, Path), ("override_id" = i32, Path)),
    responses((status = 204), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn override_destroy(
    State(state): State<AppState>,
    User(p): User,
    Ids(program, id): Ids,
) -> RestResult {
    let current = service::program::override_of(&state.db, &p, program, id).await?;
    service::program::remove_override(&state.db, &p, current.id).await?;
    Ok(no_content())
}
