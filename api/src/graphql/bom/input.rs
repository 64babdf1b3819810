//! The inputs of the BOM roots: BOM and line fields, list filters and order, and the
//! metadata target and mode.
use async_graphql::{Enum, InputObject, Json, MaybeUndefined, ID};
use rust_decimal::Decimal;
use serde_json::Value;
use service::bom::BomInput;
use service::bom_line::LineInput;

use crate::graphql::global_id::{maybe_id, opt_id, NodeKind};

/// Fields of a BOM line; on update, omitted fields keep their value.
#[derive(InputObject, Default)]
pub struct BomLineInput {
    pub quantity: Option<Decimal>,
    /// The part; null clears it.
    pub part_id: MaybeUndefined<ID>,
    /// Reference designators as written, e.g. "R1-R4, R7".
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Empty, a number, or a percentage such as "5%".
    pub overage: Option<String>,
    pub optional: Option<bool>,
    pub consumable: Option<bool>,
    pub inherited: Option<bool>,
    pub allow_variants: Option<bool>,
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    pub alternative_mpns: Option<Vec<String>>,
    pub manufacturer_name: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    pub do_not_place: Option<bool>,
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub is_custom_part: Option<bool>,
    pub metadata: Option<Json<Value>>,
}

impl BomLineInput {
    pub fn into_service(self) -> async_graphql::Result<LineInput> {
        let part_id = maybe_id(NodeKind::Part, "part_id", &self.part_id)?;
        Ok(LineInput {
            quantity: self.quantity,
            part_id,
            reference: self.reference,
            note: self.note,
            overage: self.overage,
            optional: self.optional,
            consumable: self.consumable,
            inherited: self.inherited,
            allow_variants: self.allow_variants,
            custom_id: self.custom_id,
            mpn: self.mpn,
            alternative_mpns: self.alternative_mpns,
            manufacturer_name: self.manufacturer_name,
            description: self.description,
            link: self.link,
            comments: self.comments,
            do_not_place: self.do_not_place,
            line_number: self.line_number,
            value: self.value,
            package: self.package,
            mount_type: self.mount_type,
            is_custom_part: self.is_custom_part,
            metadata: self.metadata.map(|j| j.0),
            assembly_part_id: None,
        })
    }
}

/// A BOM's own fields; on update, omitted fields keep their value.
#[derive(InputObject, Default)]
pub struct BomFieldsInput {
    pub team_id: Option<ID>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub part_number: Option<String>,
    pub description: Option<String>,
    /// The label of the BOM's first revision (createBom only; `A` when left out).
    pub revision: Option<String>,
    /// The part this BOM builds; null clears it.
    pub assembly_part_id: MaybeUndefined<ID>,
    pub metadata: Option<Json<Value>>,
    pub integration_record_id: Option<String>,
    pub integration_source_name: Option<String>,
}

impl BomFieldsInput {
    /// The service's `BomInput`, with the lines to create with the BOM (if any).
    pub(crate) fn into_service(
        self,
        lines: Option<Vec<LineInput>>,
    ) -> async_graphql::Result<BomInput> {
        let assembly_part_id =
            maybe_id(NodeKind::Part, "assembly_part_id", &self.assembly_part_id)?;
        Ok(BomInput {
            team_id: opt_id(NodeKind::Team, "team_id", &self.team_id)?,
            name: self.name,
            version: self.version,
            part_number: self.part_number,
            description: self.description,
            revision: self.revision,
            assembly_part_id,
            metadata: self.metadata.map(|j| j.0),
            integration_record_id: self.integration_record_id,
            integration_source_name: self.integration_source_name,
            lines,
        })
    }
}

#[derive(InputObject, Default)]
pub struct BomFilterInput {
    /// Matches name or part number.
    pub search: Option<String>,
    pub approved: Option<bool>,
    #[graphql(default)]
    pub include_archived: bool,
    /// Only archived (true) or only live (false) BOMs.
    pub archived: Option<bool>,
    /// Exact name.
    pub name: Option<String>,
    /// Exact version.
    pub version: Option<String>,
    pub assembly_part_id: Option<ID>,
    pub team_id: Option<ID>,
}

/// The filters of InvenTree's BOM list.
#[derive(InputObject, Default)]
pub struct BomLineFilterInput {
    pub bom_id: Option<ID>,
    /// Lines of the assembly part's BOMs, plus inherited lines of its template ancestors.
    pub part: Option<ID>,
    /// Lines using the part directly, as a substitute, or through allowVariants.
    pub uses: Option<ID>,
    pub validated: Option<bool>,
    pub optional: Option<bool>,
    pub consumable: Option<bool>,
    pub inherited: Option<bool>,
    pub allow_variants: Option<bool>,
    pub has_pricing: Option<bool>,
    /// True: available stock > 0; false: = 0.
    pub available_stock: Option<bool>,
    /// True: on order > 0; false: = 0.
    pub on_order: Option<bool>,
    pub part_active: Option<bool>,
    pub part_trackable: Option<bool>,
    pub sub_part_trackable: Option<bool>,
    pub sub_part_assembly: Option<bool>,
    /// Every term must match the reference or the part's name, description, IPN, revision
    /// or keywords.
    pub search: Option<String>,
    pub team_id: Option<ID>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum BomLineOrderField {
    #[default]
    Id,
    Quantity,
    SubPart,
    AvailableStock,
    AllowVariants,
    Inherited,
    Optional,
    Consumable,
}

#[derive(InputObject)]
pub struct BomLineOrder {
    pub field: BomLineOrderField,
    #[graphql(default)]
    pub descending: bool,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "service::metadata::Target")]
pub enum MetadataTarget {
    Bom,
    BomLine,
    Substitute,
}

impl MetadataTarget {
    /// The type of the ids `setMetadata` takes for this target.
    pub fn kind(self) -> NodeKind {
        match self {
            MetadataTarget::Bom => NodeKind::Bom,
            MetadataTarget::BomLine => NodeKind::BomLine,
            MetadataTarget::Substitute => NodeKind::Substitute,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(name = "MetadataMode", remote = "service::metadata::MetadataMode")]
pub enum MetadataModeGql {
    /// The object becomes the whole metadata.
    Replace,
    /// Top-level keys are added or overwritten.
    #[default]
    Merge,
}
