//! Headers a caller adds beyond an operation's documented parameters: the client's defaults
//! ([`ClientBuilder::default_header`]) and one request's own (`.header(..)` on a request
//! builder), checked and merged in one place.
//!
//! [`ClientBuilder::default_header`]: super::ClientBuilder::default_header

use super::error::{Error, HeaderProblem};
use reqwest::header::{HeaderName, HeaderValue};
use std::fmt;

/// The headers a caller may not set, compared without regard to case: the runtime sets them
/// itself for authentication (`Authorization`, `X-Sdk-Date`, `X-Auth-Token`,
/// `X-Security-Token`), for the project the path names (`X-Project-Id`), and for the body and
/// the connection (`Host`, `Content-Type`, `Content-Length`, `Transfer-Encoding`,
/// `Connection`). Replacing one would break the signature or the framing without a word, so
/// naming one fails with [`Error::InvalidHeader`] and [`HeaderProblem::Reserved`].
pub const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "x-sdk-date",
    "x-auth-token",
    "x-security-token",
    "x-project-id",
    "host",
    "content-type",
    "content-length",
    "transfer-encoding",
    "connection",
];

/// Extra headers, one value per name (names compare without regard to case; setting a name
/// again replaces its value, so the list never holds more entries than distinct names).
#[derive(Clone, Default, PartialEq, Eq)]
pub(crate) struct ExtraHeaders(Vec<(String, String)>);

impl ExtraHeaders {
    /// Sets `name` to `value`, replacing an earlier value of the same name. Checked by
    /// [`ExtraHeaders::check`], not here, because builders report errors when they finish.
    pub(crate) fn set(&mut self, name: String, value: String) {
        self.0.retain(|(n, _)| !n.eq_ignore_ascii_case(&name));
        self.0.push((name, value));
    }

    /// The first header that cannot be sent: an invalid name or value, or a reserved name.
    pub(crate) fn check(&self) -> Result<(), Error> {
        self.0
            .iter()
            .try_for_each(|(name, value)| check(name, value))
    }
}

impl fmt::Debug for ExtraHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secrets (a caller's own token header): names only.
        f.debug_list()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

fn check(name: &str, value: &str) -> Result<(), Error> {
    let invalid = |problem| {
        Err(Error::InvalidHeader {
            name: name.to_string(),
            problem,
        })
    };
    if HeaderName::from_bytes(name.as_bytes()).is_err() {
        return invalid(HeaderProblem::InvalidName);
    }
    if RESERVED_HEADERS
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
    {
        return invalid(HeaderProblem::Reserved);
    }
    if HeaderValue::from_str(value).is_err() {
        return invalid(HeaderProblem::InvalidValue);
    }
    Ok(())
}

/// Adds the caller's headers to a request's own: the request's extra headers replace headers of
/// the same name (documented header parameters included), and the client's defaults fill in
/// names the request does not set. The request's extra headers are checked here; the client's
/// were checked when it was built.
pub(crate) fn merge(
    headers: &mut Vec<(String, String)>,
    client: &ExtraHeaders,
    request: &ExtraHeaders,
) -> Result<(), Error> {
    request.check()?;
    for (name, value) in &request.0 {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        headers.push((name.clone(), value.clone()));
    }
    for (name, value) in &client.0 {
        if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
            headers.push((name.clone(), value.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extra(pairs: &[(&str, &str)]) -> ExtraHeaders {
        let mut headers = ExtraHeaders::default();
        for (name, value) in pairs {
            headers.set(name.to_string(), value.to_string());
        }
        headers
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_request_overrides_its_parameters_and_the_client_fills_in() {
        let client = extra(&[
            ("X-Trace", "client"),
            ("X-Language", "zh-cn"),
            ("X-Team", "db"),
        ]);
        let request = extra(&[("x-trace", "first"), ("X-TRACE", "request")]);
        let mut headers = pairs(&[("X-Language", "en-us"), ("X-Team", "param")]);
        merge(&mut headers, &client, &request).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            headers,
            pairs(&[
                ("X-Language", "en-us"),
                ("X-Team", "param"),
                ("X-TRACE", "request"),
            ])
        );
        let request = extra(&[("X-Language", "fr-fr")]);
        let mut headers = pairs(&[("X-Language", "en-us")]);
        merge(&mut headers, &ExtraHeaders::default(), &request).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(headers, pairs(&[("X-Language", "fr-fr")]));
    }

    #[test]
    fn bad_and_reserved_headers_are_typed_errors_without_their_value() {
        let cases = [
            ("bad name", "v", HeaderProblem::InvalidName),
            ("", "v", HeaderProblem::InvalidName),
            (
                "X-Ok",
                "secret\r\nX-Injected: 1",
                HeaderProblem::InvalidValue,
            ),
            ("Authorization", "secret", HeaderProblem::Reserved),
            ("x-sdk-date", "20200101T000000Z", HeaderProblem::Reserved),
            ("HOST", "elsewhere", HeaderProblem::Reserved),
            ("X-Project-Id", "other", HeaderProblem::Reserved),
        ];
        for (name, value, expected) in cases {
            let mut headers = Vec::new();
            let request = extra(&[(name, value)]);
            match merge(&mut headers, &ExtraHeaders::default(), &request) {
                Err(error @ Error::InvalidHeader { problem, .. }) if problem == expected => {
                    assert!(!error.to_string().contains("secret"), "{error}");
                }
                other => panic!("{name}: {other:?}"),
            }
            assert!(
                headers.is_empty(),
                "nothing is added when a header is refused"
            );
        }
        assert!(extra(&[("X-Fine", "a value\twith tab")]).check().is_ok());
        assert_eq!(
            format!("{:?}", extra(&[("X-Key", "hidden")])),
            r#"["X-Key"]"#
        );
    }
}
