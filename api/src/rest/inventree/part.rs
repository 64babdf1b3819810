//! A minimal `/api/part/`: enough for clients to create and find the parts their BOMs use.
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use service::part::{PartFilter, PartInput};

use super::schema::{self, PaginatedPartList, Part, PartList};
use crate::rest::drf::{
    body_object, flag, json_response, no_content, params_of, path_id, service_error, Fields,
    RestError, RestResult, User,
};
use crate::rest::page::{check_unpaginated, list_request, page_links};
use crate::state::AppState;

pub fn rename(field: &str) -> String {
    match field {
        "ipn" => "IPN".into(),
        "mpn" => "MPN".into(),
        "is_virtual" => "virtual".into(),
        other => other.into(),
    }
}

fn err(e: service::ServiceError) -> RestError {
    service_error(e, rename)
}

#[utoipa::path(get, path = "/api/part/", tag = "part",
    params(("search" = Option<String>, Query), ("active" = Option<bool>, Query), ("assembly" = Option<bool>, Query),
           ("component" = Option<bool>, Query), ("is_template" = Option<bool>, Query), ("trackable" = Option<bool>, Query),
           ("purchaseable" = Option<bool>, Query), ("salable" = Option<bool>, Query), ("virtual" = Option<bool>, Query),
           ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, body = PartList), (status = 401, body = schema::Detail)))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> RestResult {
    let params = params_of(q.as_deref());
    let filter = PartFilter {
        search: params.get("search").cloned(),
        active: flag(&params, "active"),
        assembly: flag(&params, "assembly"),
        component: flag(&params, "component"),
        purchaseable: flag(&params, "purchaseable"),
        salable: flag(&params, "salable"),
        trackable: flag(&params, "trackable"),
        is_virtual: flag(&params, "virtual"),
        is_template: flag(&params, "is_template"),
        ..Default::default()
    };
    let (paging, request) = list_request(&params)?;
    let page = service::part::list(&state.db, &p, &filter, request)
        .await
        .map_err(err)?;
    check_unpaginated(paging, page.total)?;
    let items: Vec<Part> = page.items.iter().map(schema::part_full).collect();
    let body = match paging {
        None => PartList::All(items),
        Some((limit, offset)) => {
            let (next, previous) =
                page_links(&headers, "/api/part/", &params, limit, offset, page.total);
            PartList::Page(PaginatedPartList {
                count: page.total,
                next,
                previous,
                results: items,
            })
        }
    };
    Ok(json_response(StatusCode::OK, &body))
}

fn part_input(f: &mut Fields) -> PartInput {
    PartInput {
        name: f.string("name"),
        ipn: f.nullable_string("IPN").map(Option::unwrap_or_default),
        description: f.string("description"),
        mpn: f.string("MPN"),
        manufacturer: f.string("manufacturer"),
        revision: f.nullable_string("revision").map(Option::unwrap_or_default),
        units: f.nullable_string("units").map(Option::unwrap_or_default),
        keywords: f.nullable_string("keywords").map(Option::unwrap_or_default),
        link: f.nullable_string("link").map(Option::unwrap_or_default),
        active: f.boolean("active"),
        assembly: f.boolean("assembly"),
        component: f.boolean("component"),
        purchaseable: f.boolean("purchaseable"),
        salable: f.boolean("salable"),
        trackable: f.boolean("trackable"),
        is_virtual: f.boolean("virtual"),
        is_template: f.boolean("is_template"),
        variant_of: f.nullable_pk("variant_of"),
        team_id: f.pk("team_id"),
        ..Default::default()
    }
}

#[utoipa::path(post, path = "/api/part/", tag = "part", request_body = Part,
    responses((status = 201, body = Part), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn create(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("name");
    let input = part_input(&mut f);
    f.finish(rename)?;
    let part = service::part::create(&state.db, &p, input)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::CREATED,
        &schema::part_full(&part),
    ))
}

#[utoipa::path(get, path = "/api/part/{id}/", tag = "part", params(("id" = i32, Path)),
    responses((status = 200, body = Part), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn detail(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let part = service::part::get(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::part_full(&part)))
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
        f.require("name");
    }
    let input = part_input(&mut f);
    f.finish(rename)?;
    let part = service::part::update(&state.db, &p, id, input)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::part_full(&part)))
}

#[utoipa::path(patch, path = "/api/part/{id}/", tag = "part", params(("id" = i32, Path)), request_body = Part,
    responses((status = 200, body = Part), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn patch(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    update(state, p, id, body, false).await
}

#[utoipa::path(put, path = "/api/part/{id}/", tag = "part", params(("id" = i32, Path)), request_body = Part,
    responses((status = 200, body = Part), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn put(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    update(state, p, id, body, true).await
}

#[utoipa::path(delete, path = "/api/part/{id}/", tag = "part", params(("id" = i32, Path)),
    responses((status = 204), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn destroy(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    service::part::delete(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(no_content())
}
