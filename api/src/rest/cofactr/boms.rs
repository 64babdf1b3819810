//! `/v1/boms/...` and the async upsert: Cofactr's view of BOMs and their lines.
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Map, Value};
use service::bom::{BomFilter, BomInput, DeleteOutcome};
use service::bom_line::{LineFilter, LineInput, LineOrder, LineOrderField};
use service::raw_bom::{RawLine, UpsertBom};
use service::FieldErrors;

use super::paging::{page_request, paged};
use super::schema::{self, Bom, BomLine, Page};
use crate::rest::drf::{
    body_object, field_errors, flag, json_response, no_content, params_of, path_id, same_name,
    service_error, Fields, RestError, RestResult, User,
};
use crate::rest::inventree::schema::{BadRequest, Detail};
use crate::state::AppState;

/// Lines are listed as in their source BOM.
const SOURCE_ORDER: LineOrder = LineOrder {
    field: LineOrderField::LineNumber,
    descending: false,
};

fn err(e: service::ServiceError) -> RestError {
    service_error(e, same_name)
}

fn merge(into: &mut FieldErrors, from: FieldErrors, prefix: &str) {
    into.extend_prefixed(prefix, from);
}

fn string_list(f: &mut Fields, key: &str) -> Vec<String> {
    match f.data.get(key) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(_) => {
            f.errors.add(key, "Expected a list of items.");
            Vec::new()
        }
    }
}

/// A `CreateRawBomLine` object.
pub fn raw_line(obj: &Map<String, Value>, prefix: &str, errors: &mut FieldErrors) -> RawLine {
    let mut f = Fields::new(obj);
    let opt = |f: &mut Fields, k: &str| f.nullable_string(k).flatten();
    let line = RawLine {
        custom_id: opt(&mut f, "custom_id"),
        mpn: opt(&mut f, "mpn"),
        alternative_mpns: string_list(&mut f, "alternative_mpns"),
        manufacturer_name: opt(&mut f, "manufacturer_name"),
        quantity: f.decimal("quantity").unwrap_or_default(),
        reference_designators_string: opt(&mut f, "reference_designators_string"),
        reference_designators: string_list(&mut f, "reference_designators"),
        description: opt(&mut f, "description"),
        link: opt(&mut f, "link"),
        comments: opt(&mut f, "comments"),
        do_not_place: f.boolean("do_not_place").unwrap_or(false),
        line_number: opt(&mut f, "line_number"),
        value: opt(&mut f, "value"),
        package: opt(&mut f, "package"),
        mount_type: opt(&mut f, "mount_type"),
        metadata: obj.get("metadata").filter(|m| !m.is_null()).cloned(),
        is_custom_part: f.boolean("is_custom_part").unwrap_or(false),
    };
    merge(errors, f.errors, prefix);
    line
}

fn raw_lines(data: &Map<String, Value>, errors: &mut FieldErrors) -> Vec<RawLine> {
    lines_of(data, errors, raw_line)
}

/// The objects of a body's `lines` list, each read by `read` under its `lines[i].` prefix.
fn lines_of<T>(
    data: &Map<String, Value>,
    errors: &mut FieldErrors,
    mut read: impl FnMut(&Map<String, Value>, &str, &mut FieldErrors) -> T,
) -> Vec<T> {
    match data.get("lines") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| match v {
                Value::Object(o) => Some(read(o, &format!("lines[{i}]."), errors)),
                _ => {
                    errors.add(&format!("lines[{i}]"), "Expected an object.");
                    None
                }
            })
            .collect(),
        Some(_) => {
            errors.add("lines", "Expected a list of items.");
            Vec::new()
        }
    }
}

fn bom_input(f: &mut Fields) -> BomInput {
    BomInput {
        team_id: f.pk("team_id"),
        name: f.string("name"),
        version: f.nullable_string("version").map(Option::unwrap_or_default),
        part_number: f
            .nullable_string("part_number")
            .map(Option::unwrap_or_default),
        description: f
            .nullable_string("description")
            .map(Option::unwrap_or_default),
        // read-only here: a revision is labelled when it is made
        revision: None,
        assembly_part_id: f.nullable_pk("assembly_part_id"),
        metadata: f.data.get("metadata").filter(|m| !m.is_null()).cloned(),
        integration_record_id: f.nullable_string("integration_record_id").flatten(),
        integration_source_name: f.nullable_string("integration_source_name").flatten(),
        lines: None,
    }
}

fn catalogue_line(f: &mut Fields) -> LineInput {
    LineInput {
        part_id: f.nullable_pk("part_id"),
        quantity: f.decimal("quantity"),
        reference: f.string("reference_designators_string"),
        comments: f.nullable_string("comments").flatten(),
        custom_id: f.nullable_string("custom_id").flatten(),
        mpn: f.nullable_string("mpn").flatten(),
        manufacturer_name: f.nullable_string("manufacturer_name").flatten(),
        description: f.nullable_string("description").flatten(),
        do_not_place: f.boolean("do_not_place"),
        line_number: f
            .nullable_string("line_number")
            .flatten()
            .and_then(|n| n.trim().parse().ok()),
        value: f.nullable_string("value").flatten(),
        package: f.nullable_string("package").flatten(),
        mount_type: f.nullable_string("mount_type").flatten(),
        metadata: f.data.get("metadata").filter(|m| !m.is_null()).cloned(),
        ..Default::default()
    }
}

