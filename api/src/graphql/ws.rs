//! GraphQL over WebSocket at `/graphql/ws`, in both subprotocols front-ends use:
//! `graphql-transport-ws` (the graphql-ws library, the default) and the legacy `graphql-ws`
//! of subscriptions-transport-ws (older Apollo clients).
//!
//! A connection authenticates once, from its `connection_init` payload
//! (`{"Authorization": "Bearer …"}`, any scheme HTTP accepts, also under `headers`), or else
//! from the upgrade request's `Authorization` header; the principal then stays fixed for
//! the connection. Credentials are a token, never a cookie, so another site's page cannot
//! borrow a user's session through a socket and no origin check is needed.
//!
//! Close codes (graphql-transport-ws): 4400 a message that is not the protocol's, 4401 a
//! subscribe before the connection was acknowledged, 4403 missing or wrong credentials,
//! 4408 no `connection_init` within [`INIT_TIMEOUT`], 4409 an id already in use, 4429 a
//! second `connection_init`. In the legacy protocol a refused init is a `connection_error`
//! before the close.
//!
//! A server shutting down closes its sockets with 1001 (going away), and clients reconnect.
//!
//! Bounds: a client message is at most [`MAX_MESSAGE_BYTES`]; a connection runs at most
//! [`MAX_OPERATIONS`] operations at once (one more is answered `RATE_LIMITED`); what a
//! slow reader has not taken waits in each topic's bounded buffer (see `service::events`).
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::ClientMessage;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use futures::stream::{self, AbortHandle, BoxStream, SelectAll, StreamExt};
use serde_json::{json, Value};
use service::auth::Principal;
use service::{DatabaseConnection, ServiceError};

use super::budget::Budget;
use super::error::to_gql;
use super::http::coded;
use super::input_check::check_input;
use super::loaders::Loaders;
use crate::state::AppState;

pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;
pub const MAX_OPERATIONS: usize = 100;
pub const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the legacy protocol's `ka` keep-alive is sent.
const KEEP_ALIVE: Duration = Duration::from_secs(12);

const TRANSPORT_WS: &str = "graphql-transport-ws";
const LEGACY_WS: &str = "graphql-ws";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Protocol {
    TransportWs,
    Legacy,
}

pub async fn upgrade(
    State(state): State<AppState>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    ws.protocols([TRANSPORT_WS, LEGACY_WS])
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            let protocol = match socket.protocol().and_then(|p| p.to_str().ok()) {
                Some(LEGACY_WS) => Protocol::Legacy,
                _ => Protocol::TransportWs,
            };
            let header = headers.get(header::AUTHORIZATION).cloned();
            Connection::new(state, socket, protocol, header).run().await;
        })
}

/// One item from the running operations: an answer, or the end of the operation.
type Output = (String, u64, Option<async_graphql::Response>);

struct Connection {
    state: AppState,
    socket: WebSocket,
    protocol: Protocol,
    upgrade_authorization: Option<HeaderValue>,
    principal: Option<Arc<Principal>>,
    /// Running operations by id; the number tells an operation from a later one that
    /// reuses its id.
    running: HashMap<String, (u64, AbortHandle)>,
    outputs: SelectAll<BoxStream<'static, Output>>,
    started: u64,
}

/// Why a connection ends.
struct Close(u16, String);

impl Connection {
    fn new(
        state: AppState,
        socket: WebSocket,
        protocol: Protocol,
        upgrade_authorization: Option<HeaderValue>,
    ) -> Self {
        Self {
            state,
            socket,
            protocol,
            upgrade_authorization,
            principal: None,
            running: HashMap::new(),
            outputs: SelectAll::new(),
            started: 0,
        }
    }

