//! `MetadataMutation`: the metadata of a BOM, line or substitute, written; its one input
//! and its payload, which answers the object as it is now.
use async_graphql::{Context, InputObject, Json, Object, SimpleObject, ID};
use serde_json::Value;

use super::bom::{MetadataModeGql, MetadataTarget};
use super::context::{after_write, db, principal};
use super::error::{to_gql, GqlResult};
use super::global_id::parse_id;
use super::node::{load_one, Node};

#[derive(InputObject)]
pub struct SetMetadataInput {
    pub target: MetadataTarget,
    pub id: ID,
    pub metadata: Json<Value>,
    #[graphql(default)]
    pub mode: MetadataModeGql,
}

#[derive(SimpleObject)]
pub struct SetMetadataPayload {
    /// The BOM, line or substitute whose metadata changed, as it is now.
    pub node: Node,
    /// Its metadata as it is now.
    pub metadata: Json<Value>,
}

#[derive(Default)]
pub struct MetadataMutation;

#[Object]
impl MetadataMutation {
    /// Sets the metadata of a BOM, line or substitute; answers the object and its metadata.
    async fn set_metadata(
        &self,
        ctx: &Context<'_>,
        input: SetMetadataInput,
    ) -> async_graphql::Result<SetMetadataPayload> {
        let p = principal(ctx)?;
        let kind = input.target.kind();
        let row = parse_id(kind, "id", &input.id)?;
        let (target, mode) = (input.target.into(), input.mode.into());
        let result = service::metadata::write(db(ctx), p, target, row, input.metadata.0, mode)
            .await
            .gql()?;
        after_write(ctx);
        let node = load_one(ctx, kind, row)
            .await?
            .ok_or_else(|| to_gql(service::ServiceError::not_found("object")))?;
        Ok(SetMetadataPayload {
            node,
            metadata: Json(result.unwrap_or(Value::Null)),
        })
    }
}
