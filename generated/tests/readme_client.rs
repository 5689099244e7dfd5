//! The README's client examples, compiled so they stay true (the client is not run: it would call
//! the cloud). Each region from `// --- README start: <name>` to `// --- README end` is, word for
//! word, the README block of that name (`tests/readme_examples.rs` of the workspace checks it).
#![cfg(feature = "taurusdb")]

#[allow(dead_code)] // compiled, never called: `main` here is not the test binary's entry point
mod readme {
    // --- README start: client
    use huaweicloud_db::{taurusdb, Credentials, Error};

    #[tokio::main]
    async fn main() -> Result<(), Error> {
        let client = taurusdb::Client::builder()
            .region("cn-north-4")
            .credentials(Credentials::ak_sk("my-ak", "my-sk"))
            .project_id("0483b6b16e954cb88930a360d2c4e663")
            .build()?;
        // Or: taurusdb::Client::from_env()? with HUAWEICLOUD_SDK_AK / _SK / _PROJECT_ID / _REGION (below).

        let versions = client.list_engine_versions("gaussdb-mysql").send().await?;
        println!("{versions:?}");

        match client.list_htap_instances("no-such-instance").send().await {
            Err(Error::Api(e)) if e.status == 404 => println!("not found: {e}"),
            other => println!("{other:?}"),
        }
        Ok(())
    }
    // --- README end
}

use huaweicloud_db::taurusdb::types;
use huaweicloud_db::{taurusdb, Credentials};

#[test]
fn the_readme_client_builds_offline() {
    // Building a client resolves the endpoint without touching the network.
    let client = taurusdb::Client::builder()
        .region("cn-north-4")
        .credentials(Credentials::ak_sk("my-ak", "my-sk"))
        .build()
        .expect("builds");
    assert_eq!(
        client.handle().base_url(),
        "https://gaussdb.cn-north-4.myhuaweicloud.com"
    );
}

#[test]
fn the_readme_request_value_is_the_documented_body() {
    // --- README start: request-value
    let body = types::CreateBackupRequest::new("i-1", "nightly").with_description("pre-upgrade");
    let lang = types::XLanguage::EnUs;
    // --- README end
    assert_eq!(
        serde_json::to_value(&body).expect("serializes"),
        serde_json::json!({"instance_id": "i-1", "name": "nightly", "description": "pre-upgrade"})
    );
    assert_eq!(lang.as_str(), "en-us");
}
