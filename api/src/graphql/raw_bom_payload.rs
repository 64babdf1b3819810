//! The inputs and payloads of the raw-line mutations, the async upsert and the
//! manufacturer aliases.
use async_graphql::{InputObject, SimpleObject, ID};

use super::bom::{Bom, BomFieldsInput, BomLine};
use super::job::Job;
use super::raw_bom::{ManufacturerAlias, RawBomLineInput};

#[derive(InputObject)]
pub struct CreateBomFromRawInput {
    #[graphql(flatten)]
    pub bom: BomFieldsInput,
    /// The raw lines, each matched to the catalogue.
    pub lines: Vec<RawBomLineInput>,
}

#[derive(SimpleObject)]
pub struct CreateBomFromRawPayload {
    pub bom: Bom,
}

#[derive(InputObject)]
pub struct AddRawBomLineInput {
    pub bom_id: ID,
    #[graphql(flatten)]
    pub line: RawBomLineInput,
}

#[derive(SimpleObject)]
pub struct AddRawBomLinePayload {
    /// The new line, or the line that grew.
    pub bom_line: BomLine,
    pub bom: Bom,
}

#[derive(SimpleObject)]
pub struct UpsertBomAsyncPayload {
    /// The queued job; its result names the BOM.
    pub job: Job,
}

#[derive(InputObject)]
pub struct RematchBomInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RematchBomPayload {
    pub bom: Bom,
}

#[derive(InputObject)]
pub struct SetManufacturerAliasInput {
    pub alias: String,
    pub manufacturer: String,
    pub team_id: Option<ID>,
}

#[derive(SimpleObject)]
pub struct SetManufacturerAliasPayload {
    pub manufacturer_alias: ManufacturerAlias,
}

#[derive(InputObject)]
pub struct RemoveManufacturerAliasInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveManufacturerAliasPayload {
    /// The removed alias's id.
    pub deleted_id: ID,
}
