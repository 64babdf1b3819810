//! `PartMutation`: the catalogue, written; each mutation's one input and its payload.
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};

use super::context::{after_write, db, principal};
use super::error::GqlResult;
use super::global_id::{parse_id, NodeKind};
use super::part::{Part, PartInputGql};

#[derive(InputObject)]
pub struct CreatePartInput {
    #[graphql(flatten)]
    pub part: PartInputGql,
}

#[derive(SimpleObject)]
pub struct CreatePartPayload {
    pub part: Part,
}

#[derive(InputObject)]
pub struct UpdatePartInput {
    pub id: ID,
    #[graphql(flatten)]
    pub part: PartInputGql,
}

#[derive(SimpleObject)]
pub struct UpdatePartPayload {
    pub part: Part,
}

#[derive(InputObject)]
pub struct DeletePartInput {
    pub id: ID,
}

#[derive(SimpleObject)]
pub struct DeletePartPayload {
    /// The deleted part's id.
    pub deleted_id: ID,
}

#[derive(Default)]
pub struct PartMutation;

#[Object]
impl PartMutation {
    async fn create_part(
        &self,
        ctx: &Context<'_>,
        input: CreatePartInput,
    ) -> async_graphql::Result<CreatePartPayload> {
        let p = principal(ctx)?;
        let model = service::part::create(db(ctx), p, input.part.into_service()?)
            .await
            .gql()?;
        after_write(ctx);
        Ok(CreatePartPayload {
            part: Part::new(model),
        })
    }

    async fn update_part(
        &self,
        ctx: &Context<'_>,
        input: UpdatePartInput,
    ) -> async_graphql::Result<UpdatePartPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Part, "id", &input.id)?;
        let model = service::part::update(db(ctx), p, id, input.part.into_service()?)
            .await
            .gql()?;
        after_write(ctx);
        Ok(UpdatePartPayload {
            part: Part::new(model),
        })
    }

    /// Refused (CONFLICT) while BOMs, substitutes or programs use the part.
    async fn delete_part(
        &self,
        ctx: &Context<'_>,
        input: DeletePartInput,
    ) -> async_graphql::Result<DeletePartPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Part, "id", &input.id)?;
        service::part::delete(db(ctx), p, id).await.gql()?;
        after_write(ctx);
        Ok(DeletePartPayload {
            deleted_id: input.id,
        })
    }
}
