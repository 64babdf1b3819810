use sea_orm::entity::prelude::*;

/// One line of a BOM: InvenTree's BomItem and Cofactr's BomLine are both views of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bom_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub team_id: i32,
    pub bom_id: i32,
    /// The resolved part; `None` while nothing matched.
    pub part_id: Option<i32>,
    pub quantity: String,
    /// Parsed reference designators, a JSON array of strings.
    pub reference_designators: Json,
    /// The reference string as given.
    pub reference: String,
    pub note: String,
    pub overage: String,
    pub optional: bool,
    pub consumable: bool,
    pub inherited: bool,
    pub allow_variants: bool,
    /// Checksum stored when the line was last validated; see `service::bom_line`.
    pub validation_hash: Option<String>,
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    pub alternative_mpns: Json,
    pub manufacturer_name: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    pub do_not_place: bool,
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub is_custom_part: bool,
    pub match_status: String,
    pub match_candidates: Json,
    pub metadata: Option<Json>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
