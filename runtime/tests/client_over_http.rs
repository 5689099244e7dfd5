//! `Handle::execute` against a scripted HTTP/1.1 server on 127.0.0.1: authentication headers and
//! signatures, retries, `Retry-After`, timeouts, error bodies and request ids.
//!
//! The server is a few lines of tokio: it answers each connection with the next scripted reply
//! and records what it received, so the tests can count attempts and check headers.

use huaweicloud_db_runtime::signing::{self, SignableRequest, SignatureError};
use huaweicloud_db_runtime::{
    encode_path_segment, ErrorCode, Handle, OperationRequest, RegionEndpoint, RetryConfig,
    ServiceClient, ServiceDescriptor,
};
use huaweicloud_db_runtime::{Credentials, Error};
use reqwest::Method;
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

// ---- the client under test ----

static SERVICE: ServiceDescriptor = ServiceDescriptor {
    name: "test",
    endpoint_service: "testsvc",
    endpoints: &[RegionEndpoint {
        region: "cn-north-4",
        name: "CN North-Beijing4",
        host: "testsvc.cn-north-4.myhuaweicloud.com",
    }],
    endpoint_pattern: Some("{service}.{region}.{domain}"),
    default_domain: Some("myhuaweicloud.com"),
};

#[derive(Debug, Clone)]
struct TestClient {
    handle: Handle,
}

impl ServiceClient for TestClient {
    const SERVICE: &'static ServiceDescriptor = &SERVICE;

    fn from_handle(handle: Handle) -> Self {
        TestClient { handle }
    }
}

const AK: &str = "test-ak";
const SK: &str = "test-sk-secret";
const SECURITY_TOKEN: &str = "test-security-token";
const PROJECT: &str = "proj-1";

/// Retries that wait a millisecond, so the tests stay fast.
fn quick_retries() -> RetryConfig {
    RetryConfig::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(20))
}

fn client(server: &Server, credentials: Credentials) -> Handle {
    huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(server.url())
        .credentials(credentials)
        .project_id(PROJECT)
        .retry(quick_retries())
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client builds")
        .handle
}

fn ak_sk_client(server: &Server) -> Handle {
    client(server, Credentials::temporary(AK, SK, SECURITY_TOKEN))
}

fn get(path: &str) -> OperationRequest {
    let mut request = OperationRequest::new(Method::GET, "ShowThing", path.to_string());
    request.retry_safe(true);
    request
}

fn post(path: &str) -> OperationRequest {
    let mut request = OperationRequest::new(Method::POST, "CreateThing", path.to_string());
    request
        .json_body(&serde_json::json!({"name": "thing"}))
        .expect("encodes");
    request
}

fn api_status(result: &Result<huaweicloud_db_runtime::RawResponse, Error>) -> Option<u16> {
    match result {
        Err(Error::Api(e)) => Some(e.status),
        _ => None,
    }
}

// ---- the scripted server ----

/// One scripted answer.
#[derive(Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
    delay: Duration,
}

impl Reply {
    fn new(status: u16, body: &str) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.to_string(),
            delay: Duration::ZERO,
        }
    }

    fn header(mut self, name: &'static str, value: &str) -> Reply {
        self.headers.push((name, value.to_string()));
        self
    }

    fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// One request as the server received it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    raw_query: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Checks the signature as the API gateway would, with the given key pair.
    fn verify(&self, ak: &str, sk: &str) -> Result<(), SignatureError> {
        let query = signing::decode_query(&self.raw_query);
        signing::verify(
            &SignableRequest {
                method: &self.method,
                path: &self.path,
                query: &query,
                headers: &self.headers,
                body: &self.body,
            },
            ak,
            sk,
        )
    }
}

struct Server {
    addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    /// Serves `replies` in order, one per connection; later requests get a 599.
    async fn start(replies: Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let addr = listener.local_addr().expect("has an address");
        let seen = Arc::new(Mutex::new(Vec::new()));
        let replies = Arc::new(Mutex::new(VecDeque::from(replies)));
        let recorder = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (recorder, replies) = (Arc::clone(&recorder), Arc::clone(&replies));
                tokio::spawn(async move {
                    let _ = answer(stream, recorder, replies).await;
                });
            }
        });
        Server { addr, seen }
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().expect("not poisoned").clone()
    }
}

