//! The validated model: what every emitter reads.
//!
//! Built only by the validator, from the raw YAML types. References are resolved, inline enums are
//! named, and every Rust name is decided here once (see `names`), so emitters never re-derive one.

use serde_json::Value;

/// Everything in `spec/`: one entry per service, sorted by name.
#[derive(Debug, Clone)]
pub struct Api {
    pub services: Vec<Service>,
}

#[derive(Debug, Clone)]
pub struct Service {
    /// Service name, also its Rust module and cargo feature (`taurusdb`).
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    pub document: String,
    pub api_versions: Vec<String>,
    pub endpoint_service: String,
    pub endpoints: Vec<Endpoint>,
    pub endpoint_pattern: Option<String>,
    pub default_domain: Option<String>,
    pub error_codes: Vec<ErrorCode>,
    /// Sorted by name.
    pub groups: Vec<Group>,
    /// In group order, then in the order of the files and of each file.
    pub operations: Vec<Operation>,
    /// Sorted by name.
    pub types: Vec<TypeDef>,
    /// How to follow the jobs that asynchronous operations start, if the service says.
    pub job_status: Option<JobStatus>,
    /// What the stateful fake keeps, if the service says (`fake:`).
    pub fake: Option<Fake>,
    /// Shared header parameters with `client_setting: true`, in the order declared.
    pub client_settings: Vec<ClientSetting>,
}

/// A header the service's `Client` can send by default (`client.with_x_language(..)`); a request's
/// own value of the parameter replaces it.
#[derive(Debug, Clone)]
pub struct ClientSetting {
    pub wire_name: String,
    /// The `Client` method that returns a client with the setting (`with_x_language`).
    pub method_name: String,
    pub ty: TypeRef,
    pub description: Option<String>,
}

/// The stateful fake's hints, resolved against the operations and types. Field paths are dotted
/// wire names (`instance.id`); an empty path is the whole body.
#[derive(Debug, Clone)]
pub struct Fake {
    pub resources: Vec<FakeResource>,
    /// The task API, when the service has one and says what a running job reports.
    pub jobs: Option<FakeJobs>,
}

#[derive(Debug, Clone)]
pub struct FakeResource {
    pub name: String,
    pub id_field: String,
    /// The path parameter naming the resource this one belongs to.
    pub parent: Option<String>,
    /// `None` for a resource with no single-read operation: the documented list item is its
    /// template, and it is seen through its list.
    pub read: Option<FakeRead>,
    pub create: Option<FakeCreate>,
    pub list: Option<FakeList>,
    pub updates: Vec<FakeUpdate>,
    pub delete: Option<FakeDelete>,
    pub status: Option<FakeStatus>,
    pub not_found: FakeNotFound,
    /// Where the resource is shown inside its parent's answer, if it is.
    pub within: Option<FakeWithin>,
    /// Fields made fresh on every create, like the id.
    pub fresh: Vec<String>,
}

/// A resource shown in an array field of its parent's read answer.
#[derive(Debug, Clone)]
pub struct FakeWithin {
    /// The parent resource's name.
    pub resource: String,
    /// The parent's array field.
    pub at: String,
    /// (field, value) that pick the documented item that is the child template.
    pub template: Vec<(String, String)>,
    /// The parent's integer field that counts its children.
    pub count: Option<String>,
    /// (child field, pattern): the field named after the parent and numbered within it.
    pub numbered: Option<(String, String)>,
}

/// The operation that shows one resource.
#[derive(Debug, Clone)]
pub struct FakeRead {
    pub op: FakeOp,
    /// Where the resource sits in its answer.
    pub at: String,
}

/// An operation on one resource, named by a path parameter; `job_at` is where its answer carries
/// the id of the job it starts (its `async_job`).
#[derive(Debug, Clone)]
pub struct FakeOp {
    pub operation: String,
    pub id_param: String,
    pub job_at: Option<String>,
}

/// The operation that deletes resources, and where its request names them.
#[derive(Debug, Clone)]
pub struct FakeDelete {
    pub operation: String,
    pub ids: FakeIds,
    pub job_at: Option<String>,
}

