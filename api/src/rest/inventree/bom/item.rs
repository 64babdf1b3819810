//! What every BomItem endpoint shares: service field names as a BomItem calls them,
//! service errors under those names, and one line rendered as a BomItem.
use service::auth::Principal;

use crate::rest::drf::{not_found, FieldNames, NamedError, NamedResult, RestError};
use crate::rest::inventree::schema::{self, BomItem, Details};
use crate::state::AppState;

/// Service field names as a BomItem calls them.
pub struct BomItemNames;

impl FieldNames for BomItemNames {
    fn rename(field: &str) -> String {
        rename(field)
    }
}

pub fn rename(field: &str) -> String {
    match field {
        "part_id" => "sub_part".into(),
        "assembly_part_id" => "part".into(),
        other => other.into(),
    }
}

/// What a BomItem handler answers: errors under a BomItem's field names.
pub type BomResult = NamedResult<BomItemNames>;
pub type BomError = NamedError<BomItemNames>;

pub(super) async fn render_one(
    state: &AppState,
    p: &Principal,
    line: &entity::bom_line::Model,
    details: Details,
) -> Result<BomItem, BomError> {
    let mut items = schema::bom_items(&state.db, p, std::slice::from_ref(line), details).await?;
    items
        .pop()
        .ok_or_else(|| BomError::from(RestError::from(not_found())))
}
