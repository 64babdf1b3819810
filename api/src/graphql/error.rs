//! ServiceError as a GraphQL error with an `extensions.code`.
use async_graphql::{Error, ErrorExtensions};
use service::ServiceError;

/// `part_id` -> `partId`, so validation errors name the GraphQL argument fields.
fn camel(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

pub fn to_gql(e: ServiceError) -> Error {
    let code = match &e {
        ServiceError::NotFound { .. } => "NOT_FOUND",
        ServiceError::Validation(_) => "VALIDATION",
        ServiceError::Conflict(_) => "CONFLICT",
        ServiceError::Forbidden(_) => "FORBIDDEN",
        ServiceError::Unauthenticated => "UNAUTHENTICATED",
        ServiceError::RateLimited(_) => "RATE_LIMITED",
        ServiceError::Unavailable { .. } => "UNAVAILABLE",
        ServiceError::Internal(_) => "INTERNAL",
    };
    let message = match &e {
        ServiceError::Validation(fields) => {
            let parts: Vec<String> = fields
                .0
                .iter()
                .map(|(k, v)| format!("{}: {}", camel(k), v.join(" ")))
                .collect();
            format!("Invalid input. {}", parts.join("; "))
        }
        other => other.to_string(),
    };
    Error::new(message).extend_with(|_, ext| {
        ext.set("code", code);
        if let ServiceError::Unavailable {
            maybe_committed: true,
        } = &e
        {
            ext.set("maybeCommitted", true);
        }
        if let ServiceError::Validation(fields) = &e {
            let mut map = async_graphql::indexmap::IndexMap::new();
            for (k, v) in &fields.0 {
                map.insert(
                    async_graphql::Name::new(camel(k)),
                    async_graphql::Value::List(
                        v.iter()
                            .map(|m| async_graphql::Value::from(m.as_str()))
                            .collect(),
                    ),
                );
            }
            ext.set("fields", async_graphql::Value::Object(map));
        }
    })
}

/// Shorthand for resolvers: `service_call().await.gql()?`.
pub trait GqlResult<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T> GqlResult<T> for Result<T, ServiceError> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(to_gql)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn camel_case() {
        assert_eq!(super::camel("part_id"), "partId");
        assert_eq!(
            super::camel("lines[0].allow_variants"),
            "lines[0].allowVariants"
        );
    }
}
