//! `/api/bom/...`: BomItems are bomgraph's BOM lines seen from InvenTree. `part` is the
//! assembly whose BOM holds the line, `sub_part` the line's part, `pk` the line's id.
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};
use service::auth::Principal;
use service::bom_line::{LineFilter, LineInput, LineOrder, LineOrderField};
use service::metadata::{MetadataMode, Target};

use super::schema::{
    self, BomItem, BomItemList, BomItemValidation, Details, Metadata, PaginatedBomItemList,
};
use crate::rest::drf::{
    body_object, flag, json_response, no_content, params_of, path_id, service_error, Fields,
    Params, RestError, RestResult, User,
};
use crate::rest::page::{check_unpaginated, list_request, page_links};
use crate::state::AppState;

/// Service field names as a BomItem calls them.
pub fn rename(field: &str) -> String {
    match field {
        "part_id" => "sub_part".into(),
        "assembly_part_id" => "part".into(),
        other => other.into(),
    }
}

fn err(e: service::ServiceError) -> RestError {
    service_error(e, rename)
}

/// The list filters that take a boolean.
const BOOL_FILTERS: [&str; 12] = [
    "validated",
    "optional",
    "consumable",
    "inherited",
    "allow_variants",
    "has_pricing",
    "available_stock",
    "on_order",
    "part_active",
    "part_trackable",
    "sub_part_trackable",
    "sub_part_assembly",
];

/// Every filter key of the list (and so of bulk delete).
pub fn is_filter_key(key: &str) -> bool {
    BOOL_FILTERS.contains(&key) || ["part", "uses", "search"].contains(&key)
}

/// `part` and `uses` must name a part the user can see.
async fn part_choice(
    state: &AppState,
    p: &Principal,
    key: &str,
    value: &str,
) -> Result<i32, RestError> {
    let invalid = || {
        crate::rest::drf::bad_request(
            key,
            "Select a valid choice. That choice is not one of the available choices.",
        )
    };
    let id: i32 = value.trim().parse().map_err(|_| invalid())?;
    service::part::get(&state.db, p, id)
        .await
        .map_err(|_| invalid())?;
    Ok(id)
}

/// InvenTree's list filters onto `LineFilter`; unknown keys are ignored.
pub async fn line_filter(
    state: &AppState,
    p: &Principal,
    params: &Params,
) -> Result<LineFilter, RestError> {
    let mut f = LineFilter::default();
    if let Some(v) = params.get("part").filter(|v| !v.is_empty()) {
        f.part = Some(part_choice(state, p, "part", v).await?);
    }
    if let Some(v) = params.get("uses").filter(|v| !v.is_empty()) {
        f.uses = Some(part_choice(state, p, "uses", v).await?);
    }
    f.validated = flag(params, "validated");
    f.optional = flag(params, "optional");
    f.consumable = flag(params, "consumable");
    f.inherited = flag(params, "inherited");
    f.allow_variants = flag(params, "allow_variants");
    f.has_pricing = flag(params, "has_pricing");
    f.available_stock = flag(params, "available_stock");
    f.on_order = flag(params, "on_order");
    f.part_active = flag(params, "part_active");
    f.part_trackable = flag(params, "part_trackable");
    f.sub_part_trackable = flag(params, "sub_part_trackable");
    f.sub_part_assembly = flag(params, "sub_part_assembly");
    f.search = params
        .get("search")
        .filter(|s| !s.trim().is_empty())
        .cloned();
    Ok(f)
}

/// `ordering`: comma-separated fields, each `-` for descending, applied in turn (as DRF's
/// OrderingFilter does); unknown names are ignored.
fn ordering(params: &Params) -> Vec<LineOrder> {
    let mut order = Vec::new();
    for name in params
        .get("ordering")
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
    {
        let name = name.trim();
        let (descending, key) = name.strip_prefix('-').map_or((false, name), |k| (true, k));
        let field = match key {
            "quantity" => LineOrderField::Quantity,
            "sub_part" => LineOrderField::SubPart,
            "available_stock" => LineOrderField::AvailableStock,
            "allow_variants" => LineOrderField::AllowVariants,
            "inherited" => LineOrderField::Inherited,
            "optional" => LineOrderField::Optional,
            "consumable" => LineOrderField::Consumable,
            _ => continue,
        };
        order.push(LineOrder { field, descending });
    }
    order
}

pub fn details(params: &Params) -> Details {
    Details {
        part: flag(params, "part_detail").unwrap_or(false),
        sub_part: flag(params, "sub_part_detail").unwrap_or(false),
    }
}

