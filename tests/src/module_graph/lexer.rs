//! The lexing the module graph needs: Rust source with comments and strings blanked,
//! cut into tokens, and the paths of a `use` tree.

/// One path a `use` brings in: `use crate::{team as teams}` has `crate::team`, alias `teams`.
pub(super) struct Leaf {
    pub(super) segments: Vec<String>,
    pub(super) alias: Option<String>,
    pub(super) line: usize,
}

/// Parses a `use` tree from `toks[*i]`, pushing each leaf.
pub(super) fn use_tree(
    toks: &[Token],
    i: &mut usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Leaf>,
) {
    let text = |i: usize| toks.get(i).map_or("", |t| t.text.as_str());
    loop {
        let line = toks.get(*i).map_or(0, |t| t.line);
        match text(*i) {
            "{" => {
                *i += 1;
                while !matches!(text(*i), "}" | "") {
                    use_tree(toks, i, prefix.clone(), out);
                    if text(*i) == "," {
                        *i += 1;
                    }
                }
                *i += 1;
                return;
            }
            "*" => {
                prefix.push("*".to_string());
                out.push(Leaf {
                    segments: prefix,
                    alias: None,
                    line,
                });
                *i += 1;
                return;
            }
            word if is_ident(word) => {
                prefix.push(word.to_string());
                *i += 1;
                if text(*i) == "::" {
                    *i += 1;
                    continue;
                }
                let mut alias = None;
                if text(*i) == "as" {
                    alias = Some(text(*i + 1).to_string());
                    *i += 2;
                }
                out.push(Leaf {
                    segments: prefix,
                    alias,
                    line,
                });
                return;
            }
            _ => return,
        }
    }
}

/// The index of the bracket closing the one at `open`.
pub(super) fn closing(toks: &[Token], open: usize) -> usize {
    let mut depth = 0;
    for (i, t) in toks.iter().enumerate().skip(open) {
        match t.text.as_str() {
            "{" | "(" | "[" => depth += 1,
            "}" | ")" | "]" => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

pub(super) struct Token {
    pub(super) text: String,
    pub(super) line: usize,
}

pub(super) fn is_ident(word: &str) -> bool {
    word.starts_with(|c: char| c.is_alphabetic() || c == '_')
}

/// Words (`[A-Za-z0-9_]+`), `::`, and every other character on its own; no whitespace.
pub(super) fn tokens(code: &str) -> Vec<Token> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c == '\n' {
            line += 1;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            i += 1;
        }
        out.push(Token {
            text: chars[start..i].iter().collect(),
            line,
        });
    }
    out
}

/// Replaces comments, string and character literals by spaces, keeping line breaks.
pub(super) fn blank_comments_and_strings(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = c.clone();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let word = |ch: char| ch.is_alphanumeric() || ch == '_';
    let blank = |from: usize, to: usize, out: &mut Vec<char>| {
        for ch in &mut out[from..to.min(c.len())] {
            if *ch != '\n' {
                *ch = ' ';
            }
        }
    };
    let mut i = 0;
    while i < c.len() {
        let start = i;
        if at(i) == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if at(i) == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            loop {
                if i >= c.len() {
                    break;
                } else if at(i) == '/' && at(i + 1) == '*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == '*' && at(i + 1) == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if at(i) == 'r'
            && matches!(at(i + 1), '"' | '#')
            && (!word(at(i.wrapping_sub(1)))
                || at(i.wrapping_sub(1)) == 'b' && !word(at(i.wrapping_sub(2))))
        {
            // A raw string `r"…"`, `r#"…"#` or `br"…"` (a raw identifier `r#type` is left alone).
            let mut hashes = 0;
            i += 1;
            while at(i) == '#' {
                hashes += 1;
                i += 1;
            }
            if at(i) != '"' {
                continue;
            }
            i += 1;
            while i < c.len() && !(c[i] == '"' && (1..=hashes).all(|h| at(i + h) == '#')) {
                i += 1;
            }
            i += 1 + hashes;
        } else if at(i) == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if at(i) == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            // A character literal; a lifetime `'a` has no closing quote.
            i += 2;
            while i < c.len() && c[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else {
            i += 1;
            continue;
        }
        blank(start, i, &mut out);
    }
    out.into_iter().collect()
}
