//! `BomMutation`: BOMs, lines, substitutes and their metadata, written.
use async_graphql::{Context, Enum, Json, Object, SimpleObject, ID};
use serde_json::Value;

use super::input::{BomInputGql, BomLineInput, MetadataModeGql, MetadataTarget};
use super::node::{Bom, BomLine, Substitute};
use crate::graphql::context::{db, principal};
use crate::graphql::error::{to_gql, GqlResult};
use crate::graphql::global_id::{parse_id, NodeKind};

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "service::bom::DeleteOutcome")]
pub enum DeleteBomOutcome {
    /// The BOM was not approved and is gone.
    Deleted,
    /// The BOM was approved, so it is kept and archived.
    Archived,
}

#[derive(SimpleObject)]
pub struct DeleteBomResult {
    pub id: ID,
    pub outcome: DeleteBomOutcome,
}

#[derive(Default)]
pub struct BomMutation;

#[Object]
impl BomMutation {
    /// Creates a BOM, optionally with its lines, in one transaction.
    async fn create_bom(
        &self,
        ctx: &Context<'_>,
        input: BomInputGql,
    ) -> async_graphql::Result<Bom> {
        let p = principal(ctx)?;
        Ok(Bom(service::bom::create(db(ctx), p, input.into_service()?)
            .await
            .gql()?))
    }

    /// Changes the BOM's own fields (lines are changed with the line mutations).
    async fn update_bom(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: BomInputGql,
    ) -> async_graphql::Result<Bom> {
        let p = principal(ctx)?;
        if input.lines.is_some() {
            return Err(to_gql(service::FieldErrors::single(
                "lines",
                "Lines are changed with addBomLine, updateBomLine and removeBomLine.",
            )));
        }
        Ok(Bom(service::bom::update(
            db(ctx),
            p,
            parse_id(NodeKind::Bom, "id", &id)?,
            input.into_service()?,
        )
        .await
        .gql()?))
    }

    /// Deletes an unapproved BOM; archives an approved one.
    async fn delete_bom(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<DeleteBomResult> {
        let p = principal(ctx)?;
        let outcome = service::bom::delete(db(ctx), p, parse_id(NodeKind::Bom, "id", &id)?)
            .await
            .gql()?;
        Ok(DeleteBomResult {
            id,
            outcome: outcome.into(),
        })
    }

    /// Approves a BOM; this cannot be undone, and its lines are fixed from then on.
    async fn approve_bom(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Bom> {
        let p = principal(ctx)?;
        Ok(Bom(service::bom::approve(
            db(ctx),
            p,
            parse_id(NodeKind::Bom, "id", &id)?,
        )
        .await
        .gql()?))
    }

    /// Adds a line. With `mergeSamePart`, a line with the same part grows instead (its
    /// quantity summed, its designators joined).
    async fn add_bom_line(
        &self,
        ctx: &Context<'_>,
        bom_id: ID,
        input: BomLineInput,
        #[graphql(default)] merge_same_part: bool,
    ) -> async_graphql::Result<BomLine> {
        let p = principal(ctx)?;
        let (bom_id, input) = (
            parse_id(NodeKind::Bom, "bom_id", &bom_id)?,
            input.into_service()?,
        );
        let line = if merge_same_part {
            service::raw_bom::add_catalogue_line(db(ctx), p, bom_id, input).await
        } else {
            service::bom_line::add(db(ctx), p, bom_id, input).await
        }
        .gql()?;
        Ok(BomLine::new(line))
    }

    async fn update_bom_line(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: BomLineInput,
    ) -> async_graphql::Result<BomLine> {
        let p = principal(ctx)?;
        let line = service::bom_line::update(
            db(ctx),
            p,
            parse_id(NodeKind::BomLine, "id", &id)?,
            input.into_service()?,
        )
        .await
        .gql()?;
        Ok(BomLine::new(line))
    }

    async fn remove_bom_line(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let p = principal(ctx)?;
        service::bom_line::remove(db(ctx), p, parse_id(NodeKind::BomLine, "id", &id)?)
            .await
            .gql()?;
        Ok(id)
    }

    /// Marks a line reviewed (`valid: true`) or clears the mark.
    async fn validate_bom_line(
        &self,
        ctx: &Context<'_>,
        id: ID,
        valid: bool,
    ) -> async_graphql::Result<BomLine> {
        let p = principal(ctx)?;
        Ok(BomLine::new(
            service::bom_line::validate(db(ctx), p, parse_id(NodeKind::BomLine, "id", &id)?, valid)
                .await
                .gql()?,
        ))
    }

    async fn add_substitute(
        &self,
        ctx: &Context<'_>,
        bom_line_id: ID,
        part_id: ID,
        metadata: Option<Json<Value>>,
    ) -> async_graphql::Result<Substitute> {
        let p = principal(ctx)?;
        let model = service::substitute::add(
            db(ctx),
            p,
            parse_id(NodeKind::BomLine, "bom_line_id", &bom_line_id)?,
            parse_id(NodeKind::Part, "part_id", &part_id)?,
            metadata.map(|m| m.0),
        )
        .await
        .gql()?;
        Ok(Substitute {
            model,
            bundle: None,
        })
    }

    async fn remove_substitute(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let p = principal(ctx)?;
        service::substitute::remove(db(ctx), p, parse_id(NodeKind::Substitute, "id", &id)?)
            .await
            .gql()?;
        Ok(id)
    }

    /// Sets the metadata of a BOM, line or substitute; returns the resulting object.
    async fn set_metadata(
        &self,
        ctx: &Context<'_>,
        target: MetadataTarget,
        id: ID,
        metadata: Json<Value>,
        #[graphql(default)] mode: MetadataModeGql,
    ) -> async_graphql::Result<Json<Value>> {
        let p = principal(ctx)?;
        let id = parse_id(target.kind(), "id", &id)?;
        let (target, mode) = (target.into(), mode.into());
        let result = service::metadata::write(db(ctx), p, target, id, metadata.0, mode)
            .await
            .gql()?;
        Ok(Json(result.unwrap_or(Value::Null)))
    }
}
