//! Step 1 of an import: the file read, its columns matched, and the optional clear of the
//! assembly's lines marked for the submit that follows.

use entity::bom;
use sea_orm::{ActiveModelTrait, DatabaseConnection, Set};

use super::table::{match_columns, read_table, Table};
use crate::auth::Principal;
use crate::{bom as boms, ServiceResult};

/// How long an upload's `clear_existing_bom` waits for its submit. An import abandoned
/// longer than this clears nothing.
const CLEAR_WINDOW: chrono::Duration = chrono::Duration::hours(1);

/// Step 1: reads the file for an assembly part and matches its columns. With
/// `clear_existing_bom` the assembly's lines are marked to be replaced, which happens only
/// when the same user's `submit` succeeds within [`CLEAR_WINDOW`].
pub async fn upload(
    db: &DatabaseConnection,
    p: &Principal,
    assembly_part_id: i32,
    clear_existing_bom: bool,
    file_name: &str,
    bytes: &[u8],
) -> ServiceResult<(Table, Vec<Option<&'static str>>)> {
    let table = read_table(file_name, bytes)?;
    let matches = match_columns(&table.headers);
    let txn = crate::db::write(db).await?;
    let bom = boms::for_assembly(&txn, p, assembly_part_id).await?;
    let (by, until) = if clear_existing_bom {
        (Some(p.user_id), Some(chrono::Utc::now() + CLEAR_WINDOW))
    } else {
        (None, None)
    };
    if clear_existing_bom || bom.clear_on_import_by == Some(p.user_id) {
        let mut am: bom::ActiveModel = bom.into();
        am.clear_on_import_by = Set(by);
        am.clear_on_import_until = Set(until);
        am.update(&txn).await?;
    }
    crate::db::commit(txn).await?;
    Ok((table, matches))
}
