//! The service-independent half of the generated mocks: routing, authentication, input checks,
//! documented responses, the call recorder and the loopback server.
//!
//! Each generated `mock` module supplies its operations ([`MockOperation`]), its types
//! ([`Schema`]) and a dispatch function that parses a [`MockRequest`] into the operation's typed
//! input and calls the user's implementation.

pub mod fake;
mod request;
mod routes;
mod server;

/// What [`router`] returns: serve it yourself or nest it in another app.
pub use axum::Router;
pub use fake::{Fake, FakeError, FakeSpec};
/// The shapes and limits of a service's types, and the one checker of values against them
/// (shared with the generator's validator).
pub use huaweicloud_db_schema::{
    FieldSchema, Leniency, Limits, Mode, Schema, Shape, TypeSchema, MAX_PROBLEMS,
};
pub use request::{FromParam, MockRequest};
pub use server::MockServer;

pub use super::json::same_json;
use super::signing::{self, SignableRequest};
use super::ErrorCode;
use axum::body::{Body, Bytes, HttpBody};
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use futures_util::FutureExt;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::Duration;

/// A documented response body of an operation.
#[derive(Debug, Clone, Copy)]
pub struct MockExample {
    /// The example's name (`Prefer: example=<name>`).
    pub name: &'static str,
    /// The status it comes with.
    pub status: u16,
    /// The body, as JSON text.
    pub body: &'static str,
}

/// What the mock knows about one operation.
#[derive(Debug, Clone, Copy)]
pub struct MockOperation {
    /// Operation id.
    pub id: &'static str,
    /// Upper-case HTTP method.
    pub method: &'static str,
    /// Path template with `{name}` parameters.
    pub path: &'static str,
    /// The first documented success status.
    pub success_status: u16,
    /// The body type of that status, if it has one.
    pub success_body: Option<Shape<'static>>,
    /// Every documented status.
    pub statuses: &'static [u16],
    /// Documented response examples.
    pub examples: &'static [MockExample],
}

/// A response the mock sends: a status and an optional JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct MockResponse {
    /// HTTP status.
    pub status: u16,
    /// JSON body; `None` sends no body.
    pub body: Option<Value>,
}

impl MockResponse {
    /// A response with a JSON body.
    pub fn json(status: u16, body: Value) -> MockResponse {
        MockResponse {
            status,
            body: Some(body),
        }
    }

    /// A response without a body.
    pub fn empty(status: u16) -> MockResponse {
        MockResponse { status, body: None }
    }

    /// The API's error shape: `{"error_code": .., "error_msg": ..}`.
    pub fn error(status: u16, code: &str, message: impl Into<String>) -> MockResponse {
        MockResponse::json(
            status,
            json!({"error_code": code, "error_msg": message.into()}),
        )
    }

    /// An error of the service's documented catalogue, as the API sends it: the code's status,
    /// `error_code` and message. A client reading it gets an `ApiError` for which
    /// [`is(code)`](crate::ApiError::is) holds.
    pub fn documented_error(code: &ErrorCode) -> MockResponse {
        MockResponse::error(code.status, code.code, code.message)
    }

    /// A typed body serialized as JSON (a serialization failure becomes a 500).
    pub fn typed<T: serde::Serialize>(status: u16, body: &T) -> MockResponse {
        match serde_json::to_value(body) {
            Ok(value) => MockResponse::json(status, value),
            Err(e) => MockResponse::error(
                500,
                "MOCK.0500",
                format!("the mock's response does not serialize: {e}"),
            ),
        }
    }

    /// The operation's documented answer: its first success example, or else its success status
    /// with the smallest body its type accepts.
    pub fn documented(operation: &MockOperation, schema: &Schema) -> MockResponse {
        let example = operation
            .examples
            .iter()
            .find(|e| e.status == operation.success_status);
        if let Some(response) = example.and_then(example_response) {
            return response;
        }
        match &operation.success_body {
            Some(shape) => MockResponse::json(operation.success_status, schema.minimal(shape)),
            None => MockResponse::empty(operation.success_status),
        }
    }
}

