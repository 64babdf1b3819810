//! Revisions, comparison and export of BOMs.
use std::collections::HashMap;

use async_graphql::{ComplexObject, Context, Enum, InputObject, Json, Object, SimpleObject, ID};
use entity::bom_line;
use rust_decimal::Decimal;
use serde_json::Value;
use service::bom_diff::{self, ChangeKind};
use service::bom_export::{ExportOptions, Levels};

use super::bom::{fresh_bom, Bom, BomLine};
use super::budget::{charge, charged, TRAVERSAL};
use super::context::{db, principal};
use super::error::GqlResult;
use super::global_id::{parse_id, to_id, to_ids, NodeKind};
use super::part::Part;

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(remote = "service::bom_diff::ChangeKind")]
pub enum DiffKind {
    Added,
    Removed,
    Changed,
}

/// One field of a pair of lines that differs, as text: decimals in their shortest form,
/// booleans `true`/`false`, a part as its global id (empty for none).
#[derive(SimpleObject)]
pub struct FieldChange {
    /// quantity, part, do_not_place, optional, consumable, overage or note.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A line added, removed or changed between two BOMs.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct LineDiff {
    pub kind: DiffKind,
    pub from_line_id: Option<ID>,
    pub to_line_id: Option<ID>,
    pub part_id: Option<ID>,
    /// The part's name, or the MPN or description of a line without a part.
    pub name: String,
    pub from_quantity: Option<Decimal>,
    pub to_quantity: Option<Decimal>,
    pub changes: Vec<FieldChange>,
    pub designators_added: Vec<String>,
    pub designators_removed: Vec<String>,
    pub substitutes_added: Vec<ID>,
    pub substitutes_removed: Vec<ID>,
    /// The two lines, read for the whole diff at once when asked for.
    #[graphql(skip)]
    pub models: (Option<bom_line::Model>, Option<bom_line::Model>),
}

#[ComplexObject]
impl LineDiff {
    /// The line in the first BOM.
    async fn from_line(&self) -> Option<BomLine> {
        self.models.0.clone().map(BomLine::new)
    }
    /// The line in the second BOM.
    async fn to_line(&self) -> Option<BomLine> {
        self.models.1.clone().map(BomLine::new)
    }
}

/// Gives each line diff its two lines, in one read for the whole diff.
async fn attach_lines(
    ctx: &Context<'_>,
    diff: &service::bom_diff::BomDiff,
    out: &mut [LineDiff],
) -> async_graphql::Result<()> {
    let ids: Vec<i32> = diff
        .lines
        .iter()
        .flat_map(|l| [l.from_line_id, l.to_line_id])
        .flatten()
        .collect();
    let lines: HashMap<i32, bom_line::Model> =
        service::bom_line::by_ids(db(ctx), principal(ctx)?, &ids)
            .await
            .gql()?
            .into_iter()
            .map(|l| (l.id, l))
            .collect();
    for (d, l) in diff.lines.iter().zip(out) {
        let line = |id: Option<i32>| id.and_then(|id| lines.get(&id).cloned());
        l.models = (line(d.from_line_id), line(d.to_line_id));
    }
    Ok(())
}

/// A part whose multi-level total differs between two BOMs.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct PartDiff {
    pub kind: DiffKind,
    pub part_id: ID,
    #[graphql(skip)]
    pub part_row: i32,
    pub name: String,
    pub from_quantity: Decimal,
    pub to_quantity: Decimal,
}

