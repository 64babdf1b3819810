//! `TeamMutation`: team members and the caller's API tokens, written; each mutation's one
//! input and its payload.
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use service::auth::Role;

use super::context::{after_write, db, principal};
use super::error::{to_gql, GqlResult};
use super::global_id::{parse_id, to_id, NodeKind};
use super::team::{ApiToken, TeamMember};

#[derive(InputObject)]
pub struct SetTeamMemberInput {
    pub team_id: ID,
    pub username: String,
    /// viewer, editor or admin.
    pub role: String,
}

#[derive(SimpleObject)]
pub struct SetTeamMemberPayload {
    pub team_member: TeamMember,
}

#[derive(InputObject)]
pub struct RemoveTeamMemberInput {
    pub team_id: ID,
    pub username: String,
}

#[derive(SimpleObject)]
pub struct RemoveTeamMemberPayload {
    /// The removed membership's id (a `TeamMember` id).
    pub deleted_id: ID,
}

#[derive(InputObject)]
pub struct CreateApiTokenInput {
    #[graphql(default)]
    pub name: String,
}

#[derive(SimpleObject)]
pub struct CreateApiTokenPayload {
    pub token: ApiToken,
    /// The key to send as `Authorization: Bearer <key>`; it cannot be read again.
    pub key: String,
}

#[derive(InputObject)]
pub struct RevokeApiTokenInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct RevokeApiTokenPayload {
    /// The token, revoked.
    pub token: ApiToken,
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
        input: SetTeamMemberInput,
    ) -> async_graphql::Result<SetTeamMemberPayload> {
        let p = principal(ctx)?;
        let role = Role::parse(&input.role).gql()?;
        let team_id = parse_id(NodeKind::Team, "team_id", &input.team_id)?;
        let member = service::team::set_member_role(db(ctx), p, team_id, &input.username, role)
            .await
            .gql()?;
        after_write(ctx);
        Ok(SetTeamMemberPayload {
            team_member: member.into(),
        })
    }

    /// Removes a member from the team; their parts, BOMs and programs stay with the team.
    async fn remove_team_member(
        &self,
        ctx: &Context<'_>,
        input: RemoveTeamMemberInput,
    ) -> async_graphql::Result<RemoveTeamMemberPayload> {
        let p = principal(ctx)?;
        let team_id = parse_id(NodeKind::Team, "team_id", &input.team_id)?;
        let username = input.username.trim();
        // the membership's id, read first; the removal gives the refusal when there is one
        let member = service::team::members(db(ctx), p, team_id)
            .await
            .ok()
            .and_then(|members| members.into_iter().find(|m| m.username == username));
        service::team::remove_member(db(ctx), p, team_id, username)
            .await
            .gql()?;
        after_write(ctx);
        let member = member.ok_or_else(|| to_gql(service::ServiceError::not_found("member")))?;
        Ok(RemoveTeamMemberPayload {
            deleted_id: to_id(NodeKind::TeamMember, member.id),
        })
    }

    /// A new API token for the caller; the key is in this answer only.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> async_graphql::Result<CreateApiTokenPayload> {
        let p = principal(ctx)?;
        let (token, key) = service::auth::create_own_token(db(ctx), p, &input.name)
            .await
            .gql()?;
        Ok(CreateApiTokenPayload {
            token: token.into(),
            key,
        })
    }

    /// Revokes one of the caller's tokens; requests with it are refused from then on.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiTokenInput,
    ) -> async_graphql::Result<RevokeApiTokenPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::ApiToken, "id", &input.id)?;
        let token = service::auth::revoke_own_token(db(ctx), p, id)
            .await
            .gql()?;
        Ok(RevokeApiTokenPayload {
            token: token.into(),
        })
    }
}
