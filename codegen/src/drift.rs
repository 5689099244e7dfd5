//! `cargo xtask drift`: what differs between the spec and a reference document.
//!
//! Each difference is an item with a kind and a place (`type response.200.total_count`). An
//! operation lists the differences it makes on purpose under `deliberate:` in exactly those words;
//! such items are reported apart as explained. Value rules are compared where the document states
//! them in a form the reader understands; a rule only the spec has is not a difference (the reader
//! cannot read every sentence), a rule the document states and the spec lacks or contradicts is.

use crate::document::{DocField, DocObject, DocOperation, DocType, Location, Scalar, AUTH_HEADERS};
use crate::model::{
    Field, Operation, ParamLocation, ResponseBody, Rules, Service, TypeKind, TypeRef,
};
use serde_json::Value;
use std::fmt;

/// The kinds of difference, as the first word of an item and of a `deliberate` entry.
pub const KINDS: &[&str] = &[
    "method", "path", "missing", "extra", "type", "required", "enum", "default", "range", "length",
    "status", "body",
];

/// One difference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The section (or page) it is in.
    pub section: String,
    /// The spec operation, if there is one.
    pub operation: Option<String>,
    pub kind: &'static str,
    /// Where: `query.limit`, `body.backup_policy.keep_days`, `response.200.total_count`.
    pub at: String,
    pub spec: String,
    pub doc: String,
    /// Listed under the operation's `deliberate`.
    pub explained: bool,
}

impl Item {
    /// The words a `deliberate` entry uses for this item.
    pub fn key(&self) -> String {
        if self.at.is_empty() {
            self.kind.to_string()
        } else {
            format!("{} {}", self.kind, self.at)
        }
    }
}

impl fmt::Display for Item {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<8} {:<40} {:<46} spec: {:<24} doc: {}",
            self.section,
            self.operation.as_deref().unwrap_or("(none)"),
            self.key(),
            self.spec,
            self.doc
        )
    }
}

/// All differences between `service` and the document's operations.
/// `page` is the document's file name, for operations transcribed from a single web page.
pub fn compare(service: &Service, doc_ops: &[DocOperation], page: Option<&str>) -> Vec<Item> {
    let mut items = Vec::new();
    for doc in doc_ops {
        let section = doc
            .number
            .clone()
            .or_else(|| page.map(str::to_string))
            .unwrap_or_default();
        let spec_op = service.operations.iter().find(|o| describes(doc, o, page));
        let Some(op) = spec_op else {
            items.push(Item {
                section,
                operation: None,
                kind: "missing",
                at: String::new(),
                spec: "no operation".into(),
                doc: format!("{} {}", doc.method.as_deref().unwrap_or("?"), doc.title),
                explained: false,
            });
            continue;
        };
        items.extend(compare_operation(service, op, doc, &section));
    }
    items
}

/// Whether `doc` documents the spec operation `op`: the same reference section, or, for a single
/// web page (`page` is its file name), the operation transcribed from that page.
fn describes(doc: &DocOperation, op: &Operation, page: Option<&str>) -> bool {
    match (&doc.number, &op.source) {
        (Some(n), _) => op.reference_section.as_deref() == Some(n.as_str()),
        (None, crate::model::Source::Page(p)) => page == Some(p.as_str()),
        (None, _) => false,
    }
}

/// `deliberate` entries of the operations the document describes that match none of `items`:
/// the document or the reader changed, and the entry explains nothing any more.
/// Each is `operation: entry`.
pub fn stale_deliberate(
    service: &Service,
    doc_ops: &[DocOperation],
    page: Option<&str>,
    items: &[Item],
) -> Vec<String> {
    let mut stale = Vec::new();
    for op in &service.operations {
        if !doc_ops.iter().any(|d| describes(d, op, page)) {
            continue;
        }
        for entry in &op.deliberate {
            let matched = items
                .iter()
                .any(|i| i.operation.as_deref() == Some(op.id.as_str()) && i.key() == entry.trim());
            if !matched {
                stale.push(format!("{}: `{entry}`", op.id));
            }
        }
    }
    stale
}

/// The differences between one spec operation and one documented operation, whatever sections
/// they come from (two issues of a page, say).
pub fn compare_operation(
    service: &Service,
    op: &Operation,
    doc: &DocOperation,
    section: &str,
) -> Vec<Item> {
    let mut c = Comparer {
        service,
        section: section.to_string(),
        op,
        items: Vec::new(),
    };
    c.operation(doc);
    c.items
}

struct Comparer<'a> {
    service: &'a Service,
    section: String,
    op: &'a Operation,
    items: Vec<Item>,
}

