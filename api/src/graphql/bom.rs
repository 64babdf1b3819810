//! BOMs, their lines and substitutes.
use std::sync::Arc;

use async_graphql::{
    Context, Enum, InputObject, Json, Lookahead, MaybeUndefined, Object, SimpleObject, ID,
};
use chrono::{DateTime, Utc};
use entity::{bom, bom_line, substitute};
use rust_decimal::Decimal;
use serde_json::Value;
use service::bom::{BomFilter, BomInput, DeleteOutcome};
use service::bom_line::{LineFilter, LineInput, LineOrder, LineOrderField};
use service::decimal::load;
use service::figures::{LineBundle, LineFigures, LineRef};
use service::metadata::MetadataMode;
use service::page::Page;

use super::budget::{charge, charged};
use super::connection::{connection, page_complexity, page_request, Conn};
use super::context::{db, loaders, opt_id, parse_id, principal, to_id};
use super::error::{to_gql, GqlResult};
use super::part::Part;

pub struct Bom(pub bom::Model);

impl Bom {
    async fn chain(&self, ctx: &Context<'_>) -> async_graphql::Result<Arc<Vec<bom::Model>>> {
        let root = service::revision::chain_root(&self.0);
        Ok(loaders(ctx)
            .chains
            .load_one(root)
            .await?
            .unwrap_or_default())
    }
}

