use sea_orm::entity::prelude::*;

use crate::{DecimalText, IdList, StringList};

/// One line of a BOM: InvenTree's BomItem and Cofactr's BomLine are both views of it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "BomLineColumns"))]
#[sea_orm(table_name = "bom_line")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub bom_id: i32,
    // The resolved part; `None` while nothing matched.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub part_id: Option<i32>,
    // From here to `allow_variants`, the columns are shown by the api's `BomLine` between
    // its computed fields.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub quantity: DecimalText,
    // Parsed reference designators.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub reference_designators: StringList,
    // The reference string as given.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub reference: String,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub note: String,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub overage: String,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub optional: bool,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub consumable: bool,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub inherited: bool,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub allow_variants: bool,
    // Checksum stored when the line was last validated; see `service::bom_line`.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub validation_hash: Option<String>,
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    pub alternative_mpns: StringList,
    pub manufacturer_name: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    pub do_not_place: bool,
    /// The line's label in its source BOM, such as "12" or "A7".
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub is_custom_part: bool,
    pub match_status: MatchStatus,
    // The parts an ambiguous line could be.
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub match_candidates: IdList,
    pub metadata: Option<Json>,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub created_at: DateTimeUtc,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub updated_at: DateTimeUtc,
}

// How a line's part was found: by matching its MPN, not at all, among several candidates,
// or made for the line as a custom part. (No doc comment: GraphQL shows none.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum MatchStatus {
    #[sea_orm(string_value = "matched")]
    Matched,
    #[sea_orm(string_value = "no_match")]
    NoMatch,
    #[sea_orm(string_value = "ambiguous")]
    Ambiguous,
    #[sea_orm(string_value = "custom")]
    Custom,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// The stored value: `matched`, `no_match`, `ambiguous` or `custom`.
impl std::fmt::Display for MatchStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_value())
    }
}
