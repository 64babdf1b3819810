use sea_orm::entity::prelude::*;

use crate::DecimalText;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "PriceBreakColumns"))]
#[sea_orm(table_name = "price_break")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub offer_id: i32,
    pub quantity: DecimalText,
    pub unit_price: DecimalText,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
