//! A request the mock matched to an operation, and the checks that turn it into typed input.
//! Every failure is the 400 the API would give, with a message that names the parameter or field.

use super::{example_response, Fake, Limits, MockOperation, MockResponse, Schema, Shape};
use axum::body::Bytes;
use axum::http::HeaderMap;

/// A text parameter value parsed into its Rust type.
pub trait FromParam: Sized {
    /// `None` when the text is not a value of the type.
    fn from_param(text: &str) -> Option<Self>;
}

impl FromParam for String {
    fn from_param(text: &str) -> Option<Self> {
        Some(text.to_string())
    }
}

impl FromParam for bool {
    fn from_param(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl FromParam for i32 {
    fn from_param(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl FromParam for i64 {
    fn from_param(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

impl FromParam for f64 {
    fn from_param(text: &str) -> Option<Self> {
        text.parse().ok()
    }
}

/// Any text reads as a string enum: a value no variant names becomes its `Unknown`, as in JSON.
impl<T: crate::StringEnum> FromParam for T {
    fn from_param(text: &str) -> Option<Self> {
        Some(T::from_wire_value(text))
    }
}

/// A request matched to an operation, before its input is checked.
#[derive(Debug)]
pub struct MockRequest {
    operation: &'static MockOperation,
    schema: Schema<'static>,
    path_params: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
    fake: Option<Fake>,
}

fn invalid(message: String) -> MockResponse {
    MockResponse::error(400, "MOCK.0400", message)
}

impl MockRequest {
    pub(super) fn new(
        operation: &'static MockOperation,
        schema: Schema<'static>,
        path_params: Vec<(&'static str, String)>,
        query: Vec<(String, String)>,
        headers: HeaderMap,
        body: Bytes,
        fake: Option<Fake>,
    ) -> Self {
        MockRequest {
            operation,
            schema,
            path_params,
            query,
            headers,
            body,
            fake,
        }
    }

    /// The operation the request was matched to.
    pub(super) fn operation(&self) -> &'static MockOperation {
        self.operation
    }

    /// A path parameter's decoded text.
    pub(super) fn path_param(&self, name: &str) -> Option<&str> {
        self.path_params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every decoded value of a query parameter, in order.
    pub(super) fn query_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> {
        self.query
            .iter()
            .filter(move |(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub(super) fn json_body(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The operation's documented answer.
    pub(super) fn documented(&self) -> MockResponse {
        MockResponse::documented(self.operation, &self.schema)
    }

    /// The answer the request gets before the service's [`Mock`](super) implementation is asked:
    /// the documented response it picked with `Prefer:` ([`MockRequest::preferred`]), or else the
    /// stateful fake's, when the mock runs one ([`MockConfig::fake`](super::MockConfig::fake)) and
    /// it keeps the operation's resource.
    pub fn answered(&self) -> Option<MockResponse> {
        self.preferred()
            .or_else(|| self.fake.as_ref().and_then(|fake| fake.answer(self)))
    }

    fn parse<T: FromParam>(
        &self,
        kind: &str,
        name: &str,
        text: &str,
        limits: &Limits,
    ) -> Result<T, MockResponse> {
        let what = format_args!("{kind} parameter {name}");
        if let Some(problem) = limits.check_text(text, &what) {
            return Err(invalid(problem));
        }
        T::from_param(text).ok_or_else(|| {
            invalid(format!(
                "{kind} parameter {name}: \"{text}\" is not a valid {}",
                std::any::type_name::<T>()
            ))
        })
    }

    /// A path parameter.
    pub fn path<T: FromParam>(&self, name: &str, limits: &Limits) -> Result<T, MockResponse> {
        let value = self
            .path_params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        self.parse("path", name, value, limits)
    }

    /// An optional query parameter (its first value).
    pub fn query<T: FromParam>(
        &self,
        name: &str,
        limits: &Limits,
    ) -> Result<Option<T>, MockResponse> {
        match self.query.iter().find(|(n, _)| n == name) {
            Some((_, value)) => self.parse("query", name, value, limits).map(Some),
            None => Ok(None),
        }
    }

    /// A required query parameter.
    pub fn required_query<T: FromParam>(
        &self,
        name: &str,
        limits: &Limits,
    ) -> Result<T, MockResponse> {
        self.query(name, limits)?
            .ok_or_else(|| invalid(format!("query parameter {name}: required but missing")))
    }

    /// Every value of a repeated query parameter; `None` when it is absent.
    pub fn query_list<T: FromParam>(
        &self,
        name: &str,
        limits: &Limits,
    ) -> Result<Option<Vec<T>>, MockResponse> {
        let values: Vec<T> = self
            .query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| self.parse("query", name, v, limits))
            .collect::<Result<_, _>>()?;
        Ok((!values.is_empty()).then_some(values))
    }

    /// A required repeated query parameter.
    pub fn required_query_list<T: FromParam>(
        &self,
        name: &str,
        limits: &Limits,
    ) -> Result<Vec<T>, MockResponse> {
        self.query_list(name, limits)?
            .ok_or_else(|| invalid(format!("query parameter {name}: required but missing")))
    }

    /// An optional header.
    pub fn header<T: FromParam>(
        &self,
        name: &str,
        limits: &Limits,
    ) -> Result<Option<T>, MockResponse> {
        match self.headers.get(name) {
            Some(value) => {
                let text = value
                    .to_str()
                    .map_err(|_| invalid(format!("header {name}: not valid text")))?;
                self.parse("header", name, text, limits).map(Some)
            }
            None => Ok(None),
        }
    }

    /// A required header.
    pub fn required_header<T: FromParam>(
        &self,
        name: &str,
        limits: &Limits,
    ) -> Result<T, MockResponse> {
        self.header(name, limits)?
            .ok_or_else(|| invalid(format!("header {name}: required but missing")))
    }

    /// The JSON body checked against `shape` and parsed; `None` when there is no body.
    pub fn optional_body<T: serde::de::DeserializeOwned>(
        &self,
        shape: Shape<'static>,
    ) -> Result<Option<T>, MockResponse> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let mut value: serde_json::Value = serde_json::from_slice(&self.body)
            .map_err(|e| invalid(format!("body: malformed JSON: {e}")))?;
        let problems = self.schema.conform(&shape, &mut value, "body");
        if !problems.is_empty() {
            return Err(invalid(problems.join("; ")));
        }
        serde_json::from_value(value)
            .map(Some)
            .map_err(|e| invalid(format!("body: {e}")))
    }

    /// The required JSON body, checked against `shape` and parsed.
    pub fn body<T: serde::de::DeserializeOwned>(
        &self,
        shape: Shape<'static>,
    ) -> Result<T, MockResponse> {
        self.optional_body(shape)?
            .ok_or_else(|| invalid("body: required but missing".to_string()))
    }

    /// The documented response the client asked for with `Prefer: code=<status>` or
    /// `Prefer: example=<name>`, if it did.
    pub fn preferred(&self) -> Option<MockResponse> {
        let prefer = self.headers.get("prefer")?.to_str().ok()?;
        let mut code = None;
        let mut example = None;
        for part in prefer.split([',', ';']) {
            match part.trim().split_once('=') {
                Some(("code", value)) => code = value.trim().parse::<u16>().ok(),
                Some(("example", value)) => example = Some(value.trim().trim_matches('"')),
                _ => {}
            }
        }
        let examples = self.operation.examples;
        if let Some(name) = example {
            return Some(
                match examples
                    .iter()
                    .find(|e| e.name == name)
                    .and_then(example_response)
                {
                    Some(response) => response,
                    None => invalid(format!(
                        "Prefer: no example named {name} for {}",
                        self.operation.id
                    )),
                },
            );
        }
        let status = code?;
        if let Some(response) = examples
            .iter()
            .find(|e| e.status == status)
            .and_then(example_response)
        {
            return Some(response);
        }
        Some(match status {
            s if s == self.operation.success_status => {
                MockResponse::documented(self.operation, &self.schema)
            }
            s if s >= 400 && self.operation.statuses.contains(&s) => MockResponse::error(
                s,
                "MOCK.PREFER",
                format!("documented status {s} of {}", self.operation.id),
            ),
            s if self.operation.statuses.contains(&s) => MockResponse::empty(s),
            s => invalid(format!(
                "Prefer: {} does not document status {s}",
                self.operation.id
            )),
        })
    }
}
