//! No module cycle inside `service` or `api`.
//!
//! A cycle between modules (`bom` uses `bom_line`, which uses `bom` again) means neither
//! can be understood, tested or moved without the other. This test reads the sources of
//! each crate, builds the graph of references between its module files and fails on every
//! group of modules that reach each other, naming one reference (file:line and the path
//! as written) for each edge of the group, so it is clear what to move.
//!
//! Print the cycles of both crates (whether or not the test passes) with:
//!
//! ```text
//! cargo test -p tests --test architecture -- --nocapture
//! ```
//!
//! How the graph is made is told in `tests/src/module_graph.rs`.

use tests::module_graph::Graph;

#[test]
fn service_has_no_module_cycle() {
    assert_acyclic("service");
}

#[test]
fn api_has_no_module_cycle() {
    assert_acyclic("api");
}

fn assert_acyclic(krate: &str) {
    let graph = Graph::of(krate);
    let cycles = graph.cycles();
    let report = graph.report(krate, &cycles);
    println!("{report}");
    assert!(cycles.is_empty(), "{report}");
}
