//! Revision chains: a BOM is revised into a new draft that copies it whole, labelled with
//! the chain's next label (`A` → `B` → … → `Z` → `AA`, or `1` → `2`).
//!
//! A BOM whose `chain_id` is `None` is the first of its chain; each later revision names
//! that first BOM in `chain_id` and the revision it was made from in
//! `previous_revision_id`. A chain has at most one draft (neither approved nor archived),
//! and approval freezes a revision (see `bom::get_for_write`).
use crate::events::{self, Change, Event};
use std::collections::HashMap;

use chrono::Utc;
use entity::{bom, bom_line, program_line, substitute};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    NotSet, QueryFilter, QueryOrder, QuerySelect, QueryTrait, Set,
};

use crate::auth::Principal;
use crate::db::one_of;
use crate::{bom_line as lines, bom_lookup, FieldErrors, ServiceError, ServiceResult};

/// The longest revision label.
pub const MAX_LABEL: usize = 20;
/// The label of a new BOM's first revision, unless it is given one.
pub const FIRST_LABEL: &str = "A";

/// The id that names a BOM's chain: that of the chain's first BOM.
pub fn chain_root(bom: &bom::Model) -> i32 {
    bom.chain_id.unwrap_or(bom.id)
}

/// A draft is a revision that may still change: neither approved nor archived.
pub fn is_draft(bom: &bom::Model) -> bool {
    !bom.approved && !bom.archived
}

/// The label after `label`: letters count like spreadsheet columns (`Z` → `AA`, `AZ` →
/// `BA`), digits like numbers (`9` → `10`). `None` for a label that is neither.
pub fn next_label(label: &str) -> Option<String> {
    let label = label.trim();
    if !label.is_empty() && label.chars().all(|c| c.is_ascii_digit()) {
        // `09` → `10`, `007` → `008`: zero padding keeps its width
        let next = label.parse::<u64>().ok()?.checked_add(1)?;
        return Some(format!("{next:0width$}", width = label.len()));
    }
    if label.is_empty() || !label.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let upper = label.chars().all(|c| c.is_ascii_uppercase());
    let lower = label.chars().all(|c| c.is_ascii_lowercase());
    if !upper && !lower {
        return None;
    }
    let (first, last) = if upper { (b'A', b'Z') } else { (b'a', b'z') };
    let mut bytes = label.as_bytes().to_vec();
    for i in (0..bytes.len()).rev() {
        if bytes[i] == last {
            bytes[i] = first;
        } else {
            bytes[i] += 1;
            return String::from_utf8(bytes).ok();
        }
    }
    bytes.insert(0, first);
    String::from_utf8(bytes).ok()
}

/// Every revision of each chain among `roots`, oldest first, within the principal's teams.
pub async fn chains(
    db: &impl ConnectionTrait,
    p: &Principal,
    roots: &[i32],
) -> ServiceResult<HashMap<i32, Vec<bom::Model>>> {
    let mut out: HashMap<i32, Vec<bom::Model>> = HashMap::new();
    if roots.is_empty() {
        return Ok(out);
    }
    let backend = db.get_database_backend();
    let rows = bom::Entity::find()
        .filter(
            Condition::any()
                .add(one_of(backend, bom::Column::Id, roots.iter().copied()))
                .add(one_of(backend, bom::Column::ChainId, roots.iter().copied())),
        )
        .filter(one_of(backend, bom::Column::TeamId, p.team_ids()))
        .order_by_asc(bom::Column::Id)
        .all(db)
        .await?;
    for b in rows {
        out.entry(chain_root(&b)).or_default().push(b);
    }
    Ok(out)
}

/// The revisions of `bom`'s chain, oldest first.
pub async fn chain_of(
    db: &impl ConnectionTrait,
    p: &Principal,
    bom: &bom::Model,
) -> ServiceResult<Vec<bom::Model>> {
    let root = chain_root(bom);
    Ok(chains(db, p, &[root])
        .await?
        .remove(&root)
        .unwrap_or_default())
}

/// The newest approved revision still in use (not archived) of a chain, oldest first.
pub fn latest_approved(chain: &[bom::Model]) -> Option<&bom::Model> {
    chain.iter().rev().find(|b| b.approved && !b.archived)
}

