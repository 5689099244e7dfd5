//! A section's lines as blocks: text lines, code blocks and tables, in the two text forms.

use super::sections::Form;
use super::text::strip_markup;
use regex::Regex;
use std::sync::LazyLock;

static CAPTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:Status code:\s*(\d{3})\s*)?Table\s+[A-Z]?\d+(?:-\d+)?\s*(.*)$").expect("regex")
});
static WEB_RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\|?(-+\|)+$").expect("regex"));

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A line of text, cleaned of markup; never empty.
    Text(String),
    /// A fenced code block's lines, as they are.
    Code(Vec<String>),
    Table(Table),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The caption after "Table 4-297", if the document gives one.
    pub caption: Option<String>,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The index of the column whose header is one of `names`.
    pub fn column(&self, names: &[&str]) -> Option<usize> {
        self.header
            .iter()
            .position(|h| names.iter().any(|n| h.eq_ignore_ascii_case(n)))
    }

    /// Whether this is a "Status Code / Description" table.
    pub fn is_status_table(&self) -> bool {
        self.header
            .first()
            .is_some_and(|h| h.eq_ignore_ascii_case("Status Code"))
    }
}

/// Splits a section into blocks.
pub fn blocks(lines: &[String], form: Form) -> Vec<Block> {
    match form {
        Form::Reference => reference_blocks(lines),
        Form::WebPage => web_blocks(lines),
    }
}

/// Header words the extraction broke with spaces ("Paramete r", "Mandato ry").
const HEADER_WORDS: &[&str] = &[
    "Parameter",
    "Mandatory",
    "Type",
    "Description",
    "Name",
    "Required",
];

fn header_cells(text: &str) -> Option<Vec<String>> {
    let mut cells: Vec<String> = text
        .split('\t')
        .map(strip_markup)
        .map(|c| {
            let joined: String = c.chars().filter(|c| !c.is_whitespace()).collect();
            HEADER_WORDS
                .iter()
                .find(|w| w.eq_ignore_ascii_case(&joined))
                .map_or(c, |w| w.to_string())
        })
        .collect();
    while cells.last().is_some_and(|c| c.is_empty()) {
        cells.pop();
    }
    let first = cells.first()?.to_ascii_lowercase();
    let field_table = matches!(
        first.as_str(),
        "parameter" | "name" | "parameter name" | "field"
    ) && cells.iter().skip(1).any(|c| {
        ["Type", "Mandatory", "Description"]
            .iter()
            .any(|w| c.eq_ignore_ascii_case(w))
    });
    let status_table = first == "status code" && cells.len() >= 2;
    (cells.len() >= 2 && (field_table || status_table)).then_some(cells)
}

/// Lines that start something else and so end a table.
fn is_marker(text: &str) -> bool {
    const HEADINGS: &[&str] = &[
        "function",
        "uri",
        "request parameters",
        "request parameter",
        "response parameters",
        "response parameter",
        "example request",
        "example requests",
        "example response",
        "example responses",
        "status code",
        "status codes",
        "error code",
        "error codes",
        "none",
        "request",
        "response",
    ];
    let lower = text.to_ascii_lowercase();
    HEADINGS.contains(&lower.trim_end_matches(':'))
        || lower.starts_with("status code:")
        || CAPTION.is_match(text)
        || text.starts_with('{')
        || text.starts_with('[')
        || text.starts_with("```")
}

