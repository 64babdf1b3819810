//! Teams, their members, users, and the caller's API tokens.
use async_graphql::{Context, Object, ID};
use entity::{api_token, user};
use service::auth::TeamRole;

use super::budget::charged;
use super::context::{db, principal};
use super::error::GqlResult;
use super::global_id::{parse_id, to_id, NodeKind};

/// A team the caller belongs to: the tenant that parts, BOMs, programs and jobs belong to.
#[derive(Clone)]
pub struct Team {
    pub id: i32,
    pub name: String,
}

#[Object]
impl Team {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::Team, self.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.id
    }
    async fn name(&self) -> &str {
        &self.name
    }
}

impl From<&TeamRole> for Team {
    fn from(t: &TeamRole) -> Self {
        Team {
            id: t.team_id,
            name: t.team_name.clone(),
        }
    }
}

/// A user: the caller, or a member of one of the caller's teams.
#[derive(Clone)]
pub struct User(pub user::Model);

#[Object]
impl User {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::User, self.0.id)
    }
    /// The database id.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    async fn username(&self) -> &str {
        &self.0.username
    }
}

/// One member of a team and their role there.
#[derive(Clone)]
pub struct TeamMember(pub service::team::Member);

#[Object]
impl TeamMember {
    /// The membership's id; it stays the same when the member's role changes.
    pub async fn id(&self) -> ID {
        to_id(NodeKind::TeamMember, self.0.id)
    }
    /// The membership's database id.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    async fn team_id(&self) -> ID {
        to_id(NodeKind::Team, self.0.team_id)
    }
    async fn user_id(&self) -> ID {
        to_id(NodeKind::User, self.0.user_id)
    }
    async fn username(&self) -> &str {
        &self.0.username
    }
    /// viewer, editor or admin.
    async fn role(&self) -> &str {
        self.0.role.as_str()
    }
}

impl From<service::team::Member> for TeamMember {
    fn from(m: service::team::Member) -> Self {
        TeamMember(m)
    }
}

#[derive(Clone)]
pub struct ApiToken(pub api_token::Model);

/// One of the caller's API tokens; its key is shown only when it is created.
#[Object]
impl ApiToken {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::ApiToken, self.0.id)
    }
    /// The database id.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    #[graphql(flatten)]
    async fn columns(&self) -> &api_token::Model {
        &self.0
    }
}

impl From<api_token::Model> for ApiToken {
    fn from(t: api_token::Model) -> Self {
        ApiToken(t)
    }
}

#[derive(Default)]
pub struct TeamQuery;

#[Object]
impl TeamQuery {
    /// The members of one of the caller's teams, by username.
    async fn team_members(
        &self,
        ctx: &Context<'_>,
        team_id: ID,
    ) -> async_graphql::Result<Vec<TeamMember>> {
        let p = principal(ctx)?;
        let members =
            service::team::members(db(ctx), p, parse_id(NodeKind::Team, "team_id", &team_id)?)
                .await
                .gql()?;
        Ok(members.into_iter().map(TeamMember::from).collect())
    }

    /// The caller's API tokens, newest first.
    async fn api_tokens(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiToken>> {
        let p = principal(ctx)?;
        let tokens = service::auth::own_tokens(db(ctx), p).await.gql()?;
        charged(ctx, tokens.into_iter().map(ApiToken::from).collect()).await
    }
}
