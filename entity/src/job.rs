use sea_orm::entity::prelude::*;

/// Asynchronous work kept in the database so it survives restarts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[cfg_attr(feature = "graphql", derive(async_graphql::SimpleObject))]
#[cfg_attr(feature = "graphql", graphql(name = "JobColumns"))]
#[sea_orm(table_name = "job")]
pub struct Model {
    #[sea_orm(primary_key)]
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub id: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub team_id: i32,
    /// bom_upsert or program_availability.
    pub kind: String,
    pub status: JobStatus,
    /// 0 to 100.
    pub progress: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub payload: Json,
    pub result: Option<Json>,
    /// Why the job failed.
    pub error: Option<String>,
    pub attempts: i32,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub locked_by: Option<String>,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub locked_until: Option<DateTimeUtc>,
    #[cfg_attr(feature = "graphql", graphql(skip))]
    pub created_by: Option<i32>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
}

// Where a job is in its life; stored as `queued`, `running`, `succeeded` or `failed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, EnumIter, DeriveActiveEnum)]
#[cfg_attr(feature = "graphql", derive(async_graphql::Enum))]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
pub enum JobStatus {
    #[sea_orm(string_value = "queued")]
    Queued,
    #[sea_orm(string_value = "running")]
    Running,
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    #[sea_orm(string_value = "failed")]
    Failed,
}

/// The stored value.
impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_value())
    }
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
