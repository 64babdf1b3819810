//! What every resolver reads from the request: the database, the principal, the loaders.
use std::sync::Arc;

use async_graphql::{Context, MaybeUndefined, ID};
use service::auth::Principal;
use service::{DatabaseConnection, FieldErrors, ServiceError};

use super::error::to_gql;
use super::loaders::Loaders;

pub fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// The authenticated principal, or `UNAUTHENTICATED`.
pub fn principal<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Arc<Principal>> {
    ctx.data_opt::<Arc<Principal>>()
        .ok_or_else(|| to_gql(ServiceError::Unauthenticated))
}

pub fn loaders<'a>(ctx: &Context<'a>) -> &'a Loaders {
    ctx.data_unchecked::<Loaders>()
}

/// Ids are integers carried in GraphQL's `ID`; a malformed one is a validation error.
pub fn parse_id(field: &str, id: &ID) -> async_graphql::Result<i32> {
    id.parse::<i32>().map_err(|_| {
        to_gql(FieldErrors::single(
            field,
            format!("\"{}\" is not a valid id.", id.as_str()),
        ))
    })
}

pub fn opt_id(field: &str, id: &Option<ID>) -> async_graphql::Result<Option<i32>> {
    id.as_ref().map(|i| parse_id(field, i)).transpose()
}

/// An id that an update may leave out (keep), set to null (clear) or give (set), as the
/// service's `Option<Option<i32>>`.
pub fn maybe_id(
    field: &str,
    id: &MaybeUndefined<ID>,
) -> async_graphql::Result<Option<Option<i32>>> {
    id.as_opt_ref()
        .map(|id| id.map(|i| parse_id(field, i)).transpose())
        .transpose()
}

pub fn to_id(id: i32) -> ID {
    ID(id.to_string())
}
