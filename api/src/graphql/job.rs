//! Background jobs as GraphQL sees them.
use async_graphql::{Context, Object, ID};
use entity::job;

use super::context::{db, parse_id, principal, to_id};
use super::error::GqlResult;

pub struct Job(pub job::Model);

#[Object]
impl Job {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }
    /// `kind` to `finishedAt`.
    #[graphql(flatten)]
    async fn columns(&self) -> &job::Model {
        &self.0
    }
}

#[derive(Default)]
pub struct JobQuery;

#[Object]
impl JobQuery {
    async fn job(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Job> {
        let p = principal(ctx)?;
        Ok(Job(service::job::get(db(ctx), p, parse_id("id", &id)?)
            .await
            .gql()?))
    }
}