fn reference_blocks(lines: &[String]) -> Vec<Block> {
    let mut out = Vec::new();
    let mut table: Option<Table> = None;
    let mut caption: Option<String> = None;
    let mut i = 0;
    while i < lines.len() {
        let raw = &lines[i];
        i += 1;
        let text = strip_markup(raw);
        if text.starts_with("```") {
            flush(&mut table, &mut out);
            let mut code = Vec::new();
            while i < lines.len() && !lines[i].trim_start().starts_with("```") {
                code.push(lines[i].clone());
                i += 1;
            }
            i += 1;
            out.push(Block::Code(code));
            continue;
        }
        if let Some(c) = CAPTION.captures(&text) {
            flush(&mut table, &mut out);
            if let Some(status) = c.get(1) {
                out.push(Block::Text(format!("Status code: {}", status.as_str())));
            }
            caption = Some(caption_name(c[2].trim()));
            continue;
        }
        if let Some(header) = header_cells(raw) {
            let continues = caption.is_none()
                && table
                    .as_ref()
                    .is_some_and(|t| t.header.len() == header.len());
            if !continues {
                flush(&mut table, &mut out);
                table = Some(Table {
                    caption: caption.take(),
                    header,
                    rows: Vec::new(),
                });
            }
            continue;
        }
        if text.is_empty() {
            continue;
        }
        if let Some(t) = table.as_mut() {
            if raw.contains('\t') {
                let mut cells: Vec<String> =
                    raw.split('\t').map(|c| c.trim().to_string()).collect();
                while cells.last().is_some_and(|c| c.is_empty()) {
                    cells.pop();
                }
                // A row with no first cell goes on with the description of the row before it.
                let continued = cells.first().is_some_and(|c| c.is_empty());
                if let (true, Some(cell)) =
                    (continued, t.rows.last_mut().and_then(|r| r.last_mut()))
                {
                    for part in cells.iter().filter(|c| !c.is_empty()) {
                        cell.push(' ');
                        cell.push_str(part);
                    }
                } else if !cells.is_empty() && !continued {
                    t.rows.push(cells);
                }
                continue;
            }
            if !is_marker(&text) {
                if let Some(cell) = t.rows.last_mut().and_then(|r| r.last_mut()) {
                    cell.push(' ');
                    cell.push_str(&text);
                    continue;
                }
            }
        }
        flush(&mut table, &mut out);
        if let Some(c) = caption.take() {
            // A caption with no table after it (a lost table): keep it as text.
            out.push(Block::Text(format!("Table {c}")));
        }
        out.push(Block::Text(text));
    }
    flush(&mut table, &mut out);
    out
}

/// A caption without the older template's wording around the name: "charge_info field data
/// structure description" names the table `charge_info`.
fn caption_name(caption: &str) -> String {
    let lower = caption.to_ascii_lowercase();
    for suffix in [
        " field data structure description",
        " data structure description",
        " field description",
        " structure description",
    ] {
        if lower.ends_with(suffix) && lower.len() > suffix.len() {
            return caption[..caption.len() - suffix.len()].trim().to_string();
        }
    }
    caption.to_string()
}

fn flush(table: &mut Option<Table>, out: &mut Vec<Block>) {
    if let Some(t) = table.take() {
        out.push(Block::Table(t));
    }
}

/// Rewrites tables printed one cell a paragraph (a header of single words, then each row's cells
/// on their own lines) as one tab-separated row a line; other lines are kept.
pub fn paragraph_tables(lines: &[&str]) -> Vec<String> {
    let cells: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cells.len() {
        let header: Vec<&str> = cells[i..]
            .iter()
            .filter(|c| !c.is_empty())
            .take_while(|c| HEADER_WORDS.iter().any(|w| w.eq_ignore_ascii_case(c)))
            .copied()
            .collect();
        let is_header = header.len() >= 3
            && matches!(
                header[0].to_ascii_lowercase().as_str(),
                "parameter" | "name"
            );
        if !is_header {
            out.push(lines[i].to_string());
            i += 1;
            continue;
        }
        out.push(header.join("\t"));
        // Skip the header's own lines.
        let mut seen = 0;
        while i < cells.len() && seen < header.len() {
            if !cells[i].is_empty() {
                seen += 1;
            }
            i += 1;
        }
        let mandatory = header.iter().any(|h| h.eq_ignore_ascii_case("Mandatory"));
        let body: Vec<(usize, &str)> = (i..cells.len())
            .map(|k| (k, cells[k]))
            .filter(|(_, c)| !c.is_empty())
            .take_while(|(_, c)| !ends_paragraph_table(c))
            .collect();
        let starts_row = |n: usize| -> bool {
            let Some((_, name)) = body.get(n) else {
                return false;
            };
            let next = body.get(n + 1).map_or("", |(_, c)| *c);
            let identifier =
                !name.contains(' ') && name.chars().next().is_some_and(|c| c.is_alphabetic());
            identifier
                && if mandatory {
                    matches!(next, "Yes" | "No")
                } else {
                    !matches!(
                        super::fields::cell_type(next),
                        super::fields::CellType::Unknown(_)
                    )
                }
        };
        let fixed = if mandatory { 3 } else { 2 };
        let mut n = 0;
        while n < body.len() {
            if !starts_row(n) {
                n += 1;
                continue;
            }
            let mut row: Vec<String> = body[n..(n + fixed).min(body.len())]
                .iter()
                .map(|(_, c)| c.to_string())
                .collect();
            n += fixed;
            let mut description = Vec::new();
            while n < body.len() && !starts_row(n) {
                description.push(body[n].1);
                n += 1;
            }
            row.push(description.join(" "));
            out.push(row.join("\t"));
        }
        i = body.last().map_or(i, |(k, _)| k + 1);
    }
    out
}

