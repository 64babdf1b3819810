//! Reference designators: "R1, R3-R5 C2" becomes ["R1", "R3", "R4", "R5", "C2"].

/// Ranges longer than this are kept as written rather than expanded.
const MAX_RANGE: u32 = 10_000;

fn split_prefix(token: &str) -> Option<(&str, u32)> {
    let digits = token.len()
        - token
            .trim_start_matches(|c: char| !c.is_ascii_digit())
            .len();
    let (prefix, number) = token.split_at(digits);
    if number.is_empty() || !number.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some((prefix, number.parse().ok()?))
}

/// Expands `R3-R5` (or `R3-5`) into each designator; anything else is kept as one token.
fn expand(token: &str, out: &mut Vec<String>) {
    if let Some((from, to)) = token.split_once('-') {
        if let (Some((p1, a)), Some((p2, b))) = (
            split_prefix(from),
            split_prefix(to).or_else(|| to.parse().ok().map(|n| ("", n))),
        ) {
            let p2 = if p2.is_empty() { p1 } else { p2 };
            if !p1.is_empty() && p1 == p2 && a <= b && b - a < MAX_RANGE {
                out.extend((a..=b).map(|n| format!("{p1}{n}")));
                return;
            }
        }
    }
    out.push(token.to_owned());
}

pub fn parse(reference: &str) -> Vec<String> {
    let mut out = Vec::new();
    for token in reference
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .map(str::trim)
        .filter(|t| !t.is_empty())
    {
        expand(token, &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_lists_and_ranges() {
        assert_eq!(parse("R1, R3-R5 C2"), ["R1", "R3", "R4", "R5", "C2"]);
        assert_eq!(parse("U1-3"), ["U1", "U2", "U3"]);
        assert_eq!(parse("J1;J2"), ["J1", "J2"]);
        assert_eq!(parse("R5-R3"), ["R5-R3"]);
        assert_eq!(parse(""), Vec::<String>::new());
    }

    #[test]
    fn a_range_expands_only_within_one_prefix() {
        assert_eq!(parse("LED1-LED3"), ["LED1", "LED2", "LED3"]);
        assert_eq!(parse("R9-R11"), ["R9", "R10", "R11"]);
        assert_eq!(parse("R2-R2"), ["R2"]);
        // different prefixes, no prefix, or no end are kept as written
        assert_eq!(parse("R1-C3"), ["R1-C3"]);
        assert_eq!(parse("1-3"), ["1-3"]);
        assert_eq!(parse("R1-"), ["R1-"]);
        assert_eq!(parse("R1-Rx"), ["R1-Rx"]);
    }

    #[test]
    fn a_range_too_long_to_be_real_is_kept_as_written() {
        assert_eq!(parse("R1-R10000").len(), 10_000);
        assert_eq!(parse("R1-R10001"), ["R1-R10001"]);
    }

    #[test]
    fn commas_semicolons_and_any_whitespace_separate() {
        assert_eq!(
            parse(" R1,R2;R3\tR4\nR5 ,, ;R6 "),
            ["R1", "R2", "R3", "R4", "R5", "R6"]
        );
    }

    #[test]
    fn duplicates_and_names_without_numbers_are_kept_in_order() {
        // each is a placement: a designator given twice counts twice
        assert_eq!(parse("R1, R1, R2-R3, R2"), ["R1", "R1", "R2", "R3", "R2"]);
        assert_eq!(parse("DNP J1"), ["DNP", "J1"]);
    }
}
