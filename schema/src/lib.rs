//! What the generator's validator and the mock server must agree on, written once: the shapes of
//! a service's types and their documented limits ([`Schema`]), the one checker of JSON values
//! against them ([`Schema::check`], in a [`Mode`] for requests and one for the spec's examples),
//! and the path-template grammar ([`template`]).
//!
//! The generated mock holds a service's schema in static tables (`Schema<'static>`); the
//! generator builds one from its model, borrowing from it, to check the spec's examples.

#![warn(missing_docs)]

mod check;
mod limits;
mod minimal;
mod shape;
pub mod template;

pub use check::{Mode, MAX_PROBLEMS};
pub use limits::Limits;
pub use shape::{FieldSchema, Leniency, Schema, Shape, TypeSchema};
