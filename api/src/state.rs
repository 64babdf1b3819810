//! `AppState`: what every handler and layer shares (the database, the schema, the metrics
//! and the allowed origins), and how it is opened.
use std::sync::Arc;

use axum::extract::FromRef;
use service::{DatabaseConnection, ServiceError};

use crate::cors::CorsPolicy;
use crate::graphql::persisted::PersistedQueries;
use crate::graphql::{build_schema, AppSchema};
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub schema: AppSchema,
    pub metrics: Metrics,
    /// Browser origins allowed to call the API from another site (CORS); none by default.
    pub cors: CorsPolicy,
    /// Documents registered by Apollo's automatic persisted queries.
    pub persisted: PersistedQueries,
    /// Set when the server shuts down: open WebSockets are then closed with 1001 (going
    /// away), so their clients reconnect, to another instance if there is one.
    pub closing: Arc<tokio::sync::watch::Sender<bool>>,
}

impl AppState {
    /// Connects (counting every statement in the metrics) and migrates.
    pub async fn open(database_url: &str) -> Result<Self, ServiceError> {
        let metrics = Metrics::new();
        let counter = metrics.db_statements.clone();
        let db = service::db::connect(database_url, Some(Box::new(move || counter.inc()))).await?;
        service::db::migrate(&db).await?;
        Ok(Self::with_db(db, metrics))
    }

    /// A state whose database is reached only when a request needs it, and not migrated:
    /// for serving (and testing) while the database is down.
    pub async fn open_lazy(database_url: &str) -> Result<Self, ServiceError> {
        let metrics = Metrics::new();
        let counter = metrics.db_statements.clone();
        let db =
            service::db::connect_lazy(database_url, Some(Box::new(move || counter.inc()))).await?;
        Ok(Self::with_db(db, metrics))
    }

    fn with_db(db: DatabaseConnection, metrics: Metrics) -> Self {
        Self {
            db,
            schema: build_schema(),
            metrics,
            cors: CorsPolicy::default(),
            persisted: PersistedQueries::default(),
            closing: Arc::new(tokio::sync::watch::Sender::new(false)),
        }
    }
}

impl FromRef<AppState> for DatabaseConnection {
    fn from_ref(state: &AppState) -> Self {
        state.db.clone()
    }
}

impl FromRef<AppState> for Metrics {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}
