//! `cargo xtask import`: drafts of spec operations from a reference document.
//!
//! A draft is a starting point for review, never the spec itself: every section read becomes an
//! operation with its parameters, body and response types, value rules taken from the prose,
//! examples (repaired where that is safe) and a `note` listing what was repaired and what the
//! reader could not place. The report counts all of it, so nothing is dropped silently.

mod iam;
pub(crate) mod yaml;

use crate::document::{
    DocField, DocObject, DocOperation, DocType, Document, Location, Scalar, AUTH_HEADERS,
};
use crate::names::{camel, operation_id_from_title, type_name_from_caption};
pub use iam::{entries as iam_entries, IamEntry};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use yaml::insert_into;

/// What the spec already has, so drafts reuse its types and do not take its ids.
#[derive(Debug, Default, Clone)]
pub struct Existing {
    pub ids: BTreeSet<String>,
    /// Type name -> its fields as (name, type expression, required).
    pub types: BTreeMap<String, Vec<(String, String, bool)>>,
}

/// How to draft.
#[derive(Debug, Clone)]
pub struct Options {
    pub service: String,
    /// Name of a web page document, for `page:` instead of `section:`.
    pub page: Option<String>,
    /// Sections under these chapters are deprecated (TaurusDB's "APIs (Unavailable Soon)").
    pub deprecated_chapters: Vec<String>,
    pub iam: Vec<IamEntry>,
}

impl Options {
    /// Options for a document: chapters titled "... (Unavailable Soon)" are deprecated, and the
    /// IAM actions table is read from it.
    pub fn for_document(service: &str, doc: &Document, page: Option<String>) -> Options {
        let deprecated_chapters = doc
            .sections
            .iter()
            .filter(|s| s.title.contains("Unavailable Soon") || s.title.contains("Deprecated"))
            .filter_map(|s| s.number.clone())
            .collect();
        Options {
            service: service.to_string(),
            page,
            deprecated_chapters,
            iam: iam::entries(doc),
        }
    }
}

/// Drafted YAML (list items for the `operations` and `types` blocks) and what was done.
#[derive(Debug, Default, Clone)]
pub struct Draft {
    pub operations: String,
    pub types: String,
    pub report: Report,
}

/// The counts the import prints, and the items left for the maintainer.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Report {
    pub sections: usize,
    pub operations: Vec<String>,
    pub fields: usize,
    pub examples_read: usize,
    pub examples_unread: usize,
    pub constraints: usize,
    pub types_reused: usize,
    /// "4.4.3: ..." for each thing that needs hand work.
    pub hand_work: Vec<String>,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(
            f,
            "{} sections, {} operations, {} fields, {} examples read, {} not read, {} value rules from prose, {} existing types reused, {} items for the maintainer",
            self.sections,
            self.operations.len(),
            self.fields,
            self.examples_read,
            self.examples_unread,
            self.constraints,
            self.types_reused,
            self.hand_work.len()
        )?;
        for item in &self.hand_work {
            writeln!(f, "  {item}")?;
        }
        Ok(())
    }
}

/// The group file with the draft in it: `existing` with the draft inserted (nothing of it
/// changed), or a new file with the given group name and title.
pub fn group_file_text(existing: Option<&str>, group: &str, title: &str, draft: &Draft) -> String {
    if let Some(current) = existing {
        return insert_into(current, &draft.operations, &draft.types);
    }
    let mut text = format!(
        "group: {group}\ntitle: {}\noperations:\n",
        yaml::scalar(title)
    );
    text.push_str(&draft.operations);
    if !draft.types.is_empty() {
        text.push_str("types:\n");
        text.push_str(&draft.types);
    }
    text
}

/// Drafts every operation in `ops`.
pub fn draft(ops: &[DocOperation], existing: &Existing, options: &Options) -> Draft {
    let mut writer = Writer {
        existing,
        options,
        ids: existing.ids.clone(),
        types: BTreeMap::new(),
        type_order: Vec::new(),
        draft: Draft::default(),
    };
    for op in ops {
        writer.operation(op);
    }
    for name in &writer.type_order {
        writer.draft.types.push_str(&writer.types[name]);
    }
    writer.draft
}