#[utoipa::path(get, path = "/api/bom/", tag = "bom",
    params(
        ("part" = Option<i32>, Query, description = "Lines of the assembly's BOM, with inherited lines of its templates"),
        ("uses" = Option<i32>, Query, description = "Lines using the part directly, as a substitute, or through allow_variants"),
        ("validated" = Option<bool>, Query), ("optional" = Option<bool>, Query), ("consumable" = Option<bool>, Query),
        ("inherited" = Option<bool>, Query), ("allow_variants" = Option<bool>, Query), ("has_pricing" = Option<bool>, Query),
        ("available_stock" = Option<bool>, Query), ("on_order" = Option<bool>, Query), ("part_active" = Option<bool>, Query),
        ("part_trackable" = Option<bool>, Query), ("sub_part_trackable" = Option<bool>, Query),
        ("sub_part_assembly" = Option<bool>, Query), ("search" = Option<String>, Query),
        ("ordering" = Option<String>, Query), ("part_detail" = Option<bool>, Query), ("sub_part_detail" = Option<bool>, Query),
        ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query),
    ),
    responses(
        (status = 200, body = BomItemList),
        (status = 400, body = schema::BadRequest),
        (status = 401, body = schema::Detail),
    ))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> RestResult {
    let params = params_of(q.as_deref());
    let filter = line_filter(&state, &p, &params).await?;
    let order = ordering(&params);
    let (paging, request) = list_request(&params)?;
    let page = service::bom_line::list(&state.db, &p, &filter, &order, request)
        .await
        .map_err(err)?;
    check_unpaginated(paging, page.total)?;
    let items = schema::bom_items(&state.db, &p, &page.items, details(&params))
        .await
        .map_err(err)?;
    let body = match paging {
        None => BomItemList::All(items),
        Some((limit, offset)) => {
            let (next, previous) =
                page_links(&headers, "/api/bom/", &params, limit, offset, page.total);
            BomItemList::Page(PaginatedBomItemList {
                count: page.total,
                next,
                previous,
                results: items,
            })
        }
    };
    Ok(json_response(StatusCode::OK, &body))
}

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

async fn render_one(
    state: &AppState,
    p: &Principal,
    line: &entity::bom_line::Model,
    details: Details,
) -> Result<BomItem, RestError> {
    let mut items = schema::bom_items(&state.db, p, std::slice::from_ref(line), details)
        .await
        .map_err(err)?;
    items
        .pop()
        .ok_or_else(|| RestError::from(crate::rest::drf::not_found()))
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

#[utoipa::path(get, path = "/api/bom/{id}/", tag = "bom",
    params(("id" = i32, Path), ("part_detail" = Option<bool>, Query), ("sub_part_detail" = Option<bool>, Query)),
    responses((status = 200, body = BomItem), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn detail(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> RestResult {
    let line = service::bom_line::get(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    let params = params_of(q.as_deref());
    Ok(json_response(
        StatusCode::OK,
        &render_one(&state, &p, &line, details(&params)).await?,
    ))
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

async fn set_valid(
    state: AppState,
    p: std::sync::Arc<Principal>,
    id: String,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    let valid = f.boolean("valid").unwrap_or(false);
    f.finish(rename)?;
    let line = service::bom_line::validate(&state.db, &p, id, valid)
        .await
        .map_err(err)?;
    Ok(json_response(
        StatusCode::OK,
        &BomItemValidation {
            valid: service::bom_line::is_validated(&line),
        },
    ))
}

#[utoipa::path(patch, path = "/api/bom/{id}/validate/", tag = "bom", params(("id" = i32, Path)), request_body = BomItemValidation,
    responses((status = 200, body = BomItemValidation), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn validate_patch(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    set_valid(state, p, id, body).await
}

#[utoipa::path(put, path = "/api/bom/{id}/validate/", tag = "bom", params(("id" = i32, Path)), request_body = BomItemValidation,
    responses((status = 200, body = BomItemValidation), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn validate_put(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    set_valid(state, p, id, body).await
}

/// What a metadata write asks for: `None` when a PATCH sends no `metadata` key.
pub fn metadata_value(body: &Bytes, mode: MetadataMode) -> Result<Option<Value>, RestError> {
    let data = body_object(body)?;
    match data.get("metadata") {
        Some(v) => Ok(Some(v.clone())),
        None if mode == MetadataMode::Merge => Ok(None),
        None => Err(crate::rest::drf::bad_request(
            "metadata",
            "This field is required.",
        )),
    }
}

#[utoipa::path(get, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)),
    responses((status = 200, body = Metadata), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_get(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    read_metadata(&state, &p, Target::BomLine, &id).await
}

/// `GET .../metadata/` of a line or a substitute.
pub async fn read_metadata(
    state: &AppState,
    p: &Principal,
    target: Target,
    id: &str,
) -> RestResult {
    let metadata = service::metadata::read(&state.db, p, target, path_id(id)?)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &Metadata { metadata }))
}

/// `PUT` (replace) or `PATCH` (merge) `.../metadata/` of a line or a substitute; a PATCH
/// without `metadata` changes nothing.
pub async fn write_metadata(
    state: &AppState,
    p: &Principal,
    target: Target,
    id: &str,
    body: &Bytes,
    mode: MetadataMode,
) -> RestResult {
    let id = path_id(id)?;
    let metadata = match metadata_value(body, mode)? {
        Some(v) => service::metadata::write(&state.db, p, target, id, v, mode).await,
        None => service::metadata::read(&state.db, p, target, id).await,
    }
    .map_err(err)?;
    Ok(json_response(StatusCode::OK, &Metadata { metadata }))
}

#[utoipa::path(patch, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = Metadata,
    responses((status = 200, body = Metadata), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail), (status = 404, body = schema::Detail)))]
pub async fn metadata_patch(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    write_metadata(&state, &p, Target::BomLine, &id, &body, MetadataMode::Merge).await
}

#[utoipa::path(put, path = "/api/bom/{id}/metadata/", tag = "bom", params(("id" = i32, Path)), request_body = Metadata,
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
        Target::BomLine,
        &id,
        &body,
        MetadataMode::Replace,
    )
    .await
}
