//! InvenTree's REST dialect (API 180 paths and bodies) at `/api/...`.
pub mod bom;
pub mod import;
pub mod input;
pub mod options;
pub mod part;
pub mod schema;
pub mod substitute;

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoParams, Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::schema::{ApiRoot, Token, UserMe};
use crate::rest::drf::{json_response, Query, RestResult, User};
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
/// The name of a new token.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// The token's name; `inventree` when left out.
    pub name: Option<String>,
}

#[utoipa::path(get, path = "/api/user/token/", tag = "user", params(TokenQuery),
    responses((status = 200, body = Token), (status = 401, body = schema::Detail), (status = 403, body = schema::Detail)))]
pub async fn user_token(
    State(state): State<AppState>,
    User(p): User,
    Query(query, _): Query<TokenQuery>,
) -> RestResult {
    let name = query
        .name
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "inventree".into());
    let (_, token) = service::auth::create_own_token(&state.db, &p, &name).await?;
    Ok(json_response(StatusCode::OK, &Token { token, name }))
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

/// The document's frame: its security schemes; `rest::document` adds the title, the
/// license and the routes.
#[derive(OpenApi)]
#[openapi(
    info(title = "bomgraph REST: InvenTree and Cofactr dialects", version = "180"),
    modifiers(&Security),
    security(("tokenAuth" = []), ("basicAuth" = [])),
)]
pub struct ApiDoc;

/// InvenTree's routes, each declared once with its document entry (one `routes!` per
/// path). `OPTIONS` on the lists is DRF's metadata, documented with them.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(root))
        .routes(routes!(user_me))
        .routes(routes!(user_token))
        .routes(routes!(
            bom::list,
            bom::create,
            bom::bulk_delete,
            options::describe_bom_list
        ))
        .routes(routes!(import::upload))
        .routes(routes!(import::extract))
        .routes(routes!(import::submit))
        .routes(routes!(
            substitute::list,
            substitute::create,
            options::describe_substitute_list
        ))
        .routes(routes!(
            substitute::detail,
            substitute::patch,
            substitute::put,
            substitute::destroy
        ))
        .routes(routes!(
            substitute::metadata_get,
            substitute::metadata_patch,
            substitute::metadata_put
        ))
        .routes(routes!(bom::detail, bom::patch, bom::put, bom::destroy))
        .routes(routes!(
            bom::metadata_get,
            bom::metadata_patch,
            bom::metadata_put
        ))
        .routes(routes!(bom::validate_patch, bom::validate_put))
        .routes(routes!(
            part::list,
            part::create,
            options::describe_part_list
        ))
        .routes(routes!(part::detail, part::patch, part::put, part::destroy))
}
