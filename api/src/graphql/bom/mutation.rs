//! `BomMutation`: BOMs, written. Lines and substitutes are in line_mutation.rs; the inputs
//! and payloads in payload.rs; metadata in `graphql::metadata`.
use async_graphql::{Context, Object};

use super::input::BomLineInput;
use super::node::Bom;
use super::payload::{
    fresh_bom, ApproveBomInput, ApproveBomPayload, CreateBomInput, CreateBomPayload,
    DeleteBomInput, DeleteBomPayload, UpdateBomInput, UpdateBomPayload,
};
use crate::graphql::context::{after_write, db, principal};
use crate::graphql::error::GqlResult;
use crate::graphql::global_id::{parse_id, NodeKind};

#[derive(Default)]
pub struct BomMutation;

#[Object]
impl BomMutation {
    /// Creates a BOM, optionally with its lines, in one transaction.
    async fn create_bom(
        &self,
        ctx: &Context<'_>,
        input: CreateBomInput,
    ) -> async_graphql::Result<CreateBomPayload> {
        let p = principal(ctx)?;
        let lines = input
            .lines
            .map(|lines| {
                lines
                    .into_iter()
                    .map(BomLineInput::into_service)
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        let bom = service::bom::create(db(ctx), p, input.bom.into_service(lines)?)
            .await
            .gql()?;
        Ok(CreateBomPayload {
            bom: fresh_bom(ctx, bom.id).await?,
        })
    }

    /// Changes the BOM's own fields (lines are changed with the line mutations).
    async fn update_bom(
        &self,
        ctx: &Context<'_>,
        input: UpdateBomInput,
    ) -> async_graphql::Result<UpdateBomPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Bom, "id", &input.id)?;
        let bom = service::bom::update(db(ctx), p, id, input.bom.into_service(None)?)
            .await
            .gql()?;
        after_write(ctx);
        Ok(UpdateBomPayload { bom: Bom(bom) })
    }

    /// Deletes an unapproved BOM; archives an approved one.
    async fn delete_bom(
        &self,
        ctx: &Context<'_>,
        input: DeleteBomInput,
    ) -> async_graphql::Result<DeleteBomPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Bom, "id", &input.id)?;
        let outcome = service::bom::delete(db(ctx), p, id).await.gql()?;
        let bom = match outcome {
            service::bom::DeleteOutcome::Deleted => None,
            service::bom::DeleteOutcome::Archived => Some(fresh_bom(ctx, id).await?),
        };
        Ok(DeleteBomPayload {
            deleted_id: input.id,
            outcome: outcome.into(),
            bom,
        })
    }

    /// Approves a BOM; this cannot be undone, and its lines are fixed from then on.
    async fn approve_bom(
        &self,
        ctx: &Context<'_>,
        input: ApproveBomInput,
    ) -> async_graphql::Result<ApproveBomPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Bom, "id", &input.id)?;
        let bom = service::bom::approve(db(ctx), p, id).await.gql()?;
        after_write(ctx);
        Ok(ApproveBomPayload { bom: Bom(bom) })
    }
}
