use sea_orm::entity::prelude::*;

/// A catalogue part. Stock figures are decimal strings (see the crate docs).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "part")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub team_id: i32,
    pub name: String,
    pub ipn: String,
    pub description: String,
    pub mpn: String,
    /// `mpn` upper-cased with punctuation removed, for matching (`service::matching`).
    pub mpn_key: String,
    /// `mpn_key` without packaging suffixes, the loosest match.
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
    pub is_virtual: bool,
    pub is_template: bool,
    pub variant_of: Option<i32>,
    pub in_stock: String,
    pub allocated: String,
    pub on_order: String,
    pub building: String,
    pub external_stock: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
