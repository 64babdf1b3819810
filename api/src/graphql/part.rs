//! Parts, supplier offers and price breaks.
use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, ID};
use chrono::{DateTime, Utc};
use entity::{part, price_break, supplier_offer, DecimalText};
use rust_decimal::Decimal;
use service::figures::LineBundle;
use service::part::{OfferInput, PartFilter, PartInput, PriceBreakInput};

use super::budget::charged;
use super::connection::{connection, page_complexity, page_request, Conn};
use super::context::{db, loaders, principal};
use super::error::{to_gql, GqlResult};
use super::global_id::{maybe_id, opt_id, parse_id, to_id, NodeKind};

/// A catalogue part. When reached through a BOM line it carries that line's batch, so its
/// offers need no further statement.
#[derive(Clone)]
pub struct Part {
    pub model: part::Model,
    pub bundle: Option<Arc<LineBundle>>,
}

impl Part {
    pub fn new(model: part::Model) -> Self {
        Self {
            model,
            bundle: None,
        }
    }

    /// The part a row names, read in one batch with the other parts of the request.
    pub async fn named(ctx: &Context<'_>, id: Option<i32>) -> async_graphql::Result<Option<Part>> {
        let Some(id) = id else {
            return Ok(None);
        };
        Ok(loaders(ctx).parts.load_one(id).await?.map(Part::new))
    }
}

// The columns that sit between computed fields are resolved here, the rest by `part::Model`.
#[Object]
impl Part {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::Part, self.model.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.model.id
    }
    async fn team_id(&self) -> ID {
        to_id(NodeKind::Team, self.model.team_id)
    }
    /// `name` to `isTemplate`.
    #[graphql(flatten)]
    async fn columns(&self) -> &part::Model {
        &self.model
    }
    async fn variant_of(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        Part::named(ctx, self.model.variant_of).await
    }
    async fn in_stock(&self) -> DecimalText {
        self.model.in_stock
    }
    async fn allocated(&self) -> DecimalText {
        self.model.allocated
    }
    /// In stock less allocated, never below zero.
    async fn available_stock(&self) -> Decimal {
        service::part::available_stock(&self.model)
    }
    async fn on_order(&self) -> DecimalText {
        self.model.on_order
    }
    async fn building(&self) -> DecimalText {
        self.model.building
    }
    async fn external_stock(&self) -> DecimalText {
        self.model.external_stock
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.model.updated_at
    }
    async fn offers(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Offer>> {
        if let Some(bundle) = &self.bundle {
            if let Some(offers) = bundle.offers.get(&self.model.id) {
                return charged(
                    ctx,
                    offers
                        .iter()
                        .map(|o| Offer {
                            model: o.clone(),
                            breaks: Some(bundle.breaks.get(&o.id).cloned().unwrap_or_default()),
                        })
                        .collect(),
                )
                .await;
            }
            if bundle.parts.contains_key(&self.model.id) {
                return Ok(Vec::new());
            }
        }
        let offers = loaders(ctx)
            .offers_by_part
            .load_one(self.model.id)
            .await?
            .unwrap_or_default();
        Ok(offers
            .into_iter()
            .map(|model| Offer {
                model,
                breaks: None,
            })
            .collect())
    }
}

#[derive(Clone)]
pub struct Offer {
    pub model: supplier_offer::Model,
    pub breaks: Option<Vec<price_break::Model>>,
}

#[Object]
impl Offer {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::Offer, self.model.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.model.id
    }
    #[graphql(flatten)]
    async fn columns(&self) -> &supplier_offer::Model {
        &self.model
    }
    async fn price_breaks(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PriceBreak>> {
        let rows = match &self.breaks {
            Some(b) => b.clone(),
            None => loaders(ctx)
                .breaks_by_offer
                .load_one(self.model.id)
                .await?
                .unwrap_or_default(),
        };
        charged(ctx, rows.into_iter().map(PriceBreak).collect()).await
    }
}

#[derive(Clone)]
pub struct PriceBreak(pub price_break::Model);

#[Object]
impl PriceBreak {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::PriceBreak, self.0.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    #[graphql(flatten)]
    async fn columns(&self) -> &price_break::Model {
        &self.0
    }
}

#[derive(InputObject)]
#[graphql(name = "PriceBreakInput")]
pub struct PriceBreakInputGql {
    pub quantity: Decimal,
    pub unit_price: Decimal,
}

#[derive(InputObject)]
#[graphql(name = "OfferInput")]
pub struct OfferInputGql {
    pub supplier: String,
    #[graphql(default)]
    pub sku: String,
    #[graphql(default)]
    pub stock: Decimal,
    #[graphql(default_with = "Decimal::ONE")]
    pub moq: Decimal,
    #[graphql(default_with = "Decimal::ONE")]
    pub order_multiple: Decimal,
    pub lead_days: Option<i32>,
    #[graphql(default_with = "\"USD\".to_string()")]
    pub currency: String,
    #[graphql(default)]
    pub price_breaks: Vec<PriceBreakInputGql>,
}