fn example_response(example: &MockExample) -> Option<MockResponse> {
    parsed_example(example.body).map(|body| MockResponse::json(example.status, body))
}

/// The JSON of a documented example, parsed once per example text (the mock answers with the
/// same few examples over and over). `None` when the text is not JSON.
fn parsed_example(body: &'static str) -> Option<Value> {
    /// Parsed examples by the address and length of their text: `'static` text is never freed,
    /// so an address names one text for the whole run, and the number of entries is bounded by
    /// the examples compiled into the program.
    static PARSED: OnceLock<RwLock<HashMap<(usize, usize), Value>>> = OnceLock::new();
    let key = (body.as_ptr() as usize, body.len());
    let parsed = PARSED.get_or_init(RwLock::default);
    // A panic elsewhere while holding the lock leaves the map as valid as it was.
    if let Some(value) = parsed.read().unwrap_or_else(|e| e.into_inner()).get(&key) {
        return Some(value.clone());
    }
    let value: Value = serde_json::from_str(body).ok()?;
    parsed
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key, value.clone());
    Some(value)
}

/// The smallest value of `shape` that `schema` accepts, as a `T`: a body for a test that has no
/// example to send.
pub fn minimal_value<T: serde::de::DeserializeOwned>(
    schema: &Schema,
    shape: Shape,
) -> Result<T, serde_json::Error> {
    serde_json::from_value(schema.minimal(&shape))
}

/// Asserts that `received` is the documented JSON `documented`, in the sense of [`same_json`].
///
/// # Panics
///
/// When they differ, or `documented` is not JSON: it is a test assertion.
pub fn assert_documented(received: &Value, documented: &str) {
    let documented: Value =
        serde_json::from_str(documented).expect("the documented example is JSON");
    assert!(
        same_json(received, &documented),
        "got {received}\nexpected the documented {documented}"
    );
}

/// One request the mock received for an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedCall {
    /// Operation id.
    pub operation: &'static str,
    /// Path parameters, decoded, in path order.
    pub path_params: Vec<(String, String)>,
    /// Query parameters, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The body as JSON, if it was JSON of at most [`RECORDED_BODY_LIMIT`] bytes.
    pub body: Option<Value>,
}

/// How many calls a recorder keeps by default; older ones are forgotten (and counted).
pub const DEFAULT_RECORD_LIMIT: usize = 256;

/// The largest body a recorded call keeps as JSON; a larger one is recorded without its body.
pub const RECORDED_BODY_LIMIT: usize = 64 * 1024;

/// The requests a mock received, shared between the server and the test that reads them. It keeps
/// the most recent calls only ([`MockConfig::record_limit`]), so a long-running mock does not
/// grow without bound.
#[derive(Debug, Clone)]
pub struct Recorder(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    /// How many calls are kept; fixed when the recorder is made, so it is read without the lock.
    limit: usize,
    recorded: Mutex<Recorded>,
}

#[derive(Debug)]
struct Recorded {
    calls: std::collections::VecDeque<RecordedCall>,
    forgotten: usize,
}

impl Default for Recorder {
    fn default() -> Self {
        Recorder::with_limit(DEFAULT_RECORD_LIMIT)
    }
}

