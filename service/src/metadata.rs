//! Metadata on BOMs, lines and substitutes: a JSON object, read, replaced or merged.
use serde_json::{Map, Value};

use crate::{FieldErrors, ServiceResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MetadataMode {
    /// The new object is the whole metadata.
    Replace,
    /// Top-level keys of the new object overwrite or add to the old ones.
    Merge,
}

/// The metadata after applying `incoming`; only JSON objects are accepted.
pub fn apply(current: Option<&Value>, incoming: Value, mode: MetadataMode) -> ServiceResult<Value> {
    crate::input::check_json(Some("metadata"), &incoming)?;
    let Value::Object(incoming) = incoming else {
        return Err(FieldErrors::single(
            "metadata",
            "Metadata must be a JSON object.",
        ));
    };
    let merged = match (mode, current) {
        (MetadataMode::Merge, Some(Value::Object(old))) => {
            let mut out: Map<String, Value> = old.clone();
            out.extend(incoming);
            out
        }
        _ => incoming,
    };
    Ok(Value::Object(merged))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_and_replace() {
        let old = json!({"a": 1, "b": {"x": 1}});
        let merged = apply(
            Some(&old),
            json!({"b": {"y": 2}, "c": 3}),
            MetadataMode::Merge,
        )
        .unwrap();
        assert_eq!(merged, json!({"a": 1, "b": {"y": 2}, "c": 3}));
        let replaced = apply(Some(&old), json!({"c": 3}), MetadataMode::Replace).unwrap();
        assert_eq!(replaced, json!({"c": 3}));
        assert!(apply(None, json!([1]), MetadataMode::Merge).is_err());
    }
}

/// What carries metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Bom,
    BomLine,
    Substitute,
}

/// The metadata of a BOM, line or substitute the principal can read.
pub async fn read(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::Principal,
    target: Target,
    id: i32,
) -> ServiceResult<Option<Value>> {
    Ok(match target {
        Target::Bom => crate::bom::get(db, p, id).await?.metadata,
        Target::BomLine => crate::bom_line::get(db, p, id).await?.metadata,
        Target::Substitute => crate::substitute::get(db, p, id).await?.metadata,
    })
}

/// Replaces or merges the metadata of a BOM, line or substitute; returns the result.
pub async fn write(
    db: &sea_orm::DatabaseConnection,
    p: &crate::auth::Principal,
    target: Target,
    id: i32,
    value: Value,
    mode: MetadataMode,
) -> ServiceResult<Option<Value>> {
    Ok(match target {
        Target::Bom => {
            crate::bom::set_metadata(db, p, id, value, mode)
                .await?
                .metadata
        }
        Target::BomLine => {
            crate::bom_line::set_metadata(db, p, id, value, mode)
                .await?
                .metadata
        }
        Target::Substitute => {
            crate::substitute::set_metadata(db, p, id, value, mode)
                .await?
                .metadata
        }
    })
}
