//! Program availability and reference pricing.
use async_graphql::{Context, InputObject, Object, SimpleObject, ID};
use rust_decimal::Decimal;
use service::availability::{Availability, PartAvailability, PartPrice, PricingAtQuantity};

use super::budget::{charged, TRAVERSAL};
use super::context::{db, principal};
use super::error::GqlResult;
use super::global_id::{parse_id, to_id, to_ids, NodeKind};
use super::job::Job;
use super::part::Part;

pub struct PartSupply(PartAvailability);

#[Object]
impl PartSupply {
    async fn part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        Part::named(ctx, self.0.part_id).await
    }
    /// For an unmatched line (status NO_MATCH), the line.
    async fn bom_line_id(&self) -> Option<ID> {
        self.0.bom_line_id.map(|l| to_id(NodeKind::BomLine, l))
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn demand(&self) -> Decimal {
        self.0.demand
    }
    /// In stock less allocated, or the program's fixed figure.
    async fn on_hand(&self) -> Decimal {
        self.0.on_hand
    }
    /// Available stock of the lines' substitutes, pooled.
    async fn substitute_on_hand(&self) -> Decimal {
        self.0.substitute_on_hand
    }
    async fn supplier_stock(&self) -> Decimal {
        self.0.supplier_stock
    }
    async fn to_buy(&self) -> Decimal {
        self.0.to_buy
    }
    async fn shortfall(&self) -> Decimal {
        self.0.shortfall
    }
    /// on_hand, buyable, needs_rfq, shortage or no_match.
    async fn status(&self) -> &str {
        &self.0.status
    }
    /// Why: the figures behind the status.
    async fn reason(&self) -> &str {
        &self.0.reason
    }
}

pub struct ProgramAvailability(Availability);

