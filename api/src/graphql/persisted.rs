//! Automatic persisted queries, as Apollo's `persistedQuery` extension sends them: a client
//! sends only the SHA-256 of its document; an unknown hash answers
//! `PERSISTED_QUERY_NOT_FOUND`, and the client sends the document with its hash once, which
//! registers it. The document is resolved here, before the request is checked and run, so a
//! hash is held to every rule a full document is (a mutation is refused on GET, say).
//!
//! Each instance keeps its own bounded cache: behind a load balancer a hash unknown to one
//! instance costs that client one more round trip, nothing else.
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use async_graphql::Request;
use lru::LruCache;
use sha2::{Digest, Sha256};

/// The documents an instance remembers, the least recently used forgotten first.
pub const MAX_DOCUMENTS: usize = 1000;
/// A longer document is run but not remembered, so the cache stays within about 64 MiB.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

pub const NOT_FOUND: &str = "PERSISTED_QUERY_NOT_FOUND";

/// Why a request's `persistedQuery` extension cannot be honoured.
#[derive(Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The hash is unknown here: the client is to send the document with it.
    NotFound,
    /// The extension is malformed, or the hash is not the document's.
    Invalid(String),
}

#[derive(Clone)]
pub struct PersistedQueries(Arc<Mutex<LruCache<String, String>>>);

impl Default for PersistedQueries {
    fn default() -> Self {
        let cap = NonZeroUsize::new(MAX_DOCUMENTS).expect("a cache holds documents");
        Self(Arc::new(Mutex::new(LruCache::new(cap))))
    }
}

impl PersistedQueries {
    /// Fills in the document of a request that carries only its hash, and remembers the
    /// document of one that carries both. A request without the extension is left as is.
    pub fn resolve(&self, request: &mut Request) -> Result<(), Refusal> {
        let Some(extension) = request.extensions.get("persistedQuery") else {
            return Ok(());
        };
        let extension = serde_json::to_value(extension).unwrap_or_default();
        if extension["version"] != 1 {
            return Err(Refusal::Invalid(
                "persistedQuery.version must be 1.".to_owned(),
            ));
        }
        let Some(hash) = extension["sha256Hash"].as_str() else {
            return Err(Refusal::Invalid(
                "persistedQuery.sha256Hash must be the document's SHA-256, in hex.".to_owned(),
            ));
        };
        let hash = hash.to_ascii_lowercase();
        if request.query.is_empty() {
            let known = self.lock().get(&hash).cloned();
            request.query = known.ok_or(Refusal::NotFound)?;
            return Ok(());
        }
        if hex::encode(Sha256::digest(request.query.as_bytes())) != hash {
            return Err(Refusal::Invalid(
                "persistedQuery.sha256Hash is not the SHA-256 of the query.".to_owned(),
            ));
        }
        if request.query.len() <= MAX_DOCUMENT_BYTES {
            self.lock().put(hash, request.query.clone());
        }
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, LruCache<String, String>> {
        // a panic while holding the lock leaves the cache whole: every operation is one call
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(query: &str, hash: &str) -> Request {
        let mut r = Request::new(query);
        r.extensions.insert(
            "persistedQuery".to_owned(),
            async_graphql::Value::from_json(serde_json::json!({"version": 1, "sha256Hash": hash}))
                .unwrap(),
        );
        r
    }

    const DOC: &str = "{ me { username } }";

    fn hash_of(doc: &str) -> String {
        hex::encode(Sha256::digest(doc.as_bytes()))
    }

    #[test]
    fn a_hash_is_known_once_its_document_was_sent_with_it() {
        let cache = PersistedQueries::default();
        let hash = hash_of(DOC);
        assert_eq!(
            cache.resolve(&mut request("", &hash)),
            Err(Refusal::NotFound)
        );
        cache.resolve(&mut request(DOC, &hash)).unwrap();
        let mut by_hash = request("", &hash);
        cache.resolve(&mut by_hash).unwrap();
        assert_eq!(by_hash.query, DOC);
    }

    #[test]
    fn a_hash_that_is_not_the_documents_is_refused_and_not_remembered() {
        let cache = PersistedQueries::default();
        let wrong = hash_of("{ __typename }");
        assert!(matches!(
            cache.resolve(&mut request(DOC, &wrong)),
            Err(Refusal::Invalid(_))
        ));
        assert_eq!(
            cache.resolve(&mut request("", &wrong)),
            Err(Refusal::NotFound)
        );
    }

    #[test]
    fn the_cache_forgets_the_least_recently_used_beyond_its_size() {
        let cache = PersistedQueries::default();
        let docs: Vec<String> = (0..=MAX_DOCUMENTS)
            .map(|i| format!("{{ a{i}: __typename }}"))
            .collect();
        for doc in &docs {
            cache.resolve(&mut request(doc, &hash_of(doc))).unwrap();
        }
        let first = hash_of(&docs[0]);
        assert_eq!(
            cache.resolve(&mut request("", &first)),
            Err(Refusal::NotFound)
        );
        let last = hash_of(docs.last().unwrap());
        cache.resolve(&mut request("", &last)).unwrap();
    }
}
