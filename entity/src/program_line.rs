use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "program_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub team_id: i32,
    pub program_id: i32,
    pub bom_id: i32,
    /// Units of the BOM to build.
    pub quantity: String,
    /// Build the latest approved revision of `bom_id`'s chain instead of `bom_id` itself.
    pub follow_latest: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