#[Object]
impl ProgramAvailability {
    async fn program_id(&self) -> ID {
        to_id(NodeKind::Program, self.0.program_id)
    }
    async fn parts(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<PartSupply>> {
        charged(ctx, self.0.parts.iter().cloned().map(PartSupply).collect()).await
    }
    /// Parts left out by the program's overrides.
    async fn excluded_part_ids(&self) -> Vec<ID> {
        to_ids(NodeKind::Part, self.0.excluded.iter().copied())
    }
    /// The BOM revision each program line was computed from.
    async fn revisions(&self) -> Vec<RevisionUsed> {
        self.0
            .revisions
            .iter()
            .cloned()
            .map(revision_used)
            .collect()
    }
}

/// The BOM revision one program line was computed from.
#[derive(SimpleObject)]
pub struct RevisionUsed {
    pub program_line_id: ID,
    /// The BOM the line names.
    pub bom_id: ID,
    /// The BOM used: `bomId`, or the latest approved revision of its chain when the line
    /// follows the chain.
    pub used_bom_id: ID,
    /// The used BOM's revision label.
    pub revision: String,
    pub follows_latest: bool,
}

fn revision_used(r: service::availability::RevisionUsed) -> RevisionUsed {
    RevisionUsed {
        program_line_id: to_id(NodeKind::ProgramLine, r.program_line_id),
        bom_id: to_id(NodeKind::Bom, r.bom_id),
        used_bom_id: to_id(NodeKind::Bom, r.used_bom_id),
        revision: r.revision,
        follows_latest: r.follows_latest,
    }
}

#[derive(SimpleObject)]
pub struct PartCost {
    pub part_id: ID,
    pub name: String,
    pub needed: Decimal,
    pub purchase_quantity: Decimal,
    pub supplier: Option<String>,
    pub offer_id: Option<ID>,
    pub break_quantity: Option<Decimal>,
    pub unit_price: Decimal,
    pub extended_price: Decimal,
    pub currency: String,
    pub reason: String,
}

#[derive(SimpleObject)]
pub struct MoneyAmount {
    pub currency: String,
    pub amount: Decimal,
}

#[derive(SimpleObject)]
pub struct ReferencePricing {
    /// How many times the program is built.
    pub build_quantity: Decimal,
    pub parts: Vec<PartCost>,
    pub totals: Vec<MoneyAmount>,
    pub per_unit: Vec<MoneyAmount>,
    pub unpriced_part_ids: Vec<ID>,
    /// The BOM revision each program line was computed from.
    pub revisions: Vec<RevisionUsed>,
}

fn cost(p: PartPrice) -> PartCost {
    PartCost {
        part_id: to_id(NodeKind::Part, p.part_id),
        name: p.name,
        needed: p.needed,
        purchase_quantity: p.purchase_quantity,
        supplier: p.supplier,
        offer_id: p.offer_id.map(|o| to_id(NodeKind::Offer, o)),
        break_quantity: p.break_quantity,
        unit_price: p.unit_price,
        extended_price: p.extended_price,
        currency: p.currency,
        reason: p.reason,
    }
}

fn pricing(r: PricingAtQuantity) -> ReferencePricing {
    let money = |m: std::collections::BTreeMap<String, Decimal>| {
        m.into_iter()
            .map(|(currency, amount)| MoneyAmount { currency, amount })
            .collect()
    };
    ReferencePricing {
        build_quantity: r.build_quantity,
        parts: r.parts.into_iter().map(cost).collect(),
        totals: money(r.totals),
        per_unit: money(r.per_unit),
        unpriced_part_ids: to_ids(NodeKind::Part, r.unpriced),
        revisions: r.revisions.into_iter().map(revision_used).collect(),
    }
}

#[derive(Default)]
pub struct AvailabilityQuery;

#[Object]
impl AvailabilityQuery {
    /// What the program needs, what is on hand, what can be bought and what is short.
    #[graphql(complexity = "TRAVERSAL + child_complexity")]
    async fn program_availability(
        &self,
        ctx: &Context<'_>,
        program_id: ID,
    ) -> async_graphql::Result<ProgramAvailability> {
        let p = principal(ctx)?;
        let report = service::availability::availability(
            db(ctx),
            p,
            parse_id(NodeKind::Program, "program_id", &program_id)?,
        )
        .await
        .gql()?;
        Ok(ProgramAvailability(report))
    }

    /// The program's cost when built `quantities` times (default 1, 10, 100, 1000).
    #[graphql(complexity = "TRAVERSAL + child_complexity")]
    async fn program_reference_pricing(
        &self,
        ctx: &Context<'_>,
        program_id: ID,
        quantities: Option<Vec<Decimal>>,
    ) -> async_graphql::Result<Vec<ReferencePricing>> {
        let p = principal(ctx)?;
        let quantities = quantities.unwrap_or_default();
        let rows = service::availability::reference_pricing(
            db(ctx),
            p,
            parse_id(NodeKind::Program, "program_id", &program_id)?,
            &quantities,
        )
        .await
        .gql()?;
        Ok(rows.into_iter().map(pricing).collect())
    }
}

#[derive(InputObject)]
pub struct ProgramAvailabilityAsyncInput {
    pub program_id: ID,
}

#[derive(SimpleObject)]
pub struct ProgramAvailabilityAsyncPayload {
    /// The queued job; its result is the availability report.
    pub job: Job,
}

#[derive(Default)]
pub struct AvailabilityMutation;

#[Object]
impl AvailabilityMutation {
    /// Computes the program's availability in a job; its result is the same report.
    async fn program_availability_async(
        &self,
        ctx: &Context<'_>,
        input: ProgramAvailabilityAsyncInput,
    ) -> async_graphql::Result<ProgramAvailabilityAsyncPayload> {
        let p = principal(ctx)?;
        let program_id = parse_id(NodeKind::Program, "program_id", &input.program_id)?;
        let job = service::job::enqueue_availability(db(ctx), p, program_id)
            .await
            .gql()?;
        Ok(ProgramAvailabilityAsyncPayload { job: Job(job) })
    }
}
