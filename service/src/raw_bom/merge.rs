//! Adding one line to a Cofactr BOM, summed into an existing line by the same-part policy
//! each entry point names.
use crate::events;
use entity::bom_line;
use rust_decimal::Decimal;
use sea_orm::DatabaseConnection;

use super::insert::insert_prepared;
use super::prepare::prepare;
use super::wire::RawLine;
use crate::auth::Principal;
use crate::bom as boms;
use crate::bom_line::{self as lines, LineInput};
use crate::same_part::{self, SamePart};
use crate::{designators, FieldErrors, ServiceError, ServiceResult};

/// Adds a raw line to a BOM. A source BOM lists one part once per placement, so it sums
/// only into a line with the same part and the same designators
/// ([`SamePart::SumWhenDesignatorsMatch`]). Concurrent adds are serialised per BOM.
pub async fn add_line(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
    raw: RawLine,
) -> ServiceResult<bom_line::Model> {
    let mut errors = FieldErrors::new();
    raw.check("", &mut errors);
    errors.into_result()?;
    let txn = crate::db::write(db).await?;
    let bom = boms::get_for_write(&txn, p, bom_id, true).await?;
    let mut prepared = prepare(&txn, &bom, std::slice::from_ref(&raw))
        .await
        .map_err(strip_line_prefix)?;
    let new = prepared.pop().expect("one line in, one line out");
    let merged = same_part::merge(
        &txn,
        p,
        &bom,
        SamePart::SumWhenDesignatorsMatch,
        *new.row.part_id.as_ref(),
        &raw.designators(),
        raw.effective_quantity(),
        new.row.reference.as_ref(),
    )
    .await?;
    let (line, event) = match merged {
        Some(line) => (line.clone(), lines::changed(&line)),
        None => {
            let line = insert_prepared(&txn, &bom, vec![new], None)
                .await?
                .remove(0);
            (line.clone(), lines::added(&line))
        }
    };
    events::commit(db, txn, [event]).await?;
    Ok(line)
}

/// Adds a catalogue line to a BOM. Cofactr keeps one line per part, so it sums into an
/// existing line with the same part, its designators joining the existing ones
/// ([`SamePart::Sum`]). Concurrent adds are serialised per BOM.
pub async fn add_catalogue_line(
    db: &DatabaseConnection,
    p: &Principal,
    bom_id: i32,
    input: LineInput,
) -> ServiceResult<bom_line::Model> {
    let txn = crate::db::write(db).await?;
    let bom = boms::get_for_write(&txn, p, bom_id, true).await?;
    let reference = input.reference.clone().unwrap_or_default();
    let merged = same_part::merge(
        &txn,
        p,
        &bom,
        SamePart::Sum,
        input.part_id.flatten(),
        &designators::parse(&reference),
        input.quantity.unwrap_or(Decimal::ONE),
        &reference,
    )
    .await?;
    let (line, event) = match merged {
        Some(line) => (line.clone(), lines::changed(&line)),
        None => {
            let line = lines::insert(&txn, p, &bom, input).await?;
            (line.clone(), lines::added(&line))
        }
    };
    events::commit(db, txn, [event]).await?;
    Ok(line)
}

/// `lines[0].quantity` of a one-line batch is just `quantity`.
fn strip_line_prefix(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Validation(fields) => {
            let mut out = FieldErrors::new();
            for (k, msgs) in fields.0 {
                let key = k.strip_prefix("lines[0].").unwrap_or(&k).to_owned();
                for m in msgs {
                    out.add(&key, m);
                }
            }
            ServiceError::Validation(out)
        }
        other => other,
    }
}
