//! InvenTree's REST dialect (API 180 paths and bodies) at `/api/...`.
pub mod bom;
pub mod import;
pub mod options;
pub mod part;
pub mod schema;
pub mod substitute;

use axum::extract::{RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::routing::{any, get, post, MethodRouter};
use axum::Router;
use utoipa::openapi::path::{Operation, PathItem};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use self::schema::{ApiRoot, Token, UserMe};
use crate::rest::drf::{
    json_response, method_not_allowed, not_found, params_of, same_name, service_error, RestResult,
    User,
};
use crate::state::AppState;

/// The API version reported to clients. The paths and bodies are those of API 180; the
/// number is what current `inventree` clients require to connect (>= 206), and stays below
/// 436, from which clients expect metadata at `/api/metadata/...`.
pub const API_VERSION: u32 = 206;

#[utoipa::path(get, path = "/api/", tag = "api", security(()),
    responses((status = 200, body = ApiRoot)))]
pub async fn root() -> RestResult {
    Ok(json_response(
        StatusCode::OK,
        &ApiRoot {
            server: "InvenTree".into(),
            api_version: API_VERSION,
            version: "0.14.0".into(),
            instance: "bomgraph".into(),
            worker_running: true,
            plugins_enabled: false,
            active_plugins: Vec::new(),
            email_configured: false,
            debug_mode: false,
            docker_mode: false,
        },
    ))
}

#[utoipa::path(get, path = "/api/user/me/", tag = "user",
    responses((status = 200, body = UserMe), (status = 401, body = schema::Detail)))]
pub async fn user_me(User(p): User) -> RestResult {
    Ok(json_response(
        StatusCode::OK,
        &UserMe {
            pk: p.user_id,
            username: p.username.clone(),
            first_name: String::new(),
            last_name: String::new(),
            email: String::new(),
        },
    ))
}

/// A new API token for the user signed in with Basic auth (as the InvenTree client does
/// before it uses the token). Keys are stored hashed, so each call issues a new one.
#[utoipa::path(get, path = "/api/user/token/", tag = "user", params(("name" = Option<String>, Query)),
    responses((status = 200, body = Token), (status = 401, body = schema::Detail), (status = 403, body = schema::Detail)))]
pub async fn user_token(
    State(state): State<AppState>,
    User(p): User,
    RawQuery(q): RawQuery,
) -> RestResult {
    let params = params_of(q.as_deref());
    let name = params
        .get("name")
        .filter(|n| !n.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| "inventree".into());
    let (_, token) = service::auth::create_own_token(&state.db, &p, &name)
        .await
        .map_err(|e| service_error(e, same_name))?;
    Ok(json_response(StatusCode::OK, &Token { token, name }))
}

#[utoipa::path(get, path = "/api/schema/", tag = "api",
    responses((status = 200, body = Object, description = "This OpenAPI document"), (status = 401, body = schema::Detail)))]
pub async fn openapi_document(_user: User) -> RestResult {
    Ok(json_response(StatusCode::OK, &document()))
}

/// The OpenAPI document of both REST dialects.
pub fn document() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(crate::rest::cofactr::CofactrDoc::openapi());
    doc.info.title = "bomgraph REST: InvenTree and Cofactr dialects".into();
    doc.info.description = Some(
        "InvenTree's Bill of Materials API (version 180 paths and bodies, tags `bom` and `part`) \
         and Cofactr's BOM, program and job API (tag `cofactr`), served by bomgraph."
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
}

/// utoipa names an operation after its handler, and several dialects' handlers share a
/// name (`list`, `detail`...). Generated clients need one name per operation across the
/// whole document, so a shared name is prefixed with its path's resource words:
/// `list` on `/api/bom/substitute/` becomes `bom_substitute_list`.
fn unique_operation_ids(doc: &mut utoipa::openapi::OpenApi) {
    let mut uses: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in doc.paths.paths.values() {
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
        for op in operations_mut(item) {
            let id = op.operation_id.clone().unwrap_or_default();
            if uses[&id] > 1 {
                op.operation_id = Some(format!("{}_{id}", resource.join("_")));
            }
        }
    }
}