#[derive(Debug, Clone)]
pub enum FakeIds {
    /// One resource, named by this path parameter.
    Path(String),
    /// A list of ids at this field of the request body; `ambiguous` answers a request that names
    /// none while the parent holds several.
    Body { at: String, ambiguous: FakeNotFound },
}

#[derive(Debug, Clone)]
pub struct FakeCreate {
    pub operation: String,
    /// Where the answer carries the new id, if it does.
    pub id_at: Option<String>,
    pub job_at: Option<String>,
    /// (request field, resource field).
    pub copy: Vec<(String, String)>,
    /// (request array field, resource field that takes the item): one resource per item.
    pub each: Option<(String, Option<String>)>,
    /// (resource field, answer field).
    pub answer: Vec<(String, String)>,
    /// Where the answer carries the parent's id.
    pub parent_at: Option<String>,
    /// (resource field, text value) a created resource takes.
    pub set: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct FakeList {
    pub operation: String,
    pub items: String,
    pub total: Option<String>,
    /// The wire names of a list item's fields.
    pub item_fields: Vec<String>,
    /// (offset parameter, limit parameter, counts pages).
    pub paging: Option<(String, String, bool)>,
    /// (query parameter, resource field).
    pub filters: Vec<(String, String)>,
}

/// An operation that changes resources, and where its request names them.
#[derive(Debug, Clone)]
pub struct FakeUpdate {
    pub operation: String,
    pub targets: FakeTargets,
    pub job_at: Option<String>,
    /// (field of the request body, or of the item with `FakeTargets::Items`, resource field).
    pub copy: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub enum FakeTargets {
    /// One resource, named by this path parameter.
    Path(String),
    /// One per item of the request array `at`, named by the item's field `id`.
    Items { at: String, id: String },
}

#[derive(Debug, Clone)]
pub struct FakeStatus {
    pub field: String,
    pub creating: String,
    pub ready: String,
    pub deleting: Option<String>,
}

#[derive(Debug, Clone)]
pub struct FakeNotFound {
    pub status: u16,
    /// `None` where the documents give no code: the answer carries the message only.
    pub code: Option<String>,
    pub message: String,
}

#[derive(Debug, Clone)]
pub struct FakeJobs {
    pub operation: String,
    pub id_param: String,
    pub id_at: Option<String>,
    pub status_at: String,
    pub running: String,
    pub succeeded: String,
}

/// The operation that reports on a job, and how to read its answer.
#[derive(Debug, Clone)]
pub struct JobStatus {
    /// Request builder type of the reporting operation.
    pub builder_name: String,
    /// Operation id of the reporting operation.
    pub operation_id: String,
    /// The fields from its response down to the status (`job`, then `status`), a `String` or a
    /// generated enum (both read with `as_str`).
    pub status_path: Vec<StatusStep>,
    /// The fields from its response down to a failed job's reason, if the service documents one.
    pub reason_path: Option<Vec<StatusStep>>,
    /// Whether it has the `project_id` path parameter (and so a `project_id` override).
    pub takes_project_id: bool,
    pub succeeded: Vec<String>,
    pub failed: Vec<String>,
}

/// One field on the way to a job's status or failure reason.
#[derive(Debug, Clone)]
pub struct StatusStep {
    pub rust_name: String,
    pub required: bool,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub region: String,
    pub name: String,
    pub host: String,
}

#[derive(Debug, Clone)]
pub struct ErrorCode {
    pub code: String,
    /// Rust constant name (`DBS_200001`).
    pub const_name: String,
    pub status: u16,
    pub message: String,
    pub description: Option<String>,
    pub solution: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub name: String,
    /// The Rust module of the group's generated files (`operations/<module>.rs`, ...).
    pub module: String,
    pub title: String,
    pub description: Option<String>,
}

/// Where in the documents an operation was transcribed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Section(String),
    Page(String),
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    /// Client method name (`create_instance`).
    pub method_name: String,
    /// Request builder type name (`CreateInstanceRequestBuilder`... see `names::builder_name`).
    pub builder_name: String,
    /// The mock's typed input (`names::mock_input_name`).
    pub input_name: String,
    /// The constant of its entry in the mock's table (`names::operation_entry_name`).
    pub entry_name: String,
    /// The generated client-against-mock test (`names::mock_test_name`).
    pub test_name: String,
    pub group: String,
    pub source: Source,
    pub summary: String,
    pub description: Option<String>,
    /// Upper case HTTP method.
    pub method: String,
    /// The documented path template.
    pub path: String,
    pub path_parts: Vec<PathPart>,
    pub iam_action: Option<String>,
    pub deprecated: bool,
    /// The reference section that documents the operation, also when a newer page is the source.
    pub reference_section: Option<String>,
    /// For a deprecated operation, the one to use instead.
    pub replaced_by: Option<Replacement>,
    /// Differences from the document made on purpose, in `cargo xtask drift`'s words.
    pub deliberate: Vec<String>,
    pub retry_safe: bool,
    pub note: Option<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub output: Output,
    pub request_examples: Vec<Example>,
    pub response_examples: Vec<Example>,
    pub pagination: Option<Pagination>,
    pub async_job: Option<AsyncJob>,
}

/// The operation that replaces a deprecated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub id: String,
    /// Its group, whose docs page describes it.
    pub group: String,
    /// Its client method name.
    pub method_name: String,
    pub summary: String,
}

