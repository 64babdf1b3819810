//! What Cofactr's clients send: each request body as a struct of DRF-read fields (see
//! `drf::body`), and what it asks of `service`.
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;
use service::bom::{BomFilter, BomInput};
use service::bom_line::LineInput;
use service::program::{LineInput as ProgramLineInput, OverrideInput, ProgramInput};
use service::raw_bom::{RawLine, UpsertBom};
use utoipa::__dev::ComposeSchema;
use utoipa::{IntoParams, ToSchema};

pub use crate::rest::drf::body::Unread;
use crate::rest::drf::body::{Field, Input, Items, Strings, Timestamp};
use crate::rest::drf::Flag;

/// A BOM's own fields (`POST /v1/boms/`, `POST /v1/boms/raw/`, `PATCH /v1/boms/{id}/`),
/// with its `lines` as `L`: catalogue lines, raw lines, or none read.
#[derive(Deserialize, ToSchema, Default)]
#[serde(bound(deserialize = "L: Deserialize<'de> + Default"))]
pub struct BomBody<L> {
    pub team_id: Field<i32>,
    pub name: Field<String>,
    pub version: Field<Option<String>>,
    pub part_number: Field<Option<String>>,
    pub description: Field<Option<String>>,
    pub assembly_part_id: Field<Option<i32>>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Field<Option<Value>>,
    pub integration_record_id: Field<Option<String>>,
    pub integration_source_name: Field<Option<String>>,
    pub lines: L,
}

impl<L: serde::de::DeserializeOwned + Default> Input for BomBody<L> {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl<L> BomBody<L> {
    pub fn input(self) -> BomInput {
        BomInput {
            team_id: self.team_id.get(),
            name: self.name.get(),
            version: self.version.null_as_default(),
            part_number: self.part_number.null_as_default(),
            description: self.description.null_as_default(),
            // read-only here: a revision is labelled when it is made
            revision: None,
            assembly_part_id: self.assembly_part_id.get(),
            metadata: self.metadata.flat(),
            integration_record_id: self.integration_record_id.flat(),
            integration_source_name: self.integration_source_name.flat(),
            lines: None,
        }
    }
}

/// A line naming its catalogue part (`POST /v1/boms/{id}/lines/`, a PATCH of a line, the
/// `lines` of `POST /v1/boms/`).
#[derive(Deserialize, ToSchema, Default)]
pub struct CatalogueLine {
    pub part_id: Field<Option<i32>>,
    #[schema(value_type = String)]
    pub quantity: Field<Decimal>,
    pub reference_designators_string: Field<String>,
    pub comments: Field<Option<String>>,
    pub custom_id: Field<Option<String>>,
    pub mpn: Field<Option<String>>,
    /// Read by a PATCH only.
    pub alternative_mpns: Field<ListIfGiven>,
    pub manufacturer_name: Field<Option<String>>,
    pub description: Field<Option<String>>,
    pub do_not_place: Field<bool>,
    pub line_number: Field<Option<String>>,
    pub value: Field<Option<String>>,
    pub package: Field<Option<String>>,
    pub mount_type: Field<Option<String>>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Field<Option<Value>>,
}

impl Input for CatalogueLine {
    const REQUIRED: &'static [&'static str] = &["part_id", "quantity"];
}

impl CatalogueLine {
    /// The line to add; `alternative_mpns` are a raw line's, not a catalogue line's.
    pub fn input(self) -> LineInput {
        LineInput {
            part_id: self.part_id.get(),
            quantity: self.quantity.get(),
            reference: self.reference_designators_string.get(),
            comments: self.comments.flat(),
            custom_id: self.custom_id.flat(),
            mpn: self.mpn.flat(),
            manufacturer_name: self.manufacturer_name.flat(),
            description: self.description.flat(),
            do_not_place: self.do_not_place.get(),
            line_number: self.line_number.flat().map(|n| n.trim().to_owned()),
            value: self.value.flat(),
            package: self.package.flat(),
            mount_type: self.mount_type.flat(),
            metadata: self.metadata.flat(),
            ..Default::default()
        }
    }

