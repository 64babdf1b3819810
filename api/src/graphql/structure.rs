//! Multi-level queries: explosion and where-used; and `me`.
use async_graphql::{Context, Object, SimpleObject, ID};
use rust_decimal::Decimal;

use super::bom::{lines_for_page, BomLine};
use super::budget::{charged, TRAVERSAL};
use super::context::{db, parse_id, principal, to_id};
use super::error::GqlResult;
use super::part::Part;

/// One part of an exploded BOM.
pub struct ExplodedPart(service::structure::ExplodedPart);

#[Object]
impl ExplodedPart {
    async fn part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        Part::named(ctx, Some(self.0.part_id)).await
    }
    /// Total quantity for the requested number of units.
    async fn quantity(&self) -> Decimal {
        self.0.quantity
    }
    /// Shallowest level the part appears at (1 = a line of the BOM itself).
    async fn level(&self) -> i32 {
        self.0.level
    }
    /// True when the part is built from its own BOM, which is exploded too.
    async fn is_assembly(&self) -> bool {
        self.0.is_assembly
    }
}

#[derive(SimpleObject)]
pub struct TeamMembership {
    pub team_id: ID,
    pub team_name: String,
    /// viewer, editor or admin.
    pub role: String,
}

#[derive(SimpleObject)]
pub struct Me {
    pub id: ID,
    pub username: String,
    pub teams: Vec<TeamMembership>,
}

#[derive(Default)]
pub struct StructureQuery;

#[Object]
impl StructureQuery {
    /// The authenticated user and their teams.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Me> {
        let p = principal(ctx)?;
        Ok(Me {
            id: to_id(p.user_id),
            username: p.username.clone(),
            teams: p
                .teams
                .iter()
                .map(|t| TeamMembership {
                    team_id: to_id(t.team_id),
                    team_name: t.team_name.clone(),
                    role: t.role.as_str().into(),
                })
                .collect(),
        })
    }

    /// Every part needed to build `quantity` units of the BOM, at any depth, with totals.
    #[graphql(complexity = "TRAVERSAL + child_complexity")]
    async fn bom_explosion(
        &self,
        ctx: &Context<'_>,
        bom_id: ID,
        #[graphql(default_with = "Decimal::ONE")] quantity: Decimal,
    ) -> async_graphql::Result<Vec<ExplodedPart>> {
        let p = principal(ctx)?;
        let rows = service::structure::explode(db(ctx), p, parse_id("bom_id", &bom_id)?, quantity)
            .await
            .gql()?;
        charged(ctx, rows.into_iter().map(ExplodedPart).collect()).await
    }

    /// Lines that use the part: directly, as a substitute, or through allowVariants.
    #[graphql(complexity = "TRAVERSAL + child_complexity")]
    async fn where_used(
        &self,
        ctx: &Context<'_>,
        part_id: ID,
    ) -> async_graphql::Result<Vec<BomLine>> {
        let p = principal(ctx)?;
        let lines = service::bom_line::where_used(db(ctx), p, parse_id("part_id", &part_id)?)
            .await
            .gql()?;
        lines_for_page(ctx, lines, ctx.look_ahead()).await
    }
}
