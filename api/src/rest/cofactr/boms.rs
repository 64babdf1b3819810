//! `/v1/boms/...` and the async upsert: Cofactr's view of BOMs and their lines.
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use service::bom::{BomInput, DeleteOutcome};
use service::bom_line::{LineFilter, LineOrder, LineOrderField};

use super::input::{raw_lines, BomBody, BomQuery, CatalogueLine, RawLineBody, Unread, UpsertBody};
use super::paging::{page_request, paged};
use super::schema::{self, Bom, BomLine, Page};
use crate::rest::drf::body::{checked, Body, Items, Partial, PartialWithErrors, WithErrors};
use crate::rest::drf::{json_response, no_content, Id, Ids, Paging, Query, RestResult, User};
use crate::rest::inventree::schema::{BadRequest, Detail};
use crate::state::AppState;

/// Lines are listed as in their source BOM.
const SOURCE_ORDER: LineOrder = LineOrder {
    field: LineOrderField::LineNumber,
    descending: false,
};

#[utoipa::path(get, path = "/v1/boms/", tag = "cofactr", params(BomQuery, Paging),
    responses((status = 200, body = Page<Bom>), (status = 401, body = Detail)))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    Query(query, params): Query<BomQuery>,
) -> RestResult {
    let (request, limit, offset) = page_request(&params)?;
    let page = service::bom::list(&state.db, &p, &query.filter(), request)
        .await?
        .map(schema::bom);
    Ok(paged(&headers, "/v1/boms/", &params, limit, offset, page))
}

