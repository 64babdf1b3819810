use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "BomColumns"))]
#[sea_orm(table_name = "bom")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    // From `name` to `archived`, the columns are shown by the api's `Bom` between its
    // computed fields.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub name: String,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub version: String,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub part_number: String,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub description: String,
    // The part this BOM builds, if any.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub assembly_part_id: Option<i32>,
    // This BOM's label in its revision chain: `A`, `B`, ... or `1`, `2`, ...
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub revision: String,
    // The chain's first BOM; `None` when this BOM is the first (see `service::revision`).
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub chain_id: Option<i32>,
    // The revision this one was made from.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub previous_revision_id: Option<i32>,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub approved: bool,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub approved_at: Option<DateTimeUtc>,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub approved_by: Option<i32>,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub archived: bool,
    pub metadata: Option<Json>,
    pub integration_record_id: Option<String>,
    pub synced_from_integration: bool,
    pub integration_source_name: Option<String>,
    pub synced_from_integration_at: Option<DateTimeUtc>,
    // Set by an import upload that asked to clear the BOM: the user who uploaded, and
    // until when. Only that user's successful submit within the time clears the lines.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub clear_on_import_by: Option<i32>,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub clear_on_import_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
