//! The inputs and payloads of the BOM mutations (`createBom` … `approveBom`): each
//! mutation takes one input and answers what it changed, so a client cache updates from it.
use async_graphql::{Context, Enum, InputObject, SimpleObject, ID};

use super::input::{BomFieldsInput, BomLineInput};
use super::node::Bom;
use crate::graphql::context::{after_write, loaders};
use crate::graphql::error::to_gql;

/// A BOM as it is after this request's writes (the loaders forget what they read before).
pub async fn fresh_bom(ctx: &Context<'_>, id: i32) -> async_graphql::Result<Bom> {
    after_write(ctx);
    loaders(ctx)
        .boms
        .load_one(id)
        .await?
        .map(Bom)
        .ok_or_else(|| to_gql(service::ServiceError::not_found("BOM")))
}

#[derive(InputObject)]
pub struct CreateBomInput {
    #[graphql(flatten)]
    pub bom: BomFieldsInput,
    /// Lines to create with the BOM, all or none.
    pub lines: Option<Vec<BomLineInput>>,
}

#[derive(SimpleObject)]
pub struct CreateBomPayload {
    pub bom: Bom,
}

#[derive(InputObject)]
pub struct UpdateBomInput {
    pub id: ID,
    #[graphql(flatten)]
    pub bom: BomFieldsInput,
}

#[derive(SimpleObject)]
pub struct UpdateBomPayload {
    pub bom: Bom,
}

#[derive(InputObject)]
pub struct DeleteBomInput {
    pub id: ID,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "service::bom::DeleteOutcome")]
pub enum DeleteBomOutcome {
    /// The BOM was not approved and is gone.
    Deleted,
    /// The BOM was approved, so it is kept and archived.
    Archived,
}

#[derive(SimpleObject)]
pub struct DeleteBomPayload {
    /// The BOM's id (still readable when it was archived rather than deleted).
    pub deleted_id: ID,
    pub outcome: DeleteBomOutcome,
    /// The archived BOM; null when it was deleted.
    pub bom: Option<Bom>,
}

#[derive(InputObject)]
pub struct ApproveBomInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct ApproveBomPayload {
    pub bom: Bom,
}
