//! What an export reads: the BOMs of its tree and what their rows show, in a few
//! statements whatever the number of lines.
use std::collections::HashMap;

use entity::{bom, bom_line, part, price_break, substitute, supplier_offer};
use sea_orm::sea_query::SelectStatement;
use sea_orm::{
    ColumnTrait, Condition, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait,
};

use super::table::{Levels, MAX_DEPTH};
use crate::auth::Principal;
use crate::db::one_of;
use crate::figures::LineBundle;
use crate::{structure, ServiceResult};

/// The BOM's lines, and with `all` those of every sub-assembly under it, by BOM id; and
/// the BOM that builds each sub-assembly part.
pub(super) async fn tree(
    db: &DatabaseConnection,
    root: &bom::Model,
    levels: Levels,
) -> ServiceResult<(HashMap<i32, Vec<bom_line::Model>>, HashMap<i32, i32>)> {
    let mut lines: HashMap<i32, Vec<bom_line::Model>> = HashMap::new();
    let mut builders: HashMap<i32, i32> = HashMap::new();
    let mut frontier = vec![root.id];
    let mut depth = 0;
    let backend = db.get_database_backend();
    while !frontier.is_empty() && depth < MAX_DEPTH {
        depth += 1;
        let found = bom_line::Entity::find()
            .filter(one_of(backend, bom_line::Column::BomId, frontier.clone()))
            .order_by_asc(bom_line::Column::Id)
            .all(db)
            .await?;
        let any_part = found.iter().any(|l| l.part_id.is_some());
        for line in found {
            lines.entry(line.bom_id).or_default().push(line);
        }
        if levels == Levels::One || !any_part {
            break;
        }
        // the parts are named by a subquery: a BOM's thousands of part ids are not sent back
        let sub_boms = bom::Entity::find()
            .filter(bom::Column::AssemblyPartId.in_subquery(line_parts(backend, &frontier)))
            .filter(bom::Column::TeamId.eq(root.team_id))
            .all(db)
            .await?;
        frontier = Vec::new();
        for (part, child) in structure::builders(&sub_boms) {
            builders.insert(part, child);
            if child != root.id && !lines.contains_key(&child) && !frontier.contains(&child) {
                frontier.push(child);
            }
        }
    }
    Ok((lines, builders))
}

/// `SELECT part_id FROM bom_line WHERE bom_id IN (...)`.
fn line_parts(backend: DatabaseBackend, boms: &[i32]) -> SelectStatement {
    bom_line::Entity::find()
        .select_only()
        .column(bom_line::Column::PartId)
        .filter(one_of(
            backend,
            bom_line::Column::BomId,
            boms.iter().copied(),
        ))
        .into_query()
}

/// What the rows of the BOMs `boms` show: their lines' substitutes, the parts of both, and
/// those parts' offers and price breaks. Four statements, the ids chosen by subqueries.
pub(super) async fn bundle(
    db: &DatabaseConnection,
    p: &Principal,
    boms: &[i32],
) -> ServiceResult<LineBundle> {
    let backend = db.get_database_backend();
    let mut out = LineBundle::default();
    let line_ids = bom_line::Entity::find()
        .select_only()
        .column(bom_line::Column::Id)
        .filter(one_of(
            backend,
            bom_line::Column::BomId,
            boms.iter().copied(),
        ))
        .into_query();
    let subs = substitute::Entity::find()
        .filter(substitute::Column::BomLineId.in_subquery(line_ids.clone()))
        .filter(one_of(backend, substitute::Column::TeamId, p.team_ids()))
        .order_by_asc(substitute::Column::Id)
        .all(db)
        .await?;
    let sub_parts = substitute::Entity::find()
        .select_only()
        .column(substitute::Column::PartId)
        .filter(substitute::Column::BomLineId.in_subquery(line_ids))
        .into_query();
    let wanted = Condition::any()
        .add(part::Column::Id.in_subquery(line_parts(backend, boms)))
        .add(part::Column::Id.in_subquery(sub_parts));
    let parts = part::Entity::find()
        .filter(wanted.clone())
        .filter(one_of(backend, part::Column::TeamId, p.team_ids()))
        .all(db)
        .await?;
    let team_parts = part::Entity::find()
        .select_only()
        .column(part::Column::Id)
        .filter(wanted)
        .filter(one_of(backend, part::Column::TeamId, p.team_ids()))
        .into_query();
    let offers = supplier_offer::Entity::find()
        .filter(supplier_offer::Column::PartId.in_subquery(team_parts.clone()))
        .order_by_asc(supplier_offer::Column::Id)
        .all(db)
        .await?;
    let breaks = price_break::Entity::find()
        .filter(
            price_break::Column::OfferId.in_subquery(
                supplier_offer::Entity::find()
                    .select_only()
                    .column(supplier_offer::Column::Id)
                    .filter(supplier_offer::Column::PartId.in_subquery(team_parts))
                    .into_query(),
            ),
        )
        .order_by_asc(price_break::Column::Id)
        .all(db)
        .await?;
    for s in subs {
        out.substitutes.entry(s.bom_line_id).or_default().push(s);
    }
    out.parts = parts.into_iter().map(|x| (x.id, x)).collect();
    for b in breaks {
        out.breaks.entry(b.offer_id).or_default().push(b);
    }
    for o in offers {
        out.offers.entry(o.part_id).or_default().push(o);
    }
    Ok(out)
}
