//! `cargo xtask migrate-shared-parameters`: rewrites the group files of a spec folder to use the
//! `shared_parameters` of their service.yaml, line by line, so comments, order and style stay.
//!
//! An operation's parameter written out that equals a shared path parameter is removed (it is
//! implied), unless removing it would move it (implied parameters come first, in path order): then,
//! like one equal to a shared query or header parameter, it becomes `- shared: NAME`. One that
//! differs only in `description`, `required` or `note` becomes a reference with those overrides.
//! Anything else stays as written. The resolved parameters are the same as before, so the
//! generated code is too; running it again changes nothing.

use crate::import::yaml::scalar;
use crate::spec::locate::{idx, key, LineIndex};
use crate::spec::raw::{GroupFile, RawOperation, RawParamEntry, RawParameter, ServiceFile};
use huaweicloud_db_schema::template::{self, Segment};
use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

/// What a migration did, in counts of parameter entries.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Files rewritten.
    pub files: usize,
    /// Entries removed: implied shared path parameters.
    pub removed: usize,
    /// Entries replaced by a plain reference.
    pub referenced: usize,
    /// Entries replaced by a reference with overrides.
    pub overridden: usize,
    /// Entries of a shared parameter's name left written out: they differ in more.
    pub kept: usize,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} files rewritten: {} parameter entries removed (implied), {} replaced by `- shared: NAME`, {} by a reference with overrides; {} left written out (they differ in more than description, required and note)",
            self.files, self.removed, self.referenced, self.overridden, self.kept
        )
    }
}

/// Migrates every service folder under `spec`.
pub fn migrate_dir(spec: &Path) -> Result<Report, String> {
    let mut report = Report::default();
    for service in entries(spec)?.into_iter().filter(|p| p.is_dir()) {
        let text = read(&service.join("service.yaml"))?;
        let meta: ServiceFile = serde_yaml::from_str(&text)
            .map_err(|e| format!("{}: {e}", service.join("service.yaml").display()))?;
        if meta.shared_parameters.is_empty() {
            continue;
        }
        for file in entries(&service)? {
            let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name == "service.yaml" || !name.ends_with(".yaml") {
                continue;
            }
            let text = read(&file)?;
            let (new, counts) = migrate_group(&text, &meta.shared_parameters)
                .map_err(|e| format!("{}: {e}", file.display()))?;
            if new != text {
                fs::write(&file, new).map_err(|e| format!("{}: {e}", file.display()))?;
                report.files += 1;
            }
            report.removed += counts.removed;
            report.referenced += counts.referenced;
            report.overridden += counts.overridden;
            report.kept += counts.kept;
        }
    }
    Ok(report)
}

fn entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut entries = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect::<Vec<_>>();
    entries.sort();
    Ok(entries)
}

