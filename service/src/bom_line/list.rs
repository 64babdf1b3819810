//! The list of BOM lines behind InvenTree's `GET /api/bom/` and the GraphQL line lists:
//! its filters (`LineFilter`), its orderings (`LineOrder`) and the engine that runs them,
//! in SQL where it can and on the loaded lines where a figure or a checksum is computed.
use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use entity::{bom, bom_line, part, substitute};
use rust_decimal::Decimal;
use sea_orm::sea_query::{Expr, Func, IntoCondition, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};

use super::rules::is_validated;
use crate::auth::Principal;
use crate::figures::{load_bundle, LineRef};
use crate::page::{Page, PageRequest};
use crate::{part as parts, search, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LineOrderField {
    #[default]
    Id,
    /// Source order: by line number, then as added.
    LineNumber,
    Quantity,
    SubPart,
    AvailableStock,
    AllowVariants,
    Inherited,
    Optional,
    Consumable,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct LineOrder {
    pub field: LineOrderField,
    pub descending: bool,
}

/// The filters of InvenTree's BOM list.
#[derive(Debug, Clone, Default)]
pub struct LineFilter {
    pub bom_id: Option<i32>,
    /// Lines of the assembly's BOMs, plus inherited lines of its template ancestors.
    pub part: Option<i32>,
    /// Lines that use the part directly, through allow_variants, or as a substitute.
    pub uses: Option<i32>,
    pub validated: Option<bool>,
    pub optional: Option<bool>,
    pub consumable: Option<bool>,
    pub inherited: Option<bool>,
    pub allow_variants: Option<bool>,
    pub has_pricing: Option<bool>,
    pub available_stock: Option<bool>,
    pub on_order: Option<bool>,
    pub part_active: Option<bool>,
    pub part_trackable: Option<bool>,
    pub sub_part_trackable: Option<bool>,
    pub sub_part_assembly: Option<bool>,
    pub search: Option<String>,
    pub team_id: Option<i32>,
}

impl LineFilter {
    /// Filters on computed figures, which SQL cannot evaluate.
    fn on_figures(&self) -> bool {
        self.has_pricing.is_some() || self.available_stock.is_some() || self.on_order.is_some()
    }
}

/// Line numbers are labels ("12", "A7"): ordering by length first puts "2" before "10",
/// and lines without one first on both backends (they sort NULL differently).
pub(super) fn line_number_length() -> Expr {
    let length = Func::char_length(Expr::col((bom_line::Entity, bom_line::Column::LineNumber)));
    Func::coalesce([Expr::from(length), Expr::val(0)]).into()
}

/// [`line_number_length`]'s order, for loaded lines.
fn line_number_key(line: &bom_line::Model) -> (usize, Option<&str>) {
    let number = line.line_number.as_deref();
    (number.map_or(0, |n| n.chars().count()), number)
}

/// Lines that use a part: directly, as a substitute, or through allow_variants on one of
/// its template ancestors.
pub async fn uses_condition(db: &impl ConnectionTrait, part_id: i32) -> ServiceResult<Condition> {
    let ancestors = parts::ancestors(db, part_id).await?;
    let lines_with_sub: Vec<i32> = substitute::Entity::find()
        .filter(substitute::Column::PartId.eq(part_id))
        .all(db)
        .await?
        .into_iter()
        .map(|s| s.bom_line_id)
        .collect();
    Ok(Condition::any()
        .add(bom_line::Column::PartId.eq(part_id))
        .add(bom_line::Column::Id.is_in(lines_with_sub))
        .add(
            Condition::all()
                .add(bom_line::Column::AllowVariants.eq(true))
                .add(bom_line::Column::PartId.is_in(ancestors)),
        ))
}

/// Lines of an assembly part's BOMs, and inherited lines of its ancestors' BOMs.
async fn assembly_condition(db: &impl ConnectionTrait, part_id: i32) -> ServiceResult<Condition> {
    let ancestors = parts::ancestors(db, part_id).await?;
    let mut all_parts = ancestors.clone();
    all_parts.push(part_id);
    let boms = bom::Entity::find()
        .filter(bom::Column::AssemblyPartId.is_in(all_parts))
        .filter(bom::Column::Archived.eq(false))
        .all(db)
        .await?;
    let own: Vec<i32> = boms
        .iter()
        .filter(|b| b.assembly_part_id == Some(part_id))
        .map(|b| b.id)
        .collect();
    let inherited: Vec<i32> = boms
        .iter()
        .filter(|b| b.assembly_part_id != Some(part_id))
        .map(|b| b.id)
        .collect();
    Ok(Condition::any()
        .add(bom_line::Column::BomId.is_in(own))
        .add(
            Condition::all()
                .add(bom_line::Column::BomId.is_in(inherited))
                .add(bom_line::Column::Inherited.eq(true)),
        ))
}

/// Filtered lines, ordered by each key of `order` in turn, then by id. Plain column filters
/// run in SQL; those on computed figures run on the loaded lines with one batch of figures.
pub async fn list(
    db: &impl ConnectionTrait,
    p: &Principal,
    filter: &LineFilter,
    order: &[LineOrder],
    page: PageRequest,
) -> ServiceResult<Page<bom_line::Model>> {
    let mut q = bom_line::Entity::find().filter(bom_line::Column::TeamId.is_in(p.team_ids()));
    if let Some(team) = filter.team_id {
        q = q.filter(bom_line::Column::TeamId.eq(team));
    }
    if let Some(bom_id) = filter.bom_id {
        q = q.filter(bom_line::Column::BomId.eq(bom_id));
    }
    if let Some(part) = filter.part {
        q = q.filter(assembly_condition(db, part).await?);
    }
    if let Some(part) = filter.uses {
        q = q.filter(uses_condition(db, part).await?);
    }
    for (col, value) in [
        (bom_line::Column::Optional, filter.optional),
        (bom_line::Column::Consumable, filter.consumable),
        (bom_line::Column::Inherited, filter.inherited),
        (bom_line::Column::AllowVariants, filter.allow_variants),
    ] {
        if let Some(v) = value {
            q = q.filter(col.eq(v));
        }
    }
    if let Some(v) = filter.sub_part_trackable {
        q = q.filter(line_part_flag(part::Column::Trackable, v));
    }
    if let Some(v) = filter.sub_part_assembly {
        q = q.filter(line_part_flag(part::Column::Assembly, v));
    }
    if let Some(v) = filter.part_active {
        q = q.filter(assembly_part_flag(part::Column::Active, v));
    }
    if let Some(v) = filter.part_trackable {
        q = q.filter(assembly_part_flag(part::Column::Trackable, v));
    }
    for term in search::terms(filter.search.as_deref()) {
        let parts = part_ids_where(search::any_contains(
            db.get_database_backend(),
            LINE_PART_SEARCHED.map(|c| (part::Entity, c)),
            term,
        ));
        q = q.filter(
            Condition::any()
                .add(search::any_contains(
                    db.get_database_backend(),
                    [(bom_line::Entity, bom_line::Column::Reference)],
                    term,
                ))
                .add(bom_line::Column::PartId.in_subquery(parts)),
        );
    }
    // Filters and orderings on columns page in SQL. The checksum behind `validated`, the
    // computed figures, decimal quantities (stored as text) and part names need every
    // candidate line, so those filter and order the loaded lines.
    let sql_order: Option<Vec<(Expr, sea_orm::Order)>> = order
        .iter()
        .map(|o| {
            let direction = if o.descending {
                sea_orm::Order::Desc
            } else {
                sea_orm::Order::Asc
            };
            sql_keys(o.field).map(|keys| keys.into_iter().map(move |k| (k, direction.clone())))
        })
        .collect::<Option<Vec<_>>>()
        .map(|keys| keys.into_iter().flatten().collect());
    if let (Some(keys), None, false) = (sql_order, filter.validated, filter.on_figures()) {
        let total = q.clone().count(db).await?;
        let window = page.window(total);
        let mut q = q;
        for (key, direction) in keys {
            q = q.order_by(key, direction);
        }
        let items = q
            .order_by(bom_line::Column::Id, sea_orm::Order::Asc)
            .offset(window.offset)
            .limit(window.limit)
            .all(db)
            .await?;
        return Ok(Page {
            items,
            total,
            window,
        });
    }
    let mut lines = q.order_by_asc(bom_line::Column::Id).all(db).await?;
    if let Some(v) = filter.validated {
        lines.retain(|line| is_validated(line) == v);
    }
    let by = |field: LineOrderField| order.iter().any(|o| o.field == field);
    let bundle = if filter.on_figures() || by(LineOrderField::AvailableStock) {
        let refs: Vec<LineRef> = lines.iter().map(LineRef::from).collect();
        Some(load_bundle(db, p, &refs).await?)
    } else {
        None
    };
    if let Some(bundle) = &bundle {
        lines.retain(|line| {
            let figures = bundle.figures(&LineRef::from(line));
            let want = |w: Option<bool>, got: bool| w.is_none_or(|w| w == got);
            want(filter.has_pricing, figures.pricing_min.is_some())
                && want(
                    filter.available_stock,
                    figures.available_stock > Decimal::ZERO,
                )
                && want(filter.on_order, figures.on_order > Decimal::ZERO)
        });
    }
    let names: HashMap<i32, String> = if by(LineOrderField::SubPart) {
        let ids: HashSet<i32> = lines.iter().filter_map(|l| l.part_id).collect();
        let ids: Vec<i32> = ids.into_iter().collect();
        parts::by_ids(db, p, &ids)
            .await?
            .into_iter()
            .map(|part| (part.id, part.name.to_lowercase()))
            .collect()
    } else {
        HashMap::new()
    };
    let name = |l: &bom_line::Model| l.part_id.and_then(|id| names.get(&id));
    let stock = |l: &bom_line::Model| {
        bundle
            .as_ref()
            .map(|b| b.figures(&LineRef::from(l)).available_stock)
    };
    lines.sort_by(|a, b| {
        order
            .iter()
            .map(|o| {
                let ord = match o.field {
                    LineOrderField::Id => a.id.cmp(&b.id),
                    LineOrderField::LineNumber => line_number_key(a).cmp(&line_number_key(b)),
                    LineOrderField::Quantity => a.quantity.0.cmp(&b.quantity.0),
                    LineOrderField::SubPart => name(a).cmp(&name(b)),
                    LineOrderField::AvailableStock => stock(a).cmp(&stock(b)),
                    LineOrderField::AllowVariants => a.allow_variants.cmp(&b.allow_variants),
                    LineOrderField::Inherited => a.inherited.cmp(&b.inherited),
                    LineOrderField::Optional => a.optional.cmp(&b.optional),
                    LineOrderField::Consumable => a.consumable.cmp(&b.consumable),
                };
                if o.descending {
                    ord.reverse()
                } else {
                    ord
                }
            })
            .find(|ord| ord.is_ne())
            .unwrap_or(Ordering::Equal)
            .then(a.id.cmp(&b.id))
    });
    Ok(page.slice(lines))
}

/// The SQL sort keys of a field; `None` for one computed on the loaded lines (decimal
/// quantities stored as text, part names, stock figures).
fn sql_keys(field: LineOrderField) -> Option<Vec<Expr>> {
    let column = |c: bom_line::Column| vec![Expr::col((bom_line::Entity, c))];
    match field {
        LineOrderField::Id => Some(column(bom_line::Column::Id)),
        LineOrderField::LineNumber => Some(vec![
            line_number_length(),
            Expr::col((bom_line::Entity, bom_line::Column::LineNumber)),
        ]),
        LineOrderField::AllowVariants => Some(column(bom_line::Column::AllowVariants)),
        LineOrderField::Inherited => Some(column(bom_line::Column::Inherited)),
        LineOrderField::Optional => Some(column(bom_line::Column::Optional)),
        LineOrderField::Consumable => Some(column(bom_line::Column::Consumable)),
        LineOrderField::Quantity | LineOrderField::SubPart | LineOrderField::AvailableStock => None,
    }
}

/// The fields of a line's part that a line search looks in (InvenTree's BOM search fields).
const LINE_PART_SEARCHED: [part::Column; 5] = [
    part::Column::Name,
    part::Column::Description,
    part::Column::Ipn,
    part::Column::Revision,
    part::Column::Keywords,
];

/// Lines whose part has the flag set to `v`; a line without a part counts as unset.
fn line_part_flag(flag: part::Column, v: bool) -> Condition {
    let flagged = part_ids_where(flag.eq(true));
    if v {
        Condition::all().add(bom_line::Column::PartId.in_subquery(flagged))
    } else {
        Condition::any()
            .add(bom_line::Column::PartId.is_null())
            .add(bom_line::Column::PartId.not_in_subquery(flagged))
    }
}

/// `SELECT id FROM part WHERE <condition>`, for the filters on a line's part.
fn part_ids_where(condition: impl IntoCondition) -> SelectStatement {
    part::Entity::find()
        .select_only()
        .column(part::Column::Id)
        .filter(condition)
        .into_query()
}

/// Lines of BOMs whose assembly part has the flag set to `v`; a BOM without an assembly
/// part matches neither way.
fn assembly_part_flag(flag: part::Column, v: bool) -> Condition {
    let parts = part_ids_where(flag.eq(v));
    let boms = bom::Entity::find()
        .select_only()
        .column(bom::Column::Id)
        .filter(bom::Column::AssemblyPartId.in_subquery(parts))
        .into_query();
    Condition::all().add(bom_line::Column::BomId.in_subquery(boms))
}
