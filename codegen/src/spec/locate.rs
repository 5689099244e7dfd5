//! Maps paths inside a YAML document (`operations[2].parameters[0].type`) to line numbers.
//!
//! serde_yaml gives locations for syntax and shape errors but not for the values it deserializes,
//! and the validator needs a line for everything it reports. The spec is written in block style, so
//! an indentation-aware scan of the text finds the line of every mapping key and sequence item. Flow
//! style (`{a: 1}`) is not indexed inside; a lookup then falls back to the nearest indexed ancestor,
//! which is still the right line.

use std::collections::HashMap;

/// One step of a path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// Builds a path from segments: `path!["operations", 2, "id"]`-like, without a macro.
pub fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

pub fn idx(i: usize) -> Seg {
    Seg::Index(i)
}

/// Line numbers of every block-style node of one YAML text.
#[derive(Debug, Default)]
pub struct LineIndex {
    lines: HashMap<Vec<Seg>, usize>,
}

struct Frame {
    indent: usize,
    seg: Seg,
    is_item: bool,
    /// Number of items seen so far in the sequence under this frame.
    items: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut index = LineIndex::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut root_items = 0usize;
        // While inside a block scalar (`|`, `>`), lines indented deeper than this are text.
        let mut block_scalar_indent: Option<usize> = None;

        for (number, raw_line) in text.lines().enumerate() {
            let line_no = number + 1;
            let trimmed = raw_line.trim_start();
            let indent = raw_line.len() - trimmed.len();
            if trimmed.is_empty() {
                continue;
            }
            if let Some(limit) = block_scalar_indent {
                if indent > limit {
                    continue;
                }
                block_scalar_indent = None;
            }
            if trimmed.starts_with('#') || trimmed.starts_with("---") {
                continue;
            }

            let mut column = indent;
            let mut rest = trimmed;
            // A sequence item, possibly followed by a key on the same line (`- name: x`).
            while let Some(after_dash) =
                rest.strip_prefix("- ")
                    .or(if rest == "-" { Some("") } else { None })
            {
                while stack
                    .last()
                    .is_some_and(|f| f.indent > column || (f.is_item && f.indent == column))
                {
                    stack.pop();
                }
                let position = match stack.last_mut() {
                    Some(parent) => {
                        parent.items += 1;
                        parent.items - 1
                    }
                    None => {
                        root_items += 1;
                        root_items - 1
                    }
                };
                stack.push(Frame {
                    indent: column,
                    seg: Seg::Index(position),
                    is_item: true,
                    items: 0,
                });
                index.record(&stack, line_no);
                let stripped = after_dash.trim_start();
                column += 2 + (after_dash.len() - stripped.len());
                rest = stripped;
            }

            if let Some((name, value)) = split_key(rest) {
                while stack.last().is_some_and(|f| f.indent >= column) {
                    stack.pop();
                }
                stack.push(Frame {
                    indent: column,
                    seg: Seg::Key(name),
                    is_item: false,
                    items: 0,
                });
                index.record(&stack, line_no);
                let value = value.trim();
                if value.starts_with('|') || value.starts_with('>') {
                    block_scalar_indent = Some(column);
                }
            }
        }
        index
    }

    fn record(&mut self, stack: &[Frame], line: usize) {
        let path: Vec<Seg> = stack.iter().map(|f| f.seg.clone()).collect();
        self.lines.entry(path).or_insert(line);
    }

    /// The line of the node at `path`, or of its nearest indexed ancestor; 1 if none is indexed.
    pub fn line(&self, path: &[Seg]) -> usize {
        (0..=path.len())
            .rev()
            .find_map(|n| self.lines.get(&path[..n]).copied())
            .unwrap_or(1)
    }
}

/// Splits `key: value` (or `key:`) into its key, unquoted, and the rest. `None` for lines that are
/// not a mapping key (scalars, flow collections, continuation lines).
pub(crate) fn split_key(line: &str) -> Option<(String, &str)> {
    let (name, rest) = if let Some(quote) = line.chars().next().filter(|c| *c == '"' || *c == '\'')
    {
        let end = line[1..].find(quote)? + 1;
        (line[1..end].to_string(), &line[end + 1..])
    } else {
        if line.starts_with(['{', '[', '&', '*', '!', '|', '>']) {
            return None;
        }
        let colon = line
            .find(": ")
            .or_else(|| line.strip_suffix(':').map(|s| s.len()))?;
        (line[..colon].trim_end().to_string(), &line[colon..])
    };
    let value = rest.strip_prefix(':')?;
    if !(value.is_empty() || value.starts_with(' ')) {
        return None;
    }
    Some((name, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "\
group: g
operations:
  - id: a
    parameters:
      - name: p
        in: path
  - id: b
    description: |
      text: not a key
      - not an item
    responses:
    - status: 200
      type: X
types:
  - name: X
    fields: [{name: f, type: string}]
";

    #[test]
    fn finds_keys_and_items() {
        let index = LineIndex::new(TEXT);
        assert_eq!(index.line(&[key("group")]), 1);
        assert_eq!(index.line(&[key("operations"), idx(0), key("id")]), 3);
        assert_eq!(
            index.line(&[
                key("operations"),
                idx(0),
                key("parameters"),
                idx(0),
                key("in")
            ]),
            6
        );
        assert_eq!(index.line(&[key("operations"), idx(1)]), 7);
        assert_eq!(
            index.line(&[
                key("operations"),
                idx(1),
                key("responses"),
                idx(0),
                key("type")
            ]),
            13
        );
        assert_eq!(index.line(&[key("types"), idx(0), key("name")]), 15);
    }

    #[test]
    fn falls_back_to_ancestors() {
        let index = LineIndex::new(TEXT);
        assert_eq!(
            index.line(&[key("types"), idx(0), key("fields"), idx(0)]),
            16
        );
        assert_eq!(index.line(&[key("nothing")]), 1);
    }
}
