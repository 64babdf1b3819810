//! Requests to the app and the replies they get: the one layer every test sends through.
//!
//! - GraphQL: [`TestApp::data`] for a request that must succeed, [`fails`] for one that must
//!   not, [`TestApp::gql`] for the whole response.
//! - REST: [`TestApp::with_token`] (InvenTree's `Token`), [`TestApp::with_api_key`]
//!   (Cofactr's `Api-Key`), [`TestApp::with_password`] (`Basic`) or
//!   [`TestApp::with_authorization`] (any header) gives a [`Rest`] client; [`Reply::expect`] checks a reply's status
//!   and returns its JSON body, [`Reply::answer`] returns both. [`TestApp::rest`] sends a
//!   single request with a token.
//! - Anything else (raw bytes, multipart, other headers, another router): [`TestApp::request`],
//!   [`TestApp::raw`], [`TestApp::send`] and [`send_to`] with a request as built.
use std::fmt::Display;
use std::future::Future;

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

use crate::TestApp;

/// A reply as the app sent it.
pub struct Reply {
    /// The request it answers, as `POST /api/bom/`, for assertion messages.
    pub sent: String,
    pub status: StatusCode,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub headers: HeaderMap,
}

impl Reply {
    /// The body as JSON; panics when it is not JSON.
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|_| panic!("{}: not JSON: {}", self.sent, self.text()))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The status and the JSON body (null when there is none). A body must be labelled
    /// `application/json`, and an empty one may be labelled nothing else.
    pub fn answer(&self) -> (StatusCode, Value) {
        let content_type = self.content_type.as_deref();
        if self.body.is_empty() {
            assert!(
                matches!(content_type, None | Some("application/json")),
                "{}: an empty body labelled {content_type:?}",
                self.sent
            );
            return (self.status, Value::Null);
        }
        assert_eq!(
            content_type,
            Some("application/json"),
            "{}: {}",
            self.sent,
            self.text()
        );
        (self.status, self.json())
    }

    /// Asserts the status (showing the body when it is another) and returns the JSON body,
    /// as [`Reply::answer`] reads it.
    pub fn expect(&self, status: StatusCode) -> Value {
        assert_eq!(self.status, status, "{}: {}", self.sent, self.text());
        self.answer().1
    }
}

/// A reply's status and JSON body as one value, `{"status": 201, "body": ...}`: what a
/// snapshot of a whole reply records. For a [`Reply`] and for a helper's
/// `(StatusCode, Value)`.
pub trait Whole {
    fn whole(&self) -> Value;
}

impl Whole for (StatusCode, Value) {
    fn whole(&self) -> Value {
        json!({"status": self.0.as_u16(), "body": self.1})
    }
}

impl Whole for Reply {
    fn whole(&self) -> Value {
        self.answer().whole()
    }
}

/// Sends a request to a router as built, and collects the reply.
pub async fn send_to(router: &Router, req: Request<Body>) -> Reply {
    let sent = format!("{} {}", req.method(), req.uri());
    let resp = router.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let headers = resp.headers().clone();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap_or_default().to_owned());
    let body = resp
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    Reply {
        sent,
        status,
        content_type,
        body,
        headers,
    }
}

/// A request with the given headers and, when there is one, a JSON body.
pub fn json_request(
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> Request<Body> {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let body = match body {
        Some(v) => {
            req = req.header(header::CONTENT_TYPE, "application/json");
            Body::from(serde_json::to_vec(&v).unwrap())
        }
        None => Body::empty(),
    };
    req.body(body).unwrap()
}

const BOUNDARY: &str = "bomgraph-test-boundary";

/// A `multipart/form-data` body of text fields and, when given, one file (its name and
/// bytes) under `data_file`, as InvenTree's import takes it; and its content type.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((file_name, bytes)) = file {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"data_file\"; \
                 filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Polls `read` every 50 ms, for up to a minute, until the job it reads has ended
/// (succeeded or failed, in either surface's casing), and returns it.
async fn until_finished<F, Fut>(id: impl Display, mut read: F) -> Value
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Value>,
{
    for _ in 0..1200 {
        let job = read().await;
        let status = job["status"].as_str().unwrap_or_default();
        if status.eq_ignore_ascii_case("succeeded") || status.eq_ignore_ascii_case("failed") {
            return job;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("job {id} did not finish");
}

/// A REST client of the app: every request carries the same `Authorization` header.
pub struct Rest<'a> {
    app: &'a TestApp,
    authorization: Option<String>,
}

impl Rest<'_> {
    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PUT, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        self.send(Method::DELETE, path, None).await
    }

    /// Any method, with a JSON body or none.
    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Reply {
        let headers: Vec<(&str, &str)> = match &self.authorization {
            Some(auth) => vec![("authorization", auth.as_str())],
            None => vec![],
        };
        self.app.request(method, path, &headers, body).await
    }

    /// Polls Cofactr's `/v1/jobs/{id}/` until the job ends, and returns it.
    pub async fn wait_job(&self, id: &str) -> Value {
        let path = format!("/v1/jobs/{id}/");
        until_finished(id, || async {
            self.get(&path).await.expect(StatusCode::OK)
        })
        .await
    }
}

