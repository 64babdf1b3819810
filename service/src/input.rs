//! What bomgraph accepts in any text or JSON it is sent, the same on SQLite and
//! PostgreSQL. Both surfaces check a request's whole input with these before anything
//! else reads it, and the service checks stored JSON (metadata) again.
use serde_json::Value;

use crate::{FieldErrors, ServiceError};

/// JSON nests at most this deep (metadata, request bodies, GraphQL variables): far more
/// than any real document, and a bound on the recursion every reader of it does.
pub const MAX_JSON_DEPTH: usize = 32;

/// PostgreSQL cannot store U+0000 in text or JSON; SQLite can. Refusing it everywhere
/// keeps both backends alike.
pub const NUL_MESSAGE: &str = "Null characters are not allowed.";

pub fn depth_message() -> String {
    format!("Nested more than {MAX_JSON_DEPTH} levels deep.")
}

/// The first problem in a JSON input: a NUL in a key or a string, or nesting past
/// `MAX_JSON_DEPTH`. The field is named by its path (`lines[3].mpn`).
pub fn json_problem(value: &Value) -> Option<(String, String)> {
    walk(value, String::new(), 0)
}

fn walk(value: &Value, path: String, depth: usize) -> Option<(String, String)> {
    let name = |path: &str| {
        if path.is_empty() {
            "non_field_errors".to_owned()
        } else {
            path.to_owned()
        }
    };
    match value {
        Value::String(s) if s.contains('\0') => Some((name(&path), NUL_MESSAGE.to_owned())),
        Value::String(s) => too_precise(s).map(|m| (name(&path), m)),
        Value::Number(n) => too_precise(&n.to_string()).map(|m| (name(&path), m)),
        Value::Array(_) | Value::Object(_) if depth >= MAX_JSON_DEPTH => {
            Some((name(&path), depth_message()))
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| walk(v, format!("{path}[{i}]"), depth + 1)),
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            let child = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                return Some((name(&path), NUL_MESSAGE.to_owned()));
            }
            walk(v, child, depth + 1)
        }),
        _ => None,
    }
}

/// A number (or a string that is one) with more decimal places than bomgraph keeps: it
/// would be rounded by whatever reads it, so it is refused wherever it appears.
fn too_precise(text: &str) -> Option<String> {
    let t = text.trim();
    let numeric = !t.is_empty()
        && t.bytes().any(|b| b.is_ascii_digit())
        && t.bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !numeric {
        return None;
    }
    match crate::decimal::parse_text(t) {
        Err(message) if message.contains("decimal places") => Some(message),
        _ => None,
    }
}

/// A GraphQL document with a numeric literal that has more decimal places than bomgraph
/// keeps (`0.00000000000000000000000000001`, `1e-30`): the reader of the document would
/// round it before any rule could see it.
pub fn document_too_precise(document: &str) -> Option<String> {
    let bytes = document.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_number = bytes[i].is_ascii_digit()
            && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if !starts_number {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_digit()
                || matches!(bytes[i], b'.' | b'e' | b'E')
                || (matches!(bytes[i], b'+' | b'-') && matches!(bytes[i - 1], b'e' | b'E')))
        {
            i += 1;
        }
        if let Some(message) = too_precise(&document[start..i]) {
            return Some(message);
        }
    }
    None
}

/// [`json_problem`] as a validation error, with the path under `field` when given.
pub fn check_json(field: Option<&str>, value: &Value) -> Result<(), ServiceError> {
    match json_problem(value) {
        None => Ok(()),
        Some((path, message)) => {
            let path = match field {
                Some(f) if path == "non_field_errors" => f.to_owned(),
                Some(f) => format!("{f}.{path}"),
                None => path,
            };
            Err(FieldErrors::single(&path, message))
        }
    }
}

/// A text input (a query parameter, a form field, a file's cell) that must hold no NUL.
pub fn check_text(field: &str, text: &str) -> Result<(), ServiceError> {
    if text.contains('\0') {
        Err(FieldErrors::single(field, NUL_MESSAGE))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nul_anywhere_is_named() {
        assert_eq!(json_problem(&json!({"name": "ok", "n": 1})), None);
        assert_eq!(
            json_problem(&json!({"lines": [{"mpn": "a"}, {"mpn": "b\u{0}"}]})),
            Some(("lines[1].mpn".into(), NUL_MESSAGE.into()))
        );
        assert_eq!(
            json_problem(&json!({"metadata": {"k\u{0}": 1}})),
            Some(("metadata".into(), NUL_MESSAGE.into()))
        );
        assert!(check_text("search", "a\u{0}b").is_err());
        assert!(check_text("search", "ab").is_ok());
    }

    #[test]
    fn more_places_than_kept_are_named() {
        let (field, message) =
            json_problem(&json!({"input": {"quantity": "0.00000000000000000000000000001"}}))
                .expect("refused");
        assert_eq!(field, "input.quantity");
        assert!(message.contains("15 decimal places"), "{message}");
        assert!(json_problem(&json!({"q": 1e-30})).is_some());
        assert_eq!(
            json_problem(&json!({"q": "0.25", "mpn": "RC0603-1.00000000000000000001-X"})),
            None
        );
        assert!(document_too_precise("{ a(q: 0.00000000000000000000000000001) }").is_some());
        assert!(document_too_precise("{ a(q: 1e-30) }").is_some());
        assert!(document_too_precise("{ a(q: 2.5, first: 10) { b } }").is_none());
        assert!(document_too_precise("query Q1e99 { a }").is_none());
    }

    #[test]
    fn depth_is_bounded() {
        let mut deep = json!(1);
        for _ in 0..MAX_JSON_DEPTH {
            deep = json!([deep]);
        }
        assert_eq!(json_problem(&deep), None, "exactly the limit is fine");
        let deeper = json!({ "metadata": deep });
        let (field, message) = json_problem(&deeper).expect("one level too deep");
        assert!(field.starts_with("metadata"), "{field}");
        assert_eq!(message, depth_message());
    }
}
