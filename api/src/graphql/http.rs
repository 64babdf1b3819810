//! GraphQL over HTTP: reads the request within the body limit, authenticates, applies the
//! input policy to the variables, runs it under the request's cost budget, gives every
//! error an `extensions.code`, caps the response's size, and answers 503 (retried once by
//! the edge) when the database was unreachable.
use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use async_graphql::{BatchRequest, ErrorExtensionValues, ServerError};
use axum::body::{to_bytes, Body};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use service::ServiceError;

use super::budget::{Budget, TOO_COMPLEX};
use super::error::to_gql;
use super::loaders::Loaders;
use crate::auth;
use crate::edge::body_limit::{too_large, MAX_BODY_BYTES};
use crate::edge::retry::RetrySafe;
use crate::edge::surface::{graphql_errors, with_retry_after, Surface};
use crate::state::AppState;

/// The largest response body: a 10,000-line BOM with everything on each line is about
/// 20 MB; what the cost model lets through beyond this is refused, not sent.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

fn bad_request(message: &str) -> Response {
    graphql_errors(StatusCode::BAD_REQUEST, &[("BAD_REQUEST", message)])
}

fn service_error(status: StatusCode, e: ServiceError) -> Response {
    let resp =
        async_graphql::Response::from_errors(vec![to_gql(e).into_server_error(Default::default())]);
    render(status, resp, &HeaderMap::new())
}

/// The one GraphQL request in a GET query string or a POST body.
async fn read(method: &Method, uri: &Uri, body: Body) -> Result<async_graphql::Request, Response> {
    if method == Method::GET {
        return async_graphql::http::parse_query_string(uri.query().unwrap_or_default())
            .map_err(|e| bad_request(&format!("The query string is not a GraphQL request: {e}.")));
    }
    let bytes = to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| too_large(Surface::GraphQl))?;
    match serde_json::from_slice::<BatchRequest>(&bytes) {
        Ok(BatchRequest::Single(request)) => Ok(request),
        Ok(BatchRequest::Batch(_)) => Err(bad_request(
            "Batched requests (a JSON array) are not supported; send one operation per request.",
        )),
        Err(e) => Err(bad_request(&format!(
            "The body is not a GraphQL request (a JSON object with \"query\"): {e}."
        ))),
    }
}

/// A NUL written into the document itself, raw or as a `\u0000` / `\u{0}` escape.
fn nul_in_document(query: &str) -> bool {
    if query.contains('\0') {
        return true;
    }
    query.match_indices("\\u").any(|(i, _)| {
        let rest = &query[i + 2..];
        let hex = match rest.strip_prefix('{') {
            Some(braced) => braced.split('}').next().unwrap_or_default(),
            None => rest.get(..4).unwrap_or_default(),
        };
        !hex.is_empty()
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
            && u32::from_str_radix(hex, 16) == Ok(0)
    })
}

/// `service::input`'s policy on the variables and the document.
fn check_input(request: &async_graphql::Request) -> Result<(), ServiceError> {
    if nul_in_document(&request.query) {
        return service::input::check_text("query", "\0");
    }
    if let Some(message) = service::input::document_too_precise(&request.query) {
        return Err(service::FieldErrors::single("query", message));
    }
    let variables = serde_json::to_value(&request.variables)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    match service::input::json_problem(&variables) {
        None => Ok(()),
        // Named as the service names an input's fields: `name`, `lines[3].mpn`, without
        // the variable that carries the input object.
        Some((path, message)) => {
            let field = match path.split_once('.') {
                Some((_variable, inner)) => inner.to_owned(),
                None => path,
            };
            Err(service::FieldErrors::single(&field, message))
        }
    }
}

/// Argument and parse errors from async-graphql carry no code; give them one.
fn code_for(error: &ServerError) -> &'static str {
    let m = error.message.as_str();
    if m == "Query is too complex." || m == "Query is nested too deep." {
        TOO_COMPLEX
    } else if error.path.is_empty()
        || m.starts_with("Invalid value for argument")
        || m.starts_with("Failed to parse")
        // a nullable variable left out, for an argument with a default
        || m.starts_with("Expected input type")
        || m.contains("required but not provided")
    {
        "BAD_REQUEST"
    } else {
        tracing::error!(error = %m, "resolver error without a code");
        "INTERNAL"
    }
}

fn coded(mut resp: async_graphql::Response) -> async_graphql::Response {
    for error in &mut resp.errors {
        let has_code = error
            .extensions
            .as_ref()
            .is_some_and(|x| x.get("code").is_some());
        if !has_code {
            let code = code_for(error);
            error
                .extensions
                .get_or_insert_with(ErrorExtensionValues::default)
                .set("code", code);
        }
    }
    resp
}

fn has_code(resp: &async_graphql::Response, code: &str) -> bool {
    resp.errors.iter().any(|e| {
        e.extensions.as_ref().and_then(|x| x.get("code")) == Some(&async_graphql::Value::from(code))
    })
}