#[Object]
impl Bom {
    async fn id(&self) -> ID {
        to_id(self.0.id)
    }
    async fn team_id(&self) -> ID {
        to_id(self.0.team_id)
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn version(&self) -> &str {
        &self.0.version
    }
    async fn part_number(&self) -> &str {
        &self.0.part_number
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The part this BOM builds.
    async fn assembly_part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        let Some(id) = self.0.assembly_part_id else {
            return Ok(None);
        };
        Ok(loaders(ctx).parts.load_one(id).await?.map(Part::new))
    }
    async fn approved(&self) -> bool {
        self.0.approved
    }
    async fn approved_at(&self) -> Option<DateTime<Utc>> {
        self.0.approved_at
    }
    /// Id of the user who approved the BOM.
    async fn approved_by(&self) -> Option<ID> {
        self.0.approved_by.map(to_id)
    }
    async fn archived(&self) -> bool {
        self.0.archived
    }
    /// This BOM's label in its revision chain (`A`, `B`, ... or `1`, `2`, ...).
    async fn revision(&self) -> &str {
        &self.0.revision
    }
    /// A draft may change; approval freezes a revision. A chain has at most one draft.
    async fn is_draft(&self) -> bool {
        service::revision::is_draft(&self.0)
    }
    /// The revision this one was made from.
    async fn previous_revision(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Bom>> {
        let Some(id) = self.0.previous_revision_id else {
            return Ok(None);
        };
        Ok(loaders(ctx).boms.load_one(id).await?.map(Bom))
    }
    /// Every revision of this BOM's chain, oldest first (this one included).
    async fn revisions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Bom>> {
        let chain = self.chain(ctx).await?;
        charged(ctx, chain.iter().cloned().map(Bom).collect()).await
    }
    /// The newest approved revision of this BOM's chain that is not archived.
    async fn latest_approved_revision(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<Bom>> {
        let chain = self.chain(ctx).await?;
        Ok(service::revision::latest_approved(&chain).cloned().map(Bom))
    }
    async fn metadata(&self) -> Option<Json<Value>> {
        self.0.metadata.clone().map(Json)
    }
    async fn integration_record_id(&self) -> Option<&str> {
        self.0.integration_record_id.as_deref()
    }
    async fn synced_from_integration(&self) -> bool {
        self.0.synced_from_integration
    }
    async fn integration_source_name(&self) -> Option<&str> {
        self.0.integration_source_name.as_deref()
    }
    async fn synced_from_integration_at(&self) -> Option<DateTime<Utc>> {
        self.0.synced_from_integration_at
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// All lines, in line-number order.
    async fn lines(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<BomLine>> {
        if needs_bundle(ctx.look_ahead()) {
            let (lines, bundle) = loaders(ctx).bom_lines_bundle(self.0.id).await?;
            charge(ctx, lines.len()).await?;
            return Ok(lines
                .iter()
                .map(|l| BomLine::with_bundle(l.clone(), bundle.clone()))
                .collect());
        }
        let lines = loaders(ctx).bom_lines(self.0.id).await?;
        charge(ctx, lines.len()).await?;
        Ok(lines.iter().cloned().map(BomLine::new).collect())
    }
    async fn line_count(&self, ctx: &Context<'_>) -> async_graphql::Result<usize> {
        Ok(loaders(ctx).bom_lines(self.0.id).await?.len())
    }
}

/// Fields of `BomLine` that read the line's bundle (parts, substitutes, figures).
const BUNDLE_FIELDS: [&str; 13] = [
    "part",
    "substitutes",
    "availableStock",
    "availableSubstituteStock",
    "availableVariantStock",
    "onOrder",
    "building",
    "externalStock",
    "pricingMin",
    "pricingMax",
    "pricingMinTotal",
    "pricingMaxTotal",
    "pricingCurrency",
];

/// True when the selected line fields need the bundle.
pub fn needs_bundle(lines: Lookahead<'_>) -> bool {
    BUNDLE_FIELDS.iter().any(|f| lines.field(f).exists())
}

/// Lines of a page, each carrying one bundle loaded for the whole page when needed.
pub async fn lines_for_page(
    ctx: &Context<'_>,
    lines: Vec<bom_line::Model>,
    selection: Lookahead<'_>,
) -> async_graphql::Result<Vec<BomLine>> {
    let lines = charged(ctx, lines).await?;
    if !needs_bundle(selection) {
        return Ok(lines.into_iter().map(BomLine::new).collect());
    }
    let refs: Vec<LineRef> = lines.iter().map(LineRef::from).collect();
    let bundle = Arc::new(
        service::figures::load_bundle(db(ctx), principal(ctx)?, &refs)
            .await
            .gql()?,
    );
    Ok(lines
        .into_iter()
        .map(|l| BomLine::with_bundle(l, bundle.clone()))
        .collect())
}

pub struct BomLine {
    pub model: bom_line::Model,
    bundle: Option<Arc<LineBundle>>,
}

impl BomLine {
    pub fn new(model: bom_line::Model) -> Self {
        Self {
            model,
            bundle: None,
        }
    }

    pub fn with_bundle(model: bom_line::Model, bundle: Arc<LineBundle>) -> Self {
        Self {
            model,
            bundle: Some(bundle),
        }
    }

    /// The preloaded bundle, or one batched with the other lines of this request.
    async fn bundle(&self, ctx: &Context<'_>) -> async_graphql::Result<Arc<LineBundle>> {
        if let Some(b) = &self.bundle {
            return Ok(b.clone());
        }
        Ok(loaders(ctx)
            .line_bundles
            .load_one(LineRef::from(&self.model))
            .await?
            .unwrap_or_default())
    }

    async fn figures(&self, ctx: &Context<'_>) -> async_graphql::Result<LineFigures> {
        Ok(self.bundle(ctx).await?.figures(&LineRef::from(&self.model)))
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum MatchStatus {
    Matched,
    NoMatch,
    Ambiguous,
    Custom,
}

#[Object]
impl BomLine {
    async fn id(&self) -> ID {
        to_id(self.model.id)
    }
    async fn bom_id(&self) -> ID {
        to_id(self.model.bom_id)
    }
    async fn bom(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Bom>> {
        Ok(loaders(ctx)
            .boms
            .load_one(self.model.bom_id)
            .await?
            .map(Bom))
    }
    /// The resolved part; null while nothing matched.
    async fn part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        let Some(id) = self.model.part_id else {
            return Ok(None);
        };
        let bundle = self.bundle(ctx).await?;
        Ok(bundle.parts.get(&id).cloned().map(|model| Part {
            model,
            bundle: Some(bundle.clone()),
        }))
    }
    async fn quantity(&self) -> Decimal {
        load(&self.model.quantity)
    }
    /// Parsed reference designators.
    async fn reference_designators(&self) -> Vec<String> {
        strings(&self.model.reference_designators)
    }
    /// The reference string as given.
    async fn reference(&self) -> &str {
        &self.model.reference
    }
    async fn note(&self) -> &str {
        &self.model.note
    }
    async fn overage(&self) -> &str {
        &self.model.overage
    }
    async fn optional(&self) -> bool {
        self.model.optional
    }
    async fn consumable(&self) -> bool {
        self.model.consumable
    }
    async fn inherited(&self) -> bool {
        self.model.inherited
    }
    async fn allow_variants(&self) -> bool {
        self.model.allow_variants
    }
    /// True while the line is unchanged since it was last validated.
    async fn validated(&self) -> bool {
        service::bom_line::is_validated(&self.model)
    }
    async fn custom_id(&self) -> Option<&str> {
        self.model.custom_id.as_deref()
    }
    async fn mpn(&self) -> Option<&str> {
        self.model.mpn.as_deref()
    }
    async fn alternative_mpns(&self) -> Vec<String> {
        strings(&self.model.alternative_mpns)
    }
    async fn manufacturer_name(&self) -> Option<&str> {
        self.model.manufacturer_name.as_deref()
    }
    async fn description(&self) -> Option<&str> {
        self.model.description.as_deref()
    }
    async fn link(&self) -> Option<&str> {
        self.model.link.as_deref()
    }
    async fn comments(&self) -> Option<&str> {
        self.model.comments.as_deref()
    }
    async fn do_not_place(&self) -> bool {
        self.model.do_not_place
    }
    /// The line's label in its source BOM, such as "12" or "A7".
    async fn line_number(&self) -> Option<&str> {
        self.model.line_number.as_deref()
    }
    async fn value(&self) -> Option<&str> {
        self.model.value.as_deref()
    }
    async fn package(&self) -> Option<&str> {
        self.model.package.as_deref()
    }
    async fn mount_type(&self) -> Option<&str> {
        self.model.mount_type.as_deref()
    }
    async fn is_custom_part(&self) -> bool {
        self.model.is_custom_part
    }
    async fn match_status(&self) -> MatchStatus {
        use service::bom_line::match_status as s;
        match self.model.match_status.as_str() {
            s::MATCHED => MatchStatus::Matched,
            s::AMBIGUOUS => MatchStatus::Ambiguous,
            s::CUSTOM => MatchStatus::Custom,
            _ => MatchStatus::NoMatch,
        }
    }
    async fn metadata(&self) -> Option<Json<Value>> {
        self.model.metadata.clone().map(Json)
    }
    /// True when the line has designators and their count differs from its quantity.
    async fn designator_count_mismatch(&self) -> bool {
        service::raw_bom::quantity_mismatch(&self.model)
    }
    /// For an AMBIGUOUS line, the parts it could be.
    async fn match_candidates(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Part>> {
        let ids: Vec<i32> = self
            .model
            .match_candidates
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_i64().map(|i| i as i32))
                    .collect()
            })
            .unwrap_or_default();
        let found = loaders(ctx).parts.load_many(ids.clone()).await?;
        charged(
            ctx,
            ids.iter()
                .filter_map(|id| found.get(id).cloned())
                .map(Part::new)
                .collect(),
        )
        .await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.model.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.model.updated_at
    }
    async fn substitutes(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Substitute>> {
        let bundle = self.bundle(ctx).await?;
        charged(
            ctx,
            bundle
                .substitutes
                .get(&self.model.id)
                .into_iter()
                .flatten()
                .map(|s| Substitute {
                    model: s.clone(),
                    bundle: Some(bundle.clone()),
                })
                .collect(),
        )
        .await
    }
    /// Stock of the part: in stock less allocated.
    async fn available_stock(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.available_stock)
    }
    /// Available stock of all substitute parts together.
    async fn available_substitute_stock(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.available_substitute_stock)
    }
    /// Available stock of the part's variants; zero unless the line allows variants.
    async fn available_variant_stock(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.available_variant_stock)
    }
    async fn on_order(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.on_order)
    }
    async fn building(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.building)
    }
    async fn external_stock(&self, ctx: &Context<'_>) -> async_graphql::Result<Decimal> {
        Ok(self.figures(ctx).await?.external_stock)
    }
    /// Lowest unit price over the part's price breaks, in `pricingCurrency`.
    async fn pricing_min(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        Ok(self.figures(ctx).await?.pricing_min)
    }
    async fn pricing_max(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        Ok(self.figures(ctx).await?.pricing_max)
    }
    /// `pricingMin` times the line quantity.
    async fn pricing_min_total(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        Ok(self.figures(ctx).await?.pricing_min_total)
    }
    async fn pricing_max_total(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Decimal>> {
        Ok(self.figures(ctx).await?.pricing_max_total)
    }
    async fn pricing_currency(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        Ok(self.figures(ctx).await?.pricing_currency)
    }
}

pub struct Substitute {
    pub model: substitute::Model,
    pub bundle: Option<Arc<LineBundle>>,
}

#[Object]
impl Substitute {
    async fn id(&self) -> ID {
        to_id(self.model.id)
    }
    async fn bom_line_id(&self) -> ID {
        to_id(self.model.bom_line_id)
    }
    async fn bom_line(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<BomLine>> {
        Ok(loaders(ctx)
            .lines
            .load_one(self.model.bom_line_id)
            .await?
            .map(BomLine::new))
    }
    async fn part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        if let Some(bundle) = &self.bundle {
            if let Some(model) = bundle.parts.get(&self.model.part_id) {
                return Ok(Some(Part {
                    model: model.clone(),
                    bundle: Some(bundle.clone()),
                }));
            }
        }
        Ok(loaders(ctx)
            .parts
            .load_one(self.model.part_id)
            .await?
            .map(Part::new))
    }
    async fn metadata(&self) -> Option<Json<Value>> {
        self.model.metadata.clone().map(Json)
    }
}

/// Fields of a BOM line; on update, omitted fields keep their value.
#[derive(InputObject, Default)]
pub struct BomLineInput {
    pub quantity: Option<Decimal>,
    /// The part; null clears it.
    pub part_id: MaybeUndefined<ID>,
    /// Reference designators as written, e.g. "R1-R4, R7".
    pub reference: Option<String>,
    pub note: Option<String>,
    /// Empty, a number, or a percentage such as "5%".
    pub overage: Option<String>,
    pub optional: Option<bool>,
    pub consumable: Option<bool>,
    pub inherited: Option<bool>,
    pub allow_variants: Option<bool>,
    pub custom_id: Option<String>,
    pub mpn: Option<String>,
    pub alternative_mpns: Option<Vec<String>>,
    pub manufacturer_name: Option<String>,
    pub description: Option<String>,
    pub link: Option<String>,
    pub comments: Option<String>,
    pub do_not_place: Option<bool>,
    pub line_number: Option<String>,
    pub value: Option<String>,
    pub package: Option<String>,
    pub mount_type: Option<String>,
    pub is_custom_part: Option<bool>,
    pub metadata: Option<Json<Value>>,
}

impl BomLineInput {
    pub fn into_service(self) -> async_graphql::Result<LineInput> {
        let part_id = match &self.part_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(id) => Some(Some(parse_id("part_id", id)?)),
        };
        Ok(LineInput {
            quantity: self.quantity,
            part_id,
            reference: self.reference,
            note: self.note,
            overage: self.overage,
            optional: self.optional,
            consumable: self.consumable,
            inherited: self.inherited,
            allow_variants: self.allow_variants,
            custom_id: self.custom_id,
            mpn: self.mpn,
            alternative_mpns: self.alternative_mpns,
            manufacturer_name: self.manufacturer_name,
            description: self.description,
            link: self.link,
            comments: self.comments,
            do_not_place: self.do_not_place,
            line_number: self.line_number,
            value: self.value,
            package: self.package,
            mount_type: self.mount_type,
            is_custom_part: self.is_custom_part,
            metadata: self.metadata.map(|j| j.0),
            assembly_part_id: None,
        })
    }
}

#[derive(InputObject, Default)]
#[graphql(name = "BomInput")]
pub struct BomInputGql {
    pub team_id: Option<ID>,
    pub name: Option<String>,
    pub version: Option<String>,
    pub part_number: Option<String>,
    pub description: Option<String>,
    /// The label of the BOM's first revision (createBom only; `A` when left out).
    pub revision: Option<String>,
    /// The part this BOM builds; null clears it.
    pub assembly_part_id: MaybeUndefined<ID>,
    pub metadata: Option<Json<Value>>,
    pub integration_record_id: Option<String>,
    pub integration_source_name: Option<String>,
    /// Lines to create with the BOM (createBom only), all or none.
    pub lines: Option<Vec<BomLineInput>>,
}

impl BomInputGql {
    pub(crate) fn into_service(self) -> async_graphql::Result<BomInput> {
        let assembly_part_id = match &self.assembly_part_id {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(id) => Some(Some(parse_id("assembly_part_id", id)?)),
        };
        let lines = self
            .lines
            .map(|lines| {
                lines
                    .into_iter()
                    .map(BomLineInput::into_service)
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?;
        Ok(BomInput {
            team_id: opt_id("team_id", &self.team_id)?,
            name: self.name,
            version: self.version,
            part_number: self.part_number,
            description: self.description,
            revision: self.revision,
            assembly_part_id,
            metadata: self.metadata.map(|j| j.0),
            integration_record_id: self.integration_record_id,
            integration_source_name: self.integration_source_name,
            lines,
        })
    }
}

#[derive(InputObject, Default)]
pub struct BomFilterInput {
    /// Matches name or part number.
    pub search: Option<String>,
    pub approved: Option<bool>,
    #[graphql(default)]
    pub include_archived: bool,
    /// Only archived (true) or only live (false) BOMs.
    pub archived: Option<bool>,
    /// Exact name.
    pub name: Option<String>,
    /// Exact version.
    pub version: Option<String>,
    pub assembly_part_id: Option<ID>,
    pub team_id: Option<ID>,
}

/// The filters of InvenTree's BOM list.
#[derive(InputObject, Default)]
pub struct BomLineFilterInput {
    pub bom_id: Option<ID>,
    /// Lines of the assembly part's BOMs, plus inherited lines of its template ancestors.
    pub part: Option<ID>,
    /// Lines using the part directly, as a substitute, or through allowVariants.
    pub uses: Option<ID>,
    pub validated: Option<bool>,
    pub optional: Option<bool>,
    pub consumable: Option<bool>,
    pub inherited: Option<bool>,
    pub allow_variants: Option<bool>,
    pub has_pricing: Option<bool>,
    /// True: available stock > 0; false: = 0.
    pub available_stock: Option<bool>,
    /// True: on order > 0; false: = 0.
    pub on_order: Option<bool>,
    pub part_active: Option<bool>,
    pub part_trackable: Option<bool>,
    pub sub_part_trackable: Option<bool>,
    pub sub_part_assembly: Option<bool>,
    /// Every term must match the reference or the part's name, description, IPN, revision
    /// or keywords.
    pub search: Option<String>,
    pub team_id: Option<ID>,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
pub enum BomLineOrderField {
    #[default]
    Id,
    Quantity,
    SubPart,
    AvailableStock,
    AllowVariants,
    Inherited,
    Optional,
    Consumable,
}

#[derive(InputObject)]
pub struct BomLineOrder {
    pub field: BomLineOrderField,
    #[graphql(default)]
    pub descending: bool,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum DeleteBomOutcome {
    /// The BOM was not approved and is gone.
    Deleted,
    /// The BOM was approved, so it is kept and archived.
    Archived,
}

#[derive(SimpleObject)]
pub struct DeleteBomResult {
    pub id: ID,
    pub outcome: DeleteBomOutcome,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum MetadataTarget {
    Bom,
    BomLine,
    Substitute,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(name = "MetadataMode")]
pub enum MetadataModeGql {
    /// The object becomes the whole metadata.
    Replace,
    /// Top-level keys are added or overwritten.
    #[default]
    Merge,
}

#[derive(Default)]
pub struct BomQuery;

#[Object]
impl BomQuery {
    async fn bom(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Bom> {
        principal(ctx)?;
        // Through the loader, so that aliases of `bom` read their BOMs (and then their
        // lines) in one batch instead of one statement each.
        let bom = loaders(ctx).boms.load_one(parse_id("id", &id)?).await?;
        bom.map(Bom)
            .ok_or_else(|| to_gql(service::ServiceError::not_found("bom")))
    }

    /// BOMs ordered by name, version, id. Archived BOMs only with includeArchived.
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn boms(
        &self,
        ctx: &Context<'_>,
        filter: Option<BomFilterInput>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Conn<Bom>> {
        let p = principal(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = BomFilter {
            search: f.search,
            approved: f.approved,
            include_archived: f.include_archived,
            archived: f.archived,
            name: f.name,
            version: f.version,
            assembly_part_id: opt_id("assembly_part_id", &f.assembly_part_id)?,
            team_id: opt_id("team_id", &f.team_id)?,
        };
        let page = service::bom::list(
            db(ctx),
            p,
            &filter,
            page_request(after, before, first, last)?,
        )
        .await
        .gql()?;
        Ok(connection(page, Bom))
    }

    async fn bom_line(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<BomLine> {
        let p = principal(ctx)?;
        Ok(BomLine::new(
            service::bom_line::get(db(ctx), p, parse_id("id", &id)?)
                .await
                .gql()?,
        ))
    }

    /// BOM lines with InvenTree's filters; ordered by `orderBy`, ties by id.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "page_complexity(first, last, child_complexity)")]
    async fn bom_lines(
        &self,
        ctx: &Context<'_>,
        filter: Option<BomLineFilterInput>,
        order_by: Option<BomLineOrder>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<Conn<BomLine>> {
        let p = principal(ctx)?;
        let f = filter.unwrap_or_default();
        let filter = LineFilter {
            bom_id: opt_id("bom_id", &f.bom_id)?,
            part: opt_id("part", &f.part)?,
            uses: opt_id("uses", &f.uses)?,
            validated: f.validated,
            optional: f.optional,
            consumable: f.consumable,
            inherited: f.inherited,
            allow_variants: f.allow_variants,
            has_pricing: f.has_pricing,
            available_stock: f.available_stock,
            on_order: f.on_order,
            part_active: f.part_active,
            part_trackable: f.part_trackable,
            sub_part_trackable: f.sub_part_trackable,
            sub_part_assembly: f.sub_part_assembly,
            search: f.search,
            team_id: opt_id("team_id", &f.team_id)?,
        };
        let order: Vec<LineOrder> = order_by
            .into_iter()
            .map(|o| LineOrder {
                field: match o.field {
                    BomLineOrderField::Id => LineOrderField::Id,
                    BomLineOrderField::Quantity => LineOrderField::Quantity,
                    BomLineOrderField::SubPart => LineOrderField::SubPart,
                    BomLineOrderField::AvailableStock => LineOrderField::AvailableStock,
                    BomLineOrderField::AllowVariants => LineOrderField::AllowVariants,
                    BomLineOrderField::Inherited => LineOrderField::Inherited,
                    BomLineOrderField::Optional => LineOrderField::Optional,
                    BomLineOrderField::Consumable => LineOrderField::Consumable,
                },
                descending: o.descending,
            })
            .collect();
        let page = service::bom_line::list(
            db(ctx),
            p,
            &filter,
            &order,
            page_request(after, before, first, last)?,
        )
        .await
        .gql()?;
        let look = ctx.look_ahead();
        let nodes = if look.field("nodes").exists() {
            look.field("nodes")
        } else {
            look.field("edges").field("node")
        };
        let items = lines_for_page(ctx, page.items, nodes).await?;
        Ok(connection(
            Page {
                items,
                total: page.total,
                window: page.window,
            },
            |l| l,
        ))
    }

    async fn substitute(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Substitute> {
        let p = principal(ctx)?;
        let model = service::substitute::get(db(ctx), p, parse_id("id", &id)?)
            .await
            .gql()?;
        Ok(Substitute {
            model,
            bundle: None,
        })
    }
}

#[derive(Default)]
pub struct BomMutation;

#[Object]
impl BomMutation {
    /// Creates a BOM, optionally with its lines, in one transaction.
    async fn create_bom(
        &self,
        ctx: &Context<'_>,
        input: BomInputGql,
    ) -> async_graphql::Result<Bom> {
        let p = principal(ctx)?;
        Ok(Bom(service::bom::create(db(ctx), p, input.into_service()?)
            .await
            .gql()?))
    }

    /// Changes the BOM's own fields (lines are changed with the line mutations).
    async fn update_bom(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: BomInputGql,
    ) -> async_graphql::Result<Bom> {
        let p = principal(ctx)?;
        if input.lines.is_some() {
            return Err(super::error::to_gql(service::FieldErrors::single(
                "lines",
                "Lines are changed with addBomLine, updateBomLine and removeBomLine.",
            )));
        }
        Ok(Bom(service::bom::update(
            db(ctx),
            p,
            parse_id("id", &id)?,
            input.into_service()?,
        )
        .await
        .gql()?))
    }

    /// Deletes an unapproved BOM; archives an approved one.
    async fn delete_bom(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<DeleteBomResult> {
        let p = principal(ctx)?;
        let outcome = match service::bom::delete(db(ctx), p, parse_id("id", &id)?)
            .await
            .gql()?
        {
            DeleteOutcome::Deleted => DeleteBomOutcome::Deleted,
            DeleteOutcome::Archived => DeleteBomOutcome::Archived,
        };
        Ok(DeleteBomResult { id, outcome })
    }

    /// Approves a BOM; this cannot be undone, and its lines are fixed from then on.
    async fn approve_bom(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Bom> {
        let p = principal(ctx)?;
        Ok(Bom(service::bom::approve(db(ctx), p, parse_id("id", &id)?)
            .await
            .gql()?))
    }

    /// Adds a line. With `mergeSamePart`, a line with the same part grows instead (its
    /// quantity summed, its designators joined).
    async fn add_bom_line(
        &self,
        ctx: &Context<'_>,
        bom_id: ID,
        input: BomLineInput,
        #[graphql(default)] merge_same_part: bool,
    ) -> async_graphql::Result<BomLine> {
        let p = principal(ctx)?;
        let (bom_id, input) = (parse_id("bom_id", &bom_id)?, input.into_service()?);
        let line = if merge_same_part {
            service::raw_bom::add_catalogue_line(db(ctx), p, bom_id, input).await
        } else {
            service::bom_line::add(db(ctx), p, bom_id, input).await
        }
        .gql()?;
        Ok(BomLine::new(line))
    }

    async fn update_bom_line(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: BomLineInput,
    ) -> async_graphql::Result<BomLine> {
        let p = principal(ctx)?;
        let line =
            service::bom_line::update(db(ctx), p, parse_id("id", &id)?, input.into_service()?)
                .await
                .gql()?;
        Ok(BomLine::new(line))
    }

    async fn remove_bom_line(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let p = principal(ctx)?;
        service::bom_line::remove(db(ctx), p, parse_id("id", &id)?)
            .await
            .gql()?;
        Ok(id)
    }

    /// Marks a line reviewed (`valid: true`) or clears the mark.
    async fn validate_bom_line(
        &self,
        ctx: &Context<'_>,
        id: ID,
        valid: bool,
    ) -> async_graphql::Result<BomLine> {
        let p = principal(ctx)?;
        Ok(BomLine::new(
            service::bom_line::validate(db(ctx), p, parse_id("id", &id)?, valid)
                .await
                .gql()?,
        ))
    }

    async fn add_substitute(
        &self,
        ctx: &Context<'_>,
        bom_line_id: ID,
        part_id: ID,
        metadata: Option<Json<Value>>,
    ) -> async_graphql::Result<Substitute> {
        let p = principal(ctx)?;
        let model = service::substitute::add(
            db(ctx),
            p,
            parse_id("bom_line_id", &bom_line_id)?,
            parse_id("part_id", &part_id)?,
            metadata.map(|m| m.0),
        )
        .await
        .gql()?;
        Ok(Substitute {
            model,
            bundle: None,
        })
    }

    async fn remove_substitute(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ID> {
        let p = principal(ctx)?;
        service::substitute::remove(db(ctx), p, parse_id("id", &id)?)
            .await
            .gql()?;
        Ok(id)
    }

    /// Sets the metadata of a BOM, line or substitute; returns the resulting object.
    async fn set_metadata(
        &self,
        ctx: &Context<'_>,
        target: MetadataTarget,
        id: ID,
        metadata: Json<Value>,
        #[graphql(default)] mode: MetadataModeGql,
    ) -> async_graphql::Result<Json<Value>> {
        let p = principal(ctx)?;
        let id = parse_id("id", &id)?;
        let mode = match mode {
            MetadataModeGql::Replace => MetadataMode::Replace,
            MetadataModeGql::Merge => MetadataMode::Merge,
        };
        let target = match target {
            MetadataTarget::Bom => service::metadata::Target::Bom,
            MetadataTarget::BomLine => service::metadata::Target::BomLine,
            MetadataTarget::Substitute => service::metadata::Target::Substitute,
        };
        let result = service::metadata::write(db(ctx), p, target, id, metadata.0, mode)
            .await
            .gql()?;
        Ok(Json(result.unwrap_or(Value::Null)))
    }
}
