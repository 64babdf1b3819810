//! `/api/bom/substitute/...`: a BomItemSubstitute is a substitute of a BOM line.
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use service::metadata::{MetadataMode, Target};

use super::bom::{read_metadata, write_metadata};
use super::schema::{
    self, BomItemSubstitute, BomItemSubstituteList, Metadata, PaginatedBomItemSubstituteList,
};
use crate::rest::drf::{
    body_object, json_response, no_content, params_of, path_id, service_error, Fields, RestError,
    RestResult, User,
};
use crate::rest::page::{check_unpaginated, list_request, page_links};
use crate::state::AppState;

pub fn rename(field: &str) -> String {
    match field {
        "part_id" => "part".into(),
        "bom_line_id" => "bom_item".into(),
        other => other.into(),
    }
}

fn err(e: service::ServiceError) -> RestError {
    service_error(e, rename)
}

async fn render(
    state: &AppState,
    p: &service::auth::Principal,
    subs: &[entity::substitute::Model],
) -> Result<Vec<BomItemSubstitute>, RestError> {
    let ids: Vec<i32> = subs.iter().map(|s| s.part_id).collect();
    let parts = service::part::by_ids(&state.db, p, &ids)
        .await
        .map_err(err)?;
    Ok(subs
        .iter()
        .map(|s| schema::substitute_item(s, parts.iter().find(|x| x.id == s.part_id)))
        .collect())
}

#[utoipa::path(get, path = "/api/bom/substitute/", tag = "bom",
    params(("bom_item" = Option<i32>, Query), ("part" = Option<i32>, Query), ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, body = BomItemSubstituteList), (status = 401, body = schema::Detail)))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> RestResult {
    let params = params_of(q.as_deref());
    // An id that is not a number matches nothing, as Django's filter would.
    let id_param = |k: &str| {
        params
            .get(k)
            .filter(|v| !v.is_empty())
            .map(|v| v.trim().parse::<i32>().unwrap_or(-1))
    };
    let (paging, request) = list_request(&params)?;
    let page = service::substitute::list(
        &state.db,
        &p,
        id_param("bom_item"),
        id_param("part"),
        request,
    )
    .await
    .map_err(err)?;
    check_unpaginated(paging, page.total)?;
    let items = render(&state, &p, &page.items).await?;
    let body = match paging {
        None => BomItemSubstituteList::All(items),
        Some((limit, offset)) => {
            let (next, previous) = page_links(
                &headers,
                "/api/bom/substitute/",
                &params,
                limit,
                offset,
                page.total,
            );
            BomItemSubstituteList::Page(PaginatedBomItemSubstituteList {
                count: page.total,
                next,
                previous,
                results: items,
            })
        }
    };
    Ok(json_response(StatusCode::OK, &body))
}

#[utoipa::path(post, path = "/api/bom/substitute/", tag = "bom", request_body = BomItemSubstitute,
    responses((status = 201, body = BomItemSubstitute), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn create(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("bom_item");
    f.require("part");
    let (line, part) = (f.pk("bom_item"), f.pk("part"));
    f.finish(rename)?;
    let sub = service::substitute::add(
        &state.db,
        &p,
        line.unwrap_or_default(),
        part.unwrap_or_default(),
        None,
    )
    .await
    .map_err(err)?;
    let mut out = render(&state, &p, std::slice::from_ref(&sub)).await?;
    Ok(json_response(StatusCode::CREATED, &out.pop()))
}

#[utoipa::path(get, path = "/api/bom/substitute/{id}/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 200, body = BomItemSubstitute), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn detail(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let sub = service::substitute::get(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    let mut out = render(&state, &p, std::slice::from_ref(&sub)).await?;
    Ok(json_response(StatusCode::OK, &out.pop()))
}

async fn update(
    state: AppState,
    p: std::sync::Arc<service::auth::Principal>,
    id: String,
    body: Bytes,
    full: bool,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    if full {
        f.require("bom_item");
        f.require("part");
    }
    let (line, part) = (f.pk("bom_item"), f.pk("part"));
    f.finish(rename)?;
    let sub = service::substitute::update(&state.db, &p, id, line, part)
        .await
        .map_err(err)?;
    let mut out = render(&state, &p, std::slice::from_ref(&sub)).await?;
    Ok(json_response(StatusCode::OK, &out.pop()))
}

#[utoipa::path(patch, path = "/api/bom/substitute/{id}/", tag = "bom", params(("id" = i32, Path)), request_body = BomItemSubstitute,
    responses((status = 200, body = BomItemSubstitute), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn patch(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    update(state, p, id, body, false).await
}

#[utoipa::path(put, path = "/api/bom/substitute/{id}/", tag = "bom", params(("id" = i32, Path)), request_body = BomItemSubstitute,
    responses((status = 200, body = BomItemSubstitute), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn put(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    update(state, p, id, body, true).await
}

#[utoipa::path(delete, path = "/api/bom/substitute/{id}/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 204), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn destroy(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    service::substitute::remove(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(no_content())
}

#[utoipa::path(get, path = "/api/bom/substitute/{id}/metadata/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 200, body = Metadata), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_get(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    read_metadata(&state, &p, Target::Substitute, &id).await
}

#[utoipa::path(patch, path = "/api/bom/substitute/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = Metadata,
    responses((status = 200, body = Metadata), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_patch(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    write_metadata(
        &state,
        &p,
        Target::Substitute,
        &id,
        &body,
        MetadataMode::Merge,
    )
    .await
}

#[utoipa::path(put, path = "/api/bom/substitute/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = Metadata,
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
        Target::Substitute,
        &id,
        &body,
        MetadataMode::Replace,
    )
    .await
}
