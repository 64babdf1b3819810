//! Background jobs as GraphQL sees them.
use async_graphql::{Context, Enum, Json, Object, ID};
use chrono::{DateTime, Utc};
use entity::job;
use serde_json::Value;

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
    /// 0 to 100.
    async fn progress(&self) -> i32 {
        self.0.progress
    }
    async fn result(&self) -> Option<Json<Value>> {
        self.0.result.clone().map(Json)
    }
    /// Why the job failed.
    async fn error(&self) -> Option<&str> {
        self.0.error.as_deref()
    }
    async fn attempts(&self) -> i32 {
        self.0.attempts
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.0.finished_at
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
