//! The dependency rules of ARCHITECTURE.md ("Dependency rules"), checked over
//! the `crate::` paths of every source file of this crate (unit tests left
//! out): the domain never names a web layer nor the shared `Services`, no
//! module below the web layers reaches one through any chain of imports,
//! and no module sits on an import circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

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
    "status",
    "store",
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

/// The top-level modules each top-level module names (`crate::x`, also
/// inside `use crate::{x, y::z}`), leaving out `#[cfg(test)]` modules at
/// the end of a file and comment lines.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect(src, &mut files);
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let first = rel.components().next().unwrap().as_os_str();
        let top = first.to_string_lossy().trim_end_matches(".rs").to_string();
        // The crate root, and the test-only modules (this one quotes paths).
        if matches!(top.as_str(), "lib" | "architecture" | "doc_references") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        let targets = edges.entry(top.clone()).or_default();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for name in names_after_crate(line) {
                if name != top {
                    targets.insert(name);
                }
            }
        }
    }
    edges
}

fn collect(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `crate::payments::x` → `payments`; `crate::{a, b::{c}}` → `a`, `b`.
fn names_after_crate(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in line.match_indices("crate::") {
        let rest = &line[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: those at brace depth 0.
            let mut depth = 0;
            let mut name = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !name.is_empty() {
                            out.push(std::mem::take(&mut name));
                        }
                        at_start = true;
                    }
                    c if depth == 0 && at_start && (c.is_ascii_alphanumeric() || c == '_') => {
                        name.push(c)
                    }
                    _ if depth == 0 && !name.is_empty() => {
                        out.push(std::mem::take(&mut name));
                        at_start = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                out.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// Every module reachable from `from` (not counting `from` itself unless a
/// circle leads back to it).
fn reach(edges: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&str> = edges
        .get(from)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    while let Some(m) = todo.pop() {
        if seen.insert(m.to_string()) {
            todo.extend(edges.get(m).into_iter().flatten().map(String::as_str));
        }
    }
    seen
}

fn edges() -> BTreeMap<String, BTreeSet<String>> {
    graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn the_parser_reads_single_and_grouped_paths() {
    assert_eq!(
        names_after_crate("use crate::store::{Payment, Store};"),
        ["store"]
    );
    assert_eq!(
        names_after_crate("use crate::{ids, payments::{self, x}, state::AppState};"),
        ["ids", "payments", "state"]
    );
    assert_eq!(
        names_after_crate("let a = crate::processor::methods::method(c); crate::ids::x()"),
        ["processor", "ids"]
    );
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
fn nothing_below_the_web_layers_reaches_one() {
    let edges = edges();
    for m in below_web(&edges) {
        let web: Vec<_> = reach(&edges, &m)
            .into_iter()
            .filter(|r| WEB.contains(&r.as_str()) || r == "app")
            .collect();
        assert!(web.is_empty(), "{m} reaches {web:?} through its imports");
    }
}

#[test]
fn no_module_is_on_an_import_circle() {
    let edges = edges();
    let circled: BTreeSet<String> = edges
        .keys()
        .filter(|m| reach(&edges, m).contains(*m))
        .cloned()
        .collect();
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
