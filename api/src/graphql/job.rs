//! Background jobs as GraphQL sees them.
use async_graphql::{Context, Object, ID};
use entity::job;

use super::bom::Bom;
use super::context::{db, loaders, principal};
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
    /// The BOM an upsert wrote, once it succeeded (`result.bom_id` as an object).
    async fn bom(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Bom>> {
        let Some(id) = service::job::upserted_bom(&self.0) else {
            return Ok(None);
        };
        Ok(loaders(ctx).boms.load_one(id).await?.map(Bom))
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
