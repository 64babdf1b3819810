//! Request bodies: a JSON object (unknown keys ignored) and `Fields`, which reads typed
//! fields from it with DRF's messages.
use axum::body::Bytes;
use axum::http::StatusCode;
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use service::FieldErrors;

use super::error::{bad_request, field_errors, RestError};
use super::query::parse_bool;
use super::response::detail;

/// A JSON request body as an object. An empty body is `{}` (clients send `{}` or nothing
/// on GET and DELETE); anything but an object is a 400.
pub fn body_object(bytes: &Bytes) -> Result<Map<String, Value>, RestError> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(m)) => Ok(m),
        Ok(_) => Err(bad_request(
            "non_field_errors",
            "Invalid data. Expected a dictionary, but got list.",
        )),
        Err(e) => Err(RestError::from(detail(
            StatusCode::BAD_REQUEST,
            &format!("JSON parse error - {e}"),
        ))),
    }
}

/// Reads typed fields from a request object, collecting DRF-style messages per field.
pub struct Fields<'a> {
    pub data: &'a Map<String, Value>,
    pub errors: FieldErrors,
}

impl<'a> Fields<'a> {
    pub fn new(data: &'a Map<String, Value>) -> Self {
        Self {
            data,
            errors: FieldErrors::new(),
        }
    }

    fn present(&self, key: &str) -> Option<&'a Value> {
        self.data.get(key)
    }

    pub fn require(&mut self, key: &str) {
        if !self.data.contains_key(key) {
            self.errors.add(key, "This field is required.");
        }
    }

    pub fn string(&mut self, key: &str) -> Option<String> {
        match self.present(key)? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(if *b { "True".into() } else { "False".into() }),
            Value::Null => {
                self.errors.add(key, "This field may not be null.");
                None
            }
            _ => {
                self.errors.add(key, "Not a valid string.");
                None
            }
        }
    }

    /// A nullable string field: `Some(None)` for an explicit null.
    pub fn nullable_string(&mut self, key: &str) -> Option<Option<String>> {
        match self.present(key)? {
            Value::Null => Some(None),
            _ => self.string(key).map(Some),
        }
    }

    pub fn boolean(&mut self, key: &str) -> Option<bool> {
        let v = self.present(key)?;
        let parsed = match v {
            Value::Bool(b) => Some(*b),
            Value::Number(n) if n.as_i64() == Some(1) => Some(true),
            Value::Number(n) if n.as_i64() == Some(0) => Some(false),
            Value::String(s) => parse_bool(s),
            _ => None,
        };
        if parsed.is_none() {
            self.errors.add(key, "Must be a valid boolean.");
        }
        parsed
    }

    pub fn decimal(&mut self, key: &str) -> Option<Decimal> {
        let parsed = match self.present(key)? {
            Value::Number(n) => service::decimal::parse_text(&n.to_string()),
            Value::String(s) => service::decimal::parse_text(s),
            _ => Err("A valid number is required.".to_owned()),
        };
        match parsed {
            Ok(d) => Some(d),
            Err(message) => {
                self.errors.add(key, message);
                None
            }
        }
    }

    /// A primary key: an integer or a string of one.
    pub fn pk(&mut self, key: &str) -> Option<i32> {
        let v = self.present(key)?;
        let parsed = match v {
            Value::Number(n) => n.as_i64().and_then(|i| i32::try_from(i).ok()),
            Value::String(s) => s.trim().parse().ok(),
            Value::Null => {
                self.errors.add(key, "This field may not be null.");
                return None;
            }
            _ => None,
        };
        if parsed.is_none() {
            self.errors.add(
                key,
                format!(
                    "Incorrect type. Expected pk value, received {}.",
                    type_name(v)
                ),
            );
        }
        parsed
    }

    /// A nullable primary key: `Some(None)` for an explicit null.
    pub fn nullable_pk(&mut self, key: &str) -> Option<Option<i32>> {
        match self.present(key)? {
            Value::Null => Some(None),
            _ => self.pk(key).map(Some),
        }
    }

    pub fn finish(self, rename: fn(&str) -> String) -> Result<(), RestError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(RestError::from(field_errors(&self.errors, rename)))
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "str",
        Value::Number(_) => "float",
        Value::Bool(_) => "bool",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
        Value::Null => "NoneType",
    }
}
