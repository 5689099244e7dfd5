//! Splitting a document into its numbered sections.
//!
//! A reference starts with a table of contents ("4.4.1 Configuring a Same-Region Backup
//! Policy.....\t174"); each entry is then looked for, in order, as a heading in the body. That is
//! sturdier than guessing headings from their form: the body's headings come with and without
//! Markdown marks, bold and tabs. A single web page has no contents and is one section.

use super::text::{key, strip_markup};
use regex::Regex;
use std::sync::LazyLock;

static TOC_ENTRY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\s+(.*?)[\s.]*\t\s*(\d+)?\s*$").expect("regex")
});
static WEB_TABLE_RULE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\|?(-+\|)+\s*$").expect("regex"));

/// Which of the two text forms a document is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A PDF reference as text: table captions, one row a line, cells tab-separated.
    Reference,
    /// A single web page: no captions, one table cell a line ending in `|`.
    WebPage,
}

/// A document split into sections.
#[derive(Debug, Clone)]
pub struct Document {
    pub form: Form,
    pub sections: Vec<Section>,
    /// Contents entries whose heading was not found in the body.
    pub unmatched: Vec<String>,
}

/// One numbered section (or the whole of a web page).
#[derive(Debug, Clone)]
pub struct Section {
    /// `4.4.1`; `None` for a web page.
    pub number: Option<String>,
    pub title: String,
    /// 1-based line of the heading in the document.
    pub line: usize,
    /// The lines after the heading, up to the next heading of any level.
    pub lines: Vec<String>,
}

impl Document {
    pub fn parse(text: &str) -> Document {
        let lines: Vec<&str> = text.lines().collect();
        if lines.iter().any(|l| WEB_TABLE_RULE.is_match(l)) {
            return Document::web_page(&lines);
        }
        let (toc, body_start) = contents(&lines);
        if toc.is_empty() {
            return Document::paragraph_page(&lines);
        }
        let mut sections = Vec::new();
        let mut unmatched = Vec::new();
        let mut cursor = body_start;
        let mut starts = Vec::new();
        for (number, title) in toc {
            match (cursor..lines.len()).find(|&i| is_heading(lines[i], &number, &title)) {
                Some(i) => {
                    starts.push((i, number, title));
                    cursor = i + 1;
                }
                None => unmatched.push(format!("{number} {title}")),
            }
        }
        for (n, (start, number, title)) in starts.iter().enumerate() {
            let end = starts.get(n + 1).map_or(lines.len(), |next| next.0);
            sections.push(Section {
                number: Some(number.clone()),
                title: title.clone(),
                line: start + 1,
                lines: lines[start + 1..end]
                    .iter()
                    .map(|l| l.to_string())
                    .collect(),
            });
        }
        Document {
            form: Form::Reference,
            sections,
            unmatched,
        }
    }

    fn web_page(lines: &[&str]) -> Document {
        let first = lines.iter().position(|l| !l.trim().is_empty()).unwrap_or(0);
        let title = lines
            .get(first)
            .map(|l| strip_markup(l))
            .unwrap_or_default();
        Document {
            form: Form::WebPage,
            sections: vec![Section {
                number: None,
                title,
                line: first + 1,
                lines: lines
                    .iter()
                    .skip(first + 1)
                    .map(|l| l.to_string())
                    .collect(),
            }],
            unmatched: Vec::new(),
        }
    }

    /// A web page whose tables print one cell a paragraph under a "Table 1 ..." caption: the
    /// tables are rewritten as tab-separated rows and the page is read like a reference section.
    fn paragraph_page(lines: &[&str]) -> Document {
        let first = lines
            .iter()
            .position(|l| !l.trim().is_empty() && !l.starts_with("Updated on"))
            .unwrap_or(0);
        let title = lines
            .get(first)
            .map(|l| strip_markup(l))
            .unwrap_or_default();
        Document {
            form: Form::Reference,
            sections: vec![Section {
                number: None,
                title,
                line: first + 1,
                lines: super::blocks::paragraph_tables(&lines[(first + 1).min(lines.len())..]),
            }],
            unmatched: Vec::new(),
        }
    }

    /// The section with this number.
    pub fn section(&self, number: &str) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| s.number.as_deref() == Some(number))
    }
}

/// The table of contents and the index of the first line after it.
fn contents(lines: &[&str]) -> (Vec<(String, String)>, usize) {
    let Some(first) = lines.iter().position(|l| TOC_ENTRY.is_match(l)) else {
        return (Vec::new(), 0);
    };
    let mut toc = Vec::new();
    let mut end = first;
    for (i, line) in lines.iter().enumerate().skip(first) {
        if let Some(c) = TOC_ENTRY.captures(line) {
            toc.push((c[1].to_string(), strip_markup(&c[2])));
            end = i + 1;
        } else if !line.trim().is_empty() {
            break;
        }
    }
    (toc, end)
}

/// Whether `line` is the body heading of the contents entry `number title`. Titles are compared
/// by letters and digits only, and a heading may be cut short where it wrapped.
fn is_heading(line: &str, number: &str, title: &str) -> bool {
    if TOC_ENTRY.is_match(line) {
        return false;
    }
    let text = strip_markup(line);
    let Some(rest) = text.strip_prefix(number) else {
        return false;
    };
    if !rest.starts_with([' ', '\t']) {
        return false;
    }
    let (have, want) = (key(rest), key(title));
    !have.is_empty() && (have == want || (have.len() >= 12 && want.starts_with(&have)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_sections_by_the_contents() {
        let text = "Contents\n4 APIs.....\t10\n4.1 Versions.....\t10\n4.1.1 Querying Versions.....\t11\n\nbody\n4 APIs\n4.1 Versions\n4.1.1 Querying Versions\nFunction\nx\n";
        let doc = Document::parse(text);
        assert_eq!(doc.form, Form::Reference);
        let s = doc.section("4.1.1").unwrap();
        assert_eq!(s.title, "Querying Versions");
        assert_eq!(s.lines, vec!["Function", "x"]);
        assert!(doc.unmatched.is_empty());
    }
}
