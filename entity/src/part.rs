use sea_orm::entity::prelude::*;

use crate::DecimalText;

/// A catalogue part.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "PartColumns"))]
#[sea_orm(table_name = "part")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    pub name: String,
    /// Internal part number.
    pub ipn: String,
    pub description: String,
    /// Manufacturer part number.
    pub mpn: String,
    // `mpn` upper-cased with punctuation removed, for matching (`service::matching`).
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub mpn_key: String,
    // `mpn_key` without packaging suffixes, the loosest match.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub mpn_loose_key: String,
    pub manufacturer: String,
    pub revision: String,
    pub units: String,
    pub keywords: String,
    pub link: String,
    pub active: bool,
    pub assembly: bool,
    pub component: bool,
    pub purchaseable: bool,
    pub salable: bool,
    pub trackable: bool,
    #[cfg_attr(feature = "graphql", graphql(name = "virtual"))]
    pub is_virtual: bool,
    pub is_template: bool,
    // The columns below are shown by the api's `Part` between its computed fields.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub variant_of: Option<i32>,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub in_stock: DecimalText,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub allocated: DecimalText,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub on_order: DecimalText,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub building: DecimalText,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub external_stock: DecimalText,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub created_at: DateTimeUtc,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
