//! bomgraph's own BOM paths beside Cofactr's: revise, compare and export.
use axum::body::Body as FileBody;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::Response;
use rust_decimal::Decimal;
use serde::Deserialize;
use service::bom_diff::BomDiff;
use service::bom_export::{ExportOptions, Format, Levels, Sheets};
use utoipa::IntoParams;

use super::input::Revise;
use super::schema::{self, Bom};
use crate::rest::drf::body::Body;
use crate::rest::drf::{
    bad_request, json_response, parse_bool, Id, Query, RestError, RestResult, User,
};
use crate::rest::inventree::schema::{BadRequest, Detail};
use crate::state::AppState;

/// Makes a new draft revision of the BOM: its fields, metadata, lines and substitutes are
/// copied, in one transaction. A chain holding a draft already answers 400 naming it.
#[utoipa::path(post, path = "/v1/boms/{id}/revise/", tag = "bomgraph", params(("id" = i32, Path)),
    request_body(content = Revise, content_type = "application/json"),
    responses((status = 201, body = Bom, description = "The new draft revision"), (status = 400, body = BadRequest),
              (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn revise(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Body(body): Body<Revise>,
) -> RestResult {
    let revision = service::revision::revise(&state.db, &p, id, body.label.flat()).await?;
    Ok(json_response(StatusCode::CREATED, &schema::bom(revision)))
}

/// The build quantity the costs are for; 1 when not given.
fn quantity(given: Option<&str>) -> Result<Decimal, RestError> {
    match given.map(str::trim) {
        None | Some("") => Ok(Decimal::ONE),
        Some(q) => Ok(service::decimal::parse("quantity", q)?),
    }
}

/// A switch that is off unless given; a value that is not a boolean is a 400.
fn boolean(given: Option<&str>, key: &str) -> Result<bool, RestError> {
    match given {
        None => Ok(false),
        Some(v) => parse_bool(v).ok_or_else(|| bad_request(key, "Must be a valid boolean.")),
    }
}

/// The parameters of `GET /v1/boms/{id}/diff/`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The BOM to compare with
    #[param(required = true, value_type = i32)]
    pub against: Option<String>,
    #[param(value_type = Option<bool>)]
    pub exploded: Option<String>,
    /// Build quantity for the costs
    pub quantity: Option<String>,
}

/// Compares BOM `against` (the old side) with this BOM (the new side), as GraphQL's
/// `bomDiff(from: against, to: id)` does: lines are paired by part and reference
/// designators; `exploded=true` compares multi-level totals per part; the summary's costs
/// are for `quantity` units (default 1).
#[utoipa::path(get, path = "/v1/boms/{id}/diff/", tag = "bomgraph", params(("id" = i32, Path), DiffQuery),
    responses((status = 200, body = BomDiff), (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn diff(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Query(query, _): Query<DiffQuery>,
) -> RestResult {
    let against = match query.against.as_deref().map(str::trim) {
        None | Some("") => return Err(bad_request("against", "This field is required.")),
        Some(a) => a
            .parse::<i32>()
            .map_err(|_| bad_request("against", "A valid integer is required."))?,
    };
    let exploded = boolean(query.exploded.as_deref(), "exploded")?;
    let quantity = quantity(query.quantity.as_deref())?;
    let diff = service::bom_diff::diff(&state.db, &p, against, id, exploded, quantity).await?;
    Ok(json_response(StatusCode::OK, &diff))
}

fn choice<T: Copy>(
    given: Option<&str>,
    key: &str,
    choices: &[(&str, T)],
    default: T,
) -> Result<T, RestError> {
    let Some(value) = given else {
        return Ok(default);
    };
    choices
        .iter()
        .find(|(name, _)| *name == value)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(n, _)| *n).collect();
            bad_request(
                key,
                format!("\"{value}\" is not a valid choice ({}).", names.join(", ")),
            )
        })
}

/// The parameters of `GET /v1/boms/{id}/export/`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv, tsv, xlsx or json
    pub format: Option<String>,
    /// 1 or all
    pub levels: Option<String>,
    #[param(value_type = Option<bool>)]
    pub flat: Option<String>,
    pub quantity: Option<String>,
    /// single or per_assembly (xlsx)
    pub sheets: Option<String>,
}

/// The BOM as a file: `format` csv (default), tsv, xlsx or json; `levels` 1 (default) or
/// `all` (an indented multi-level BOM with a level column); `flat=true` for one row per
/// part with its total quantity; `quantity` for the totals and costs; `sheets=per_assembly`
/// (xlsx) for one sheet per sub-assembly. The file is named after the BOM and its revision.
#[utoipa::path(get, path = "/v1/boms/{id}/export/", tag = "bomgraph", params(("id" = i32, Path), ExportQuery),
    responses((status = 200, description = "The file, with a Content-Disposition filename",
                content((String = "text/csv"), (String = "text/tab-separated-values"),
                        (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
                        (Object = "application/json"))),
              (status = 400, body = BadRequest), (status = 401, body = Detail), (status = 404, body = Detail)))]
pub async fn export(
    State(state): State<AppState>,
    User(p): User,
    Id(id): Id,
    Query(query, _): Query<ExportQuery>,
) -> RestResult {
    let format = match query.format.as_deref() {
        None => Format::Csv,
        Some(f) => Format::parse(f)?,
    };
    let levels = [("1", Levels::One), ("all", Levels::All)];
    let sheets = [
        ("single", Sheets::Single),
        ("per_assembly", Sheets::PerAssembly),
    ];
    let options = ExportOptions {
        levels: choice(query.levels.as_deref(), "levels", &levels, Levels::One)?,
        flat: boolean(query.flat.as_deref(), "flat")?,
        quantity: quantity(query.quantity.as_deref())?,
        sheets: choice(query.sheets.as_deref(), "sheets", &sheets, Sheets::Single)?,
    };
    let export = service::bom_export::export(&state.db, &p, id, options).await?;
    let bytes = service::bom_export::render(&export, format)?;
    let name = service::bom_export::file_name(&export.bom, format);
    let disposition = format!("attachment; filename=\"{name}\"");
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, format.content_type())
        .header(header::CONTENT_DISPOSITION, disposition)
        .body(FileBody::from(bytes))
        .map_err(|e| RestError::from(service::ServiceError::Internal(e.to_string())))
}