async fn answer(
    mut stream: TcpStream,
    recorder: Arc<Mutex<Vec<Seen>>>,
    replies: Arc<Mutex<VecDeque<Reply>>>,
) -> std::io::Result<()> {
    let Some(seen) = read_request(&mut stream).await? else {
        return Ok(());
    };
    // Record and take the reply together, so that replies follow the order requests arrived in.
    let reply = {
        let mut recorded = recorder.lock().expect("not poisoned");
        recorded.push(seen);
        replies
            .lock()
            .expect("not poisoned")
            .pop_front()
            .unwrap_or_else(|| Reply::new(599, "no scripted reply left"))
    };
    tokio::time::sleep(reply.delay).await;
    let mut head = format!(
        "HTTP/1.1 {} Scripted\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(reply.body.as_bytes()).await?;
    stream.shutdown().await
}

/// Reads one request: head up to the blank line, then `Content-Length` bytes of body.
async fn read_request(stream: &mut TcpStream) -> std::io::Result<Option<Seen>> {
    let mut buffer = Vec::new();
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end;
        }
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            return Ok(None);
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next().unwrap_or_default().split(' ');
    let method = request_line.next().unwrap_or_default().to_string();
    let target = request_line.next().unwrap_or_default();
    let (path, raw_query) = target.split_once('?').unwrap_or((target, ""));
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let length: usize = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = buffer[head_end + 4..].to_vec();
    while body.len() < length {
        let mut chunk = [0u8; 4096];
        let read = stream.read(&mut chunk).await?;
        if read == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..read]);
    }
    Ok(Some(Seen {
        method,
        path: path.to_string(),
        raw_query: raw_query.to_string(),
        headers,
        body,
    }))
}

// ---- authentication ----

#[tokio::test]
async fn ak_sk_requests_arrive_signed_with_date_project_and_security_token() {
    let server = Server::start(vec![
        Reply::new(200, r#"{"id":"i-1"}"#).header("X-Request-Id", "req-ok")
    ])
    .await;
    let handle = ak_sk_client(&server);
    // Awkward characters in a path parameter and in the query must sign like they are sent.
    let mut request = get(&format!(
        "/v3/{PROJECT}/things/{}",
        encode_path_segment("a b/ü")
    ));
    request.query("name", "x y&z=1");
    request.query("tag", 2);
    request.query("tag", 1);
    let response = handle.execute(request).await.expect("succeeds");
    assert_eq!(response.status(), 200);
    assert_eq!(response.request_id(), Some("req-ok"));
    let body: serde_json::Value = response.json().expect("decodes");
    assert_eq!(body["id"], "i-1");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let request = &seen[0];
    assert_eq!(request.path, "/v3/proj-1/things/a%20b%2F%C3%BC");
    assert_eq!(request.verify(AK, SK), Ok(()));
    assert_eq!(
        request.verify(AK, "another-secret"),
        Err(SignatureError::BadSignature)
    );
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.starts_with(
            "SDK-HMAC-SHA256 Access=test-ak, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature="
        ),
        "{authorization}"
    );
    let date = request.header("x-sdk-date").expect("dated");
    assert_eq!(date.len(), 16, "{date}");
    assert!(date.starts_with("20") && date.as_bytes()[8] == b'T' && date.ends_with('Z'));
    assert_eq!(request.header("x-project-id"), Some(PROJECT));
    assert_eq!(request.header("x-security-token"), Some(SECURITY_TOKEN));
    assert_eq!(request.header("x-auth-token"), None);
}

#[tokio::test]
async fn json_bodies_are_sent_with_their_content_type_signed() {
    let server = Server::start(vec![Reply::new(202, "")]).await;
    let handle = client(&server, Credentials::ak_sk(AK, SK));
    let response = handle
        .execute(post(&format!("/v3/{PROJECT}/things")))
        .await
        .expect("succeeds");
    assert_eq!(response.status(), 202);
    let seen = &server.seen()[0];
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.body, br#"{"name":"thing"}"#);
    assert_eq!(
        seen.header("content-type"),
        Some("application/json;charset=UTF-8")
    );
    assert_eq!(seen.header("x-security-token"), None);
    assert!(seen
        .header("authorization")
        .is_some_and(|a| a.contains("SignedHeaders=content-type;host;x-project-id;x-sdk-date,")));
    assert_eq!(seen.verify(AK, SK), Ok(()));
}

#[tokio::test]
async fn an_endpoint_path_prefix_is_kept_and_signed() {
    let server = Server::start(vec![Reply::new(200, "{}")]).await;
    let handle = huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(format!("{}/gateway/", server.url()))
        .credentials(Credentials::ak_sk(AK, SK))
        .build()
        .expect("builds")
        .handle;
    assert_eq!(handle.base_url(), format!("{}/gateway", server.url()));
    handle.execute(get("/v3/things")).await.expect("succeeds");
    let seen = &server.seen()[0];
    assert_eq!(seen.path, "/gateway/v3/things");
    // Without a configured project there is no X-Project-Id to sign.
    assert_eq!(seen.header("x-project-id"), None);
    assert_eq!(seen.verify(AK, SK), Ok(()));
}

