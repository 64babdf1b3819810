//! Cofactr's REST dialect at `/v1/...` (and `PUT /integrations/async_boms/`).
pub mod boms;
pub mod jobs;
pub mod paging;
pub mod programs;
pub mod revisions;
pub mod schema;

use axum::http::Method;
use axum::routing::{get, post, put, MethodRouter};
use axum::Router;
use utoipa::OpenApi;

use crate::rest::drf::{method_not_allowed, not_found};
use crate::state::AppState;

fn drf(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.fallback(|method: Method| async move { method_not_allowed(&method) })
}

#[derive(OpenApi)]
#[openapi(paths(
    boms::list,
    boms::create,
    boms::create_raw,
    boms::detail,
    boms::update,
    boms::destroy,
    boms::approve,
    boms::lines,
    boms::add_line,
    boms::add_raw_line,
    boms::line_detail,
    boms::line_update,
    boms::line_destroy,
    boms::upsert_async,
    revisions::revise,
    revisions::diff,
    revisions::export,
    jobs::detail,
    programs::list,
    programs::create,
    programs::detail,
    programs::update,
    programs::destroy,
    programs::availabilities,
    programs::availabilities_async,
    programs::reference_pricing,
    programs::lines,
    programs::add_line,
    programs::line_detail,
    programs::line_update,
    programs::line_destroy,
    programs::overrides,
    programs::add_override,
    programs::override_detail,
    programs::override_update,
    programs::override_destroy,
))]
pub struct CofactrDoc;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/boms/", drf(get(boms::list).post(boms::create)))
        .route("/v1/boms/raw/", drf(post(boms::create_raw)))
        .route(
            "/v1/boms/{id}/",
            drf(get(boms::detail).patch(boms::update).delete(boms::destroy)),
        )
        .route("/v1/boms/{id}/approve/", drf(post(boms::approve)))
        .route("/v1/boms/{id}/revise/", drf(post(revisions::revise)))
        .route("/v1/boms/{id}/diff/", drf(get(revisions::diff)))
        .route("/v1/boms/{id}/export/", drf(get(revisions::export)))
        .route(
            "/v1/boms/{id}/lines/",
            drf(get(boms::lines).post(boms::add_line)),
        )
        .route("/v1/boms/{id}/lines/raw/", drf(post(boms::add_raw_line)))
        .route(
            "/v1/boms/{id}/lines/{line_id}/",
            drf(get(boms::line_detail)
                .patch(boms::line_update)
                .delete(boms::line_destroy)),
        )
        .route("/integrations/async_boms/", drf(put(boms::upsert_async)))
        .route("/v1/integrations/async_boms/", drf(put(boms::upsert_async)))
        .route("/v1/jobs/{id}/", drf(get(jobs::detail)))
        .route(
            "/v1/programs/",
            drf(get(programs::list).post(programs::create)),
        )
        .route(
            "/v1/programs/{id}/",
            drf(get(programs::detail)
                .patch(programs::update)
                .delete(programs::destroy)),
        )
        .route(
            "/v1/programs/{id}/availabilities/",
            drf(get(programs::availabilities)),
        )
        .route(
            "/v1/programs/{id}/availabilities/async/",
            drf(get(programs::availabilities_async)),
        )
        .route(
            "/v1/programs/{id}/reference_pricing/",
            drf(get(programs::reference_pricing)),
        )
        .route(
            "/v1/programs/{id}/lines/",
            drf(get(programs::lines).post(programs::add_line)),
        )
        .route(
            "/v1/programs/{id}/lines/{line_id}/",
            drf(get(programs::line_detail)
                .patch(programs::line_update)
                .delete(programs::line_destroy)),
        )
        .route(
            "/v1/programs/{id}/part_overrides/",
            drf(get(programs::overrides).post(programs::add_override)),
        )
        .route(
            "/v1/programs/{id}/part_overrides/{override_id}/",
            drf(get(programs::override_detail)
                .patch(programs::override_update)
                .delete(programs::override_destroy)),
        )
        .route("/v1/{*rest}", axum::routing::any(|| async { not_found() }))
}
