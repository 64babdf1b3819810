//! The `BomLine` object's fields, the `MatchStatus` mirror, and which fields read the
//! line's bundle (parts, substitutes, figures) so that a page loads it once.
use std::sync::Arc;

use async_graphql::{Context, Lookahead, Object, ID};
use chrono::{DateTime, Utc};
use entity::{bom_line, DecimalText, StringList};
use rust_decimal::Decimal;
use service::figures::{LineBundle, LineFigures, LineRef};

use super::node::{Bom, BomLine, Substitute};
use crate::graphql::budget::charged;
use crate::graphql::context::{db, loaders, principal};
use crate::graphql::error::GqlResult;
use crate::graphql::global_id::{to_id, NodeKind};
use crate::graphql::part::Part;

/// Fields of `BomLine` that read the line's bundle (parts, substitutes, figures).
const BUNDLE_FIELDS: [&str; 13] = [
    "part",
    "substitutes",
    "availableStock",
    "availableSubstituteStock",
    "availableVariantStock",
    "onOrder",
    "building",
    "externalStock",
    "pricingMin",
    "pricingMax",
    "pricingMinTotal",
    "pricingMaxTotal",
    "pricingCurrency",
];

/// True when the selected line fields need the bundle.
pub fn needs_bundle(lines: Lookahead<'_>) -> bool {
    BUNDLE_FIELDS.iter().any(|f| lines.field(f).exists())
}

/// Lines of a page, each carrying one bundle loaded for the whole page when needed.
pub async fn lines_for_page(
    ctx: &Context<'_>,
    lines: Vec<bom_line::Model>,
    selection: Lookahead<'_>,
) -> async_graphql::Result<Vec<BomLine>> {
    let lines = charged(ctx, lines).await?;
    if !needs_bundle(selection) {
        return Ok(lines.into_iter().map(BomLine::new).collect());
    }
    let refs: Vec<LineRef> = lines.iter().map(LineRef::from).collect();
    let bundle = Arc::new(
        service::figures::load_bundle(db(ctx), principal(ctx)?, &refs)
            .await
            .gql()?,
    );
    Ok(lines
        .into_iter()
        .map(|l| BomLine::with_bundle(l, bundle.clone()))
        .collect())
}

impl BomLine {
    /// The preloaded bundle, or one batched with the other lines of this request.
    async fn bundle(&self, ctx: &Context<'_>) -> async_graphql::Result<Arc<LineBundle>> {
        if let Some(b) = &self.bundle {
            return Ok(b.clone());
        }
        Ok(loaders(ctx)
            .line_bundles
            .load_one(LineRef::from(&self.model))
            .await?
            .unwrap_or_default())
    }

    async fn figures(&self, ctx: &Context<'_>) -> async_graphql::Result<LineFigures> {
        Ok(self.bundle(ctx).await?.figures(&LineRef::from(&self.model)))
    }
}

// The columns that sit between computed fields are resolved here, the rest by
// `bom_line::Model`.
#[Object]
impl BomLine {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::BomLine, self.model.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.model.id
    }
    async fn bom_id(&self) -> ID {
        to_id(NodeKind::Bom, self.model.bom_id)
    }
    async fn bom(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Bom>> {
        Ok(loaders(ctx)
            .boms
            .load_one(self.model.bom_id)
            .await?
            .map(Bom))
    }
    /// The resolved part; null while nothing matched.
    async fn part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        let Some(id) = self.model.part_id else {
            return Ok(None);
        };
        let bundle = self.bundle(ctx).await?;
        Ok(bundle.parts.get(&id).cloned().map(|model| Part {
            model,
            bundle: Some(bundle.clone()),
        }))
    }
    async fn quantity(&self) -> DecimalText {
        self.model.quantity
    }
    /// Parsed reference designators.
    async fn reference_designators(&self) -> &StringList {
        &self.model.reference_designators
    }
    /// The reference string as given.
    async fn reference(&self) -> &str {
        &self.model.reference
    }
    async fn note(&self) -> &str {
        &self.model.note
    }
    async fn overage(&self) -> &str {
        &self.model.overage
    }
    async fn optional(&self) -> bool {
        self.model.optional
    }
    async fn consumable(&self) -> bool {
        self.model.consumable
    }
    async fn inherited(&self) -> bool {
        self.model.inherited
    }
    async fn allow_variants(&self) -> bool {
        self.model.allow_variants
    }
    /// True while the line is unchanged since it was last validated.
    async fn validated(&self) -> bool {
        service::bom_line::is_validated(&self.model)
    }
    /// `customId` to `metadata`.
    #[graphql(flatten)]
    async fn columns(&self) -> &bom_line::Model {
        &self.model
    }
    /// True when the line has designators and their count differs from its quantity.
    async fn designator_count_mismatch(&self) -> bool {
        service::raw_bom::quantity_mismatch(&self.model)
    }
    /// For an AMBIGUOUS line, the parts it could be.
    async fn match_candidates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Part>> {
        let ids = &self.model.match_candidates;
        let found = loaders(ctx).parts.load_many(ids.iter().copied()).await?;
        charged(
            ctx,
            ids.iter()
                .filter_map(|id| found.get(id).cloned())
                .map(Part::new)
                .collect(),
        )
        .await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.model.updated_at
    }
    async fn substitutes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Substitute>> {
        let bundle = self.bundle(ctx).await?;
        charged(
            ctx,
            bundle
                .substitutes
                .get(&self.model.id)
                .into_iter()
                .flatten()
                .map(|s| Substitute {
                    model: s.clone(),
                    bundle: Some(bundle.clone()),
                })
                .collect(),
        )
        .await
    }
    /// Stock of the part: in stock less allocated.
    async fn available_stock(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.available_stock)
    }
    /// Available stock of all substitute parts together.
    async fn available_substitute_stock(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.available_substitute_stock)
    }
    /// Available stock of the part's variants; zero unless the line allows variants.
    async fn available_variant_stock(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.available_variant_stock)
    }
    async fn on_order(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.on_order)
    }
    async fn building(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.building)
    }
    async fn external_stock(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.external_stock)
    }
    /// Lowest unit price over the part's price breaks, in `pricingCurrency`.
    async fn pricing_min(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        Ok(self.figures(ctx).await?.pricing_min)
    }
    async fn pricing_max(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        Ok(self.figures(ctx).await?.pricing_max)
    }
    /// `pricingMin` times the line quantity.
    async fn pricing_min_total(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        Ok(self.figures(ctx).await?.pricing_min_total)
    }
    async fn pricing_max_total(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        Ok(self.figures(ctx).await?.pricing_max_total)
    }
    async fn pricing_currency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.figures(ctx).await?.pricing_currency)
    }
}