#[utoipa::path(post, path = "/v1/boms/", tag = "cofactr", request_body = BomBody<Items<CatalogueLine>>,
    responses((status = 201, body = Bom), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn create(
    State(state): State<AppState>,
    User(p): User,
    Body(mut body): Body<BomBody<Items<CatalogueLine>>>,
) -> RestResult {
    let lines = std::mem::take(&mut body.lines).0;
    let input = BomInput {
        lines: Some(lines.into_iter().map(CatalogueLine::input).collect()),
        ..body.input()
    };
    let bom = service::bom::create(&state.db, &p, input).await?;
    Ok(json_response(StatusCode::CREATED, &schema::bom(bom)))
}

#[utoipa::path(post, path = "/v1/boms/raw/", tag = "cofactr", request_body = BomBody<Items<RawLineBody>>,
    responses((status = 201, body = Bom), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn create_raw(
    State(state): State<AppState>,
    User(p): User,
    Body(mut body): Body<BomBody<Items<RawLineBody>>>,
) -> RestResult {
    let lines = raw_lines(std::mem::take(&mut body.lines));
    let bom = service::raw_bom::create_bom(&state.db, &p, body.input(), lines).await?;
    Ok(json_response(StatusCode::CREATED, &schema::bom(bom)))
}

#[utoipa::path(get, path = "/v1/boms/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Bom), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn detail(State(state): State<AppState>, User(p): User, Id(id): Id) -> RestResult {
    let bom = service::bom::get(&state.db, &p, id).await?;
    Ok(json_response(StatusCode::OK, &schema::bom(bom)))
}

#[utoipa::path(patch, path = "/v1/boms/{id}/", tag = "cofactr", params(("id" = i32, Path)), request_body = BomBody<Unread>,
    responses((status = 200, body = Bom), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn update(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Partial(body): Partial<BomBody<Unread>>,
) -> RestResult {
    let bom = service::bom::update(&state.db, &p, id, body.input()).await?;
    Ok(json_response(StatusCode::OK, &schema::bom(bom)))
}

/// An unapproved BOM is deleted (204); an approved one is archived and returned (200).
#[utoipa::path(delete, path = "/v1/boms/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 204, description = "Deleted"), (status = 200, body = Bom, description = "Approved, so archived"),
              (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn destroy(State(state): State<AppState>, User(p): User, Id(id): Id) -> RestResult {
    match service::bom::delete(&state.db, &p, id).await? {
        DeleteOutcome::Deleted => Ok(no_content()),
        DeleteOutcome::Archived => {
            let bom = service::bom::get(&state.db, &p, id).await?;
            Ok(json_response(StatusCode::OK, &schema::bom(bom)))
        }
    }
}

#[utoipa::path(post, path = "/v1/boms/{id}/approve/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Bom), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn approve(State(state): State<AppState>, User(p): User, Id(id): Id) -> RestResult {
    let bom = service::bom::approve(&state.db, &p, id).await?;
    Ok(json_response(StatusCode::OK, &schema::bom(bom)))
}

#[utoipa::path(get, path = "/v1/boms/{id}/lines/", tag = "cofactr", params(("id" = i32, Path), Paging),
    responses((status = 200, body = Page<BomLine>), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn lines(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    headers: HeaderMap,
    Query(Paging { .. }, params): Query<Paging>,
) -> RestResult {
    service::bom::get(&state.db, &p, id).await?;
    let (request, limit, offset) = page_request(&params)?;
    let filter = LineFilter {
        bom_id: Some(id),
        ..Default::default()
    };
    let page = service::bom_line::list(&state.db, &p, &filter, &[SOURCE_ORDER], request).await?;
    let path = format!("/v1/boms/{id}/lines/");
    Ok(paged(
        &headers,
        &path,
        &params,
        limit,
        offset,
        page.map(schema::line),
    ))
}

#[utoipa::path(post, path = "/v1/boms/{id}/lines/", tag = "cofactr", params(("id" = i32, Path)), request_body = CatalogueLine,
    responses((status = 201, body = BomLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn add_line(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Body(line): Body<CatalogueLine>,
) -> RestResult {
    let line = service::raw_bom::add_catalogue_line(&state.db, &p, id, line.input()).await?;
    Ok(json_response(StatusCode::CREATED, &schema::line(line)))
}

#[utoipa::path(post, path = "/v1/boms/{id}/lines/raw/", tag = "cofactr", params(("id" = i32, Path)), request_body = RawLineBody,
    responses((status = 201, body = BomLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn add_raw_line(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Body(raw): Body<RawLineBody>,
) -> RestResult {
    let line = service::raw_bom::add_line(&state.db, &p, id, raw.into()).await?;
    Ok(json_response(StatusCode::CREATED, &schema::line(line)))
}

#[utoipa::path(get, path = "/v1/boms/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)),
    responses((status = 200, body = BomLine), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_detail(
    State(state): State<AppState>,
    User(p): User,
    Ids(bom, line): Ids,
) -> RestResult {
    let line = service::bom_line::line_of(&state.db, &p, bom, line).await?;
    Ok(json_response(StatusCode::OK, &schema::line(line)))
}

/// The line is looked up first, so a line of another BOM is a 404 whatever the body.
#[utoipa::path(patch, path = "/v1/boms/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)), request_body = CatalogueLine,
    responses((status = 200, body = BomLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_update(
    State(state): State<AppState>,
    User(p): User,
    Ids(bom, line): Ids,
    WithErrors(change, errors): PartialWithErrors<CatalogueLine>,
) -> RestResult {
    let current = service::bom_line::line_of(&state.db, &p, bom, line).await?;
    checked(errors)?;
    let updated = service::bom_line::update(&state.db, &p, current.id, change.change()).await?;
    Ok(json_response(StatusCode::OK, &schema::line(updated)))
}

#[utoipa::path(delete, path = "/v1/boms/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)),
    responses((status = 204), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_destroy(
    State(state): State<AppState>,
    User(p): User,
    Ids(bom, line): Ids,
) -> RestResult {
    let current = service::bom_line::line_of(&state.db, &p, bom, line).await?;
    service::bom_line::remove(&state.db, &p, current.id).await?;
    Ok(no_content())
}

/// Checks the body at once (400 with field errors), queues the upsert and answers with
/// the job's id as a JSON string; `GET /v1/jobs/{id}/` follows it.
#[utoipa::path(put, path = "/v1/integrations/async_boms/", tag = "cofactr", request_body = UpsertBody,
    responses((status = 200, body = String, content_type = "application/json", description = "The job id, a JSON string"), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn upsert_async(
    State(state): State<AppState>,
    User(p): User,
    WithErrors(body, mut errors): WithErrors<UpsertBody>,
) -> RestResult {
    let body = service::raw_bom::UpsertBom::from(body);
    // the body's reading and its rules, reported together
    if let Err(service::ServiceError::Validation(rules)) = service::raw_bom::check_upsert(&body) {
        errors.extend_prefixed("", rules);
    }
    checked(errors)?;
    let job = service::job::enqueue_upsert(&state.db, &p, body).await?;
    Ok(json_response(StatusCode::OK, &job.id.to_string()))
}

/// The same upsert at the unversioned path Cofactr's integrations call.
#[utoipa::path(put, path = "/integrations/async_boms/", tag = "cofactr", request_body = UpsertBody,
    responses((status = 200, body = String, content_type = "application/json", description = "The job id, a JSON string"), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn upsert_async_unversioned(
    state: State<AppState>,
    user: User,
    body: WithErrors<UpsertBody>,
) -> RestResult {
    upsert_async(state, user, body).await
}