struct Writer<'a> {
    existing: &'a Existing,
    options: &'a Options,
    ids: BTreeSet<String>,
    /// Drafted types: name -> rendered YAML.
    types: BTreeMap<String, String>,
    type_order: Vec<String>,
    draft: Draft,
}

impl Writer<'_> {
    fn operation(&mut self, op: &DocOperation) {
        let report = &mut self.draft.report;
        report.sections += 1;
        let where_ = op
            .number
            .clone()
            .or_else(|| self.options.page.clone())
            .unwrap_or_default();
        let mut notes: Vec<String> = op.leftovers.clone();
        let mut id = operation_id_from_title(&op.title);
        if self.ids.contains(&id) {
            let base = id.clone();
            let mut n = 2;
            while self.ids.contains(&id) {
                id = format!("{base}_{n}");
                n += 1;
            }
            notes.push(format!(
                "the id `{base}` is taken; drafted as `{id}`: choose a better one"
            ));
        }
        self.ids.insert(id.clone());
        self.draft.report.operations.push(id.clone());
        let owner = camel(&id);
        let method = op.method.clone().unwrap_or_default();
        let path = op.path.clone().unwrap_or_default();

        let mut out = String::new();
        out.push_str(&format!("  - id: {id}\n"));
        match &op.number {
            Some(n) => out.push_str(&format!("    section: \"{n}\"\n")),
            None => out.push_str(&format!(
                "    page: {}\n",
                yaml::scalar(self.options.page.as_deref().unwrap_or("page"))
            )),
        }
        yaml::text_entry(&mut out, 4, "summary", &op.title);
        if let Some(d) = &op.description {
            yaml::text_entry(&mut out, 4, "description", d);
        }
        out.push_str(&format!("    method: {method}\n    path: {path}\n"));
        if let Some(action) = iam::action_for(&self.options.iam, &op.title, &method, &path) {
            out.push_str(&format!("    iam_action: {action}\n"));
        }
        let deprecated = op.number.as_deref().is_some_and(|n| {
            self.options
                .deprecated_chapters
                .iter()
                .any(|c| n.starts_with(&format!("{c}.")))
        });
        if deprecated {
            out.push_str("    deprecated: true\n");
        }
        for (m, url) in &op.example_calls {
            let url_path = url
                .split("://")
                .nth(1)
                .and_then(|r| r.find('/').map(|i| &r[i..]))
                .unwrap_or(url);
            let url_path = url_path.split('?').next().unwrap_or("");
            if *m != method || !same_path_shape(url_path, &path) {
                notes.push(format!("the example request says `{m} {url_path}`; the URI line `{method} {path}` is followed"));
            }
        }

        let mut body = String::new();
        let mut deliberate: Vec<String> = Vec::new();
        // Parameters.
        let params: Vec<_> = op
            .params
            .iter()
            .filter(|p| !AUTH_HEADERS.contains(&p.field.name.to_ascii_lowercase().as_str()))
            .collect();
        if !params.is_empty() {
            body.push_str("    parameters:\n");
            for p in &params {
                let mut field = p.field.clone();
                if p.location == Location::Path {
                    field.required = true;
                }
                if let DocType::Object(_) = field.ty {
                    notes.push(format!(
                        "parameter `{}` has an object type; taken as string",
                        field.name
                    ));
                    field.ty = DocType::Scalar(Scalar::String);
                }
                // Paging counters documented as text are numbers on the wire and in every use;
                // curators type them integer, and pagination needs them so.
                let counter = p.location == Location::Query
                    && matches!(field.name.as_str(), "offset" | "limit")
                    && matches!(field.ty, DocType::Scalar(Scalar::String | Scalar::Double));
                if counter {
                    field.ty = DocType::Scalar(Scalar::Integer);
                    deliberate.push(format!("type query.{}", field.name));
                }
                let ty = self.type_expr(&field.ty, &owner, &where_);
                self.draft.report.fields += 1;
                self.field_yaml(&mut body, &field, &ty, Some(p.location.as_str()));
            }
        }
        // Request body.
        if let Some(obj) = &op.body {
            let name = self.object_type(obj, format!("{owner}Request"), &owner, &where_);
            let required = obj.fields.iter().any(|f| f.required);
            body.push_str(&format!("    body:\n      type: {name}\n"));
            if !required {
                body.push_str("      required: false\n");
            }
        }
        // Responses.
        let success_bodies = op
            .responses
            .iter()
            .filter(|r| r.status < 300 && r.body.is_some())
            .count();
        let mut typed_statuses = Vec::new();
        if op.responses.is_empty() {
            notes.push("no status code is documented; drafted a 200 without a body".into());
            body.push_str("    responses:\n      - status: 200\n");
        } else {
            body.push_str("    responses:\n");
        }
        let mut job_id = false;
        for r in &op.responses {
            body.push_str(&format!("      - status: {}\n", r.status));
            let description = r
                .description
                .clone()
                .unwrap_or_else(|| default_description(r.status).into());
            yaml::text_entry(&mut body, 8, "description", &description);
            if let Some(obj) = &r.body {
                if r.status >= 400 && obj.is_standard_error() {
                    continue;
                }
                let name = if success_bodies > 1 && r.status < 300 {
                    format!("{owner}Response{}", r.status)
                } else if r.status >= 300 {
                    format!("{owner}Error{}", r.status)
                } else {
                    format!("{owner}Response")
                };
                let name = self.object_type(obj, name, &owner, &where_);
                body.push_str(&format!("        type: {name}\n"));
                typed_statuses.push(r.status);
                if r.status < 300
                    && obj
                        .fields
                        .iter()
                        .any(|f| f.name == "job_id" && f.ty == DocType::Scalar(Scalar::String))
                {
                    job_id = true;
                }
            }
        }
        // Examples.
        let mut request_examples = String::new();
        let readable: Vec<_> = op.request_examples.iter().collect();
        for (n, ex) in readable.iter().enumerate() {
            match &ex.body {
                Ok(v) if op.body.is_some() => {
                    self.draft.report.examples_read += 1;
                    request_examples.push_str(if readable.len() > 1 {
                        "      - name: "
                    } else {
                        "      - "
                    });
                    if readable.len() > 1 {
                        request_examples.push_str(&format!("example_{}\n        ", n + 1));
                    }
                    self.example_yaml(
                        &mut request_examples,
                        ex.summary.as_deref(),
                        None,
                        v,
                        &ex.repairs,
                        &mut notes,
                    );
                }
                Ok(_) => notes.push(
                    "a request example has a body but the section documents none; left out".into(),
                ),
                Err(text) => {
                    self.draft.report.examples_unread += 1;
                    notes.push(format!(
                        "a request example could not be read as JSON; left out: {}",
                        first_line(text)
                    ));
                }
            }
        }
        let mut response_examples = String::new();
        let mut seen: BTreeMap<u16, usize> = BTreeMap::new();
        for ex in &op.response_examples {
            let status = ex.status.unwrap_or(200);
            match &ex.body {
                Ok(v) => {
                    let standard_error = status >= 400;
                    if !typed_statuses.contains(&status) && !standard_error {
                        if !(v.is_object() && v.as_object().is_some_and(|m| m.is_empty())) {
                            notes.push(format!(
                                "the {status} example has a body but no documented type; left out"
                            ));
                        }
                        continue;
                    }
                    self.draft.report.examples_read += 1;
                    let count = seen.entry(status).or_insert(0);
                    *count += 1;
                    if *count > 1 {
                        response_examples
                            .push_str(&format!("      - name: status_{status}_{count}\n        "));
                    } else {
                        response_examples.push_str("      - ");
                    }
                    self.example_yaml(
                        &mut response_examples,
                        ex.summary.as_deref(),
                        Some(status),
                        v,
                        &ex.repairs,
                        &mut notes,
                    );
                }
                Err(text) => {
                    self.draft.report.examples_unread += 1;
                    notes.push(format!(
                        "the {status} example could not be read as JSON; left out: {}",
                        first_line(text)
                    ));
                }
            }
        }
        if !request_examples.is_empty() {
            body.push_str("    request_examples:\n");
            body.push_str(&request_examples);
        }
        if !response_examples.is_empty() {
            body.push_str("    response_examples:\n");
            body.push_str(&response_examples);
        }
        if let Some(p) = pagination(op) {
            body.push_str(&format!("    pagination: {p}\n"));
        }
        if job_id && self.options.service == "taurusdb" {
            body.push_str("    async_job: {job_id: job_id}\n");
        }
        if !deliberate.is_empty() {
            out.push_str(&format!("    deliberate: [{}]\n", deliberate.join(", ")));
            notes.push(format!(
                "{} documented as text or number, typed integer (deliberate)",
                deliberate
                    .iter()
                    .map(|d| d.trim_start_matches("type query."))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ));
        }
        if !notes.is_empty() {
            for n in &notes {
                self.draft
                    .report
                    .hand_work
                    .push(format!("{where_} {id}: {n}"));
            }
            let mut text = String::from("Drafted by cargo xtask import; review every line.");
            for n in &notes {
                text.push(' ');
                text.push_str(&capitalised(n));
                if !text.ends_with('.') {
                    text.push('.');
                }
            }
            yaml::text_entry(&mut out, 4, "note", &text);
        }
        out.push_str(&body);
        self.draft.operations.push_str(&out);
    }

    fn example_yaml(
        &mut self,
        out: &mut String,
        summary: Option<&str>,
        status: Option<u16>,
        body: &Value,
        repairs: &[String],
        notes: &mut Vec<String>,
    ) {
        // The first key follows the list dash that the caller wrote.
        let mut first = true;
        let mut key = |out: &mut String| {
            if first {
                first = false;
            } else {
                out.push_str("        ");
            }
        };
        if let Some(s) = status {
            key(out);
            out.push_str(&format!("status: {s}\n"));
        }
        if let Some(s) = summary {
            key(out);
            let mut entry = String::new();
            yaml::text_entry(&mut entry, 8, "summary", s);
            out.push_str(entry.trim_start());
        }
        key(out);
        let mut entry = String::new();
        yaml::json_entry(&mut entry, 8, "body", body);
        out.push_str(entry.trim_start());
        for r in repairs {
            notes.push(format!("example repaired: {r}"));
        }
    }

    fn field_yaml(&mut self, out: &mut String, field: &DocField, ty: &str, location: Option<&str>) {
        // Parameters sit under `parameters:`, fields under `fields:`: both lists are indented 6.
        let indent = 6;
        let pad = " ".repeat(indent);
        out.push_str(&format!("{pad}- name: {}\n", yaml::scalar(&field.name)));
        if let Some(l) = location {
            out.push_str(&format!("{pad}  in: {l}\n"));
        }
        out.push_str(&format!("{pad}  type: {ty}\n"));
        if field.required {
            out.push_str(&format!("{pad}  required: true\n"));
        }
        let rules = &field.rules;
        let scalar = match &field.ty {
            DocType::Scalar(s) => Some(*s),
            _ => None,
        };
        let typed = |text: &str| -> Option<Value> {
            match scalar? {
                Scalar::String => Some(Value::String(text.to_string())),
                Scalar::Integer | Scalar::Long => text.parse::<i64>().ok().map(Value::from),
                Scalar::Double => text.parse::<f64>().ok().map(Value::from),
                Scalar::Boolean => text.parse::<bool>().ok().map(Value::from),
                Scalar::Json => None,
            }
        };
        let values: Vec<Value> = rules.enum_values.iter().filter_map(|v| typed(v)).collect();
        let enum_ok = !values.is_empty()
            && values.len() == rules.enum_values.len()
            && scalar != Some(Scalar::Boolean);
        if enum_ok {
            let list: Vec<String> = values.iter().map(yaml::value).collect();
            out.push_str(&format!("{pad}  enum: [{}]\n", list.join(", ")));
            self.draft.report.constraints += 1;
        }
        if let Some(d) = rules.default.as_deref().and_then(typed) {
            if !enum_ok || values.contains(&d) {
                out.push_str(&format!("{pad}  default: {}\n", yaml::value(&d)));
                self.draft.report.constraints += 1;
            }
        }
        for (key, v) in [("minimum", rules.minimum), ("maximum", rules.maximum)] {
            if let Some(v) = v {
                out.push_str(&format!(
                    "{pad}  {key}: {}\n",
                    Value::from(v).to_string().trim_end_matches(".0")
                ));
                self.draft.report.constraints += 1;
            }
        }
        for (key, v) in [
            ("min_length", rules.min_length),
            ("max_length", rules.max_length),
        ] {
            if let Some(v) = v {
                out.push_str(&format!("{pad}  {key}: {v}\n"));
                self.draft.report.constraints += 1;
            }
        }
        if !field.description.is_empty() {
            yaml::text_entry(out, indent + 2, "description", &field.description);
        }
    }

    fn type_expr(&mut self, ty: &DocType, owner: &str, where_: &str) -> String {
        match ty {
            DocType::Scalar(s) => s.spec_name().to_string(),
            DocType::Array(inner) => format!("array<{}>", self.type_expr(inner, owner, where_)),
            DocType::Map(inner) => format!("map<{}>", self.type_expr(inner, owner, where_)),
            DocType::Object(obj) => {
                let name = type_name_from_caption(&obj.name);
                self.object_type(obj, name, owner, where_)
            }
        }
    }

    /// Drafts an object type under `name`, or reuses an identical one; another shape under the same
    /// name gets the owner's name in front, and the report says so.
    fn object_type(&mut self, obj: &DocObject, name: String, owner: &str, where_: &str) -> String {
        let mut fields_yaml = String::new();
        let mut signature = Vec::new();
        for field in &obj.fields {
            let ty = self.type_expr(&field.ty, owner, where_);
            self.draft.report.fields += 1;
            signature.push((field.name.clone(), ty.clone(), field.required));
            let mut f = String::new();
            self.field_yaml(&mut f, field, &ty, None);
            fields_yaml.push_str(&f);
        }
        let mut candidate = name.clone();
        let mut n = 1;
        loop {
            if let Some(fields) = self.existing.types.get(&candidate) {
                if *fields == signature {
                    self.draft.report.types_reused += 1;
                    return candidate;
                }
            } else {
                let rendered = render_type(&candidate, &fields_yaml);
                match self.types.get(&candidate) {
                    Some(existing) if *existing == rendered => return candidate,
                    Some(_) => {}
                    None => {
                        self.types.insert(candidate.clone(), rendered);
                        self.type_order.push(candidate.clone());
                        if candidate != name {
                            self.draft.report.hand_work.push(format!(
                                "{where_}: type `{name}` exists with another shape; drafted as `{candidate}`"
                            ));
                        }
                        return candidate;
                    }
                }
            }
            n += 1;
            candidate = if n == 2 && !name.starts_with(owner) {
                format!("{owner}{name}")
            } else {
                format!("{name}{n}")
            };
        }
    }
}

