use sea_orm::entity::prelude::*;

/// A supplier's offer for a part; its prices are `price_break` rows.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "supplier_offer")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub team_id: i32,
    pub part_id: i32,
    pub supplier: String,
    pub sku: String,
    pub stock: String,
    pub moq: String,
    pub order_multiple: String,
    pub lead_days: Option<i32>,
    pub currency: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
