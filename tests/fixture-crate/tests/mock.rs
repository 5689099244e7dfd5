//! The generated mock at its HTTP edge: what it rejects, with which status and message, and how
//! a test overrides one operation, reads what the mock received, and picks documented responses.

use fixture_crate::demo::mock::{self, CreateWidgetInput, DocumentedMock, Mock, ShowWidgetInput};
use fixture_crate::demo::{self, types};
use fixture_crate::runtime::mock::{MockConfig, MockResponse, MockServer};
use fixture_crate::runtime::{Credentials, Error};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const PROJECT: &str = "p1";

/// Sends a raw request with a token and returns status, JSON body and request id.
async fn send(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> (u16, Value, Option<String>) {
    send_with(server, method, path, body, &[("X-Auth-Token", "t")]).await
}

async fn send_with(
    server: &MockServer,
    method: &str,
    path: &str,
    body: Option<&str>,
    headers: &[(&str, &str)],
) -> (u16, Value, Option<String>) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("method");
    let mut request = reqwest::Client::new().request(method, format!("{}{path}", server.url()));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("Content-Type", "application/json")
            .body(body.to_string());
    }
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let request_id = response
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, body, request_id)
}

fn assert_error(response: &(u16, Value, Option<String>), status: u16, message_part: &str) {
    let (actual, body, request_id) = response;
    assert_eq!(*actual, status, "{body}");
    assert!(body["error_code"].is_string(), "no error_code in {body}");
    let message = body["error_msg"].as_str().unwrap_or_default();
    assert!(
        message.contains(message_part),
        "{message:?} does not mention {message_part:?}"
    );
    assert!(request_id.is_some(), "no X-Request-Id");
}

const GOOD_BODY: &str = r#"{"name": "w100", "size": 3, "type": "plain"}"#;

#[tokio::test]
async fn routing_errors_have_the_error_shape() {
    let server = mock::start(DocumentedMock).await.expect("starts");
    assert_error(
        &send(&server, "GET", "/v3/p1/nothing-here", None).await,
        404,
        "no API",
    );
    assert_error(
        &send(&server, "PATCH", "/v3/p1/widgets", None).await,
        405,
        "not allowed",
    );
}

