//! The shape of the code, checked: slices (and the other top-level modules) form no import cycle, the wiring (`app`,
//! `routes`) is imported by nothing below it, and the bulk loader's switch stays in the loader.
//! A cycle means a slice reaches up into something that depends on it, and then nothing can be
//! understood or moved on its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The wings group slices (`src/<wing>/<slice>`): the units of the graph are the slices in them
/// and the other top-level modules.
const WINGS: [&str; 6] = [
    "identity", "outcomes", "plan", "platform", "social", "trust",
];

/// The unit a path below `crate::` names: `plan::goals::model` is `plan/goals`, `auth::x` is
/// `auth`; a group after a wing (`plan::{goals, people}`) names each.
fn units(path: &str) -> Vec<String> {
    let word = |s: &str| {
        s.split(|c: char| !c.is_alphanumeric() && c != '_')
            .next()
            .unwrap()
            .to_owned()
    };
    let first = word(path);
    if !WINGS.contains(&first.as_str()) {
        return vec![first];
    }
    let rest = path[first.len()..].trim_start_matches("::");
    match rest.strip_prefix('{') {
        Some(group) => group[..group.find('}').unwrap_or(group.len())]
            .split(',')
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| format!("{first}/{}", word(n)))
            .collect(),
        None => vec![format!("{first}/{}", word(rest))],
    }
}

/// Unit -> the units its non-test code names as `crate::x`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let name = name.trim_end_matches(".rs");
        if WINGS.contains(&name) {
            for slice in std::fs::read_dir(src.join(name)).unwrap() {
                let slice = slice.unwrap().file_name().to_string_lossy().into_owned();
                if slice != "mod.rs" {
                    modules.insert(format!("{name}/{}", slice.trim_end_matches(".rs")));
                }
            }
        } else {
            modules.insert(name.to_owned());
        }
    }
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
            let top = units(&rel.replace('/', "::")).remove(0);
            let top = top.trim_end_matches(".rs").to_owned();
            if top == "main" || top == "lib" || !modules.contains(&top) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap();
            let mut names = BTreeSet::new();
            for (i, _) in code.match_indices("crate::") {
                let rest = &code[i + 7..];
                if let Some(group) = rest.strip_prefix('{') {
                    let group = &group[..group.find('}').unwrap_or(group.len())];
                    for n in group.split(',') {
                        names.extend(units(n.trim()));
                    }
                } else {
                    names.extend(units(rest));
                }
            }
            // A path into a wing that names no slice of it (a nested group, a re-export through
            // the wing) would hide an edge: fail rather than miss it.
            for n in names.iter().filter(|n| n.contains('/')) {
                assert!(
                    modules.contains(n),
                    "{rel} names `{n}`, no slice: write one `crate::<wing>::<slice>` path per use"
                );
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
        graph["plan/people"].contains("auth"),
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
    assert_eq!(setters, ["platform/demo/mod.rs"]);
}

/// The first sentence of a module's `//!` header, on one line.
fn summary(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let header: Vec<&str> = text
        .lines()
        .take_while(|l| l.starts_with("//!"))
        .map(|l| l.trim_start_matches("//!").trim())
        .collect();
    let header = header.join(" ");
    let end = header
        .match_indices(". ")
        .map(|(i, _)| i + 1)
        // A sentence ends at a full stop before a capital ("Art. 15" and "e.g. x" go on).
        .find(|&i| {
            header[i + 1..]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c == '`')
        })
        .unwrap_or(header.len());
    header[..end].trim().to_owned()
}

/// The tree of `src/` as docs/ARCHITECTURE.md shows it: each top-level module, each wing's
/// slices, and the first sentence of each one's `//!` header.
fn tree() -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let header_of = |path: &Path| {
        if path.is_dir() {
            summary(&path.join("mod.rs"))
        } else {
            summary(path)
        }
    };
    let line = |out: &mut String, indent: usize, name: String, text: String| {
        let mut current = format!("{:indent$}{name:<width$}", "", width = 19 - indent);
        if current.len() > 19 {
            out.push_str(current.trim_end());
            out.push('\n');
            current = " ".repeat(19);
        }
        for word in text.split_whitespace() {
            if current.len() + word.len() + 1 > 100 && !current.trim().is_empty() {
                out.push_str(current.trim_end());
                out.push('\n');
                current = " ".repeat(19);
            }
            if !current.ends_with(' ') {
                current.push(' ');
            }
            current.push_str(word);
        }
        out.push_str(current.trim_end());
        out.push('\n');
    };
    let sorted = |dir: &Path| {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap() != "mod.rs")
            .collect();
        entries.sort();
        entries
    };
    let name = |p: &Path| {
        let n = p.file_name().unwrap().to_string_lossy().into_owned();
        if p.is_dir() { format!("{n}/") } else { n }
    };
    let mut out = String::from("src/\n");
    for path in sorted(&src) {
        if path.is_dir()
            && src
                .join(format!("{}.rs", name(&path).trim_end_matches('/')))
                .exists()
        {
            continue; // a module with its file beside its folder (`openapi.rs`, `openapi/`)
        }
        line(&mut out, 2, name(&path), header_of(&path));
        if WINGS.contains(&name(&path).trim_end_matches('/')) {
            for slice in sorted(&path) {
                line(&mut out, 4, name(&slice), header_of(&slice));
            }
        }
    }
    out
}

/// docs/ARCHITECTURE.md's tree is generated from the modules' headers, so it cannot fall
/// behind the code. `CAMAU_BLESS=1 cargo test --test api architecture` rewrites it.
#[test]
fn the_architecture_doc_shows_the_tree_as_it_is() {
    let doc_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/ARCHITECTURE.md");
    let doc = std::fs::read_to_string(&doc_path).unwrap();
    let (open, close) = ("<!-- tree: generated -->\n```\n", "```\n<!-- /tree -->");
    let start = doc.find(open).expect("the tree's opening marker") + open.len();
    let end = doc.find(close).expect("the tree's closing marker");
    let generated = tree();
    if std::env::var_os("CAMAU_BLESS").is_some() {
        std::fs::write(
            &doc_path,
            format!("{}{generated}{}", &doc[..start], &doc[end..]),
        )
        .unwrap();
        return;
    }
    assert!(generated.contains("  plan/") && generated.contains("    goals/"));
    assert_eq!(
        doc[start..end],
        generated,
        "docs/ARCHITECTURE.md's tree differs from src/: run CAMAU_BLESS=1 cargo test --test api architecture"
    );
}