impl Comparer<'_> {
    fn push(
        &mut self,
        kind: &'static str,
        at: &str,
        spec: impl Into<String>,
        doc: impl Into<String>,
    ) {
        let mut item = Item {
            section: self.section.clone(),
            operation: Some(self.op.id.clone()),
            kind,
            at: at.to_string(),
            spec: spec.into(),
            doc: doc.into(),
            explained: false,
        };
        let key = item.key();
        item.explained = self.op.deliberate.iter().any(|d| d.trim() == key);
        self.items.push(item);
    }

    fn operation(&mut self, doc: &DocOperation) {
        let op = self.op;
        if let Some(m) = &doc.method {
            if *m != op.method {
                self.push("method", "", op.method.clone(), m.clone());
            }
        }
        if let Some(p) = &doc.path {
            if *p != op.path {
                self.push("path", "", op.path.clone(), p.clone());
            }
        }
        self.params(doc);
        match (&doc.body, &op.body) {
            (Some(d), Some(s)) => self.value_type(&DocType::Object(d.clone()), &s.ty, "body", None),
            (Some(_), None) => self.push("body", "body", "none", "a body"),
            (None, Some(s)) => self.push("body", "body", s.ty.spec_name(), "none"),
            (None, None) => {}
        }
        self.responses(doc);
    }

    fn params(&mut self, doc: &DocOperation) {
        let op = self.op;
        let location = |l: Location| match l {
            Location::Path => ParamLocation::Path,
            Location::Query => ParamLocation::Query,
            Location::Header => ParamLocation::Header,
        };
        for p in &doc.params {
            if AUTH_HEADERS.contains(&p.field.name.to_ascii_lowercase().as_str()) {
                continue;
            }
            let at = format!("{}.{}", p.location.as_str(), p.field.name);
            let found = op.params.iter().find(|s| {
                s.location == location(p.location)
                    && s.wire_name.eq_ignore_ascii_case(&p.field.name)
            });
            let Some(s) = found else {
                self.push("missing", &at, "absent", describe(&p.field.ty));
                continue;
            };
            if p.location != Location::Path && s.required != p.field.required {
                self.push(
                    "required",
                    &at,
                    s.required.to_string(),
                    p.field.required.to_string(),
                );
            }
            self.value_type(&p.field.ty, &s.ty, &at, None);
            self.rules(&at, &p.field, &s.ty, &s.rules);
        }
        for s in &op.params {
            let listed = doc.params.iter().any(|p| {
                location(p.location) == s.location
                    && p.field.name.eq_ignore_ascii_case(&s.wire_name)
            });
            if !listed {
                let at = format!("{}.{}", s.location.as_str(), s.wire_name);
                self.push("extra", &at, s.ty.spec_name(), "absent");
            }
        }
    }

    fn responses(&mut self, doc: &DocOperation) {
        let op = self.op;
        for r in &doc.responses {
            let at = format!("response.{}", r.status);
            let Some(s) = op.responses.iter().find(|s| s.status == r.status) else {
                self.push("status", &at, "absent", "documented");
                continue;
            };
            let doc_body = r
                .body
                .as_ref()
                .filter(|b| !(r.status >= 400 && b.is_standard_error()));
            match (doc_body, &s.body) {
                (Some(d), ResponseBody::Typed(t)) => {
                    self.value_type(&DocType::Object(d.clone()), t, &at, None)
                }
                (Some(_), _) => self.push("body", &at, "none", "a body"),
                (None, ResponseBody::Typed(t))
                    if r.status < 400 && !doc.responses.iter().all(|r| r.body.is_none()) =>
                {
                    self.push("body", &at, t.spec_name(), "none")
                }
                _ => {}
            }
        }
        for s in &op.responses {
            if !doc.responses.iter().any(|r| r.status == s.status) && !doc.responses.is_empty() {
                self.push(
                    "status",
                    &format!("response.{}", s.status),
                    "listed",
                    "absent",
                );
            }
        }
    }

    /// Compares a documented type with the spec's, field by field for objects.
    fn value_type(&mut self, doc: &DocType, spec: &TypeRef, at: &str, lenient: Option<bool>) {
        let spec = self.resolve_alias(spec);
        match (doc, &spec) {
            (DocType::Scalar(Scalar::Json), _) => {}
            (DocType::Scalar(s), _) => {
                let spec_scalar = self.scalar_name(&spec);
                let same = spec_scalar.as_deref() == Some(s.spec_name());
                let lenient_ok = lenient == Some(true)
                    && (s.is_number() || *s == Scalar::String)
                    && matches!(
                        spec_scalar.as_deref(),
                        Some("string" | "integer" | "long" | "double")
                    );
                if !same && !lenient_ok {
                    self.push("type", at, spec.spec_name(), s.spec_name());
                }
            }
            (DocType::Array(d), TypeRef::Array(s)) => {
                self.value_type(d, s, &format!("{at}[]"), lenient)
            }
            (DocType::Map(d), TypeRef::Map(s)) => {
                self.value_type(d, s, &format!("{at}{{}}"), lenient)
            }
            (DocType::Object(obj), TypeRef::Named(name)) => {
                match self.service.type_def(name).map(|t| t.kind.clone()) {
                    Some(TypeKind::Object(fields)) => self.fields(obj, &fields, at),
                    _ => self.push("type", at, spec.spec_name(), "object"),
                }
            }
            (DocType::Object(_), TypeRef::Json) => self.push("type", at, "json", "object"),
            _ => self.push("type", at, spec.spec_name(), describe(doc)),
        }
    }

    fn fields(&mut self, doc: &DocObject, spec: &[Field], at: &str) {
        for d in &doc.fields {
            let here = format!("{at}.{}", d.name);
            let Some(s) = spec.iter().find(|s| s.wire_name == d.name) else {
                self.push("missing", &here, "absent", describe(&d.ty));
                continue;
            };
            if s.required != d.required && !at.starts_with("response") {
                self.push(
                    "required",
                    &here,
                    s.required.to_string(),
                    d.required.to_string(),
                );
            }
            match (&d.ty, &s.ty) {
                // Documented as one object; the spec's array reads one as well.
                (DocType::Object(_), TypeRef::Array(item)) if s.one_or_many => {
                    self.value_type(&d.ty, item, &here, Some(s.lenient))
                }
                _ => self.value_type(&d.ty, &s.ty, &here, Some(s.lenient)),
            }
            self.rules(&here, d, &s.ty, &s.rules);
        }
        for s in spec {
            if !doc.fields.iter().any(|d| d.name == s.wire_name) {
                self.push(
                    "extra",
                    &format!("{at}.{}", s.wire_name),
                    s.ty.spec_name(),
                    "absent",
                );
            }
        }
    }

    /// Value rules the document states, against the spec's. In responses only listed values
    /// count: they shape the type, while defaults, ranges and lengths bind what a caller sends.
    fn rules(&mut self, at: &str, doc: &DocField, spec_ty: &TypeRef, spec: &Rules) {
        let r = &doc.rules;
        let request = !at.starts_with("response");
        // A boolean's values are its type.
        if !r.enum_values.is_empty() && *spec_ty != TypeRef::Bool {
            let mut spec_values: Vec<String> = spec
                .enum_values
                .iter()
                .map(|v| value_text(&v.value))
                .collect();
            if let TypeRef::Named(name) = spec_ty {
                if let Some(TypeKind::Enum(variants)) = self.service.type_def(name).map(|t| &t.kind)
                {
                    spec_values = variants.iter().map(|v| v.value.clone()).collect();
                }
            }
            let mut want = r.enum_values.clone();
            want.sort();
            spec_values.sort();
            if want != spec_values {
                self.push("enum", at, spec_values.join(","), want.join(","));
            }
        }
        if !request {
            return;
        }
        if let Some(d) = &r.default {
            let spec_default = spec.default.as_ref().map(value_text);
            if spec_default.as_deref() != Some(d.as_str()) {
                self.push(
                    "default",
                    at,
                    spec_default.unwrap_or_else(|| "none".into()),
                    d.clone(),
                );
            }
        }
        if (r.minimum.is_some() || r.maximum.is_some())
            && (r.minimum, r.maximum) != (spec.minimum, spec.maximum)
        {
            self.push(
                "range",
                at,
                bounds(spec.minimum, spec.maximum),
                bounds(r.minimum, r.maximum),
            );
        }
        if (r.min_length.is_some() || r.max_length.is_some())
            && (r.min_length, r.max_length) != (spec.min_length, spec.max_length)
        {
            let b =
                |a: Option<u64>, b: Option<u64>| bounds(a.map(|v| v as f64), b.map(|v| v as f64));
            self.push(
                "length",
                at,
                b(spec.min_length, spec.max_length),
                b(r.min_length, r.max_length),
            );
        }
    }

    fn resolve_alias(&self, ty: &TypeRef) -> TypeRef {
        let mut ty = ty.clone();
        for _ in 0..8 {
            let TypeRef::Named(name) = &ty else { break };
            match self.service.type_def(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => ty = target.clone(),
                _ => break,
            }
        }
        ty
    }

    /// The scalar a spec type is on the wire (a named enum is a string).
    fn scalar_name(&self, ty: &TypeRef) -> Option<String> {
        match ty {
            TypeRef::Named(name) => match self.service.type_def(name).map(|t| &t.kind) {
                Some(TypeKind::Enum(_)) => Some("string".into()),
                _ => None,
            },
            TypeRef::Array(_) | TypeRef::Map(_) => None,
            other => Some(other.spec_name()),
        }
    }
}

fn describe(ty: &DocType) -> String {
    match ty {
        DocType::Scalar(s) => s.spec_name().to_string(),
        DocType::Object(o) => format!("object {}", o.name),
        DocType::Array(inner) => format!("array<{}>", describe(inner)),
        DocType::Map(inner) => format!("map<{}>", describe(inner)),
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn bounds(min: Option<f64>, max: Option<f64>) -> String {
    let b = |v: Option<f64>| v.map_or("any".to_string(), |v| v.to_string());
    format!("{} to {}", b(min), b(max))
}

/// Counts for the summary line.
pub fn summary(items: &[Item]) -> String {
    let explained = items.iter().filter(|i| i.explained).count();
    let unexplained = items.len() - explained;
    let missing_ops = items.iter().filter(|i| i.operation.is_none()).count();
    let ops: std::collections::BTreeSet<_> = items
        .iter()
        .filter_map(|i| i.operation.as_deref())
        .collect();
    format!(
        "drift: {unexplained} unexplained, {explained} explained; {missing_ops} documented operations not in the spec; {} operations differ",
        ops.len()
    )
}
