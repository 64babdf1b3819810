//! Background jobs as GraphQL sees them.
use async_graphql::{Context, Enum, Object, ID};
use entity::job;

use super::context::{db, parse_id, principal, to_id};
use super::error::GqlResult;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum JobStatus {
    Queued,
    Running,
    Succeeded,
    Failed,
}

pub struct Job(pub job::Model);

#[Object]
impl Job {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }
    /// bom_upsert or program_availability.
    async fn kind(&self) -> &str {
        &self.0.kind
    }
    async fn status(&self) -> JobStatus {
        use service::job::status as s;
        match self.0.status.as_str() {
            s::RUNNING => JobStatus::Running,
            s::SUCCEEDED => JobStatus::Succeeded,
            s::FAILED => JobStatus::Failed,
            _ => JobStatus::Queued,
        }
    }
    /// `progress` to `finishedAt`.
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