#[tokio::test]
async fn token_auth_sends_x_auth_token_and_no_signature() {
    let server = Server::start(vec![Reply::new(204, "")]).await;
    let handle = client(&server, Credentials::token("iam-token-value"));
    let response = handle.execute(get("/v3/things")).await.expect("succeeds");
    assert_eq!(response.status(), 204);
    let seen = &server.seen()[0];
    assert_eq!(seen.header("x-auth-token"), Some("iam-token-value"));
    assert_eq!(seen.header("authorization"), None);
    assert_eq!(seen.header("x-sdk-date"), None);
}

// ---- retries ----

#[tokio::test]
async fn a_503_is_retried_for_a_retry_safe_request() {
    let server = Server::start(vec![Reply::new(503, "busy"), Reply::new(200, "{}")]).await;
    let handle = ak_sk_client(&server);
    let response = handle.execute(get("/v3/things")).await.expect("succeeds");
    assert_eq!(response.status(), 200);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    // Every attempt is signed afresh, and each signature holds.
    assert!(seen.iter().all(|s| s.verify(AK, SK).is_ok()));
}

#[tokio::test]
async fn attempts_are_bounded() {
    let server = Server::start(vec![Reply::new(503, "busy"); 5]).await;
    let result = ak_sk_client(&server).execute(get("/v3/things")).await;
    assert_eq!(api_status(&result), Some(503));
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn a_400_is_not_retried() {
    let server = Server::start(vec![Reply::new(400, "{}"), Reply::new(200, "{}")]).await;
    let result = ak_sk_client(&server).execute(get("/v3/things")).await;
    assert_eq!(api_status(&result), Some(400));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn a_post_is_not_retried_on_503_unless_asked() {
    let server = Server::start(vec![Reply::new(503, "busy"), Reply::new(200, "{}")]).await;
    let result = ak_sk_client(&server).execute(post("/v3/things")).await;
    assert_eq!(api_status(&result), Some(503));
    assert_eq!(server.seen().len(), 1);

    let server = Server::start(vec![Reply::new(503, "busy"), Reply::new(200, "{}")]).await;
    let handle = huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(server.url())
        .credentials(Credentials::ak_sk(AK, SK))
        .retry(quick_retries().retry_unsafe(true))
        .build()
        .expect("builds")
        .handle;
    handle.execute(post("/v3/things")).await.expect("retried");
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn a_post_is_retried_on_429() {
    let server = Server::start(vec![Reply::new(429, "slow down"), Reply::new(201, "{}")]).await;
    let response = ak_sk_client(&server)
        .execute(post("/v3/things"))
        .await
        .expect("retried");
    assert_eq!(response.status(), 201);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].body, seen[1].body);
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = Server::start(vec![
        Reply::new(429, "").header("Retry-After", "1"),
        Reply::new(200, "{}"),
    ])
    .await;
    let handle = huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(server.url())
        .credentials(Credentials::ak_sk(AK, SK))
        .retry(
            RetryConfig::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_secs(5)),
        )
        .build()
        .expect("builds")
        .handle;
    let started = Instant::now();
    handle.execute(get("/v3/things")).await.expect("succeeds");
    // Only checks that it waited; not a timing target.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.seen().len(), 2);
}

#[tokio::test]
async fn connection_failures_are_transport_errors_after_retries() {
    // A port that was just free: nothing listens there.
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("has an address");
    drop(listener);
    let handle = huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(format!("http://{addr}"))
        .credentials(Credentials::token("iam-token-value"))
        .retry(quick_retries())
        .build()
        .expect("builds")
        .handle;
    // Not retry-safe, yet retried: nothing was sent. (Counting is impossible without a server,
    // so this checks the final error.)
    let error = handle
        .execute(post("/v3/things"))
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains("iam-token-value"));
}

// ---- timeouts ----