/// The BOM each program line builds, by line id: the pinned BOM, or for a line that
/// follows its chain the chain's latest approved revision (the pinned BOM while the chain
/// has none). Two statements, whatever the number of lines.
pub async fn resolve_lines(
    db: &impl ConnectionTrait,
    p: &Principal,
    lines: &[program_line::Model],
) -> ServiceResult<HashMap<i32, bom::Model>> {
    let ids: Vec<i32> = lines.iter().map(|l| l.bom_id).collect();
    let pinned: HashMap<i32, bom::Model> = bom_lookup::by_ids(db, p, &ids)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let roots: Vec<i32> = lines
        .iter()
        .filter(|l| l.follow_latest)
        .filter_map(|l| pinned.get(&l.bom_id))
        .map(chain_root)
        .collect();
    let chains = chains(db, p, &roots).await?;
    let mut out = HashMap::new();
    for line in lines {
        let Some(bom) = pinned.get(&line.bom_id) else {
            continue;
        };
        let latest = line
            .follow_latest
            .then(|| chains.get(&chain_root(bom)))
            .flatten()
            .and_then(|chain| latest_approved(chain));
        out.insert(line.id, latest.unwrap_or(bom).clone());
    }
    Ok(out)
}

/// The rule for any label's text: not blank, at most [`MAX_LABEL`] characters.
pub fn check_label_text(label: &str) -> Result<(), String> {
    let label = label.trim();
    if label.is_empty() {
        return Err("This field may not be blank.".into());
    }
    if label.chars().count() > MAX_LABEL {
        return Err(format!(
            "Ensure this field has no more than {MAX_LABEL} characters."
        ));
    }
    Ok(())
}

fn check_label(chain: &[bom::Model], label: &str) -> ServiceResult<()> {
    check_label_text(label).map_err(|m| FieldErrors::single("label", m))?;
    if chain.iter().any(|b| b.revision == label) {
        return Err(FieldErrors::single(
            "label",
            format!("Revision \"{label}\" already exists in this chain."),
        ));
    }
    Ok(())
}

/// The label a new revision gets: the one after the newest revision's, skipping labels
/// the chain already holds.
fn label_after(chain: &[bom::Model]) -> ServiceResult<String> {
    let newest = chain
        .iter()
        .max_by_key(|b| b.id)
        .map(|b| b.revision.as_str());
    let mut label = newest.unwrap_or(FIRST_LABEL).to_owned();
    loop {
        label = next_label(&label).ok_or_else(|| {
            FieldErrors::single(
                "label",
                format!(
                    "Revision \"{}\" has no next label; give one.",
                    newest.unwrap_or_default()
                ),
            )
        })?;
        if !chain.iter().any(|b| b.revision == label) {
            return Ok(label);
        }
    }
}

/// Makes a new draft revision from `id` (any revision of a chain the principal may write):
/// the BOM's fields, metadata, lines and substitutes are copied in one transaction.
/// `label` defaults to the chain's next label; it must be unique in the chain. A chain
/// holding a draft already is a conflict that names it.
pub async fn revise(
    db: &DatabaseConnection,
    p: &Principal,
    id: i32,
    label: Option<String>,
) -> ServiceResult<bom::Model> {
    let txn = crate::db::write(db).await?;
    let source = bom_lookup::get(&txn, p, id).await?;
    p.ensure_write(source.team_id, "bom")?;
    // The chain's first BOM is locked: two revisions of one chain are made one at a time.
    crate::db::find_for_update::<bom::Entity>(&txn, chain_root(&source)).await?;
    let chain = chain_of(&txn, p, &source).await?;
    if let Some(draft) = chain.iter().find(|b| is_draft(b)) {
        return Err(ServiceError::Conflict(format!(
            "Revision {} (BOM {}) of this chain is an open draft; approve or delete it before \
             making another revision.",
            draft.revision, draft.id
        )));
    }
    let label = match label {
        Some(l) => {
            let l = l.trim().to_owned();
            check_label(&chain, &l)?;
            l
        }
        None => label_after(&chain)?,
    };
    let now = Utc::now();
    let revision = bom::ActiveModel {
        id: NotSet,
        revision: Set(label),
        chain_id: Set(Some(chain_root(&source))),
        previous_revision_id: Set(Some(source.id)),
        approved: Set(false),
        approved_at: Set(None),
        approved_by: Set(None),
        archived: Set(false),
        clear_on_import_by: Set(None),
        clear_on_import_until: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..bom::ActiveModel::from(source.clone())
    }
    .insert(&txn)
    .await?;
    copy_lines(&txn, &source, &revision).await?;
    let revised = Change::Revised {
        revision: revision.id,
    };
    events::commit(db, txn, [Event::bom(source.id, revised)]).await?;
    Ok(revision)
}

