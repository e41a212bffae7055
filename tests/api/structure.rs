//! The shape of the code, checked: top-level modules form no import cycle, the wiring (`app`,
//! `routes`) is imported by nothing below it, and the bulk loader's switch stays in the loader.
//! A cycle means a slice reaches up into something that depends on it, and then nothing can be
//! understood or moved on its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module -> the top-level modules its non-test code names as `crate::x`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules: BTreeSet<String> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned()
        })
        .collect();
    let mut graph = BTreeMap::<String, BTreeSet<String>>::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path
                .strip_prefix(&src)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let top = rel
                .split('/')
                .next()
                .unwrap()
                .trim_end_matches(".rs")
                .to_owned();
            if top == "main" || top == "lib" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            let mut names = BTreeSet::new();
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + 7..];
                if let Some(group) = rest.strip_prefix('{') {
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    names.extend(
                        group
                            .split(',')
                            .map(|n| n.trim().split("::").next().unwrap().to_owned()),
                    );
                } else {
                    names.insert(
                        rest.split(|c: char| !c.is_alphanumeric() && c != '_')
                            .next()
                            .unwrap()
                            .to_owned(),
                    );
                }
            }
            let deps = graph.entry(top.clone()).or_default();
            deps.extend(
                names
                    .into_iter()
                    .filter(|n| *n != top && modules.contains(n)),
            );
        }
    }
    graph
}

#[test]
fn top_level_modules_import_no_cycle() {
    let graph = imports();
    // Repeatedly remove modules that import nothing left; what remains lies on a cycle.
    let mut left = graph.clone();
    loop {
        let leaves: Vec<String> = left
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| !left.contains_key(d)))
            .map(|(m, _)| m.clone())
            .collect();
        if leaves.is_empty() {
            break;
        }
        for m in leaves {
            left.remove(&m);
        }
    }
    assert!(left.is_empty(), "modules on an import cycle: {left:#?}");
    assert!(
        graph["people"].contains("auth"),
        "the scan found no imports: {graph:#?}"
    );
}

#[test]
fn only_the_wiring_imports_app_and_routes() {
    let graph = imports();
    for (module, deps) in &graph {
        for wiring in ["app", "routes"] {
            let allowed = module == "app" && wiring == "routes";
            assert!(
                allowed || !deps.contains(wiring),
                "{module} imports {wiring}: slices import `state`, never the wiring"
            );
        }
    }
}

/// `camau.bulk_load` makes inserts skip their sync notes and rollup refreshes (migration
/// 000023), which the loader then writes itself: only the demo loader may set it.
#[test]
fn only_the_demo_loader_sets_bulk_load() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut stack = vec![src.clone()];
    let mut setters = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let text = std::fs::read_to_string(&path).unwrap();
                if !(text.contains("'camau.bulk_load', 'on'")
                    || text.contains("camau.bulk_load = on"))
                {
                    continue;
                }
                setters.push(path.strip_prefix(&src).unwrap().display().to_string());
            }
        }
    }
    assert_eq!(setters, ["demo/mod.rs"]);
}
