//! Reading the API reference documents, in their two text forms: the PDF references (a table of
//! contents, captioned tables with one row a line and cells tab-separated) and the single web
//! pages (one table cell a line). `cargo xtask import` drafts spec from what is read here, and
//! `cargo xtask drift` compares the spec with it.
//!
//! The reader is forgiving: nothing it is given makes it fail, and what it cannot place is kept in
//! [`DocOperation::leftovers`] for the maintainer rather than dropped.

mod blocks;
mod examples;
mod fields;
mod operation;
mod sections;
mod text;

pub use examples::DocExample;
pub use fields::{ProseRules, Scalar};
pub use operation::{
    read_operation, DocField, DocObject, DocOperation, DocParam, DocResponse, DocType, Location,
};
pub use sections::{Document, Form, Section};
pub use text::key;

/// Headers the client's auth and encoding add: the spec never lists them as parameters, so
/// import leaves them out of drafts and drift out of comparisons.
pub const AUTH_HEADERS: &[&str] = &[
    "x-auth-token",
    "content-type",
    "x-sdk-date",
    "authorization",
    "x-project-id",
    "host",
    "x-security-token",
];

impl Document {
    /// Every section that documents an operation (has a URI line), read.
    pub fn operations(&self) -> Vec<DocOperation> {
        self.sections
            .iter()
            .filter_map(|s| read_operation(s, self.form))
            .collect()
    }
}
