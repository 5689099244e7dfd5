//! Authenticating one attempt: the token header, or the AK/SK headers and their signature.

use super::credentials::Credentials;
use super::error::Error;
use super::signing::{self, SignableRequest};
use std::time::SystemTime;

/// What a signature covers besides the headers, as the request goes on the wire.
pub(crate) struct WireRequest<'a> {
    /// Upper-case method.
    pub(crate) method: &'a str,
    /// The full path as sent (base path prefix included), percent-encoded.
    pub(crate) path: &'a str,
    /// The decoded query parameters.
    pub(crate) query: &'a [(String, String)],
    /// The `Host` header the HTTP client will send.
    pub(crate) host: &'a str,
    /// The body, empty when there is none.
    pub(crate) body: &'a [u8],
}

/// The project a request is for, as `X-Project-Id` sends it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Project<'a> {
    /// The project the request's path names (the client's or the request's override).
    pub request: Option<&'a str>,
    /// The client's project, for requests whose path names none.
    pub client: Option<&'a str>,
}

/// The request's headers plus `X-Project-Id` and authentication: the one place both are added.
///
/// The project a path names is always sent as `X-Project-Id`, so it matches the path; with AK/SK
/// credentials the client's project is sent for other requests too, as the gateway needs one.
/// With AK/SK, `X-Sdk-Date` (from `now`, fresh for every attempt so that retries stay within the
/// server's allowed clock skew) and `X-Security-Token` are added as well, and signed together
/// with `Host`, `X-Project-Id` and the `Content-Type` if any. The returned list includes `Host`
/// because the signature covers it; the caller leaves it to the HTTP client to send.
pub(crate) fn authenticate(
    credentials: &Credentials,
    project: Project<'_>,
    request: &WireRequest<'_>,
    mut headers: Vec<(String, String)>,
    now: SystemTime,
) -> Result<Vec<(String, String)>, Error> {
    let project_id = match credentials {
        Credentials::Token(_) => project.request,
        Credentials::AkSk(_) => project.request.or(project.client),
    };
    if let Some(project_id) = project_id {
        headers.push(("X-Project-Id".to_string(), project_id.to_string()));
    }
    let key = match credentials {
        Credentials::Token(token) => {
            headers.push(("X-Auth-Token".to_string(), token.clone()));
            return Ok(headers);
        }
        Credentials::AkSk(key) => key,
    };
    let has = |headers: &[(String, String)], name: &str| {
        headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    };
    headers.push(("Host".to_string(), request.host.to_string()));
    headers.push((
        signing::DATE_HEADER.to_string(),
        signing::format_sdk_date(now),
    ));
    let mut signed = vec!["host", "x-sdk-date"];
    if let Some(token) = key.security_token() {
        headers.push(("X-Security-Token".to_string(), token.to_string()));
    }
    for optional in ["x-project-id", "x-security-token", "content-type"] {
        if has(&headers, optional) {
            signed.push(optional);
        }
    }
    let signable = SignableRequest {
        method: request.method,
        path: request.path,
        query: request.query,
        headers: &headers,
        body: request.body,
    };
    // Only reachable through an HMAC key error, which cannot happen; no secret in the message.
    let authorization = signing::sign(&signable, &signed, key.ak(), key.sk())
        .map_err(|e| Error::Config(format!("cannot sign the request: {e}")))?;
    headers.push(("Authorization".to_string(), authorization));
    Ok(headers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn value<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
        headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    const WIRE: WireRequest<'static> = WireRequest {
        method: "POST",
        path: "/v3/p/x",
        query: &[],
        host: "h.example.com",
        body: b"{}",
    };

    #[test]
    fn ak_sk_headers_are_added_signed_and_verify() {
        let credentials = Credentials::temporary("ak", "sk", "session");
        let now = UNIX_EPOCH + Duration::from_secs(1_591_583_940);
        let request_headers = vec![("Content-Type".to_string(), "application/json".to_string())];
        let project = Project {
            request: None,
            client: Some("p"),
        };
        let headers = authenticate(&credentials, project, &WIRE, request_headers, now)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(value(&headers, "x-sdk-date"), Some("20200608T023900Z"));
        assert_eq!(value(&headers, "x-project-id"), Some("p"));
        assert_eq!(value(&headers, "x-security-token"), Some("session"));
        let authorization = value(&headers, "authorization").unwrap_or_default();
        assert!(authorization
            .contains("SignedHeaders=content-type;host;x-project-id;x-sdk-date;x-security-token"));
        let signable = SignableRequest {
            method: WIRE.method,
            path: WIRE.path,
            query: WIRE.query,
            headers: &headers,
            body: WIRE.body,
        };
        assert_eq!(signing::verify(&signable, "ak", "sk"), Ok(()));
    }

    #[test]
    fn the_project_a_path_names_wins_and_tokens_are_not_signed() {
        let credentials = Credentials::ak_sk("ak", "sk");
        let project = Project {
            request: Some("other"),
            client: Some("p"),
        };
        let headers = authenticate(&credentials, project, &WIRE, Vec::new(), SystemTime::now())
            .unwrap_or_else(|e| panic!("{e}"));
        let projects: Vec<&str> = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("x-project-id"))
            .map(|(_, v)| v.as_str())
            .collect();
        assert_eq!(projects, ["other"]);
        let token = |project| {
            authenticate(
                &Credentials::token("t"),
                project,
                &WIRE,
                Vec::new(),
                SystemTime::now(),
            )
            .unwrap_or_default()
        };
        let client_only = Project {
            request: None,
            client: Some("p"),
        };
        assert_eq!(
            token(client_only),
            vec![("X-Auth-Token".to_string(), "t".to_string())]
        );
        assert_eq!(
            token(project),
            vec![
                ("X-Project-Id".to_string(), "other".to_string()),
                ("X-Auth-Token".to_string(), "t".to_string())
            ]
        );
    }
}
