//! A GraphQL-over-WebSocket client for tests: connects to a served app
//! ([`crate::TestApp::serve`]) in either subprotocol and reads what the server sends, with
//! a timeout on every wait so that a missing message fails the test instead of hanging it.
use std::net::SocketAddr;
use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const TRANSPORT_WS: &str = "graphql-transport-ws";
pub const LEGACY_WS: &str = "graphql-ws";

/// How long a test waits for one message.
pub const WAIT: Duration = Duration::from_secs(15);

pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
    /// The subprotocol the server chose.
    pub protocol: Option<String>,
}

/// What the server sent: a JSON message, or the close frame's code and reason.
#[derive(Debug, PartialEq)]
pub enum Received {
    Message(Value),
    Closed(u16, String),
}

impl WsClient {
    /// Opens `/graphql/ws` asking for `protocol`.
    pub async fn connect(addr: SocketAddr, protocol: &str) -> Self {
        let mut request = format!("ws://{addr}/graphql/ws")
            .into_client_request()
            .expect("a WebSocket request");
        request.headers_mut().insert(
            "sec-websocket-protocol",
            HeaderValue::from_str(protocol).expect("a protocol name"),
        );
        let (socket, response) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the WebSocket upgrade");
        let protocol = response
            .headers()
            .get("sec-websocket-protocol")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Self { socket, protocol }
    }

    /// Connects in `protocol` and initialises with `token`, expecting the acknowledgement.
    pub async fn ready(addr: SocketAddr, protocol: &str, token: &str) -> Self {
        let mut client = Self::connect(addr, protocol).await;
        client
            .init(json!({ "Authorization": format!("Bearer {token}") }))
            .await;
        let ack = client.message().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        client
    }

    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::Text(message.to_string().into()))
            .await
            .expect("send a WebSocket message");
    }

    pub async fn send_raw(&mut self, message: Message) {
        self.socket.send(message).await.expect("send a frame");
    }

    pub async fn init(&mut self, payload: Value) {
        self.send(json!({ "type": "connection_init", "payload": payload }))
            .await;
    }

    /// Starts an operation (`subscribe`, or `start` in the legacy protocol).
    pub async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let kind = match self.protocol.as_deref() {
            Some(LEGACY_WS) => "start",
            _ => "subscribe",
        };
        self.send(json!({
            "type": kind,
            "id": id,
            "payload": { "query": query, "variables": variables },
        }))
        .await;
    }

    /// Stops an operation (`complete`, or `stop` in the legacy protocol).
    pub async fn stop(&mut self, id: &str) {
        let kind = match self.protocol.as_deref() {
            Some(LEGACY_WS) => "stop",
            _ => "complete",
        };
        self.send(json!({ "type": kind, "id": id })).await;
    }

    /// The next message or close, skipping the legacy protocol's keep-alives.
    pub async fn receive(&mut self) -> Received {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let frame = tokio::time::timeout_at(deadline, self.socket.next())
                .await
                .expect("a message from the server in time");
            match frame {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("a JSON message");
                    if value["type"] == "ka" {
                        continue;
                    }
                    return Received::Message(value);
                }
                Some(Ok(Message::Close(frame))) => {
                    let (code, reason) = frame
                        .map(|f| (u16::from(f.code), f.reason.to_string()))
                        .unwrap_or((u16::from(CloseCode::Status), String::new()));
                    return Received::Closed(code, reason);
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Received::Closed(1006, e.to_string()),
                None => return Received::Closed(1006, "ended".into()),
            }
        }
    }

    /// The next message; panics on a close.
    pub async fn message(&mut self) -> Value {
        match self.receive().await {
            Received::Message(m) => m,
            Received::Closed(code, reason) => panic!("closed {code}: {reason}"),
        }
    }

    /// The `payload.data` of the next `next`/`data` message for `id`.
    pub async fn next_data(&mut self, id: &str) -> Value {
        let m = self.message().await;
        assert!(
            m["type"] == "next" || m["type"] == "data",
            "expected data for {id}, got {m}"
        );
        assert_eq!(m["id"], id, "{m}");
        assert!(m["payload"]["errors"].is_null(), "{m}");
        m["payload"]["data"].clone()
    }

    /// The close code and reason the server ends with.
    pub async fn closed(&mut self) -> (u16, String) {
        match self.receive().await {
            Received::Closed(code, reason) => (code, reason),
            Received::Message(m) => panic!("expected a close, got {m}"),
        }
    }

    /// The next message if one arrives within `wait`.
    pub async fn message_within(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            match tokio::time::timeout_at(deadline, self.socket.next()).await {
                Err(_) => return None,
                Ok(Some(Ok(Message::Text(text)))) => {
                    let value: Value = serde_json::from_str(&text).expect("a JSON message");
                    if value["type"] != "ka" {
                        return Some(value);
                    }
                }
                Ok(Some(Ok(_))) => continue,
                Ok(other) => panic!("the connection ended: {other:?}"),
            }
        }
    }

    /// Asserts nothing arrives for `quiet`.
    pub async fn silent_for(&mut self, quiet: Duration) {
        if let Ok(frame) = tokio::time::timeout(quiet, self.socket.next()).await {
            match frame {
                Some(Ok(Message::Text(t))) if !t.contains("\"ka\"") => {
                    panic!("expected silence, got {t}")
                }
                _ => {}
            }
        }
    }
}