    async fn run(mut self) {
        let metrics = self.state.metrics.clone();
        metrics.ws_connections.inc();
        let mut counted = 0;
        let init_deadline = tokio::time::sleep(INIT_TIMEOUT);
        tokio::pin!(init_deadline);
        let mut keep_alive = tokio::time::interval(KEEP_ALIVE);
        let mut closing = self.state.closing.subscribe();
        let ended = loop {
            let acked = self.principal.is_some();
            let step = tokio::select! {
                message = self.socket.recv() => match message {
                    Some(Ok(message)) => self.received(message).await,
                    // the client went away, or sent more than a message may hold
                    Some(Err(e)) => Err(Close(1009, format!("{e}"))),
                    None => break None,
                },
                Some((id, number, answer)) = self.outputs.next(), if !self.outputs.is_empty() => {
                    self.answered(id, number, answer).await
                }
                _ = &mut init_deadline, if !acked => {
                    Err(Close(4408, "Connection initialisation timeout".into()))
                }
                _ = keep_alive.tick(), if acked && self.protocol == Protocol::Legacy => {
                    self.send(json!({"type": "ka"})).await
                }
                // the one change ever sent is to "closing"
                _ = closing.changed() => {
                    Err(Close(1001, "The server is shutting down".into()))
                }
            };
            let running = self.running.len() as i64;
            metrics.ws_operations.add(running - counted);
            counted = running;
            if let Err(close) = step {
                break Some(close);
            }
        };
        metrics.ws_operations.sub(counted);
        metrics.ws_connections.dec();
        for (_, (_, handle)) in self.running.drain() {
            handle.abort();
        }
        if let Some(Close(code, reason)) = ended {
            let frame = CloseFrame {
                code,
                reason: close_reason(reason).into(),
            };
            let _ = self.socket.send(Message::Close(Some(frame))).await;
        }
    }

    async fn send(&mut self, message: Value) -> Result<(), Close> {
        let text = message.to_string();
        self.socket
            .send(Message::Text(text.into()))
            .await
            .map_err(|e| Close(1011, e.to_string()))
    }

    async fn received(&mut self, message: Message) -> Result<(), Close> {
        let text = match message {
            Message::Text(text) => text,
            Message::Binary(_) => return Err(Close(4400, "Messages are JSON text.".into())),
            Message::Close(_) => return Err(Close(1000, "Bye".into())),
            Message::Ping(_) | Message::Pong(_) => return Ok(()),
        };
        let message = ClientMessage::from_bytes(text.as_bytes())
            .map_err(|e| Close(4400, format!("Invalid message received: {e}")))?;
        match message {
            ClientMessage::ConnectionInit { payload } => self.init(payload).await,
            ClientMessage::Start { id, payload } => self.start(id, payload).await,
            ClientMessage::Stop { id } => self.stop(id).await,
            ClientMessage::Ping { payload } => {
                let mut pong = json!({"type": "pong"});
                if let Some(payload) = payload {
                    pong["payload"] = payload;
                }
                self.send(pong).await
            }
            ClientMessage::Pong { .. } => Ok(()),
            ClientMessage::ConnectionTerminate => Err(Close(1000, "Bye".into())),
        }
    }

    async fn init(&mut self, payload: Option<Value>) -> Result<(), Close> {
        if self.principal.is_some() {
            return Err(Close(4429, "Too many initialisation requests".into()));
        }
        let (db, fallback) = (self.state.db.clone(), self.upgrade_authorization.clone());
        match authenticate(&db, fallback, payload.as_ref()).await {
            Ok(principal) => {
                self.principal = Some(principal);
                self.send(json!({"type": "connection_ack"})).await?;
                if self.protocol == Protocol::Legacy {
                    self.send(json!({"type": "ka"})).await?;
                }
                Ok(())
            }
            Err(e) => {
                let message = e.to_string();
                if self.protocol == Protocol::Legacy {
                    let error = json!({"type": "connection_error", "payload": {
                        "message": message, "extensions": {"code": "UNAUTHENTICATED"}}});
                    self.send(error).await?;
                }
                Err(Close(4403, message))
            }
        }
    }