fn operations(item: &PathItem) -> impl Iterator<Item = &Operation> {
    [
        &item.get,
        &item.put,
        &item.post,
        &item.delete,
        &item.options,
        &item.head,
        &item.patch,
        &item.trace,
    ]
    .into_iter()
    .flatten()
}

fn operations_mut(item: &mut PathItem) -> impl Iterator<Item = &mut Operation> {
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

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "tokenAuth",
            SecurityScheme::ApiKey(utoipa::openapi::security::ApiKey::Header(
                utoipa::openapi::security::ApiKeyValue::with_description(
                    "Authorization",
                    "Token-based authentication with required prefix \"Token\" (Bearer and Api-Key work too)",
                ),
            )),
        );
        components.add_security_scheme(
            "basicAuth",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "bomgraph REST: InvenTree dialect", version = "180",
         description = "InvenTree's Bill of Materials API (version 180 paths and bodies), served by bomgraph."),
    paths(
        root, user_me, user_token, openapi_document,
        bom::list, bom::create, bom::bulk_delete, bom::detail, bom::patch, bom::put, bom::destroy,
        bom::validate_patch, bom::validate_put, bom::metadata_get, bom::metadata_patch, bom::metadata_put,
        substitute::list, substitute::create, substitute::detail, substitute::patch, substitute::put,
        substitute::destroy, substitute::metadata_get, substitute::metadata_patch, substitute::metadata_put,
        import::upload, import::extract, import::submit,
        part::list, part::create, part::detail, part::patch, part::put, part::destroy,
    ),
    modifiers(&Security),
    security(("tokenAuth" = []), ("basicAuth" = [])),
)]
pub struct ApiDoc;

/// DRF answers a method a path does not allow with 405 and a JSON body.
fn drf(route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.fallback(|method: Method| async move { method_not_allowed(&method) })
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/", drf(get(root)))
        .route("/api/schema/", drf(get(openapi_document)))
        .route("/api/user/me/", drf(get(user_me)))
        .route("/api/user/token/", drf(get(user_token)))
        .route(
            "/api/bom/",
            drf(get(bom::list)
                .post(bom::create)
                .delete(bom::bulk_delete)
                .options(options::bom_list)),
        )
        .route("/api/bom/import/upload/", drf(post(import::upload)))
        .route("/api/bom/import/extract/", drf(post(import::extract)))
        .route("/api/bom/import/submit/", drf(post(import::submit)))
        .route(
            "/api/bom/substitute/",
            drf(get(substitute::list)
                .post(substitute::create)
                .options(options::substitute_list)),
        )
        .route(
            "/api/bom/substitute/{id}/",
            drf(get(substitute::detail)
                .patch(substitute::patch)
                .put(substitute::put)
                .delete(substitute::destroy)),
        )
        .route(
            "/api/bom/substitute/{id}/metadata/",
            drf(get(substitute::metadata_get)
                .patch(substitute::metadata_patch)
                .put(substitute::metadata_put)),
        )
        .route(
            "/api/bom/{id}/",
            drf(get(bom::detail)
                .patch(bom::patch)
                .put(bom::put)
                .delete(bom::destroy)),
        )
        .route(
            "/api/bom/{id}/metadata/",
            drf(get(bom::metadata_get)
                .patch(bom::metadata_patch)
                .put(bom::metadata_put)),
        )
        .route(
            "/api/bom/{id}/validate/",
            drf(axum::routing::patch(bom::validate_patch).put(bom::validate_put)),
        )
        .route(
            "/api/part/",
            drf(get(part::list)
                .post(part::create)
                .options(options::part_list)),
        )
        .route(
            "/api/part/{id}/",
            drf(get(part::detail)
                .patch(part::patch)
                .put(part::put)
                .delete(part::destroy)),
        )
        .route("/api", any(|| async { not_found() }))
        .route("/api/{*rest}", any(|| async { not_found() }))
}
