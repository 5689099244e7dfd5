//! The generated client, end to end against a scripted server on loopback: what it sends (method,
//! path, query, headers, body, auth) and how it reads what comes back (typed bodies, status enums,
//! unknown values, API errors, pagination).

mod support;

use fixture_crate::demo::{self, types};
use fixture_crate::runtime::signing::{self, SignableRequest};
use fixture_crate::runtime::{Credentials, Error, HeaderProblem, RetryConfig};
use std::time::Duration;
use support::{Fault, Reply, Server};

const PROJECT: &str = "0483b6b16e954cb88930a360d2c4e663";

fn client(server: &Server, credentials: Credentials) -> demo::Client {
    demo::Client::builder()
        .endpoint(server.url.clone())
        .project_id(PROJECT)
        .credentials(credentials)
        .retry(
            RetryConfig::default()
                .initial_backoff(Duration::from_millis(1))
                .max_backoff(Duration::from_millis(5)),
        )
        .build()
        .expect("client builds")
}

fn token() -> Credentials {
    Credentials::token("test-token")
}

#[tokio::test]
async fn path_parameters_are_encoded_and_unknown_values_are_kept() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"id": "w1", "type": "sparkly", "status": "ready", "size": 3, "brand_new_field": {"x": 1}}"#,
    )])
    .await;
    let widget = client(&server, token())
        .show_widget("a b/c")
        .send()
        .await
        .expect("widget");
    assert_eq!(widget.id.as_deref(), Some("w1"));
    match &widget.type_ {
        Some(types::WidgetType::Unknown(value)) => assert_eq!(value.as_str(), "sparkly"),
        other => panic!("expected an unknown type, got {other:?}"),
    }
    // A known value always reads as its variant; `Unknown` cannot be made to stand in for one.
    assert_eq!(types::WidgetType::from("plain"), types::WidgetType::Plain);
    assert_eq!(widget.status, Some(types::WidgetStatus::Ready));
    let request = &server.received()[0];
    assert_eq!(request.method, "GET");
    assert_eq!(request.path(), format!("/v3/{PROJECT}/widgets/a%20b%2Fc"));
    assert_eq!(request.header("x-auth-token"), Some("test-token"));
}

