//! What InvenTree's clients send: each request body and query string as a struct (bodies
//! of DRF-read fields, see `drf::body`), and what it asks of `service`. Read-only and
//! unknown keys are ignored: clients PATCH back what they read.
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use service::bom_line::LineInput;
use service::part::{PartFilter, PartInput};
use utoipa::{IntoParams, ToSchema};

use crate::rest::drf::body::{Field, Input};
use crate::rest::drf::Flag;

/// A BomItem write (`POST /api/bom/`, its PATCH and PUT, each item of an import).
#[derive(Deserialize, ToSchema, Default)]
pub struct BomItemWrite {
    /// The assembly part whose BOM holds the line.
    pub part: Field<i32>,
    pub sub_part: Field<i32>,
    #[schema(value_type = f64)]
    pub quantity: Field<Decimal>,
    pub reference: Field<String>,
    pub note: Field<String>,
    pub overage: Field<String>,
    pub optional: Field<bool>,
    pub consumable: Field<bool>,
    pub inherited: Field<bool>,
    pub allow_variants: Field<bool>,
}

impl Input for BomItemWrite {
    const REQUIRED: &'static [&'static str] = &["part", "sub_part", "quantity"];
}

impl BomItemWrite {
    /// The line's fields, and the assembly it belongs to when `part` is given.
    pub fn input(self) -> LineInput {
        LineInput {
            assembly_part_id: self.part.get(),
            part_id: self.sub_part.get().map(Some),
            quantity: self.quantity.get(),
            reference: self.reference.get(),
            note: self.note.get(),
            overage: self.overage.get(),
            optional: self.optional.get(),
            consumable: self.consumable.get(),
            inherited: self.inherited.get(),
            allow_variants: self.allow_variants.get(),
            ..Default::default()
        }
    }
}

/// A part write (`POST /api/part/`, its PATCH and PUT).
#[derive(Deserialize, ToSchema, Default)]
pub struct PartWrite {
    pub name: Field<String>,
    #[serde(rename = "IPN")]
    pub ipn: Field<Option<String>>,
    pub description: Field<String>,
    #[serde(rename = "MPN")]
    pub mpn: Field<String>,
    pub manufacturer: Field<String>,
    pub revision: Field<Option<String>>,
    pub units: Field<Option<String>>,
    pub keywords: Field<Option<String>>,
    pub link: Field<Option<String>>,
    pub active: Field<bool>,
    pub assembly: Field<bool>,
    pub component: Field<bool>,
    pub purchaseable: Field<bool>,
    pub salable: Field<bool>,
    pub trackable: Field<bool>,
    #[serde(rename = "virtual")]
    pub is_virtual: Field<bool>,
    pub is_template: Field<bool>,
    pub variant_of: Field<Option<i32>>,
    /// The team that owns the part. On create, needed only by users who write to several
    /// teams; a part never changes teams, so updates ignore it.
    pub team_id: Field<i32>,
}

impl Input for PartWrite {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl From<PartWrite> for PartInput {
    fn from(w: PartWrite) -> Self {
        PartInput {
            name: w.name.get(),
            ipn: w.ipn.null_as_default(),
            description: w.description.get(),
            mpn: w.mpn.get(),
            manufacturer: w.manufacturer.get(),
            revision: w.revision.null_as_default(),
            units: w.units.null_as_default(),
            keywords: w.keywords.null_as_default(),
            link: w.link.null_as_default(),
            active: w.active.get(),
            assembly: w.assembly.get(),
            component: w.component.get(),
            purchaseable: w.purchaseable.get(),
            salable: w.salable.get(),
            trackable: w.trackable.get(),
            is_virtual: w.is_virtual.get(),
            is_template: w.is_template.get(),
            variant_of: w.variant_of.get(),
            team_id: w.team_id.get(),
            ..Default::default()
        }
    }
}

/// A BomItemSubstitute write: the line and the part that may replace its part.
#[derive(Deserialize, ToSchema, Default)]
pub struct SubstituteWrite {
    pub bom_item: Field<i32>,
    pub part: Field<i32>,
}

impl Input for SubstituteWrite {
    const REQUIRED: &'static [&'static str] = &["bom_item", "part"];
}

