//! What every resolver reads from the request: the database, the principal, the loaders.
use std::sync::Arc;

use async_graphql::Context;
use service::auth::Principal;
use service::{DatabaseConnection, ServiceError};

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

/// Called by a mutation after its write: what the request loaded once is stale now, and the
/// payload (or a later mutation of the same request) must show the rows as they are.
pub fn after_write(ctx: &Context<'_>) {
    loaders(ctx).forget();
}
