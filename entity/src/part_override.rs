use sea_orm::entity::prelude::*;

/// A per-program decision about one part.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "part_override")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub team_id: i32,
    pub program_id: i32,
    pub part_id: i32,
    pub exclude: bool,
    pub replacement_part_id: Option<i32>,
    pub on_hand_quantity: Option<String>,
    pub unit_price: Option<String>,
    /// The currency of `unit_price`; without one, that of the part's offers.
    pub currency: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
