//! `OPTIONS` on the list endpoints: DRF's description of the fields a POST accepts.
use axum::http::StatusCode;
use serde_json::{json, Map, Value};
use service::limits;

use super::schema::Detail;
use crate::rest::drf::{json_response, RestResult, User};

/// (name, DRF type, required, read only, label, max length)
type Field = (
    &'static str,
    &'static str,
    bool,
    bool,
    &'static str,
    Option<usize>,
);

const BOM_ITEM: [Field; 21] = [
    ("pk", "integer", false, true, "ID", None),
    ("part", "related field", true, false, "Part", None),
    ("sub_part", "related field", true, false, "Sub part", None),
    ("quantity", "float", true, false, "Quantity", None),
    (
        "reference",
        "string",
        false,
        false,
        "Reference",
        Some(limits::REFERENCE),
    ),
    (
        "overage",
        "string",
        false,
        false,
        "Overage",
        Some(limits::OVERAGE),
    ),
    (
        "allow_variants",
        "boolean",
        false,
        false,
        "Allow Variants",
        None,
    ),
    ("inherited", "boolean", false, false, "Gets inherited", None),
    ("optional", "boolean", false, false, "Optional", None),
    ("consumable", "boolean", false, false, "Consumable", None),
    ("note", "string", false, false, "Note", Some(limits::NOTE)),
    ("validated", "boolean", false, true, "Validated", None),
    ("substitutes", "field", false, true, "Substitutes", None),
    (
        "available_stock",
        "float",
        false,
        true,
        "Available stock",
        None,
    ),
    (
        "available_substitute_stock",
        "float",
        false,
        true,
        "Available substitute stock",
        None,
    ),
    (
        "available_variant_stock",
        "float",
        false,
        true,
        "Available variant stock",
        None,
    ),
    ("on_order", "float", false, true, "On order", None),
    ("building", "float", false, true, "In Production", None),
    (
        "external_stock",
        "float",
        false,
        true,
        "External stock",
        None,
    ),
    ("pricing_min", "decimal", false, true, "Pricing min", None),
    ("pricing_max", "decimal", false, true, "Pricing max", None),
];

const SUBSTITUTE: [Field; 4] = [
    ("pk", "integer", false, true, "ID", None),
    ("bom_item", "related field", true, false, "BOM Item", None),
    ("part", "related field", true, false, "Part", None),
    (
        "part_detail",
        "nested object",
        false,
        true,
        "Part detail",
        None,
    ),
];

const PART: [Field; 16] = [
    ("pk", "integer", false, true, "ID", None),
    (
        "name",
        "string",
        true,
        false,
        "Name",
        Some(limits::PART_NAME),
    ),
    ("IPN", "string", false, false, "IPN", Some(limits::PART_IPN)),
    (
        "description",
        "string",
        false,
        false,
        "Description",
        Some(limits::PART_DESCRIPTION),
    ),
    (
        "revision",
        "string",
        false,
        false,
        "Revision",
        Some(limits::PART_REVISION),
    ),
    (
        "units",
        "string",
        false,
        false,
        "Units",
        Some(limits::PART_UNITS),
    ),
    (
        "keywords",
        "string",
        false,
        false,
        "Keywords",
        Some(limits::PART_KEYWORDS),
    ),
    ("link", "url", false, false, "Link", Some(limits::PART_LINK)),
    ("active", "boolean", false, false, "Active", None),
    ("assembly", "boolean", false, false, "Assembly", None),
    ("component", "boolean", false, false, "Component", None),
    (
        "purchaseable",
        "boolean",
        false,
        false,
        "Purchaseable",
        None,
    ),
    ("salable", "boolean", false, false, "Salable", None),
    ("trackable", "boolean", false, false, "Trackable", None),
    ("virtual", "boolean", false, false, "Virtual", None),
    (
        "variant_of",
        "related field",
        false,
        false,
        "Variant Of",
        None,
    ),
];

fn describe(name: &str, description: &str, fields: &[Field]) -> Value {
    let mut post = Map::new();
    for (field, kind, required, read_only, label, max_length) in fields {
        let mut f =
            json!({"type": kind, "required": required, "read_only": read_only, "label": label});
        if let Some(max) = max_length {
            f["max_length"] = json!(max);
        }
        post.insert((*field).to_owned(), f);
    }
    json!({
        "name": name,
        "description": description,
        "renders": ["application/json"],
        "parses": ["application/json", "multipart/form-data"],
        "actions": {"POST": post},
    })
}

/// DRF's metadata: the fields a POST accepts, with their types, labels and limits.
#[utoipa::path(options, path = "/api/bom/", tag = "bom",
    responses((status = 200, body = Object, description = "DRF's description of the list's POST fields"), (status = 401, body = Detail)))]
pub async fn describe_bom_list(_user: User) -> RestResult {
    Ok(json_response(
        StatusCode::OK,
        &describe(
            "Bom List",
            "API endpoint for accessing a list of BomItem objects.",
            &BOM_ITEM,
        ),
    ))
}

/// DRF's metadata: the fields a POST accepts, with their types, labels and limits.
#[utoipa::path(options, path = "/api/bom/substitute/", tag = "bom",
    responses((status = 200, body = Object, description = "DRF's description of the list's POST fields"), (status = 401, body = Detail)))]
pub async fn describe_substitute_list(_user: User) -> RestResult {
    Ok(json_response(
        StatusCode::OK,
        &describe(
            "Bom Item Substitute List",
            "API endpoint for accessing a list of BomItemSubstitute objects.",
            &SUBSTITUTE,
        ),
    ))
}

/// DRF's metadata: the fields a POST accepts, with their types, labels and limits.
#[utoipa::path(options, path = "/api/part/", tag = "part",
    responses((status = 200, body = Object, description = "DRF's description of the list's POST fields"), (status = 401, body = Detail)))]
pub async fn describe_part_list(_user: User) -> RestResult {
    Ok(json_response(
        StatusCode::OK,
        &describe(
            "Part List",
            "API endpoint for accessing a list of Part objects.",
            &PART,
        ),
    ))
}
