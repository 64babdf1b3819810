//! `RawBomMutation`: BOMs from raw lines, raw lines, the async upsert, rematching and
//! manufacturer aliases, written. The inputs and payloads are in raw_bom_payload.rs.
use async_graphql::{Context, Object};
use service::raw_bom::{RawLine, UpsertBom};

use super::bom::{fresh_bom, BomLine};
use super::context::{after_write, db, principal};
use super::error::GqlResult;
use super::global_id::{opt_id, parse_id, NodeKind};
use super::job::Job;
use super::raw_bom::{ManufacturerAlias, UpsertBomAsyncInput};
use super::raw_bom_payload::{
    AddRawBomLineInput, AddRawBomLinePayload, CreateBomFromRawInput, CreateBomFromRawPayload,
    RematchBomInput, RematchBomPayload, RemoveManufacturerAliasInput,
    RemoveManufacturerAliasPayload, SetManufacturerAliasInput, SetManufacturerAliasPayload,
    UpsertBomAsyncPayload,
};

#[derive(Default)]
pub struct RawBomMutation;

#[Object]
impl RawBomMutation {
    /// Creates a BOM from raw lines, each matched to the catalogue, in one transaction.
    async fn create_bom_from_raw(
        &self,
        ctx: &Context<'_>,
        input: CreateBomFromRawInput,
    ) -> async_graphql::Result<CreateBomFromRawPayload> {
        let p = principal(ctx)?;
        let bom = service::raw_bom::create_bom(
            db(ctx),
            p,
            input.bom.into_service(None)?,
            input.lines.into_iter().map(RawLine::from).collect(),
        )
        .await
        .gql()?;
        Ok(CreateBomFromRawPayload {
            bom: fresh_bom(ctx, bom.id).await?,
        })
    }

    /// Adds a raw line, matched to the catalogue; a line with the same part and the same
    /// designators grows instead.
    async fn add_raw_bom_line(
        &self,
        ctx: &Context<'_>,
        input: AddRawBomLineInput,
    ) -> async_graphql::Result<AddRawBomLinePayload> {
        let p = principal(ctx)?;
        let bom_id = parse_id(NodeKind::Bom, "bom_id", &input.bom_id)?;
        let line = service::raw_bom::add_line(db(ctx), p, bom_id, input.line.into())
            .await
            .gql()?;
        Ok(AddRawBomLinePayload {
            bom: fresh_bom(ctx, line.bom_id).await?,
            bom_line: BomLine::new(line),
        })
    }

    /// Queues an upsert of a whole BOM (by integrationRecordId, else name and version); the
    /// body is checked at once, the matching and writing happen in the returned job.
    async fn upsert_bom_async(
        &self,
        ctx: &Context<'_>,
        input: UpsertBomAsyncInput,
    ) -> async_graphql::Result<UpsertBomAsyncPayload> {
        let p = principal(ctx)?;
        let body = UpsertBom {
            team_id: opt_id(NodeKind::Team, "team_id", &input.team_id)?,
            name: input.name,
            version: input.version,
            part_number: input.part_number,
            approved: input.approved,
            lines: input.lines.into_iter().map(RawLine::from).collect(),
            metadata: input.metadata.map(|m| m.0),
            integration_record_id: input.integration_record_id,
            synced_from_integration: input.synced_from_integration,
            integration_source_name: input.integration_source_name,
            synced_from_integration_at: input.synced_from_integration_at,
        };
        let job = service::job::enqueue_upsert(db(ctx), p, body).await.gql()?;
        Ok(UpsertBomAsyncPayload { job: Job(job) })
    }

    /// Matches the BOM's raw lines to the catalogue again.
    async fn rematch_bom(
        &self,
        ctx: &Context<'_>,
        input: RematchBomInput,
    ) -> async_graphql::Result<RematchBomPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Bom, "id", &input.id)?;
        let bom = service::raw_bom::rematch(db(ctx), p, id).await.gql()?;
        Ok(RematchBomPayload {
            bom: fresh_bom(ctx, bom.id).await?,
        })
    }

    /// Records that BOMs saying `alias` mean `manufacturer`.
    async fn set_manufacturer_alias(
        &self,
        ctx: &Context<'_>,
        input: SetManufacturerAliasInput,
    ) -> async_graphql::Result<SetManufacturerAliasPayload> {
        let p = principal(ctx)?;
        let team_id = opt_id(NodeKind::Team, "team_id", &input.team_id)?;
        let a = service::manufacturer::set(db(ctx), p, team_id, &input.alias, &input.manufacturer)
            .await
            .gql()?;
        after_write(ctx);
        Ok(SetManufacturerAliasPayload {
            manufacturer_alias: ManufacturerAlias(a),
        })
    }

    async fn remove_manufacturer_alias(
        &self,
        ctx: &Context<'_>,
        input: RemoveManufacturerAliasInput,
    ) -> async_graphql::Result<RemoveManufacturerAliasPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::ManufacturerAlias, "id", &input.id)?;
        service::manufacturer::remove(db(ctx), p, id).await.gql()?;
        after_write(ctx);
        Ok(RemoveManufacturerAliasPayload {
            deleted_id: input.id,
        })
    }
}
