use sea_orm::entity::prelude::*;

/// Another name a team's BOMs use for a manufacturer ("TI" for "Texas Instruments").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "ManufacturerAliasColumns"))]
#[sea_orm(table_name = "manufacturer_alias")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    // The alias as normalised by `service::matching::manufacturer_key`.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub alias_key: String,
    pub alias: String,
    pub manufacturer: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
