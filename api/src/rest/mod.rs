//! The REST shim: InvenTree's dialect at `/api/...`, Cofactr's at `/v1/...`. Handlers
//! translate onto `service`. Each route is declared once, by `routes!` from its handler's
//! `#[utoipa::path]`, so what is served and what `/api/schema/` documents are one list.
pub mod cofactr;
pub mod drf;
pub mod inventree;
pub mod page;

use std::sync::LazyLock;

use axum::http::{Method, StatusCode};
use axum::routing::any;
use axum::Router;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::OpenApi as Document;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;
use drf::{method_not_allowed, not_found};

/// Both dialects' routes with their document, and the document itself.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(inventree::ApiDoc::openapi())
        .routes(routes!(openapi_document))
        .merge(inventree::routes())
        .merge(cofactr::routes())
}

#[utoipa::path(get, path = "/api/schema/", tag = "api",
    responses((status = 200, body = Object, description = "This OpenAPI document"), (status = 401, body = inventree::schema::Detail)))]
pub async fn openapi_document(_user: drf::User) -> drf::RestResult {
    Ok(drf::json_response(StatusCode::OK, document()))
}

/// The REST routes as served: DRF's 405 for a method a path does not allow, and DRF's 404
/// for any other path under the dialects' prefixes.
pub fn router() -> Router<AppState> {
    let (router, _) = routes().split_for_parts();
    router
        .route("/api", any(|| async { not_found() }))
        .route("/api/{*rest}", any(|| async { not_found() }))
        .route("/v1/{*rest}", any(|| async { not_found() }))
        .method_not_allowed_fallback(|method: Method| async move { method_not_allowed(&method) })
}

/// The OpenAPI document of both REST dialects, made once from their routes.
pub fn document() -> &'static Document {
    static DOCUMENT: LazyLock<Document> = LazyLock::new(|| {
        let mut doc = routes().into_openapi();
        doc.info.title = "bomgraph REST: InvenTree and Cofactr dialects".into();
        doc.info.description = Some(
            "InvenTree's Bill of Materials API (version 180 paths and bodies, tags `bom` and \
             `part`) and Cofactr's BOM, program and job API (tag `cofactr`), served by bomgraph."
                .into(),
        );
        doc.info.license = Some(
            utoipa::openapi::LicenseBuilder::new()
                .name("MIT")
                .identifier(Some("MIT"))
                .build(),
        );
        unique_operation_ids(&mut doc);
        doc
    });
    &DOCUMENT
}

/// utoipa names an operation after its handler, and several dialects' handlers share a
/// name (`list`, `detail`...). Generated clients need one name per operation across the
/// whole document, so a shared name is prefixed with its path's resource words:
/// `list` on `/api/bom/substitute/` becomes `bom_substitute_list`.
fn unique_operation_ids(doc: &mut Document) {
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in doc.paths.paths.values_mut() {
        for op in operations(item) {
            *uses
                .entry(op.operation_id.clone().unwrap_or_default())
                .or_default() += 1;
        }
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let resource: Vec<&str> = path
            .split('/')
            .filter(|s| !s.is_empty() && !s.starts_with('{') && *s != "api" && *s != "v1")
            .collect();
        for op in operations(item) {
            let id = op.operation_id.clone().unwrap_or_default();
            if uses[&id] > 1 {
                op.operation_id = Some(format!("{}_{id}", resource.join("_")));
            }
        }
    }
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.options,
        &mut item.head,
        &mut item.patch,
        &mut item.trace,
    ]
    .into_iter()
    .flatten()
}
