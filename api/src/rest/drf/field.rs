//! The field types of a body: [`Field`] reads one value as DRF does ([`Lenient`]) and
//! records its message instead of failing; [`Items`] reads a list of objects.
use std::marker::PhantomData;

use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use utoipa::__dev::ComposeSchema;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use super::node::{current_path, record, Node};
use super::query::parse_bool;

/// How DRF reads a value of a field type, with its message when it cannot.
pub trait Lenient: Sized {
    fn from_json(value: Value) -> Result<Self, String>;
}

impl Lenient for String {
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(if b { "True" } else { "False" }.into()),
            Value::Null => Err("This field may not be null.".into()),
            _ => Err("Not a valid string.".into()),
        }
    }
}

impl Lenient for bool {
    fn from_json(value: Value) -> Result<Self, String> {
        match &value {
            Value::Bool(b) => Some(*b),
            Value::Number(n) if n.as_i64() == Some(1) => Some(true),
            Value::Number(n) if n.as_i64() == Some(0) => Some(false),
            Value::String(s) => parse_bool(s),
            _ => None,
        }
        .ok_or_else(|| "Must be a valid boolean.".into())
    }
}

impl Lenient for Decimal {
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::Number(n) => service::decimal::parse_text(&n.to_string()),
            Value::String(s) => service::decimal::parse_text(&s),
            _ => Err("A valid number is required.".to_owned()),
        }
    }
}

/// A primary key: an integer or a string of one.
impl Lenient for i32 {
    fn from_json(value: Value) -> Result<Self, String> {
        let parsed = match &value {
            Value::Number(n) => n.as_i64().and_then(|i| i32::try_from(i).ok()),
            Value::String(s) => s.trim().parse().ok(),
            Value::Null => return Err("This field may not be null.".into()),
            _ => None,
        };
        parsed.ok_or_else(|| {
            format!(
                "Incorrect type. Expected pk value, received {}.",
                type_name(&value)
            )
        })
    }
}

/// A nullable field: `null` is `None`.
impl<T: Lenient> Lenient for Option<T> {
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(None),
            v => T::from_json(v).map(Some),
        }
    }
}

/// Free JSON (`metadata`), taken as it is.
impl Lenient for Value {
    fn from_json(value: Value) -> Result<Self, String> {
        Ok(value)
    }
}

/// A list of strings; `null` is the empty list and items that are not strings are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Strings(pub Vec<String>);

impl Lenient for Strings {
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::Null => Ok(Strings(Vec::new())),
            Value::Array(items) => Ok(Strings(
                items
                    .into_iter()
                    .filter_map(|v| match v {
                        Value::String(s) => Some(s),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => Err("Expected a list of items.".into()),
        }
    }
}

impl ComposeSchema for Strings {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        Vec::<String>::compose(Vec::new())
    }
}

impl ToSchema for Strings {}

/// A timestamp in RFC 3339; a value that is not a string is no timestamp.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Timestamp(pub Option<DateTime<Utc>>);

impl Lenient for Timestamp {
    fn from_json(value: Value) -> Result<Self, String> {
        match value {
            Value::String(s) => DateTime::parse_from_rfc3339(&s)
                .map(|t| Timestamp(Some(t.with_timezone(&Utc))))
                .map_err(|_| "Datetime has wrong format.".into()),
            _ => Ok(Timestamp(None)),
        }
    }
}

impl ComposeSchema for Timestamp {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .into()
    }
}

impl ToSchema for Timestamp {}

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

/// One field of a body: `None` when the key is absent or its value could not be read
/// (then its message is recorded and the body is refused).
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T>(pub Option<T>);

impl<T> Default for Field<T> {
    fn default() -> Self {
        Self(None)
    }
}

impl<T> Field<T> {
    pub fn get(self) -> Option<T> {
        self.0
    }

    pub fn is_given(&self) -> bool {
        self.0.is_some()
    }
}

impl<T: Default> Field<T> {
    /// The value, or its type's default when absent.
    pub fn or_default(self) -> T {
        self.0.unwrap_or_default()
    }
}