fn render_type(name: &str, fields_yaml: &str) -> String {
    if fields_yaml.is_empty() {
        return format!("  - name: {name}\n    fields: []\n");
    }
    format!("  - name: {name}\n    fields:\n{fields_yaml}")
}

fn pagination(op: &DocOperation) -> Option<String> {
    let has = |name: &str| {
        op.params
            .iter()
            .any(|p| p.location == Location::Query && p.field.name == name)
    };
    if !(has("offset") && has("limit")) {
        return None;
    }
    let body = op
        .responses
        .iter()
        .find(|r| r.status < 300)?
        .body
        .as_ref()?;
    let items = body
        .fields
        .iter()
        .find(|f| matches!(f.ty, DocType::Array(_)))?;
    let total = body.fields.iter().find(|f| {
        matches!(f.name.as_str(), "total_count" | "count" | "total")
            && matches!(f.ty, DocType::Scalar(Scalar::Integer | Scalar::Long))
    });
    let mut text = format!(
        "{{style: offset, offset: offset, limit: limit, items: {}",
        items.name
    );
    if let Some(t) = total {
        text.push_str(&format!(", total: {}", t.name));
    }
    text.push('}');
    Some(text)
}

fn same_path_shape(a: &str, b: &str) -> bool {
    let segments = |p: &str| -> Vec<String> {
        p.trim_end_matches('/')
            .split('/')
            .map(|s| {
                if s.starts_with('{') {
                    String::new()
                } else {
                    s.to_string()
                }
            })
            .collect()
    };
    let (x, y) = (segments(a), segments(b));
    x.len() == y.len()
        && x.iter()
            .zip(&y)
            .all(|(p, q)| p.is_empty() || q.is_empty() || p == q)
}

fn default_description(status: u16) -> &'static str {
    match status {
        200..=299 => "Success.",
        400 => "Client error.",
        401 => "Authentication failed.",
        403 => "Permission denied.",
        404 => "Not found.",
        500 => "Server error.",
        _ => "See the status codes.",
    }
}

fn first_line(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    line.chars().take(60).collect()
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}
