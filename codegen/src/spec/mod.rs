//! Reading the spec: YAML files -> raw serde types -> validated model.

pub mod load;
pub mod locate;
pub mod raw;
pub mod recover;
mod references;
pub mod suggest;
pub mod validate;
pub mod yaml_error;
