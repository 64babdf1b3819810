//! GraphQL over HTTP, as the GraphQL-over-HTTP spec has it: reads the request (a GET query
//! string, a POST body, or a batch of up to [`MAX_BATCH`] operations as a JSON array)
//! within the body limit, fills in persisted queries, authenticates, applies the input
//! policy, runs each operation under the request's one cost budget, gives every error an
//! `extensions.code`, caps the response's size, and answers 503 (retried once by the edge)
//! when the database was unreachable.
//!
//! Statuses: a request error (the document does not parse or validate, a variable does not
//! coerce, the input policy refuses it) answers without `data`, with 400 in
//! `application/graphql-response+json` and 200 in `application/json` (clients written before
//! the spec read errors only from a 200). Credentials that are missing or not valid answer
//! 200 with the code `UNAUTHENTICATED`, so Apollo Client and urql show a GraphQL error
//! rather than a network error.
use std::sync::Arc;

use async_graphql::parser::types::OperationType;
use async_graphql::{ErrorExtensionValues, ErrorExtensions, ServerError};
use axum::body::{to_bytes, Body};
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use service::auth::Principal;
use service::ServiceError;

use super::budget::{Budget, TOO_COMPLEX};
use super::error::to_gql;
use super::input_check::check_input;
use super::loaders::Loaders;
use super::persisted::{self, Refusal};
use crate::auth;
use crate::edge::body_limit::{too_large, MAX_BODY_BYTES};
use crate::edge::retry::RetrySafe;
use crate::edge::surface::{with_retry_after, Surface};
use crate::state::AppState;

/// The largest response body: a 10,000-line BOM with everything on each line is about
/// 20 MB; what the cost model lets through beyond this is refused, not sent.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// The most operations one batched request may carry. They run one after another and share
/// one values budget, so a batch costs no more than one large query.
pub const MAX_BATCH: usize = 20;

/// The media type of the answer: `application/graphql-response+json` to a client that asks
/// for it, `application/json` otherwise (also for `*/*` and no `Accept`, as the spec has
/// servers do for clients written before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Media {
    GraphQlResponse,
    Json,
}

impl Media {
    fn accepted(headers: &HeaderMap) -> Self {
        let asks = headers
            .get_all(header::ACCEPT)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.contains("application/graphql-response+json"));
        if asks {
            Self::GraphQlResponse
        } else {
            Self::Json
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::GraphQlResponse => "application/graphql-response+json",
            Self::Json => "application/json",
        }
    }

    fn request_error_status(self) -> StatusCode {
        match self {
            Self::GraphQlResponse => StatusCode::BAD_REQUEST,
            Self::Json => StatusCode::OK,
        }
    }
}

/// One answer, before it is written: the status it asks for, the GraphQL response, whether
/// it failed before execution (then it has no `data`), and whether sending the request
/// again cannot apply anything twice.
struct Answer {
    status: StatusCode,
    response: async_graphql::Response,
    request_error: bool,
    retry_safe: bool,
}

impl Answer {
    fn ran(response: async_graphql::Response) -> Self {
        // async-graphql reports a document that does not parse or validate, or a variable
        // that does not coerce, as errors without a path and no data
        let request_error = response.data == async_graphql::Value::Null
            && !response.errors.is_empty()
            && response.errors.iter().all(|e| e.path.is_empty());
        Self {
            status: StatusCode::OK,
            response,
            request_error,
            retry_safe: false,
        }
    }

    fn refused(status: StatusCode, error: async_graphql::Error) -> Self {
        let error = error.into_server_error(Default::default());
        Self {
            status,
            response: async_graphql::Response::from_errors(vec![error]),
            request_error: true,
            retry_safe: false,
        }
    }

    fn service(status: StatusCode, e: ServiceError) -> Self {
        Self::refused(status, to_gql(e))
    }

    fn bad_request(message: &str) -> Self {
        Self::refused(StatusCode::BAD_REQUEST, coded_error(message, "BAD_REQUEST"))
    }
}

fn coded_error(message: &str, code: &str) -> async_graphql::Error {
    async_graphql::Error::new(message).extend_with(|_, e| e.set("code", code))
}

/// What a POST body or a GET query string holds: one operation, or a batch of them.
struct Incoming {
    requests: Vec<async_graphql::Request>,
    batch: bool,
}

impl Incoming {
    fn one(request: async_graphql::Request) -> Self {
        Self {
            requests: vec![request],
            batch: false,
        }
    }
}