/// Fields of a part; on update, omitted fields keep their value. `offers`, when given,
/// replaces all offers of the part.
#[derive(InputObject, Default)]
#[graphql(name = "PartInput")]
pub struct PartInputGql {
    pub team_id: Option<ID>,
    pub name: Option<String>,
    pub ipn: Option<String>,
    pub description: Option<String>,
    pub mpn: Option<String>,
    pub manufacturer: Option<String>,
    pub revision: Option<String>,
    pub units: Option<String>,
    pub keywords: Option<String>,
    pub link: Option<String>,
    pub active: Option<bool>,
    pub assembly: Option<bool>,
    pub component: Option<bool>,
    pub purchaseable: Option<bool>,
    pub salable: Option<bool>,
    pub trackable: Option<bool>,
    #[graphql(name = "virtual")]
    pub is_virtual: Option<bool>,
    pub is_template: Option<bool>,
    pub variant_of: async_graphql::MaybeUndefined<ID>,
    pub in_stock: Option<Decimal>,
    pub allocated: Option<Decimal>,
    pub on_order: Option<Decimal>,
    pub building: Option<Decimal>,
    pub external_stock: Option<Decimal>,
    pub offers: Option<Vec<OfferInputGql>>,
}

impl PartInputGql {
    pub(crate) fn into_service(self) -> async_graphql::Result<PartInput> {
        let variant_of = maybe_id(NodeKind::Part, "variant_of", &self.variant_of)?;
        Ok(PartInput {
            team_id: opt_id(NodeKind::Team, "team_id", &self.team_id)?,
            name: self.name,
            ipn: self.ipn,
            description: self.description,
            mpn: self.mpn,
            manufacturer: self.manufacturer,
            revision: self.revision,
            units: self.units,
            keywords: self.keywords,
            link: self.link,
            active: self.active,
            assembly: self.assembly,
            component: self.component,
            purchaseable: self.purchaseable,
            salable: self.salable,
            trackable: self.trackable,
            is_virtual: self.is_virtual,
            is_template: self.is_template,
            variant_of,
            in_stock: self.in_stock,
            allocated: self.allocated,
            on_order: self.on_order,
            building: self.building,
            external_stock: self.external_stock,
            offers: self.offers.map(|offers| {
                offers
                    .into_iter()
                    .map(|o| OfferInput {
                        supplier: o.supplier,
                        sku: o.sku,
                        stock: o.stock,
                        moq: o.moq,
                        order_multiple: o.order_multiple,
                        lead_days: o.lead_days,
                        currency: o.currency,
                        price_breaks: o
                            .price_breaks
                            .into_iter()
                            .map(|b| PriceBreakInput {
                                quantity: b.quantity,
                                unit_price: b.unit_price,
                            })
                            .collect(),
                    })
                    .collect()
            }),
        })
    }
}

#[derive(InputObject, Default)]
pub struct PartFilterInput {
    /// Every whitespace- or comma-separated term must match name, IPN, description, MPN,
    /// manufacturer, keywords or revision.
    pub search: Option<String>,
    pub active: Option<bool>,
    pub assembly: Option<bool>,
    pub component: Option<bool>,
    pub purchaseable: Option<bool>,
    pub salable: Option<bool>,
    pub trackable: Option<bool>,
    #[graphql(name = "virtual")]
    pub is_virtual: Option<bool>,
    pub is_template: Option<bool>,
    pub variant_of: Option<ID>,
    pub team_id: Option<ID>,
}

#[derive(Default)]
pub struct PartQuery;

#[Object]
impl PartQuery {
    async fn part(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Part> {
        principal(ctx)?;
        // Through the loader: aliases of `part` read their parts in one batch.
        let part = loaders(ctx)
            .parts
            .load_one(parse_id(NodeKind::Part, "id", &id)?)
            .await?;
        part.map(Part::new)
            .ok_or_else(|| to_gql(service::ServiceError::not_found("part")))
    }

    /// Parts ordered by name, then id.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn parts(
        &self,
        ctx: &Context<'_>,
        filter: Option<PartFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Conn<Part>> {
        let p = principal(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = PartFilter {
            search: f.search,
            active: f.active,
            assembly: f.assembly,
            component: f.component,
            purchaseable: f.purchaseable,
            salable: f.salable,
            trackable: f.trackable,
            is_virtual: f.is_virtual,
            is_template: f.is_template,
            variant_of: opt_id(NodeKind::Part, "variant_of", &f.variant_of)?,
            team_id: opt_id(NodeKind::Team, "team_id", &f.team_id)?,
        };
        let page = service::part::list(
            db(ctx),
            p,
            &filter,
            page_request(after, before, first, last)?,
        )
        .await
        .gql()?;
        Ok(connection(page, Part::new))
    }
}
