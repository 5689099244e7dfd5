//! One operation's request, as generated code assembles it before [`Handle::execute`].
//!
//! [`Handle::execute`]: super::Handle::execute

use super::error::Error;
use super::signing;
use std::fmt;

/// The `Content-Type` of JSON bodies.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json;charset=UTF-8";

/// One request of an operation: method, encoded path, query, headers and body.
#[derive(Clone)]
pub struct OperationRequest {
    pub(crate) method: reqwest::Method,
    pub(crate) operation: &'static str,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    /// The project the path names, sent as `X-Project-Id`.
    pub(crate) project_id: Option<String>,
    pub(crate) body: Option<Vec<u8>>,
    pub(crate) retry_safe: bool,
    /// The documented success statuses; empty accepts every status below 400.
    pub(crate) success: &'static [u16],
}

impl OperationRequest {
    /// A request for `operation` (its id, for logs) to `path`, which starts with `/` and whose
    /// parameters are already encoded with [`encode_path_segment`]. Not retry-safe until
    /// [`OperationRequest::retry_safe`] says so.
    pub fn new(method: reqwest::Method, operation: &'static str, path: String) -> Self {
        OperationRequest {
            method,
            operation,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            project_id: None,
            body: None,
            retry_safe: false,
            success: &[],
        }
    }

    /// Adds a query parameter (unencoded); call again with the same name to repeat it.
    pub fn query(&mut self, name: &str, value: impl ToString) {
        self.query.push((name.to_string(), value.to_string()));
    }

    /// Adds a header. An invalid name or value fails the call with [`Error::Encode`].
    pub fn header(&mut self, name: &str, value: impl ToString) {
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// The project the request's path names: sent as `X-Project-Id` (and signed with AK/SK), so
    /// the gateway and the path agree.
    pub fn project_id(&mut self, project_id: &str) {
        self.project_id = Some(project_id.to_string());
    }

    /// Serializes `body` as the JSON body and sets `Content-Type: application/json;charset=UTF-8`.
    pub fn json_body<T: serde::Serialize>(&mut self, body: &T) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Encode(e.to_string()))?;
        self.headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("content-type"));
        self.headers
            .push(("Content-Type".to_string(), JSON_CONTENT_TYPE.to_string()));
        self.body = Some(bytes);
        Ok(())
    }

    /// Whether the request may be repeated after a 5xx or a timeout, when its first attempt
    /// may have taken effect (reads and idempotent updates are; creations usually are not).
    pub fn retry_safe(&mut self, safe: bool) {
        self.retry_safe = safe;
    }

    /// The statuses the operation documents as success. Any other status below 400 (a redirect,
    /// a 204 where a body was documented) fails the call with [`Error::UnexpectedStatus`], the
    /// body kept, so it is never mistaken for the documented answer.
    pub fn success_statuses(&mut self, statuses: &'static [u16]) {
        self.success = statuses;
    }
}

impl fmt::Debug for OperationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bodies may hold passwords (a new instance's root password, say) and header values
        // may hold tokens: show only their shape.
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("OperationRequest")
            .field("method", &self.method)
            .field("operation", &self.operation)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &header_names)
            .field("project_id", &self.project_id)
            .field("body_len", &self.body.as_ref().map(Vec::len))
            .field("retry_safe", &self.retry_safe)
            .finish()
    }
}

/// Percent-encodes a path parameter's value: every byte but `A-Z a-z 0-9 - _ . ~` becomes
/// `%XX`, so a value can never add path segments (`a/b` becomes `a%2Fb`).
pub fn encode_path_segment(segment: &str) -> String {
    signing::encode(segment)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(encode_path_segment("a/b c?é"), "a%2Fb%20c%3F%C3%A9");
        assert_eq!(encode_path_segment("Az09-_.~"), "Az09-_.~");
        assert_eq!(encode_path_segment(".."), "..");
    }

    #[test]
    fn json_body_sets_one_content_type_and_debug_hides_the_body() {
        let mut request = OperationRequest::new(reqwest::Method::POST, "op", "/x".into());
        request.header("content-type", "text/plain");
        request.header("X-Secret", "hidden-value");
        let json_body = serde_json::json!({"password": "hunter2"});
        assert!(request.json_body(&json_body).is_ok());
        assert_eq!(
            request.headers,
            vec![
                ("X-Secret".to_string(), "hidden-value".to_string()),
                ("Content-Type".to_string(), JSON_CONTENT_TYPE.to_string()),
            ]
        );
        let shown = format!("{request:?}");
        assert!(
            !shown.contains("hunter2") && !shown.contains("hidden-value"),
            "{shown}"
        );
    }
}
