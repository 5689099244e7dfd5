//! Formats generated files and writes them, or, in check mode, reports which ones are stale.

use crate::emit::openapi::JSON_MARKER;
use crate::emit::{Contents, OutputFile, MARKDOWN_MARKER, MARKER};
use crate::format_cache::Key;
use std::collections::{BTreeSet, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

/// What a run did or would do to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Created(PathBuf),
    Updated(PathBuf),
    /// A generated file (it starts with the marker) that nothing generates any more.
    Removed(PathBuf),
}

/// What a run did, as progress: `created`, `updated`, `removed`.
impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Created(p) => write!(f, "created {}", p.display()),
            Change::Updated(p) => write!(f, "updated {}", p.display()),
            Change::Removed(p) => write!(f, "removed {} (no longer generated)", p.display()),
        }
    }
}

impl Change {
    /// What `--check` found wrong with the file, for its failure list.
    pub fn out_of_date(&self) -> String {
        match self {
            Change::Created(p) => format!("{}: missing (would be created)", p.display()),
            Change::Updated(p) => format!("{}: differs from what the spec generates", p.display()),
            Change::Removed(p) => {
                format!("{}: no longer generated (would be removed)", p.display())
            }
        }
    }
}

/// The final text of a file: the marker line, then the formatted code or the text.
pub fn render(file: &OutputFile) -> Result<String, String> {
    into_text(file.clone())
}

/// [`render`], consuming the file: syn then takes the tokens over instead of copying them.
pub fn into_text(file: OutputFile) -> Result<String, String> {
    match file.contents {
        Contents::Rust(tokens) => rust_text(&file.path, tokens),
        Contents::Markdown(text) => Ok(format!("{MARKDOWN_MARKER}\n\n{text}")),
        Contents::Json(value) => serde_json::to_string_pretty(&value)
            .map(|text| text + "\n")
            .map_err(|e| format!("{}: {e}", file.path.display())),
    }
}

/// The final text of the Rust file at `path`: the marker line, then the tokens formatted.
pub fn rust_text(path: &Path, tokens: proc_macro2::TokenStream) -> Result<String, String> {
    let syntax: syn::File = syn::parse2(tokens)
        .map_err(|e| format!("{}: generated code does not parse: {e}", path.display()))?;
    Ok(format!(
        "{MARKER}\n\n{}",
        space_items(&prettyplease::unparse(&syntax))
    ))
}

/// A file's path and its final text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub path: PathBuf,
    pub text: String,
    /// For Rust, the key of the tokens the text was formatted from, for the next run's cache.
    pub formatted_from: Option<Key>,
}

/// Writes every file whose contents differ (or, with `check`, writes nothing), and removes (or
/// reports) generated files in `owned_dirs` that are no longer produced. Returns the changes.
pub fn sync(
    files: &[Rendered],
    owned_dirs: &[PathBuf],
    check: bool,
) -> Result<Vec<Change>, String> {
    // Each file is compared (and written) on its own, so the files are spread over the cores.
    let synced = crate::parallel::map(files, |file| sync_one(file, check));
    let mut changes = Vec::new();
    for change in synced {
        changes.extend(change?);
    }
    let produced: HashSet<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    // A set: owned folders nest (`docs/` and `docs/<service>/`), and a stale file is said once.
    let stale: BTreeSet<PathBuf> = owned_dirs
        .iter()
        .flat_map(|dir| stale_files_in(dir, &produced))
        .collect();
    for path in stale {
        if !check {
            fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        changes.push(Change::Removed(path));
    }
    Ok(changes)
}

/// Writes `file` unless it already holds these bytes (with `check`, writes nothing); what changed.
fn sync_one(file: &Rendered, check: bool) -> Result<Option<Change>, String> {
    let change = match fs::read(&file.path) {
        Ok(existing) if existing == file.text.as_bytes() => return Ok(None),
        Ok(_) => Change::Updated(file.path.clone()),
        Err(_) => Change::Created(file.path.clone()),
    };
    if !check {
        if let Some(parent) = file.path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&file.path, &file.text).map_err(|e| format!("{}: {e}", file.path.display()))?;
    }
    Ok(Some(change))
}

fn is_generated(text: &str) -> bool {
    text.starts_with(MARKER)
        || text.starts_with(MARKDOWN_MARKER)
        || text.starts_with(&format!("{{\n  \"x-generated\": \"{JSON_MARKER}\""))
}

