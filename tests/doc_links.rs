//! Every relative link of the generated Markdown reference resolves: the file exists and, for
//! `page.md#anchor`, the page has `<a id="anchor">`.

use std::fs;
use std::path::{Path, PathBuf};

fn markdown_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            markdown_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "md") {
            found.push(path);
        }
    }
}

/// The targets of `[text](target)` links in a Markdown text.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("](") {
        rest = &rest[start + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

fn broken_links(root: &Path) -> (usize, Vec<String>) {
    let mut files = Vec::new();
    markdown_files(root, &mut files);
    let mut checked = 0;
    let mut broken = Vec::new();
    for file in &files {
        let text = fs::read_to_string(file).unwrap_or_default();
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            checked += 1;
            let (page, anchor) = link.split_once('#').unwrap_or((&link, ""));
            let target = if page.is_empty() {
                file.clone()
            } else {
                file.parent().unwrap_or(root).join(page)
            };
            let Ok(target_text) = fs::read_to_string(&target) else {
                broken.push(format!("{}: {link} (no such file)", file.display()));
                continue;
            };
            if !anchor.is_empty() && !target_text.contains(&format!("<a id=\"{anchor}\"></a>")) {
                broken.push(format!("{}: {link} (no such anchor)", file.display()));
            }
        }
    }
    (checked, broken)
}

#[test]
fn every_link_of_the_generated_reference_resolves() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for docs in ["generated/docs", "tests/fixture-crate/docs"] {
        let (checked, broken) = broken_links(&root.join(docs));
        assert!(
            checked > 0,
            "{docs}: no links found; is the reference generated?"
        );
        assert!(
            broken.is_empty(),
            "{} broken link(s) in {docs}:\n{}",
            broken.len(),
            broken.join("\n")
        );
    }
}