impl Recorder {
    fn with_limit(limit: usize) -> Self {
        Recorder(Arc::new(Shared {
            limit,
            recorded: Mutex::new(Recorded {
                calls: std::collections::VecDeque::new(),
                forgotten: 0,
            }),
        }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Recorded> {
        // A test that panicked while holding the lock does not stop the recording.
        self.0.recorded.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records the call `call` makes; with a limit of 0 it is only counted, never made.
    fn record(&self, call: impl FnOnce() -> RecordedCall) {
        if self.0.limit == 0 {
            self.lock().forgotten += 1;
            return;
        }
        let call = call();
        let mut recorded = self.lock();
        if recorded.calls.len() == self.0.limit {
            recorded.calls.pop_front();
            recorded.forgotten += 1;
        }
        recorded.calls.push_back(call);
    }

    /// The calls kept, oldest first.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.lock().calls.iter().cloned().collect()
    }

    /// How many older calls were forgotten to stay within the limit.
    pub fn forgotten(&self) -> usize {
        self.lock().forgotten
    }

    /// The calls of one operation.
    pub fn calls_to(&self, operation: &str) -> Vec<RecordedCall> {
        self.calls()
            .into_iter()
            .filter(|c| c.operation == operation)
            .collect()
    }
}

/// How a mock checks and limits requests.
///
/// The limits keep a mock that is reachable by more than the test that started it (such as
/// `cargo xtask mock`) in bounded memory: a client cannot make it hold more than
/// [`body_limit`](MockConfig::body_limit) bytes per request, nor a request line and headers much
/// larger than [`max_uri_length`](MockConfig::max_uri_length) and
/// [`max_header_bytes`](MockConfig::max_header_bytes), nor more than
/// [`max_connections`](MockConfig::max_connections) connections, nor keep a connection open by
/// sending slowly or not at all.
#[derive(Debug, Clone)]
pub struct MockConfig {
    key_pair: Option<(String, String)>,
    body_limit: usize,
    recorder: Recorder,
    header_read_timeout: Duration,
    body_read_timeout: Duration,
    idle_timeout: Duration,
    max_uri_length: usize,
    max_header_bytes: usize,
    max_connections: usize,
    fake: Option<Fake>,
}

/// The default of [`MockConfig::header_read_timeout`].
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// The default of [`MockConfig::body_read_timeout`].
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// The default of [`MockConfig::idle_timeout`].
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// The default of [`MockConfig::max_uri_length`]: 8 KiB, what common servers and gateways allow.
pub const DEFAULT_MAX_URI_LENGTH: usize = 8 * 1024;
/// The default of [`MockConfig::max_header_bytes`]: 64 KiB.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 64 * 1024;
/// The default of [`MockConfig::max_connections`].
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// The longest URI hyper's parser takes; a longer one it answers itself, with an empty 414.
pub const HYPER_MAX_URI_LENGTH: usize = u16::MAX as usize - 1;

impl Default for MockConfig {
    fn default() -> Self {
        MockConfig {
            key_pair: None,
            body_limit: 1024 * 1024,
            recorder: Recorder::default(),
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            max_uri_length: DEFAULT_MAX_URI_LENGTH,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            fake: None,
        }
    }
}

impl MockConfig {
    /// Verify AK/SK signatures against this key pair; without it any signature is accepted.
    ///
    /// What the headers alone show (an `Authorization` header that does not parse, names another
    /// access key, or was signed further than [`signing::MAX_CLOCK_SKEW`] from now) is refused
    /// before the body is read; the signature, which covers the body, is checked after.
    pub fn verify_signatures(mut self, ak: impl Into<String>, sk: impl Into<String>) -> Self {
        self.key_pair = Some((ak.into(), sk.into()));
        self
    }

    /// The largest body accepted, in bytes (default 1 MiB); a larger one is a 400.
    pub fn body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// The recorder this configuration's mock records into.
    pub fn recorder(&self) -> Recorder {
        self.recorder.clone()
    }

    /// How many recent calls the recorder keeps (default [`DEFAULT_RECORD_LIMIT`]; 0 keeps none).
    /// Bodies over [`RECORDED_BODY_LIMIT`] bytes are recorded without their body.
    pub fn record_limit(mut self, calls: usize) -> Self {
        self.recorder = Recorder::with_limit(calls);
        self
    }

    /// How long a request's line and headers may take to arrive, from the first byte of the
    /// request (or from the connection being opened, for its first request); a connection that
    /// has not sent them all by then is closed without an answer. Default
    /// [`DEFAULT_HEADER_READ_TIMEOUT`], 10 s.
    ///
    /// Without it, a client that sends a request a byte at a time, or opens connections and
    /// sends nothing, holds them forever. Applies to the server of [`MockServer::start`], not to
    /// a [`router`] served by other code.
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// How long a request's body may take to arrive once its headers are read; a slower body is
    /// answered with 408 (`MOCK.0408`) and the connection closed. Default
    /// [`DEFAULT_BODY_READ_TIMEOUT`], 30 s: ample for [`body_limit`](MockConfig::body_limit) bytes
    /// on loopback.
    ///
    /// Without it, a client that trickles a large body holds the memory read so far. Applies to
    /// the [`router`] wherever it is served.
    pub fn body_read_timeout(mut self, timeout: Duration) -> Self {
        self.body_read_timeout = timeout;
        self
    }

    /// How long a keep-alive connection may wait, after an answer, for the first byte of its next
    /// request before it is closed. Default [`DEFAULT_IDLE_TIMEOUT`], 60 s: longer than the header
    /// timeout, so that clients reusing connections between a test's steps keep them.
    ///
    /// Without it, every connection a client ever opened stays open. Applies to the server of
    /// [`MockServer::start`], not to a [`router`] served by other code.
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Answer the operations of the fake's resources from its state (see [`fake`]): create,
    /// read, list, update and delete remember, and its jobs progress on its clock. Keep a clone of
    /// `fake` to seed, inspect and advance it. A `Prefer:` header still picks a documented answer.
    pub fn fake(mut self, fake: Fake) -> Self {
        self.fake = Some(fake);
        self
    }

    /// The longest request target (the URI as sent: path and query), in bytes; a longer one is
    /// answered with 414 (`MOCK.0414`). Default [`DEFAULT_MAX_URI_LENGTH`], 8 KiB. At most
    /// [`HYPER_MAX_URI_LENGTH`] (65534) has effect: hyper refuses a longer URI itself, with an
    /// empty 414, before the mock sees the request.
    pub fn max_uri_length(mut self, bytes: usize) -> Self {
        self.max_uri_length = bytes;
        self
    }

    /// The largest total size of a request's headers (each name and value), in bytes; larger
    /// headers are answered with 431 (`MOCK.0431`). Default [`DEFAULT_MAX_HEADER_BYTES`], 64 KiB.
    ///
    /// The server of [`MockServer::start`] reads a request line and headers of up to four times
    /// this and [`max_uri_length`](MockConfig::max_uri_length) together, so that a request over
    /// the limits gets this answer; hyper answers a larger one (and more than 100 header lines)
    /// itself, with an empty 431, and closes the connection.
    pub fn max_header_bytes(mut self, bytes: usize) -> Self {
        self.max_header_bytes = bytes;
        self
    }

    /// How many connections the server of [`MockServer::start`] serves at once (default
    /// [`DEFAULT_MAX_CONNECTIONS`], 1024; at least 1). Beyond it, new connections wait in the
    /// operating system's accept queue, costing the mock nothing, until one closes; past that
    /// queue the system refuses them.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// The most bytes of a request line and headers the server reads before refusing them
    /// without reading further: four times the limits the router checks, so that a request
    /// somewhat over them is read and answered in the API's error shape.
    fn head_read_limit(&self) -> usize {
        self.max_uri_length
            .min(HYPER_MAX_URI_LENGTH)
            .saturating_add(self.max_header_bytes)
            .saturating_mul(4)
    }
}

/// Parses a request into an operation's input and answers it; generated per service.
pub type Dispatch = Arc<
    dyn Fn(
            usize,
            MockRequest,
        ) -> Pin<Box<dyn Future<Output = Result<MockResponse, MockResponse>> + Send>>
        + Send
        + Sync,
>;

struct Service {
    operations: &'static [MockOperation],
    routes: routes::Routes,
    schema: Schema<'static>,
    config: MockConfig,
    dispatch: Dispatch,
}

/// An axum router that serves `operations`, checking authentication and input before calling
/// `dispatch`.
pub fn router(
    operations: &'static [MockOperation],
    schema: Schema<'static>,
    config: MockConfig,
    dispatch: Dispatch,
) -> axum::Router {
    if let Some(fake) = &config.fake {
        fake.bind(operations);
    }
    let service = Arc::new(Service {
        operations,
        routes: routes::Routes::new(operations.iter().map(|op| op.path)),
        schema,
        config,
        dispatch,
    });
    axum::Router::new().fallback(move |request: Request<Body>| {
        let service = service.clone();
        async move { with_request_id(handle(&service, request).await) }
    })
}

/// A response and the HTTP headers it carries besides `Content-Type` and `X-Request-Id`.
struct Reply {
    response: MockResponse,
    headers: Vec<(&'static str, String)>,
}

impl From<MockResponse> for Reply {
    fn from(response: MockResponse) -> Reply {
        Reply {
            response,
            headers: Vec::new(),
        }
    }
}

async fn handle(service: &Service, request: Request<Body>) -> Reply {
    let (parts, body) = request.into_parts();
    if let Some(response) = oversized_head(&service.config, &parts) {
        return response.into();
    }
    // What the headers show is checked before the body is read, so that an unauthenticated
    // client cannot make the mock hold a body.
    let pending = match authenticate_headers(&service.config, &parts.headers) {
        Ok(pending) => pending,
        Err(response) => return response.into(),
    };
    let body = match read_body(&service.config, body).await {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let path = parts.uri.path();
    let query = signing::decode_query(parts.uri.query().unwrap_or_default());
    if let Some(pending) = pending {
        let signable = SignableRequest {
            method: parts.method.as_str(),
            path,
            query: &query,
            headers: &pending.headers,
            body: &body,
        };
        if let Err(response) = pending.verify(&service.config, &signable) {
            return response.into();
        }
    }
    let mut matched = service.routes.matching(path);
    if matched.is_empty() {
        return MockResponse::error(404, "APIGW.0101", format!("no API at {path}")).into();
    }
    // A literal segment beats a parameter: `/instances/detail` before `/instances/{id}`. As in
    // OpenAPI, the most specific path is chosen before the method, so `DELETE /backups/create`
    // is a 405 naming the methods of `/backups/create`, not a `DELETE /backups/{id}`.
    let most_literals = matched.iter().map(|m| m.literals).max().unwrap_or_default();
    matched.retain(|m| m.literals == most_literals);
    let best = matched
        .iter()
        .position(|m| service.operations[m.index].method == parts.method.as_str());
    let Some(best) = best else {
        // RFC 9110: a 405 lists the methods the path does allow.
        let mut allowed: Vec<&str> = Vec::new();
        for m in &matched {
            let method = service.operations[m.index].method;
            if !allowed.contains(&method) {
                allowed.push(method);
            }
        }
        return Reply {
            response: MockResponse::error(
                405,
                "APIGW.0101",
                format!("{} is not allowed on {path}", parts.method),
            ),
            headers: vec![("allow", allowed.join(", "))],
        };
    };
    let routes::Match {
        index,
        params: path_params,
        ..
    } = matched.swap_remove(best);
    let operation = &service.operations[index];
    service.config.recorder.record(|| RecordedCall {
        operation: operation.id,
        path_params: path_params
            .iter()
            .map(|(name, value)| (name.to_string(), value.clone()))
            .collect(),
        query: query.clone(),
        body: (body.len() <= RECORDED_BODY_LIMIT)
            .then(|| serde_json::from_slice::<Value>(&body).ok())
            .flatten(),
    });
    let request = MockRequest::new(
        operation,
        service.schema,
        path_params,
        query,
        parts.headers,
        body,
        service.config.fake.clone(),
    );
    // A panicking handler must not take the server down. (Caught in place: a task of its own
    // per request would cost the mock a sixth of its time.)
    let handled = AssertUnwindSafe((service.dispatch)(index, request))
        .catch_unwind()
        .await;
    let response = match handled {
        Ok(Ok(response)) | Ok(Err(response)) => response,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| panic.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("a panic");
            tracing::error!(operation = operation.id, error = %message, "mock handler failed");
            MockResponse::error(
                500,
                "MOCK.0500",
                format!("the mock handler of {} failed", operation.id),
            )
        }
    };
    response.into()
}

/// The 414 or 431 for a request target or headers over [`MockConfig::max_uri_length`] or
/// [`MockConfig::max_header_bytes`].
fn oversized_head(config: &MockConfig, parts: &axum::http::request::Parts) -> Option<MockResponse> {
    // The request target as sent: origin form (`/path?query`), or absolute form with a scheme
    // and authority in front.
    let uri = &parts.uri;
    let uri_length = uri.scheme_str().map_or(0, |s| s.len() + "://".len())
        + uri.authority().map_or(0, |a| a.as_str().len())
        + uri.path_and_query().map_or(0, |p| p.as_str().len());
    if uri_length > config.max_uri_length {
        return Some(MockResponse::error(
            414,
            "MOCK.0414",
            format!(
                "URI: {uri_length} bytes, longer than the limit of {} bytes",
                config.max_uri_length
            ),
        ));
    }
    let header_bytes: usize = parts
        .headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if header_bytes > config.max_header_bytes {
        return Some(MockResponse::error(
            431,
            "MOCK.0431",
            format!(
                "headers: {header_bytes} bytes, larger than the limit of {} bytes",
                config.max_header_bytes
            ),
        ));
    }
    None
}

/// The body, at most [`MockConfig::body_limit`] bytes arriving within
/// [`MockConfig::body_read_timeout`].
async fn read_body(config: &MockConfig, body: Body) -> Result<Bytes, Reply> {
    if body.is_end_stream() {
        // Nothing to wait for (a GET without a body, say): no timer to set.
        return Ok(Bytes::new());
    }
    let read = axum::body::to_bytes(body, config.body_limit);
    match tokio::time::timeout(config.body_read_timeout, read).await {
        Ok(Ok(body)) => Ok(body),
        Ok(Err(e)) => Err(unreadable_body(config, &e).into()),
        // The rest of the body may still be on its way: close rather than read it.
        Err(_) => Err(Reply {
            response: MockResponse::error(
                408,
                "MOCK.0408",
                format!(
                    "body: not received within {} ms",
                    config.body_read_timeout.as_millis()
                ),
            ),
            headers: vec![("connection", "close".to_string())],
        }),
    }
}

/// The 400 for a body that could not be read, saying why: over [`MockConfig::body_limit`], cut
/// short (the client closed the connection before sending all it announced), or not readable as
/// HTTP (a malformed chunk of a chunked body, say).
fn unreadable_body(config: &MockConfig, error: &axum::Error) -> MockResponse {
    type Cause = dyn std::error::Error + 'static;
    let causes = || std::iter::successors(Some(error as &Cause), |e| e.source());
    // hyper reports an early end as an `UnexpectedEof` under its body error.
    let cut_short = |cause: &Cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::UnexpectedEof)
            || cause
                .downcast_ref::<hyper::Error>()
                .is_some_and(hyper::Error::is_incomplete_message)
    };
    let message = if causes().any(|c| c.is::<http_body_util::LengthLimitError>()) {
        format!("body: larger than the limit of {} bytes", config.body_limit)
    } else if causes().any(cut_short) {
        "body: cut short, the connection ended before the whole body arrived".to_string()
    } else {
        let innermost = causes().last().unwrap_or(error);
        format!("body: could not be read: {innermost}")
    };
    MockResponse::error(400, "MOCK.0400", message)
}

/// A request whose headers passed [`authenticate_headers`] but whose signature, which covers the
/// body, is still to be checked.
struct PendingAuth {
    /// The request headers as the signature sees them.
    headers: Vec<(String, String)>,
    signature: signing::PendingSignature,
}

impl PendingAuth {
    /// The signature against the whole request, body included.
    fn verify(
        &self,
        config: &MockConfig,
        request: &SignableRequest<'_>,
    ) -> Result<(), MockResponse> {
        let Some((_, sk)) = &config.key_pair else {
            return Ok(());
        };
        self.signature.verify(request, sk).map_err(unauthorized)
    }
}

/// The part of authentication the headers decide: a token, or an `Authorization` header; with
/// [`MockConfig::verify_signatures`], one that parses, names the access key and was signed
/// within [`signing::MAX_CLOCK_SKEW`] of now. Returns the signature left to check once the body
/// is read, if any.
fn authenticate_headers(
    config: &MockConfig,
    headers: &HeaderMap,
) -> Result<Option<PendingAuth>, MockResponse> {
    if headers.contains_key("x-auth-token") {
        return Ok(None);
    }
    if !headers.contains_key("authorization") {
        return Err(MockResponse::error(
            401,
            "APIGW.0301",
            "no X-Auth-Token and no Authorization header",
        ));
    }
    let Some((ak, _)) = &config.key_pair else {
        return Ok(None);
    };
    let headers: Vec<(String, String)> = headers
        .iter()
        .filter_map(|(name, value)| {
            value
                .to_str()
                .ok()
                .map(|v| (name.as_str().to_string(), v.to_string()))
        })
        .collect();
    let signature = signing::verify_fresh_headers(&headers, ak, std::time::SystemTime::now())
        .map_err(unauthorized)?;
    Ok(Some(PendingAuth { headers, signature }))
}

fn unauthorized(e: signing::SignatureError) -> MockResponse {
    MockResponse::error(
        401,
        "APIGW.0301",
        format!("Incorrect IAM authentication information: {e}"),
    )
}

fn with_request_id(reply: Reply) -> Response {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
    let id = request_id(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let Reply { response, headers } = reply;
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut http = match response.body {
        Some(body) => {
            let bytes = Bytes::from(serde_json::to_vec(&body).unwrap_or_default());
            let mut http = (status, bytes).into_response();
            http.headers_mut()
                .insert("content-type", HeaderValue::from_static("application/json"));
            http
        }
        None => status.into_response(),
    };
    for (name, value) in headers {
        if let Ok(value) = HeaderValue::from_str(&value) {
            http.headers_mut().insert(name, value);
        }
    }
    if let Ok(value) = HeaderValue::from_bytes(&id) {
        http.headers_mut().insert("x-request-id", value);
    }
    http
}

/// `mock-` and `n` in 16 lower-case hex digits, as `format!("mock-{n:016x}")` writes it but
/// without the formatting machinery, which cost more than the rest of the answer's headers.
fn request_id(n: u64) -> [u8; 21] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut id = *b"mock-0000000000000000";
    for (i, digit) in id[5..].iter_mut().enumerate() {
        *digit = HEX[((n >> (60 - 4 * i)) & 0xF) as usize];
    }
    id
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ApiError;

    #[test]
    fn a_documented_error_reads_back_as_its_code() {
        const GONE: ErrorCode = ErrorCode {
            code: "DBS.200002",
            status: 404,
            message: "The DB instance does not exist.",
            description: "",
            solution: "",
        };
        let response = MockResponse::documented_error(&GONE);
        assert_eq!(response.status, 404);
        let body = serde_json::to_vec(&response.body).unwrap();
        let read = ApiError::from_response(response.status, None, &body);
        assert!(read.is(&GONE));
        assert_eq!(read.error_msg.as_deref(), Some(GONE.message));
    }

    #[test]
    fn request_ids_are_sixteen_hex_digits() {
        for n in [0, 1, 0xabc, u64::MAX, 0x0123_4567_89ab_cdef] {
            assert_eq!(request_id(n), format!("mock-{n:016x}").as_bytes(), "{n}");
        }
    }
}
