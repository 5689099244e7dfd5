//! Secrets (SK, token, security token) never show in `Debug` output or error messages; the AK
//! may.

use huaweicloud_db_runtime::{
    ApiError, ClientBuilder, Handle, OperationRequest, RegionEndpoint, ServiceClient,
    ServiceDescriptor,
};
use huaweicloud_db_runtime::{Credentials, Error};

const SECRETS: [&str; 3] = ["my-secret-key", "my-security-token", "my-iam-token"];

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked into {text:?}"
        );
    }
}

static SERVICE: ServiceDescriptor = ServiceDescriptor {
    name: "test",
    endpoint_service: "testsvc",
    endpoints: &[RegionEndpoint {
        region: "cn-north-4",
        name: "CN North-Beijing4",
        host: "testsvc.cn-north-4.myhuaweicloud.com",
    }],
    endpoint_pattern: None,
    default_domain: None,
};

#[derive(Debug)]
struct TestClient(Handle);

impl ServiceClient for TestClient {
    const SERVICE: &'static ServiceDescriptor = &SERVICE;
    fn from_handle(handle: Handle) -> Self {
        TestClient(handle)
    }
}

#[test]
fn credentials_debug_hides_secrets_but_shows_the_access_key() {
    let temporary = Credentials::temporary("my-ak", "my-secret-key", "my-security-token");
    for shown in [format!("{temporary:?}"), format!("{temporary:#?}")] {
        assert_no_secret(&shown);
        assert!(shown.contains("my-ak"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }
    assert_no_secret(&format!("{:?}", Credentials::token("my-iam-token")));
    assert_no_secret(&format!(
        "{:#?}",
        Credentials::ak_sk("my-ak", "my-secret-key")
    ));
    if let Credentials::AkSk(key) = &temporary {
        assert_no_secret(&format!("{key:?}"));
        assert_eq!(key.ak(), "my-ak");
        assert_eq!(key.sk(), "my-secret-key");
        assert_eq!(key.security_token(), Some("my-security-token"));
    }
}

#[test]
fn builders_handles_and_clients_hide_secrets() {
    for credentials in [
        Credentials::temporary("my-ak", "my-secret-key", "my-security-token"),
        Credentials::token("my-iam-token"),
    ] {
        let builder = ClientBuilder::<TestClient>::new()
            .region("cn-north-4")
            .project_id("my-project")
            .credentials(credentials);
        assert_no_secret(&format!("{builder:?}"));
        let client = builder.build().expect("builds");
        let shown = format!("{:?} {:#?}", client, client.0);
        assert_no_secret(&shown);
        assert!(
            shown.contains("my-project") && shown.contains("cn-north-4"),
            "{shown}"
        );
    }
}

#[test]
fn requests_show_neither_body_nor_header_values() {
    let mut request = OperationRequest::new(reqwest::Method::POST, "CreateThing", "/v3/x".into());
    request.header("X-Auth-Token", "my-iam-token");
    request
        .json_body(&serde_json::json!({"password": "my-secret-key"}))
        .expect("encodes");
    let shown = format!("{request:?}");
    assert_no_secret(&shown);
    assert!(
        shown.contains("X-Auth-Token") && shown.contains("CreateThing"),
        "{shown}"
    );
}

#[test]
fn errors_do_not_carry_secrets() {
    let missing = ClientBuilder::<TestClient>::new()
        .region("nowhere-1")
        .credentials(Credentials::temporary(
            "my-ak",
            "my-secret-key",
            "my-security-token",
        ))
        .build();
    let error = missing.expect_err("unknown region");
    assert_no_secret(&format!("{error} {error:?}"));
    let unusable = ClientBuilder::<TestClient>::new()
        .region("cn-north-4")
        .credentials(Credentials::token("my-iam-token\n"))
        .build()
        .expect_err("a newline cannot be sent");
    assert_no_secret(&format!("{unusable} {unusable:?}"));

    let api = Error::Api(ApiError::from_response(
        401,
        Some("r-1".into()),
        br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}"#,
    ));
    let shown = format!("{api} {api:?}");
    assert_no_secret(&shown);
    for part in [
        "401",
        "APIGW.0301",
        "Incorrect IAM authentication information",
        "r-1",
    ] {
        assert!(shown.contains(part), "{shown:?} lacks {part}");
    }
}

#[test]
fn error_bodies_are_read_leniently() {
    let read = |body: &[u8]| {
        let e = ApiError::from_response(400, None, body);
        (e.error_code, e.error_msg)
    };
    let pair = |code: &str, msg: &str| (Some(code.to_string()), Some(msg.to_string()));
    assert_eq!(
        read(br#"{"error_code": "DBS.1", "error_msg": "m"}"#),
        pair("DBS.1", "m")
    );
    assert_eq!(
        read(br#"{"code": "X.1", "message": "m"}"#),
        pair("X.1", "m")
    );
    assert_eq!(
        read(br#"{"errCode": "DWS.0001", "externalMessage": "bad"}"#),
        pair("DWS.0001", "bad")
    );
    assert_eq!(
        read(br#"{"error": {"code": "X.2", "message": "n"}}"#),
        pair("X.2", "n")
    );
    assert_eq!(
        read(br#"{"error": {"error_code": "X.3", "error_msg": "o"}}"#),
        pair("X.3", "o")
    );
    assert_eq!(read(b"<html>Bad gateway</html>"), (None, None));
    assert_eq!(read(b""), (None, None));
    assert_eq!(read(b"[1, 2]"), (None, None));
    let html = ApiError::from_response(502, None, b"<html>Bad gateway</html>");
    assert_eq!(html.body, "<html>Bad gateway</html>");
    let shown = html.to_string();
    assert!(shown.contains("502") && shown.contains("none"), "{shown}");
}
