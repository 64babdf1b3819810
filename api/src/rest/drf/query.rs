//! Query strings: parameters (last value winning) and DRF's boolean filter values.
use std::collections::HashMap;

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

pub fn flag(params: &Params, key: &str) -> Option<bool> {
    params.get(key).and_then(|v| parse_bool(v))
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
