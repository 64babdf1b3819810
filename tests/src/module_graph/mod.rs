//! The graph of references between the module files of one crate of this workspace, and
//! its cycles: what `tests/architecture.rs` asserts there are none of.
//!
//! How the graph is made:
//! - A module is one file: `src/lib.rs` is the crate root (`crate`), `src/a.rs` and
//!   `src/a/mod.rs` are `a`, `src/a/b.rs` is `a::b`. Inline `mod x { .. }` blocks belong
//!   to their file.
//! - A reference is a path starting with `crate::`, `super::` or `self::` (in `use`, with
//!   `{..}` groups, or in code), or a path starting with the name of a child module file
//!   (`use child::X`, `pub use child::X`). It points into the longest module file its
//!   path names: `crate::bom::Foo` is an edge to `bom`, `crate::rest::drf::X` to
//!   `rest::drf`. Naming an item of the crate root (`crate::ServiceError`) is an edge to
//!   the root, and the root's `pub use error::ServiceError` one from the root to `error`.
//! - Names a `use` brings in from the crate are followed: after `use crate::{bom as boms}`,
//!   `boms::get` is an edge to `bom`, and after `use crate::rest`, `rest::drf::X` one to
//!   `rest::drf`. Importing a module's name is no edge by itself; using it is.
//! - `mod child;` itself is no edge; a parent and a child form a cycle only when the
//!   parent uses the child's items (or re-exports them) and the child uses the parent's
//!   (`super::X`).
//! - `#[cfg(test)]` items, and module files declared under `#[cfg(test)]`, are left out:
//!   they are not part of the built crate.
//! - `src/main.rs` of `api` is left out: it is a separate binary crate that reaches the
//!   library only as `api::..`, and a library can never refer back to its binary.
//!
//! Comments and string literals are blanked before scanning, so paths in docs and
//! messages do not count.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use lexer::{blank_comments_and_strings, closing, is_ident, tokens, use_tree, Token};

mod lexer;

/// A module file's path inside its crate; the crate root is the empty path.
pub type Module = Vec<String>;

/// Where a reference was written: `service/src/bom.rs:12  crate::bom_line::LineInput`.
#[derive(Clone)]
struct Reference {
    file: String,
    line: usize,
    path: String,
}

#[derive(Default)]
pub struct Graph {
    modules: BTreeSet<Module>,
    /// Module files declared under `#[cfg(test)]`; they and their children are left out.
    test_only: BTreeSet<Module>,
    /// The first reference seen for each edge.
    edges: BTreeMap<Module, BTreeMap<Module, Reference>>,
}

impl Graph {
    /// The graph of crate `krate` (`service`, `api`), read from its sources.
    pub fn of(krate: &str) -> Graph {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(krate)
            .join("src");
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        files.sort();
        let files: Vec<(PathBuf, Module)> = files
            .into_iter()
            .filter(|f| f.strip_prefix(&src).unwrap() != Path::new("main.rs"))
            .map(|f| {
                let module = module_of(f.strip_prefix(&src).unwrap());
                (f, module)
            })
            .collect();
        let mut graph = Graph {
            modules: files.iter().map(|(_, m)| m.clone()).collect(),
            ..Graph::default()
        };
        for (file, module) in &files {
            let text = std::fs::read_to_string(file).unwrap();
            let shown = format!("{krate}/src/{}", file.strip_prefix(&src).unwrap().display());
            graph.scan(&shown, module, &tokens(&blank_comments_and_strings(&text)));
        }
        let test_only = graph.test_only.clone();
        let kept = |m: &Module| !test_only.iter().any(|t| m.starts_with(t));
        graph.modules.retain(kept);
        graph.edges.retain(|from, _| kept(from));
        for targets in graph.edges.values_mut() {
            targets.retain(|to, _| kept(to));
        }
        graph
    }