/// A line that cannot be a table cell of a paragraph table: it starts the next part.
fn ends_paragraph_table(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    is_marker(text)
        || lower.starts_with("table ")
        || lower.starts_with("status code")
        || matches!(
            lower.as_str(),
            "request parameters" | "response parameters" | "example request" | "example response"
        )
}

/// Web pages print one cell a line, each ending in `|`, with a `---|---|` rule under the header.
fn web_blocks(lines: &[String]) -> Vec<Block> {
    // Some pages put a lone `|` between rows; it carries nothing.
    let lines: Vec<String> = lines.iter().filter(|l| l.trim() != "|").cloned().collect();
    let lines = &lines[..];
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let text = lines[i].trim();
        if text.is_empty() {
            i += 1;
            continue;
        }
        if text.ends_with('|') {
            // A header: cells up to the rule.
            let mut header = Vec::new();
            let mut j = i;
            while j < lines.len()
                && !WEB_RULE.is_match(lines[j].trim())
                && lines[j].trim().ends_with('|')
            {
                header.push(cell(&lines[j]));
                j += 1;
            }
            if j < lines.len() && WEB_RULE.is_match(lines[j].trim()) && !header.is_empty() {
                let columns = header.len();
                j += 1;
                let mut cells: Vec<String> = Vec::new();
                let mut open = String::new();
                while j < lines.len() {
                    let line = lines[j].trim();
                    // Tables follow each other with nothing between: a header and its rule start
                    // the next one.
                    if open.is_empty()
                        && cells.len() % columns == 0
                        && starts_web_table(&lines[j..])
                    {
                        break;
                    }
                    if line.ends_with('|') {
                        open.push_str(&cell(line));
                        cells.push(std::mem::take(&mut open).trim().to_string());
                    } else if !open.is_empty() || cells.len() % columns != 0 {
                        open.push_str(line);
                        open.push(' ');
                    } else {
                        break;
                    }
                    j += 1;
                }
                let rows = cells.chunks(columns).map(<[String]>::to_vec).collect();
                out.push(Block::Table(Table {
                    caption: None,
                    header,
                    rows,
                }));
                i = j;
                continue;
            }
        }
        let text = strip_markup(text);
        if !text.is_empty() {
            out.push(Block::Text(text));
        }
        i += 1;
    }
    out
}

/// Whether `lines` start with a web table's header: cells up to a `---|` rule.
fn starts_web_table(lines: &[String]) -> bool {
    let first = lines
        .first()
        .map(|l| cell(l).to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(
        first.as_str(),
        "parameter" | "name" | "parameter name" | "status code"
    ) {
        return false;
    }
    for line in lines.iter().take(8) {
        let line = line.trim();
        if WEB_RULE.is_match(line) {
            return true;
        }
        if !line.ends_with('|') {
            return false;
        }
    }
    false
}

fn cell(line: &str) -> String {
    strip_markup(line.trim().trim_end_matches('|'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<String> {
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn reference_tables_continue_across_page_breaks() {
        let text = "Table 4-1 URI parameters\n\nParameter\tMandatory\tType\tDescription\na\tYes\tString\tA.\n\nParameter\tMandatory\tType\tDescription\nb\tYes\tString\tB\ncontinued.\nExample Request";
        let blocks = blocks(&lines(text), Form::Reference);
        let Block::Table(t) = &blocks[0] else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.caption.as_deref(), Some("URI parameters"));
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[1][3], "B continued.");
        assert_eq!(blocks[1], Block::Text("Example Request".into()));
    }

    #[test]
    fn web_tables_are_one_cell_a_line() {
        let text = "URI\nParameter |\nType |\n---|---|\nid |\nString |\nname |\nString |\nStatus code: 200";
        let blocks = blocks(&lines(text), Form::WebPage);
        let Block::Table(t) = &blocks[1] else {
            panic!("{blocks:?}")
        };
        assert_eq!(t.rows, vec![vec!["id", "String"], vec!["name", "String"]]);
        assert_eq!(blocks[2], Block::Text("Status code: 200".into()));
    }
}