#[tokio::test]
async fn a_long_uri_or_large_headers_get_the_error_shape() {
    // Over the default limits (8 KiB of URI, 64 KiB of headers), where hyper alone would have
    // served the request (or, further on, answered with an empty body).
    let server = mock::start(DocumentedMock).await.expect("starts");
    let long = format!("/v3/p1/widgets?ids={}", "x".repeat(20_000));
    assert_error(
        &send(&server, "GET", &long, None).await,
        414,
        "longer than the limit of 8192 bytes",
    );
    let big = "x".repeat(200_000);
    let headers = [("X-Auth-Token", "t"), ("X-Big", big.as_str())];
    let response = send_with(&server, "GET", "/v3/p1/widgets/w1", None, &headers).await;
    assert_error(&response, 431, "larger than the limit of 65536 bytes");
    assert_eq!(response.1["error_code"], "MOCK.0431");

    // The limits are settings; within them a request is served.
    let config = MockConfig::default()
        .max_uri_length(64)
        .max_header_bytes(512);
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");
    assert_eq!(send(&server, "GET", "/v3/p1/widgets/w1", None).await.0, 200);
    let long = format!("/v3/p1/widgets/w1?x={}", "x".repeat(60));
    assert_error(
        &send(&server, "GET", &long, None).await,
        414,
        "longer than the limit of 64 bytes",
    );
    let big = "x".repeat(600);
    let headers = [("X-Auth-Token", "t"), ("X-Big", big.as_str())];
    assert_error(
        &send_with(&server, "GET", "/v3/p1/widgets/w1", None, &headers).await,
        431,
        "larger than the limit of 512 bytes",
    );
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_until_one_closes() {
    let config = MockConfig::default().max_connections(1);
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");
    let request = b"GET /v3/p1/widgets/w1 HTTP/1.1\r\nHost: mock\r\nX-Auth-Token: t\r\n\r\n";
    let mut first = connect(&server).await;
    first.write_all(request).await.expect("sends");
    assert_eq!(
        read_response(&mut first).await.expect("answers").status,
        200
    );

    // The first stays open (keep-alive): a second one is queued by the system, not served.
    let mut second = connect(&server).await;
    second.write_all(request).await.expect("sends");
    let early = tokio::time::timeout(Duration::from_millis(500), read_response(&mut second)).await;
    assert!(early.is_err(), "served beyond the limit: {early:?}");

    drop(first);
    let response = tokio::time::timeout(Duration::from_secs(5), read_response(&mut second))
        .await
        .expect("served once the first connection closed")
        .expect("a response");
    assert_eq!(response.status, 200, "{}", response.body);
}

#[tokio::test]
async fn a_405_lists_the_methods_of_the_path() {
    let server = mock::start(DocumentedMock).await.expect("starts");
    for (path, allowed) in [
        ("/v3/p1/widgets", "POST, GET"),
        ("/v3/p1/widgets/w1", "GET, DELETE"),
        ("/v3/p1/widgets/w1/size", "PUT"),
        // The literal path is matched before `/widgets/{widget_id}`: only its own method.
        ("/v3/p1/widgets/detail", "GET"),
    ] {
        let mut stream = connect(&server).await;
        let request = format!("PATCH {path} HTTP/1.1\r\nHost: mock\r\nX-Auth-Token: t\r\n\r\n");
        stream.write_all(request.as_bytes()).await.expect("sends");
        let response = read_response(&mut stream).await.expect("answers");
        assert_eq!(response.status, 405, "{path}: {}", response.body);
        assert_eq!(response.header("allow"), Some(allowed), "{path}");
        assert_eq!(response.body["error_code"], "APIGW.0101", "{path}");
        assert!(response.body["error_msg"].is_string(), "{}", response.body);
    }
}

#[tokio::test]
async fn a_literal_path_is_matched_before_a_template_whatever_the_method() {
    let server = mock::start(DocumentedMock).await.expect("starts");
    // `DELETE /widgets/{widget_id}` exists, but `/widgets/detail` is its own path (as OpenAPI
    // matches concrete paths first), which has only GET.
    assert_error(
        &send(&server, "DELETE", "/v3/p1/widgets/detail?force=true", None).await,
        405,
        "not allowed",
    );
    assert!(server.calls_to("delete_widget").is_empty());
    let (status, body, _) = send(&server, "GET", "/v3/p1/widgets/detail?type=fancy-v2", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.calls_to("list_widget_details").len(), 1);
    let (status, body, _) = send(&server, "DELETE", "/v3/p1/widgets/w1?force=true", None).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(server.calls_to("delete_widget").len(), 1);
}

/// A response read off the wire.
#[derive(Debug)]
struct RawResponse {
    status: u16,
    /// Names lower-cased.
    headers: Vec<(String, String)>,
    body: Value,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

async fn connect(server: &MockServer) -> TcpStream {
    let address = server.url().trim_start_matches("http://");
    TcpStream::connect(address).await.expect("connects")
}

/// Reads one response (its body by `Content-Length`); `None` if the connection closes first.
async fn read_response<R: AsyncReadExt + Unpin>(stream: &mut R) -> Option<RawResponse> {
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        received.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&received[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    while received.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        received.extend_from_slice(&chunk[..n]);
    }
    let body =
        serde_json::from_slice(&received[head_end..head_end + length]).unwrap_or(Value::Null);
    Some(RawResponse {
        status,
        headers,
        body,
    })
}

/// Whether the server closes the connection within `limit`, reading (and dropping) anything it
/// sends before.
async fn closes_within<R: AsyncReadExt + Unpin>(stream: &mut R, limit: Duration) -> bool {
    let mut sink = [0u8; 1024];
    let closed = async {
        loop {
            match stream.read(&mut sink).await {
                Ok(0) | Err(_) => return,
                Ok(_) => continue,
            }
        }
    };
    tokio::time::timeout(limit, closed).await.is_ok()
}

/// Sends the headers of a POST that announces a 1 MB body, then a few bytes of it and nothing
/// more, and waits (at most 5 s) for the answer.
async fn answer_to_a_partial_megabyte(
    server: &MockServer,
    headers: &[(&str, &str)],
) -> RawResponse {
    let mut stream = connect(server).await;
    let mut request = String::from(
        "POST /v3/p1/widgets HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n",
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n{\"name\": ");
    stream.write_all(request.as_bytes()).await.expect("sends");
    tokio::time::timeout(Duration::from_secs(5), read_response(&mut stream))
        .await
        .expect("answered without waiting for the rest of the body")
        .expect("a response")
}

#[tokio::test]
async fn credentials_are_checked_before_the_body_is_read() {
    // The body timeout is longer than the wait: an answer means the body was not waited for.
    let config = MockConfig::default()
        .verify_signatures("AccessKey", "SecretKey")
        .body_read_timeout(Duration::from_secs(60));
    let recorder = config.recorder();
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");
    let now = fixture_crate::runtime::signing::format_sdk_date(std::time::SystemTime::now());
    let old = fixture_crate::runtime::signing::format_sdk_date(
        std::time::SystemTime::now() - Duration::from_secs(2 * 3600),
    );
    let other_key =
        "SDK-HMAC-SHA256 Access=SomeoneElse, SignedHeaders=x-sdk-date, Signature=00".to_string();
    let ours = "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=00";
    let cases: [(Vec<(&str, &str)>, &str); 4] = [
        (vec![], "no X-Auth-Token and no Authorization header"),
        (
            vec![
                ("Authorization", "Basic dXNlcjpwYXNz"),
                ("X-Sdk-Date", &now),
            ],
            "malformed Authorization header",
        ),
        (
            vec![("Authorization", &other_key), ("X-Sdk-Date", &now)],
            "unknown access key SomeoneElse",
        ),
        (
            vec![("Authorization", ours), ("X-Sdk-Date", &old)],
            "check the clock",
        ),
    ];
    for (headers, message) in cases {
        let response = answer_to_a_partial_megabyte(&server, &headers).await;
        assert_eq!(response.status, 401, "{message}: {}", response.body);
        assert_eq!(response.body["error_code"], "APIGW.0301");
        let said = response.body["error_msg"].as_str().unwrap_or_default();
        assert!(said.contains(message), "{said:?} does not say {message:?}");
    }
    assert!(recorder.calls().is_empty());

    // Headers that pass, with a signature that does not: refused once the body is read, since
    // the signature covers it.
    let body = GOOD_BODY.as_bytes();
    let mut stream = connect(&server).await;
    let request = format!(
        "POST /v3/p1/widgets HTTP/1.1\r\nHost: mock\r\nContent-Type: application/json\r\nContent-Length: {}\r\nAuthorization: {ours}\r\nX-Sdk-Date: {now}\r\n\r\n",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("sends");
    stream.write_all(body).await.expect("sends");
    let response = read_response(&mut stream).await.expect("answers");
    assert_eq!(response.status, 401, "{}", response.body);
    assert!(
        response.body["error_msg"]
            .as_str()
            .is_some_and(|m| m.contains("does not match")),
        "{}",
        response.body
    );

    // And a signed request with a body is accepted: the body half of the check still verifies.
    let client = demo::Client::builder()
        .endpoint(server.url())
        .project_id(PROJECT)
        .credentials(Credentials::ak_sk("AccessKey", "SecretKey"))
        .build()
        .expect("client");
    let body = types::CreateWidgetRequest::new("signed", 2, types::WidgetType::Plain);
    client
        .create_widget(body)
        .send()
        .await
        .expect("a signed body is accepted");
    assert_eq!(recorder.calls().len(), 1);
}

#[tokio::test]
async fn a_token_request_with_a_partial_body_waits_for_it() {
    // The counterpart of the test above: with credentials, the same partial body is waited for
    // (here until the body timeout), which is what makes the early 401 meaningful.
    let config = MockConfig::default().body_read_timeout(Duration::from_millis(300));
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");
    let started = Instant::now();
    let response = answer_to_a_partial_megabyte(&server, &[("X-Auth-Token", "t")]).await;
    assert_eq!(response.status, 408, "{}", response.body);
    assert!(started.elapsed() >= Duration::from_millis(250));
}

#[tokio::test]
async fn a_connection_that_stalls_in_its_headers_is_closed() {
    let config = MockConfig::default()
        .header_read_timeout(Duration::from_millis(200))
        .idle_timeout(Duration::from_secs(30));
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");

    // Half a request line, and then nothing.
    let mut stream = connect(&server).await;
    let started = Instant::now();
    stream.write_all(b"GET /v3/p1/wid").await.expect("sends");
    assert!(closes_within(&mut stream, Duration::from_secs(5)).await);
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "{:?}",
        started.elapsed()
    );

    // Headers sent a byte at a time, each in time but all together too slow.
    let mut stream = connect(&server).await;
    let request = b"GET /v3/p1/widgets/w1 HTTP/1.1\r\nHost: mock\r\nX-Auth-Token: t\r\n\r\n";
    let mut closed = false;
    for byte in request.iter() {
        if stream.write_all(&[*byte]).await.is_err() {
            closed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(closed || closes_within(&mut stream, Duration::from_secs(5)).await);

    // A connection that sends nothing at all.
    let mut silent = connect(&server).await;
    assert!(closes_within(&mut silent, Duration::from_secs(5)).await);

    // The server still answers a client that sends its request at once.
    assert_eq!(send(&server, "GET", "/v3/p1/widgets/w1", None).await.0, 200);
}

#[tokio::test]
async fn a_trickled_body_is_refused_with_408() {
    let config = MockConfig::default().body_read_timeout(Duration::from_millis(200));
    let recorder = config.recorder();
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");
    let (mut reader, mut writer) = connect(&server).await.into_split();
    let head = "POST /v3/p1/widgets HTTP/1.1\r\nHost: mock\r\nX-Auth-Token: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
    writer.write_all(head.as_bytes()).await.expect("sends");
    // One byte every 50 ms: 100 bytes would take 5 s.
    let trickle = tokio::spawn(async move {
        for _ in 0..100 {
            if writer.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    let started = Instant::now();
    let response = tokio::time::timeout(Duration::from_secs(3), read_response(&mut reader))
        .await
        .expect("answered before the body is complete")
        .expect("a response");
    assert_eq!(response.status, 408, "{}", response.body);
    assert_eq!(response.body["error_code"], "MOCK.0408");
    let message = response.body["error_msg"].as_str().unwrap_or_default();
    assert!(message.contains("not received within 200 ms"), "{message}");
    assert_eq!(response.header("connection"), Some("close"));
    assert!(response.header("x-request-id").is_some());
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(closes_within(&mut reader, Duration::from_secs(3)).await);
    trickle.abort();
    assert!(recorder.calls().is_empty());
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed_after_the_idle_timeout() {
    // The idle timeout is longer than the header timeout, and applies between requests.
    let config = MockConfig::default()
        .header_read_timeout(Duration::from_millis(200))
        .idle_timeout(Duration::from_secs(1));
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");
    let mut stream = connect(&server).await;
    let request = b"GET /v3/p1/widgets/w1 HTTP/1.1\r\nHost: mock\r\nX-Auth-Token: t\r\n\r\n";
    stream.write_all(request).await.expect("sends");
    assert_eq!(
        read_response(&mut stream).await.expect("answers").status,
        200
    );

    // Idle for longer than the header timeout but within the idle one: still open.
    tokio::time::sleep(Duration::from_millis(500)).await;
    stream.write_all(request).await.expect("sends");
    let second = read_response(&mut stream).await.expect("kept alive");
    assert_eq!(second.status, 200);

    // Then nothing: closed after the idle timeout, not before.
    let idle_since = Instant::now();
    assert!(closes_within(&mut stream, Duration::from_secs(5)).await);
    let idle = idle_since.elapsed();
    assert!(idle >= Duration::from_millis(800), "closed after {idle:?}");
}

#[tokio::test]
async fn bad_input_is_a_400_that_names_the_problem() {
    let server = mock::start(DocumentedMock).await.expect("starts");
    let cases = [
        (r#"{"name": "#, "malformed JSON"),
        (
            r#"{"size": 3, "type": "plain"}"#,
            "body.name: required field is missing",
        ),
        (
            r#"{"name": "w100", "size": "big", "type": "plain"}"#,
            "body.size: expected a 32-bit integer",
        ),
        (
            r#"{"name": "w100", "size": 3, "type": "wooden"}"#,
            "body.type: \"wooden\" is not one of plain, fancy-v2",
        ),
        (
            r#"{"name": "w100", "size": 3, "type": "plain", "tags": [{"value": "v"}]}"#,
            "body.tags[0].key: required field is missing",
        ),
        (
            r#"{"name": "w1", "size": 3, "type": "plain"}"#,
            "body.name: length 2 is outside the documented 4 to 64",
        ),
        (
            r#"{"name": "w100", "size": 11, "type": "plain"}"#,
            "body.size: 11 is outside the documented range 1 to 10",
        ),
        (
            r#"{"name": "w100", "size": 3, "type": "plain", "priority": 7}"#,
            "body.priority: 7 is not one of 1, 2, 3",
        ),
    ];
    for (body, message) in cases {
        assert_error(
            &send(&server, "POST", "/v3/p1/widgets", Some(body)).await,
            400,
            message,
        );
    }
    assert_error(
        &send(&server, "POST", "/v3/p1/widgets", None).await,
        400,
        "body: required but missing",
    );
    assert_error(
        &send(&server, "DELETE", "/v3/p1/widgets/w1", None).await,
        400,
        "query parameter force: required but missing",
    );
    assert_error(
        &send(&server, "DELETE", "/v3/p1/widgets/w1?force=maybe", None).await,
        400,
        "query parameter force",
    );
    assert_error(
        &send(&server, "GET", "/v3/p1/widgets?status=gone", None).await,
        400,
        "query parameter status: \"gone\" is not one of ready, creating",
    );
    // A parameter of a named enum type: its value is checked, not read as the enum's `Unknown`.
    assert_error(
        &send(&server, "GET", "/v3/p1/widgets/detail?type=wooden", None).await,
        400,
        "query parameter type: \"wooden\" is not one of plain, fancy-v2",
    );
    assert_error(
        &send(&server, "GET", "/v3/p1/widgets?limit=ten", None).await,
        400,
        "query parameter limit",
    );
    assert_error(
        &send(&server, "GET", "/v3/p1/widgets?limit=0", None).await,
        400,
        "query parameter limit: 0 is outside the documented range 1 to 100",
    );
    assert!(server
        .calls_to("create_widget")
        .iter()
        .all(|c| c.operation == "create_widget"));
}

/// Answers `create_widget` with the body as the mock parsed it.
struct EchoWidget;

impl Mock for EchoWidget {
    async fn create_widget(&self, input: CreateWidgetInput) -> MockResponse {
        MockResponse::typed(202, &input.body)
    }
}

/// `extra` (JSON object members) added to the good body.
fn widget_with(extra: &str) -> String {
    format!(r#"{{"name": "w100", "size": 3, "type": "plain", {extra}}}"#)
}

/// As the API does, and unlike the validator with the spec's examples (see
/// `huaweicloud_db_schema::Mode`): a newer client's field is no error.
#[tokio::test]
async fn a_request_field_the_type_lacks_is_ignored() {
    let server = mock::start(EchoWidget).await.expect("starts");
    let (status, body, _) = send(
        &server,
        "POST",
        "/v3/p1/widgets",
        Some(&widget_with(r#""colour": "red""#)),
    )
    .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["name"], "w100");
    assert!(body.get("colour").is_none(), "{body}");
}

#[tokio::test]
async fn lenient_and_one_or_many_fields_accept_both_forms() {
    // A client built to either document: text or number for a lenient field, one item or an
    // array for a one_or_many field. Each is parsed into the declared type.
    let server = mock::start(EchoWidget).await.expect("starts");
    let cases = [
        (r#""port": 8080"#, "port", json!("8080")),
        (r#""port": "8080""#, "port", json!("8080")),
        (r#""replicas": 3"#, "replicas", json!(3)),
        (r#""replicas": " 3 ""#, "replicas", json!(3)),
        (r#""labels": {"key": "a"}"#, "labels", json!({"key": "a"})),
        (
            r#""labels": [{"key": "a"}, {"key": "b"}]"#,
            "labels",
            json!([{"key": "a"}, {"key": "b"}]),
        ),
    ];
    for (extra, field, parsed) in cases {
        let (status, body, _) =
            send(&server, "POST", "/v3/p1/widgets", Some(&widget_with(extra))).await;
        assert_eq!(status, 202, "{extra}: {body}");
        assert_eq!(body[field], parsed, "{extra}");
    }
}

#[tokio::test]
async fn lenient_and_one_or_many_fields_keep_their_checks() {
    let server = mock::start(DocumentedMock).await.expect("starts");
    let cases = [
        (
            r#""replicas": "two""#,
            "body.replicas: expected a 32-bit integer or text that reads as one, found a string",
        ),
        (
            r#""replicas": "3000000000""#,
            "body.replicas: expected a 32-bit integer or text that reads as one",
        ),
        (
            r#""replicas": "9""#,
            "body.replicas: 9 is outside the documented range 1 to 5",
        ),
        (
            r#""replicas": 0"#,
            "body.replicas: 0 is outside the documented range 1 to 5",
        ),
        (r#""port": true"#, "body.port: expected a string"),
        (
            r#""labels": {"value": "v"}"#,
            "body.labels.key: required field is missing",
        ),
        (r#""labels": "a""#, "body.labels: expected an object"),
        (
            r#""labels": [{"key": "a"}, {"key": "b"}, {"key": "c"}, {"key": "d"}]"#,
            "body.labels: length 4 is outside the documented 0 to 3",
        ),
    ];
    for (extra, message) in cases {
        assert_error(
            &send(&server, "POST", "/v3/p1/widgets", Some(&widget_with(extra))).await,
            400,
            message,
        );
    }
}

#[tokio::test]
async fn an_integer_field_takes_a_number_with_a_zero_fraction() {
    // JSON Schema, and so the OpenAPI export, counts 3.0 as an integer: the mock agrees, and the
    // handler gets the integer.
    let server = mock::start(EchoWidget).await.expect("starts");
    for (size, priority, parsed) in [("3.0", "2.0", (3, 2)), ("1e1", "3", (10, 3))] {
        let body = format!(
            r#"{{"name": "w100", "size": {size}, "type": "plain", "priority": {priority}}}"#
        );
        let (status, echoed, _) = send(&server, "POST", "/v3/p1/widgets", Some(&body)).await;
        assert_eq!(status, 202, "{body}: {echoed}");
        assert_eq!(
            (echoed["size"].clone(), echoed["priority"].clone()),
            (json!(parsed.0), json!(parsed.1)),
            "{body}"
        );
    }
    // A fraction, a whole number past i32, and one past the documented range are still refused.
    for (size, message) in [
        (
            "3.5",
            "body.size: expected a 32-bit integer, found a number",
        ),
        (
            "3e10",
            "body.size: expected a 32-bit integer, found a number",
        ),
        (
            "11.0",
            "body.size: 11 is outside the documented range 1 to 10",
        ),
    ] {
        let body = format!(r#"{{"name": "w100", "size": {size}, "type": "plain"}}"#);
        assert_error(
            &send(&server, "POST", "/v3/p1/widgets", Some(&body)).await,
            400,
            message,
        );
    }
}

#[tokio::test]
async fn the_recorder_keeps_the_latest_calls_only() {
    let config = MockConfig::default().record_limit(3);
    let recorder = config.recorder();
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");
    for n in 0..5 {
        send(&server, "GET", &format!("/v3/p1/widgets/w{n}"), None).await;
    }
    let kept: Vec<String> = server
        .calls()
        .iter()
        .map(|c| c.path_params[1].1.clone())
        .collect();
    assert_eq!(kept, ["w2", "w3", "w4"]);
    assert_eq!(recorder.forgotten(), 2);
}

#[tokio::test]
async fn a_body_with_many_problems_gets_a_short_answer() {
    // 2,000 tags without their required key: the answer describes 20 problems and counts the rest,
    // instead of growing with the body.
    let server = mock::start(DocumentedMock).await.expect("starts");
    let tags = vec!["{}"; 2000].join(",");
    let body = format!(r#"{{"name": "widget-1", "size": 3, "type": "plain", "tags": [{tags}]}}"#);
    let (status, answer, _) = send(&server, "POST", "/v3/p1/widgets", Some(&body)).await;
    assert_eq!(status, 400, "{answer}");
    let message = answer["error_msg"].as_str().expect("error_msg");
    assert!(message.contains("and 1980 more"), "{message}");
    assert!(message.len() < 2_000, "{} bytes", message.len());
}

#[tokio::test]
async fn a_body_over_the_limit_is_rejected() {
    let server = mock::start_with(DocumentedMock, MockConfig::default().body_limit(64), 0)
        .await
        .expect("starts");
    let big = format!(
        r#"{{"name": "{}", "size": 3, "type": "plain"}}"#,
        "x".repeat(100)
    );
    assert_error(
        &send(&server, "POST", "/v3/p1/widgets", Some(&big)).await,
        400,
        "larger than the limit",
    );
}

#[tokio::test]
async fn a_body_cut_short_is_reported_as_such() {
    // The client announces 100 bytes, sends 10 and closes its side: not "larger than the limit".
    let config = MockConfig::default().body_read_timeout(Duration::from_secs(60));
    let recorder = config.recorder();
    let server = mock::start_with(DocumentedMock, config, 0)
        .await
        .expect("starts");
    let mut stream = connect(&server).await;
    let head = "POST /v3/p1/widgets HTTP/1.1\r\nHost: mock\r\nX-Auth-Token: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\": ";
    stream.write_all(head.as_bytes()).await.expect("sends");
    stream.shutdown().await.expect("half-closes");
    let response = tokio::time::timeout(Duration::from_secs(5), read_response(&mut stream))
        .await
        .expect("answered without waiting for the body timeout")
        .expect("a response");
    assert_eq!(response.status, 400, "{}", response.body);
    assert_eq!(response.body["error_code"], "MOCK.0400");
    let message = response.body["error_msg"].as_str().unwrap_or_default();
    assert!(message.contains("cut short"), "{message}");
    assert!(recorder.calls().is_empty());
}

#[tokio::test]
async fn requests_must_be_authenticated() {
    let server = mock::start_with(
        DocumentedMock,
        MockConfig::default().verify_signatures("AccessKey", "SecretKey"),
        0,
    )
    .await
    .expect("starts");
    assert_error(
        &send_with(&server, "GET", "/v3/p1/widgets/w1", None, &[]).await,
        401,
        "no X-Auth-Token",
    );
    let forged = "SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=00";
    let headers = [
        ("Authorization", forged),
        ("X-Sdk-Date", "20200608T023900Z"),
    ];
    assert_error(
        &send_with(&server, "GET", "/v3/p1/widgets/w1", None, &headers).await,
        401,
        "Incorrect IAM authentication",
    );

    // A signature that verifies but was made two hours ago is a replay (or a clock that is off):
    // refused, as the gateway refuses a skew of more than about 15 minutes.
    let old_date = fixture_crate::runtime::signing::format_sdk_date(
        std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600),
    );
    let old_headers = vec![
        ("Host".to_string(), "127.0.0.1".to_string()),
        ("X-Sdk-Date".to_string(), old_date.clone()),
    ];
    let replayed = fixture_crate::runtime::signing::sign(
        &fixture_crate::runtime::signing::SignableRequest {
            method: "GET",
            path: "/v3/p1/widgets/w1",
            query: &[],
            headers: &old_headers,
            body: b"",
        },
        &["x-sdk-date"],
        "AccessKey",
        "SecretKey",
    )
    .expect("signs");
    let headers = [
        ("Authorization", replayed.as_str()),
        ("X-Sdk-Date", old_date.as_str()),
    ];
    assert_error(
        &send_with(&server, "GET", "/v3/p1/widgets/w1", None, &headers).await,
        401,
        "check the clock",
    );

    // The generated client's signature verifies; a wrong secret does not.
    let signed = demo::Client::builder()
        .endpoint(server.url())
        .project_id(PROJECT)
        .credentials(Credentials::ak_sk("AccessKey", "SecretKey"))
        .build()
        .expect("client");
    signed
        .show_widget("w1")
        .send()
        .await
        .expect("a good signature is accepted");
    let wrong = demo::Client::builder()
        .endpoint(server.url())
        .project_id(PROJECT)
        .credentials(Credentials::ak_sk("AccessKey", "NotTheKey"))
        .build()
        .expect("client");
    let error = wrong
        .show_widget("w1")
        .send()
        .await
        .expect_err("a bad signature is refused");
    assert!(
        matches!(&error, Error::Api(e) if e.status == 401 && e.error_code.as_deref() == Some("APIGW.0301")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_plus_in_the_query_is_a_space_to_the_signature_and_the_handler() {
    // A foreign signer sends `ids=a+b` and signs the value `a b`; a plus it means is `%2B`.
    let server = mock::start_with(
        DocumentedMock,
        MockConfig::default().verify_signatures("AccessKey", "SecretKey"),
        0,
    )
    .await
    .expect("starts");
    let date = fixture_crate::runtime::signing::format_sdk_date(std::time::SystemTime::now());
    let headers = vec![("X-Sdk-Date".to_string(), date.clone())];
    let meant = vec![
        ("ids".to_string(), "a b".to_string()),
        ("ids".to_string(), "c+d".to_string()),
    ];
    let authorization = fixture_crate::runtime::signing::sign(
        &fixture_crate::runtime::signing::SignableRequest {
            method: "GET",
            path: "/v3/p1/widgets",
            query: &meant,
            headers: &headers,
            body: b"",
        },
        &["x-sdk-date"],
        "AccessKey",
        "SecretKey",
    )
    .expect("signs");
    let sent = [
        ("Authorization", authorization.as_str()),
        ("X-Sdk-Date", date.as_str()),
    ];
    let (status, body, _) = send_with(
        &server,
        "GET",
        "/v3/p1/widgets?ids=a+b&ids=c%2Bd",
        None,
        &sent,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(server.calls_to("list_widgets")[0].query, meant);
}

/// A test double that overrides one operation and inherits the documented answers for the rest.
struct OneWidget;

impl Mock for OneWidget {
    async fn show_widget(&self, input: ShowWidgetInput) -> MockResponse {
        if input.widget_id == "missing" {
            return MockResponse::error(404, "DEMO.0404", "no such widget");
        }
        let mut widget = types::Widget::new();
        widget.id = Some(input.widget_id);
        widget.name = Some("custom".into());
        MockResponse::typed(200, &widget)
    }

    async fn create_widget(&self, input: CreateWidgetInput) -> MockResponse {
        assert_ne!(
            input.body.name, "make-it-panic",
            "a panic here must become a 500"
        );
        MockResponse::json(
            202,
            json!({"widget_id": input.body.name, "job_id": "job-1"}),
        )
    }
}

#[tokio::test]
async fn a_test_overrides_one_operation_and_reads_the_calls() {
    let server = mock::start(OneWidget).await.expect("starts");
    let client = demo::Client::builder()
        .endpoint(server.url())
        .project_id(PROJECT)
        .credentials(Credentials::token("t"))
        .build()
        .expect("client");
    let widget = client.show_widget("w-42").send().await.expect("overridden");
    assert_eq!(
        (widget.id.as_deref(), widget.name.as_deref()),
        (Some("w-42"), Some("custom"))
    );
    let missing = client.show_widget("missing").send().await.expect_err("404");
    assert!(
        matches!(&missing, Error::Api(e) if e.status == 404 && e.request_id.is_some()),
        "{missing:?}"
    );
    // Not overridden: the documented example.
    let listed = client.list_widgets().send().await.expect("documented");
    assert_eq!(listed.total_count, Some(1));

    let body = types::CreateWidgetRequest::new("made-by-test", 2, types::WidgetType::Plain);
    let created = client.create_widget(body).send().await.expect("created");
    assert_eq!(created.widget_id.as_deref(), Some("made-by-test"));
    let calls = server.calls_to("create_widget");
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].body.as_ref().map(|b| b["name"].clone()),
        Some(json!("made-by-test"))
    );
    assert_eq!(
        calls[0].path_params,
        vec![("project_id".to_string(), PROJECT.to_string())]
    );
}

#[tokio::test]
async fn a_panicking_handler_becomes_a_500() {
    let server = mock::start(OneWidget).await.expect("starts");
    let body = r#"{"name": "make-it-panic", "size": 3, "type": "plain"}"#;
    assert_error(
        &send(&server, "POST", "/v3/p1/widgets", Some(body)).await,
        500,
        "failed",
    );
    // The server keeps serving.
    assert_eq!(send(&server, "GET", "/v3/p1/widgets/w1", None).await.0, 200);
}

#[tokio::test]
async fn prefer_picks_a_documented_response() {
    let server = mock::start(DocumentedMock).await.expect("starts");
    let not_found = send_with(
        &server,
        "GET",
        "/v3/p1/widgets/w1",
        None,
        &[("X-Auth-Token", "t"), ("Prefer", "code=404")],
    )
    .await;
    assert_eq!(not_found.0, 404);
    assert_eq!(
        not_found.1,
        json!({"code": 404, "message": "no such widget"})
    );
    let error = send_with(
        &server,
        "POST",
        "/v3/p1/widgets",
        Some(GOOD_BODY),
        &[("X-Auth-Token", "t"), ("Prefer", "example=status_400")],
    )
    .await;
    assert_eq!(error.0, 400);
    assert_eq!(error.1["error_code"], "DEMO.0001");
    let undocumented = send_with(
        &server,
        "GET",
        "/v3/p1/widgets/w1",
        None,
        &[("X-Auth-Token", "t"), ("Prefer", "code=418")],
    )
    .await;
    assert_error(&undocumented, 400, "does not document status 418");
    // Input is still checked first.
    let invalid = send_with(
        &server,
        "POST",
        "/v3/p1/widgets",
        Some("{}"),
        &[("X-Auth-Token", "t"), ("Prefer", "code=202")],
    )
    .await;
    assert_eq!(invalid.0, 400);
}

#[tokio::test]
async fn an_operation_without_an_example_answers_with_a_minimal_body() {
    let server = mock::start(DocumentedMock).await.expect("starts");
    let (status, body, _) = send(&server, "GET", "/v1/p1/widget/w1", None).await;
    assert_eq!((status, body), (200, json!({})));
    let (status, _, request_id) =
        send(&server, "DELETE", "/v3/p1/widgets/w1?force=true", None).await;
    assert_eq!(status, 204);
    assert!(request_id.is_some());
}

#[tokio::test]
async fn shutdown_stops_the_server() {
    let server = mock::start(DocumentedMock).await.expect("starts");
    let url = server.url().to_string();
    server.shutdown().await;
    assert!(reqwest::get(format!("{url}/v3/p1/widgets")).await.is_err());
}

/// The schema holds what the mock reads: request types, which it checks, and the success bodies
/// it makes for operations without an example; a type only documented responses reach is left out.
#[test]
fn the_schema_holds_the_types_the_mock_reads() {
    let names: Vec<&str> = mock::SCHEMA
        .0
        .iter()
        .flat_map(|group| group.iter().map(|(name, _)| *name))
        .collect();
    assert!(names.contains(&"CreateWidgetRequest"), "{names:?}");
    for response_only in ["ShowJobResponse", "Job", "JobStatus"] {
        assert!(!names.contains(&response_only), "{names:?}");
    }
}

#[test]
fn a_minimal_body_keeps_the_documented_limits() {
    use fixture_crate::runtime::mock::{Mode, Shape};
    let shape = Shape::Named("CreateWidgetRequest");
    let minimal = mock::SCHEMA.minimal(&shape);
    assert_eq!(minimal, json!({"name": "xxxx", "size": 1, "type": "plain"}));
    assert_eq!(
        mock::SCHEMA.check(Mode::Request, &shape, &minimal, "body"),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn prefer_from_the_client_picks_a_documented_error_and_signatures_still_verify() {
    let server = mock::start_with(
        DocumentedMock,
        MockConfig::default().verify_signatures("AccessKey", "SecretKey"),
        0,
    )
    .await
    .expect("starts");
    let client = demo::Client::builder()
        .endpoint(server.url())
        .project_id(PROJECT)
        .credentials(Credentials::ak_sk("AccessKey", "SecretKey"))
        .default_header("X-Trace", "t-1")
        .build()
        .expect("client");
    // Extra headers are not signed, and the signature over the client's own still verifies.
    let widget = client
        .show_widget("w1")
        .header("X-Brand-New", "1")
        .send()
        .await
        .expect("a request with extra headers is accepted");
    assert!(widget.id.is_some());
    let error = client
        .show_widget("w1")
        .header("Prefer", "code=404")
        .send()
        .await
        .expect_err("the documented 404");
    let api = error.as_api().expect("an API error");
    assert_eq!(api.status, 404, "{error}");
    // The documented example of the 404, not a made-up error.
    assert_eq!(api.error_msg.as_deref(), Some("no such widget"));
    let body: types::NotFoundBody = api.parse_body().expect("the documented 404 body");
    assert_eq!(body.code, Some(404));
    assert_eq!(server.calls_to("show_widget").len(), 2);
}