    async fn start(&mut self, id: String, request: async_graphql::Request) -> Result<(), Close> {
        let Some(principal) = self.principal.clone() else {
            return Err(Close(4401, "Unauthorized".into()));
        };
        if self.running.contains_key(&id) {
            return Err(Close(4409, format!("Subscriber for {id} already exists")));
        }
        let refusal = if self.running.len() >= MAX_OPERATIONS {
            Some(ServiceError::RateLimited(format!(
                "A connection runs at most {MAX_OPERATIONS} operations at once; complete \
                 some before starting more."
            )))
        } else {
            check_input(&request).err()
        };
        if let Some(e) = refusal {
            let error = to_gql(e).into_server_error(Default::default());
            return self.refuse(&id, json!([error])).await;
        }
        let db = self.state.db.clone();
        let request = request
            .data(db.clone())
            .data(Loaders::new(db, principal.clone()))
            .data(Arc::new(Budget::default()))
            .data(principal);
        self.started += 1;
        let number = self.started;
        let (answers, handle) = stream::abortable(self.state.schema.execute_stream(request));
        let answers = {
            let id = id.clone();
            answers.map(move |a| (id.clone(), number, Some(coded(a))))
        };
        let end = {
            let id = id.clone();
            stream::once(async move { (id, number, None) })
        };
        self.outputs.push(answers.chain(end).boxed());
        self.running.insert(id, (number, handle));
        Ok(())
    }

    async fn stop(&mut self, id: String) -> Result<(), Close> {
        if let Some((_, handle)) = self.running.remove(&id) {
            handle.abort();
            // the legacy protocol confirms a stop; graphql-transport-ws does not
            if self.protocol == Protocol::Legacy {
                self.send(json!({"type": "complete", "id": id})).await?;
            }
        }
        Ok(())
    }

    async fn answered(
        &mut self,
        id: String,
        number: u64,
        answer: Option<async_graphql::Response>,
    ) -> Result<(), Close> {
        // an operation stopped by the client, or one whose id was reused since, is silent
        if self.running.get(&id).map(|(n, _)| *n) != Some(number) {
            return Ok(());
        }
        let Some(answer) = answer else {
            self.running.remove(&id);
            return self.send(json!({"type": "complete", "id": id})).await;
        };
        // An operation that could not start (it did not validate, or its subscription
        // refused: another team's BOM) has errors and no data: graphql-transport-ws
        // reports that as `error` and ends the operation there.
        let refused = answer.data == async_graphql::Value::Null && !answer.errors.is_empty();
        if refused && self.protocol == Protocol::TransportWs {
            self.running.remove(&id);
            let errors = serde_json::to_value(&answer.errors).unwrap_or_default();
            return self
                .send(json!({"type": "error", "id": id, "payload": errors}))
                .await;
        }
        let kind = match self.protocol {
            Protocol::TransportWs => "next",
            Protocol::Legacy => "data",
        };
        let payload = serde_json::to_value(&answer).unwrap_or_default();
        self.send(json!({"type": kind, "id": id, "payload": payload}))
            .await
    }

    /// Refuses an operation before it runs.
    async fn refuse(&mut self, id: &str, errors: Value) -> Result<(), Close> {
        match self.protocol {
            Protocol::TransportWs => {
                self.send(json!({"type": "error", "id": id, "payload": errors}))
                    .await
            }
            Protocol::Legacy => {
                self.send(json!({"type": "data", "id": id, "payload": {"errors": errors}}))
                    .await?;
                self.send(json!({"type": "complete", "id": id})).await
            }
        }
    }
}

/// The principal of the init payload's credentials (or else the upgrade's).
async fn authenticate(
    db: &DatabaseConnection,
    fallback: Option<HeaderValue>,
    payload: Option<&Value>,
) -> Result<Arc<Principal>, ServiceError> {
    let from_payload = payload.and_then(|p| {
        [Some(p), p.get("headers")]
            .into_iter()
            .flatten()
            .find_map(|o| o.get("Authorization").or_else(|| o.get("authorization")))
            .and_then(Value::as_str)
            .map(str::to_owned)
    });
    let mut headers = HeaderMap::new();
    let value = match from_payload {
        Some(text) => {
            Some(HeaderValue::from_str(&text).map_err(|_| ServiceError::Unauthenticated)?)
        }
        None => fallback,
    };
    if let Some(value) = value {
        headers.insert(header::AUTHORIZATION, value);
    }
    crate::auth::authenticate(db, &headers)
        .await?
        .ok_or(ServiceError::Unauthenticated)
}

/// A close frame's reason holds at most 123 bytes; a longer one is cut at a character.
fn close_reason(mut reason: String) -> String {
    const MAX: usize = 123;
    if reason.len() > MAX {
        let mut end = MAX;
        while !reason.is_char_boundary(end) {
            end -= 1;
        }
        reason.truncate(end);
    }
    reason
}