/// Why a request could not be read.
enum Unreadable {
    TooLarge,
    Malformed(String),
}

/// The parameters of a GET, as the spec names them (`operationName` in camel case).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    #[serde(default)]
    query: String,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

fn from_query_string(uri: &Uri) -> Result<async_graphql::Request, String> {
    let Query(params) = Query::<GetParams>::try_from_uri(uri).map_err(|e| e.body_text())?;
    fn json<T: Default + serde::de::DeserializeOwned>(
        name: &str,
        text: Option<String>,
    ) -> Result<T, String> {
        match text {
            None => Ok(T::default()),
            Some(t) => serde_json::from_str(&t).map_err(|e| format!("{name} is not JSON: {e}")),
        }
    }
    let mut request = async_graphql::Request::new(params.query);
    request.operation_name = params.operation_name;
    request.variables = json("variables", params.variables)?;
    request.extensions = json("extensions", params.extensions)?;
    Ok(request)
}

async fn read(method: &Method, uri: &Uri, body: Body) -> Result<Incoming, Unreadable> {
    if method == Method::GET {
        return from_query_string(uri).map(Incoming::one).map_err(|e| {
            Unreadable::Malformed(format!("The query string is not a GraphQL request: {e}."))
        });
    }
    let bytes = to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| Unreadable::TooLarge)?;
    let not_a_request = |e: serde_json::Error| {
        Unreadable::Malformed(format!(
            "The body is not a GraphQL request (a JSON object with \"query\", or an array of them): {e}."
        ))
    };
    // serde would read `[]` as a request with every field defaulted: look at the JSON itself
    let batch = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if !batch {
        return serde_json::from_slice(&bytes)
            .map(Incoming::one)
            .map_err(not_a_request);
    }
    let requests: Vec<async_graphql::Request> =
        serde_json::from_slice(&bytes).map_err(not_a_request)?;
    if requests.is_empty() {
        return Err(Unreadable::Malformed(
            "The batch holds no operation.".to_owned(),
        ));
    }
    if requests.len() > MAX_BATCH {
        return Err(Unreadable::Malformed(format!(
            "A batch holds at most {MAX_BATCH} operations; this one holds {}.",
            requests.len()
        )));
    }
    Ok(Incoming {
        requests,
        batch: true,
    })
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