    /// Records the references of one file, whose module is `module`.
    fn scan(&mut self, file: &str, module: &Module, toks: &[Token]) {
        let text = |i: usize| toks.get(i).map_or("", |t| t.text.as_str());
        // Inline `mod x {` blocks open at the brace depth kept beside them.
        let mut inline: Vec<(String, usize)> = Vec::new();
        // Names a `use` brought in from this crate, with the paths they stand for.
        let mut names: BTreeMap<String, Module> = BTreeMap::new();
        let mut depth = 0;
        let mut i = 0;
        while i < toks.len() {
            let scope: Module = module
                .iter()
                .cloned()
                .chain(inline.iter().map(|(name, _)| name.clone()))
                .collect();
            match text(i) {
                "#" if text(i + 1) == "[" => {
                    let end = closing(toks, i + 1);
                    let attr: Vec<&str> = (i + 2..end).map(text).collect();
                    i = end + 1;
                    if attr == ["cfg", "(", "test", ")"] {
                        i = self.skip_test_item(toks, i, &scope);
                    }
                    continue;
                }
                "mod" if text(i + 2) == "{" => {
                    depth += 1;
                    inline.push((text(i + 1).to_string(), depth));
                    i += 3;
                    continue;
                }
                "{" => depth += 1,
                "}" => {
                    depth = depth.saturating_sub(1);
                    inline.retain(|(_, open)| *open <= depth);
                }
                "use" => {
                    let mut leaves = Vec::new();
                    i += 1;
                    use_tree(toks, &mut i, Vec::new(), &mut leaves);
                    for leaf in leaves {
                        let Some(full) = self.resolve(&scope, &names, &leaf.segments) else {
                            continue;
                        };
                        let glob = leaf.segments.last().is_some_and(|s| s == "*");
                        let name = leaf.alias.or_else(|| full.last().cloned());
                        if let (false, Some(name)) = (glob, name) {
                            names.insert(name, full.clone());
                        }
                        // Importing a module's name is no edge yet; its uses will be.
                        if glob || !self.modules.contains(&full) {
                            self.edge(module, &full, file, leaf.line, &leaf.segments);
                        }
                    }
                    continue;
                }
                word if text(i + 1) == "::"
                    && !matches!(text(i.wrapping_sub(1)), "::" | "." | "$")
                    && is_ident(word) =>
                {
                    let mut segments = vec![word.to_string()];
                    let mut j = i + 1;
                    while text(j) == "::" && is_ident(text(j + 1)) {
                        segments.push(text(j + 1).to_string());
                        j += 2;
                    }
                    if let Some(full) = self.resolve(&scope, &names, &segments) {
                        self.edge(module, &full, file, toks[i].line, &segments);
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// Skips the item after `#[cfg(test)]` (and its other attributes), noting
    /// `mod x;` as a test-only module file; returns the index after the item.
    fn skip_test_item(&mut self, toks: &[Token], mut i: usize, scope: &Module) -> usize {
        let text = |i: usize| toks.get(i).map_or("", |t| t.text.as_str());
        while text(i) == "#" && text(i + 1) == "[" {
            i = closing(toks, i + 1) + 1;
        }
        if text(i) == "mod" && text(i + 2) == ";" {
            let mut child = scope.clone();
            child.push(text(i + 1).to_string());
            self.test_only.insert(child);
            return i + 3;
        }
        let is_use = text(i) == "use";
        while i < toks.len() {
            match text(i) {
                ";" => return i + 1,
                "{" | "(" | "[" if !is_use || text(i) != "{" => {
                    let end = closing(toks, i);
                    if text(i) == "{" {
                        return end + 1;
                    }
                    i = end;
                }
                _ => {}
            }
            i += 1;
        }
        i
    }

    /// The full path, inside this crate, of a path written in the (inline) module `scope`
    /// where `names` were imported; `None` if it points outside the crate.
    fn resolve(
        &self,
        scope: &Module,
        names: &BTreeMap<String, Module>,
        segments: &[String],
    ) -> Option<Module> {
        let first = segments.first()?;
        let mut rest = &segments[1..];
        let base = match first.as_str() {
            "crate" => Vec::new(),
            "self" => scope.clone(),
            "super" => {
                let mut base = scope.clone();
                base.pop();
                while rest.first().is_some_and(|s| s == "super") {
                    base.pop();
                    rest = &rest[1..];
                }
                base
            }
            name if names.contains_key(name) => names[name].clone(),
            child => {
                // `child::X` where `child` is a module file declared in this one.
                let mut candidate = scope.clone();
                candidate.push(child.to_string());
                if !self.modules.contains(&candidate) {
                    return None;
                }
                candidate
            }
        };
        let rest = rest.iter().filter(|s| *s != "self" && *s != "*").cloned();
        Some(base.into_iter().chain(rest).collect())
    }

    /// Records an edge from `module` to the module file that `full` points into, unless
    /// that is `module` itself; `segments` is the path as written, for the report.
    fn edge(
        &mut self,
        module: &Module,
        full: &Module,
        file: &str,
        line: usize,
        segments: &[String],
    ) {
        let target = (0..=full.len())
            .rev()
            .map(|n| full[..n].to_vec())
            .find(|m| self.modules.contains(m))
            .unwrap_or_default();
        if &target == module {
            return;
        }
        let path = segments
            .iter()
            .enumerate()
            .filter(|(n, s)| *n == 0 || *s != "self")
            .map(|(_, s)| s.as_str())
            .collect::<Vec<_>>()
            .join("::");
        self.edges
            .entry(module.clone())
            .or_default()
            .entry(target)
            .or_insert(Reference {
                file: file.to_string(),
                line,
                path,
            });
    }

    /// Strongly connected components of more than one module (Tarjan).
    pub fn cycles(&self) -> Vec<Vec<Module>> {
        struct Tarjan<'a> {
            graph: &'a Graph,
            index: BTreeMap<&'a Module, usize>,
            low: BTreeMap<&'a Module, usize>,
            stack: Vec<&'a Module>,
            on_stack: BTreeSet<&'a Module>,
            found: Vec<Vec<Module>>,
        }
        impl<'a> Tarjan<'a> {
            fn visit(&mut self, v: &'a Module) {
                let n = self.index.len();
                self.index.insert(v, n);
                self.low.insert(v, n);
                self.stack.push(v);
                self.on_stack.insert(v);
                for w in self.graph.edges.get(v).into_iter().flat_map(|e| e.keys()) {
                    if !self.index.contains_key(w) {
                        self.visit(w);
                        let low = self.low[v].min(self.low[w]);
                        self.low.insert(v, low);
                    } else if self.on_stack.contains(w) {
                        let low = self.low[v].min(self.index[w]);
                        self.low.insert(v, low);
                    }
                }
                if self.low[v] == self.index[v] {
                    let mut component = Vec::new();
                    loop {
                        let w = self.stack.pop().unwrap();
                        self.on_stack.remove(w);
                        component.push(w.clone());
                        if w == v {
                            break;
                        }
                    }
                    if component.len() > 1 {
                        component.sort();
                        self.found.push(component);
                    }
                }
            }
        }
        let mut tarjan = Tarjan {
            graph: self,
            index: BTreeMap::new(),
            low: BTreeMap::new(),
            stack: Vec::new(),
            on_stack: BTreeSet::new(),
            found: Vec::new(),
        };
        for m in &self.modules {
            if !tarjan.index.contains_key(m) {
                tarjan.visit(m);
            }
        }
        let mut found = tarjan.found;
        found.sort();
        found
    }

    /// The cycles, each edge of each with one reference that makes it (file:line, path).
    pub fn report(&self, krate: &str, cycles: &[Vec<Module>]) -> String {
        let mut out = format!("module cycles in `{krate}`: {}\n", cycles.len());
        for (n, component) in cycles.iter().enumerate() {
            let names: Vec<String> = component.iter().map(name).collect();
            let _ = writeln!(out, "\ncycle {}: {}", n + 1, names.join(", "));
            for from in component {
                for (to, at) in self.edges.get(from).into_iter().flatten() {
                    if component.contains(to) {
                        let _ = writeln!(
                            out,
                            "  {} -> {}   {}:{}  {}",
                            name(from),
                            name(to),
                            at.file,
                            at.line,
                            at.path
                        );
                    }
                }
            }
        }
        out
    }
}

fn name(module: &Module) -> String {
    if module.is_empty() {
        "crate".to_string()
    } else {
        module.join("::")
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `lib.rs` is the root, `a.rs` and `a/mod.rs` are `a`, `a/b.rs` is `a::b`.
fn module_of(relative: &Path) -> Module {
    let mut parts: Module = relative
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") || parts == ["lib"] {
        parts.pop();
    }
    parts
}