fn bad(errors: FieldErrors) -> RestError {
    RestError::from(field_errors(&errors, same_name))
}

#[utoipa::path(get, path = "/v1/boms/", tag = "cofactr",
    params(("name" = Option<String>, Query), ("version" = Option<String>, Query), ("approved" = Option<bool>, Query),
           ("archived" = Option<bool>, Query), ("search" = Option<String>, Query), ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, body = Page<Bom>), (status = 401, body = Detail)))]
pub async fn list(
    State(state): State<AppState>,
    User(p): User,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> RestResult {
    let params = params_of(q.as_deref());
    let filter = BomFilter {
        search: params.get("search").cloned(),
        name: params.get("name").cloned(),
        version: params.get("version").cloned(),
        approved: flag(&params, "approved"),
        archived: flag(&params, "archived"),
        ..Default::default()
    };
    let (request, limit, offset) = page_request(&params)?;
    let page = service::bom::list(&state.db, &p, &filter, request)
        .await
        .map_err(err)?
        .map(schema::bom);
    Ok(paged(&headers, "/v1/boms/", &params, limit, offset, page))
}

#[utoipa::path(post, path = "/v1/boms/", tag = "cofactr", request_body = Bom,
    responses((status = 201, body = Bom), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn create(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("name");
    let mut input = bom_input(&mut f);
    let mut errors = std::mem::take(&mut f.errors);
    let lines = lines_of(&data, &mut errors, |obj, prefix, errors| {
        let mut lf = Fields::new(obj);
        let line = catalogue_line(&mut lf);
        merge(errors, lf.errors, prefix);
        line
    });
    if !errors.is_empty() {
        return Err(bad(errors));
    }
    input.lines = Some(lines);
    let bom = service::bom::create(&state.db, &p, input)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::CREATED, &schema::bom(bom)))
}

#[utoipa::path(post, path = "/v1/boms/raw/", tag = "cofactr", request_body = Bom,
    responses((status = 201, body = Bom), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn create_raw(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("name");
    let input = bom_input(&mut f);
    let mut errors = std::mem::take(&mut f.errors);
    let lines = raw_lines(&data, &mut errors);
    if !errors.is_empty() {
        return Err(bad(errors));
    }
    let bom = service::raw_bom::create_bom(&state.db, &p, input, lines)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::CREATED, &schema::bom(bom)))
}

#[utoipa::path(get, path = "/v1/boms/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Bom), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn detail(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let bom = service::bom::get(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::bom(bom)))
}

#[utoipa::path(patch, path = "/v1/boms/{id}/", tag = "cofactr", params(("id" = i32, Path)), request_body = Bom,
    responses((status = 200, body = Bom), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn update(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    let input = bom_input(&mut f);
    f.finish(same_name)?;
    let bom = service::bom::update(&state.db, &p, id, input)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::bom(bom)))
}

/// An unapproved BOM is deleted (204); an approved one is archived and returned (200).
#[utoipa::path(delete, path = "/v1/boms/{id}/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 204, description = "Deleted"), (status = 200, body = Bom, description = "Approved, so archived"),
              (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn destroy(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let id = path_id(&id)?;
    match service::bom::delete(&state.db, &p, id).await.map_err(err)? {
        DeleteOutcome::Deleted => Ok(no_content()),
        DeleteOutcome::Archived => {
            let bom = service::bom::get(&state.db, &p, id).await.map_err(err)?;
            Ok(json_response(StatusCode::OK, &schema::bom(bom)))
        }
    }
}

#[utoipa::path(post, path = "/v1/boms/{id}/approve/", tag = "cofactr", params(("id" = i32, Path)),
    responses((status = 200, body = Bom), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn approve(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
) -> RestResult {
    let bom = service::bom::approve(&state.db, &p, path_id(&id)?)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::bom(bom)))
}

