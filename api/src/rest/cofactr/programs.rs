//! `/v1/programs/...`: programs, their lines and part overrides, availability and pricing.
use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use rust_decimal::Decimal;
use serde_json::Value;
use service::program::{LineInput, OverrideInput, ProgramInput};

use super::paging::{page_request, paged};
use super::schema::{self, PartOverride, Program, ProgramLine};
use crate::rest::drf::{
    bad_request, body_object, json_response, no_content, params_of, path_id, same_name,
    service_error, Fields, RestError, RestResult, User,
};
use crate::rest::inventree::schema::{BadRequest, Detail};
use crate::state::AppState;

fn err(e: service::ServiceError) -> RestError {
    service_error(e, same_name)
}

fn program_input(f: &mut Fields) -> ProgramInput {
    ProgramInput {
        team_id: f.pk("team_id"),
        name: f.string("name"),
        status: f.string("status"),
    }
}

#[utoipa::path(get, path = "/v1/programs/", tag = "cofactr",
    params(("status" = Option<String>, Query), ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, body = schema::Page<Program>), (status = 401, body = Detail)))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> RestResult {
    let params = params_of(q.as_deref());
    let (request, limit, offset) = page_request(&params)?;
    let page = service::program::list(&state.db, &p, params.get("status").cloned(), request)
        .await
        .map_err(err)?;
    Ok(paged(
        &headers,
        "/v1/programs/",
        &params,
        limit,
        offset,
        page.map(schema::program),
    ))
}

#[utoipa::path(post, path = "/v1/programs/", tag = "cofactr", request_body = Program,
    responses((status = 201, body = Program), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn create(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("name");
    let input = program_input(&mut f);
    f.finish(same_name)?;
    let program = service::program::create(&state.db, &p, input)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::CREATED,
        &schema::program(program),
    ))
}

#[utoipa::path(get, path = "/v1/programs/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Program), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn detail(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let program = service::program::get(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::program(program)))
}

#[utoipa::path(patch, path = "/v1/programs/{id}/", tag = "cofactr", params(("id" = i32, Path)), request_body = Program,
    responses((status = 200, body = Program), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn update(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    let input = program_input(&mut f);
    f.finish(same_name)?;
    let program = service::program::update(&state.db, &p, id, input)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::program(program)))
}

#[utoipa::path(delete, path = "/v1/programs/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 204), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn destroy(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    service::program::delete(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/v1/programs/{id}/availabilities/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = service::availability::Availability, description = "Per part: demand, stock, what to buy, what is short, a status (on_hand, buyable, needs_rfq, shortage, no_match) and why"),
              (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn availabilities(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let report = service::availability::availability(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &report))
}

#[utoipa::path(get, path = "/v1/programs/{id}/availabilities/async/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = String, content_type = "application/json", description = "The job id, a JSON string"), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn availabilities_async(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let job = service::job::enqueue_availability(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &job.id.to_string()))
}

