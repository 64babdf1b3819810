//! The deserializer behind body structs: a JSON value that knows its path in the body
//! (`lines[2].mpn`), and the recorder its fields write their messages to.
use std::cell::RefCell;

use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserializer;
use serde_json::Value;
use service::FieldErrors;

thread_local! {
    /// The path of the value being read and the messages recorded so far, while `read`
    /// runs (it runs to the end without yielding, so a thread holds one at a time).
    static RECORDER: RefCell<Option<(String, FieldErrors)>> = const { RefCell::new(None) };
}

pub(super) fn recording<R>(run: impl FnOnce() -> R) -> (R, FieldErrors) {
    let outer = RECORDER.with(|r| r.replace(Some((String::new(), FieldErrors::new()))));
    let result = run();
    let (_, errors) = RECORDER.with(|r| r.replace(outer)).unwrap_or_default();
    (result, errors)
}

fn enter(path: &str) {
    RECORDER.with(|r| {
        if let Some((current, _)) = r.borrow_mut().as_mut() {
            current.clear();
            current.push_str(path);
        }
    });
}

/// The path of the value being read; taken before reading a value that may hold others.
pub(super) fn current_path() -> String {
    RECORDER.with(|r| {
        r.borrow()
            .as_ref()
            .map(|(path, _)| path.clone())
            .unwrap_or_default()
    })
}

/// Records a message under a field's path.
pub(super) fn record(path: &str, message: impl Into<String>) {
    RECORDER.with(|r| {
        if let Some((_, errors)) = r.borrow_mut().as_mut() {
            errors.add(path, message);
        }
    });
}

/// A JSON value with its path in the body, so that fields record under their names.
pub(super) struct Node {
    pub(super) value: Value,
    pub(super) path: String,
}

impl Node {
    pub(super) fn root(value: Value) -> Self {
        Node {
            value,
            path: String::new(),
        }
    }
}

impl<'de> Deserializer<'de> for Node {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let path = self.path;
        match self.value {
            Value::Array(items) => visitor.visit_seq(Elements {
                items: items.into_iter().enumerate(),
                path,
            }),
            Value::Object(entries) => visitor.visit_map(Entries {
                entries: entries.into_iter(),
                pending: None,
                path,
            }),
            other => other.deserialize_any(visitor).map_err(de::Error::custom),
        }
    }

    /// A value that is there is `Some`, `null` too: the body's fields judge `null` (see
    /// [`Field`]), and only a missing key is `None`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct Elements {
    items: std::iter::Enumerate<std::vec::IntoIter<Value>>,
    path: String,
}

impl<'de> SeqAccess<'de> for Elements {
    type Error = de::value::Error;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        let Some((i, value)) = self.items.next() else {
            return Ok(None);
        };
        let path = format!("{}[{i}]", self.path);
        enter(&path);
        seed.deserialize(Node { value, path }).map(Some)
    }
}

struct Entries {
    entries: serde_json::map::IntoIter,
    pending: Option<(String, Value)>,
    path: String,
}

impl<'de> MapAccess<'de> for Entries {
    type Error = de::value::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        let Some((key, value)) = self.entries.next() else {
            return Ok(None);
        };
        let k = seed.deserialize(key.as_str().into_deserializer())?;
        self.pending = Some((key, value));
        Ok(Some(k))
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let (key, value) = self
            .pending
            .take()
            .ok_or_else(|| de::Error::custom("a value without its key"))?;
        let path = if self.path.is_empty() {
            key
        } else {
            format!("{}.{key}", self.path)
        };
        enter(&path);
        seed.deserialize(Node { value, path })
    }
}
