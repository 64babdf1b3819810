//! The axum app: state, routes, and the GraphQL endpoint.
use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use service::{DatabaseConnection, ServiceError};
use tower::ServiceExt;
use tower_http::trace::TraceLayer;

use crate::graphql::error::to_gql;
use crate::graphql::loaders::Loaders;
use crate::graphql::{build_schema, AppSchema};
use crate::metrics::Metrics;
use crate::{auth, cors, graphiql, metrics, rest};

/// The largest request body accepted: room for a raw BOM or an import of tens of
/// thousands of lines.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub metrics: Metrics,
    /// Browser origins allowed to call the API from another site (CORS); none by default.
    pub cors_origins: Vec<HeaderValue>,
}

impl AppState {
    /// Connects (counting every statement in the metrics) and migrates.
    pub async fn open(database_url: &str) -> Result<Self, ServiceError> {
        let metrics = Metrics::new();
        let counter = metrics.db_statements.clone();
        let db = service::db::connect(database_url, Some(Box::new(move || counter.inc()))).await?;
        service::db::migrate(&db).await?;
        Ok(Self {
            db,
            schema: build_schema(),
            metrics,
            cors_origins: Vec::new(),
        })
    }
}

fn graphql_error(status: StatusCode, e: ServiceError) -> Response {
    let resp =
        async_graphql::Response::from_errors(vec![to_gql(e).into_server_error(Default::default())]);
    (status, Json(resp)).into_response()
}

/// True when the request holds a mutation; GET may only read.
fn is_mutation(req: &async_graphql::Request) -> bool {
    async_graphql::parser::parse_query(&req.query)
        .map(|doc| {
            doc.operations
                .iter()
                .any(|(_, op)| op.node.ty == OperationType::Mutation)
        })
        .unwrap_or(false)
}

async fn graphql(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    req: GraphQLRequest,
) -> Response {
    let principal = match auth::authenticate(&state.db, &headers).await {
        Ok(p) => p,
        Err(e @ ServiceError::Unauthenticated) => {
            return graphql_error(StatusCode::UNAUTHORIZED, e)
        }
        Err(e) => return graphql_error(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    let mut req = req.into_inner();
    if method == Method::GET && is_mutation(&req) {
        return graphql_error(
            StatusCode::METHOD_NOT_ALLOWED,
            ServiceError::Forbidden("Mutations must be sent with POST.".into()),
        );
    }
    let scope = principal.clone().unwrap_or_else(auth::anonymous);
    req = req
        .data(state.db.clone())
        .data(Loaders::new(state.db.clone(), scope));
    if let Some(p) = principal {
        req = req.data::<Arc<service::auth::Principal>>(p);
    }
    let mut resp = GraphQLResponse::from(state.schema.execute(req).await).into_response();
    if wants_plain_json(&headers) {
        resp.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
    }
    resp
}

/// GraphQL over HTTP answers `application/graphql-response+json`, except to clients that
/// accept only `application/json`, as older GraphQL clients do.
fn wants_plain_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get_all(axum::http::header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    accept.contains("application/json") && !accept.contains("application/graphql-response+json")
}

async fn healthz(State(state): State<AppState>) -> Response {
    match service::db::ping(&state.db).await {
        Ok(()) => Json(json!({"status": "ok", "database": "ok"})).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "error", "database": "unreachable"})),
            )
                .into_response()
        }
    }
}

/// `/api/bom//12/` reaches `/api/bom/12/`: runs of slashes in the path become one.
fn collapse_slashes(mut req: Request) -> Request {
    let uri = req.uri();
    if uri.path().contains("//") {
        let mut path = String::with_capacity(uri.path().len());
        for c in uri.path().chars() {
            if !(c == '/' && path.ends_with('/')) {
                path.push(c);
            }
        }
        let path_and_query = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        if let Ok(pq) = path_and_query.parse::<axum::http::uri::PathAndQuery>() {
            let mut parts = uri.clone().into_parts();
            parts.path_and_query = Some(pq);
            if let Ok(new) = axum::http::Uri::from_parts(parts) {
                *req.uri_mut() = new;
            }
        }
    }
    req
}

pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/graphql", get(graphql).post(graphql))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics::endpoint))
        .merge(graphiql::routes())
        .merge(rest::inventree::routes())
        .merge(rest::cofactr::routes())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track,
        ))
        .layer(TraceLayer::new_for_http())
        // a bug must cost one request a 500, never the server
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        // whole BOMs and imports travel in one request
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            cors::layer,
        ))
        .with_state(state);
    // Paths are normalised before routing, so the normalising wraps the routed app.
    Router::new().fallback_service(routes.map_request(collapse_slashes as fn(Request) -> Request))
}
