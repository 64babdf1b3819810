//! Team members and the caller's API tokens.
use async_graphql::{Context, Object, SimpleObject, ID};
use entity::api_token;
use service::auth::Role;

use super::budget::charged;
use super::context::{db, parse_id, principal, to_id};
use super::error::GqlResult;

#[derive(SimpleObject)]
pub struct TeamMember {
    pub user_id: ID,
    pub username: String,
    /// viewer, editor or admin.
    pub role: String,
}

impl From<service::team::Member> for TeamMember {
    fn from(m: service::team::Member) -> Self {
        TeamMember {
            user_id: to_id(m.user_id),
            username: m.username,
            role: m.role.as_str().into(),
        }
    }
}

pub struct ApiToken(api_token::Model);

/// One of the caller's API tokens; its key is shown only when it is created.
#[Object]
impl ApiToken {
    async fn id(&self) -> ID {
        to_id(self.0.id)
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
        let members = service::team::members(db(ctx), p, parse_id("team_id", &team_id)?)
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
            parse_id("team_id", &team_id)?,
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
        service::team::remove_member(db(ctx), p, parse_id("team_id", &team_id)?, &username)
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
        let token = service::auth::revoke_own_token(db(ctx), p, parse_id("id", &id)?)
            .await
            .gql()?;
        Ok(token.into())
    }
}
