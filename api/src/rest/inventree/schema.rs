//! The InvenTree dialect's bodies, as typed structs: the handlers render these, and the
//! OpenAPI document is derived from the same structs, so the two cannot disagree.
use std::collections::HashMap;
use std::sync::Arc;

use entity::{bom, bom_line, part, substitute};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use service::auth::Principal;
use service::figures::{load_bundle, LineBundle, LineRef};
use service::{DatabaseConnection, ServiceResult};
use utoipa::ToSchema;

/// A brief description of a part, nested by `part_detail` and `sub_part_detail`.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PartBrief {
    pub pk: i32,
    pub name: String,
    pub full_name: String,
    pub description: String,
    #[serde(rename = "IPN")]
    pub ipn: Option<String>,
    pub revision: Option<String>,
    pub units: Option<String>,
    pub active: bool,
    pub assembly: bool,
    pub is_template: bool,
    pub purchaseable: bool,
    pub salable: bool,
    pub trackable: bool,
    #[serde(rename = "virtual")]
    pub is_virtual: bool,
    pub image: Option<String>,
    pub thumbnail: String,
    pub barcode_hash: String,
    pub default_location: Option<i32>,
}

/// A part as `/api/part/` shows it: the brief fields and the rest of the catalogue entry.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Part {
    #[serde(flatten)]
    pub brief: PartBrief,
    pub keywords: String,
    pub link: String,
    pub component: bool,
    pub variant_of: Option<i32>,
    pub category: Option<i32>,
    #[serde(rename = "MPN")]
    pub mpn: String,
    pub manufacturer: String,
    pub in_stock: f64,
    pub allocated: f64,
    pub on_order: f64,
    pub building: f64,
    pub external_stock: f64,
    /// The team that owns the part. On create, needed only by users who write to several
    /// teams; a part never changes teams, so updates ignore it.
    pub team_id: Option<i32>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomItemSubstitute {
    pub pk: i32,
    pub bom_item: i32,
    pub part: i32,
    pub part_detail: Option<PartBrief>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomItem {
    pub pk: i32,
    /// The assembly part whose BOM holds this line.
    pub part: Option<i32>,
    pub sub_part: Option<i32>,
    pub reference: String,
    pub quantity: f64,
    pub overage: String,
    pub allow_variants: bool,
    pub inherited: bool,
    pub optional: bool,
    pub consumable: bool,
    pub note: String,
    pub validated: bool,
    pub substitutes: Vec<BomItemSubstitute>,
    pub available_stock: f64,
    pub available_substitute_stock: f64,
    pub available_variant_stock: f64,
    pub on_order: f64,
    pub building: f64,
    pub external_stock: f64,
    pub pricing_min: Option<String>,
    pub pricing_max: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_detail: Option<PartBrief>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_part_detail: Option<PartBrief>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PaginatedBomItemList {
    pub count: u64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<BomItem>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PaginatedBomItemSubstituteList {
    pub count: u64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<BomItemSubstitute>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PaginatedPartList {
    pub count: u64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<Part>,
}

/// Without `limit` a list is a bare array; with a positive `limit` it is a page.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(untagged)]
pub enum BomItemList {
    All(Vec<BomItem>),
    Page(PaginatedBomItemList),
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(untagged)]
pub enum BomItemSubstituteList {
    All(Vec<BomItemSubstitute>),
    Page(PaginatedBomItemSubstituteList),
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(untagged)]
pub enum PartList {
    All(Vec<Part>),
    Page(PaginatedPartList),
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Metadata {
    /// A JSON object, or null when none was set.
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomItemValidation {
    pub valid: bool,
}

/// DRF's error body: messages per field, and `non_field_errors`. Errors of list items are
/// a list with one object of field errors per item.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct FieldErrorBody(pub HashMap<String, Vec<Value>>);

/// A 400: field errors, or a `detail` for a body that is not JSON.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
#[serde(untagged)]
pub enum BadRequest {
    Fields(FieldErrorBody),
    Detail(Detail),
}

/// DRF's error body for 401, 403, 404 and 405.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Detail {
    pub detail: String,
}

/// Bulk delete: ids and/or list filters.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BulkDelete {
    pub items: Option<Vec<i32>>,
    #[schema(value_type = Option<Object>)]
    pub filters: Option<Value>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomImportUpload {
    /// The BOM file: csv, tsv, xls or xlsx.
    #[schema(value_type = String, format = Binary)]
    pub data_file: String,
    /// The assembly part.
    pub part: i32,
    #[serde(default)]
    pub clear_existing_bom: bool,
}

/// How a file column was matched.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct FileColumn {
    /// The field the column was matched to, if any.
    pub value: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ImportField {
    pub label: String,
    pub required: bool,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomImportUploadResult {
    pub file_fields: HashMap<String, FileColumn>,
    /// Column headers in file order.
    pub columns: Vec<String>,
    pub model_fields: HashMap<String, ImportField>,
    pub rows: Vec<Vec<String>>,
    pub filename: String,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomImportExtract {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Option<String>>>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ExtractedRow {
    /// Values by field name, plus `part` (the resolved part id or null) and `errors`.
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub values: HashMap<String, Value>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomImportExtractResult {
    pub columns: Vec<String>,
    pub fields: HashMap<String, ImportField>,
    pub rows: Vec<ExtractedRow>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomImportItem {
    pub part: i32,
    pub sub_part: i32,
    #[schema(value_type = f64)]
    pub quantity: Value,
    pub reference: Option<String>,
    pub overage: Option<String>,
    pub allow_variants: Option<bool>,
    pub inherited: Option<bool>,
    pub optional: Option<bool>,
    pub consumable: Option<bool>,
    pub note: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomImportSubmit {
    pub items: Vec<BomImportItem>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomImportSubmitResult {
    pub items: Vec<BomImportItem>,
    /// Lines created (repeats of existing assembly/part pairs are skipped).
    pub created: usize,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ApiRoot {
    pub server: String,
    #[serde(rename = "apiVersion")]
    pub api_version: u32,
    pub version: String,
    pub instance: String,
    pub worker_running: bool,
    pub plugins_enabled: bool,
    pub active_plugins: Vec<String>,
    pub email_configured: bool,
    pub debug_mode: bool,
    pub docker_mode: bool,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct UserMe {
    pub pk: i32,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Token {
    pub token: String,
    pub name: String,
}

pub fn number(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Prices as InvenTree writes them: at most six decimals.
pub fn price(d: Option<Decimal>) -> Option<String> {
    d.map(|v| v.round_dp(6).normalize().to_string())
}

fn blank_to_none(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_owned())
}

pub fn part_brief(p: &part::Model) -> PartBrief {
    let mut full_name = if p.ipn.is_empty() {
        p.name.clone()
    } else {
        format!("{} | {}", p.ipn, p.name)
    };
    if !p.revision.is_empty() {
        full_name = format!("{full_name} | {}", p.revision);
    }
    PartBrief {
        pk: p.id,
        name: p.name.clone(),
        full_name,
        description: p.description.clone(),
        ipn: blank_to_none(&p.ipn),
        revision: blank_to_none(&p.revision),
        units: blank_to_none(&p.units),
        active: p.active,
        assembly: p.assembly,
        is_template: p.is_template,
        purchaseable: p.purchaseable,
        salable: p.salable,
        trackable: p.trackable,
        is_virtual: p.is_virtual,
        image: None,
        thumbnail: String::new(),
        barcode_hash: String::new(),
        default_location: None,
    }
}

pub fn part_full(p: &part::Model) -> Part {
    Part {
        brief: part_brief(p),
        keywords: p.keywords.clone(),
        link: p.link.clone(),
        component: p.component,
        variant_of: p.variant_of,
        category: None,
        mpn: p.mpn.clone(),
        manufacturer: p.manufacturer.clone(),
        in_stock: number(p.in_stock.0),
        allocated: number(p.allocated.0),
        on_order: number(p.on_order.0),
        building: number(p.building.0),
        external_stock: number(p.external_stock.0),
        team_id: Some(p.team_id),
    }
}

pub fn substitute_item(s: &substitute::Model, part: Option<&part::Model>) -> BomItemSubstitute {
    BomItemSubstitute {
        pk: s.id,
        bom_item: s.bom_line_id,
        part: s.part_id,
        part_detail: part.map(part_brief),
    }
}

/// Which nested details a BomItem list or detail asks for.
#[derive(Clone, Copy, Default)]
pub struct Details {
    pub part: bool,
    pub sub_part: bool,
}

/// Renders lines as BomItems: the BOMs, one bundle and (with `part_detail`) the assembly
/// parts are each read once for all lines.
pub async fn bom_items(
    db: &DatabaseConnection,
    p: &Principal,
    lines: &[bom_line::Model],
    details: Details,
) -> ServiceResult<Vec<BomItem>> {
    let bom_ids: Vec<i32> = lines.iter().map(|l| l.bom_id).collect();
    let boms: HashMap<i32, bom::Model> = service::bom::by_ids(db, p, &bom_ids)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let refs: Vec<LineRef> = lines.iter().map(LineRef::from).collect();
    let bundle: Arc<LineBundle> = Arc::new(load_bundle(db, p, &refs).await?);
    let assemblies: HashMap<i32, part::Model> = if details.part {
        let ids: Vec<i32> = boms.values().filter_map(|b| b.assembly_part_id).collect();
        service::part::by_ids(db, p, &ids)
            .await?
            .into_iter()
            .map(|x| (x.id, x))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(lines
        .iter()
        .map(|l| {
            let figures = bundle.figures(&LineRef::from(l));
            let assembly = boms.get(&l.bom_id).and_then(|b| b.assembly_part_id);
            let subs = bundle
                .substitutes
                .get(&l.id)
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            BomItem {
                pk: l.id,
                part: assembly,
                sub_part: l.part_id,
                reference: l.reference.clone(),
                quantity: number(l.quantity.0),
                overage: l.overage.clone(),
                allow_variants: l.allow_variants,
                inherited: l.inherited,
                optional: l.optional,
                consumable: l.consumable,
                note: l.note.clone(),
                validated: service::bom_line::is_validated(l),
                substitutes: subs
                    .iter()
                    .map(|s| substitute_item(s, bundle.parts.get(&s.part_id)))
                    .collect(),
                available_stock: number(figures.available_stock),
                available_substitute_stock: number(figures.available_substitute_stock),
                available_variant_stock: number(figures.available_variant_stock),
                on_order: number(figures.on_order),
                building: number(figures.building),
                external_stock: number(figures.external_stock),
                pricing_min: price(figures.pricing_min),
                pricing_max: price(figures.pricing_max),
                part_detail: if details.part {
                    assembly.and_then(|a| assemblies.get(&a)).map(part_brief)
                } else {
                    None
                },
                sub_part_detail: if details.sub_part {
                    l.part_id
                        .and_then(|id| bundle.parts.get(&id))
                        .map(part_brief)
                } else {
                    None
                },
            }
        })
        .collect())
}
