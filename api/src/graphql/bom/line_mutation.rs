//! `BomLineMutation`: BOM lines and their substitutes, written. Each answers the line or
//! substitute and its parent, read after the write.
use async_graphql::{Context, Object};

use super::line_payload::{
    fresh_line, AddBomLineInput, AddBomLinePayload, AddSubstituteInput, AddSubstitutePayload,
    RemoveBomLineInput, RemoveBomLinePayload, RemoveSubstituteInput, RemoveSubstitutePayload,
    UpdateBomLineInput, UpdateBomLinePayload, ValidateBomLineInput, ValidateBomLinePayload,
};
use super::node::{BomLine, Substitute};
use super::payload::fresh_bom;
use crate::graphql::context::{after_write, db, loaders, principal};
use crate::graphql::error::{to_gql, GqlResult};
use crate::graphql::global_id::{parse_id, NodeKind};

#[derive(Default)]
pub struct BomLineMutation;

#[Object]
impl BomLineMutation {
    /// Adds a line. With `mergeSamePart`, a line with the same part grows instead (its
    /// quantity summed, its designators joined).
    async fn add_bom_line(
        &self,
        ctx: &Context<'_>,
        input: AddBomLineInput,
    ) -> async_graphql::Result<AddBomLinePayload> {
        let p = principal(ctx)?;
        let bom_id = parse_id(NodeKind::Bom, "bom_id", &input.bom_id)?;
        let line = input.line.into_service()?;
        let line = if input.merge_same_part {
            service::raw_bom::add_catalogue_line(db(ctx), p, bom_id, line).await
        } else {
            service::bom_line::add(db(ctx), p, bom_id, line).await
        }
        .gql()?;
        Ok(AddBomLinePayload {
            bom: fresh_bom(ctx, line.bom_id).await?,
            bom_line: BomLine::new(line),
        })
    }

    async fn update_bom_line(
        &self,
        ctx: &Context<'_>,
        input: UpdateBomLineInput,
    ) -> async_graphql::Result<UpdateBomLinePayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::BomLine, "id", &input.id)?;
        let line = service::bom_line::update(db(ctx), p, id, input.line.into_service()?)
            .await
            .gql()?;
        Ok(UpdateBomLinePayload {
            bom: fresh_bom(ctx, line.bom_id).await?,
            bom_line: BomLine::new(line),
        })
    }

    async fn remove_bom_line(
        &self,
        ctx: &Context<'_>,
        input: RemoveBomLineInput,
    ) -> async_graphql::Result<RemoveBomLinePayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::BomLine, "id", &input.id)?;
        let before = loaders(ctx).lines.load_one(id).await?;
        service::bom_line::remove(db(ctx), p, id).await.gql()?;
        let bom_id = before
            .map(|l| l.bom_id)
            .ok_or_else(|| to_gql(service::ServiceError::not_found("BOM line")))?;
        Ok(RemoveBomLinePayload {
            deleted_id: input.id,
            bom: fresh_bom(ctx, bom_id).await?,
        })
    }

    /// Marks a line reviewed (`valid: true`) or clears the mark.
    async fn validate_bom_line(
        &self,
        ctx: &Context<'_>,
        input: ValidateBomLineInput,
    ) -> async_graphql::Result<ValidateBomLinePayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::BomLine, "id", &input.id)?;
        let line = service::bom_line::validate(db(ctx), p, id, input.valid)
            .await
            .gql()?;
        after_write(ctx);
        Ok(ValidateBomLinePayload {
            bom_line: BomLine::new(line),
        })
    }

    async fn add_substitute(
        &self,
        ctx: &Context<'_>,
        input: AddSubstituteInput,
    ) -> async_graphql::Result<AddSubstitutePayload> {
        let p = principal(ctx)?;
        let model = service::substitute::add(
            db(ctx),
            p,
            parse_id(NodeKind::BomLine, "bom_line_id", &input.bom_line_id)?,
            parse_id(NodeKind::Part, "part_id", &input.part_id)?,
            input.metadata.map(|m| m.0),
        )
        .await
        .gql()?;
        Ok(AddSubstitutePayload {
            bom_line: fresh_line(ctx, model.bom_line_id).await?,
            substitute: Substitute {
                model,
                bundle: None,
            },
        })
    }

    async fn remove_substitute(
        &self,
        ctx: &Context<'_>,
        input: RemoveSubstituteInput,
    ) -> async_graphql::Result<RemoveSubstitutePayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Substitute, "id", &input.id)?;
        let before = loaders(ctx).substitutes.load_one(id).await?;
        service::substitute::remove(db(ctx), p, id).await.gql()?;
        let line_id = before
            .map(|s| s.bom_line_id)
            .ok_or_else(|| to_gql(service::ServiceError::not_found("substitute")))?;
        Ok(RemoveSubstitutePayload {
            deleted_id: input.id,
            bom_line: fresh_line(ctx, line_id).await?,
        })
    }
}
