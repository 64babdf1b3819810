//! Request bodies as typed structs read the way DRF's serializers read them: a field of
//! the wrong type does not fail the body but records DRF's message under the field's
//! path (`quantity`, `lines[2].mpn`), so every error of a body is reported at once; the
//! usual coercions apply ("true"/"True"/"1"/1 for booleans, numbers as strings and
//! strings as numbers); read-only and unknown keys are ignored.
//!
//! A body struct derives `Deserialize`, `Default` and `ToSchema`, and declares each field
//! as a [`Field`] (or [`Items`] for a list of objects); [`Body`] and [`Partial`] extract
//! it, with the struct's [`Input::REQUIRED`] keys for a create or a full update.
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use service::FieldErrors;

use super::error::{bad_request, field_errors, same_name, RestError};
use super::node::{recording, Node};
use super::response::detail;

pub use super::field::{Field, Items, Lenient, Strings, Timestamp, Unread};

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

/// A body struct: the keys a create (or a full update) must carry.
pub trait Input: DeserializeOwned + Default {
    const REQUIRED: &'static [&'static str] = &[];
}

/// Reads a body object into `T`, with every field's message: the `required` keys that are
/// missing and what each field's reading recorded.
pub fn read<T: DeserializeOwned + Default>(
    data: Map<String, Value>,
    required: &[&str],
) -> (T, FieldErrors) {
    let mut errors = FieldErrors::new();
    for key in required {
        if !data.contains_key(*key) {
            errors.add(key, "This field is required.");
        }
    }
    let (value, recorded) = recording(|| T::deserialize(Node::root(Value::Object(data))));
    errors.extend_prefixed("", recorded);
    // A `Node` fails only where a body type is not declared of fields (a bug, not input).
    (value.unwrap_or_default(), errors)
}

/// A create or a full update (`POST`, `PUT`): `T`'s required keys must be there; any
/// error is a 400 in DRF's shape.
pub struct Body<T>(pub T);

/// A partial update (`PATCH`): nothing is required; any error is a 400 in DRF's shape.
pub struct Partial<T>(pub T);

/// A body whose errors the handler reports itself, with checks of its own (the upsert
/// checks its rules on the body as read) or after a lookup that answers 404 first.
/// `FULL` says whether `T`'s required keys must be there.
pub struct WithErrors<T, const FULL: bool = true>(pub T, pub FieldErrors);

/// [`WithErrors`] of a partial update: nothing is required.
pub type PartialWithErrors<T> = WithErrors<T, false>;

async fn object<S: Send + Sync>(req: Request, state: &S) -> Result<Map<String, Value>, RestError> {
    let bytes = Bytes::from_request(req, state)
        .await
        .map_err(|e| RestError::from(axum::response::IntoResponse::into_response(e)))?;
    body_object(&bytes)
}

/// A 400 in DRF's shape when a body's reading recorded any message.
pub fn checked(errors: FieldErrors) -> Result<(), RestError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(RestError::from(field_errors(&errors, same_name)))
    }
}

fn accepted<T>((value, errors): (T, FieldErrors)) -> Result<T, RestError> {
    checked(errors).map(|()| value)
}

impl<S: Send + Sync, T: Input> FromRequest<S> for Body<T> {
    type Rejection = RestError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        accepted(read(object(req, state).await?, T::REQUIRED)).map(Body)
    }
}

impl<S: Send + Sync, T: Input> FromRequest<S> for Partial<T> {
    type Rejection = RestError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        accepted(read(object(req, state).await?, &[])).map(Partial)
    }
}

impl<S: Send + Sync, T: Input, const FULL: bool> FromRequest<S> for WithErrors<T, FULL> {
    type Rejection = RestError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let required = if FULL { T::REQUIRED } else { &[] };
        let (value, errors) = read(object(req, state).await?, required);
        Ok(WithErrors(value, errors))
    }
}

#[cfg(test)]
mod tests {
    use rust_decimal::Decimal;
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    #[derive(Deserialize, Default)]
    struct Line {
        quantity: Field<Decimal>,
        optional: Field<bool>,
        note: Field<String>,
    }

    #[derive(Deserialize, Default)]
    struct Doc {
        name: Field<String>,
        part: Field<i32>,
        label: Field<Option<String>>,
        lines: Items<Line>,
    }

    fn doc(body: Value) -> (Doc, FieldErrors) {
        let Value::Object(data) = body else {
            unreachable!()
        };
        read(data, &["name", "part"])
    }

    #[test]
    fn every_error_of_a_body_is_reported_at_once_under_its_path() {
        let (_, errors) = doc(json!({
            "part": [1],
            "label": {},
            "lines": [{"quantity": "x", "optional": "maybe"}, 3, {"note": null}],
            "unknown": {"ignored": true},
        }));
        let expected = [
            ("label", "Not a valid string."),
            ("lines[0].optional", "Must be a valid boolean."),
            ("lines[1]", "Expected an object."),
            ("lines[2].note", "This field may not be null."),
            ("name", "This field is required."),
            ("part", "Incorrect type. Expected pk value, received list."),
        ];
        for (field, message) in expected {
            assert_eq!(errors.0[field], [message], "{field}");
        }
        assert!(errors.0.contains_key("lines[0].quantity"));
        assert_eq!(errors.0.len(), expected.len() + 1);
        let (_, errors) = doc(json!({"name": "n", "part": 1, "lines": "no"}));
        assert_eq!(errors.0["lines"], ["Expected a list of items."]);
    }

    #[test]
    fn values_are_coerced_as_drf_coerces_them() {
        let (d, errors) = doc(json!({
            "name": 12,
            "part": " 7 ",
            "label": null,
            "lines": [{"quantity": "1.50", "optional": "True", "note": true},
                      {"quantity": 2, "optional": 1}],
        }));
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(d.name.get().as_deref(), Some("12"));
        assert_eq!(d.part.get(), Some(7));
        assert_eq!(d.label.get(), Some(None), "null is given, and none");
        let lines = d.lines.0;
        assert_eq!(lines[0].quantity.0, Some(Decimal::new(15, 1)));
        assert_eq!(lines[0].optional.0, Some(true));
        assert_eq!(lines[0].note.0.as_deref(), Some("True"));
        assert_eq!(lines[1].quantity.0, Some(Decimal::TWO));
        assert_eq!(lines[1].optional.0, Some(true));
        assert_eq!(lines[1].note.0, None, "absent");
    }
}
