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
    /// Parameters many operations share: a path parameter applies wherever the path has its
    /// placeholder, a query or header parameter where an operation names it (`- shared: X`).
    #[serde(default)]
    pub shared_parameters: Vec<RawParameter>,
    #[serde(default)]
    pub job_status: Option<RawJobStatus>,
    /// Hints for the stateful fake.
    #[serde(default)]
    pub fake: Option<RawFake>,
    #[serde(default)]
    pub note: Option<String>,
}

/// `fake:` in a service file: the resources the stateful fake keeps.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFake {
    /// The status the task API (`job_status`) reports while a job runs.
    #[serde(default)]
    pub job_running: Option<String>,
    /// The field of the task API's answer holding the job's id.
    #[serde(default)]
    pub job_id_field: Option<String>,
    pub resources: Vec<RawResource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    pub name: String,
    pub id_field: String,
    #[serde(default)]
    pub parent: Option<String>,
    /// Absent for a resource with no single-read operation, seen through its list.
    #[serde(default)]
    pub read: Option<RawRead>,
    #[serde(default)]
    pub create: Option<RawCreate>,
    #[serde(default)]
    pub list: Option<RawList>,
    #[serde(default)]
    pub update: Vec<RawUpdate>,
    #[serde(default)]
    pub delete: Option<RawDelete>,
    #[serde(default)]
    pub status: Option<RawResourceStatus>,
    pub not_found: RawNotFound,
    /// The parent resource whose read answer shows this one in an array field.
    #[serde(default)]
    pub within: Option<RawWithin>,
    /// Fields that get a fresh value on every create, like the id.
    #[serde(default)]
    pub fresh: Vec<String>,
}

/// `within:` of a resource shown inside its parent's answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWithin {
    pub resource: String,
    pub at: String,
    /// Field values that pick the documented item that is the child template.
    #[serde(default)]
    pub template: ordered::Pairs,
    /// The parent's integer field that counts its children.
    #[serde(default)]
    pub count: Option<String>,
    /// A child field named after the parent and numbered within it.
    #[serde(default)]
    pub numbered: Option<RawNumbered>,
}