/// Files in `dir` and its subfolders that start with the generated marker and are not in
/// `produced`. Only those are read: the produced ones are never stale.
fn stale_files_in(dir: &Path, produced: &HashSet<&Path>) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                pending.push(path);
            } else if !produced.contains(path.as_path())
                && fs::read_to_string(&path).is_ok_and(|t| is_generated(&t))
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
}

/// prettyplease puts items right under each other; a blank line after each block, after the
/// module docs and after the imports makes the files read like hand-written code.
fn space_items(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::with_capacity(code.len() + code.len() / 8);
    let is_use = |l: &str| l.starts_with("use ") || l.starts_with("pub use ");
    // Inside a `use` that prettyplease spread over several lines.
    let mut in_use = false;
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let this = line.trim();
        let ends_use = (in_use || is_use(this)) && this.ends_with(';');
        in_use = (in_use || is_use(this)) && !this.ends_with(';');
        let Some(next) = lines.get(i + 1).map(|l| l.trim()) else {
            continue;
        };
        let closes_block = (this == "}" || this == "};")
            && !(next.is_empty()
                || next.starts_with(['}', ')', ']'])
                || next.starts_with("else")
                || is_use(next)
                || next.starts_with("_ =>"));
        let ends_header = (this.starts_with("//!") && !next.starts_with("//!"))
            || (ends_use && !is_use(next) && !next.is_empty());
        if closes_block || ends_header {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod change_tests {
    use super::Change;

    #[test]
    fn changes_read_as_progress_when_written_and_as_problems_when_checked() {
        let file = || "generated/src/dws/mod.rs".into();
        assert_eq!(
            Change::Updated(file()).to_string(),
            "updated generated/src/dws/mod.rs"
        );
        assert_eq!(
            Change::Created(file()).to_string(),
            "created generated/src/dws/mod.rs"
        );
        assert_eq!(
            Change::Removed(file()).to_string(),
            "removed generated/src/dws/mod.rs (no longer generated)"
        );
        assert_eq!(
            Change::Updated(file()).out_of_date(),
            "generated/src/dws/mod.rs: differs from what the spec generates"
        );
    }
}

#[cfg(test)]
mod sync_tests {
    use super::{sync, Change, Rendered, MARKDOWN_MARKER};
    use std::fs;
    use std::path::Path;

    fn page(path: &Path, body: &str) -> Rendered {
        Rendered {
            path: path.to_path_buf(),
            text: format!("{MARKDOWN_MARKER}\n\n{body}"),
            formatted_from: None,
        }
    }

    #[test]
    fn writes_what_differs_and_removes_a_stale_file_of_nested_owned_folders_once() {
        let root = std::env::temp_dir().join(format!("codegen-sync-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        let (docs, service) = (root.join("docs"), root.join("docs/dws"));
        let (same, changed, new) = (
            docs.join("README.md"),
            service.join("a.md"),
            service.join("b.md"),
        );
        let (stale, hand_written) = (service.join("old.md"), service.join("notes.md"));
        fs::create_dir_all(&service).unwrap();
        fs::write(&same, page(&same, "same").text).unwrap();
        fs::write(&changed, page(&changed, "before").text).unwrap();
        fs::write(&stale, page(&stale, "gone").text).unwrap();
        fs::write(&hand_written, "kept: no marker").unwrap();
        let files = [
            page(&same, "same"),
            page(&changed, "after"),
            page(&new, "new"),
        ];
        let owned = [docs.clone(), service.clone()];

        let checked = sync(&files, &owned, true).unwrap();
        let expected = vec![
            Change::Updated(changed.clone()),
            Change::Created(new.clone()),
            Change::Removed(stale.clone()),
        ];
        assert_eq!(checked, expected);
        assert!(stale.exists() && !new.exists(), "a check writes nothing");

        assert_eq!(sync(&files, &owned, false).unwrap(), expected);
        for file in &files {
            assert_eq!(fs::read_to_string(&file.path).unwrap(), file.text);
        }
        assert!(!stale.exists());
        assert!(hand_written.exists());
        assert_eq!(sync(&files, &owned, false).unwrap(), vec![]);
        fs::remove_dir_all(&root).unwrap();
    }
}