fn read(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The `shared_parameters` of the service folder `service`, if its service.yaml reads.
pub fn shared_parameters(service: &Path) -> Vec<RawParameter> {
    fs::read_to_string(service.join("service.yaml"))
        .ok()
        .and_then(|text| serde_yaml::from_str::<ServiceFile>(&text).ok())
        .map(|meta| meta.shared_parameters)
        .unwrap_or_default()
}

/// Operation list items (as `cargo xtask import` drafts them, indented 2) rewritten to use
/// `shared`; unchanged when they do not read as operations.
pub fn migrate_items(operations: &str, shared: &[RawParameter]) -> (String, Report) {
    const HEADER: &str = "group: draft\ntitle: Draft\noperations:\n";
    match migrate_group(&format!("{HEADER}{operations}"), shared) {
        Ok((text, report)) => match text.strip_prefix(HEADER) {
            Some(items) => (items.to_string(), report),
            None => (operations.to_string(), Report::default()),
        },
        Err(_) => (operations.to_string(), Report::default()),
    }
}

/// What becomes of one entry.
enum Change {
    Remove,
    Reference(Vec<(&'static str, String)>),
}

/// The group file `text` rewritten to use `shared`, and what was done.
pub fn migrate_group(text: &str, shared: &[RawParameter]) -> Result<(String, Report), String> {
    let group: GroupFile = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let index = LineIndex::new(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut report = Report::default();
    // (first line index, end line index exclusive, replacement lines)
    let mut edits: Vec<(usize, usize, Vec<String>)> = Vec::new();
    for (i, op) in group.operations.iter().enumerate() {
        let changes = operation_changes(op, shared, &mut report);
        let removes_all = changes.len() == op.parameters.len()
            && changes.iter().all(|(_, c)| matches!(c, Change::Remove));
        if removes_all && !changes.is_empty() {
            // `parameters:` with nothing under it would be null, not an empty list.
            let line = index.line(&[key("operations"), idx(i), key("parameters")]);
            if lines
                .get(line - 1)
                .is_some_and(|l| l.trim() == "parameters:")
            {
                edits.push((line - 1, line, Vec::new()));
            }
        }
        for (n, change) in changes {
            let line = index.line(&[key("operations"), idx(i), key("parameters"), idx(n)]);
            let (start, end) = entry_span(&lines, line)
                .ok_or_else(|| format!("line {line}: parameter entry not in block style"))?;
            let replacement = match change {
                Change::Remove => Vec::new(),
                Change::Reference(overrides) => {
                    let indent = lines[start].len() - lines[start].trim_start().len();
                    reference_lines(indent, op.parameters[n].name(), &overrides)
                }
            };
            edits.push((start, end, replacement));
        }
    }
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    edits.sort_by_key(|(start, ..)| std::cmp::Reverse(*start));
    for (start, end, replacement) in edits {
        out.splice(start..end, replacement);
    }
    let mut new = out.join("\n");
    if text.ends_with('\n') {
        new.push('\n');
    }
    Ok((new, report))
}

/// The entries of `op` to change, by index.
fn operation_changes(
    op: &RawOperation,
    shared: &[RawParameter],
    report: &mut Report,
) -> Vec<(usize, Change)> {
    let mut changes = Vec::new();
    for (n, entry) in op.parameters.iter().enumerate() {
        let RawParamEntry::Inline(param) = entry else {
            continue;
        };
        let Some(def) = shared
            .iter()
            .find(|d| d.name == param.name && d.location == param.location)
        else {
            continue;
        };
        let Some(overrides) = overrides(param, def) else {
            report.kept += 1;
            continue;
        };
        let change = if overrides.is_empty() && def.location == "path" {
            Change::Remove
        } else {
            Change::Reference(overrides)
        };
        changes.push((n, change));
    }
    // Implied parameters come first, in path order: a removal that would move one is a
    // reference instead.
    let names = |removed: &[usize]| -> Vec<&str> {
        let mut order: Vec<&str> = placeholders(&op.path)
            .into_iter()
            .filter(|name| removed.iter().any(|n| op.parameters[*n].name() == *name))
            .collect();
        order.dedup();
        order.extend(
            op.parameters
                .iter()
                .enumerate()
                .filter(|(n, _)| !removed.contains(n))
                .map(|(_, e)| e.name()),
        );
        order
    };
    let removed: Vec<usize> = changes
        .iter()
        .filter(|(_, c)| matches!(c, Change::Remove))
        .map(|(n, _)| *n)
        .collect();
    if names(&removed) != names(&[]) {
        for (_, change) in &mut changes {
            if matches!(change, Change::Remove) {
                *change = Change::Reference(Vec::new());
            }
        }
    }
    for (_, change) in &changes {
        match change {
            Change::Remove => report.removed += 1,
            Change::Reference(o) if o.is_empty() => report.referenced += 1,
            Change::Reference(_) => report.overridden += 1,
        }
    }
    changes
}

/// The path parameters of a template, in order, read in the grammar the validator and the mock
/// follow.
fn placeholders(path: &str) -> Vec<&str> {
    template::segments(path)
        .filter_map(|segment| match template::segment(segment) {
            Segment::Param(name) => Some(name),
            Segment::Literal(_) | Segment::Malformed(_) => None,
        })
        .collect()
}

/// The overrides that turn `def` into `param`, or `None` when they differ in more.
fn overrides(param: &RawParameter, def: &RawParameter) -> Option<Vec<(&'static str, String)>> {
    let mut same = param.clone();
    same.description.clone_from(&def.description);
    same.required = def.required;
    same.note.clone_from(&def.note);
    same.client_setting = def.client_setting;
    if same != *def {
        return None;
    }
    let mut overrides = Vec::new();
    if param.description != def.description {
        // A reference cannot take a description away.
        overrides.push(("description", param.description.clone()?));
    }
    if param.required != def.required {
        overrides.push(("required", param.required.to_string()));
    }
    if param.note != def.note {
        overrides.push(("note", param.note.clone()?));
    }
    Some(overrides)
}

/// The lines of a list item starting at line `line` (1-based): `(start, end)` as 0-based indexes,
/// without the comments and blank lines that follow it (they belong to what comes next).
fn entry_span(lines: &[&str], line: usize) -> Option<(usize, usize)> {
    let start = line.checked_sub(1)?;
    let first = lines.get(start)?;
    let dash = first.len() - first.trim_start().len();
    if !first.trim_start().starts_with("- ") {
        return None;
    }
    let mut end = start + 1;
    let mut last_text = start + 1;
    while let Some(next) = lines.get(end) {
        let trimmed = next.trim_start();
        let is_text = !trimmed.is_empty() && !trimmed.starts_with('#');
        if is_text {
            if next.len() - trimmed.len() <= dash {
                break;
            }
            last_text = end + 1;
        }
        end += 1;
    }
    Some((start, last_text))
}

/// `- shared: NAME` at `indent`, with its overrides: one flow line when it fits, else a block.
fn reference_lines(indent: usize, name: &str, overrides: &[(&str, String)]) -> Vec<String> {
    let pad = " ".repeat(indent);
    if overrides.is_empty() {
        return vec![format!("{pad}- shared: {name}")];
    }
    let flow: Vec<String> = overrides
        .iter()
        .map(|(k, v)| format!("{k}: {}", flow_scalar(k, v)))
        .collect();
    let line = format!("{pad}- {{shared: {name}, {}}}", flow.join(", "));
    if line.len() <= 110 {
        return vec![line];
    }
    let mut out = format!("{pad}- shared: {name}\n");
    for (k, v) in overrides {
        if *k == "required" {
            out.push_str(&format!("{pad}  {k}: {v}\n"));
        } else {
            crate::import::yaml::text_entry(&mut out, indent + 2, k, v);
        }
    }
    out.lines().map(str::to_string).collect()
}

/// A value inside a flow mapping: plain when YAML reads it back as the same text, else
/// double-quoted (a JSON string is a YAML double-quoted scalar).
fn flow_scalar(key: &str, value: &str) -> String {
    if key == "required" {
        return value.to_string();
    }
    let plain = scalar(value) == value
        && !value.contains([',', '[', ']', '{', '}', '#', '"', '\''])
        && !value.contains(": ");
    if plain {
        value.to_string()
    } else {
        serde_json::to_string(value).unwrap_or_else(|_| format!("{value:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared() -> Vec<RawParameter> {
        serde_yaml::from_str(
            "- {name: project_id, in: path, type: string, required: true, description: Project ID.}\n\
             - {name: X-Language, in: header, type: string, enum: [en-us, zh-cn], default: en-us, description: Language.}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"))
    }

    const GROUP: &str = "\
group: g
title: G
operations:
  - id: a
    section: \"1.1\"
    summary: A
    method: GET
    path: /v3/{project_id}/things/{id}
    parameters:
      - {name: project_id, in: path, type: string, required: true, description: Project ID.}
      - {name: id, in: path, type: string, required: true}
      # the header, as documented
      - name: X-Language
        in: header
        type: string
        enum: [en-us, zh-cn]
        default: en-us
        description: Request language, with a comma.
        required: true
      - {name: X-Language, in: query, type: string}
    responses:
      - {status: 200}
  - id: b
    section: \"1.2\"
    summary: B
    method: GET
    path: /v3/{project_id}/things/{id}/x
    parameters:
      - {name: id, in: path, type: string, required: true}
      - {name: project_id, in: path, type: string, required: true, description: Project ID.}
      - {name: X-Language, in: header, type: string, enum: [en-us, zh-cn], default: en-us, description: Language.}
    responses:
      - {status: 200}
  - id: c
    section: \"1.3\"
    summary: C
    method: GET
    path: /v3/{project_id}/things
    parameters:
      - {name: project_id, in: path, type: string, required: true, description: Project ID.}
    responses:
      - {status: 200}
";

    #[test]
    fn removes_implied_references_the_rest_and_keeps_comments() {
        let (out, report) = migrate_group(GROUP, &shared()).unwrap_or_else(|e| panic!("{e}"));
        let expected = GROUP
            .replace(
                "      - {name: project_id, in: path, type: string, required: true, description: Project ID.}\n      - {name: id",
                "      - {name: id",
            )
            .replace(
                "      - name: X-Language\n        in: header\n        type: string\n        enum: [en-us, zh-cn]\n        default: en-us\n        description: Request language, with a comma.\n        required: true\n",
                "      - {shared: X-Language, description: \"Request language, with a comma.\", required: true}\n",
            )
            .replace(
                "      - {name: project_id, in: path, type: string, required: true, description: Project ID.}\n      - {name: X-Language, in: header, type: string, enum: [en-us, zh-cn], default: en-us, description: Language.}\n",
                "      - shared: project_id\n      - shared: X-Language\n",
            )
            .replace(
                "    parameters:\n      - {name: project_id, in: path, type: string, required: true, description: Project ID.}\n    responses:",
                "    responses:",
            );
        assert_eq!(out, expected);
        assert_eq!(
            report,
            Report {
                files: 0,
                removed: 2,
                referenced: 2,
                overridden: 1,
                kept: 0,
            }
        );
        let (again, report) = migrate_group(&out, &shared()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, out, "a second run changes nothing");
        assert_eq!(report, Report::default());
    }

    #[test]
    fn drafted_items_use_the_shared_parameters_too() {
        let items = GROUP
            .split_once("operations:\n")
            .map_or("", |(_, items)| items);
        let (out, report) = migrate_items(items, &shared());
        assert!(out.starts_with("  - id: a\n"), "{out}");
        assert!(out.contains("      - shared: X-Language\n"), "{out}");
        assert_eq!(report.removed, 2);
        let (unreadable, report) = migrate_items("  - id: [\n", &shared());
        assert_eq!(
            (unreadable.as_str(), report),
            ("  - id: [\n", Report::default())
        );
    }
}