impl<T: Default> Field<Option<T>> {
    /// A nullable field whose `null` means its empty value (`""` for a text).
    pub fn null_as_default(self) -> Option<T> {
        self.0.map(Option::unwrap_or_default)
    }

    /// A nullable field whose absence and `null` both mean nothing.
    pub fn flat(self) -> Option<T> {
        self.0.flatten()
    }
}

/// Read through `deserialize_option`: a key the body lacks is `None` (serde asks a missing
/// field for an option), a key it has is `Some` whatever its value, `null` included (a
/// [`Node`] is always `Some`).
impl<'de, T: Lenient> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Present<T>(PhantomData<T>);
        impl<'de, T: Lenient> Visitor<'de> for Present<T> {
            type Value = Field<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field")
            }
            fn visit_none<E: de::Error>(self) -> Result<Field<T>, E> {
                Ok(Field(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Field<T>, D::Error> {
                let path = current_path();
                match T::from_json(Value::deserialize(d)?) {
                    Ok(v) => Ok(Field(Some(v))),
                    Err(message) => {
                        record(&path, message);
                        Ok(Field(None))
                    }
                }
            }
        }
        d.deserialize_option(Present(PhantomData))
    }
}

/// What a body type leaves unread (`lines` of a BOM update): present or not, it is
/// ignored.
#[derive(Debug, Default)]
pub struct Unread;

impl<'de> Deserialize<'de> for Unread {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Ignore;
        impl<'de> Visitor<'de> for Ignore {
            type Value = Unread;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("anything")
            }
            fn visit_none<E: de::Error>(self) -> Result<Unread, E> {
                Ok(Unread)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Unread, D::Error> {
                de::IgnoredAny::deserialize(d).map(|_| Unread)
            }
        }
        d.deserialize_option(Ignore)
    }
}

impl ComposeSchema for Unread {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        Value::schema()
    }
}

impl ToSchema for Unread {}

/// A field is documented as its value.
impl<T: ComposeSchema> ComposeSchema for Field<T> {
    fn compose(generics: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        T::compose(generics)
    }
}

impl<T: ComposeSchema> ToSchema for Field<T> {}

/// A list of objects (`lines`, `items`): `null` or absent is empty, a value that is not a
/// list is refused, and each item that is not an object is refused and left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Items<T>(pub Vec<T>);

impl<T> Default for Items<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Items<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct List<T>(String, PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for List<T> {
            type Value = Items<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of objects")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Items<T>, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Item<T>>()? {
                    items.extend(item.0);
                }
                Ok(Items(items))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Items<T>, E> {
                Ok(Items(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Items<T>, A::Error> {
                while map
                    .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
                    .is_some()
                {}
                self.visit_bool(false)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Items<T>, E> {
                record(&self.0, "Expected a list of items.");
                Ok(Items(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Items<T>, E> {
                self.visit_bool(false)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Items<T>, E> {
                self.visit_bool(false)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Items<T>, E> {
                self.visit_bool(false)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Items<T>, E> {
                self.visit_bool(false)
            }
        }
        struct Present<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Present<T> {
            type Value = Items<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of objects")
            }
            fn visit_none<E: de::Error>(self) -> Result<Items<T>, E> {
                Ok(Items(Vec::new()))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Items<T>, D::Error> {
                d.deserialize_any(List(current_path(), PhantomData))
            }
        }
        d.deserialize_option(Present(PhantomData))
    }
}

impl<T: ComposeSchema> ComposeSchema for Items<T> {
    fn compose(generics: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        Vec::<T>::compose(generics)
    }
}

impl<T: ComposeSchema> ToSchema for Items<T> {}

/// One item of [`Items`]: an object read as `T`, anything else refused.
struct Item<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Item<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let path = current_path();
        match Value::deserialize(d)? {
            value @ Value::Object(_) => T::deserialize(Node { value, path })
                .map(|item| Item(Some(item)))
                .map_err(de::Error::custom),
            _ => {
                record(&path, "Expected an object.");
                Ok(Item(None))
            }
        }
    }
}
