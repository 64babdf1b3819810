//! The `Bom` object's fields: its own columns, its revision chain and its lines.
use std::sync::Arc;

use async_graphql::{Context, Object, ID};
use chrono::{DateTime, Utc};
use entity::bom;

use super::line::needs_bundle;
use super::node::{Bom, BomLine};
use crate::graphql::budget::{charge, charged};
use crate::graphql::context::loaders;
use crate::graphql::global_id::{to_id, NodeKind};
use crate::graphql::part::Part;

impl Bom {
    async fn chain(&self, ctx: &Context<'_>) -> async_graphql::Result<Arc<Vec<bom::Model>>> {
        let root = service::revision::chain_root(&self.0);
        Ok(loaders(ctx)
            .chains
            .load_one(root)
            .await?
            .unwrap_or_default())
    }
}

#[Object]
impl Bom {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::Bom, self.0.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    async fn team_id(&self) -> ID {
        to_id(NodeKind::Team, self.0.team_id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn version(&self) -> &str {
        &self.0.version
    }
    async fn part_number(&self) -> &str {
        &self.0.part_number
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The part this BOM builds.
    async fn assembly_part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        Part::named(ctx, self.0.assembly_part_id).await
    }
    async fn approved(&self) -> bool {
        self.0.approved
    }
    async fn approved_at(&self) -> Option<DateTime<Utc>> {
        self.0.approved_at
    }
    /// The user who approved the BOM (a `User` id).
    async fn approved_by(&self) -> Option<ID> {
        self.0.approved_by.map(|u| to_id(NodeKind::User, u))
    }
    async fn archived(&self) -> bool {
        self.0.archived
    }
    /// This BOM's label in its revision chain (`A`, `B`, ... or `1`, `2`, ...).
    async fn revision(&self) -> &str {
        &self.0.revision
    }
    /// A draft may change; approval freezes a revision. A chain has at most one draft.
    async fn is_draft(&self) -> bool {
        service::revision::is_draft(&self.0)
    }
    /// The revision this one was made from.
    async fn previous_revision(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Bom>> {
        let Some(id) = self.0.previous_revision_id else {
            return Ok(None);
        };
        Ok(loaders(ctx).boms.load_one(id).await?.map(Bom))
    }
    /// Every revision of this BOM's chain, oldest first (this one included).
    async fn revisions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Bom>> {
        let chain = self.chain(ctx).await?;
        charged(ctx, chain.iter().cloned().map(Bom).collect()).await
    }
    /// The newest approved revision of this BOM's chain that is not archived.
    async fn latest_approved_revision(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Bom>> {
        let chain = self.chain(ctx).await?;
        Ok(service::revision::latest_approved(&chain).cloned().map(Bom))
    }
    /// `metadata` to `updatedAt`.
    #[graphql(flatten)]
    async fn columns(&self) -> &bom::Model {
        &self.0
    }
    /// All lines, in line-number order.
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<BomLine>> {
        if needs_bundle(ctx.look_ahead()) {
            let (lines, bundle) = loaders(ctx).bom_lines_bundle(self.0.id).await?;
            charge(ctx, lines.len()).await?;
            return Ok(lines
                .iter()
                .map(|l| BomLine::with_bundle(l.clone(), bundle.clone()))
                .collect());
        }
        let lines = loaders(ctx).bom_lines(self.0.id).await?;
        charge(ctx, lines.len()).await?;
        Ok(lines.iter().cloned().map(BomLine::new).collect())
    }
    async fn line_count(&self, ctx: &Context<'_>) -> async_graphql::Result<usize> {
        Ok(loaders(ctx).bom_lines(self.0.id).await?.len())
    }
}
