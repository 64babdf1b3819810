//! Global object ids (Relay's Global Object Identification): every GraphQL `ID` names its
//! type and its row, as base64url without padding of `"<TypeName>:<rowId>"`, so `node(id)`
//! can find any object and an id of one type is never mistaken for another's. The REST
//! dialects keep numeric ids; `rowId` shows the same number in GraphQL.
//!
//! Ids are made (`to_id`) and read (`parse_id`, `opt_id`, `maybe_id`) here and nowhere else.
//! An argument that is not a global id, or is the id of another type than the field takes,
//! is a `VALIDATION` error naming the field.
use async_graphql::{MaybeUndefined, ID};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use service::FieldErrors;

use super::error::to_gql;

macro_rules! node_kinds {
    ($($kind:ident),* $(,)?) => {
        /// The object types whose ids are global ids; each name is the GraphQL type's.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum NodeKind {
            $($kind),*
        }

        impl NodeKind {
            pub const ALL: &'static [NodeKind] = &[$(NodeKind::$kind),*];

            /// The GraphQL type's name, as the id spells it.
            pub fn name(self) -> &'static str {
                match self {
                    $(NodeKind::$kind => stringify!($kind)),*
                }
            }
        }
    };
}

node_kinds! {
    ApiToken,
    Bom,
    BomLine,
    Job,
    ManufacturerAlias,
    Me,
    Offer,
    Part,
    PartOverride,
    PriceBreak,
    Program,
    ProgramLine,
    Substitute,
    Team,
    TeamMember,
    User,
}

impl NodeKind {
    fn named(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// The global id of row `row` of `kind`.
pub fn to_id(kind: NodeKind, row: i32) -> ID {
    ID(URL_SAFE_NO_PAD.encode(format!("{}:{row}", kind.name())))
}

/// The type and row a global id names, or `None` for anything `to_id` does not make (so
/// each object has exactly one id: no padding, no sign, no leading zeros).
pub fn decode(id: &str) -> Option<(NodeKind, i32)> {
    let text = String::from_utf8(URL_SAFE_NO_PAD.decode(id).ok()?).ok()?;
    let (name, row) = text.split_once(':')?;
    let (kind, row) = (NodeKind::named(name)?, row.parse::<i32>().ok()?);
    (to_id(kind, row).as_str() == id).then_some((kind, row))
}

/// The row of a global id, or a validation error naming `field`.
pub fn decode_field(field: &str, id: &ID) -> async_graphql::Result<(NodeKind, i32)> {
    decode(id).ok_or_else(|| {
        to_gql(FieldErrors::single(
            field,
            format!("\"{}\" is not a valid id.", id.as_str()),
        ))
    })
}

/// The row of an id of `kind` given in `field`; malformed ids and ids of another type are
/// validation errors naming the field.
pub fn parse_id(kind: NodeKind, field: &str, id: &ID) -> async_graphql::Result<i32> {
    match decode_field(field, id)? {
        (k, row) if k == kind => Ok(row),
        (other, _) => Err(to_gql(FieldErrors::single(
            field,
            format!(
                "\"{}\" is the id of a {}, not of a {}.",
                id.as_str(),
                other.name(),
                kind.name()
            ),
        ))),
    }
}

pub fn opt_id(kind: NodeKind, field: &str, id: &Option<ID>) -> async_graphql::Result<Option<i32>> {
    id.as_ref().map(|i| parse_id(kind, field, i)).transpose()
}

/// An id that an update may leave out (keep), set to null (clear) or give (set), as the
/// service's `Option<Option<i32>>`.
pub fn maybe_id(
    kind: NodeKind,
    field: &str,
    id: &MaybeUndefined<ID>,
) -> async_graphql::Result<Option<Option<i32>>> {
    id.as_opt_ref()
        .map(|id| id.map(|i| parse_id(kind, field, i)).transpose())
        .transpose()
}

/// Global ids of rows of one kind.
pub fn to_ids(kind: NodeKind, rows: impl IntoIterator<Item = i32>) -> Vec<ID> {
    rows.into_iter().map(|row| to_id(kind, row)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_names_its_type_and_row() {
        let id = to_id(NodeKind::BomLine, 42);
        assert_eq!(id.as_str(), "Qm9tTGluZTo0Mg");
        assert_eq!(decode(&id), Some((NodeKind::BomLine, 42)));
        for kind in NodeKind::ALL {
            assert_eq!(decode(&to_id(*kind, 7)), Some((*kind, 7)));
        }
    }

    #[test]
    fn only_ids_made_here_are_read() {
        let b64 = |s: &str| URL_SAFE_NO_PAD.encode(s);
        for bad in [
            "42".to_owned(),
            String::new(),
            "Qm9tTGluZTo0Mg==".to_owned(),
            b64("Nope:1"),
            b64("Bom:"),
            b64("Bom:x"),
            b64("Bom:+1"),
            b64("Bom:01"),
            b64("Bom:1:2"),
            b64("bom:1"),
            b64("Bom:99999999999"),
        ] {
            assert_eq!(decode(&bad), None, "{bad}");
        }
    }

    #[test]
    fn a_wrong_type_names_the_field() {
        let err = parse_id(NodeKind::Bom, "bom_id", &to_id(NodeKind::BomLine, 1)).unwrap_err();
        assert!(err.message.contains("bomId"), "{}", err.message);
        assert!(err.message.contains("not of a Bom"), "{}", err.message);
    }
}
