//! Serde types that mirror the YAML files of `spec/` one to one.
//!
//! Nothing here is checked beyond what serde checks (shape, unknown keys): the validator turns these
//! into the model. Keeping the two apart means the YAML can stay convenient to write while the model
//! stays convenient to generate from. `spec/README.md` documents every field.

use serde::Deserialize;

/// `spec/<service>/service.yaml`: what one service is and where it is reached.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    pub service: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub document: String,
    pub api_versions: Vec<String>,
    /// The service's name in endpoint host names (`gaussdb`, `dws`).
    pub endpoint_service: String,
    #[serde(default)]
    pub endpoints: Vec<RawEndpoint>,
    #[serde(default)]
    pub endpoint_pattern: Option<String>,
    #[serde(default)]
    pub default_domain: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<RawErrorCode>,
    #[serde(default)]
    pub job_status: Option<RawJobStatus>,
    #[serde(default)]
    pub note: Option<String>,
}

/// How to follow an asynchronous job: the operation that reports on one, and what its status says.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawJobStatus {
    pub operation: String,
    pub id_param: String,
    pub status_field: String,
    /// The dotted path to a failed job's reason in the same response, if documented.
    #[serde(default)]
    pub reason_field: Option<String>,
    pub succeeded: Vec<String>,
    pub failed: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEndpoint {
    pub region: String,
    pub name: String,
    pub host: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawErrorCode {
    pub code: String,
    pub status: u16,
    pub message: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub solution: Option<String>,
}

/// `spec/<service>/<group>.yaml`: one group of operations (usually one document chapter) and the
/// types they use.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    pub group: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub operations: Vec<RawOperation>,
    #[serde(default)]
    pub types: Vec<RawType>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOperation {
    pub id: String,
    #[serde(default)]
    pub section: Option<String>,
    #[serde(default)]
    pub page: Option<String>,
    pub summary: String,
    #[serde(default)]
    pub description: Option<String>,
    pub method: String,
    pub path: String,
    #[serde(default)]
    pub iam_action: Option<String>,
    #[serde(default)]
    pub deprecated: bool,
    /// For a deprecated operation: the id of the operation to use instead.
    #[serde(default)]
    pub replaced_by: Option<String>,
    /// Differences from the document made on purpose, as `cargo xtask drift` names them
    /// (`type response.200.total_count`); the reason goes in `note`.
    #[serde(default)]
    pub deliberate: Vec<String>,
    #[serde(default)]
    pub retry_safe: Option<bool>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub parameters: Vec<RawParameter>,
    #[serde(default)]
    pub body: Option<RawBody>,
    #[serde(default)]
    pub responses: Vec<RawResponse>,
    #[serde(default)]
    pub request_examples: Vec<RawExample>,
    #[serde(default)]
    pub response_examples: Vec<RawExample>,
    #[serde(default)]
    pub pagination: Option<RawPagination>,
    #[serde(default)]
    pub async_job: Option<RawAsyncJob>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawParameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    /// Allowed values: bare values, or `{value, description}` mappings (checked by the validator).
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<serde_yaml::Value>>,
    #[serde(default)]
    pub minimum: Option<f64>,
    #[serde(default)]
    pub maximum: Option<f64>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

// `RawParameter` and `RawField` spell the value rules (default, enum, ranges) out each: serde's
// `flatten` would share them but cannot be combined with `deny_unknown_fields`.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBody {
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub description: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResponse {
    pub status: u16,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default, rename = "type")]
    pub ty: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExample {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub summary: Option<String>,
    /// Only on response examples: the status the body comes with.
    #[serde(default)]
    pub status: Option<u16>,
    /// The body as JSON text.
    pub body: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPagination {
    pub style: String,
    pub offset: String,
    pub limit: String,
    pub items: String,
    #[serde(default)]
    pub total: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAsyncJob {
    pub job_id: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawType {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub fields: Option<Vec<RawField>>,
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<serde_yaml::Value>>,
    #[serde(default, rename = "type")]
    pub alias: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawField {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub default: Option<serde_yaml::Value>,
    /// Allowed values: bare values, or `{value, description}` mappings (checked by the validator).
    #[serde(default, rename = "enum")]
    pub enum_values: Option<Vec<serde_yaml::Value>>,
    #[serde(default)]
    pub minimum: Option<f64>,
    #[serde(default)]
    pub maximum: Option<f64>,
    #[serde(default)]
    pub min_length: Option<u64>,
    #[serde(default)]
    pub max_length: Option<u64>,
    #[serde(default)]
    pub deprecated: bool,
    /// The documents disagree on whether the field is text or a number: read either.
    #[serde(default)]
    pub lenient: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}
