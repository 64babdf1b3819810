//! Production programs, their lines and part overrides.
use async_graphql::{Context, InputObject, MaybeUndefined, Object, ID};
use entity::{part_override, program, program_line};
use rust_decimal::Decimal;
use service::program::{OverrideInput, ProgramInput};

use super::bom::Bom;
use super::budget::charged;
use super::connection::{connection, page_complexity, page_request, Conn};
use super::context::{db, loaders, principal};
use super::error::GqlResult;
use super::global_id::{maybe_id, opt_id, parse_id, to_id, NodeKind};
use super::part::Part;

#[derive(Clone)]
pub struct Program(pub program::Model);

#[Object]
impl Program {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::Program, self.0.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    async fn team_id(&self) -> ID {
        to_id(NodeKind::Team, self.0.team_id)
    }
    #[graphql(flatten)]
    async fn columns(&self) -> &program::Model {
        &self.0
    }
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ProgramLine>> {
        let rows = loaders(ctx)
            .program_lines
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        charged(ctx, rows.into_iter().map(ProgramLine).collect()).await
    }
    async fn part_overrides(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PartOverride>> {
        let rows = loaders(ctx)
            .overrides
            .load_one(self.0.id)
            .await?
            .unwrap_or_default();
        charged(ctx, rows.into_iter().map(PartOverride).collect()).await
    }
}

#[derive(Clone)]
pub struct ProgramLine(pub program_line::Model);

#[Object]
impl ProgramLine {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::ProgramLine, self.0.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    async fn program_id(&self) -> ID {
        to_id(NodeKind::Program, self.0.program_id)
    }
    async fn bom(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Bom>> {
        Ok(loaders(ctx).boms.load_one(self.0.bom_id).await?.map(Bom))
    }
    #[graphql(flatten)]
    async fn columns(&self) -> &program_line::Model {
        &self.0
    }
}

#[derive(Clone)]
pub struct PartOverride(pub part_override::Model);

#[Object]
impl PartOverride {
    pub async fn id(&self) -> ID {
        to_id(NodeKind::PartOverride, self.0.id)
    }
    /// The database id, as the REST dialects show it.
    async fn row_id(&self) -> i32 {
        self.0.id
    }
    async fn program_id(&self) -> ID {
        to_id(NodeKind::Program, self.0.program_id)
    }
    async fn part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        Part::named(ctx, Some(self.0.part_id)).await
    }
    /// Leave the part out of the program.
    async fn exclude(&self) -> bool {
        self.0.exclude
    }
    /// Use this part instead.
    async fn replacement_part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        Part::named(ctx, self.0.replacement_part_id).await
    }
    /// `onHandQuantity`, `unitPrice` and `currency`.
    #[graphql(flatten)]
    async fn columns(&self) -> &part_override::Model {
        &self.0
    }
}

#[derive(InputObject, Default)]
#[graphql(name = "ProgramInput")]
pub struct ProgramInputGql {
    pub team_id: Option<ID>,
    pub name: Option<String>,
    /// draft, approved or complete.
    pub status: Option<String>,
}

impl ProgramInputGql {
    pub(crate) fn into_service(self) -> async_graphql::Result<ProgramInput> {
        Ok(ProgramInput {
            team_id: opt_id(NodeKind::Team, "team_id", &self.team_id)?,
            name: self.name,
            status: self.status,
        })
    }
}

#[derive(InputObject, Default)]
pub struct PartOverrideInput {
    /// Required when adding; fixed afterwards.
    pub part_id: Option<ID>,
    pub exclude: Option<bool>,
    pub replacement_part_id: MaybeUndefined<ID>,
    pub on_hand_quantity: MaybeUndefined<Decimal>,
    pub unit_price: MaybeUndefined<Decimal>,
    /// ISO 4217 code of the unit price, such as EUR.
    pub currency: MaybeUndefined<String>,
}

impl PartOverrideInput {
    pub(crate) fn into_service(self) -> async_graphql::Result<OverrideInput> {
        Ok(OverrideInput {
            part_id: opt_id(NodeKind::Part, "part_id", &self.part_id)?,
            exclude: self.exclude,
            replacement_part_id: maybe_id(
                NodeKind::Part,
                "replacement_part_id",
                &self.replacement_part_id,
            )?,
            on_hand_quantity: self.on_hand_quantity.into(),
            unit_price: self.unit_price.into(),
            currency: self.currency.into(),
        })
    }
}

#[derive(Default)]
pub struct ProgramQuery;

#[Object]
impl ProgramQuery {
    async fn program(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Program> {
        let p = principal(ctx)?;
        Ok(Program(
            service::program::get(db(ctx), p, parse_id(NodeKind::Program, "id", &id)?)
                .await
                .gql()?,
        ))
    }

    /// Programs ordered by name, then id.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn programs(
        &self,
        ctx: &Context<'_>,
        status: Option<String>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Conn<Program>> {
        let p = principal(ctx)?;
        let page = service::program::list(
            db(ctx),
            p,
            status,
            page_request(after, before, first, last)?,
        )
        .await
        .gql()?;
        Ok(connection(page, Program))
    }
}
