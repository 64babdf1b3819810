//! BomItems written: create, bulk delete by ids or filters, update (PATCH and PUT) and
//! delete.
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde_json::{Map, Value};
use service::auth::Principal;
use service::bom_line::LineInput;

use super::filter::{is_filter_key, line_filter};
use super::item::{err, rename, render_one};
use crate::rest::drf::{
    body_object, json_response, no_content, path_id, Fields, Params, RestError, RestResult, User,
};
use crate::rest::inventree::schema::{self, BomItem, Details};
use crate::state::AppState;

/// A BomItem write: read-only and unknown keys are ignored (clients PATCH back what they read).
fn line_input(f: &mut Fields) -> LineInput {
    LineInput {
        assembly_part_id: f.pk("part"),
        part_id: f.pk("sub_part").map(Some),
        quantity: f.decimal("quantity"),
        reference: f.string("reference"),
        note: f.string("note"),
        overage: f.string("overage"),
        optional: f.boolean("optional"),
        consumable: f.boolean("consumable"),
        inherited: f.boolean("inherited"),
        allow_variants: f.boolean("allow_variants"),
        ..Default::default()
    }
}

#[utoipa::path(post, path = "/api/bom/", tag = "bom", request_body = BomItem,
    responses((status = 201, body = BomItem), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn create(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    for key in ["part", "sub_part", "quantity"] {
        f.require(key);
    }
    let input = line_input(&mut f);
    f.finish(rename)?;
    let assembly = input.assembly_part_id.unwrap_or_default();
    let line = service::bom_line::add_to_assembly(
        &state.db,
        &p,
        assembly,
        LineInput {
            assembly_part_id: None,
            ..input
        },
    )
    .await
    .map_err(err)?;
    Ok(json_response(
        StatusCode::CREATED,
        &render_one(&state, &p, &line, Details::default()).await?,
    ))
}

fn bulk_error(message: &str) -> RestError {
    crate::rest::drf::bad_request("non_field_errors", message)
}

/// Filters of a bulk delete, as query parameters; unknown keys are refused by name.
fn filters_as_params(filters: &Map<String, Value>) -> Result<Params, RestError> {
    let mut params = Params::new();
    for (k, v) in filters {
        if !is_filter_key(k) {
            return Err(crate::rest::drf::bad_request(
                "filters",
                format!("Unknown filter: '{k}'"),
            ));
        }
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(crate::rest::drf::bad_request(
                    "filters",
                    format!("Invalid value for filter '{k}'"),
                ))
            }
        };
        params.insert(k.clone(), text);
    }
    Ok(params)
}

#[utoipa::path(delete, path = "/api/bom/", tag = "bom", request_body = schema::BulkDelete,
    responses((status = 204), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn bulk_delete(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let items = match data.get("items") {
        None => None,
        Some(Value::Array(ids)) => Some(
            ids.iter()
                .map(|v| {
                    v.as_i64()
                        .and_then(|i| i32::try_from(i).ok())
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                })
                .collect::<Option<Vec<i32>>>()
                .ok_or_else(|| bulk_error("'items' must be a list of ids"))?,
        ),
        Some(_) => return Err(bulk_error("'items' must be supplied as a list object")),
    };
    let filter = match data.get("filters") {
        None => None,
        Some(Value::Object(m)) => Some(line_filter(&state, &p, &filters_as_params(m)?).await?),
        Some(_) => return Err(bulk_error("'filters' must be supplied as a dict object")),
    };
    // an empty list or an empty filter object asks for nothing, not for everything
    let items = items.filter(|i| !i.is_empty());
    let filter = match (filter, data.get("filters")) {
        (Some(f), Some(Value::Object(m))) if !m.is_empty() => Some(f),
        _ => None,
    };
    if items.is_none() && filter.is_none() {
        return Err(bulk_error(
            "List of items or filters must be provided for bulk deletion",
        ));
    }
    service::bom_line::remove_many(&state.db, &p, &items.unwrap_or_default(), filter.as_ref())
        .await
        .map_err(err)?;
    Ok(no_content())
}

async fn update(
    state: AppState,
    p: std::sync::Arc<Principal>,
    id: String,
    body: Bytes,
    full: bool,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    if full {
        for key in ["part", "sub_part", "quantity"] {
            f.require(key);
        }
    }
    let input = line_input(&mut f);
    f.finish(rename)?;
    let line = service::bom_line::update(&state.db, &p, id, input)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::OK,
        &render_one(&state, &p, &line, Details::default()).await?,
    ))
}

#[utoipa::path(patch, path = "/api/bom/{id}/", tag = "bom", params(("id" = i32, Path)), request_body = BomItem,
    responses((status = 200, body = BomItem), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn patch(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    update(state, p, id, body, false).await
}

#[utoipa::path(put, path = "/api/bom/{id}/", tag = "bom", params(("id" = i32, Path)), request_body = BomItem,
    responses((status = 200, body = BomItem), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn put(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    update(state, p, id, body, true).await
}

#[utoipa::path(delete, path = "/api/bom/{id}/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 204), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn destroy(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    service::bom_line::remove(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(no_content())
}
