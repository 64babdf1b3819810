//! Query strings: parameters (last value winning) read into a struct that derives
//! `Deserialize` and `IntoParams`, with DRF's boolean filter values.
use std::collections::HashMap;

use axum::extract::{FromRequestParts, RawQuery};
use axum::http::request::Parts;
use serde::de::value::MapDeserializer;
use serde::de::{DeserializeOwned, IntoDeserializer, Visitor};
use serde::{Deserialize, Deserializer};

use utoipa::IntoParams;

use super::error::{bad_request, RestError};

/// DRF's boolean filter values; anything else means "no filter".
pub fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Query parameters, last value winning.
pub type Params = HashMap<String, String>;

pub fn params_of(query: Option<&str>) -> Params {
    query
        .map(|q| {
            q.split('&')
                .filter(|kv| !kv.is_empty())
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    let decode = |s: &str| {
                        urlencoding::decode(&s.replace('+', " "))
                            .map(|c| c.into_owned())
                            .unwrap_or_default()
                    };
                    (decode(k), decode(v))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A boolean filter: a value DRF does not read as a boolean is no filter.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Flag(pub Option<bool>);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Flag(parse_bool(&String::deserialize(d)?)))
    }
}

impl Flag {
    /// A switch that is off unless given as true.
    pub fn on(self) -> bool {
        self.0.unwrap_or(false)
    }
}

/// DRF's LimitOffsetPagination parameters, read by `rest::page` (documented as integers,
/// read as texts so that a bad one is a 400 naming it).
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    #[param(value_type = Option<i64>)]
    pub limit: Option<String>,
    #[param(value_type = Option<i64>)]
    pub offset: Option<String>,
}

/// A query string read into `T` (whose fields are texts and [`Flag`]s, so reading cannot
/// fail on a value), with its parameters as given for the page links.
pub struct Query<T>(pub T, pub Params);

impl<T: DeserializeOwned> Query<T> {
    /// Reads parameters into `T`.
    pub fn read(params: &Params) -> Result<T, RestError> {
        T::deserialize(MapDeserializer::<_, serde::de::value::Error>::new(
            params.iter().map(|(k, v)| (k.as_str(), Text(v))),
        ))
        .map_err(|e| bad_request("non_field_errors", e.to_string()))
    }
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let RawQuery(q) = RawQuery::from_request_parts(parts, state)
            .await
            .unwrap_or(RawQuery(None));
        let params = params_of(q.as_deref());
        Ok(Query(Self::read(&params)?, params))
    }
}

/// A parameter's value: text, and present (so `Option` fields read it as `Some`).
struct Text<'a>(&'a str);

impl<'de, 'a> IntoDeserializer<'de, serde::de::value::Error> for Text<'a> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de, 'a> Deserializer<'de> for Text<'a> {
    type Error = serde::de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct map struct
        enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_and_params() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("0"), Some(false));
        assert_eq!(parse_bool("maybe"), None);
        let p = params_of(Some("a=1&search=r%201&b=x+y"));
        assert_eq!(p["search"], "r 1");
        assert_eq!(p["b"], "x y");
    }
}
