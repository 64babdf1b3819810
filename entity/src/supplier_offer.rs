use sea_orm::entity::prelude::*;

use crate::DecimalText;

/// A supplier's offer for a part; its prices are `price_break` rows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "OfferColumns"))]
#[sea_orm(table_name = "supplier_offer")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub part_id: i32,
    pub supplier: String,
    pub sku: String,
    pub stock: DecimalText,
    pub moq: DecimalText,
    pub order_multiple: DecimalText,
    pub lead_days: Option<i32>,
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
