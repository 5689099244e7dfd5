//! A response with a success (or redirect) status, as [`Handle::execute`] returns it.
//!
//! [`Handle::execute`]: super::Handle::execute

use super::error::Error;
use reqwest::header::HeaderMap;
use std::fmt;

/// The headers that carry the request id, in order of preference.
const REQUEST_ID_HEADERS: [&str; 2] = ["x-request-id", "x-openstack-request-id"];

/// A response with a 2xx or 3xx status: its status, headers and whole body.
#[derive(Clone)]
pub struct RawResponse {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl RawResponse {
    pub(crate) fn new(status: u16, headers: HeaderMap, body: Vec<u8>) -> Self {
        RawResponse {
            status,
            headers,
            body,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request id: `X-Request-Id`, or else `X-Openstack-Request-Id`.
    pub fn request_id(&self) -> Option<&str> {
        request_id(&self.headers)
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The response body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// [`Error::UnexpectedStatus`] for this response: a status the operation does not document,
    /// with the request id and the body kept.
    pub fn unexpected_status(&self) -> Error {
        Error::UnexpectedStatus {
            status: self.status,
            request_id: self.request_id().map(str::to_string),
            body: String::from_utf8_lossy(&self.body).into_owned(),
        }
    }

    /// The body deserialized as `T`.
    ///
    /// An empty body reads as `{}` (so a type whose fields are all optional gets its empty
    /// value), or failing that as `null` (so `()` and `Option<_>` work too). A body that does not
    /// fit gives [`Error::Decode`] with serde's message, the status and the request id.
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, Error> {
        let decode_error = |message: String| Error::Decode {
            status: self.status,
            request_id: self.request_id().map(str::to_string),
            message,
        };
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return serde_json::from_slice(b"{}")
                .or_else(|_| serde_json::from_slice(b"null"))
                .map_err(|e| decode_error(format!("the response body is empty: {e}")));
        }
        serde_json::from_slice(&self.body).map_err(|e| decode_error(e.to_string()))
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bodies are data the caller asked for, not diagnostics, and may be sensitive (a
        // connection string, say): `Debug` shows their size only.
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("request_id", &self.request_id())
            .field("body_len", &self.body.len())
            .finish_non_exhaustive()
    }
}

/// The request id a response carries, if any.
pub(crate) fn request_id(headers: &HeaderMap) -> Option<&str> {
    REQUEST_ID_HEADERS.iter().find_map(|name| {
        headers
            .get(*name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use std::collections::BTreeMap;

    #[derive(serde::Deserialize, Debug, PartialEq, Default)]
    struct AllOptional {
        name: Option<String>,
    }

    #[derive(serde::Deserialize, Debug)]
    struct Required {
        #[allow(dead_code)] // only its absence matters
        id: String,
    }

    fn response(body: &str) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-openstack-request-id",
            HeaderValue::from_static("req-openstack"),
        );
        RawResponse::new(200, headers, body.as_bytes().to_vec())
    }

    #[test]
    fn empty_bodies_read_as_empty_objects_or_null() {
        assert_eq!(
            response("").json::<AllOptional>().ok(),
            Some(AllOptional::default())
        );
        assert_eq!(
            response(" \n").json::<BTreeMap<String, u8>>().ok(),
            Some(BTreeMap::new())
        );
        assert_eq!(response("").json::<()>().ok(), Some(()));
        assert_eq!(response("").json::<Option<u8>>().ok(), Some(None));
        assert!(matches!(
            response("").json::<Required>(),
            Err(Error::Decode { status: 200, .. })
        ));
    }

    #[test]
    fn decode_errors_carry_status_request_id_and_serde_message() {
        match response(r#"{"id": 5}"#).json::<Required>() {
            Err(Error::Decode {
                status,
                request_id,
                message,
            }) => {
                assert_eq!(status, 200);
                assert_eq!(request_id.as_deref(), Some("req-openstack"));
                assert!(message.contains("invalid type"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn debug_shows_no_body() {
        let shown = format!("{:?}", response(r#"{"password":"hunter2"}"#));
        assert!(
            !shown.contains("hunter2") && shown.contains("req-openstack"),
            "{shown}"
        );
    }

    #[test]
    fn x_request_id_is_preferred() {
        let mut headers = HeaderMap::new();
        headers.insert("x-openstack-request-id", HeaderValue::from_static("b"));
        headers.insert("x-request-id", HeaderValue::from_static("a"));
        assert_eq!(request_id(&headers), Some("a"));
        assert_eq!(request_id(&HeaderMap::new()), None);
    }
}