/// A write whose COMMIT met the lost connection may have landed.
fn maybe_committed(resp: &async_graphql::Response) -> bool {
    resp.errors.iter().any(|e| {
        e.extensions.as_ref().and_then(|x| x.get("maybeCommitted"))
            == Some(&async_graphql::Value::from(true))
    })
}

fn is_mutation(query: &str) -> bool {
    async_graphql::parser::parse_query(query)
        .map(|doc| {
            doc.operations
                .iter()
                .any(|(_, op)| op.node.ty == OperationType::Mutation)
        })
        .unwrap_or(false)
}

/// True when a mutation's response shows that no mutation field got through: every
/// top-level field is null, so sending it again cannot apply anything twice.
fn nothing_applied(resp: &async_graphql::Response) -> bool {
    match &resp.data {
        async_graphql::Value::Object(fields) => {
            fields.values().all(|v| *v == async_graphql::Value::Null)
        }
        _ => true,
    }
}

pub async fn endpoint(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let mut request = match read(&method, &uri, body).await {
        Ok(r) => r,
        Err(refusal) => return refusal,
    };
    let principal = match auth::authenticate(&state.db, &headers).await {
        Ok(p) => p,
        Err(e @ ServiceError::Unauthenticated) => {
            return service_error(StatusCode::UNAUTHORIZED, e)
        }
        Err(e @ ServiceError::Unavailable { .. }) => {
            let mut r = service_error(StatusCode::SERVICE_UNAVAILABLE, e);
            r.extensions_mut().insert(RetrySafe);
            return r;
        }
        Err(e) => return service_error(StatusCode::INTERNAL_SERVER_ERROR, e),
    };
    if let Err(e) = check_input(&request) {
        return service_error(StatusCode::OK, e);
    }
    if method == Method::GET && is_mutation(&request.query) {
        return service_error(
            StatusCode::METHOD_NOT_ALLOWED,
            ServiceError::Forbidden("Mutations must be sent with POST.".into()),
        );
    }
    let scope = principal.clone().unwrap_or_else(auth::anonymous);
    let budget = Arc::new(Budget::default());
    request = request
        .data(state.db.clone())
        .data(Loaders::new(state.db.clone(), scope))
        .data(budget.clone());
    let query = request.query.clone();
    if let Some(p) = principal {
        request = request.data::<Arc<service::auth::Principal>>(p);
    }
    let mut resp = coded(state.schema.execute(request).await);
    tracing::debug!(values = budget.used(), "graphql request cost");
    if budget.exceeded() {
        resp = async_graphql::Response::from_errors(vec![
            super::budget::too_many_values().into_server_error(Default::default())
        ]);
    }
    if has_code(&resp, "UNAVAILABLE") {
        let safe = !maybe_committed(&resp) && (!is_mutation(&query) || nothing_applied(&resp));
        let mut r = render(StatusCode::SERVICE_UNAVAILABLE, resp, &headers);
        if safe {
            r.extensions_mut().insert(RetrySafe);
        }
        return r;
    }
    render(StatusCode::OK, resp, &headers)
}

/// Serialises a response within `MAX_RESPONSE_BYTES`, as `application/graphql-response+json`
/// or, to clients that accept only that, `application/json`.
fn render(
    status: StatusCode,
    resp: async_graphql::Response,
    request_headers: &HeaderMap,
) -> Response {
    let mut bytes = serde_json::to_vec(&resp).unwrap_or_else(|_| b"{}".to_vec());
    if bytes.len() > MAX_RESPONSE_BYTES {
        let refused = async_graphql::Response::from_errors(vec![ServerError::new(
            format!(
                "The response would be larger than {} MiB; select fewer fields or page through long lists.",
                MAX_RESPONSE_BYTES / (1024 * 1024)
            ),
            None,
        )]);
        let mut refused = refused;
        refused.errors[0]
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default)
            .set("code", "RESPONSE_TOO_LARGE");
        bytes = serde_json::to_vec(&refused).unwrap_or_default();
    }
    let content_type = if wants_plain_json(request_headers) {
        "application/json"
    } else {
        "application/graphql-response+json"
    };
    let mut response = (status, bytes).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    for (name, value) in resp.http_headers.iter() {
        response.headers_mut().insert(name.clone(), value.clone());
    }
    with_retry_after(&mut response);
    response
}

/// GraphQL over HTTP answers `application/graphql-response+json`, except to clients that
/// accept only `application/json`, as older GraphQL clients do.
fn wants_plain_json(headers: &HeaderMap) -> bool {
    let accept = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect::<Vec<_>>()
        .join(",");
    accept.contains("application/json") && !accept.contains("application/graphql-response+json")
}

#[cfg(test)]
mod tests {
    use super::nul_in_document;

    #[test]
    fn nul_escapes_in_documents() {
        assert!(nul_in_document(
            r#"{ parts(search: "a\u0000") { totalCount } }"#
        ));
        assert!(nul_in_document(
            r#"{ parts(search: "a\u{0}") { totalCount } }"#
        ));
        assert!(!nul_in_document(
            r#"{ parts(search: "a\u0041") { totalCount } }"#
        ));
        assert!(!nul_in_document("{ me { username } }"));
    }
}