/// `.../metadata/`: PUT replaces it (and must carry it), PATCH merges into it.
#[derive(Deserialize, ToSchema, Default)]
pub struct MetadataWrite {
    /// A JSON object, or null to clear it.
    #[schema(value_type = Option<Object>)]
    pub metadata: Field<Value>,
}

impl Input for MetadataWrite {
    const REQUIRED: &'static [&'static str] = &["metadata"];
}

/// `/api/bom/{id}/validate/`: mark the line reviewed, or clear the mark.
#[derive(Deserialize, ToSchema, Default)]
pub struct ValidationWrite {
    pub valid: Field<bool>,
}

impl Input for ValidationWrite {}

/// The filters of `GET /api/bom/` (and of a bulk delete): unknown keys are ignored, and
/// a boolean filter DRF cannot read is no filter.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct BomItemFilters {
    /// Lines of the assembly's BOM, with inherited lines of its templates
    #[param(value_type = Option<i32>)]
    pub part: Option<String>,
    /// Lines using the part directly, as a substitute, or through allow_variants
    #[param(value_type = Option<i32>)]
    pub uses: Option<String>,
    #[param(value_type = Option<bool>)]
    pub validated: Flag,
    #[param(value_type = Option<bool>)]
    pub optional: Flag,
    #[param(value_type = Option<bool>)]
    pub consumable: Flag,
    #[param(value_type = Option<bool>)]
    pub inherited: Flag,
    #[param(value_type = Option<bool>)]
    pub allow_variants: Flag,
    #[param(value_type = Option<bool>)]
    pub has_pricing: Flag,
    #[param(value_type = Option<bool>)]
    pub available_stock: Flag,
    #[param(value_type = Option<bool>)]
    pub on_order: Flag,
    #[param(value_type = Option<bool>)]
    pub part_active: Flag,
    #[param(value_type = Option<bool>)]
    pub part_trackable: Flag,
    #[param(value_type = Option<bool>)]
    pub sub_part_trackable: Flag,
    #[param(value_type = Option<bool>)]
    pub sub_part_assembly: Flag,
    pub search: Option<String>,
}

/// The list's other parameters: its order and the nested part details.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct BomItemView {
    /// Comma-separated fields, each `-` for descending
    pub ordering: Option<String>,
    #[param(value_type = Option<bool>)]
    pub part_detail: Flag,
    #[param(value_type = Option<bool>)]
    pub sub_part_detail: Flag,
}

/// The filters of `GET /api/part/`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PartQuery {
    pub search: Option<String>,
    #[param(value_type = Option<bool>)]
    pub active: Flag,
    #[param(value_type = Option<bool>)]
    pub assembly: Flag,
    #[param(value_type = Option<bool>)]
    pub component: Flag,
    #[param(value_type = Option<bool>)]
    pub is_template: Flag,
    #[param(value_type = Option<bool>)]
    pub trackable: Flag,
    #[param(value_type = Option<bool>)]
    pub purchaseable: Flag,
    #[param(value_type = Option<bool>)]
    pub salable: Flag,
    #[serde(rename = "virtual")]
    #[param(rename = "virtual", value_type = Option<bool>)]
    pub is_virtual: Flag,
}

impl From<PartQuery> for PartFilter {
    fn from(q: PartQuery) -> Self {
        PartFilter {
            search: q.search,
            active: q.active.0,
            assembly: q.assembly.0,
            component: q.component.0,
            purchaseable: q.purchaseable.0,
            salable: q.salable.0,
            trackable: q.trackable.0,
            is_virtual: q.is_virtual.0,
            is_template: q.is_template.0,
            ..Default::default()
        }
    }
}

/// The filters of `GET /api/bom/substitute/`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SubstituteQuery {
    #[param(value_type = Option<i32>)]
    pub bom_item: Option<String>,
    #[param(value_type = Option<i32>)]
    pub part: Option<String>,
}

impl SubstituteQuery {
    /// An id that is not a number matches nothing, as Django's filter would.
    fn id(given: &Option<String>) -> Option<i32> {
        given
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| v.trim().parse::<i32>().unwrap_or(-1))
    }

    pub fn bom_item(&self) -> Option<i32> {
        Self::id(&self.bom_item)
    }

    pub fn part(&self) -> Option<i32> {
        Self::id(&self.part)
    }
}
