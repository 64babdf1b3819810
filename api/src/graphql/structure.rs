//! Multi-level queries: explosion and where-used; and `me`.
use std::sync::Arc;

use async_graphql::{Context, Object, ID};
use rust_decimal::Decimal;
use service::auth::{Principal, TeamRole};

use super::bom::{lines_for_page, BomLine};
use super::budget::{charged, TRAVERSAL};
use super::context::{db, principal};
use super::error::GqlResult;
use super::global_id::{parse_id, to_id, NodeKind};
use super::part::Part;
use super::team::Team;

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

/// The caller's role in one of their teams.
pub struct TeamMembership(TeamRole);

#[Object]
impl TeamMembership {
    async fn team_id(&self) -> ID {
        to_id(NodeKind::Team, self.0.team_id)
    }
    async fn team_name(&self) -> &str {
        &self.0.team_name
    }
    /// viewer, editor or admin.
    async fn role(&self) -> &str {
        self.0.role.as_str()
    }
    async fn team(&self) -> Team {
        Team::from(&self.0)
    }
}

/// The authenticated user and their teams; `node` finds only the caller's own.
#[derive(Clone)]
pub struct Me(Arc<Principal>);

impl Me {
    pub fn of(p: &Arc<Principal>) -> Self {
        Me(p.clone())
    }
}

#[Object]
impl Me {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::Me, self.0.user_id)
    }
    /// The user's database id.
    async fn row_id(&self) -> i32 {
        self.0.user_id
    }
    async fn username(&self) -> &str {
        &self.0.username
    }
    async fn teams(&self) -> Vec<TeamMembership> {
        self.0.teams.iter().cloned().map(TeamMembership).collect()
    }
}

#[derive(Default)]
pub struct StructureQuery;

#[Object]
impl StructureQuery {
    /// The authenticated user and their teams.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Me> {
        Ok(Me::of(principal(ctx)?))
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
        let rows = service::structure::explode(
            db(ctx),
            p,
            parse_id(NodeKind::Bom, "bom_id", &bom_id)?,
            quantity,
        )
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
        let lines = service::bom_line::where_used(
            db(ctx),
            p,
            parse_id(NodeKind::Part, "part_id", &part_id)?,
        )
        .await
        .gql()?;
        lines_for_page(ctx, lines, ctx.look_ahead()).await
    }
}
