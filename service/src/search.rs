//! Free-text search, as DRF's SearchFilter does it: the text splits into terms on whitespace
//! and commas, and every term must occur, ignoring case, in one of the searched fields.
use sea_orm::sea_query::{Expr, ExprTrait, IntoColumnRef, LikeExpr};
use sea_orm::{Condition, DbBackend};

/// The terms of a search text; none for a missing or blank one.
pub fn terms(text: Option<&str>) -> Vec<&str> {
    text.into_iter()
        .flat_map(|s| s.split(|c: char| c.is_whitespace() || c == ','))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Rows where `term` occurs in any of `columns`, ignoring case. `%`, `_` and `\` in the term
/// match themselves. SQLite's LIKE ignores the case of ASCII letters and PostgreSQL's ILIKE
/// that of every letter its locale knows; on both, the exact text always matches.
pub fn any_contains<C: IntoColumnRef>(
    backend: DbBackend,
    columns: impl IntoIterator<Item = C>,
    term: &str,
) -> Condition {
    let mut escaped = String::with_capacity(term.len() + 2);
    escaped.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    columns.into_iter().fold(Condition::any(), |cond, col| {
        cond.add(match backend {
            // sea-query brackets `pattern ESCAPE c` after ILIKE, which PostgreSQL refuses.
            DbBackend::Postgres => Expr::cust_with_exprs(
                "$1 ILIKE $2 ESCAPE '\\'",
                [Expr::col(col), Expr::val(escaped.clone())],
            ),
            _ => Expr::col(col).like(LikeExpr::new(escaped.clone()).escape('\\')),
        })
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

    #[test]
    fn postgres_statement_escapes_after_ilike() {
        use sea_orm::{EntityTrait, QueryFilter, QueryTrait};
        let columns = [(entity::part::Entity, entity::part::Column::Name)];
        let sql = entity::part::Entity::find()
            .filter(any_contains(DbBackend::Postgres, columns, "10%"))
            .build(DbBackend::Postgres)
            .to_string();
        // no brackets around the pattern and its ESCAPE (the value is bound when run)
        assert!(
            sql.ends_with(r#""part"."name" ILIKE E'%10\\%%' ESCAPE '\'"#),
            "{sql}"
        );
    }
}
