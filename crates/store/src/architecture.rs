//! The store's part of the dependency rules of ARCHITECTURE.md ("Dependency
//! rules"): no module of this crate sits on an import circle, read from the
//! `crate::` paths of its sources (unit tests left out) with the same graph
//! as the gateway's check (`cashier_test_support::modules`). That the store
//! names nothing of the gateway needs no test: it is a crate below it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cashier_test_support::modules;

fn edges() -> BTreeMap<String, BTreeSet<String>> {
    // The crate root re-exports every module, and this one quotes paths.
    modules::graph(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &["lib", "architecture"],
    )
}

#[test]
fn no_module_is_on_an_import_circle() {
    assert_eq!(
        modules::on_a_circle(&edges()),
        BTreeSet::new(),
        "modules on an import circle"
    );
}

/// The graph is read from the real modules (so the check above cannot pass
/// on an empty one): both backends and the concerns they implement.
#[test]
fn the_graph_names_the_backends_and_the_concerns() {
    let edges = edges();
    for backend in ["sqlite", "postgres"] {
        for concern in ["payments", "outbox", "merchants", "status"] {
            assert!(
                edges[backend].contains(concern),
                "{backend} does not name {concern}"
            );
        }
    }
}