impl TestApp {
    /// REST as InvenTree's clients send it: `Authorization: Token <token>` (no header when
    /// the token is empty).
    pub fn with_token(&self, token: &str) -> Rest<'_> {
        Rest {
            app: self,
            authorization: (!token.is_empty()).then(|| format!("Token {token}")),
        }
    }

    /// REST as Cofactr's clients send it: `Authorization: Api-Key <key>`.
    pub fn with_api_key(&self, key: &str) -> Rest<'_> {
        self.with_authorization(&format!("Api-Key {key}"))
    }

    /// Requests as a script logs in: `Authorization: Basic` with a username and password.
    pub fn with_password(&self, username: &str, password: &str) -> Rest<'_> {
        use base64::Engine;
        let pair =
            base64::engine::general_purpose::STANDARD.encode(format!("{username}:{password}"));
        self.with_authorization(&format!("Basic {pair}"))
    }

    /// Requests with this `Authorization` header, whatever its scheme (a client of any
    /// surface, GraphQL's `/graphql` included).
    pub fn with_authorization(&self, authorization: &str) -> Rest<'_> {
        Rest {
            app: self,
            authorization: Some(authorization.to_owned()),
        }
    }

    /// One REST request with `Authorization: Token <token>` (none when `token` is empty).
    pub async fn rest(
        &self,
        method: Method,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> Reply {
        self.with_token(token).send(method, path, body).await
    }

    /// A request with these headers and, when there is one, a JSON body.
    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<Value>,
    ) -> Reply {
        self.send(json_request(method, path, headers, body)).await
    }

    /// Sends a request as built, with whatever body and headers it has.
    pub async fn send(&self, req: Request<Body>) -> Reply {
        send_to(&self.router, req).await
    }

    /// Sends raw bytes with a content type (multipart uploads, malformed bodies).
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        body: Vec<u8>,
    ) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Token {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// POSTs a GraphQL request with a bearer token and returns the whole response body.
    pub async fn gql(&self, token: &str, query: &str, variables: Value) -> Value {
        let auth = format!("Bearer {token}");
        let headers: Vec<(&str, &str)> = if token.is_empty() {
            vec![]
        } else {
            vec![("authorization", auth.as_str())]
        };
        self.request(
            Method::POST,
            "/graphql",
            &headers,
            Some(json!({"query": query, "variables": variables})),
        )
        .await
        .json()
    }

    /// Like `gql`, but panics on errors and returns `data`.
    pub async fn data(&self, token: &str, query: &str, variables: Value) -> Value {
        let resp = self.gql(token, query, variables).await;
        assert!(resp.get("errors").is_none(), "unexpected errors: {resp:#}");
        resp["data"].clone()
    }

    /// The database id (`rowId`) of the object a GraphQL id names, as the REST dialects
    /// show it; panics when the token's user cannot read such an object.
    pub async fn row_id(&self, token: &str, id: impl serde::Serialize) -> i64 {
        let id = serde_json::to_value(id).expect("an id");
        let fragments: String = NODE_TYPES
            .iter()
            .map(|t| format!(" ... on {t} {{ rowId }}"))
            .collect();
        let query = format!("query($id: ID!) {{ node(id: $id) {{ __typename{fragments} }} }}");
        let data = self.data(token, &query, json!({ "id": id })).await;
        data["node"]["rowId"]
            .as_i64()
            .unwrap_or_else(|| panic!("no object readable with the id {id}: {data}"))
    }

    /// Polls a job over GraphQL until it finishes, and returns it.
    pub async fn wait_job(&self, token: &str, id: &Value) -> Value {
        until_finished(id, || async {
            self.data(
                token,
                "query($id: ID!) { job(id: $id) { id rowId status result error attempts bom { id } } }",
                json!({"id": id}),
            )
            .await["job"]
                .clone()
        })
        .await
    }
}

/// The GraphQL object types that implement `Node`: every object with a global id.
pub const NODE_TYPES: [&str; 16] = [
    "ApiToken",
    "Bom",
    "BomLine",
    "Job",
    "ManufacturerAlias",
    "Me",
    "Offer",
    "Part",
    "PartOverride",
    "PriceBreak",
    "Program",
    "ProgramLine",
    "Substitute",
    "Team",
    "TeamMember",
    "User",
];

/// The global id GraphQL gives row `row` of `type_name`: base64url, without padding, of
/// `"<type_name>:<row>"`. For ids of rows that do not exist; real ids come from the API.
pub fn global_id(type_name: &str, row: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{type_name}:{row}"))
}

/// Sends a GraphQL request expected to fail; its first error code, and that error.
pub async fn fails(app: &TestApp, token: &str, query: &str, vars: Value) -> (String, Value) {
    let resp = app.gql(token, query, vars).await;
    let codes = error_codes(&resp);
    assert!(!codes.is_empty(), "expected an error: {resp:#}");
    (codes[0].clone(), resp["errors"][0].clone())
}

/// The error codes of a GraphQL response, in order.
pub fn error_codes(resp: &Value) -> Vec<String> {
    resp["errors"]
        .as_array()
        .map(|errs| {
            errs.iter()
                .map(|e| e["extensions"]["code"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}