/// `numbered:` of `within`: the child's field, and its pattern (`{name}_node{nn}`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNumbered {
    pub field: String,
    pub pattern: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRead {
    pub operation: String,
    pub id_param: String,
    #[serde(default)]
    pub at: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCreate {
    pub operation: String,
    #[serde(default)]
    pub id_at: Option<String>,
    #[serde(default)]
    pub copy: RawCopy,
    /// One resource per item of a request array.
    #[serde(default)]
    pub each: Option<RawEach>,
    /// Answer field to resource field.
    #[serde(default)]
    pub answer: ordered::Pairs,
    /// Where the answer carries the parent's id.
    #[serde(default)]
    pub parent_at: Option<String>,
    /// Text fields a created resource takes whatever the template shows (a backup the user
    /// creates is `manual`, whatever the documented list item was).
    #[serde(default)]
    pub set: ordered::Pairs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEach {
    pub item: String,
    #[serde(default)]
    pub to: Option<String>,
}

/// Request fields a stored resource takes: names that are the same in both, or `from: to`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawCopy {
    Same(Vec<String>),
    Renamed(ordered::Pairs),
}

impl Default for RawCopy {
    fn default() -> Self {
        RawCopy::Same(Vec::new())
    }
}

impl RawCopy {
    /// `(request field, resource field)` pairs, in the order written.
    pub fn pairs(&self) -> Vec<(String, String)> {
        match self {
            RawCopy::Same(names) => names.iter().map(|n| (n.clone(), n.clone())).collect(),
            RawCopy::Renamed(pairs) => pairs.0.clone(),
        }
    }
}

/// A YAML mapping read in the order written.
pub mod ordered {
    use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};

    #[derive(Debug, Default)]
    pub struct Pairs(pub Vec<(String, String)>);

    impl<'de> Deserialize<'de> for Pairs {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            struct PairsVisitor;
            impl<'de> Visitor<'de> for PairsVisitor {
                type Value = Pairs;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str(
                        "a list of field names or a mapping of request field to resource field",
                    )
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                    let mut pairs = Vec::new();
                    while let Some(pair) = map.next_entry::<String, String>()? {
                        pairs.push(pair);
                    }
                    Ok(Pairs(pairs))
                }
            }
            deserializer.deserialize_map(PairsVisitor)
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawList {
    pub operation: String,
    /// Where the items are, for a list without `pagination`.
    #[serde(default)]
    pub items: Option<String>,
    /// Where the total is, for a list without `pagination`.
    #[serde(default)]
    pub total: Option<String>,
    /// Query parameter to resource field.
    #[serde(default)]
    pub filters: ordered::Pairs,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub operation: String,
    /// The path parameter naming the resource; or else `items_at` and `id_in_item`.
    #[serde(default)]
    pub id_param: Option<String>,
    /// The request array (dotted) whose items each name a resource to change.
    #[serde(default)]
    pub items_at: Option<String>,
    /// The field of an item of `items_at` holding the id.
    #[serde(default)]
    pub id_in_item: Option<String>,
    /// Request fields, or with `items_at` fields of the item, the resource takes.
    #[serde(default)]
    pub copy: RawCopy,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDelete {
    pub operation: String,
    /// The path parameter naming the resource; or else `ids_at`.
    #[serde(default)]
    pub id_param: Option<String>,
    /// The field of the request body holding a list of ids (dotted).
    #[serde(default)]
    pub ids_at: Option<String>,
    /// With `ids_at`: the answer to a delete that names no id while the parent holds several
    /// resources; by default `not_found`'s, with status 400.
    #[serde(default)]
    pub ambiguous: Option<RawNotFound>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawResourceStatus {
    pub field: String,
    pub creating: String,
    pub ready: String,
    #[serde(default)]
    pub deleting: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNotFound {
    pub status: u16,
    /// The documented error code; absent where the documents give the status and message only.
    #[serde(default)]
    pub code: Option<String>,
    pub message: String,
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
    pub parameters: Vec<RawParamEntry>,
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

#[derive(Debug, Clone, PartialEq, Deserialize)]
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
    /// Only in `shared_parameters`, on a header: the service's `Client` gets a setter for a
    /// default value of it.
    #[serde(default)]
    pub client_setting: bool,
}

/// An entry of an operation's `parameters`: a parameter written out, or a reference to one of the
/// service's `shared_parameters` (a mapping whose first key is `shared`).
#[derive(Debug, Clone)]
pub enum RawParamEntry {
    Inline(RawParameter),
    Shared(RawSharedRef),
}

impl RawParamEntry {
    /// The name of the parameter the entry declares.
    pub fn name(&self) -> &str {
        match self {
            RawParamEntry::Inline(p) => &p.name,
            RawParamEntry::Shared(r) => &r.shared,
        }
    }
}

/// `- shared: X-Language`, optionally with the keys a reference may change.
#[derive(Debug, Clone, Deserialize)]
pub struct RawSharedRef {
    pub shared: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub required: Option<bool>,
    #[serde(default)]
    pub note: Option<String>,
    /// Any other key: not allowed on a reference, reported by the validator in words (which
    /// `deny_unknown_fields` could not say).
    #[serde(flatten)]
    pub other: std::collections::BTreeMap<String, serde::de::IgnoredAny>,
}

/// Reads the first key, then hands the whole mapping (that key replayed) to the derived
/// `Deserialize` of the form it starts: serde_yaml then reports unknown keys, missing keys and
/// wrong values at the same places as for any other mapping.
impl<'de> Deserialize<'de> for RawParamEntry {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(entry::EntryVisitor)
    }
}

mod entry {
    use super::{RawParamEntry, RawParameter, RawSharedRef};
    use serde::de::value::{MapAccessDeserializer, StringDeserializer};
    use serde::de::{DeserializeSeed, MapAccess, Visitor};
    use serde::Deserialize;
    use std::fmt;

    pub(super) struct EntryVisitor;

    impl<'de> Visitor<'de> for EntryVisitor {
        type Value = RawParamEntry;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a parameter (`name`, `in`, `type`, ...) or a reference `shared: NAME`")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawParamEntry, A::Error> {
            let first: Option<String> = map.next_key()?;
            let shared = first.as_deref() == Some("shared");
            let replay = Replay { first, map };
            if shared {
                RawSharedRef::deserialize(MapAccessDeserializer::new(replay))
                    .map(RawParamEntry::Shared)
            } else {
                RawParameter::deserialize(MapAccessDeserializer::new(replay))
                    .map(RawParamEntry::Inline)
            }
        }
    }

    /// A mapping whose first key was already read: yields it again, then the rest.
    struct Replay<A> {
        first: Option<String>,
        map: A,
    }

    impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
        type Error = A::Error;

        fn next_key_seed<K: DeserializeSeed<'de>>(
            &mut self,
            seed: K,
        ) -> Result<Option<K::Value>, A::Error> {
            match self.first.take() {
                Some(key) => seed
                    .deserialize(StringDeserializer::<A::Error>::new(key))
                    .map(Some),
                None => self.map.next_key_seed(seed),
            }
        }

        fn next_value_seed<V: DeserializeSeed<'de>>(
            &mut self,
            seed: V,
        ) -> Result<V::Value, A::Error> {
            self.map.next_value_seed(seed)
        }
    }
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
    /// Documented as one value, shown or used elsewhere as an array of them: read either.
    #[serde(default)]
    pub one_or_many: bool,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}
