//! Formats generated files and writes them, or, in check mode, reports which ones are stale.

use crate::emit::openapi::JSON_MARKER;
use crate::emit::{Contents, OutputFile, MARKDOWN_MARKER, MARKER};
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
    match &file.contents {
        Contents::Rust(tokens) => {
            let syntax: syn::File = syn::parse2(tokens.clone()).map_err(|e| {
                format!(
                    "{}: generated code does not parse: {e}",
                    file.path.display()
                )
            })?;
            Ok(format!(
                "{MARKER}\n\n{}",
                space_items(&prettyplease::unparse(&syntax))
            ))
        }
        Contents::Markdown(text) => Ok(format!("{MARKDOWN_MARKER}\n\n{text}")),
        Contents::Json(value) => serde_json::to_string_pretty(value)
            .map(|text| text + "\n")
            .map_err(|e| format!("{}: {e}", file.path.display())),
    }
}

/// Writes every file whose contents differ (or, with `check`, writes nothing), and removes (or
/// reports) generated files in `owned_dirs` that are no longer produced. Returns the changes.
pub fn sync(
    files: &[OutputFile],
    owned_dirs: &[PathBuf],
    check: bool,
) -> Result<Vec<Change>, String> {
    let mut changes = Vec::new();
    for file in files {
        let contents = render(file)?;
        let change = match fs::read_to_string(&file.path) {
            Ok(existing) if existing == contents => continue,
            Ok(_) => Change::Updated(file.path.clone()),
            Err(_) => Change::Created(file.path.clone()),
        };
        if !check {
            if let Some(parent) = file.path.parent() {
                fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            fs::write(&file.path, contents).map_err(|e| format!("{}: {e}", file.path.display()))?;
        }
        changes.push(change);
    }
    for dir in owned_dirs {
        for path in generated_files_in(dir) {
            if !files.iter().any(|f| f.path == path) {
                if !check {
                    fs::remove_file(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                }
                changes.push(Change::Removed(path));
            }
        }
    }
    Ok(changes)
}

fn is_generated(text: &str) -> bool {
    text.starts_with(MARKER)
        || text.starts_with(MARKDOWN_MARKER)
        || text.starts_with(&format!("{{\n  \"x-generated\": \"{JSON_MARKER}\""))
}

/// Files in `dir` and its subfolders that start with the generated marker.
fn generated_files_in(dir: &Path) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                pending.push(path);
            } else if fs::read_to_string(&path).is_ok_and(|t| is_generated(&t)) {
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