pub(super) fn coded(mut resp: async_graphql::Response) -> async_graphql::Response {
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

/// Who sends the request: `None` when anonymous (introspection still works, GraphiQL
/// loads its schema before a token is set). Credentials that are not valid are refused
/// as a GraphQL error, never as a bare HTTP 401.
async fn principal_of(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Arc<Principal>>, Answer> {
    match auth::authenticate(&state.db, headers).await {
        Ok(p) => Ok(p),
        Err(e @ ServiceError::Unauthenticated) => Err(Answer::service(StatusCode::OK, e)),
        Err(e @ ServiceError::Unavailable { .. }) => {
            let mut answer = Answer::service(StatusCode::SERVICE_UNAVAILABLE, e);
            answer.retry_safe = true;
            Err(answer)
        }
        Err(e) => Err(Answer::service(StatusCode::INTERNAL_SERVER_ERROR, e)),
    }
}

/// Runs one operation of the request.
async fn run(
    state: &AppState,
    method: &Method,
    principal: &Option<Arc<Principal>>,
    budget: &Arc<Budget>,
    mut request: async_graphql::Request,
) -> Answer {
    match state.persisted.resolve(&mut request) {
        Ok(()) => {}
        Err(Refusal::NotFound) => {
            return Answer::refused(
                StatusCode::OK,
                coded_error("PersistedQueryNotFound", persisted::NOT_FOUND),
            )
        }
        Err(Refusal::Invalid(message)) => return Answer::bad_request(&message),
    }
    if request.query.trim().is_empty() {
        return Answer::bad_request(
            "The request has no query: send the GraphQL document as a string in \"query\".",
        );
    }
    if let Err(e) = check_input(&request) {
        return Answer::service(StatusCode::OK, e);
    }
    if method == Method::GET && is_mutation(&request.query) {
        return Answer::service(
            StatusCode::METHOD_NOT_ALLOWED,
            ServiceError::Forbidden("Mutations must be sent with POST.".into()),
        );
    }
    let scope = principal.clone().unwrap_or_else(auth::anonymous);
    // parsed again only when the database was lost, to tell whether a retry is safe
    let query = request.query.clone();
    request = request
        .data(state.db.clone())
        .data(Loaders::new(state.db.clone(), scope))
        .data(budget.clone());
    if let Some(p) = principal {
        request = request.data::<Arc<Principal>>(p.clone());
    }
    let mut answer = Answer::ran(coded(state.schema.execute(request).await));
    if budget.exceeded() {
        answer.response = async_graphql::Response::from_errors(vec![
            super::budget::too_many_values().into_server_error(Default::default()),
        ]);
    }
    if has_code(&answer.response, "UNAVAILABLE") {
        answer.status = StatusCode::SERVICE_UNAVAILABLE;
        answer.retry_safe = !maybe_committed(&answer.response)
            && (!is_mutation(&query) || nothing_applied(&answer.response));
    }
    answer
}

pub async fn endpoint(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Body,
) -> Response {
    let media = Media::accepted(&headers);
    let incoming = match read(&method, &uri, body).await {
        Ok(incoming) => incoming,
        Err(Unreadable::TooLarge) => return too_large(Surface::GraphQl),
        Err(Unreadable::Malformed(message)) => {
            return render_one(Answer::bad_request(&message), media)
        }
    };
    let principal = match principal_of(&state, &headers).await {
        Ok(p) => p,
        Err(refusal) => return render_one(refusal, media),
    };
    let budget = Arc::new(Budget::default());
    let mut answers = Vec::with_capacity(incoming.requests.len());
    for request in incoming.requests {
        answers.push(run(&state, &method, &principal, &budget, request).await);
    }
    let response = if incoming.batch {
        render_batch(answers, media)
    } else {
        render_one(answers.remove(0), media)
    };
    tracing::debug!(values = budget.used(), "graphql request cost");
    response
}

/// The body of one answer: no `data` after a request error, as the GraphQL spec has it.
fn body_of(answer: &Answer) -> serde_json::Value {
    let mut body = serde_json::to_value(&answer.response).unwrap_or_default();
    if answer.request_error {
        if let Some(fields) = body.as_object_mut() {
            fields.remove("data");
        }
    }
    body
}

fn status_of(answer: &Answer, media: Media) -> StatusCode {
    if answer.status == StatusCode::OK && answer.request_error {
        // what a client acts on (sign in again; send the document) comes as a 200, which
        // every client reads as GraphQL
        let actionable = has_code(&answer.response, "UNAUTHENTICATED")
            || has_code(&answer.response, persisted::NOT_FOUND);
        if !actionable {
            return media.request_error_status();
        }
    }
    answer.status
}

fn render_one(answer: Answer, media: Media) -> Response {
    let status = status_of(&answer, media);
    let mut response = render(status, &body_of(&answer), media);
    for (name, value) in answer.response.http_headers.iter() {
        response.headers_mut().insert(name.clone(), value.clone());
    }
    if answer.retry_safe {
        response.extensions_mut().insert(RetrySafe);
    }
    response
}

/// A batch answers 200 with one result per operation, in order; 503 when the database was
/// unreachable for any of them (retried by the edge only when that is safe for all).
fn render_batch(answers: Vec<Answer>, media: Media) -> Response {
    let unavailable = answers
        .iter()
        .any(|a| a.status == StatusCode::SERVICE_UNAVAILABLE);
    let retry_safe = unavailable
        && answers
            .iter()
            .all(|a| a.status != StatusCode::SERVICE_UNAVAILABLE || a.retry_safe);
    let status = if unavailable {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    let bodies: Vec<_> = answers.iter().map(body_of).collect();
    let mut response = render(status, &serde_json::Value::Array(bodies), media);
    if retry_safe {
        response.extensions_mut().insert(RetrySafe);
    }
    response
}

/// Serialises a body within `MAX_RESPONSE_BYTES`.
fn render(status: StatusCode, body: &serde_json::Value, media: Media) -> Response {
    let mut bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    if bytes.len() > MAX_RESPONSE_BYTES {
        let message = format!(
            "The response would be larger than {} MiB; select fewer fields or page through long lists.",
            MAX_RESPONSE_BYTES / (1024 * 1024)
        );
        let refused = serde_json::json!({
            "errors": [{"message": message, "extensions": {"code": "RESPONSE_TOO_LARGE"}}]
        });
        bytes = serde_json::to_vec(&refused).unwrap_or_default();
    }
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(media.content_type()),
    );
    with_retry_after(&mut response);
    response
}
