//! The inputs and payloads of the line and substitute mutations: each answers the line or
//! substitute it changed and the parent whose list changed.
use async_graphql::{Context, InputObject, Json, SimpleObject, ID};
use serde_json::Value;

use super::input::BomLineInput;
use super::node::{Bom, BomLine, Substitute};
use crate::graphql::context::{after_write, loaders};
use crate::graphql::error::to_gql;

/// A line as it is after this request's writes.
pub async fn fresh_line(ctx: &Context<'_>, id: i32) -> async_graphql::Result<BomLine> {
    after_write(ctx);
    loaders(ctx)
        .lines
        .load_one(id)
        .await?
        .map(BomLine::new)
        .ok_or_else(|| to_gql(service::ServiceError::not_found("BOM line")))
}

#[derive(InputObject)]
pub struct AddBomLineInput {
    pub bom_id: ID,
    #[graphql(flatten)]
    pub line: BomLineInput,
    /// A line with the same part grows instead (its quantity summed, its designators
    /// joined).
    #[graphql(default)]
    pub merge_same_part: bool,
}

#[derive(SimpleObject)]
pub struct AddBomLinePayload {
    /// The new line, or the line that grew.
    pub bom_line: BomLine,
    pub bom: Bom,
}

#[derive(InputObject)]
pub struct UpdateBomLineInput {
    pub id: ID,
    #[graphql(flatten)]
    pub line: BomLineInput,
}

#[derive(SimpleObject)]
pub struct UpdateBomLinePayload {
    pub bom_line: BomLine,
    pub bom: Bom,
}

#[derive(InputObject)]
pub struct RemoveBomLineInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveBomLinePayload {
    /// The removed line's id.
    pub deleted_id: ID,
    pub bom: Bom,
}

#[derive(InputObject)]
pub struct ValidateBomLineInput {
    pub id: ID,
    /// Marks the line reviewed (true) or clears the mark (false).
    pub valid: bool,
}

#[derive(SimpleObject)]
pub struct ValidateBomLinePayload {
    pub bom_line: BomLine,
}

#[derive(InputObject)]
pub struct AddSubstituteInput {
    pub bom_line_id: ID,
    pub part_id: ID,
    pub metadata: Option<Json<Value>>,
}

#[derive(SimpleObject)]
pub struct AddSubstitutePayload {
    pub substitute: Substitute,
    pub bom_line: BomLine,
}

#[derive(InputObject)]
pub struct RemoveSubstituteInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveSubstitutePayload {
    /// The removed substitute's id.
    pub deleted_id: ID,
    pub bom_line: BomLine,
}
