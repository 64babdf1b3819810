//! Raw lines made into line rows for one BOM: each matched to the catalogue (or to its
//! custom part), filled in, and checked by the line rules, a few statements for the
//! whole batch.
use std::collections::HashSet;

use entity::{bom, bom_line, part};
use sea_orm::{ConnectionTrait, Set};

use super::custom_part::{custom_key, custom_parts};
use super::wire::RawLine;
use crate::bom_line::{self as lines, blank, line_errors, LineInput, MatchStatus};
use crate::matching::{self, Catalogue, Outcome, RawPart};
use crate::{structure, FieldErrors, ServiceResult};

impl RawLine {
    pub(super) fn raw_part(&self) -> RawPart {
        RawPart {
            mpn: self.mpn.clone(),
            manufacturer: self.manufacturer_name.clone(),
            alternative_mpns: self.alternative_mpns.clone(),
        }
    }
}

/// A line ready to insert: its row, and the parts to add as substitutes.
pub(super) struct Prepared {
    pub(super) row: bom_line::ActiveModel,
    pub(super) substitutes: Vec<i32>,
}

/// Matches and prepares raw lines for a BOM: a few statements for the whole batch.
pub(super) async fn prepare(
    db: &impl ConnectionTrait,
    bom: &bom::Model,
    raw: &[RawLine],
) -> ServiceResult<Vec<Prepared>> {
    let parts: Vec<RawPart> = raw
        .iter()
        .filter(|l| !l.is_custom_part)
        .map(RawLine::raw_part)
        .collect();
    let catalogue = matching::catalogue(db, bom.team_id, &parts).await?;
    let above = match bom.assembly_part_id {
        Some(a) => structure::parts_above(db, bom.team_id, a).await?,
        None => HashSet::new(),
    };
    let custom = custom_parts(db, bom.team_id, raw).await?;
    let mut out = Vec::with_capacity(raw.len());
    let mut errors = FieldErrors::new();
    for (i, line) in raw.iter().enumerate() {
        let (status, part, candidates, substitutes) = if line.is_custom_part {
            let p = custom.get(&custom_key(line)).cloned();
            (MatchStatus::Custom, p, Vec::new(), Vec::new())
        } else {
            prepare_match(&catalogue, &line.raw_part())
        };
        let mut am = blank(bom);
        let designators = line.designators();
        lines::apply(
            &mut am,
            LineInput {
                quantity: Some(line.effective_quantity()),
                part_id: Some(part.as_ref().map(|p| p.id)),
                reference: Some(
                    line.reference_designators_string
                        .clone()
                        .unwrap_or_else(|| designators.join(", ")),
                ),
                custom_id: line.custom_id.clone(),
                mpn: line.mpn.clone(),
                alternative_mpns: Some(line.alternative_mpns.clone()),
                manufacturer_name: line.manufacturer_name.clone(),
                description: line.description.clone(),
                link: line.link.clone(),
                comments: line.comments.clone(),
                do_not_place: Some(line.do_not_place),
                line_number: line.line_number.clone(),
                value: line.value.clone(),
                package: line.package.clone(),
                mount_type: line.mount_type.clone(),
                is_custom_part: Some(line.is_custom_part),
                metadata: line.metadata.clone(),
                ..Default::default()
            },
        );
        am.reference_designators = Set(designators.into());
        am.match_status = Set(status);
        am.match_candidates = Set(candidates.into());
        errors.extend_prefixed(
            &format!("lines[{i}]."),
            line_errors(bom, &am, part.as_ref(), &above),
        );
        out.push(Prepared {
            row: am,
            substitutes,
        });
    }
    errors.into_result()?;
    Ok(out)
}

/// The outcome of matching one line, as stored.
pub(super) fn prepare_match(
    catalogue: &Catalogue,
    raw: &RawPart,
) -> (MatchStatus, Option<part::Model>, Vec<i32>, Vec<i32>) {
    let m = catalogue.match_line(raw);
    match m.outcome {
        Outcome::Matched(id) => (
            MatchStatus::Matched,
            catalogue.part(id).cloned(),
            Vec::new(),
            m.substitutes,
        ),
        Outcome::Ambiguous(candidates) => (MatchStatus::Ambiguous, None, candidates, Vec::new()),
        Outcome::NoMatch => (MatchStatus::NoMatch, None, Vec::new(), Vec::new()),
    }
}