    /// The change a PATCH asks for, with the alternative MPNs when given as a list.
    pub fn change(mut self) -> LineInput {
        let alternative_mpns = std::mem::take(&mut self.alternative_mpns)
            .get()
            .and_then(|l| l.0);
        LineInput {
            alternative_mpns,
            ..self.input()
        }
    }
}

/// A list of strings when the value is a list; anything else is no change.
#[derive(Default)]
pub struct ListIfGiven(pub Option<Vec<String>>);

impl ComposeSchema for ListIfGiven {
    fn compose(
        _: Vec<utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>>,
    ) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        Vec::<String>::compose(Vec::new())
    }
}

impl ToSchema for ListIfGiven {}

impl crate::rest::drf::body::Lenient for ListIfGiven {
    fn from_json(value: Value) -> Result<Self, String> {
        Ok(ListIfGiven(value.as_array().map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })))
    }
}

/// A `CreateRawBomLine`: a line as a BOM file has it, matched to parts by bomgraph.
#[derive(Deserialize, ToSchema, Default)]
pub struct RawLineBody {
    pub custom_id: Field<Option<String>>,
    pub mpn: Field<Option<String>>,
    pub alternative_mpns: Field<Strings>,
    pub manufacturer_name: Field<Option<String>>,
    /// Zero (the default) means "as many as the designators".
    #[schema(value_type = String)]
    pub quantity: Field<Decimal>,
    pub reference_designators_string: Field<Option<String>>,
    pub reference_designators: Field<Strings>,
    pub description: Field<Option<String>>,
    pub link: Field<Option<String>>,
    pub comments: Field<Option<String>>,
    pub do_not_place: Field<bool>,
    pub line_number: Field<Option<String>>,
    pub value: Field<Option<String>>,
    pub package: Field<Option<String>>,
    pub mount_type: Field<Option<String>>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Field<Option<Value>>,
    pub is_custom_part: Field<bool>,
}

impl Input for RawLineBody {}

impl From<RawLineBody> for RawLine {
    fn from(l: RawLineBody) -> Self {
        RawLine {
            custom_id: l.custom_id.flat(),
            mpn: l.mpn.flat(),
            alternative_mpns: l.alternative_mpns.or_default().0,
            manufacturer_name: l.manufacturer_name.flat(),
            quantity: l.quantity.or_default(),
            reference_designators_string: l.reference_designators_string.flat(),
            reference_designators: l.reference_designators.or_default().0,
            description: l.description.flat(),
            link: l.link.flat(),
            comments: l.comments.flat(),
            do_not_place: l.do_not_place.or_default(),
            line_number: l.line_number.flat(),
            value: l.value.flat(),
            package: l.package.flat(),
            mount_type: l.mount_type.flat(),
            metadata: l.metadata.flat(),
            is_custom_part: l.is_custom_part.or_default(),
        }
    }
}

pub fn raw_lines(lines: Items<RawLineBody>) -> Vec<RawLine> {
    lines.0.into_iter().map(RawLine::from).collect()
}

/// The Upsert BOM Async body (`PUT /v1/integrations/async_boms/`).
#[derive(Deserialize, ToSchema, Default)]
pub struct UpsertBody {
    pub name: Field<String>,
    pub version: Field<Option<String>>,
    pub part_number: Field<Option<String>>,
    pub approved: Field<bool>,
    pub lines: Items<RawLineBody>,
    #[schema(value_type = Option<Object>)]
    pub metadata: Field<Option<Value>>,
    pub integration_record_id: Field<Option<String>>,
    pub synced_from_integration: Field<bool>,
    pub integration_source_name: Field<Option<String>>,
    pub synced_from_integration_at: Field<Timestamp>,
    /// The team the BOM belongs to; defaults to the caller's only writable team.
    pub team_id: Field<i32>,
}

