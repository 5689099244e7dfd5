//! Reads a group file item by item when it does not deserialize as a whole.
//!
//! serde stops at the first unknown key or wrong type of a file, so a file with three bad operations
//! would be reported three runs in a row. When the whole file fails but is well-formed YAML, each
//! operation and type is read again on its own, from its own lines (the spec is written in block
//! style, so an item is the lines from its `- ` to the next line indented as little), padded with
//! blank lines so serde's positions are the file's. Every bad item is reported, the good ones are
//! validated as usual, and what the bad ones name is kept in `Broken` so that checks spanning the
//! service do not report their absence (a type only a bad operation uses is not "unused").

use super::locate::{idx, key, LineIndex};
use super::raw::{GroupFile, RawOperation, RawParamEntry, RawType};
use super::yaml_error::{describe, Located};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::Deserialize;
use serde_yaml::Value;
use std::collections::BTreeSet;

/// What could not be read in a service, for the checks that span all of it.
#[derive(Debug, Default)]
pub struct Broken {
    /// Ids of operations that could not be read or built.
    pub operations: BTreeSet<String>,
    /// Names of types that could not be read or declared.
    pub types: BTreeSet<String>,
    /// Type expressions written in the operations that could not be read: the types they use.
    pub mentions: Vec<String>,
    /// A file of the service is not YAML at all, so what it declares is unknown.
    pub unreadable: bool,
}

impl Broken {
    /// Whether a missing operation `id` may be one that could not be read or built.
    pub fn hides_operation(&self, id: &str) -> bool {
        self.unreadable || self.operations.contains(id)
    }

    /// Adds what another file of the same service could not read.
    pub fn absorb(&mut self, other: Broken) {
        self.operations.extend(other.operations);
        self.types.extend(other.types);
        self.mentions.extend(other.mentions);
        self.unreadable |= other.unreadable;
    }

    /// Notes an operation that was read but did not build: what refers to it, and the types it
    /// would use, are not reported as missing or unused.
    pub fn operation_failed(&mut self, op: &RawOperation) {
        self.operations.insert(op.id.clone());
        self.mentions
            .extend(op.parameters.iter().filter_map(|entry| match entry {
                RawParamEntry::Inline(p) => Some(p.ty.clone()),
                RawParamEntry::Shared(_) => None,
            }));
        self.mentions.extend(op.body.iter().map(|b| b.ty.clone()));
        self.mentions
            .extend(op.responses.iter().filter_map(|r| r.ty.clone()));
    }
}

/// The group file's own keys; its items are read one by one.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    group: String,
    title: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    operations: Vec<IgnoredAny>,
    #[serde(default)]
    #[allow(dead_code)]
    types: Vec<IgnoredAny>,
}

/// Reads `text` item by item after `whole` (the error of reading it at once). Returns the good part
/// of the file, if its header could be read, and every error found.
pub fn group_by_items(
    text: &str,
    index: &LineIndex,
    whole: &serde_yaml::Error,
    broken: &mut Broken,
) -> (Option<GroupFile>, Vec<Located>) {
    let Ok(value) = serde_yaml::from_str::<Value>(text) else {
        broken.unreadable = true;
        return (None, vec![describe(whole, text, "")]);
    };
    let mut errors = Vec::new();
    let header = serde_yaml::from_str::<Header>(text)
        .map_err(|e| errors.push(describe(&e, text, "")))
        .ok();
    let items = |name: &str| {
        value
            .get(name)
            .and_then(Value::as_sequence)
            .cloned()
            .unwrap_or_default()
    };

    let mut operations = Vec::new();
    for (i, item) in items("operations").iter().enumerate() {
        let id = item.get("id").and_then(Value::as_str);
        let subject = match id {
            Some(id) => format!("operation `{id}`"),
            None => format!("operations[{i}]"),
        };
        match read_item::<RawOperation>(text, index, "operations", i, &subject) {
            Some(Ok(op)) if header.is_some() => operations.push(op),
            found => {
                errors.extend(found.and_then(Result::err));
                broken.operations.extend(id.map(str::to_string));
                broken.mentions.extend(type_mentions(item));
            }
        }
    }
    let mut types = Vec::new();
    for (i, item) in items("types").iter().enumerate() {
        let name = item.get("name").and_then(Value::as_str);
        let subject = match name {
            Some(name) => format!("type `{name}`"),
            None => format!("types[{i}]"),
        };
        match read_item::<RawType>(text, index, "types", i, &subject) {
            Some(Ok(ty)) if header.is_some() => types.push(ty),
            found => {
                errors.extend(found.and_then(Result::err));
                broken.types.extend(name.map(str::to_string));
            }
        }
    }
    if errors.is_empty() {
        // The items read alone but not together: say what serde said of the whole.
        errors.push(describe(whole, text, ""));
    }
    let group = header.map(|h| GroupFile {
        group: h.group,
        title: h.title,
        description: h.description,
        operations,
        types,
    });
    (group, errors)
}

/// Item `i` of the list under `list`, read alone. `None` when it is not written in block style.
fn read_item<T: DeserializeOwned>(
    text: &str,
    index: &LineIndex,
    list: &str,
    i: usize,
    subject: &str,
) -> Option<Result<T, Located>> {
    let snippet = item_text(text, index.line(&[key(list), idx(i)]))?;
    Some(serde_yaml::from_str::<T>(&snippet).map_err(|e| describe(&e, text, subject)))
}

/// The lines of the list item starting at `line`, its `-` blanked, after `line - 1` empty lines.
fn item_text(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let first = lines.get(line.checked_sub(1)?)?;
    let dash = first.len() - first.trim_start().len();
    let after_dash = first.trim_start().strip_prefix('-')?;
    if !(after_dash.is_empty() || after_dash.starts_with(' ')) {
        return None;
    }
    let mut snippet = "\n".repeat(line - 1);
    snippet.push_str(&format!("{} {after_dash}\n", &first[..dash]));
    for next in &lines[line..] {
        let trimmed = next.trim_start();
        let is_text = !trimmed.is_empty() && !trimmed.starts_with('#');
        if is_text && next.len() - trimmed.len() <= dash {
            break;
        }
        snippet.push_str(next);
        snippet.push('\n');
    }
    Some(snippet)
}

/// The type expressions an operation writes: of its parameters, body and responses.
fn type_mentions(op: &Value) -> Vec<String> {
    let text = |v: &Value| v.get("type").and_then(Value::as_str).map(str::to_string);
    let list = |name: &str| {
        op.get(name)
            .and_then(Value::as_sequence)
            .map(|items| items.iter().filter_map(text).collect::<Vec<_>>())
            .unwrap_or_default()
    };
    let mut mentions = list("parameters");
    mentions.extend(list("responses"));
    mentions.extend(op.get("body").and_then(text));
    mentions
}
