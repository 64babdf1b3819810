//! `/api/bom/import/...`: upload a file, extract its rows, submit the items.
use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use service::bom_import::{self, ImportItem, FIELDS, REQUIRED_FIELDS};
use service::{FieldErrors, ServiceError};
use utoipa::__dev::ComposeSchema;
use utoipa::openapi::{RefOr, Schema};
use utoipa::ToSchema;

use super::bom::{rename, BomError, BomResult};
use super::input::BomItemWrite;
use super::schema::{
    self, BomImportExtractResult, BomImportItem, BomImportSubmit, BomImportSubmitResult,
    BomImportUpload, BomImportUploadResult, ExtractedRow, FileColumn, ImportField,
};
use crate::edge::surface::Surface;
use crate::rest::drf::body::{read, Body, Field, Input, Lenient};
use crate::rest::drf::{
    bad_request, body_object, json_response, service_error, RestError, RestResult, User,
};
use crate::state::AppState;

fn model_fields() -> HashMap<String, ImportField> {
    FIELDS
        .iter()
        .map(|f| {
            let label = f.replace('_', " ");
            (
                f.to_string(),
                ImportField {
                    label,
                    required: REQUIRED_FIELDS.contains(f),
                },
            )
        })
        .collect()
}

#[utoipa::path(post, path = "/api/bom/import/upload/", tag = "bom",
    request_body(content = BomImportUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = BomImportUploadResult), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn upload(
    State(state): State<AppState>,
    User(p): User,
    multipart: Result<Multipart, MultipartRejection>,
) -> BomResult {
    let mut multipart = multipart.map_err(|e| bad_request("non_field_errors", e.body_text()))?;
    let (mut file, mut part, mut clear) = (None, None, false);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(bad_request("non_field_errors", e.body_text()).into()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    RestError::from(crate::edge::body_limit::too_large(Surface::Rest))
                } else {
                    bad_request(&name, e.body_text())
                }
            })
            .map_err(BomError::from)?;
        match name.as_str() {
            "data_file" => file = Some((file_name.unwrap_or_default(), bytes)),
            "part" => part = Some(String::from_utf8_lossy(&bytes).trim().to_owned()),
            "clear_existing_bom" => {
                clear =
                    crate::rest::drf::parse_bool(&String::from_utf8_lossy(&bytes)).unwrap_or(false)
            }
            _ => {}
        }
    }
    let mut errors = FieldErrors::new();
    if file.is_none() {
        errors.add("data_file", "No file was submitted.");
    }
    let part_id = match part.as_deref().map(str::parse::<i32>) {
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => {
            errors.add("part", "Incorrect type. Expected pk value.");
            None
        }
        None => {
            errors.add("part", "This field is required.");
            None
        }
    };
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors).into());
    }
    let (file_name, bytes) = file.unwrap_or_default();
    let (table, matches) = bom_import::upload(
        &state.db,
        &p,
        part_id.unwrap_or_default(),
        clear,
        &file_name,
        &bytes,
    )
    .await?;
    let file_fields = table
        .headers
        .iter()
        .zip(&matches)
        .map(|(h, m)| {
            (
                h.clone(),
                FileColumn {
                    value: m.map(str::to_owned),
                },
            )
        })
        .collect();
    Ok(json_response(
        StatusCode::CREATED,
        &BomImportUploadResult {
            file_fields,
            columns: table.headers,
            model_fields: model_fields(),
            rows: table.rows,
            filename: file_name,
        },
    ))
}

/// The columns and rows of `POST /api/bom/import/extract/`.
#[derive(Deserialize, ToSchema, Default)]
pub struct ExtractBody {
    pub columns: Field<Columns>,
    pub rows: Field<Rows>,
}

impl Input for ExtractBody {
    const REQUIRED: &'static [&'static str] = &["columns", "rows"];
}

/// The file's column names (a `null` name is an empty one).
#[derive(Default)]
pub struct Columns(Vec<String>);

