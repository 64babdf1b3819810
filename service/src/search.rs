//! Free-text search, as DRF's SearchFilter does it: the text splits into terms on whitespace
//! and commas, and every term must occur, ignoring case, in one of the searched fields.
use sea_orm::sea_query::{Expr, ExprTrait, Func, IntoColumnRef, LikeExpr};
use sea_orm::Condition;

/// The terms of a search text; none for a missing or blank one.
pub fn terms(text: Option<&str>) -> Vec<&str> {
    text.into_iter()
        .flat_map(|s| s.split(|c: char| c.is_whitespace() || c == ','))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Rows where `term` occurs in any of `columns`, ignoring case. `%`, `_` and `\` in the term
/// match themselves. (SQLite's lower() folds ASCII letters only, so on SQLite other letters
/// match in their own case.)
pub fn any_contains<C: IntoColumnRef>(
    columns: impl IntoIterator<Item = C>,
    term: &str,
) -> Condition {
    let mut escaped = String::with_capacity(term.len() + 2);
    escaped.push('%');
    for c in term.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    columns.into_iter().fold(Condition::any(), |cond, col| {
        cond.add(Expr::expr(Func::lower(Expr::col(col))).like(LikeExpr::new(&escaped).escape('\\')))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_split_on_whitespace_and_commas() {
        assert_eq!(terms(Some(" 10k, 0402  R1 ")), vec!["10k", "0402", "R1"]);
        assert!(terms(Some(" , ")).is_empty());
        assert!(terms(None).is_empty());
    }
}
