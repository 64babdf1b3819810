//! `ProgramMutation`: programs, their lines and part overrides, written. The inputs and
//! payloads are in program_payload.rs.
use async_graphql::{Context, Object};
use service::program::LineInput;

use super::context::{after_write, db, loaders, principal};
use super::error::{to_gql, GqlResult};
use super::global_id::{parse_id, NodeKind};
use super::program::{PartOverride, Program, ProgramLine};
use super::program_payload::{
    fresh_program, AddPartOverrideInput, AddPartOverridePayload, AddProgramLineInput,
    AddProgramLinePayload, CreateProgramInput, CreateProgramPayload, DeleteProgramInput,
    DeleteProgramPayload, RemovePartOverrideInput, RemovePartOverridePayload,
    RemoveProgramLineInput, RemoveProgramLinePayload, UpdatePartOverrideInput,
    UpdatePartOverridePayload, UpdateProgramInput, UpdateProgramLineInput,
    UpdateProgramLinePayload, UpdateProgramPayload,
};

fn gone(what: &'static str) -> async_graphql::Error {
    to_gql(service::ServiceError::not_found(what))
}

#[derive(Default)]
pub struct ProgramMutation;

#[Object]
impl ProgramMutation {
    async fn create_program(
        &self,
        ctx: &Context<'_>,
        input: CreateProgramInput,
    ) -> async_graphql::Result<CreateProgramPayload> {
        let p = principal(ctx)?;
        let program = service::program::create(db(ctx), p, input.program.into_service()?)
            .await
            .gql()?;
        after_write(ctx);
        Ok(CreateProgramPayload {
            program: Program(program),
        })
    }

    async fn update_program(
        &self,
        ctx: &Context<'_>,
        input: UpdateProgramInput,
    ) -> async_graphql::Result<UpdateProgramPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Program, "id", &input.id)?;
        let program = service::program::update(db(ctx), p, id, input.program.into_service()?)
            .await
            .gql()?;
        after_write(ctx);
        Ok(UpdateProgramPayload {
            program: Program(program),
        })
    }

    async fn delete_program(
        &self,
        ctx: &Context<'_>,
        input: DeleteProgramInput,
    ) -> async_graphql::Result<DeleteProgramPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Program, "id", &input.id)?;
        service::program::delete(db(ctx), p, id).await.gql()?;
        after_write(ctx);
        Ok(DeleteProgramPayload {
            deleted_id: input.id,
        })
    }

    async fn add_program_line(
        &self,
        ctx: &Context<'_>,
        input: AddProgramLineInput,
    ) -> async_graphql::Result<AddProgramLinePayload> {
        let p = principal(ctx)?;
        let line = LineInput {
            bom_id: Some(parse_id(NodeKind::Bom, "bom_id", &input.bom_id)?),
            quantity: Some(input.quantity),
            follow_latest: Some(input.follow_latest),
        };
        let program_id = parse_id(NodeKind::Program, "program_id", &input.program_id)?;
        let line = service::program::add_line(db(ctx), p, program_id, line)
            .await
            .gql()?;
        Ok(AddProgramLinePayload {
            program: fresh_program(ctx, line.program_id).await?,
            program_line: ProgramLine(line),
        })
    }

    /// Changes a line's quantity, or whether it follows its BOM's chain.
    async fn update_program_line(
        &self,
        ctx: &Context<'_>,
        input: UpdateProgramLineInput,
    ) -> async_graphql::Result<UpdateProgramLinePayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::ProgramLine, "id", &input.id)?;
        let line = LineInput {
            bom_id: None,
            quantity: input.quantity,
            follow_latest: input.follow_latest,
        };
        let line = service::program::update_line(db(ctx), p, id, line)
            .await
            .gql()?;
        Ok(UpdateProgramLinePayload {
            program: fresh_program(ctx, line.program_id).await?,
            program_line: ProgramLine(line),
        })
    }

    async fn remove_program_line(
        &self,
        ctx: &Context<'_>,
        input: RemoveProgramLineInput,
    ) -> async_graphql::Result<RemoveProgramLinePayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::ProgramLine, "id", &input.id)?;
        let before = loaders(ctx).program_lines_by_id.load_one(id).await?;
        service::program::remove_line(db(ctx), p, id).await.gql()?;
        let program_id = before.map(|l| l.program_id).ok_or_else(|| gone("line"))?;
        Ok(RemoveProgramLinePayload {
            deleted_id: input.id,
            program: fresh_program(ctx, program_id).await?,
        })
    }

    async fn add_part_override(
        &self,
        ctx: &Context<'_>,
        input: AddPartOverrideInput,
    ) -> async_graphql::Result<AddPartOverridePayload> {
        let p = principal(ctx)?;
        let program_id = parse_id(NodeKind::Program, "program_id", &input.program_id)?;
        let o = service::program::add_override(
            db(ctx),
            p,
            program_id,
            input.part_override.into_service()?,
        )
        .await
        .gql()?;
        Ok(AddPartOverridePayload {
            program: fresh_program(ctx, o.program_id).await?,
            part_override: PartOverride(o),
        })
    }

    async fn update_part_override(
        &self,
        ctx: &Context<'_>,
        input: UpdatePartOverrideInput,
    ) -> async_graphql::Result<UpdatePartOverridePayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::PartOverride, "id", &input.id)?;
        let o =
            service::program::update_override(db(ctx), p, id, input.part_override.into_service()?)
                .await
                .gql()?;
        Ok(UpdatePartOverridePayload {
            program: fresh_program(ctx, o.program_id).await?,
            part_override: PartOverride(o),
        })
    }

    async fn remove_part_override(
        &self,
        ctx: &Context<'_>,
        input: RemovePartOverrideInput,
    ) -> async_graphql::Result<RemovePartOverridePayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::PartOverride, "id", &input.id)?;
        let before = loaders(ctx).part_overrides.load_one(id).await?;
        service::program::remove_override(db(ctx), p, id)
            .await
            .gql()?;
        let program_id = before
            .map(|o| o.program_id)
            .ok_or_else(|| gone("override"))?;
        Ok(RemovePartOverridePayload {
            deleted_id: input.id,
            program: fresh_program(ctx, program_id).await?,
        })
    }
}
