use sea_orm::entity::prelude::*;

/// An API token. Only the SHA-256 of the key is stored; the key is shown once.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "ApiTokenColumns"))]
#[sea_orm(table_name = "api_token")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub user_id: i32,
    pub name: String,
    #[sea_orm(unique)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub key_hash: String,
    pub created_at: DateTimeUtc,
    pub revoked: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
