//! Teams, their members, users, and the caller's API tokens.
use async_graphql::{Context, Object, SimpleObject, ID};
use entity::{api_token, user};
use service::auth::{Role, TeamRole};

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

#[derive(SimpleObject)]
pub struct NewApiToken {
    pub token: ApiToken,
    /// The key to send as `Authorization: Bearer <key>`; it cannot be read again.
    pub key: String,
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

#[derive(Default)]
pub struct TeamMutation;

#[Object]
impl TeamMutation {
    /// Adds an existing user to the team, or changes their role (viewer, editor or admin).
    /// Team admins only; the last admin keeps the role.
    async fn set_team_member(
        &self,
        ctx: &Context<'_>,
        team_id: ID,
        username: String,
        role: String,
    ) -> async_graphql::Result<TeamMember> {
        let p = principal(ctx)?;
        let role = Role::parse(&role).gql()?;
        let member = service::team::set_member_role(
            db(ctx),
            p,
            parse_id(NodeKind::Team, "team_id", &team_id)?,
            &username,
            role,
        )
        .await
        .gql()?;
        Ok(member.into())
    }

    /// Removes a member from the team; their parts, BOMs and programs stay with the team.
    async fn remove_team_member(
        &self,
        ctx: &Context<'_>,
        team_id: ID,
        username: String,
    ) -> async_graphql::Result<bool> {
        let p = principal(ctx)?;
        service::team::remove_member(
            db(ctx),
            p,
            parse_id(NodeKind::Team, "team_id", &team_id)?,
            &username,
        )
        .await
        .gql()?;
        Ok(true)
    }

    /// A new API token for the caller; the key is in this answer only.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] name: String,
    ) -> async_graphql::Result<NewApiToken> {
        let p = principal(ctx)?;
        let (token, key) = service::auth::create_own_token(db(ctx), p, &name)
            .await
            .gql()?;
        Ok(NewApiToken {
            token: token.into(),
            key,
        })
    }

    /// Revokes one of the caller's tokens; requests with it are refused from then on.
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiToken> {
        let p = principal(ctx)?;
        let token =
            service::auth::revoke_own_token(db(ctx), p, parse_id(NodeKind::ApiToken, "id", &id)?)
                .await
                .gql()?;
        Ok(token.into())
    }
}