impl Lenient for Columns {
    fn from_json(value: Value) -> Result<Self, String> {
        let Value::Array(cols) = value else {
            return Err("Expected a list of items.".into());
        };
        cols.into_iter()
            .map(|c| match c {
                Value::String(s) => Some(s),
                Value::Null => Some(String::new()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(Columns)
            .ok_or_else(|| "Expected a list of items.".into())
    }
}

/// The file's rows, each a list of cells (a number is its text, `null` an empty cell).
#[derive(Default)]
pub struct Rows(Vec<Vec<Option<String>>>);

impl Lenient for Rows {
    fn from_json(value: Value) -> Result<Self, String> {
        let refused = || "Expected a list of lists.".to_owned();
        let Value::Array(rows) = value else {
            return Err(refused());
        };
        rows.into_iter()
            .map(|r| match r {
                Value::Array(cells) => Some(
                    cells
                        .into_iter()
                        .map(|c| match c {
                            Value::Null => None,
                            Value::String(s) => Some(s),
                            other => Some(other.to_string()),
                        })
                        .collect(),
                ),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()
            .map(Rows)
            .ok_or_else(refused)
    }
}

impl ComposeSchema for Columns {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        Vec::<String>::compose(Vec::new())
    }
}

impl ToSchema for Columns {}

impl ComposeSchema for Rows {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        Vec::<Vec<Option<String>>>::compose(Vec::new())
    }
}

impl ToSchema for Rows {}

#[utoipa::path(post, path = "/api/bom/import/extract/", tag = "bom", request_body = ExtractBody,
    responses((status = 201, body = BomImportExtractResult), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn extract(
    State(state): State<AppState>,
    User(p): User,
    Body(body): Body<ExtractBody>,
) -> BomResult {
    let (columns, rows) = (body.columns.or_default().0, body.rows.or_default().0);
    let extracted = bom_import::extract(&state.db, &p, &columns, &rows).await?;
    let rows = extracted
        .into_iter()
        .map(|r| {
            let mut values: HashMap<String, Value> =
                r.values.into_iter().map(|(k, v)| (k, json!(v))).collect();
            values.insert("part".into(), json!(r.part));
            values.insert("errors".into(), json!(r.errors));
            ExtractedRow { values }
        })
        .collect();
    Ok(json_response(
        StatusCode::CREATED,
        &BomImportExtractResult {
            columns,
            fields: model_fields(),
            rows,
        },
    ))
}

/// DRF's shape for errors of list items: `{"items": [{}, {"quantity": ["..."]}, ...]}`.
fn item_errors(fields: &FieldErrors, count: usize) -> RestError {
    let mut items: Vec<Map<String, Value>> = vec![Map::new(); count];
    let mut other = Map::new();
    for (key, messages) in &fields.0 {
        let parsed = key
            .strip_prefix("items[")
            .and_then(|rest| rest.split_once("]."))
            .and_then(|(i, f)| i.parse::<usize>().ok().map(|i| (i, f)));
        match parsed {
            Some((i, field)) if i < count => {
                items[i].insert(rename(field), json!(messages));
            }
            _ => {
                other.insert(rename(key), json!(messages));
            }
        }
    }
    if items.iter().any(|m| !m.is_empty()) {
        other.insert("items".into(), json!(items));
    }
    RestError::from(json_response(
        StatusCode::BAD_REQUEST,
        &Value::Object(other),
    ))
}

#[utoipa::path(post, path = "/api/bom/import/submit/", tag = "bom", request_body = BomImportSubmit,
    responses((status = 201, body = BomImportSubmitResult), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn submit(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let Some(Value::Array(raw)) = data.get("items") else {
        return Err(bad_request("items", "This field is required."));
    };
    let mut errors = FieldErrors::new();
    let mut items = Vec::with_capacity(raw.len());
    let mut echo = Vec::with_capacity(raw.len());
    for (i, value) in raw.iter().enumerate() {
        let Value::Object(obj) = value else {
            errors.add(
                &format!("items[{i}].non_field_errors"),
                "Invalid data. Expected a dictionary.",
            );
            continue;
        };
        let quantity = obj.get("quantity").cloned().unwrap_or(Value::Null);
        let (item, item_errors) = read::<BomItemWrite>(obj.clone(), BomItemWrite::REQUIRED);
        let mut line = item.input();
        let assembly = line.assembly_part_id.take();
        errors.extend_prefixed(&format!("items[{i}]."), item_errors);
        if let (Some(assembly), Some(Some(sub_part))) = (assembly, line.part_id) {
            echo.push(BomImportItem {
                part: assembly,
                sub_part,
                quantity,
                reference: line.reference.clone(),
                overage: line.overage.clone(),
                allow_variants: line.allow_variants,
                inherited: line.inherited,
                optional: line.optional,
                consumable: line.consumable,
                note: line.note.clone(),
            });
            items.push(ImportItem {
                assembly_part_id: assembly,
                line,
            });
        }
    }
    if !errors.is_empty() {
        return Err(item_errors(&errors, raw.len()));
    }
    match bom_import::submit(&state.db, &p, items).await {
        Ok(created) => Ok(json_response(
            StatusCode::CREATED,
            &BomImportSubmitResult {
                items: echo,
                created,
            },
        )),
        Err(ServiceError::Validation(fields)) => Err(item_errors(&fields, raw.len())),
        Err(e) => Err(service_error(e, rename)),
    }
}