/// Copies every line of `from` into `to` (a new BOM, locked by its transaction), then
/// every substitute: a fixed number of statements per 50 lines.
async fn copy_lines(
    txn: &impl ConnectionTrait,
    from: &bom::Model,
    to: &bom::Model,
) -> ServiceResult<()> {
    let source = bom_line::Entity::find()
        .filter(bom_line::Column::BomId.eq(from.id))
        .order_by_asc(bom_line::Column::Id)
        .all(txn)
        .await?;
    if source.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows: Vec<bom_line::ActiveModel> = source
        .iter()
        .map(|line| {
            let mut copy = bom_line::Model {
                bom_id: to.id,
                created_at: now,
                updated_at: now,
                ..line.clone()
            };
            // A line reviewed in the source stays reviewed in its copy.
            if lines::is_validated(line) {
                copy.validation_hash = Some(lines::checksum(&copy));
            }
            bom_line::ActiveModel {
                id: NotSet,
                ..copy.into()
            }
        })
        .collect();
    for chunk in rows.chunks(crate::db::INSERT_ROWS) {
        bom_line::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    let copied = bom_line::Entity::find()
        .filter(bom_line::Column::BomId.eq(to.id))
        .order_by_asc(bom_line::Column::Id)
        .all(txn)
        .await?;
    let same = |a: &bom_line::Model, b: &bom_line::Model| {
        (a.part_id, &a.quantity, &a.reference) == (b.part_id, &b.quantity, &b.reference)
    };
    if copied.len() != source.len() || !source.iter().zip(&copied).all(|(a, b)| same(a, b)) {
        return Err(ServiceError::Internal(format!(
            "revision {} of BOM {}: the copied lines do not read back in order",
            to.id, from.id
        )));
    }
    let new_id: HashMap<i32, i32> = source
        .iter()
        .zip(&copied)
        .map(|(a, b)| (a.id, b.id))
        .collect();
    let subs = substitute::Entity::find()
        .filter(
            substitute::Column::BomLineId.in_subquery(
                bom_line::Entity::find()
                    .select_only()
                    .column(bom_line::Column::Id)
                    .filter(bom_line::Column::BomId.eq(from.id))
                    .into_query(),
            ),
        )
        .order_by_asc(substitute::Column::Id)
        .all(txn)
        .await?;
    let rows: Vec<substitute::ActiveModel> = subs
        .into_iter()
        .filter_map(|s| {
            let line = *new_id.get(&s.bom_line_id)?;
            Some(substitute::ActiveModel {
                id: NotSet,
                bom_line_id: Set(line),
                ..s.into()
            })
        })
        .collect();
    for chunk in rows.chunks(500) {
        substitute::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::next_label;

    #[test]
    fn letters_count_like_spreadsheet_columns() {
        assert_eq!(next_label("A").as_deref(), Some("B"));
        assert_eq!(next_label("Z").as_deref(), Some("AA"));
        assert_eq!(next_label("AZ").as_deref(), Some("BA"));
        assert_eq!(next_label("ZZ").as_deref(), Some("AAA"));
        assert_eq!(next_label("c").as_deref(), Some("d"));
    }

    #[test]
    fn digits_count_like_numbers() {
        assert_eq!(next_label("1").as_deref(), Some("2"));
        assert_eq!(next_label("9").as_deref(), Some("10"));
        assert_eq!(next_label("09").as_deref(), Some("10"));
        assert_eq!(next_label("007").as_deref(), Some("008"));
    }

    #[test]
    fn other_labels_have_no_next() {
        for label in ["", "rev-2", "Ab", "A1", "É"] {
            assert_eq!(next_label(label), None, "{label}");
        }
    }
}
