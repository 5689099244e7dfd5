//! The IAM actions the TaurusDB reference lists per API (chapter 6.2, "TaurusDB Actions").

use crate::document::{key, Document};

/// One row of the actions table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IamEntry {
    pub title_key: String,
    pub method: String,
    /// The path with parameter names blanked (`/mysql/v3/{}/quotas`): the table spells them
    /// `{projectId}` and `{project_id}` alike.
    pub path_shape: String,
    pub action: String,
}

/// The rows of every section titled "... Actions" whose API column is "METHOD /path".
pub fn entries(doc: &Document) -> Vec<IamEntry> {
    let mut out = Vec::new();
    for section in doc.sections.iter().filter(|s| s.title.ends_with("Actions")) {
        for line in &section.lines {
            let cells: Vec<&str> = line.split('\t').collect();
            if cells.len() < 3 {
                continue;
            }
            let api: String = cells[1].split_whitespace().collect::<Vec<_>>().join(" ");
            let Some((method, path)) = api.split_once(' ') else {
                continue;
            };
            if !matches!(method, "GET" | "POST" | "PUT" | "DELETE" | "PATCH") {
                continue;
            }
            let path: String = path.chars().filter(|c| !c.is_whitespace()).collect();
            let path = path.split('?').next().unwrap_or("").to_string();
            out.push(IamEntry {
                title_key: key(cells[0]),
                method: method.to_string(),
                path_shape: shape(&path),
                action: cells[2].chars().filter(|c| !c.is_whitespace()).collect(),
            });
        }
    }
    out
}

/// A path with its parameter names blanked and any `/mysql` prefix removed.
pub fn shape(path: &str) -> String {
    let path = path.strip_prefix("/mysql").unwrap_or(path);
    let mut out = String::with_capacity(path.len());
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push('{');
            }
            '}' => {
                in_param = false;
                out.push('}');
            }
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

/// The action for an API, where the table lists the same title with the same method and path
/// (apart from the `/mysql` prefix of the APIs it was written for).
pub fn action_for<'a>(
    entries: &'a [IamEntry],
    title: &str,
    method: &str,
    path: &str,
) -> Option<&'a str> {
    let (title_key, path_shape) = (key(title), shape(path));
    entries
        .iter()
        .find(|e| e.title_key == title_key && e.method == method && e.path_shape == path_shape)
        .map(|e| e.action.as_str())
}
