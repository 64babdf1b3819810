use sea_orm::entity::prelude::*;

use crate::DecimalText;

/// A per-program decision about one part.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "PartOverrideColumns"))]
#[sea_orm(table_name = "part_override")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub program_id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub part_id: i32,
    // Shown by the api's `PartOverride` between its computed fields.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub exclude: bool,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub replacement_part_id: Option<i32>,
    /// Count this quantity as on hand, whatever the stock figures say.
    pub on_hand_quantity: Option<DecimalText>,
    /// Price the part at this unit price.
    pub unit_price: Option<DecimalText>,
    /// The unit price's currency; without one, that of the part's offers.
    pub currency: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
