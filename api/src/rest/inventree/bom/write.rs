//! BomItems written: create, bulk delete by ids or filters, update (PATCH and PUT) and
//! delete.
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value};
use service::bom_line::LineInput;

use super::filter::{is_filter_key, line_filter};
use super::item::{render_one, BomResult};
use crate::rest::drf::body::{Body, Field, Partial};
use crate::rest::drf::{
    bad_request, json_response, no_content, Id, Params, Query, RestError, User,
};
use crate::rest::inventree::input::BomItemWrite;
use crate::rest::inventree::schema::{self, BomItem, Details};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/bom/", tag = "bom", request_body = BomItemWrite,
    responses((status = 201, body = BomItem), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn create(
    State(state): State<AppState>,
    User(p): User,
    Body(item): Body<BomItemWrite>,
) -> BomResult {
    let input = item.input();
    let assembly = input.assembly_part_id.unwrap_or_default();
    let input = LineInput {
        assembly_part_id: None,
        ..input
    };
    let line = service::bom_line::add_to_assembly(&state.db, &p, assembly, input).await?;
    let item = render_one(&state, &p, &line, Details::default()).await?;
    Ok(json_response(StatusCode::CREATED, &item))
}

fn bulk_error(message: &str) -> RestError {
    bad_request("non_field_errors", message)
}

/// Filters of a bulk delete, as query parameters; unknown keys are refused by name.
fn filters_as_params(filters: &Map<String, Value>) -> Result<Params, RestError> {
    let mut params = Params::new();
    for (k, v) in filters {
        if !is_filter_key(k) {
            return Err(bad_request("filters", format!("Unknown filter: '{k}'")));
        }
        let text = match v {
            Value::String(s) => s.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            _ => {
                return Err(bad_request(
                    "filters",
                    format!("Invalid value for filter '{k}'"),
                ))
            }
        };
        params.insert(k.clone(), text);
    }
    Ok(params)
}

/// The body of a bulk delete: ids, filters, or both. Its errors are DRF's
/// `non_field_errors`, one at a time, as InvenTree's bulk delete answers them.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BulkDeleteBody {
    items: Field<Value>,
    filters: Field<Value>,
}

impl crate::rest::drf::body::Input for BulkDeleteBody {}

impl BulkDeleteBody {
    fn ids(&self) -> Result<Option<Vec<i32>>, RestError> {
        match &self.items.0 {
            None => Ok(None),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|v| {
                    v.as_i64()
                        .and_then(|i| i32::try_from(i).ok())
                        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
                })
                .collect::<Option<Vec<i32>>>()
                .map(Some)
                .ok_or_else(|| bulk_error("'items' must be a list of ids")),
            Some(_) => Err(bulk_error("'items' must be supplied as a list object")),
        }
    }
}

#[utoipa::path(delete, path = "/api/bom/", tag = "bom", request_body = schema::BulkDelete,
    responses((status = 204), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn bulk_delete(
    State(state): State<AppState>,
    User(p): User,
    Partial(body): Partial<BulkDeleteBody>,
) -> BomResult {
    let items = body.ids()?;
    let filter = match &body.filters.0 {
        None => None,
        Some(Value::Object(m)) => {
            let filters = Query::read(&filters_as_params(m)?)?;
            // an empty filter object asks for nothing, not for everything
            let filter = line_filter(&state, &p, filters).await?;
            (!m.is_empty()).then_some(filter)
        }
        Some(_) => return Err(bulk_error("'filters' must be supplied as a dict object").into()),
    };
    // an empty list asks for nothing, not for everything
    let items = items.filter(|i| !i.is_empty());
    if items.is_none() && filter.is_none() {
        return Err(
            bulk_error("List of items or filters must be provided for bulk deletion").into(),
        );
    }
    service::bom_line::remove_many(&state.db, &p, &items.unwrap_or_default(), filter.as_ref())
        .await?;
    Ok(no_content())
}

#[utoipa::path(patch, path = "/api/bom/{id}/", tag = "bom", params(("id" = i32, Path)), request_body = BomItemWrite,
    responses((status = 200, body = BomItem), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn patch(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Partial(item): Partial<BomItemWrite>,
) -> BomResult {
    let line = service::bom_line::update(&state.db, &p, id, item.input()).await?;
    let item = render_one(&state, &p, &line, Details::default()).await?;
    Ok(json_response(StatusCode::OK, &item))
}

#[utoipa::path(put, path = "/api/bom/{id}/", tag = "bom", params(("id" = i32, Path)), request_body = BomItemWrite,
    responses((status = 200, body = BomItem), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn put(
    state: State<AppState>,
    user: User,
    id: Id,
    Body(item): Body<BomItemWrite>,
) -> BomResult {
    patch(state, user, id, Partial(item)).await
}

#[utoipa::path(delete, path = "/api/bom/{id}/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 204), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn destroy(State(state): State<AppState>, User(p): User, Id(id): Id) -> BomResult {
    service::bom_line::remove(&state.db, &p, id).await?;
    Ok(no_content())
}
