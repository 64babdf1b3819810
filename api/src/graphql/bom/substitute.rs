//! The `Substitute` object's fields: a part a BOM line may use instead of its own.
use async_graphql::{Context, Object, ID};
use entity::substitute;

use super::node::{BomLine, Substitute};
use crate::graphql::context::loaders;
use crate::graphql::global_id::{to_id, NodeKind};
use crate::graphql::part::Part;

#[Object]
impl Substitute {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::Substitute, self.model.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.model.id
    }
    async fn bom_line_id(&self) -> ID {
        to_id(NodeKind::BomLine, self.model.bom_line_id)
    }
    async fn bom_line(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<BomLine>> {
        Ok(loaders(ctx)
            .lines
            .load_one(self.model.bom_line_id)
            .await?
            .map(BomLine::new))
    }
    async fn part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        if let Some(bundle) = &self.bundle {
            if let Some(model) = bundle.parts.get(&self.model.part_id) {
                return Ok(Some(Part {
                    model: model.clone(),
                    bundle: Some(bundle.clone()),
                }));
            }
        }
        Part::named(ctx, Some(self.model.part_id)).await
    }
    /// `metadata`.
    #[graphql(flatten)]
    async fn columns(&self) -> &substitute::Model {
        &self.model
    }
}