#[tokio::test]
async fn fields_of_two_groups_with_the_same_values_share_one_enum() {
    let server = Server::start(vec![
        Reply::json(202, r#"{"widget_id": "w-1", "job_id": "j-1"}"#),
        Reply::json(200, r#"{"job": {"id": "j-1", "log_switch": "DIMMED"}}"#),
    ])
    .await;
    let client = client(&server, token());
    // CreateWidgetRequest.backup_switch (["ON", "OFF"]) and Job.log_switch (["OFF", "ON"]) are
    // both `OnOff`.
    let switch: types::OnOff = types::OnOff::On;
    let body = types::CreateWidgetRequest::new("w1", 3, types::WidgetType::Plain)
        .with_backup_switch(switch);
    client.create_widget(body).send().await.expect("create");
    let sent: serde_json::Value =
        serde_json::from_str(&server.received()[0].body).expect("json body");
    assert_eq!(sent["backup_switch"], "ON");
    let job = client.show_job("j-1").send().await.expect("job");
    let log_switch: Option<types::OnOff> = job.job.expect("job").log_switch;
    match &log_switch {
        Some(types::OnOff::Unknown(value)) => assert_eq!(value.as_str(), "DIMMED"),
        other => panic!("expected an unknown switch, got {other:?}"),
    }
    assert_eq!(serde_json::to_string(&log_switch).unwrap(), r#""DIMMED""#);
}

#[tokio::test]
async fn lenient_fields_read_text_and_numbers() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"id": "w1", "port": 3306, "replicas": "2"}"#),
        Reply::json(200, r#"{"id": "w1", "port": "3306", "replicas": 2}"#),
        Reply::json(200, r#"{"id": "w1", "port": null}"#),
        Reply::json(200, r#"{"id": "w1", "replicas": "two"}"#),
    ])
    .await;
    let client = client(&server, token());
    for _ in 0..2 {
        let widget = client.show_widget("w1").send().await.expect("widget");
        assert_eq!(
            (widget.port.as_deref(), widget.replicas),
            (Some("3306"), Some(2))
        );
    }
    let widget = client.show_widget("w1").send().await.expect("widget");
    assert_eq!((widget.port, widget.replicas), (None, None));
    let error = client
        .show_widget("w1")
        .send()
        .await
        .expect_err("not a number");
    assert!(
        matches!(&error, Error::Decode { .. }) && error.to_string().contains("an integer"),
        "{error}"
    );
    // The declared type is what is sent.
    // A response type: built with `new`, optional fields assigned.
    let mut widget = types::Widget::new();
    widget.port = Some("3306".into());
    let json = serde_json::to_value(widget).expect("serializes");
    assert_eq!(json["port"], "3306");
}

#[tokio::test]
async fn one_or_many_fields_read_one_item_or_an_array() {
    let created = |labels: &str| format!(r#"{{"widget_id": "w-1", "labels": {labels}}}"#);
    let server = Server::start(vec![
        Reply::json(202, &created(r#"{"key": "a"}"#)),
        Reply::json(202, &created(r#"[{"key": "a"}, {"key": "b"}]"#)),
        Reply::json(202, &created("null")),
        Reply::json(202, &created(r#""a""#)),
    ])
    .await;
    let client = client(&server, token());
    let mut keys = Vec::new();
    for _ in 0..3 {
        let response = client
            .create_widget(small_widget())
            .send()
            .await
            .expect("labels");
        let labels = response.labels.map(|labels| {
            labels
                .into_iter()
                .map(|l| l.key)
                .collect::<Vec<_>>()
                .join(",")
        });
        keys.push(labels);
    }
    assert_eq!(keys, [Some("a".into()), Some("a,b".into()), None]);
    let error = client
        .create_widget(small_widget())
        .send()
        .await
        .expect_err("neither a tag nor tags");
    assert!(matches!(&error, Error::Decode { .. }), "{error:?}");
}

#[tokio::test]
async fn one_or_many_fields_send_one_item_as_the_table_says() {
    let server = Server::start(vec![
        Reply::json(202, r#"{"widget_id": "w-1", "job_id": "j-1"}"#),
        Reply::json(202, r#"{"widget_id": "w-1", "job_id": "j-1"}"#),
    ])
    .await;
    let client = client(&server, token());
    let one = small_widget().with_labels([types::Tag::new("a")]);
    let two = small_widget().with_labels([types::Tag::new("a"), types::Tag::new("b")]);
    for body in [one, two] {
        client.create_widget(body).send().await.expect("created");
    }
    let sent: Vec<serde_json::Value> = server
        .received()
        .iter()
        .map(|r| {
            serde_json::from_str::<serde_json::Value>(&r.body).expect("json")["labels"].clone()
        })
        .collect();
    assert_eq!(
        sent,
        [
            serde_json::json!({"key": "a"}),
            serde_json::json!([{"key": "a"}, {"key": "b"}])
        ]
    );
}

#[tokio::test]
async fn lenient_request_fields_send_the_declared_type() {
    let server = Server::start(vec![Reply::json(
        202,
        r#"{"widget_id": "w-1", "job_id": "j-1"}"#,
    )])
    .await;
    let body = small_widget().with_port("8080").with_replicas(2);
    client(&server, token())
        .create_widget(body)
        .send()
        .await
        .expect("created");
    let sent: serde_json::Value =
        serde_json::from_str(&server.received()[0].body).expect("json body");
    assert_eq!(
        (&sent["port"], &sent["replicas"]),
        (&serde_json::json!("8080"), &serde_json::json!(2))
    );
}

#[tokio::test]
async fn query_and_header_parameters_are_sent() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"widgets": [], "total_count": 0}"#,
    )])
    .await;
    client(&server, token())
        .list_widgets()
        .offset(10)
        .limit(5)
        .status(types::WidgetStatus::Creating)
        .ids(vec!["a".into(), "b".into()])
        .x_language(types::XLanguage::ZhCn)
        .project_id("other-project")
        .send()
        .await
        .expect("list");
    let request = &server.received()[0];
    assert_eq!(request.path(), "/v3/other-project/widgets");
    let query = request.query();
    for expected in [
        ("offset", "10"),
        ("limit", "5"),
        ("status", "creating"),
        ("ids", "a"),
        ("ids", "b"),
    ] {
        assert!(
            query.contains(&(expected.0.into(), expected.1.into())),
            "{expected:?} missing from {query:?}"
        );
    }
    assert_eq!(request.header("x-language"), Some("zh-cn"));
}

#[tokio::test]
async fn the_body_is_sent_as_json_and_the_response_is_typed() {
    let server = Server::start(vec![Reply::json(
        202,
        r#"{"widget_id": "w-1", "job_id": "j-1"}"#,
    )])
    .await;
    // Required fields in `new`, optional ones with `with_`: the shape of every request type.
    let body = types::CreateWidgetRequest::new("w1", 3, types::WidgetType::FancyV2)
        .with_tags([types::Tag::new("k")])
        .with_priority(2);
    let created = client(&server, token())
        .create_widget(body)
        .send()
        .await
        .expect("create");
    assert_eq!(created.job_id.as_deref(), Some("j-1"));
    let request = &server.received()[0];
    assert_eq!(request.method, "POST");
    let sent: serde_json::Value = serde_json::from_str(&request.body).expect("json body");
    assert_eq!(
        sent,
        serde_json::json!({"name": "w1", "size": 3, "type": "fancy-v2", "tags": [{"key": "k"}], "priority": 2})
    );
}

#[tokio::test]
async fn different_success_bodies_become_an_output_enum() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"id": "w1"}"#),
        Reply::json(202, r#"{"job_id": "j-9"}"#),
        Reply::json(201, r#"{}"#),
    ])
    .await;
    let client = client(&server, token());
    match client.resize_widget("w1").send().await.expect("200") {
        types::ResizeWidgetOutput::Status200(widget) => {
            assert_eq!(widget.id.as_deref(), Some("w1"))
        }
        other => panic!("expected the 200 variant, got {other:?}"),
    }
    let resized = client
        .resize_widget("w1")
        .body(types::ResizeWidgetRequest::new(4))
        .send()
        .await;
    match resized.expect("202") {
        types::ResizeWidgetOutput::Status202(job) => assert_eq!(job.job_id.as_deref(), Some("j-9")),
        other => panic!("expected the 202 variant, got {other:?}"),
    }
    assert_eq!(server.received()[1].body, r#"{"new_size":4}"#);
    let undocumented = client.resize_widget("w1").send().await;
    assert!(
        matches!(
            undocumented,
            Err(Error::UnexpectedStatus { status: 201, .. })
        ),
        "{undocumented:?}"
    );
}

#[tokio::test]
async fn an_error_body_becomes_a_typed_api_error() {
    let server = Server::start(vec![Reply::json(
        400,
        r#"{"error_code": "DEMO.0001", "error_msg": "Invalid parameter."}"#,
    )
    .header("X-Request-Id", "req-123")])
    .await;
    let error = client(&server, token())
        .delete_widget("w1", true)
        .send()
        .await
        .expect_err("400");
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    assert_eq!(api.status, 400);
    assert_eq!(api.error_code.as_deref(), Some("DEMO.0001"));
    assert_eq!(api.error_msg.as_deref(), Some("Invalid parameter."));
    assert_eq!(api.request_id.as_deref(), Some("req-123"));
    assert!(api.is(&demo::error_codes::DEMO_0001));
    let shown = error.to_string();
    for part in ["400", "DEMO.0001", "Invalid parameter.", "req-123"] {
        assert!(shown.contains(part), "{shown:?} lacks {part}");
    }
    assert_eq!(server.received().len(), 1, "a 400 is not retried");
    assert_eq!(
        server.received()[0].query(),
        vec![("force".to_string(), "true".to_string())]
    );
}

#[tokio::test]
async fn an_empty_success_is_unit() {
    let server = Server::start(vec![Reply::json(204, "")]).await;
    client(&server, token())
        .delete_widget("w1", false)
        .send()
        .await
        .expect("deleted");
    assert_eq!(server.received()[0].method, "DELETE");
}

#[tokio::test]
async fn send_all_walks_every_page() {
    let page = |ids: &[&str]| {
        let widgets: Vec<String> = ids
            .iter()
            .map(|id| format!(r#"{{"id": "{id}"}}"#))
            .collect();
        Reply::json(
            200,
            &format!(
                r#"{{"widgets": [{}], "total_count": 5}}"#,
                widgets.join(",")
            ),
        )
    };
    let server = Server::start(vec![page(&["a", "b"]), page(&["c", "d"]), page(&["e"])]).await;
    let all = client(&server, token())
        .list_widgets()
        .limit(2)
        .send_all()
        .await
        .expect("all pages");
    let ids: Vec<&str> = all.iter().filter_map(|w| w.id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    let offsets: Vec<String> = server
        .received()
        .iter()
        .map(|r| {
            r.query()
                .into_iter()
                .find(|(k, _)| k == "offset")
                .map(|(_, v)| v)
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(offsets, ["0", "2", "4"]);
}

#[tokio::test]
async fn the_item_stream_fetches_only_the_pages_it_needs() {
    use futures_util::StreamExt;
    let page = |ids: &[&str]| {
        let widgets: Vec<String> = ids
            .iter()
            .map(|id| format!(r#"{{"id": "{id}"}}"#))
            .collect();
        Reply::json(200, &format!(r#"{{"widgets": [{}]}}"#, widgets.join(",")))
    };
    let server = Server::start(vec![page(&["a", "b"]), page(&["c", "d"]), page(&["e"])]).await;
    let first_three: Vec<String> = client(&server, token())
        .list_widgets()
        .limit(2)
        .pages()
        .items()
        .take(3)
        .map(|widget| widget.expect("a widget").id.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(first_three, ["a", "b", "c"]);
    // The third page was never asked for.
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn pages_come_one_at_a_time_and_an_error_ends_them() {
    let server = Server::start(vec![
        Reply::json(200, r#"{"widgets": [{"id": "a"}, {"id": "b"}]}"#),
        Reply::json(
            400,
            r#"{"error_code": "DEMO.0001", "error_msg": "Invalid parameter."}"#,
        ),
    ])
    .await;
    let mut pages = client(&server, token())
        .list_widgets()
        .limit(2)
        .offset(10)
        .pages();
    let first = pages.next_page().await.expect("a page").expect("ok");
    assert_eq!(first.len(), 2);
    match pages.next_page().await {
        Some(Err(Error::Api(e))) => assert_eq!(e.error_code.as_deref(), Some("DEMO.0001")),
        other => panic!("expected the API error, got {other:?}"),
    }
    assert!(pages.next_page().await.is_none());
    let offsets: Vec<String> = server
        .received()
        .iter()
        .filter_map(|r| {
            r.query()
                .into_iter()
                .find(|(k, _)| k == "offset")
                .map(|(_, v)| v)
        })
        .collect();
    assert_eq!(offsets, ["10", "12"]);
}

#[tokio::test]
async fn ak_sk_requests_are_signed() {
    let server = Server::start(vec![Reply::json(200, r#"{"id": "w1"}"#)]).await;
    client(&server, Credentials::ak_sk("AccessKey", "SecretKey"))
        .show_widget("w1")
        .send()
        .await
        .expect("ok");
    let request = &server.received()[0];
    let authorization = request.header("authorization").expect("signed");
    assert!(
        authorization.starts_with("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders="),
        "{authorization}"
    );
    assert!(request.header("x-sdk-date").is_some());
    assert_eq!(request.header("x-project-id"), Some(PROJECT));
    assert!(request.header("x-auth-token").is_none());
}

#[tokio::test]
async fn the_signature_verifies_on_the_server_side() {
    let server = Server::start(vec![Reply::json(202, r#"{"job_id": "j"}"#)]).await;
    let client = client(
        &server,
        Credentials::temporary("AccessKey", "SecretKey", "session-token"),
    );
    let body = small_widget();
    client
        .create_widget(body)
        .x_language(types::XLanguage::EnUs)
        .send()
        .await
        .expect("created");
    let received = &server.received()[0];
    assert_eq!(received.header("x-security-token"), Some("session-token"));
    let query = received.query();
    let request = SignableRequest {
        method: &received.method,
        path: received.path(),
        query: &query,
        headers: &received.headers,
        body: received.body.as_bytes(),
    };
    assert_eq!(signing::verify(&request, "AccessKey", "SecretKey"), Ok(()));
    assert!(signing::verify(&request, "AccessKey", "OtherKey").is_err());
    let signed_headers = received
        .header("authorization")
        .and_then(|a| a.split("SignedHeaders=").nth(1))
        .unwrap_or_default();
    assert!(
        signed_headers.starts_with("content-type;host;x-project-id;x-sdk-date;x-security-token,"),
        "{signed_headers}"
    );
}

#[tokio::test]
async fn a_post_is_not_retried_on_503_but_is_on_429() {
    let server = Server::start(vec![Reply::json(503, "{}"), Reply::json(202, "{}")]).await;

    let client = client(&server, token());
    let error = client
        .create_widget(small_widget())
        .send()
        .await
        .expect_err("503 on a POST");
    assert!(
        matches!(&error, Error::Api(e) if e.status == 503),
        "{error:?}"
    );
    assert_eq!(server.received().len(), 1);

    let throttled = Server::start(vec![
        Reply::json(429, "{}"),
        Reply::json(202, r#"{"job_id": "j"}"#),
    ])
    .await;
    let created = client_for(&throttled)
        .create_widget(small_widget())
        .send()
        .await
        .expect("retried after 429");
    assert_eq!(created.job_id.as_deref(), Some("j"));
    assert_eq!(throttled.received().len(), 2);
}

fn client_for(server: &Server) -> demo::Client {
    client(server, token())
}

// On tokio's paused clock, which moves only when every task waits for a timer: the waits are
// measured, not slept.
#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_up_to_max_backoff() {
    let client = |server: &Server| {
        demo::Client::builder()
            .endpoint(server.url.clone())
            .project_id(PROJECT)
            .credentials(token())
            .retry(
                RetryConfig::default()
                    .max_attempts(3)
                    .initial_backoff(Duration::from_millis(1))
                    .max_backoff(Duration::from_secs(5)),
            )
            .build()
            .expect("client")
    };
    let server = Server::start(vec![
        Reply::json(503, "{}").header("Retry-After", "2"),
        Reply::json(200, r#"{"id": "w1"}"#),
    ])
    .await;
    let started = tokio::time::Instant::now();
    client(&server)
        .show_widget("w1")
        .send()
        .await
        .expect("second attempt succeeds");
    // Without Retry-After the backoff would be at most 1 ms.
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    assert_eq!(server.received().len(), 2);

    // A throttling answer that asks for days, centuries or the end of time (as seconds or as a
    // date) is waited for `max_backoff` at most, and the last answer is the error.
    for retry_after in [
        "86400",
        "4294967296",
        "18446744073709551615",
        "Fri, 31 Dec 9999 23:59:59 GMT",
    ] {
        let server = Server::start(vec![Reply::json(
            429,
            r#"{"error_code": "APIGW.0308", "error_msg": "throttled"}"#,
        )
        .header("Retry-After", retry_after)])
        .await;
        let started = tokio::time::Instant::now();
        let error = client(&server)
            .show_widget("w1")
            .send()
            .await
            .expect_err("throttled to the end");
        let waited = started.elapsed();
        assert!(
            matches!(&error, Error::Api(e) if e.status == 429 && e.error_code.as_deref() == Some("APIGW.0308")),
            "{retry_after}: {error:?}"
        );
        assert_eq!(server.received().len(), 3, "{retry_after}");
        // Two waits of exactly `max_backoff`: the capped Retry-After beats any jitter.
        assert_eq!(waited, Duration::from_secs(10), "{retry_after}");
    }
}

#[tokio::test]
async fn a_slow_answer_is_a_timeout_error() {
    let server = Server::start(vec![Reply::json(200, "{}").delayed(Duration::from_secs(5))]).await;
    let client = demo::Client::builder()
        .endpoint(server.url.clone())
        .project_id(PROJECT)
        .credentials(token())
        .timeout(Duration::from_millis(200))
        .retry(RetryConfig::disabled())
        .build()
        .expect("client");
    let error = client
        .show_widget("w1")
        .send()
        .await
        .expect_err("times out");
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn a_connection_failure_is_a_transport_error() {
    // Bind and drop a listener so the port is closed.
    let port = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let client = demo::Client::builder()
        .endpoint(format!("http://127.0.0.1:{port}"))
        .project_id(PROJECT)
        .credentials(token())
        .retry(RetryConfig::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .expect("client");
    let error = client.show_widget("w1").send().await.expect_err("refused");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[test]
fn the_client_debug_output_has_no_secrets() {
    let client = demo::Client::builder()
        .region("cn-north-4")
        .credentials(Credentials::temporary(
            "my-ak",
            "my-secret-key",
            "my-session-token",
        ))
        .build()
        .expect("client");
    let shown = format!("{client:?}");
    assert!(
        shown.contains("my-ak") && shown.contains("demo.cn-north-4.myhuaweicloud.com"),
        "{shown}"
    );
    assert!(
        !shown.contains("my-secret-key") && !shown.contains("my-session-token"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_response_over_the_size_limit_is_an_error() {
    let big = format!(r#"{{"id": "{}"}}"#, "x".repeat(4096));
    let limited = |server: &Server, limit| {
        demo::Client::builder()
            .endpoint(server.url.clone())
            .project_id(PROJECT)
            .credentials(token())
            .max_response_bytes(limit)
            .build()
            .expect("client")
    };
    // Announced by Content-Length, or found while reading a chunked body that announces nothing,
    // however long it would go on.
    for fault in [None, Some(Fault::Chunked { size: 1000 })] {
        let reply = Reply::json(200, &big);
        let reply = match fault {
            Some(fault) => reply.fault(fault),
            None => reply,
        };
        let server = Server::start(vec![reply]).await;
        let result = limited(&server, 1024).show_widget("w1").send().await;
        assert!(
            matches!(
                result,
                Err(Error::ResponseTooLarge {
                    status: 200,
                    limit: 1024
                })
            ),
            "{fault:?}: {result:?}"
        );
        // Not retried, and a limit the body fits reads it.
        assert_eq!(server.received().len(), 1, "{fault:?}");
        let widget = limited(&server, big.len())
            .show_widget("w1")
            .send()
            .await
            .expect("fits");
        assert_eq!(widget.id.map(|id| id.len()), Some(4096), "{fault:?}");
    }
    let endless = Server::start(vec![Reply::new(200, b"").fault(Fault::EndlessChunked)]).await;
    let result = limited(&endless, 64 * 1024).show_widget("w1").send().await;
    assert!(
        matches!(
            result,
            Err(Error::ResponseTooLarge {
                status: 200,
                limit: 65536
            })
        ),
        "{result:?}"
    );
    assert_eq!(endless.received().len(), 1);
}

#[tokio::test]
async fn a_body_cut_short_or_reset_is_a_transport_error() {
    for fault in [
        Fault::Truncated { announced: 100 },
        Fault::ResetMidBody { announced: 100 },
    ] {
        let reply = Reply::json(200, r#"{"id": "w"#).fault(fault);
        let server = Server::start(vec![reply.clone()]).await;
        let error = client(&server, token())
            .show_widget("w1")
            .send()
            .await
            .expect_err("no whole body");
        assert!(matches!(error, Error::Transport(_)), "{fault:?}: {error:?}");
        // A GET may be repeated: all three attempts met the fault.
        assert_eq!(server.received().len(), 3, "{fault:?}");

        // A POST whose answer was lost may have been acted on: it is not repeated.
        let server = Server::start(vec![reply]).await;
        let error = client(&server, token())
            .create_widget(small_widget())
            .send()
            .await
            .expect_err("no whole body");
        assert!(matches!(error, Error::Transport(_)), "{fault:?}: {error:?}");
        assert_eq!(server.received().len(), 1, "{fault:?}");
    }
}

#[tokio::test]
async fn a_success_status_with_a_body_that_is_not_json_is_a_decode_error() {
    let bodies: [&[u8]; 5] = [
        br#"{"id": "w1""#,
        b"<html><body>502 Bad Gateway</body></html>",
        br#"{"size": 1e999}"#,
        b"\xff\xfe{}",
        b"[1, 2]",
    ];
    for body in bodies {
        let server = Server::start(vec![Reply::new(200, body)
            .header("Content-Type", "application/json")
            .header("X-Request-Id", "req-9")])
        .await;
        let error = client(&server, token())
            .show_widget("w1")
            .send()
            .await
            .expect_err("not a widget");
        assert!(
            matches!(&error, Error::Decode { status: 200, request_id, .. } if request_id.as_deref() == Some("req-9")),
            "{body:?}: {error:?}"
        );
        assert_eq!(server.received().len(), 1, "a decode error is not retried");
    }
}

#[test]
fn secret_fields_never_show_in_debug() {
    let mut body = small_widget();
    body.admin_password = Some("Hunter2-admin!".into());
    let shown = format!("{body:?}");
    assert!(!shown.contains("Hunter2"), "{shown}");
    assert!(shown.contains(r#"admin_password: Some("***")"#), "{shown}");
    // The request builder holds the body; its `Debug` goes through the body's.
    let client = demo::Client::builder()
        .endpoint("http://127.0.0.1:9")
        .project_id(PROJECT)
        .credentials(token())
        .build()
        .expect("client");
    let request = client.create_widget(body);
    assert!(!format!("{request:?}").contains("Hunter2"));
}

#[tokio::test]
async fn a_503_is_retried_for_a_safe_operation() {
    let server = Server::start(vec![
        Reply::json(503, "{}"),
        Reply::json(200, r#"{"id": "w1"}"#),
    ])
    .await;
    let widget = client(&server, token())
        .show_widget("w1")
        .send()
        .await
        .expect("retried");
    assert_eq!(widget.id.as_deref(), Some("w1"));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn a_missing_project_id_is_a_configuration_error() {
    let client = demo::Client::builder()
        .endpoint("http://127.0.0.1:9")
        .credentials(token())
        .build()
        .expect("builds");
    let error = client
        .show_widget("w1")
        .send()
        .await
        .expect_err("no project id");
    assert!(matches!(error, Error::Config(_)), "{error:?}");
}

#[test]
fn regions_resolve_through_the_endpoint_table_and_the_pattern() {
    let table = demo::Client::builder()
        .region("ap-southeast-1")
        .credentials(token())
        .build()
        .expect("table");
    assert_eq!(
        table.handle().base_url(),
        "https://demo-hk.ap-southeast-1.myhuaweicloud.com"
    );
    let pattern = demo::Client::builder()
        .region("eu-west-0")
        .credentials(token())
        .build()
        .expect("pattern");
    assert_eq!(
        pattern.handle().base_url(),
        "https://demo.eu-west-0.myhuaweicloud.com"
    );
    let private = demo::Client::builder()
        .region("r1")
        .domain("cloud.example")
        .credentials(token())
        .build()
        .expect("domain");
    assert_eq!(private.handle().base_url(), "https://demo.r1.cloud.example");
    let overridden = demo::Client::builder()
        .endpoint("proxy.example:8443/")
        .credentials(token())
        .build()
        .expect("override");
    assert_eq!(overridden.handle().base_url(), "https://proxy.example:8443");
}

#[test]
fn incomplete_configuration_is_reported() {
    let no_credentials = demo::Client::builder().region("cn-north-4").build();
    assert!(
        matches!(&no_credentials, Err(Error::Config(m)) if m.contains("credentials")),
        "{no_credentials:?}"
    );
    let no_region = demo::Client::builder().credentials(token()).build();
    assert!(
        matches!(&no_region, Err(Error::Config(m)) if m.contains("region")),
        "{no_region:?}"
    );
    let bad_endpoint = demo::Client::builder()
        .endpoint("http://")
        .credentials(token())
        .build();
    assert!(matches!(bad_endpoint, Err(Error::Config(_))));
}

#[tokio::test]
async fn a_typed_error_body_can_be_read() {
    let server = Server::start(vec![Reply::json(
        404,
        r#"{"code": 404, "message": "no such widget"}"#,
    )])
    .await;
    let error = client(&server, token())
        .show_widget("w9")
        .send()
        .await
        .expect_err("404");
    let Error::Api(api) = &error else {
        panic!("expected an API error, got {error:?}")
    };
    let body: types::NotFoundBody = api.parse_body().expect("the documented 404 body");
    assert_eq!(
        (body.code, body.message.as_deref()),
        (Some(404), Some("no such widget"))
    );
    // The lenient reader also finds the code and message of this shape.
    assert_eq!(api.error_msg.as_deref(), Some("no such widget"));
}

fn small_widget() -> types::CreateWidgetRequest {
    types::CreateWidgetRequest::new("widget-1", 1, "plain")
}

#[tokio::test]
async fn send_and_wait_follows_the_job_until_it_completes() {
    let server = Server::start(vec![
        Reply::json(202, r#"{"widget_id": "w-1", "job_id": "j-7"}"#),
        Reply::json(200, r#"{"job": {"id": "j-7", "status": "Running"}}"#),
        Reply::json(200, r#"{"job": {"id": "j-7", "status": "Completed"}}"#),
    ])
    .await;
    let created = client(&server, token())
        .create_widget(small_widget())
        .send_and_wait(Duration::from_millis(10), Duration::from_secs(5))
        .await
        .expect("the job completes");
    assert_eq!(created.widget_id.as_deref(), Some("w-1"));
    let received = server.received();
    assert_eq!(received.len(), 3);
    assert_eq!(received[1].path(), format!("/v3/{PROJECT}/jobs"));
    assert_eq!(
        received[1].query(),
        vec![("id".to_string(), "j-7".to_string())]
    );
}

#[tokio::test]
async fn send_and_wait_reports_a_failed_job_and_a_timeout() {
    let failing = Server::start(vec![
        Reply::json(202, r#"{"job_id": "j-8"}"#),
        Reply::json(
            200,
            r#"{"job": {"status": "Failed", "fail_reason": "Insufficient quota."}}"#,
        ),
        Reply::json(202, r#"{"job_id": "j-10"}"#),
        Reply::json(200, r#"{"job": {"status": "Failed"}}"#),
    ])
    .await;
    let error = client(&failing, token())
        .create_widget(small_widget())
        .send_and_wait(Duration::from_millis(10), Duration::from_secs(5))
        .await
        .expect_err("the job fails");
    assert!(
        matches!(&error, Error::JobFailed { job_id, status, reason: Some(reason) }
            if job_id == "j-8" && status == "Failed" && reason == "Insufficient quota."),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "job j-8 failed with status Failed: Insufficient quota."
    );
    let error = client(&failing, token())
        .create_widget(small_widget())
        .send_and_wait(Duration::from_millis(10), Duration::from_secs(5))
        .await
        .expect_err("the job fails");
    assert!(
        matches!(&error, Error::JobFailed { job_id, reason: None, .. } if job_id == "j-10"),
        "{error:?}"
    );

    let slow = Server::start(vec![
        Reply::json(202, r#"{"job_id": "j-9"}"#),
        Reply::json(200, r#"{"job": {"status": "Running"}}"#),
    ])
    .await;
    let error = client(&slow, token())
        .create_widget(small_widget())
        .send_and_wait(Duration::from_millis(20), Duration::from_millis(100))
        .await
        .expect_err("the job outlasts the wait");
    assert!(
        matches!(&error, Error::JobTimeout { job_id, last_status, .. } if job_id == "j-9" && last_status.as_deref() == Some("Running")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_status_the_operation_does_not_document_is_an_error() {
    // A redirect is not followed (though its Location names a widget this server would send)
    // and is not the widget; a 204 is not the documented 200 body; a 304 on a call documented as
    // 204 is not the deletion.
    for (status, body) in [
        (301, ""),
        (302, ""),
        (303, ""),
        (307, r#"{"id": "w1"}"#),
        (308, ""),
        (204, ""),
    ] {
        let location = format!("/v3/{PROJECT}/widgets/w2");
        let server = Server::start(vec![
            Reply::json(status, body).header("Location", &location),
            Reply::json(200, r#"{"id": "w2"}"#),
        ])
        .await;
        let result = client(&server, token()).show_widget("w1").send().await;
        assert_eq!(server.received().len(), 1, "{status} was followed");
        match result {
            Err(Error::UnexpectedStatus {
                status: got,
                body: kept,
                ..
            }) => {
                assert_eq!(got, status);
                assert_eq!(kept, body);
            }
            other => panic!("{status}: {other:?}"),
        }
    }
    let server = Server::start(vec![Reply::json(304, "")]).await;
    let result = client(&server, token())
        .delete_widget("w1", false)
        .send()
        .await;
    assert!(
        matches!(result, Err(Error::UnexpectedStatus { status: 304, .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn extra_headers_arrive_and_the_most_specific_one_wins() {
    let server = Server::start(vec![Reply::json(
        200,
        r#"{"widgets": [], "total_count": 0}"#,
    )])
    .await;
    let client = demo::Client::builder()
        .endpoint(server.url.clone())
        .project_id(PROJECT)
        .credentials(token())
        .default_header("X-Team", "databases")
        .default_header("X-Trace", "from-the-client")
        .default_header("X-Language", "zh-cn")
        .build()
        .expect("client builds");
    client
        .list_widgets()
        .x_language(types::XLanguage::EnUs)
        .header("x-trace", "from-the-request")
        .header("X-Brand-New", "1")
        .send()
        .await
        .expect("list");
    client
        .list_widgets()
        .x_language(types::XLanguage::EnUs)
        .header("X-Language", "fr-fr")
        .send()
        .await
        .expect("list");
    client.list_widgets().send().await.expect("list");
    let received = server.received();
    let first = &received[0];
    assert_eq!(first.header("x-team"), Some("databases"));
    assert_eq!(first.header("x-trace"), Some("from-the-request"));
    assert_eq!(first.header("x-brand-new"), Some("1"));
    // A documented header parameter set on the request wins over the client's default...
    assert_eq!(first.header("x-language"), Some("en-us"));
    assert_eq!(
        first.headers.iter().filter(|(n, _)| n == "x-trace").count(),
        1
    );
    // ...and the request's own header wins over the parameter.
    assert_eq!(received[1].header("x-language"), Some("fr-fr"));
    // Request headers stay with their request; the client's go everywhere.
    assert_eq!(received[2].header("x-trace"), Some("from-the-client"));
    assert_eq!(received[2].header("x-language"), Some("zh-cn"));
    assert_eq!(received[2].header("x-brand-new"), None);
}

#[tokio::test]
async fn a_header_that_cannot_be_sent_is_a_typed_error_and_nothing_is_sent() {
    let server = Server::start(vec![Reply::json(200, r#"{"id": "w1"}"#)]).await;
    let client = client(&server, Credentials::ak_sk("ak", "sk"));
    for (name, value, expected) in [
        (
            "Authorization",
            "SDK-HMAC-SHA256 forged",
            HeaderProblem::Reserved,
        ),
        ("x-sdk-date", "20200101T000000Z", HeaderProblem::Reserved),
        ("Host", "elsewhere.example.com", HeaderProblem::Reserved),
        ("X-Auth-Token", "other-token", HeaderProblem::Reserved),
        (
            "X-Note",
            "line\r\nX-Injected: 1",
            HeaderProblem::InvalidValue,
        ),
        ("not a name", "v", HeaderProblem::InvalidName),
    ] {
        let result = client.show_widget("w1").header(name, value).send().await;
        match result {
            Err(Error::InvalidHeader { name: got, problem }) => {
                assert_eq!((got.as_str(), problem), (name, expected));
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(server.received().is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn the_job_is_followed_without_the_request_headers() {
    let server = Server::start(vec![
        Reply::json(202, r#"{"widget_id": "w-1", "job_id": "j-7"}"#),
        Reply::json(200, r#"{"job": {"id": "j-7", "status": "Completed"}}"#),
    ])
    .await;
    client(&server, token())
        .create_widget(small_widget())
        .header("X-Idempotency-Key", "k-1")
        .send_and_wait(Duration::from_millis(10), Duration::from_secs(5))
        .await
        .expect("the job completes");
    let received = server.received();
    assert_eq!(received[0].header("x-idempotency-key"), Some("k-1"));
    assert_eq!(received[1].path(), format!("/v3/{PROJECT}/jobs"));
    assert_eq!(received[1].header("x-idempotency-key"), None);
}

#[tokio::test]
async fn a_client_setting_is_sent_unless_the_request_sets_its_own() {
    let page = || Reply::json(200, r#"{"widgets": [], "total_count": 0}"#);
    let server = Server::start(vec![page(), page(), page(), page()]).await;
    let plain = client(&server, token());
    let chinese = plain.with_x_language(types::XLanguage::ZhCn);
    chinese.list_widgets().send().await.expect("list");
    chinese
        .list_widgets()
        .x_language(types::XLanguage::EnUs)
        .send()
        .await
        .expect("list");
    plain.list_widgets().send().await.expect("list");
    // An operation that does not document the header gets the client's default too, as with
    // `default_header`.
    chinese.show_widget("w1").send().await.ok();
    let received = server.received();
    assert_eq!(received[0].header("x-language"), Some("zh-cn"));
    assert_eq!(
        received[1].header("x-language"),
        Some("en-us"),
        "the request's own value replaces the client's"
    );
    assert_eq!(
        received[1]
            .headers
            .iter()
            .filter(|(n, _)| n == "x-language")
            .count(),
        1
    );
    assert_eq!(
        received[2].header("x-language"),
        None,
        "the client it was made from is unchanged"
    );
    assert_eq!(received[3].header("x-language"), Some("zh-cn"));
}
