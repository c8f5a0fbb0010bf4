//! The dependency rules of ARCHITECTURE.md ("Dependency rules"), checked over
//! the `crate::` paths of every source file of this crate (unit tests left
//! out): the domain never names a web layer nor the shared `Services`, no
//! web layer names `Services` or `app` either (each takes its own state), no
//! module below the web layers reaches one through any chain of imports,
//! and no module sits on an import circle. The store and the state machine
//! table (`store`, `status`) are the crate `cashier-store` below this one,
//! so the compiler keeps them from naming any of it; that crate's own
//! `architecture` test checks its modules for circles with the same graph
//! (`cashier_test_support::modules`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use cashier_test_support::modules;

/// The layers that speak HTTP to merchants, buyers and operators.
const WEB: &[&str] = &[
    "api",
    "checkout",
    "dashboard",
    "openapi",
    "sandbox",
    "telemetry",
];

/// The payments domain: it takes narrow ports, never `state::Services`.
const DOMAIN: &[&str] = &[
    "merchant_cache",
    "merchants",
    "notify",
    "payments",
    "processor",
    "reports",
    "settlement",
];

/// Everything the web layers stand on (the domain included); only the web
/// layers and `app`, which composes everything, are left out.
fn below_web(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    edges
        .keys()
        .filter(|m| !WEB.contains(&m.as_str()) && m.as_str() != "app")
        .cloned()
        .collect()
}

fn edges() -> BTreeMap<String, BTreeSet<String>> {
    // The crate root, and the test-only modules (this one quotes paths).
    modules::graph(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &["lib", "architecture", "doc_references"],
    )
}

#[test]
fn the_domain_names_no_web_layer_and_not_the_shared_state() {
    let edges = edges();
    for m in DOMAIN {
        let named: Vec<_> = edges[*m]
            .iter()
            .filter(|t| WEB.contains(&t.as_str()) || *t == "state" || *t == "app")
            .collect();
        assert!(
            named.is_empty(),
            "the domain module {m} imports {named:?}: it takes narrow ports instead"
        );
    }
}

#[test]
fn no_web_layer_names_the_shared_state() {
    let edges = edges();
    for m in WEB {
        assert!(
            !edges[*m].contains("state") && !edges[*m].contains("app"),
            "the web layer {m} imports `state` or `app`: it takes its own state, built by `app::WebState::new`"
        );
    }
}

#[test]
fn nothing_below_the_web_layers_reaches_one() {
    let edges = edges();
    for m in below_web(&edges) {
        let web: Vec<_> = modules::reach(&edges, &m)
            .into_iter()
            .filter(|r| WEB.contains(&r.as_str()) || r == "app")
            .collect();
        assert!(web.is_empty(), "{m} reaches {web:?} through its imports");
    }
}

#[test]
fn no_module_is_on_an_import_circle() {
    let circled = modules::on_a_circle(&edges());
    assert!(
        circled.is_empty(),
        "modules on an import circle: {circled:?}"
    );
}

#[test]
fn the_lists_name_real_modules() {
    let edges = edges();
    for m in WEB.iter().chain(DOMAIN) {
        assert!(edges.contains_key(*m), "{m} is not a module of this crate");
    }
}
