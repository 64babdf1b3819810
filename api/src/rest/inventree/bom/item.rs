//! What every BomItem endpoint shares: service field names as a BomItem calls them,
//! service errors under those names, and one line rendered as a BomItem.
use service::auth::Principal;

use crate::rest::drf::{service_error, RestError};
use crate::rest::inventree::schema::{self, BomItem, Details};
use crate::state::AppState;

/// Service field names as a BomItem calls them.
pub fn rename(field: &str) -> String {
    match field {
        "part_id" => "sub_part".into(),
        "assembly_part_id" => "part".into(),
        other => other.into(),
    }
}

pub(super) fn err(e: service::ServiceError) -> RestError {
    service_error(e, rename)
}

pub(super) async fn render_one(
    state: &AppState,
    p: &Principal,
    line: &entity::bom_line::Model,
    details: Details,
) -> Result<BomItem, RestError> {
    let mut items = schema::bom_items(&state.db, p, std::slice::from_ref(line), details)
        .await
        .map_err(err)?;
    items
        .pop()
        .ok_or_else(|| RestError::from(crate::rest::drf::not_found()))
}
