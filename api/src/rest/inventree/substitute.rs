//! `/api/bom/substitute/...`: a BomItemSubstitute is a substitute of a BOM line.
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use service::metadata::{MetadataMode, Target};

use super::bom::{read_metadata, write_metadata, BomResult};
use super::input::{MetadataWrite, SubstituteQuery, SubstituteWrite};
use super::schema::{self, BomItemSubstitute, BomItemSubstituteList, Metadata};
use crate::rest::drf::body::{Body, Partial};
use crate::rest::drf::{
    json_response, no_content, FieldNames, Id, NamedError, NamedResult, Paging, Query, User,
};
use crate::rest::page::{check_unpaginated, list_request, listed};
use crate::state::AppState;

/// Service field names as a BomItemSubstitute calls them.
pub struct SubstituteNames;

impl FieldNames for SubstituteNames {
    fn rename(field: &str) -> String {
        match field {
            "part_id" => "part".into(),
            "bom_line_id" => "bom_item".into(),
            other => other.into(),
        }
    }
}

type SubstituteResult = NamedResult<SubstituteNames>;

/// Substitutes as BomItemSubstitutes, each with its part's brief.
async fn render(
    state: &AppState,
    p: &service::auth::Principal,
    subs: &[entity::substitute::Model],
) -> Result<Vec<BomItemSubstitute>, NamedError<SubstituteNames>> {
    let ids: Vec<i32> = subs.iter().map(|s| s.part_id).collect();
    let parts = service::part::by_ids(&state.db, p, &ids).await?;
    Ok(subs
        .iter()
        .map(|s| schema::substitute_item(s, parts.iter().find(|x| x.id == s.part_id)))
        .collect())
}

/// One substitute answered with `status`.
async fn answer(
    state: &AppState,
    p: &service::auth::Principal,
    sub: entity::substitute::Model,
    status: StatusCode,
) -> SubstituteResult {
    let mut out = render(state, p, std::slice::from_ref(&sub)).await?;
    Ok(json_response(status, &out.pop()))
}

#[utoipa::path(get, path = "/api/bom/substitute/", tag = "bom", params(SubstituteQuery, Paging),
    responses((status = 200, body = BomItemSubstituteList), (status = 401, body = schema::Detail)))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    Query(query, params): Query<SubstituteQuery>,
) -> SubstituteResult {
    let (paging, request) = list_request(&params)?;
    let (line, part) = (query.bom_item(), query.part());
    let page = service::substitute::list(&state.db, &p, line, part, request).await?;
    check_unpaginated(paging, page.total)?;
    let items = render(&state, &p, &page.items).await?;
    let path = "/api/bom/substitute/";
    let body = listed(&headers, path, &params, paging, page.total, items);
    Ok(json_response(StatusCode::OK, &body))
}

#[utoipa::path(post, path = "/api/bom/substitute/", tag = "bom", request_body = SubstituteWrite,
    responses((status = 201, body = BomItemSubstitute), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn create(
    State(state): State<AppState>,
    User(p): User,
    Body(body): Body<SubstituteWrite>,
) -> SubstituteResult {
    let (line, part) = (body.bom_item.or_default(), body.part.or_default());
    let sub = service::substitute::add(&state.db, &p, line, part, None).await?;
    answer(&state, &p, sub, StatusCode::CREATED).await
}

#[utoipa::path(get, path = "/api/bom/substitute/{id}/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 200, body = BomItemSubstitute), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn detail(State(state): State<AppState>, User(p): User, Id(id): Id) -> SubstituteResult {
    let sub = service::substitute::get(&state.db, &p, id).await?;
    answer(&state, &p, sub, StatusCode::OK).await
}

#[utoipa::path(patch, path = "/api/bom/substitute/{id}/", tag = "bom", params(("id" = i32, Path)), request_body = SubstituteWrite,
    responses((status = 200, body = BomItemSubstitute), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn patch(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Partial(body): Partial<SubstituteWrite>,
) -> SubstituteResult {
    let (line, part) = (body.bom_item.get(), body.part.get());
    let sub = service::substitute::update(&state.db, &p, id, line, part).await?;
    answer(&state, &p, sub, StatusCode::OK).await
}

#[utoipa::path(put, path = "/api/bom/substitute/{id}/", tag = "bom", params(("id" = i32, Path)), request_body = SubstituteWrite,
    responses((status = 200, body = BomItemSubstitute), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn put(
    state: State<AppState>,
    user: User,
    id: Id,
    Body(body): Body<SubstituteWrite>,
) -> SubstituteResult {
    patch(state, user, id, Partial(body)).await
}

#[utoipa::path(delete, path = "/api/bom/substitute/{id}/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 204), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn destroy(State(state): State<AppState>, User(p): User, Id(id): Id) -> SubstituteResult {
    service::substitute::remove(&state.db, &p, id).await?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/api/bom/substitute/{id}/metadata/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 200, body = Metadata), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_get(State(state): State<AppState>, User(p): User, Id(id): Id) -> BomResult {
    read_metadata(&state, &p, Target::Substitute, id).await
}

#[utoipa::path(patch, path = "/api/bom/substitute/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = MetadataWrite,
    responses((status = 200, body = Metadata), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_patch(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Partial(body): Partial<MetadataWrite>,
) -> BomResult {
    write_metadata(
        &state,
        &p,
        Target::Substitute,
        id,
        body,
        MetadataMode::Merge,
    )
    .await
}

#[utoipa::path(put, path = "/api/bom/substitute/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = MetadataWrite,
    responses((status = 200, body = Metadata), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_put(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Body(body): Body<MetadataWrite>,
) -> BomResult {
    write_metadata(
        &state,
        &p,
        Target::Substitute,
        id,
        body,
        MetadataMode::Replace,
    )
    .await
}