#[utoipa::path(get, path = "/v1/programs/{id}/reference_pricing/", tag = "cofactr",
    params(("id" = i32, Path), ("quantities" = Option<String>, Query, description = "Build quantities, comma-separated; default 1,10,100,1000")),
    responses((status = 200, body = Vec<service::availability::PricingAtQuantity>, description = "Per build quantity: the parts' purchases, totals and per-unit cost per currency"),
              (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn reference_pricing(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> RestResult {
    let id = path_id(&id)?;
    let params = params_of(q.as_deref());
    let quantities = match params.get("quantities").filter(|s| !s.trim().is_empty()) {
        None => Vec::new(),
        Some(s) => s
            .split(',')
            .map(|q| Decimal::from_str(q.trim()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|_| bad_request("quantities", "Give numbers separated by commas."))?,
    };
    let rows = service::availability::reference_pricing(&state.db, &p, id, &quantities)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &rows))
}

#[utoipa::path(get, path = "/v1/programs/{id}/lines/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Vec<ProgramLine>), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn lines(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let rows = service::program::lines(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::OK,
        &rows
            .into_iter()
            .map(schema::program_line)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(post, path = "/v1/programs/{id}/lines/", tag = "cofactr", params(("id" = i32, Path)), request_body = ProgramLine,
    responses((status = 201, body = ProgramLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn add_line(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("bom_id");
    f.require("quantity");
    let input = LineInput {
        bom_id: f.pk("bom_id"),
        quantity: f.decimal("quantity"),
        follow_latest: f.boolean("follow_latest"),
    };
    f.finish(same_name)?;
    let line = service::program::add_line(&state.db, &p, id, input)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::CREATED,
        &schema::program_line(line),
    ))
}

async fn line_of(
    state: &AppState,
    p: &service::auth::Principal,
    program: &str,
    line: &str,
) -> Result<entity::program_line::Model, RestError> {
    service::program::line_of(&state.db, p, path_id(program)?, path_id(line)?)
        .await
        .map_err(err)
}

#[utoipa::path(get, path = "/v1/programs/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)),
    responses((status = 200, body = ProgramLine), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_detail(
    State(state): State<AppState>,
    User(p): User,
    Path((program, line)): Path<(String, String)>,
) -> RestResult {
    Ok(json_response(
        StatusCode::OK,
        &schema::program_line(line_of(&state, &p, &program, &line).await?),
    ))
}

#[utoipa::path(patch, path = "/v1/programs/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)), request_body = ProgramLine,
    responses((status = 200, body = ProgramLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_update(
    State(state): State<AppState>,
    User(p): User,
    Path((program, line)): Path<(String, String)>,
    body: Bytes,
) -> RestResult {
    let current = line_of(&state, &p, &program, &line).await?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    let input = LineInput {
        bom_id: None,
        quantity: f.decimal("quantity"),
        follow_latest: f.boolean("follow_latest"),
    };
    f.finish(same_name)?;
    if input.quantity.is_none() && input.follow_latest.is_none() {
        return Ok(json_response(
            StatusCode::OK,
            &schema::program_line(current),
        ));
    }
    let line = service::program::update_line(&state.db, &p, current.id, input)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::program_line(line)))
}

#[utoipa::path(delete, path = "/v1/programs/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)),
    responses((status = 204), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_destroy(
    State(state): State<AppState>,
    User(p): User,
    Path((program, line)): Path<(String, String)>,
) -> RestResult {
    let current = line_of(&state, &p, &program, &line).await?;
    service::program::remove_line(&state.db, &p, current.id)
        .await
        .map_err(err)?;
    Ok(no_content())
}

fn override_input(f: &mut Fields) -> OverrideInput {
    let decimal = |f: &mut Fields, k: &str| match f.data.get(k) {
        None => None,
        Some(Value::Null) => Some(None),
        Some(_) => f.decimal(k).map(Some),
    };
    OverrideInput {
        part_id: f.pk("part_id"),
        exclude: f.boolean("exclude"),
        replacement_part_id: f.nullable_pk("replacement_part_id"),
        on_hand_quantity: decimal(f, "on_hand_quantity"),
        unit_price: decimal(f, "unit_price"),
        currency: f.nullable_string("currency"),
    }
}

#[utoipa::path(get, path = "/v1/programs/{id}/part_overrides/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Vec<PartOverride>), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn overrides(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let rows = service::program::overrides(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::OK,
        &rows
            .into_iter()
            .map(schema::part_override)
            .collect::<Vec<_>>(),
    ))
}

#[utoipa::path(post, path = "/v1/programs/{id}/part_overrides/", tag = "cofactr", params(("id" = i32, Path)), request_body = PartOverride,
    responses((status = 201, body = PartOverride), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn add_override(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("part_id");
    let input = override_input(&mut f);
    f.finish(same_name)?;
    let o = service::program::add_override(&state.db, &p, id, input)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::CREATED,
        &schema::part_override(o),
    ))
}

async fn override_of(
    state: &AppState,
    p: &service::auth::Principal,
    program: &str,
    id: &str,
) -> Result<entity::part_override::Model, RestError> {
    service::program::override_of(&state.db, p, path_id(program)?, path_id(id)?)
        .await
        .map_err(err)
}

#[utoipa::path(get, path = "/v1/programs/{id}/part_overrides/{override_id}/", tag = "cofactr", params(("id" = i32, Path), ("override_id" = i32, Path)),
    responses((status = 200, body = PartOverride), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn override_detail(
    State(state): State<AppState>,
    User(p): User,
    Path((program, id)): Path<(String, String)>,
) -> RestResult {
    Ok(json_response(
        StatusCode::OK,
        &schema::part_override(override_of(&state, &p, &program, &id).await?),
    ))
}

#[utoipa::path(patch, path = "/v1/programs/{id}/part_overrides/{override_id}/", tag = "cofactr", params(("id" = i32, Path), ("override_id" = i32, Path)), request_body = PartOverride,
    responses((status = 200, body = PartOverride), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn override_update(
    State(state): State<AppState>,
    User(p): User,
    Path((program, id)): Path<(String, String)>,
    body: Bytes,
) -> RestResult {
    let current = override_of(&state, &p, &program, &id).await?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    let input = override_input(&mut f);
    f.finish(same_name)?;
    let o = service::program::update_override(&state.db, &p, current.id, input)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::part_override(o)))
}

#[utoipa::path(delete, path = "/v1/programs/{id}/part_overrides/{override_id}/", tag = "cofactr", params(("id" = i32, Path), ("override_id" = i32, Path)),
    responses((status = 204), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn override_destroy(
    State(state): State<AppState>,
    User(p): User,
    Path((program, id)): Path<(String, String)>,
) -> RestResult {
    let current = override_of(&state, &p, &program, &id).await?;
    service::program::remove_override(&state.db, &p, current.id)
        .await
        .map_err(err)?;
    Ok(no_content())
}