#[utoipa::path(get, path = "/v1/boms/{id}/lines/", tag = "cofactr",
    params(("id" = i32, Path), ("limit" = Option<i64>, Query), ("offset" = Option<i64>, Query)),
    responses((status = 200, body = Page<BomLine>), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn lines(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> RestResult {
    let id = path_id(&id)?;
    service::bom::get(&state.db, &p, id).await.map_err(err)?;
    let params = params_of(q.as_deref());
    let (request, limit, offset) = page_request(&params)?;
    let filter = LineFilter {
        bom_id: Some(id),
        ..Default::default()
    };
    let page = service::bom_line::list(&state.db, &p, &filter, &[SOURCE_ORDER], request)
        .await
        .map_err(err)?;
    Ok(paged(
        &headers,
        &format!("/v1/boms/{id}/lines/"),
        &params,
        limit,
        offset,
        page.map(schema::line),
    ))
}

#[utoipa::path(post, path = "/v1/boms/{id}/lines/", tag = "cofactr", params(("id" = i32, Path)), request_body = BomLine,
    responses((status = 201, body = BomLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn add_line(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("part_id");
    f.require("quantity");
    let input = catalogue_line(&mut f);
    f.finish(same_name)?;
    let line = service::raw_bom::add_catalogue_line(&state.db, &p, id, input)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::CREATED, &schema::line(line)))
}

#[utoipa::path(post, path = "/v1/boms/{id}/lines/raw/", tag = "cofactr", params(("id" = i32, Path)), request_body = BomLine,
    responses((status = 201, body = BomLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn add_raw_line(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut errors = FieldErrors::new();
    let raw = raw_line(&data, "", &mut errors);
    if !errors.is_empty() {
        return Err(bad(errors));
    }
    let line = service::raw_bom::add_line(&state.db, &p, id, raw)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::CREATED, &schema::line(line)))
}

/// The line, if it belongs to the BOM of the path.
async fn line_of(
    state: &AppState,
    p: &service::auth::Principal,
    bom: &str,
    line: &str,
) -> Result<entity::bom_line::Model, RestError> {
    service::bom_line::line_of(&state.db, p, path_id(bom)?, path_id(line)?)
        .await
        .map_err(err)
}

#[utoipa::path(get, path = "/v1/boms/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)),
    responses((status = 200, body = BomLine), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_detail(
    State(state): State<AppState>,
    User(p): User,
    Path((bom, line)): Path<(String, String)>,
) -> RestResult {
    Ok(json_response(
        StatusCode::OK,
        &schema::line(line_of(&state, &p, &bom, &line).await?),
    ))
}

#[utoipa::path(patch, path = "/v1/boms/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)), request_body = BomLine,
    responses((status = 200, body = BomLine), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_update(
    State(state): State<AppState>,
    User(p): User,
    Path((bom, line)): Path<(String, String)>,
    body: Bytes,
) -> RestResult {
    let current = line_of(&state, &p, &bom, &line).await?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    let mut input = catalogue_line(&mut f);
    input.alternative_mpns = data
        .get("alternative_mpns")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        });
    f.finish(same_name)?;
    let updated = service::bom_line::update(&state.db, &p, current.id, input)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &schema::line(updated)))
}

#[utoipa::path(delete, path = "/v1/boms/{id}/lines/{line_id}/", tag = "cofactr", params(("id" = i32, Path), ("line_id" = i32, Path)),
    responses((status = 204), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn line_destroy(
    State(state): State<AppState>,
    User(p): User,
    Path((bom, line)): Path<(String, String)>,
) -> RestResult {
    let current = line_of(&state, &p, &bom, &line).await?;
    service::bom_line::remove(&state.db, &p, current.id)
        .await
        .map_err(err)?;
    Ok(no_content())
}

/// Checks the body at once (400 with field errors), queues the upsert and answers with
/// the job's id as a JSON string; `GET /v1/jobs/{id}/` follows it.
#[utoipa::path(put, path = "/v1/integrations/async_boms/", tag = "cofactr", request_body = Bom,
    responses((status = 200, body = String, content_type = "application/json", description = "The job id, a JSON string"), (status = 400, body = BadRequest), (status = 401, body = Detail)))]
pub async fn upsert_async(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    f.require("name");
    let name = f.string("name").unwrap_or_default();
    let version = f.nullable_string("version").flatten();
    let part_number = f.nullable_string("part_number").flatten();
    let approved = f.boolean("approved").unwrap_or(false);
    let integration_record_id = f.nullable_string("integration_record_id").flatten();
    let synced_from_integration = f.boolean("synced_from_integration");
    let integration_source_name = f.nullable_string("integration_source_name").flatten();
    let team_id = f.pk("team_id");
    let synced_at = match data.get("synced_from_integration_at") {
        Some(Value::String(s)) => match chrono::DateTime::parse_from_rfc3339(s) {
            Ok(t) => Some(t.with_timezone(&chrono::Utc)),
            Err(_) => {
                f.errors
                    .add("synced_from_integration_at", "Datetime has wrong format.");
                None
            }
        },
        _ => None,
    };
    let mut errors = std::mem::take(&mut f.errors);
    let lines = raw_lines(&data, &mut errors);
    let body = UpsertBom {
        name,
        version,
        part_number,
        approved,
        lines,
        metadata: data.get("metadata").filter(|m| !m.is_null()).cloned(),
        integration_record_id,
        synced_from_integration,
        integration_source_name,
        synced_from_integration_at: synced_at,
        team_id,
    };
    // parse errors and the body's rules, reported together
    if let Err(service::ServiceError::Validation(rules)) = service::raw_bom::check_upsert(&body) {
        merge(&mut errors, rules, "");
    }
    if !errors.is_empty() {
        return Err(bad(errors));
    }
    let job = service::job::enqueue_upsert(&state.db, &p, body)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &job.id.to_string()))
}
