//! The axum app's routes, with the edge layers every request passes.
use axum::extract::Request;
use axum::routing::get;
use axum::Router;
use tower::ServiceExt;

use crate::edge::{guard, retry, telemetry};
use crate::state::AppState;
use crate::{cors, graphiql, health, metrics, rest};

use crate::edge::body_limit::MAX_BODY_BYTES;

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

/// Layers run from the last added (outermost) to the first: the request's log line and
/// id, CORS, a panic costing one request a 500, the body and input guard, then one retry
/// of a request the database dropped.
pub fn router(state: AppState) -> Router {
    let graphql = crate::graphql::http::endpoint;
    let routes = Router::new()
        .route("/graphql", get(graphql).post(graphql))
        .route("/healthz", get(health::ready))
        .route("/readyz", get(health::ready))
        .route("/livez", get(health::live))
        .route("/metrics", get(metrics::endpoint))
        .merge(graphiql::routes())
        .merge(rest::router())
        .layer(axum::middleware::from_fn(retry::once))
        .layer(axum::middleware::from_fn(guard::guard))
        // whole BOMs and imports travel in one request
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        // a socket has no body to limit or replay; its messages are bounded by `ws` itself
        .route("/graphql/ws", get(crate::graphql::ws::upgrade))
        .layer(tower_http::catch_panic::CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.cors.clone(),
            cors::layer,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            telemetry::layer,
        ))
        .with_state(state);
    // Paths are normalised before routing, so the normalising wraps the routed app.
    Router::new().fallback_service(routes.map_request(collapse_slashes as fn(Request) -> Request))
}