#[tokio::test]
async fn a_slow_response_times_out() {
    let server = Server::start(vec![Reply::new(200, "{}").delayed(Duration::from_secs(3))]).await;
    let handle = huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(server.url())
        .credentials(Credentials::ak_sk(AK, SK))
        .retry(RetryConfig::disabled())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("builds")
        .handle;
    match handle.execute(get("/v3/things")).await {
        Err(Error::Timeout { elapsed }) => assert!(elapsed >= Duration::from_millis(200)),
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[tokio::test]
async fn a_timed_out_retry_safe_request_is_retried() {
    let server = Server::start(vec![
        Reply::new(200, "{}").delayed(Duration::from_secs(3)),
        Reply::new(200, "{}"),
    ])
    .await;
    let handle = huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(server.url())
        .credentials(Credentials::ak_sk(AK, SK))
        .retry(quick_retries())
        .timeout(Duration::from_millis(200))
        .build()
        .expect("builds")
        .handle;
    handle
        .execute(get("/v3/things"))
        .await
        .expect("second attempt");
    assert_eq!(server.seen().len(), 2);
}

// ---- responses and errors ----

const BAD_REQUEST: ErrorCode = ErrorCode {
    code: "DBS.200001",
    status: 400,
    message: "bad",
    description: "The request is invalid.",
    solution: "Fix the request.",
};

#[tokio::test]
async fn an_error_body_becomes_an_api_error_with_all_four_parts() {
    let server = Server::start(vec![Reply::new(
        400,
        r#"{"error_code":"DBS.200001","error_msg":"bad"}"#,
    )
    .header("X-Request-Id", "req-123")])
    .await;
    let error = ak_sk_client(&server)
        .execute(get("/v3/things"))
        .await
        .expect_err("400");
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.error_code.as_deref(), Some("DBS.200001"));
    assert_eq!(api.error_msg.as_deref(), Some("bad"));
    assert_eq!(api.request_id.as_deref(), Some("req-123"));
    assert!(api.is(&BAD_REQUEST));
    assert_eq!(error.status(), Some(400));
    assert_eq!(error.request_id(), Some("req-123"));
    let shown = error.to_string();
    for part in ["400", "DBS.200001", "bad", "req-123"] {
        assert!(shown.contains(part), "{shown:?} lacks {part}");
    }
}

#[tokio::test]
async fn a_non_json_error_body_is_kept_as_text() {
    let server = Server::start(vec![
        Reply::new(502, "<html>Bad gateway</html>").header("X-Openstack-Request-Id", "req-os")
    ])
    .await;
    let handle = huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(server.url())
        .credentials(Credentials::ak_sk(AK, SK))
        .retry(RetryConfig::disabled())
        .build()
        .expect("builds")
        .handle;
    match handle.execute(get("/v3/things")).await {
        Err(Error::Api(api)) => {
            assert_eq!(api.status, 502);
            assert_eq!((api.error_code, api.error_msg), (None, None));
            assert_eq!(api.request_id.as_deref(), Some("req-os"));
            assert_eq!(api.body, "<html>Bad gateway</html>");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_body_that_does_not_fit_is_a_decode_error() {
    #[derive(Debug, serde::Deserialize)]
    struct Thing {
        #[allow(dead_code)] // only the type mismatch matters
        id: String,
    }
    let server = Server::start(vec![
        Reply::new(200, r#"{"id": 5}"#).header("X-Request-Id", "req-d")
    ])
    .await;
    let response = ak_sk_client(&server)
        .execute(get("/v3/things"))
        .await
        .expect("2xx");
    match response.json::<Thing>() {
        Err(Error::Decode {
            status,
            request_id,
            message,
        }) => {
            assert_eq!(status, 200);
            assert_eq!(request_id.as_deref(), Some("req-d"));
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn redirects_are_returned_not_followed() {
    let server = Server::start(vec![
        Reply::new(302, "").header("Location", "http://127.0.0.1:1/elsewhere"),
        Reply::new(200, "{}"),
    ])
    .await;
    let response = client(&server, Credentials::token("iam-token-value"))
        .execute(get("/v3/things"))
        .await
        .expect("3xx is returned");
    assert_eq!(response.status(), 302);
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn dot_segments_in_a_path_are_refused_before_sending() {
    let server = Server::start(vec![Reply::new(200, "{}")]).await;
    let path = format!("/v3/{PROJECT}/things/{}", encode_path_segment(".."));
    let result = ak_sk_client(&server).execute(get(&path)).await;
    assert!(matches!(result, Err(Error::Encode(_))), "{result:?}");
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn invalid_header_values_are_encode_errors() {
    let server = Server::start(vec![Reply::new(200, "{}")]).await;
    let mut request = get("/v3/things");
    request.header("X-Language", "en\r\nX-Injected: 1");
    let result = ak_sk_client(&server).execute(request).await;
    assert!(matches!(result, Err(Error::Encode(_))), "{result:?}");
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn project_ids_come_from_the_request_then_the_client() {
    let server = Server::start(Vec::new()).await;
    let handle = ak_sk_client(&server);
    assert_eq!(
        handle.resolve_project_id(Some("other".to_string())).ok(),
        Some("other".to_string())
    );
    assert_eq!(
        handle.resolve_project_id(None).ok(),
        Some(PROJECT.to_string())
    );
    let without = huaweicloud_db_runtime::ClientBuilder::<TestClient>::new()
        .endpoint(server.url())
        .credentials(Credentials::ak_sk(AK, SK))
        .build()
        .expect("builds")
        .handle;
    assert!(matches!(
        without.resolve_project_id(None),
        Err(Error::Config(message)) if message.contains("no project ID")
    ));
}
