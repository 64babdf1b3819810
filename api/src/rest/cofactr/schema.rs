//! The Cofactr dialect's bodies. Decimals are strings, so quantities and prices stay exact.
use chrono::{DateTime, Utc};
use entity::{bom, bom_line, job, part_override, program, program_line};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Bom {
    pub id: i32,
    pub name: String,
    pub version: String,
    pub part_number: String,
    pub description: String,
    pub assembly_part_id: Option<i32>,
    /// bomgraph's revision label (`A`, `B`, ...); see `POST /v1/boms/{id}/revise/`.
    #[serde(default)]
    pub revision: String,
    /// The revision this BOM was made from.
    #[serde(default)]
    pub previous_revision_id: Option<i32>,
    pub approved: bool,
    pub approved_at: Option<DateTime<Utc>>,
    pub archived: bool,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
    pub integration_record_id: Option<String>,
    pub synced_from_integration: bool,
    pub integration_source_name: Option<String>,
    pub synced_from_integration_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct BomLine {
    pub id: i32,
    pub bom_id: i32,
    pub part_id: Option<i32>,
    /// An exact decimal, as a string.
    pub quantity: String,
    pub reference_designators: Vec<String>,
    pub reference_designators_string: String,
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    pub alternative_mpns: Vec<String>,
    pub manufacturer_name: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    pub do_not_place: bool,
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub is_custom_part: bool,
    /// matched, no_match, ambiguous or custom.
    pub match_status: String,
    /// For ambiguous lines, the candidate part ids.
    pub match_candidates: Vec<i32>,
    /// The designators' count differs from the quantity.
    pub designator_count_mismatch: bool,
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Value>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Program {
    pub id: i32,
    pub name: String,
    /// draft, approved or complete.
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct ProgramLine {
    pub id: i32,
    pub program_id: i32,
    pub bom_id: i32,
    pub quantity: String,
    /// Build the latest approved revision of the BOM's chain instead of the BOM itself.
    #[serde(default)]
    pub follow_latest: bool,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct PartOverride {
    pub id: i32,
    pub program_id: i32,
    pub part_id: i32,
    pub exclude: bool,
    pub replacement_part_id: Option<i32>,
    pub on_hand_quantity: Option<String>,
    pub unit_price: Option<String>,
    /// The unit price's currency; without one, that of the part's offers.
    pub currency: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Job {
    pub id: i32,
    pub kind: String,
    /// queued, running, succeeded or failed.
    pub status: String,
    pub progress: i32,
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    pub error: Option<String>,
    pub attempts: i32,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A page of results.
#[derive(Serialize, Deserialize, ToSchema, Clone, Debug)]
pub struct Page<T> {
    pub count: u64,
    pub next: Option<String>,
    pub previous: Option<String>,
    pub results: Vec<T>,
}

pub fn bom(b: bom::Model) -> Bom {
    Bom {
        id: b.id,
        name: b.name,
        version: b.version,
        part_number: b.part_number,
        description: b.description,
        assembly_part_id: b.assembly_part_id,
        revision: b.revision,
        previous_revision_id: b.previous_revision_id,
        approved: b.approved,
        approved_at: b.approved_at,
        archived: b.archived,
        metadata: b.metadata,
        integration_record_id: b.integration_record_id,
        synced_from_integration: b.synced_from_integration,
        integration_source_name: b.integration_source_name,
        synced_from_integration_at: b.synced_from_integration_at,
        created_at: b.created_at,
        updated_at: b.updated_at,
    }
}

pub fn line(l: bom_line::Model) -> BomLine {
    BomLine {
        designator_count_mismatch: service::raw_bom::quantity_mismatch(&l),
        id: l.id,
        bom_id: l.bom_id,
        part_id: l.part_id,
        quantity: l.quantity.to_string(),
        reference_designators: l.reference_designators.0,
        reference_designators_string: l.reference,
        custom_id: l.custom_id,
        mpn: l.mpn,
        alternative_mpns: l.alternative_mpns.0,
        manufacturer_name: l.manufacturer_name,
        description: l.description,
        link: l.link,
        comments: l.comments,
        do_not_place: l.do_not_place,
        line_number: l.line_number,
        value: l.value,
        package: l.package,
        mount_type: l.mount_type,
        is_custom_part: l.is_custom_part,
        match_status: l.match_status.to_string(),
        match_candidates: l.match_candidates.0,
        metadata: l.metadata,
    }
}

pub fn program(p: program::Model) -> Program {
    Program {
        id: p.id,
        name: p.name,
        status: p.status,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

pub fn program_line(l: program_line::Model) -> ProgramLine {
    ProgramLine {
        id: l.id,
        program_id: l.program_id,
        bom_id: l.bom_id,
        quantity: l.quantity.to_string(),
        follow_latest: l.follow_latest,
    }
}

pub fn part_override(o: part_override::Model) -> PartOverride {
    PartOverride {
        id: o.id,
        program_id: o.program_id,
        part_id: o.part_id,
        exclude: o.exclude,
        replacement_part_id: o.replacement_part_id,
        on_hand_quantity: o.on_hand_quantity.map(|d| d.to_string()),
        unit_price: o.unit_price.map(|d| d.to_string()),
        currency: o.currency,
    }
}

pub fn job(j: job::Model) -> Job {
    Job {
        id: j.id,
        kind: j.kind,
        status: j.status.to_string(),
        progress: j.progress,
        result: j.result,
        error: j.error,
        attempts: j.attempts,
        created_at: j.created_at,
        started_at: j.started_at,
        finished_at: j.finished_at,
    }
}
