//! Cofactr's request bodies for raw lines and the asynchronous upsert, as the seed
//! documents them. They travel as they are into the upsert's job payload, so they derive
//! serde both ways.
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::bom::BomInput;

/// The seed's `CreateRawBomLine`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct RawLine {
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    #[serde(default)]
    pub alternative_mpns: Vec<String>,
    pub manufacturer_name: Option<String>,
    /// Zero (the default) means "as many as the designators".
    #[serde(default)]
    pub quantity: Decimal,
    pub reference_designators_string: Option<String>,
    #[serde(default)]
    pub reference_designators: Vec<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    #[serde(default)]
    pub do_not_place: bool,
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub metadata: Option<Value>,
    #[serde(default)]
    pub is_custom_part: bool,
}

/// The seed's Upsert BOM Async body.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UpsertBom {
    pub name: String,
    pub version: Option<String>,
    pub part_number: Option<String>,
    #[serde(default)]
    pub approved: bool,
    #[serde(default)]
    pub lines: Vec<RawLine>,
    pub metadata: Option<Value>,
    pub integration_record_id: Option<String>,
    pub synced_from_integration: Option<bool>,
    pub integration_source_name: Option<String>,
    pub synced_from_integration_at: Option<DateTime<Utc>>,
    /// The team the BOM belongs to; defaults to the caller's only writable team.
    #[serde(default)]
    pub team_id: Option<i32>,
}

impl UpsertBom {
    /// The BOM's own fields, as create and update take them.
    pub(super) fn bom_input(&self, team_id: Option<i32>) -> BomInput {
        BomInput {
            team_id,
            name: Some(self.name.clone()),
            version: Some(self.version.clone().unwrap_or_default()),
            part_number: self.part_number.clone(),
            metadata: self.metadata.clone(),
            integration_record_id: self.integration_record_id.clone(),
            integration_source_name: self.integration_source_name.clone(),
            ..Default::default()
        }
    }
}
