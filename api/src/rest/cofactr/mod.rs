//! Cofactr's REST dialect at `/v1/...` (and `PUT /integrations/async_boms/`).
pub mod boms;
pub mod input;
pub mod jobs;
pub mod paging;
pub mod programs;
pub mod revisions;
pub mod schema;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Cofactr's routes, each declared once with its document entry (one `routes!` per path).
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(boms::list, boms::create))
        .routes(routes!(boms::create_raw))
        .routes(routes!(boms::detail, boms::update, boms::destroy))
        .routes(routes!(boms::approve))
        .routes(routes!(revisions::revise))
        .routes(routes!(revisions::diff))
        .routes(routes!(revisions::export))
        .routes(routes!(boms::lines, boms::add_line))
        .routes(routes!(boms::add_raw_line))
        .routes(routes!(
            boms::line_detail,
            boms::line_update,
            boms::line_destroy
        ))
        .routes(routes!(boms::upsert_async))
        .routes(routes!(boms::upsert_async_unversioned))
        .routes(routes!(jobs::detail))
        .routes(routes!(programs::list, programs::create))
        .routes(routes!(
            programs::detail,
            programs::update,
            programs::destroy
        ))
        .routes(routes!(programs::availabilities))
        .routes(routes!(programs::availabilities_async))
        .routes(routes!(programs::reference_pricing))
        .routes(routes!(programs::lines, programs::add_line))
        .routes(routes!(
            programs::line_detail,
            programs::line_update,
            programs::line_destroy
        ))
        .routes(routes!(programs::overrides, programs::add_override))
        .routes(routes!(
            programs::override_detail,
            programs::override_update,
            programs::override_destroy
        ))
}
