//! A minimal `/api/part/`: enough for clients to create and find the parts their BOMs use.
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};

use super::input::{PartQuery, PartWrite};
use super::schema::{self, Part, PartList};
use crate::rest::drf::body::{Body, Partial};
use crate::rest::drf::{
    json_response, no_content, FieldNames, Id, NamedResult, Paging, Query, User,
};
use crate::rest::page::{check_unpaginated, list_request, listed};
use crate::state::AppState;

/// Service field names as a Part calls them.
pub struct PartNames;

impl FieldNames for PartNames {
    fn rename(field: &str) -> String {
        match field {
            "ipn" => "IPN".into(),
            "mpn" => "MPN".into(),
            "is_virtual" => "virtual".into(),
            other => other.into(),
        }
    }
}

type PartResult = NamedResult<PartNames>;

#[utoipa::path(get, path = "/api/part/", tag = "part", params(PartQuery, Paging),
    responses((status = 200, body = PartList), (status = 401, body = schema::Detail)))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    Query(query, params): Query<PartQuery>,
) -> PartResult {
    let (paging, request) = list_request(&params)?;
    let page = service::part::list(&state.db, &p, &query.into(), request).await?;
    check_unpaginated(paging, page.total)?;
    let items: Vec<Part> = page.items.iter().map(schema::part_full).collect();
    let body = listed(&headers, "/api/part/", &params, paging, page.total, items);
    Ok(json_response(StatusCode::OK, &body))
}

#[utoipa::path(post, path = "/api/part/", tag = "part", request_body = PartWrite,
    responses((status = 201, body = Part), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn create(
    State(state): State<AppState>,
    User(p): User,
    Body(part): Body<PartWrite>,
) -> PartResult {
    let part = service::part::create(&state.db, &p, part.into()).await?;
    Ok(json_response(
        StatusCode::CREATED,
        &schema::part_full(&part),
    ))
}

#[utoipa::path(get, path = "/api/part/{id}/", tag = "part", params(("id" = i32, Path)),
    responses((status = 200, body = Part), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn detail(State(state): State<AppState>, User(p): User, Id(id): Id) -> PartResult {
    let part = service::part::get(&state.db, &p, id).await?;
    Ok(json_response(StatusCode::OK, &schema::part_full(&part)))
}

#[utoipa::path(patch, path = "/api/part/{id}/", tag = "part", params(("id" = i32, Path)), request_body = PartWrite,
    responses((status = 200, body = Part), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn patch(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Partial(part): Partial<PartWrite>,
) -> PartResult {
    let part = service::part::update(&state.db, &p, id, part.into()).await?;
    Ok(json_response(StatusCode::OK, &schema::part_full(&part)))
}

#[utoipa::path(put, path = "/api/part/{id}/", tag = "part", params(("id" = i32, Path)), request_body = PartWrite,
    responses((status = 200, body = Part), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn put(
    state: State<AppState>,
    user: User,
    id: Id,
    Body(part): Body<PartWrite>,
) -> PartResult {
    patch(state, user, id, Partial(part)).await
}

#[utoipa::path(delete, path = "/api/part/{id}/", tag = "part", params(("id" = i32, Path)),
    responses((status = 204), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn destroy(State(state): State<AppState>, User(p): User, Id(id): Id) -> PartResult {
    service::part::delete(&state.db, &p, id).await?;
    Ok(no_content())
}