#[ComplexObject]
impl PartDiff {
    async fn part(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Part>> {
        Part::named(ctx, Some(self.part_row)).await
    }
}

#[derive(SimpleObject)]
pub struct Money {
    pub currency: String,
    pub amount: Decimal,
}

fn money(m: std::collections::BTreeMap<String, Decimal>) -> Vec<Money> {
    m.into_iter()
        .map(|(currency, amount)| Money { currency, amount })
        .collect()
}

#[derive(SimpleObject)]
pub struct DiffSummary {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub build_quantity: Decimal,
    /// Reference cost of building `buildQuantity` units of each BOM, per currency, as
    /// program pricing computes it (overage in, do-not-place out, sub-assemblies exploded).
    pub cost_from: Vec<Money>,
    pub cost_to: Vec<Money>,
    /// `costTo - costFrom`, per currency.
    pub cost_change: Vec<Money>,
    /// Parts with no price, left out of the costs.
    pub unpriced_part_ids: Vec<ID>,
}

#[derive(SimpleObject)]
pub struct BomDiff {
    pub from_bom_id: ID,
    pub to_bom_id: ID,
    pub exploded: bool,
    /// Lines added, removed or changed (empty for an exploded comparison).
    pub lines: Vec<LineDiff>,
    /// Parts whose totals differ (an exploded comparison only).
    pub parts: Vec<PartDiff>,
    pub summary: DiffSummary,
}

/// A changed field's value as GraphQL shows it: the service writes a part as its row id.
fn shown(field: &str, value: String) -> String {
    match value.parse::<i32>() {
        Ok(row) if field == "part" => to_id(NodeKind::Part, row).0,
        _ => value,
    }
}

impl From<bom_diff::BomDiff> for BomDiff {
    fn from(d: bom_diff::BomDiff) -> Self {
        let kind = |k: ChangeKind| DiffKind::from(k);
        BomDiff {
            from_bom_id: to_id(NodeKind::Bom, d.from_bom_id),
            to_bom_id: to_id(NodeKind::Bom, d.to_bom_id),
            exploded: d.exploded,
            lines: d
                .lines
                .into_iter()
                .map(|l| LineDiff {
                    kind: kind(l.kind),
                    from_line_id: l.from_line_id.map(|r| to_id(NodeKind::BomLine, r)),
                    to_line_id: l.to_line_id.map(|r| to_id(NodeKind::BomLine, r)),
                    part_id: l.part_id.map(|r| to_id(NodeKind::Part, r)),
                    name: l.name,
                    from_quantity: l.from_quantity,
                    to_quantity: l.to_quantity,
                    changes: l
                        .changes
                        .into_iter()
                        .map(|c| FieldChange {
                            old: shown(&c.field, c.old),
                            new: shown(&c.field, c.new),
                            field: c.field,
                        })
                        .collect(),
                    designators_added: l.designators_added,
                    designators_removed: l.designators_removed,
                    substitutes_added: to_ids(NodeKind::Part, l.substitutes_added),
                    substitutes_removed: to_ids(NodeKind::Part, l.substitutes_removed),
                    models: (None, None),
                })
                .collect(),
            parts: d
                .parts
                .into_iter()
                .map(|p| PartDiff {
                    kind: kind(p.kind),
                    part_id: to_id(NodeKind::Part, p.part_id),
                    part_row: p.part_id,
                    name: p.name,
                    from_quantity: p.from_quantity,
                    to_quantity: p.to_quantity,
                })
                .collect(),
            summary: DiffSummary {
                added: d.summary.added,
                removed: d.summary.removed,
                changed: d.summary.changed,
                unchanged: d.summary.unchanged,
                build_quantity: d.summary.build_quantity,
                cost_from: money(d.summary.cost_from),
                cost_to: money(d.summary.cost_to),
                cost_change: money(d.summary.cost_change),
                unpriced_part_ids: to_ids(NodeKind::Part, d.summary.unpriced),
            },
        }
    }
}

/// How deep an export goes.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Default)]
#[graphql(remote = "service::bom_export::Levels")]
pub enum ExportLevels {
    /// The BOM's own lines.
    #[default]
    One,
    /// An indented multi-level BOM: each sub-assembly's lines follow its line.
    All,
}

#[derive(Default)]
pub struct RevisionQuery;

#[Object]
impl RevisionQuery {
    /// Compares BOM `from` with BOM `to` (any two BOMs you can read, revisions of one
    /// chain or not). Lines are paired first by the same part with the same reference
    /// designators, then by the same part (the most designators in common), then by
    /// different parts sharing designators (designators moved to another part are a change
    /// of part, not a removal and an addition); the rest were removed or added. With
    /// `exploded` (default false), the multi-level totals per part are compared instead.
    /// The summary's costs are for `quantity` units (default 1).
    #[graphql(complexity = "TRAVERSAL + child_complexity")]
    async fn bom_diff(
        &self,
        ctx: &Context<'_>,
        from: ID,
        to: ID,
        exploded: Option<bool>,
        quantity: Option<Decimal>,
    ) -> async_graphql::Result<BomDiff> {
        let p = principal(ctx)?;
        let (exploded, quantity) = (exploded.unwrap_or(false), quantity.unwrap_or(Decimal::ONE));
        let (from, to) = (
            parse_id(NodeKind::Bom, "from", &from)?,
            parse_id(NodeKind::Bom, "to", &to)?,
        );
        let diff = bom_diff::diff(db(ctx), p, from, to, exploded, quantity)
            .await
            .gql()?;
        let mut out = BomDiff::from(diff.clone());
        let wanted = ctx.look_ahead().field("lines");
        if wanted.field("fromLine").exists() || wanted.field("toLine").exists() {
            attach_lines(ctx, &diff, &mut out.lines).await?;
        }
        out.lines = charged(ctx, std::mem::take(&mut out.lines)).await?;
        out.parts = charged(ctx, std::mem::take(&mut out.parts)).await?;
        Ok(out)
    }

