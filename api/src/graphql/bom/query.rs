//! `BomQuery`: a BOM, BOMs, a line, lines and a substitute, read.
use async_graphql::{Context, Object, ID};
use service::bom::BomFilter;
use service::bom_line::{LineFilter, LineOrder, LineOrderField};
use service::page::Page;

use super::input::{BomFilterInput, BomLineFilterInput, BomLineOrder, BomLineOrderField};
use super::line::lines_for_page;
use super::node::{Bom, BomLine, Substitute};
use crate::graphql::connection::{connection, page_complexity, page_request, Conn};
use crate::graphql::context::{db, loaders, principal};
use crate::graphql::error::{to_gql, GqlResult};
use crate::graphql::global_id::{opt_id, parse_id, NodeKind};

#[derive(Default)]
pub struct BomQuery;

#[Object]
impl BomQuery {
    async fn bom(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Bom> {
        principal(ctx)?;
        // Through the loader, so that aliases of `bom` read their BOMs (and then their
        // lines) in one batch instead of one statement each.
        let bom = loaders(ctx)
            .boms
            .load_one(parse_id(NodeKind::Bom, "id", &id)?)
            .await?;
        bom.map(Bom)
            .ok_or_else(|| to_gql(service::ServiceError::not_found("bom")))
    }

    /// BOMs ordered by name, version, id. Archived BOMs only with includeArchived.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn boms(
        &self,
        ctx: &Context<'_>,
        filter: Option<BomFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Conn<Bom>> {
        let p = principal(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = BomFilter {
            search: f.search,
            approved: f.approved,
            include_archived: f.include_archived,
            archived: f.archived,
            name: f.name,
            version: f.version,
            assembly_part_id: opt_id(NodeKind::Part, "assembly_part_id", &f.assembly_part_id)?,
            team_id: opt_id(NodeKind::Team, "team_id", &f.team_id)?,
        };
        let page = service::bom::list(
            db(ctx),
            p,
            &filter,
            page_request(after, before, first, last)?,
        )
        .await
        .gql()?;
        Ok(connection(page, Bom))
    }

    async fn bom_line(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<BomLine> {
        let p = principal(ctx)?;
        Ok(BomLine::new(
            service::bom_line::get(db(ctx), p, parse_id(NodeKind::BomLine, "id", &id)?)
                .await
                .gql()?,
        ))
    }

    /// BOM lines with InvenTree's filters; ordered by `orderBy`, ties by id.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn bom_lines(
        &self,
        ctx: &Context<'_>,
        filter: Option<BomLineFilterInput>,
        order_by: Option<BomLineOrder>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Conn<BomLine>> {
        let p = principal(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = LineFilter {
            bom_id: opt_id(NodeKind::Bom, "bom_id", &f.bom_id)?,
            part: opt_id(NodeKind::Part, "part", &f.part)?,
            uses: opt_id(NodeKind::Part, "uses", &f.uses)?,
            validated: f.validated,
            optional: f.optional,
            consumable: f.consumable,
            inherited: f.inherited,
            allow_variants: f.allow_variants,
            has_pricing: f.has_pricing,
            available_stock: f.available_stock,
            on_order: f.on_order,
            part_active: f.part_active,
            part_trackable: f.part_trackable,
            sub_part_trackable: f.sub_part_trackable,
            sub_part_assembly: f.sub_part_assembly,
            search: f.search,
            team_id: opt_id(NodeKind::Team, "team_id", &f.team_id)?,
        };
        let order: Vec<LineOrder> = order_by
            .into_iter()
            .map(|o| LineOrder {
                field: match o.field {
                    BomLineOrderField::Id => LineOrderField::Id,
                    BomLineOrderField::Quantity => LineOrderField::Quantity,
                    BomLineOrderField::SubPart => LineOrderField::SubPart,
                    BomLineOrderField::AvailableStock => LineOrderField::AvailableStock,
                    BomLineOrderField::AllowVariants => LineOrderField::AllowVariants,
                    BomLineOrderField::Inherited => LineOrderField::Inherited,
                    BomLineOrderField::Optional => LineOrderField::Optional,
                    BomLineOrderField::Consumable => LineOrderField::Consumable,
                },
                descending: o.descending,
            })
            .collect();
        let page = service::bom_line::list(
            db(ctx),
            p,
            &filter,
            &order,
            page_request(after, before, first, last)?,
        )
        .await
        .gql()?;
        let look = ctx.look_ahead();
        let nodes = if look.field("nodes").exists() {
            look.field("nodes")
        } else {
            look.field("edges").field("node")
        };
        let items = lines_for_page(ctx, page.items, nodes).await?;
        Ok(connection(
            Page {
                items,
                total: page.total,
                window: page.window,
            },
            |l| l,
        ))
    }

    async fn substitute(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Substitute> {
        let p = principal(ctx)?;
        let model =
            service::substitute::get(db(ctx), p, parse_id(NodeKind::Substitute, "id", &id)?)
                .await
                .gql()?;
        Ok(Substitute {
            model,
            bundle: None,
        })
    }
}
