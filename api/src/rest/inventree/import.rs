//! `/api/bom/import/...`: upload a file, extract its rows, submit the items.
use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use service::bom_import::{self, ImportItem, FIELDS, REQUIRED_FIELDS};
use service::bom_line::LineInput;
use service::{FieldErrors, ServiceError};

use super::bom::rename;
use super::schema::{
    self, BomImportExtract, BomImportExtractResult, BomImportItem, BomImportSubmit,
    BomImportSubmitResult, BomImportUpload, BomImportUploadResult, ExtractedRow, FileColumn,
    ImportField,
};
use crate::edge::surface::Surface;
use crate::rest::drf::{
    bad_request, body_object, json_response, service_error, Fields, RestError, RestResult, User,
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
) -> RestResult {
    let mut multipart = multipart.map_err(|e| bad_request("non_field_errors", e.body_text()))?;
    let (mut file, mut part, mut clear) = (None, None, false);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(bad_request("non_field_errors", e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                RestError::from(crate::edge::body_limit::too_large(Surface::Rest))
            } else {
                bad_request(&name, e.body_text())
            }
        })?;
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
        return Err(service_error(ServiceError::Validation(errors), rename));
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
    .await
    .map_err(|e| service_error(e, rename))?;
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

#[utoipa::path(post, path = "/api/bom/import/extract/", tag = "bom", request_body = BomImportExtract,
    responses((status = 201, body = BomImportExtractResult), (status = 400, body = schema::BadRequest), (status = 401, body = schema::Detail)))]
pub async fn extract(State(state): State<AppState>, User(p): User, body: Bytes) -> RestResult {
    let data = body_object(&body)?;
    let mut errors = FieldErrors::new();
    let columns: Option<Vec<String>> = match data.get("columns") {
        Some(Value::Array(cols)) => cols
            .iter()
            .map(|c| match c {
                Value::String(s) => Some(s.clone()),
                Value::Null => Some(String::new()),
                _ => None,
            })
            .collect(),
        _ => None,
    };
    if columns.is_none() {
        errors.add(
            "columns",
            if data.contains_key("columns") {
                "Expected a list of items."
            } else {
                "This field is required."
            },
        );
    }
    let rows: Option<Vec<Vec<Option<String>>>> = match data.get("rows") {
        Some(Value::Array(rows)) => rows
            .iter()
            .map(|r| match r {
                Value::Array(cells) => Some(
                    cells
                        .iter()
                        .map(|c| match c {
                            Value::Null => None,
                            Value::String(s) => Some(s.clone()),
                            other => Some(other.to_string()),
                        })
                        .collect(),
                ),
                _ => None,
            })
            .collect(),
        _ => None,
    };
    if rows.is_none() {
        errors.add(
            "rows",
            if data.contains_key("rows") {
                "Expected a list of lists."
            } else {
                "This field is required."
            },
        );
    }
    if !errors.is_empty() {
        return Err(service_error(ServiceError::Validation(errors), rename));
    }
    let (columns, rows) = (columns.unwrap_or_default(), rows.unwrap_or_default());
    let extracted = bom_import::extract(&state.db, &p, &columns, &rows)
        .await
        .map_err(|e| service_error(e, rename))?;
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
        let mut f = Fields::new(obj);
        for key in ["part", "sub_part", "quantity"] {
            f.require(key);
        }
        let line = LineInput {
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
        };
        let assembly = f.pk("part");
        errors.extend_prefixed(&format!("items[{i}]."), f.errors.clone());
        if let (Some(assembly), Some(Some(sub_part))) = (assembly, line.part_id) {
            echo.push(BomImportItem {
                part: assembly,
                sub_part,
                quantity: obj.get("quantity").cloned().unwrap_or(Value::Null),
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