impl Input for UpsertBody {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl From<UpsertBody> for UpsertBom {
    fn from(b: UpsertBody) -> Self {
        UpsertBom {
            name: b.name.or_default(),
            version: b.version.flat(),
            part_number: b.part_number.flat(),
            approved: b.approved.or_default(),
            lines: raw_lines(b.lines),
            metadata: b.metadata.flat(),
            integration_record_id: b.integration_record_id.flat(),
            synced_from_integration: b.synced_from_integration.get(),
            integration_source_name: b.integration_source_name.flat(),
            synced_from_integration_at: b.synced_from_integration_at.or_default().0,
            team_id: b.team_id.get(),
        }
    }
}

/// A program (`POST /v1/programs/`, `PATCH /v1/programs/{id}/`).
#[derive(Deserialize, ToSchema, Default)]
pub struct ProgramBody {
    pub team_id: Field<i32>,
    pub name: Field<String>,
    /// draft, approved or complete.
    pub status: Field<String>,
}

impl Input for ProgramBody {
    const REQUIRED: &'static [&'static str] = &["name"];
}

impl From<ProgramBody> for ProgramInput {
    fn from(b: ProgramBody) -> Self {
        ProgramInput {
            team_id: b.team_id.get(),
            name: b.name.get(),
            status: b.status.get(),
        }
    }
}

/// A program line: the BOM to build and how many (its BOM is fixed once added).
#[derive(Deserialize, ToSchema, Default)]
pub struct ProgramLineBody {
    pub bom_id: Field<i32>,
    #[schema(value_type = String)]
    pub quantity: Field<Decimal>,
    /// Build the latest approved revision of the BOM's chain instead of the BOM itself.
    pub follow_latest: Field<bool>,
}

impl Input for ProgramLineBody {
    const REQUIRED: &'static [&'static str] = &["bom_id", "quantity"];
}

impl From<ProgramLineBody> for ProgramLineInput {
    fn from(b: ProgramLineBody) -> Self {
        ProgramLineInput {
            bom_id: b.bom_id.get(),
            quantity: b.quantity.get(),
            follow_latest: b.follow_latest.get(),
        }
    }
}

/// A part override of a program.
#[derive(Deserialize, ToSchema, Default)]
pub struct OverrideBody {
    pub part_id: Field<i32>,
    pub exclude: Field<bool>,
    pub replacement_part_id: Field<Option<i32>>,
    #[schema(value_type = Option<String>)]
    pub on_hand_quantity: Field<Option<Decimal>>,
    #[schema(value_type = Option<String>)]
    pub unit_price: Field<Option<Decimal>>,
    /// The unit price's currency; without one, that of the part's offers.
    pub currency: Field<Option<String>>,
}

impl Input for OverrideBody {
    const REQUIRED: &'static [&'static str] = &["part_id"];
}

impl From<OverrideBody> for OverrideInput {
    fn from(b: OverrideBody) -> Self {
        OverrideInput {
            part_id: b.part_id.get(),
            exclude: b.exclude.get(),
            replacement_part_id: b.replacement_part_id.get(),
            on_hand_quantity: b.on_hand_quantity.get(),
            unit_price: b.unit_price.get(),
            currency: b.currency.get(),
        }
    }
}

/// The body of `POST /v1/boms/{id}/revise/`; it may be empty.
#[derive(Deserialize, ToSchema, Default)]
pub struct Revise {
    /// The new revision's label; the chain's next label when left out.
    pub label: Field<Option<String>>,
}

impl Input for Revise {}

/// The filters of `GET /v1/boms/`.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct BomQuery {
    pub name: Option<String>,
    pub version: Option<String>,
    #[param(value_type = Option<bool>)]
    pub approved: Flag,
    #[param(value_type = Option<bool>)]
    pub archived: Flag,
    pub search: Option<String>,
}

impl BomQuery {
    pub fn filter(self) -> BomFilter {
        BomFilter {
            search: self.search,
            name: self.name,
            version: self.version,
            approved: self.approved.0,
            archived: self.archived.0,
            ..Default::default()
        }
    }
}