    /// The BOM as the rows of `GET /v1/boms/{id}/export/?format=json`: the BOM, the
    /// build quantity, the column keys and one object per row. `levels` defaults to ONE;
    /// `flat` (default false) gives one row per part with its total quantity; totals and
    /// costs are for `quantity` units (default 1).
    #[graphql(complexity = "TRAVERSAL + child_complexity")]
    async fn bom_export(
        &self,
        ctx: &Context<'_>,
        bom_id: ID,
        levels: Option<ExportLevels>,
        flat: Option<bool>,
        quantity: Option<Decimal>,
    ) -> async_graphql::Result<Json<Value>> {
        let p = principal(ctx)?;
        let options = ExportOptions {
            levels: Levels::from(levels.unwrap_or_default()),
            flat: flat.unwrap_or(false),
            quantity: quantity.unwrap_or(Decimal::ONE),
            ..Default::default()
        };
        let export = service::bom_export::export(
            db(ctx),
            p,
            parse_id(NodeKind::Bom, "bom_id", &bom_id)?,
            options,
        )
        .await
        .gql()?;
        let rows: usize = export.sheets.iter().map(|s| s.rows.len()).sum();
        charge(ctx, rows.saturating_mul(service::bom_export::COLUMNS.len())).await?;
        Ok(Json(service::bom_export::to_json(&export)))
    }
}

#[derive(InputObject)]
pub struct ReviseBomInput {
    /// The revision to copy.
    pub id: ID,
    /// The new revision's label; the chain's next label when left out.
    pub label: Option<String>,
}

#[derive(SimpleObject)]
pub struct ReviseBomPayload {
    /// The new draft revision.
    pub bom: Bom,
    /// The revision it was copied from (its chain now lists the draft).
    pub revised_from: Bom,
}

#[derive(Default)]
pub struct RevisionMutation;

#[Object]
impl RevisionMutation {
    /// Makes a new draft revision from any revision of a chain: the BOM's fields, metadata,
    /// lines and substitutes are copied in one transaction. `label` defaults to the chain's
    /// next label (`A` → `B` → … → `Z` → `AA`, `1` → `2`) and must be unique in the chain.
    /// A chain has at most one draft: while one is open this is a `CONFLICT` naming it.
    async fn revise_bom(
        &self,
        ctx: &Context<'_>,
        input: ReviseBomInput,
    ) -> async_graphql::Result<ReviseBomPayload> {
        let p = principal(ctx)?;
        let id = parse_id(NodeKind::Bom, "id", &input.id)?;
        let draft = service::revision::revise(db(ctx), p, id, input.label)
            .await
            .gql()?;
        Ok(ReviseBomPayload {
            bom: fresh_bom(ctx, draft.id).await?,
            revised_from: fresh_bom(ctx, id).await?,
        })
    }
}
