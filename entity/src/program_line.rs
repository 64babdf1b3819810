use sea_orm::entity::prelude::*;

use crate::DecimalText;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "ProgramLineColumns"))]
#[sea_orm(table_name = "program_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub program_id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub bom_id: i32,
    /// Units of the BOM to build.
    pub quantity: DecimalText,
    /// True when the line builds the latest approved revision of its BOM's chain rather
    /// than the BOM itself (the BOM itself while the chain has no approved revision).
    pub follow_latest: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
