//! The inputs and payloads of the program mutations: each answers the program, line or
//! override it changed and, where a list changed, the program.
use async_graphql::{Context, InputObject, SimpleObject, ID};
use rust_decimal::Decimal;

use super::context::{after_write, loaders};
use super::error::to_gql;
use super::program::{PartOverride, PartOverrideInput, Program, ProgramInputGql, ProgramLine};

/// A program as it is after this request's writes.
pub async fn fresh_program(ctx: &Context<'_>, id: i32) -> async_graphql::Result<Program> {
    after_write(ctx);
    loaders(ctx)
        .programs
        .load_one(id)
        .await?
        .map(Program)
        .ok_or_else(|| to_gql(service::ServiceError::not_found("program")))
}

#[derive(InputObject)]
pub struct CreateProgramInput {
    #[graphql(flatten)]
    pub program: ProgramInputGql,
}

#[derive(SimpleObject)]
pub struct CreateProgramPayload {
    pub program: Program,
}

#[derive(InputObject)]
pub struct UpdateProgramInput {
    pub id: ID,
    #[graphql(flatten)]
    pub program: ProgramInputGql,
}

#[derive(SimpleObject)]
pub struct UpdateProgramPayload {
    pub program: Program,
}

#[derive(InputObject)]
pub struct DeleteProgramInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct DeleteProgramPayload {
    /// The deleted program's id.
    pub deleted_id: ID,
}

#[derive(InputObject)]
pub struct AddProgramLineInput {
    pub program_id: ID,
    pub bom_id: ID,
    pub quantity: Decimal,
    /// Build the latest approved revision of the BOM's chain instead of the BOM.
    #[graphql(default)]
    pub follow_latest: bool,
}

#[derive(SimpleObject)]
pub struct AddProgramLinePayload {
    pub program_line: ProgramLine,
    pub program: Program,
}

#[derive(InputObject)]
pub struct UpdateProgramLineInput {
    pub id: ID,
    pub quantity: Option<Decimal>,
    pub follow_latest: Option<bool>,
}

#[derive(SimpleObject)]
pub struct UpdateProgramLinePayload {
    pub program_line: ProgramLine,
    pub program: Program,
}

#[derive(InputObject)]
pub struct RemoveProgramLineInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RemoveProgramLinePayload {
    /// The removed line's id.
    pub deleted_id: ID,
    pub program: Program,
}

#[derive(InputObject)]
pub struct AddPartOverrideInput {
    pub program_id: ID,
    #[graphql(flatten)]
    pub part_override: PartOverrideInput,
}

#[derive(SimpleObject)]
pub struct AddPartOverridePayload {
    pub part_override: PartOverride,
    pub program: Program,
}

#[derive(InputObject)]
pub struct UpdatePartOverrideInput {
    pub id: ID,
    #[graphql(flatten)]
    pub part_override: PartOverrideInput,
}

#[derive(SimpleObject)]
pub struct UpdatePartOverridePayload {
    pub part_override: PartOverride,
    pub program: Program,
}

#[derive(InputObject)]
pub struct RemovePartOverrideInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RemovePartOverridePayload {
    /// The removed override's id.
    pub deleted_id: ID,
    pub program: Program,
}
