//! Secrets never show in `Debug` output or error messages.

use huaweicloud_db::runtime::{ApiError, Credentials, Error};

const SECRETS: [&str; 3] = ["my-secret-key", "my-security-token", "my-iam-token"];

fn assert_no_secret(text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "secret {secret:?} leaked into {text:?}"
        );
    }
}

#[test]
fn credentials_debug_hides_secrets_but_shows_the_access_key() {
    let temporary = format!(
        "{:?}",
        Credentials::temporary("my-ak", "my-secret-key", "my-security-token")
    );
    assert_no_secret(&temporary);
    assert!(temporary.contains("my-ak"));
    assert_no_secret(&format!("{:?}", Credentials::token("my-iam-token")));
    assert_no_secret(&format!(
        "{:#?}",
        Credentials::ak_sk("my-ak", "my-secret-key")
    ));
}

#[test]
fn configuration_errors_do_not_carry_secrets() {
    let error = Error::Config("no project ID".into());
    assert_no_secret(&format!("{error} {error:?}"));
    let api = Error::Api(ApiError::from_response(
        401,
        Some("r-1".into()),
        br#"{"error_code":"APIGW.0301","error_msg":"Incorrect IAM authentication information"}"#,
    ));
    let shown = api.to_string();
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
    let nested =
        ApiError::from_response(400, None, br#"{"error": {"code": "X.1", "message": "m"}}"#);
    assert_eq!(
        (nested.error_code.as_deref(), nested.error_msg.as_deref()),
        (Some("X.1"), Some("m"))
    );
    let dws = ApiError::from_response(
        400,
        None,
        br#"{"errCode": "DWS.0001", "externalMessage": "bad"}"#,
    );
    assert_eq!(
        (dws.error_code.as_deref(), dws.error_msg.as_deref()),
        (Some("DWS.0001"), Some("bad"))
    );
    let html = ApiError::from_response(502, None, b"<html>Bad gateway</html>");
    assert_eq!(
        (html.error_code.as_deref(), html.error_msg.as_deref()),
        (None, None)
    );
    assert_eq!(html.body, "<html>Bad gateway</html>");
    assert!(html.to_string().contains("502"));
}
