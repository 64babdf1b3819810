//! bomgraph's own BOM paths beside Cofactr's: revise, compare and export.
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::Response;
use rust_decimal::Decimal;
use serde::Deserialize;
use service::bom_diff::BomDiff;
use service::bom_export::{ExportOptions, Format, Levels, Sheets};
use utoipa::ToSchema;

use super::schema::{self, Bom};
use crate::rest::drf::{
    bad_request, body_object, flag, json_response, params_of, path_id, same_name, service_error,
    Fields, Params, RestError, RestResult, User,
};
use crate::rest::inventree::schema::{BadRequest, Detail};
use crate::state::AppState;

fn err(e: service::ServiceError) -> RestError {
    service_error(e, same_name)
}

/// The body of `POST /v1/boms/{id}/revise/`; it may be empty.
#[derive(Deserialize, ToSchema)]
pub struct Revise {
    /// The new revision's label; the chain's next label when left out.
    pub label: Option<String>,
}

/// Makes a new draft revision of the BOM: its fields, metadata, lines and substitutes are
/// copied, in one transaction. A chain holding a draft already answers 400 naming it.
#[utoipa::path(post, path = "/v1/boms/{id}/revise/", tag = "bomgraph", params(("id" = i32, Path)),
    request_body(content = Revise, content_type = "application/json"),
    responses((status = 201, body = Bom, description = "The new draft revision"), (status = 400, body = BadRequest),
              (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn revise(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    body: Bytes,
) -> RestResult {
    let id = path_id(&id)?;
    let data = body_object(&body)?;
    let mut f = Fields::new(&data);
    let label = f.nullable_string("label").flatten();
    f.finish(same_name)?;
    let revision = service::revision::revise(&state.db, &p, id, label)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::CREATED, &schema::bom(revision)))
}

fn quantity(params: &Params) -> Result<Decimal, RestError> {
    match params.get("quantity").map(|q| q.trim()) {
        None | Some("") => Ok(Decimal::ONE),
        Some(q) => service::decimal::parse("quantity", q).map_err(err),
    }
}

fn boolean(params: &Params, key: &str) -> Result<bool, RestError> {
    match params.get(key) {
        None => Ok(false),
        Some(_) => flag(params, key).ok_or_else(|| bad_request(key, "Must be a valid boolean.")),
    }
}

/// Compares BOM `against` (the old side) with this BOM (the new side), as GraphQL's
/// `bomDiff(from: against, to: id)` does: lines are paired by part and reference
/// designators; `exploded=true` compares multi-level totals per part; the summary's costs
/// are for `quantity` units (default 1).
#[utoipa::path(get, path = "/v1/boms/{id}/diff/", tag = "bomgraph",
    params(("id" = i32, Path), ("against" = i32, Query, description = "The BOM to compare with"),
           ("exploded" = Option<bool>, Query), ("quantity" = Option<String>, Query, description = "Build quantity for the costs")),
    responses((status = 200, body = BomDiff), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn diff(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> RestResult {
    let id = path_id(&id)?;
    let params = params_of(q.as_deref());
    let against = match params.get("against").map(|a| a.trim()) {
        None | Some("") => return Err(bad_request("against", "This field is required.")),
        Some(a) => a
            .parse::<i32>()
            .map_err(|_| bad_request("against", "A valid integer is required."))?,
    };
    let exploded = boolean(&params, "exploded")?;
    let quantity = quantity(&params)?;
    let diff = service::bom_diff::diff(&state.db, &p, against, id, exploded, quantity)
        .await
        .map_err(err)?;
    Ok(json_response(StatusCode::OK, &diff))
}

fn choice<T: Copy>(
    params: &Params,
    key: &str,
    choices: &[(&str, T)],
    default: T,
) -> Result<T, RestError> {
    let Some(value) = params.get(key) else {
        return Ok(default);
    };
    choices
        .iter()
        .find(|(name, _)| name == value)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
            bad_request(
                key,
                format!("\"{value}\" is not a valid choice ({}).", names.join(", ")),
            )
        })
}

/// The BOM as a file: `format` csv (default), tsv, xlsx or json; `levels` 1 (default) or
/// `all` (an indented multi-level BOM with a level column); `flat=true` for one row per
/// part with its total quantity; `quantity` for the totals and costs; `sheets=per_assembly`
/// (xlsx) for one sheet per sub-assembly. The file is named after the BOM and its revision.
#[utoipa::path(get, path = "/v1/boms/{id}/export/", tag = "bomgraph",
    params(("id" = i32, Path), ("format" = Option<String>, Query, description = "csv, tsv, xlsx or json"),
           ("levels" = Option<String>, Query, description = "1 or all"), ("flat" = Option<bool>, Query),
           ("quantity" = Option<String>, Query), ("sheets" = Option<String>, Query, description = "single or per_assembly (xlsx)")),
    responses((status = 200, description = "The file, with a Content-Disposition filename",
                content((String = "text/csv"), (String = "text/tab-separated-values"),
                        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                        (Object = "application/json"))),
              (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn export(
    State(state): State<AppState>,
    User(p): User,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> RestResult {
    let id = path_id(&id)?;
    let params = params_of(q.as_deref());
    let format = match params.get("format") {
        None => Format::Csv,
        Some(f) => Format::parse(f).map_err(err)?,
    };
    let levels = choice(
        &params,
        "levels",
        &[("1", Levels::One), ("all", Levels::All)],
        Levels::One,
    )?;
    let sheets = choice(
        &params,
        "sheets",
        &[
            ("single", Sheets::Single),
            ("per_assembly", Sheets::PerAssembly),
        ],
        Sheets::Single,
    )?;
    let options = ExportOptions {
        levels,
        flat: boolean(&params, "flat")?,
        quantity: quantity(&params)?,
        sheets,
    };
    let export = service::bom_export::export(&state.db, &p, id, options)
        .await
        .map_err(err)?;
    let bytes = service::bom_export::render(&export, format).map_err(err)?;
    let name = service::bom_export::file_name(&export.bom, format);
    let disposition = format!("attachment; filename=\"{name}\"");
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, format.content_type())
        .header(header::CONTENT_DISPOSITION, disposition)
        .body(Body::from(bytes))
        .map_err(|e| err(service::ServiceError::Internal(e.to_string())))
}
