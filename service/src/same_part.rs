//! What a line write does when its BOM already has a line for the same part. One policy
//! type, named by every entry point that adds lines, with the reason it uses the one it uses.
use chrono::Utc;
use entity::{bom, bom_line};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::auth::Principal;
use crate::{designators, FieldErrors, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamePart {
    /// Add another line: InvenTree allows duplicate (assembly, sub_part) lines, and a BOM
    /// created with its lines keeps every line of its source.
    Insert,
    /// Sum the quantity into the first line with the part; the new designators join its
    /// own (Cofactr's lines with catalogue data).
    Sum,
    /// Sum into the first line with the part and the same designators, in any order and
    /// case; otherwise insert (Cofactr's raw lines).
    SumWhenDesignatorsMatch,
    /// Refuse the line, naming the line it repeats (InvenTree's import: a repeated part is
    /// shown to the importer instead of being dropped or doubled).
    Refuse,
}

/// What to do with a new line, given the BOM's lines that already have its part.
#[derive(Debug, PartialEq)]
pub enum Decision<'a> {
    Insert,
    SumInto(&'a bom_line::Model),
    Refuse(&'a bom_line::Model),
}

impl SamePart {
    /// `same_part` are the BOM's lines with the new line's part, in id order; `designators`
    /// are the new line's.
    pub fn decide<'a>(
        self,
        same_part: &'a [bom_line::Model],
        designators: &[String],
    ) -> Decision<'a> {
        match self {
            SamePart::Insert => Decision::Insert,
            SamePart::Sum => same_part
                .first()
                .map_or(Decision::Insert, Decision::SumInto),
            SamePart::SumWhenDesignatorsMatch => {
                let wanted = designator_set(designators.iter().map(String::as_str));
                same_part
                    .iter()
                    .find(|line| designator_set(stored_designators(line)) == wanted)
                    .map_or(Decision::Insert, Decision::SumInto)
            }
            SamePart::Refuse => same_part.first().map_or(Decision::Insert, Decision::Refuse),
        }
    }

    /// Whether [`decide`](Self::decide) needs the lines with the same part at all.
    pub fn looks_at_existing_lines(self) -> bool {
        self != SamePart::Insert
    }
}

/// A new line for `part_id` (with its designators, quantity and reference string), put
/// through `policy` against the BOM's lines: `Some(line)` when it summed into that existing
/// line, `None` when the caller is to insert it, a validation error when it is refused. The
/// caller holds the BOM's write lock.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn merge(
    txn: &impl ConnectionTrait,
    p: &Principal,
    bom: &bom::Model,
    policy: SamePart,
    part_id: Option<i32>,
    designators: &[String],
    quantity: Decimal,
    reference: &str,
) -> ServiceResult<Option<bom_line::Model>> {
    let Some(part_id) = part_id.filter(|_| policy.looks_at_existing_lines()) else {
        return Ok(None);
    };
    let same = bom_line::Entity::find()
        .filter(bom_line::Column::BomId.eq(bom.id))
        .filter(bom_line::Column::PartId.eq(part_id))
        .order_by_asc(bom_line::Column::Id)
        .all(txn)
        .await?;
    match policy.decide(&same, designators) {
        Decision::Insert => Ok(None),
        Decision::Refuse(line) => Err(FieldErrors::single("part_id", refusal(line))),
        Decision::SumInto(line) => {
            let mut errors = FieldErrors::new();
            crate::decimal::check_quantity(&mut errors, "quantity", quantity);
            errors.into_result()?;
            // the same designators need no joining
            let reference =
                (policy == SamePart::Sum).then(|| joined_reference(&line.reference, reference));
            grow(txn, p, bom, line.clone(), quantity, reference)
                .await
                .map(Some)
        }
    }
}

/// Grows an existing line by `extra` (and sets its reference when given). The grown line
/// obeys every line rule: a quantity in bounds, an integer one for trackable parts...
async fn grow(
    txn: &impl ConnectionTrait,
    p: &Principal,
    bom: &bom::Model,
    line: bom_line::Model,
    extra: Decimal,
    reference: Option<String>,
) -> ServiceResult<bom_line::Model> {
    let total = crate::decimal::add(line.quantity.0, extra)?;
    let mut am: bom_line::ActiveModel = line.into();
    am.quantity = Set(total.into());
    if let Some(reference) = reference {
        am.reference_designators = Set(designators::parse(&reference).into());
        am.reference = Set(reference);
    }
    am.updated_at = Set(Utc::now());
    crate::bom_line::check_line(txn, p, bom, &am).await?;
    Ok(am.update(txn).await?)
}

/// The message of a refused repeat, under the line's part field.
pub fn refusal(existing: &bom_line::Model) -> String {
    format!(
        "The BOM already has a line for this part (line {}); change that line instead.",
        existing.id
    )
}

/// The reference string of a summed line: the existing designators, then the new ones.
pub fn joined_reference(existing: &str, added: &str) -> String {
    match (existing.is_empty(), designators::parse(added).is_empty()) {
        (_, true) => existing.to_owned(),
        (true, false) => added.to_owned(),
        (false, false) => format!("{existing}, {added}"),
    }
}

fn stored_designators(line: &bom_line::Model) -> impl Iterator<Item = &str> {
    line.reference_designators.iter().map(String::as_str)
}

fn designator_set<'a>(designators: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut set: Vec<String> = designators.map(str::to_uppercase).collect();
    set.sort();
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(id: i32, designators: &[&str]) -> bom_line::Model {
        crate::test_rows::line(id, Some(7), "1", designators)
    }

    fn strings(d: &[&str]) -> Vec<String> {
        d.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn each_policy_picks_its_line() {
        let lines = [line(1, &["R1"]), line(2, &["r3", "R2"])];
        let new = strings(&["R2", "R3"]);
        assert_eq!(SamePart::Insert.decide(&lines, &new), Decision::Insert);
        assert_eq!(
            SamePart::Sum.decide(&lines, &new),
            Decision::SumInto(&lines[0])
        );
        assert_eq!(
            SamePart::SumWhenDesignatorsMatch.decide(&lines, &new),
            Decision::SumInto(&lines[1])
        );
        assert_eq!(
            SamePart::SumWhenDesignatorsMatch.decide(&lines, &strings(&["R9"])),
            Decision::Insert
        );
        assert_eq!(
            SamePart::Refuse.decide(&lines, &new),
            Decision::Refuse(&lines[0])
        );
        for policy in [
            SamePart::Sum,
            SamePart::SumWhenDesignatorsMatch,
            SamePart::Refuse,
        ] {
            assert_eq!(policy.decide(&[], &new), Decision::Insert);
        }
    }

    #[test]
    fn summed_references_keep_both_sets() {
        assert_eq!(joined_reference("R1", "R2, R3"), "R1, R2, R3");
        assert_eq!(joined_reference("", "R2"), "R2");
        assert_eq!(joined_reference("R1", " "), "R1");
    }
}
