//! `service::input`'s policy applied to a GraphQL request: its variables and its document.
use service::ServiceError;

/// A NUL written into the document itself, raw or as a `\u0000` / `\u{0}` escape.
fn nul_in_document(query: &str) -> bool {
    if query.contains('\0') {
        return true;
    }
    query.match_indices("\\u").any(|(i, _)| {
        let rest = &query[i + 2..];
        let hex = match rest.strip_prefix('{') {
            Some(braced) => braced.split('}').next().unwrap_or_default(),
            None => rest.get(..4).unwrap_or_default(),
        };
        !hex.is_empty()
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
            && u32::from_str_radix(hex, 16) == Ok(0)
    })
}

/// `service::input`'s policy on the variables and the document.
pub fn check_input(request: &async_graphql::Request) -> Result<(), ServiceError> {
    if nul_in_document(&request.query) {
        return service::input::check_text("query", "\0");
    }
    if let Some(message) = service::input::document_too_precise(&request.query) {
        return Err(service::FieldErrors::single("query", message));
    }
    let variables = serde_json::to_value(&request.variables)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    match service::input::json_problem(&variables) {
        None => Ok(()),
        // Named as the service names an input's fields: `name`, `lines[3].mpn`, without
        // the variable that carries the input object.
        Some((path, message)) => {
            let field = match path.split_once('.') {
                Some((_variable, inner)) => inner.to_owned(),
                None => path,
            };
            Err(service::FieldErrors::single(&field, message))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::nul_in_document;

    #[test]
    fn nul_escapes_in_documents() {
        assert!(nul_in_document(
            r#"{ parts(search: "a\u0000") { totalCount } }"#
        ));
        assert!(nul_in_document(
            r#"{ parts(search: "a\u{0}") { totalCount } }"#
        ));
        assert!(!nul_in_document(
            r#"{ parts(search: "a\u0041") { totalCount } }"#
        ));
        assert!(!nul_in_document("{ me { username } }"));
    }
}
