//! What BOMs built some number of times need, part by part: lines times units (+ overage),
//! sub-assemblies exploded to their parts, do-not-place lines left out.
use std::collections::{BTreeMap, HashSet};

use entity::{bom, bom_line};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::decimal::{add, mul};
use crate::ServiceResult;

/// Demand for one part (or one unmatched line) and where it comes from.
#[derive(Debug, Clone, Default)]
pub(crate) struct Need {
    pub quantity: Decimal,
    pub substitutes: HashSet<i32>,
}

/// Adds the overage of a line to its required quantity: an absolute overage once per
/// build, a percentage of the requirement.
pub(crate) fn with_overage(required: Decimal, overage: &str) -> ServiceResult<Decimal> {
    let o = overage.trim();
    let extra = match o.strip_suffix('%') {
        Some(pct) => match pct.trim().parse::<Decimal>() {
            Ok(p) => mul(required, p / Decimal::ONE_HUNDRED)?,
            Err(_) => Decimal::ZERO,
        },
        None => o.parse::<Decimal>().unwrap_or(Decimal::ZERO),
    };
    add(required, extra)
}

/// Demand of BOMs built `scale` times, given as (BOM id, units) pairs: three statements
/// per BOM level.
pub(crate) async fn demand(
    db: &impl ConnectionTrait,
    team_id: i32,
    lines: &[(i32, Decimal)],
    scale: Decimal,
) -> ServiceResult<(BTreeMap<i32, Need>, Vec<(bom_line::Model, Decimal)>)> {
    let mut needs: BTreeMap<i32, Need> = BTreeMap::new();
    let mut unmatched = Vec::new();
    // (bom id, units to build)
    let mut frontier: Vec<(i32, Decimal)> = lines
        .iter()
        .map(|(bom, quantity)| Ok((*bom, mul(*quantity, scale)?)))
        .collect::<ServiceResult<_>>()?;
    let mut depth = 0;
    while !frontier.is_empty() && depth < 64 {
        depth += 1;
        let ids: Vec<i32> = frontier.iter().map(|(b, _)| *b).collect();
        let bom_lines = bom_line::Entity::find()
            .filter(bom_line::Column::BomId.is_in(ids))
            .order_by_asc(bom_line::Column::Id)
            .all(db)
            .await?;
        let part_ids: Vec<i32> = bom_lines.iter().filter_map(|l| l.part_id).collect();
        let sub_boms = bom::Entity::find()
            .filter(bom::Column::TeamId.eq(team_id))
            .filter(bom::Column::AssemblyPartId.is_in(part_ids))
            .all(db)
            .await?;
        let builders = crate::structure::builders(&sub_boms);
        let subs = crate::substitute::lines_substitutes(db, &bom_lines).await?;
        let mut next: Vec<(i32, Decimal)> = Vec::new();
        for (bom_id, units) in &frontier {
            for line in bom_lines
                .iter()
                .filter(|l| l.bom_id == *bom_id && !l.do_not_place)
            {
                let required = with_overage(mul(line.quantity.0, *units)?, &line.overage)?;
                match line.part_id {
                    None => unmatched.push((line.clone(), required)),
                    Some(part_id) => match builders.get(&part_id) {
                        Some(child) => next.push((*child, required)),
                        None => {
                            let need = needs.entry(part_id).or_default();
                            need.quantity = add(need.quantity, required)?;
                            need.substitutes
                                .extend(subs.get(&line.id).into_iter().flatten());
                        }
                    },
                }
            }
        }
        frontier = next;
    }
    Ok((needs, unmatched))
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;

    use super::with_overage;

    fn needed(required: &str, overage: &str) -> Decimal {
        with_overage(required.parse().unwrap(), overage).unwrap()
    }

    #[test]
    fn an_absolute_overage_is_added_once_per_build() {
        assert_eq!(needed("10", "2"), Decimal::from(12));
        assert_eq!(needed("10", " 0.5 "), "10.5".parse().unwrap());
    }

    #[test]
    fn a_percentage_overage_is_a_share_of_the_requirement() {
        assert_eq!(needed("10", "10%"), Decimal::from(11));
        assert_eq!(needed("200", "2.5 %"), Decimal::from(205));
        assert_eq!(needed("3", "100%"), Decimal::from(6));
    }

    #[test]
    fn no_overage_or_an_unreadable_one_adds_nothing() {
        for overage in ["", "   ", "abc", "x%", "%"] {
            assert_eq!(needed("7", overage), Decimal::from(7), "{overage:?}");
        }
    }
}
