use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "bom")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub team_id: i32,
    pub name: String,
    pub version: String,
    pub part_number: String,
    pub description: String,
    /// The part this BOM builds, if any.
    pub assembly_part_id: Option<i32>,
    /// This BOM's label in its revision chain: `A`, `B`, ... or `1`, `2`, ...
    pub revision: String,
    /// The chain's first BOM; `None` when this BOM is the first (see `service::revision`).
    pub chain_id: Option<i32>,
    /// The revision this one was made from.
    pub previous_revision_id: Option<i32>,
    pub approved: bool,
    pub approved_at: Option<DateTimeUtc>,
    pub approved_by: Option<i32>,
    pub archived: bool,
    pub metadata: Option<Json>,
    pub integration_record_id: Option<String>,
    pub synced_from_integration: bool,
    pub integration_source_name: Option<String>,
    pub synced_from_integration_at: Option<DateTimeUtc>,
    /// Set by an import upload that asked to clear the BOM: the user who uploaded, and
    /// until when. Only that user's successful submit within the time clears the lines.
    pub clear_on_import_by: Option<i32>,
    pub clear_on_import_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
