//! One section read as an operation: what it calls, its parameters, bodies, statuses and examples.

use super::blocks::{blocks, Block, Table};
use super::examples::{is_open, read_json, DocExample};
use super::fields::{cell_type, prose_rules, CellType, ProseRules, Scalar};
use super::sections::{Form, Section};
use super::text::{identifier, key, prose, squash};
use regex::Regex;
use std::collections::{HashMap, VecDeque};
use std::sync::LazyLock;

static METHOD_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:-\s*)?(?:URI format:?\s*)?(GET|POST|PUT|DELETE|PATCH|HEAD)\s+(\S.*)$")
        .expect("regex")
});
static STATUS_LINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:-\s*)?status code:?\s*(\d{3})\b\s*(.*)$").expect("regex")
});

/// An operation as the document describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocOperation {
    pub number: Option<String>,
    pub title: String,
    /// 1-based line of the heading.
    pub line: usize,
    pub description: Option<String>,
    pub method: Option<String>,
    pub path: Option<String>,
    pub params: Vec<DocParam>,
    pub body: Option<DocObject>,
    /// Sorted by status.
    pub responses: Vec<DocResponse>,
    pub request_examples: Vec<DocExample>,
    pub response_examples: Vec<DocExample>,
    /// The method and URL the example requests show (compared with the URI line).
    pub example_calls: Vec<(String, String)>,
    /// What the reader saw but could not place, for the maintainer.
    pub leftovers: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Path => "path",
            Location::Query => "query",
            Location::Header => "header",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocParam {
    pub location: Location,
    pub field: DocField,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocField {
    pub name: String,
    pub required: bool,
    pub ty: DocType,
    pub description: String,
    pub rules: ProseRules,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DocType {
    Scalar(Scalar),
    Object(DocObject),
    Array(Box<DocType>),
    Map(Box<DocType>),
}

/// A table of fields: a body, or a nested object named after its table.
#[derive(Debug, Clone, PartialEq)]
pub struct DocObject {
    pub name: String,
    pub fields: Vec<DocField>,
}

impl DocObject {
    /// The documents' standard error body: exactly `error_code` and `error_msg`.
    pub fn is_standard_error(&self) -> bool {
        let mut names: Vec<&str> = self.fields.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        names == ["error_code", "error_msg"]
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct DocResponse {
    pub status: u16,
    pub description: Option<String>,
    pub body: Option<DocObject>,
}

/// Which part of the section the reader is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Preamble,
    Function,
    Uri,
    Request,
    Response,
    ExampleRequest,
    ExampleResponse,
    StatusCodes,
    Other,
}

fn heading(text: &str) -> Option<Part> {
    let lower = text.to_ascii_lowercase();
    Some(match lower.trim_end_matches(':').trim() {
        "function" | "functions" => Part::Function,
        "uri" => Part::Uri,
        "request parameters" | "request parameter" | "request" | "request message" => Part::Request,
        "response parameters"
        | "response parameter"
        | "response"
        | "response message"
        | "- normal response"
        | "normal response" => Part::Response,
        "example request" | "example requests" | "request example" => Part::ExampleRequest,
        "example response" | "example responses" | "response example" => Part::ExampleResponse,
        "status code" | "status codes" => Part::StatusCodes,
        "error code" | "error codes" | "sdk sample code" | "feedback" => Part::Other,
        _ => return None,
    })
}

/// A table as found, with where it was.
struct Placed {
    part: Part,
    status: Option<u16>,
    table: Table,
    used: bool,
}

/// Reads a section as an operation; `None` when it has no URI line (a chapter heading, say).
pub fn read_operation(section: &Section, form: Form) -> Option<DocOperation> {
    let blocks = blocks(&section.lines, form);
    let mut op = DocOperation {
        number: section.number.clone(),
        title: section.title.clone(),
        line: section.line,
        description: None,
        method: None,
        path: None,
        params: Vec::new(),
        body: None,
        responses: Vec::new(),
        request_examples: Vec::new(),
        response_examples: Vec::new(),
        example_calls: Vec::new(),
        leftovers: Vec::new(),
    };
    let mut part = Part::Preamble;
    let mut status: Option<u16> = None;
    let mut description = Vec::new();
    let mut tables: Vec<Placed> = Vec::new();
    let mut statuses: Vec<(u16, Option<String>)> = Vec::new();
    let mut examples = ExampleReader::default();
    let mut path_open = false;
    for block in blocks {
        match block {
            Block::Text(text) => {
                if let Some(p) = heading(&text) {
                    part = p;
                    status = None;
                    path_open = false;
                    continue;
                }
                if let Some(c) = STATUS_LINE.captures(&text) {
                    let code: u16 = c[1].parse().unwrap_or(0);
                    status = Some(code);
                    if part == Part::ExampleResponse {
                        examples.status(code);
                    } else if part != Part::Response && part != Part::StatusCodes {
                        part = Part::Response;
                    }
                    continue;
                }
                match part {
                    Part::Preamble | Part::Function => description.push(text),
                    Part::Uri => uri_line(&mut op, &text, &mut path_open),
                    Part::ExampleRequest | Part::ExampleResponse => {
                        examples.text(&text, part == Part::ExampleRequest)
                    }
                    _ => {}
                }
            }
            Block::Code(lines) => match part {
                Part::ExampleRequest | Part::ExampleResponse => {
                    examples.code(&lines, part == Part::ExampleRequest)
                }
                // Sections in the "Request Message" form print their examples under the tables.
                Part::Request | Part::Response => examples.code(&lines, part == Part::Request),
                // Some sections print the URI line as code.
                Part::Uri => {
                    for line in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
                        uri_line(&mut op, line, &mut path_open);
                    }
                }
                _ => op
                    .leftovers
                    .push("a code block outside the examples".to_string()),
            },
            Block::Table(table) if table.is_status_table() => {
                for row in &table.rows {
                    if let Some(code) = row.first().and_then(|c| c.trim().parse::<u16>().ok()) {
                        statuses.push((code, row.get(1).map(|d| prose(d))));
                    }
                }
            }
            Block::Table(table) => tables.push(Placed {
                part,
                status,
                table,
                used: false,
            }),
        }
    }
    examples.finish();
    op.method.as_ref()?;
    op.description = function_text(&description);
    normalise_path(&mut op);
    let mut reader = TableReader {
        tables,
        form,
        leftovers: Vec::new(),
        responses: Vec::new(),
        web_links: HashMap::new(),
    };
    reader.read(&mut op);
    op.leftovers.append(&mut reader.leftovers);
    op.request_examples = examples.requests;
    op.response_examples = examples.responses;
    op.example_calls = examples.calls;
    op.leftovers.append(&mut examples.leftovers);
    collect_responses(&mut op, statuses, reader.responses);
    Some(op)
}

/// A line of the URI part: the method line, or the rest of a path the page wrapped.
fn uri_line(op: &mut DocOperation, text: &str, path_open: &mut bool) {
    let clean = |t: &str| squash(t).replace([' ', '`'], "");
    if op.method.is_none() {
        if let Some(c) = METHOD_LINE.captures(text) {
            op.method = Some(c[1].to_string());
            op.path = Some(clean(&c[2]));
            *path_open = true;
        }
    } else if *path_open && !text.trim().contains(' ') {
        // Only a path cut at a `/` or inside its query string goes on in the next line.
        let text = clean(text);
        if let Some(p) = op.path.as_mut() {
            if p.ends_with('/') || p.contains('?') || text.starts_with('/') {
                p.push_str(&text);
                return;
            }
        }
        *path_open = false;
    } else {
        *path_open = false;
    }
}

/// The Function text, without the "Before calling this API" boilerplate.
fn function_text(lines: &[String]) -> Option<String> {
    let kept: Vec<String> = lines
        .iter()
        .filter(|l| {
            let lower = l.to_ascii_lowercase();
            !(lower.starts_with("- learn how")
                || lower.starts_with("- obtain the required")
                || lower.starts_with("learn how to")
                || lower.starts_with("obtain the required"))
        })
        .map(|l| {
            l.replace(" Before calling this API:", "")
                .replace("Before calling this API:", "")
        })
        .filter(|l| !l.trim().is_empty())
        .collect();
    let text = prose(&kept.join(" "));
    (!text.is_empty()).then_some(text)
}

/// The URI line's path without host, query string and the spaces the extraction added.
fn normalise_path(op: &mut DocOperation) {
    let Some(path) = op.path.as_mut() else { return };
    if let Some(i) = path.find("://") {
        let rest = &path[i + 3..];
        *path = rest
            .find('/')
            .map_or(String::new(), |j| rest[j..].to_string());
    }
    if let Some(q) = path.find('?') {
        op.leftovers.push(format!(
            "the URI line has a query string `{}`; its parameters come from the tables",
            &path[q..]
        ));
        path.truncate(q);
    }
    // `{projectId}` and `{project_id}` are both printed; the spec keeps what the document says.
}

/// Assembles the status list: the Status Code table, the statuses of the response tables, and
/// those of the examples.
fn collect_responses(
    op: &mut DocOperation,
    statuses: Vec<(u16, Option<String>)>,
    bodies: Vec<(u16, DocObject)>,
) {
    let mut responses: Vec<DocResponse> = Vec::new();
    let mut add = |status: u16, description: Option<String>, body: Option<DocObject>| {
        if let Some(r) = responses.iter_mut().find(|r| r.status == status) {
            if r.description.is_none() {
                r.description = description;
            }
            if r.body.is_none() {
                r.body = body;
            }
        } else {
            responses.push(DocResponse {
                status,
                description,
                body,
            });
        }
    };
    for (status, description) in statuses {
        add(status, description, None);
    }
    for (status, body) in bodies {
        add(status, None, Some(body));
    }
    for example in &op.response_examples {
        if let Some(status) = example.status {
            add(status, example.summary.clone(), None);
        }
    }
    responses.sort_by_key(|r| r.status);
    op.responses = responses;
}

/// Turns the placed tables into parameters and bodies, resolving nested tables.
struct TableReader {
    tables: Vec<Placed>,
    form: Form,
    leftovers: Vec<String>,
    responses: Vec<(u16, DocObject)>,
    /// Web pages print nested tables untitled, in breadth-first order of the fields that refer to
    /// them: (table, row) -> the table that row's object is.
    web_links: HashMap<(usize, usize), usize>,
}

impl TableReader {
    fn read(&mut self, op: &mut DocOperation) {
        let path_names: Vec<String> = op
            .path
            .as_deref()
            .map(|p| {
                p.split('{')
                    .skip(1)
                    .filter_map(|s| s.split('}').next())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        let method = op.method.clone().unwrap_or_default();
        let mut request_root = None;
        let mut response_roots: Vec<(u16, usize)> = Vec::new();
        for i in 0..self.tables.len() {
            let caption = self.tables[i]
                .table
                .caption
                .clone()
                .unwrap_or_default()
                .to_ascii_lowercase();
            let placed = &self.tables[i];
            let is_header_table = placed.table.rows.iter().any(|r| {
                r.first().is_some_and(|c| {
                    let name = identifier(c).to_ascii_lowercase();
                    matches!(
                        name.as_str(),
                        "x-auth-token" | "content-type" | "x-language"
                    )
                })
            });
            let kind = if caption.contains("uri parameter") || caption.contains("path parameter") {
                Some(Location::Path)
            } else if caption.contains("query parameter") {
                Some(Location::Query)
            } else if caption == "request parameters" && matches!(method.as_str(), "GET" | "DELETE")
            {
                // The "Request Message" form lists a GET's query string as "Request parameters".
                Some(Location::Query)
            } else if caption.contains("header parameter")
                || (placed.part == Part::Request && is_header_table && !caption.contains("body"))
            {
                Some(Location::Header)
            } else if placed.part == Part::Uri
                && (placed.table.caption.is_none() || caption == "parameter description")
            {
                Some(Location::Path)
            } else {
                None
            };
            if let Some(location) = kind {
                self.tables[i].used = true;
                let fields = self.fields_at(i, 0);
                for field in fields {
                    let location = match location {
                        Location::Path if !path_names.contains(&field.name) => {
                            self.leftovers.push(format!(
                                "`{}` is listed as a URI parameter but is not in the path: taken as a query parameter",
                                field.name
                            ));
                            Location::Query
                        }
                        other => other,
                    };
                    op.params.push(DocParam { location, field });
                }
                continue;
            }
            let root_caption = caption.contains("request body")
                || caption.contains("response body")
                || caption.contains("response parameter")
                || caption.contains("request parameter");
            // The older template captions every table "Parameter description".
            let untitled = placed.table.caption.is_none() || caption == "parameter description";
            let untitled_root = untitled
                && match placed.part {
                    Part::Request => request_root.is_none(),
                    Part::Response => !response_roots
                        .iter()
                        .any(|(s, _)| Some(*s) == placed.status.or(Some(200))),
                    _ => false,
                };
            if root_caption || untitled_root {
                match placed.part {
                    Part::Response | Part::StatusCodes | Part::ExampleResponse => {
                        response_roots.push((placed.status.unwrap_or(200), i));
                    }
                    _ if caption.contains("response") => {
                        response_roots.push((placed.status.unwrap_or(200), i));
                    }
                    _ => request_root = Some(i),
                }
                self.tables[i].used = true;
            }
        }
        if let Some(i) = request_root {
            op.body = Some(self.object(i, "request body"));
        }
        for (status, i) in response_roots {
            let body = self.object(i, "response body");
            self.responses.push((status, body));
        }
        for placed in self.tables.iter().filter(|p| !p.used) {
            self.leftovers.push(format!(
                "table {:?} was not referred to by any field",
                placed.table.caption.clone().unwrap_or_default()
            ));
        }
    }

    fn object(&mut self, i: usize, what: &str) -> DocObject {
        if self.form == Form::WebPage {
            self.link_web_tables(i);
        }
        let name = self.tables[i]
            .table
            .caption
            .clone()
            .unwrap_or_else(|| what.to_string());
        DocObject {
            name,
            fields: self.fields_at(i, 0),
        }
    }

    /// Breadth-first from `root`, each object field takes the next untitled table.
    fn link_web_tables(&mut self, root: usize) {
        let mut queue = VecDeque::from([root]);
        let mut next = root + 1;
        while let Some(t) = queue.pop_front() {
            let type_col = self.tables[t].table.column(&["Type"]);
            for (r, row) in self.tables[t].table.rows.iter().enumerate() {
                let cell = type_col
                    .and_then(|c| row.get(c))
                    .map_or(String::new(), |c| c.clone());
                if !refers_to_table(&cell_type(&cell)) {
                    continue;
                }
                while next < self.tables.len()
                    && (self.tables[next].used || self.tables[next].table.caption.is_some())
                {
                    next += 1;
                }
                if next >= self.tables.len() || self.tables[next].part != self.tables[t].part {
                    return;
                }
                self.web_links.insert((t, r), next);
                queue.push_back(next);
                next += 1;
            }
        }
    }

    /// The fields of table `i`; nested tables are read as they are referred to.
    fn fields_at(&mut self, i: usize, depth: usize) -> Vec<DocField> {
        self.tables[i].used = true;
        let table = self.tables[i].table.clone();
        let mandatory = table.column(&["Mandatory", "Required"]);
        let type_col = table.column(&["Type"]);
        let desc_col = table.column(&["Description"]);
        let mut fields = Vec::new();
        for (r, row) in table.rows.iter().enumerate() {
            let name = identifier(row.first().map_or("", String::as_str));
            if name.is_empty() || name.eq_ignore_ascii_case("Parameter") {
                continue;
            }
            let cell = |c: Option<usize>| c.and_then(|c| row.get(c)).cloned().unwrap_or_default();
            let description = desc_col.map_or(String::new(), |d| {
                row.get(d..).map_or(String::new(), |cells| cells.join(" "))
            });
            let required = mandatory
                .is_some_and(|c| cell(Some(c)).trim().to_ascii_lowercase().starts_with("yes"));
            let cell_ty = match type_col {
                Some(c) => cell_type(&cell(Some(c))),
                None => {
                    self.leftovers.push(format!(
                        "`{name}`: the table has no Type column; taken as string"
                    ));
                    CellType::Scalar(Scalar::String)
                }
            };
            let ty = self.resolve(&cell_ty, &name, (i, r), depth);
            let scalar = match &ty {
                DocType::Scalar(s) => Some(*s),
                _ => None,
            };
            fields.push(DocField {
                rules: prose_rules(&description, scalar),
                description: prose(&description),
                name,
                required,
                ty,
            });
        }
        fields
    }

    fn resolve(&mut self, ty: &CellType, field: &str, at: (usize, usize), depth: usize) -> DocType {
        match ty {
            CellType::Scalar(s) => DocType::Scalar(*s),
            CellType::ArrayOf(inner) => {
                DocType::Array(Box::new(self.resolve(inner, field, at, depth)))
            }
            CellType::MapOf(inner) => DocType::Map(Box::new(self.resolve(inner, field, at, depth))),
            CellType::Unknown(text) => {
                self.leftovers
                    .push(format!("`{field}`: unknown type `{text}`; taken as string"));
                DocType::Scalar(Scalar::String)
            }
            CellType::Object(name) => {
                if depth > 16 {
                    self.leftovers.push(format!(
                        "`{field}`: nested more than 16 deep; taken as json"
                    ));
                    return DocType::Scalar(Scalar::Json);
                }
                match self.nested(name, field, at) {
                    Some(j) => {
                        let caption = self.tables[j].table.caption.clone();
                        let fields = self.fields_at(j, depth + 1);
                        let name = caption.filter(|c| !c.is_empty()).unwrap_or_else(|| {
                            if name.is_empty() {
                                field.to_string()
                            } else {
                                name.clone()
                            }
                        });
                        DocType::Object(DocObject { name, fields })
                    }
                    None => {
                        if !name.is_empty() {
                            self.leftovers
                                .push(format!("`{field}`: no table for `{name}`; taken as json"));
                        }
                        DocType::Scalar(Scalar::Json)
                    }
                }
            }
        }
    }

    /// The nested table an object field refers to: by the type's name, then by the field's name
    /// (a bare `Object`), preferring the first such table after the referring one on the same
    /// side (request or response).
    fn nested(&self, name: &str, field: &str, at: (usize, usize)) -> Option<usize> {
        if let Some(&j) = self.web_links.get(&at) {
            return Some(j);
        }
        let from = at.0;
        let side = is_response_side(self.tables[from].part);
        let find = |wanted: String| -> Option<usize> {
            if wanted.is_empty() {
                return None;
            }
            let matches: Vec<usize> = (0..self.tables.len())
                .filter(|&j| {
                    j != from
                        && self.tables[j]
                            .table
                            .caption
                            .as_deref()
                            .is_some_and(|c| key(c) == wanted)
                })
                .collect();
            matches
                .iter()
                .find(|&&j| j > from && is_response_side(self.tables[j].part) == side)
                .or_else(|| {
                    matches
                        .iter()
                        .find(|&&j| is_response_side(self.tables[j].part) == side)
                })
                .or_else(|| matches.first())
                .copied()
        };
        find(key(name)).or_else(|| find(key(field)))
    }
}

fn is_response_side(part: Part) -> bool {
    matches!(
        part,
        Part::Response | Part::ExampleResponse | Part::StatusCodes
    )
}

fn refers_to_table(ty: &CellType) -> bool {
    match ty {
        CellType::Object(_) => true,
        CellType::ArrayOf(inner) | CellType::MapOf(inner) => refers_to_table(inner),
        _ => false,
    }
}

/// Whether a line starts a JSON body (and not a URL's `{endpoint}` placeholder).
fn starts_json(line: &str) -> bool {
    line.starts_with('[')
        || line == "{"
        || line.starts_with("{ ")
        || line.starts_with("{\"")
        || line == "{}"
}

/// Collects the example bodies of the two example parts, with their statuses and summaries.
#[derive(Default)]
struct ExampleReader {
    requests: Vec<DocExample>,
    responses: Vec<DocExample>,
    calls: Vec<(String, String)>,
    leftovers: Vec<String>,
    summary: Option<String>,
    status: Option<u16>,
    /// JSON printed as text lines (not fenced) that has not closed yet, and whether it is a request.
    open: Option<(String, bool)>,
    /// Response bodies printed before their status (DWS prints the status after the body).
    waiting: Vec<DocExample>,
}

impl ExampleReader {
    fn status(&mut self, code: u16) {
        self.close();
        self.status = Some(code);
        self.summary = None;
        for mut example in self.waiting.drain(..) {
            example.status = Some(code);
            self.responses.push(example);
        }
    }

    fn text(&mut self, text: &str, request: bool) {
        if let Some((buffer, _)) = self.open.as_mut() {
            buffer.push('\n');
            buffer.push_str(text);
            if !is_open(buffer) {
                self.close();
            }
            return;
        }
        if starts_json(text) {
            self.open = Some((text.to_string(), request));
            if !is_open(text) {
                self.close();
            }
            return;
        }
        if let Some(c) = METHOD_LINE.captures(text) {
            self.calls.push((c[1].to_string(), c[2].replace(' ', "")));
            return;
        }
        if text.eq_ignore_ascii_case("none") || text.eq_ignore_ascii_case("none.") {
            return;
        }
        self.summary = Some(text.to_string());
    }

    fn code(&mut self, lines: &[String], request: bool) {
        // A body a page break split goes on in the next code block.
        if let Some((buffer, _)) = self.open.as_mut() {
            buffer.push('\n');
            buffer.push_str(&lines.join("\n"));
            if !is_open(buffer) {
                self.close();
            }
            return;
        }
        let mut start = lines
            .iter()
            .position(|l| !l.trim().is_empty())
            .unwrap_or(lines.len());
        let mut glued_body = None;
        if let Some(c) = lines
            .get(start)
            .and_then(|l| METHOD_LINE.captures(l.trim()))
        {
            // Some examples print the body's first bracket at the end of the URL line.
            let mut url = c[2].trim_end().to_string();
            if let Some(i) = url
                .rfind([' ', '\t'])
                .filter(|&i| url[i..].trim_start().starts_with(['{', '[']))
            {
                glued_body = Some(url[i..].trim().to_string());
                url.truncate(i);
            } else if url.ends_with('{') || url.ends_with('[') {
                glued_body = url.pop().map(String::from);
            }
            let mut url = url.replace(' ', "");
            start += 1;
            // A URL the page wrapped goes on until a blank line or the body.
            while glued_body.is_none() {
                let Some(t) = lines.get(start).map(|l| l.trim()) else {
                    break;
                };
                if t.is_empty() || starts_json(t) {
                    break;
                }
                url.push_str(&t.replace(' ', ""));
                start += 1;
            }
            self.calls.push((c[1].to_string(), url));
        }
        let mut json = glued_body.map(|b| b + "\n").unwrap_or_default();
        json.push_str(&lines.get(start..).map_or(String::new(), |l| l.join("\n")));
        if json.trim().is_empty() {
            return;
        }
        if is_open(&json) {
            self.open = Some((json, request));
        } else {
            self.add(json, request);
        }
    }

    fn add(&mut self, json: String, request: bool) {
        let (body, repairs) = read_json(&json);
        let example = DocExample {
            status: if request { None } else { self.status },
            summary: self.summary.take(),
            body,
            repairs,
        };
        if request {
            self.requests.push(example);
        } else if self.status.is_some() {
            self.responses.push(example);
        } else {
            self.waiting.push(example);
        }
    }

    fn close(&mut self) {
        if let Some((buffer, request)) = self.open.take() {
            self.add(buffer, request);
        }
    }

    fn finish(&mut self) {
        self.close();
        for mut example in self.waiting.drain(..) {
            self.leftovers
                .push("a response example with no status: taken as 200".to_string());
            example.status = Some(200);
            self.responses.push(example);
        }
    }
}
