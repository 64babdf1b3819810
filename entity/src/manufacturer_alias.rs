use sea_orm::entity::prelude::*;

/// Another name a team's BOMs use for a manufacturer ("TI" for "Texas Instruments").
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "manufacturer_alias")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub team_id: i32,
    /// The alias as normalised by `service::matching::manufacturer_key`.
    pub alias_key: String,
    pub alias: String,
    pub manufacturer: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
