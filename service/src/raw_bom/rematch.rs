//! Matching a BOM's raw lines again after the catalogue or the aliases changed.
use crate::events::{self, Change, Event};
use std::collections::HashSet;

use chrono::Utc;
use entity::{bom, bom_line, substitute};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use super::prepare::prepare_match;
use crate::auth::Principal;
use crate::bom as boms;
use crate::bom_line::MatchStatus;
use crate::matching::{self, RawPart};
use crate::{structure, ServiceResult};

/// Re-matches the lines of a BOM that came from raw data (they have an MPN or alternative
/// MPNs, and are not custom), after the catalogue or the aliases changed. One call, a few
/// statements for the whole BOM.
pub async fn rematch(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
) -> ServiceResult<bom::Model> {
    let txn = crate::db::write(db).await?;
    let bom = boms::get_for_write(&txn, p, bom_id, true).await?;
    let all = bom_line::Entity::find()
        .filter(bom_line::Column::BomId.eq(bom_id))
        .all(&txn)
        .await?;
    let raw_lines: Vec<&bom_line::Model> = all
        .iter()
        .filter(|l| !l.is_custom_part && (l.mpn.is_some() || !l.alternative_mpns.is_empty()))
        .collect();
    let parts: Vec<RawPart> = raw_lines.iter().map(|l| raw_part_of(l)).collect();
    let catalogue = matching::catalogue(&txn, bom.team_id, &parts).await?;
    let above = match bom.assembly_part_id {
        Some(a) => structure::parts_above(&txn, bom.team_id, a).await?,
        None => HashSet::new(),
    };
    let existing_subs =
        crate::substitute::lines_substitutes(&txn, raw_lines.iter().copied()).await?;
    let mut new_subs = Vec::new();
    for (line, raw) in raw_lines.into_iter().zip(parts) {
        let (status, part, candidates, subs) = prepare_match(&catalogue, &raw);
        // a part that would now make a loop is left unmatched rather than failing the call
        let part = part.filter(|x| {
            bom.assembly_part_id
                .is_none_or(|a| structure::loop_error(a, x.id, &above).is_none())
        });
        let status = if part.is_none() && status == MatchStatus::Matched {
            MatchStatus::NoMatch
        } else {
            status
        };
        let mut am: bom_line::ActiveModel = line.clone().into();
        am.part_id = Set(part.as_ref().map(|x| x.id));
        am.match_status = Set(status);
        am.match_candidates = Set(candidates.into());
        am.updated_at = Set(Utc::now());
        am.update(&txn).await?;
        if let Some(own) = part.as_ref().map(|x| x.id) {
            substitute::Entity::delete_many()
                .filter(substitute::Column::BomLineId.eq(line.id))
                .filter(substitute::Column::PartId.eq(own))
                .exec(&txn)
                .await?;
        }
        for s in subs {
            if !existing_subs
                .get(&line.id)
                .is_some_and(|set| set.contains(&s))
                && Some(s) != part.as_ref().map(|x| x.id)
            {
                new_subs.push(crate::substitute::row(bom.team_id, line.id, s));
            }
        }
    }
    for chunk in new_subs.chunks(500) {
        substitute::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    events::commit(db, txn, [Event::bom(bom.id, Change::LinesChanged)]).await?;
    Ok(bom)
}

fn raw_part_of(line: &bom_line::Model) -> RawPart {
    RawPart {
        mpn: line.mpn.clone(),
        manufacturer: line.manufacturer_name.clone(),
        alternative_mpns: line.alternative_mpns.0.clone(),
    }
}