impl Operation {
    /// The first documented success (2xx) response: what the mock answers by default.
    pub fn success_response(&self) -> Option<&Response> {
        self.responses
            .iter()
            .find(|r| (200..300).contains(&r.status))
    }

    /// The parameters the client method takes as arguments, in the order it takes them.
    pub fn required_args(&self) -> impl Iterator<Item = &Param> {
        self.params.iter().filter(|p| p.required && !p.from_client)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    Literal(String),
    /// Index into `Operation::params`.
    Param(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire_name: String,
    pub rust_name: String,
    pub location: ParamLocation,
    pub ty: TypeRef,
    pub required: bool,
    pub rules: Rules,
    pub description: Option<String>,
    /// `project_id` in the path: filled in from the client's configuration unless overridden.
    pub from_client: bool,
}

/// Documented constraints on a value.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub default: Option<Value>,
    pub enum_values: Vec<AllowedValue>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AllowedValue {
    pub value: Value,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: TypeRef,
    pub required: bool,
    pub description: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub description: Option<String>,
    pub body: ResponseBody,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Empty,
    /// The service's standard `{"error_code", "error_msg"}` body.
    StandardError,
    Typed(TypeRef),
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// No documented success body.
    Unit,
    /// One body type for every documented success status.
    Single(TypeRef),
    /// Different bodies for different success statuses: an enum named `name`.
    ByStatus {
        name: String,
        variants: Vec<StatusVariant>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub status: u16,
    pub variant_name: String,
    pub ty: Option<TypeRef>,
}

#[derive(Debug, Clone)]
pub struct Example {
    /// Unique within the operation and its kind (request or response).
    pub name: String,
    /// The generated round-trip test (`names::example_test_name`).
    pub test_name: String,
    pub summary: Option<String>,
    pub status: Option<u16>,
    pub body: Value,
}

#[derive(Debug, Clone)]
pub struct Pagination {
    pub style: PageStyle,
    /// Indexes into `Operation::params`.
    pub offset_param: usize,
    pub limit_param: usize,
    /// The response field holding the page's items.
    pub items: PageField,
    /// The response field holding the total count, if the API gives one.
    pub total: Option<PageField>,
}

/// A field of a paginated operation's response type. `rust_name` and `ty` are filled in once
/// the types are known.
#[derive(Debug, Clone)]
pub struct PageField {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStyle {
    Offset,
    Page,
}

#[derive(Debug, Clone)]
pub struct AsyncJob {
    pub job_id_field: String,
    /// Rust name of that field, filled in once the types are known.
    pub job_id_rust: String,
}

/// A type expression, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    I32,
    I64,
    F64,
    Json,
    Array(Box<TypeRef>),
    Map(Box<TypeRef>),
    Named(String),
}

impl TypeRef {
    /// The innermost type of arrays and maps.
    pub fn innermost(&self) -> &TypeRef {
        match self {
            TypeRef::Array(inner) | TypeRef::Map(inner) => inner.innermost(),
            other => other,
        }
    }

    /// The spec's spelling, for messages and docs.
    pub fn spec_name(&self) -> String {
        match self {
            TypeRef::String => "string".into(),
            TypeRef::Bool => "boolean".into(),
            TypeRef::I32 => "integer".into(),
            TypeRef::I64 => "long".into(),
            TypeRef::F64 => "double".into(),
            TypeRef::Json => "json".into(),
            TypeRef::Array(inner) => format!("array<{}>", inner.spec_name()),
            TypeRef::Map(inner) => format!("map<{}>", inner.spec_name()),
            TypeRef::Named(name) => name.clone(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    pub description: Option<String>,
    pub note: Option<String>,
    pub kind: TypeKind,
    /// Every required field has a `Default`, so the struct can derive it.
    pub defaultable: bool,
    /// Where operations use the type directly, in the order of the operations.
    pub used_as: Vec<TypeUse>,
    /// The group of the file that declares it (or whose operations or types made its inline
    /// enum); `None` for an inline enum that several groups share, generated in `shared.rs`.
    pub group: Option<String>,
}

/// A direct use of a type by an operation (the docs emitters phrase it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeUse {
    /// The request body of the operation with this id.
    RequestBody { operation: String },
    /// The body of one of the operation's responses.
    Response { operation: String, status: u16 },
    /// A parameter, by its wire name.
    Parameter { operation: String, name: String },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Object(Vec<Field>),
    Enum(Vec<EnumVariant>),
    Alias(TypeRef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub wire_name: String,
    pub rust_name: String,
    pub ty: TypeRef,
    pub required: bool,
    pub rules: Rules,
    pub deprecated: bool,
    /// Read from text or a number, whichever the API sends (the documents disagree).
    pub lenient: bool,
    /// An array field the table documents as one value: read one item or an array, and send
    /// one item as the item itself.
    pub one_or_many: bool,
    /// A password or other secret: `Debug` shows `***` instead of the value.
    pub secret: bool,
    pub description: Option<String>,
}

// Rules hold f64 bounds, so equality is written out rather than derived with Eq.

impl PartialEq for Rules {
    fn eq(&self, other: &Self) -> bool {
        self.default == other.default
            && self.enum_values == other.enum_values
            && self.minimum == other.minimum
            && self.maximum == other.maximum
            && self.min_length == other.min_length
            && self.max_length == other.max_length
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub value: String,
    pub rust_name: String,
    pub description: Option<String>,
}

impl Service {
    /// The named types a request body can contain, directly or nested: the types callers build.
    pub fn request_types(&self) -> std::collections::BTreeSet<&str> {
        self.types_reached(
            self.operations
                .iter()
                .filter_map(|op| op.body.as_ref().map(|b| &b.ty)),
        )
    }

    /// The named types `roots` contain, directly or nested.
    pub fn types_reached<'a>(
        &'a self,
        roots: impl IntoIterator<Item = &'a TypeRef>,
    ) -> std::collections::BTreeSet<&'a str> {
        let mut found = std::collections::BTreeSet::new();
        let mut pending: Vec<&TypeRef> = roots.into_iter().collect();
        while let Some(ty) = pending.pop() {
            let TypeRef::Named(name) = ty.innermost() else {
                continue;
            };
            let Some(def) = self.type_def(name).filter(|_| found.insert(name.as_str())) else {
                continue;
            };
            match &def.kind {
                TypeKind::Object(fields) => pending.extend(fields.iter().map(|f| &f.ty)),
                TypeKind::Alias(target) => pending.push(target),
                TypeKind::Enum(_) => {}
            }
        }
        found
    }

    /// The types one group declares, sorted by name.
    pub fn group_types<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a TypeDef> {
        self.types
            .iter()
            .filter(move |t| t.group.as_deref() == Some(group))
    }

    /// The inline enums several groups share, sorted by name.
    pub fn shared_types(&self) -> impl Iterator<Item = &TypeDef> {
        self.types.iter().filter(|t| t.group.is_none())
    }

    /// The operations of one group, in spec order.
    pub fn group_operations<'a>(&'a self, group: &'a str) -> impl Iterator<Item = &'a Operation> {
        self.operations.iter().filter(move |op| op.group == group)
    }

    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        self.types
            .binary_search_by(|t| t.name.as_str().cmp(name))
            .ok()
            .map(|i| &self.types[i])
    }
}
