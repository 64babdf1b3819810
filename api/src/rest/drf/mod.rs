//! Django REST Framework conventions shared by the REST dialects: responses, error bodies,
//! authentication, request bodies that ignore unknown keys, query strings and path ids.
pub mod auth;
pub mod body;
pub mod error;
pub mod field;
mod node;
pub mod path;
pub mod query;
pub mod response;

pub use auth::User;
pub use body::body_object;
pub use error::{
    bad_request, field_errors, same_name, service_error, FieldNames, NamedError, NamedResult,
    RestError, RestResult,
};
pub use path::{Id, Ids};
pub use query::{params_of, parse_bool, Flag, Paging, Params, Query};
pub use response::{detail, json_response, method_not_allowed, no_content, not_found};
