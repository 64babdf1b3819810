//! Background jobs as GraphQL sees them.
use async_graphql::{Context, Object, ID};
use entity::job;

use super::context::{db, principal};
use super::error::GqlResult;
use super::global_id::{parse_id, to_id, NodeKind};

#[derive(Clone)]
pub struct Job(pub job::Model);

#[Object]
impl Job {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::Job, self.0.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.0.id
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
        Ok(Job(service::job::get(
            db(ctx),
            p,
            parse_id(NodeKind::Job, "id", &id)?,
        )
        .await
        .gql()?))
    }
}
