//! The README's examples of testing code against the mock, kept compiling and passing. Each region
//! from `// --- README start: <name>` to `// --- README end` is, word for word, the README block of
//! that name (`tests/readme_examples.rs` of the workspace checks it).
#![cfg(all(feature = "mock", feature = "taurusdb"))]

// What the examples after the first use besides its imports.
use huaweicloud_db::runtime::mock::MockConfig;
use huaweicloud_db::taurusdb::error_codes;
use mock::DocumentedMock;
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::Duration;

// --- README start: mock-override
use huaweicloud_db::runtime::mock::{MockResponse, MockServer};
use huaweicloud_db::taurusdb::{self, mock, types};
use huaweicloud_db::{Credentials, Error};
use mock::Mock;

/// User code under test: the newest kernel version the API offers.
async fn newest_kernel(client: &taurusdb::Client) -> Result<Option<String>, Error> {
    let versions = client.list_engine_versions("gaussdb-mysql").send().await?;
    Ok(versions
        .datastores
        .unwrap_or_default()
        .into_iter()
        .filter_map(|v| v.kernel_version)
        .max())
}

struct TwoVersions; // overrides one operation; every other one answers with its documented example
impl Mock for TwoVersions {
    async fn list_engine_versions(&self, _: mock::ListEngineVersionsInput) -> MockResponse {
        let version = |k: &str| {
            let mut info = types::MysqlEngineVersionInfo::new();
            info.kernel_version = Some(k.into());
            info
        };
        let mut body = types::ListEngineVersionsResponse::new();
        body.datastores = Some(vec![version("2.0.28.1"), version("2.0.57.240")]);
        MockResponse::typed(200, &body)
    }
}

/// A client of `server`, which takes any token.
fn client_for(server: &MockServer) -> taurusdb::Client {
    taurusdb::Client::builder()
        .endpoint(server.url())
        .project_id("0483b6b16e954cb88930a360d2c4e663")
        .credentials(Credentials::token("t"))
        .build()
        .unwrap()
}

#[tokio::test]
async fn finds_the_newest_kernel() {
    let server = mock::start(TwoVersions).await.unwrap();
    let client = client_for(&server);
    let newest = newest_kernel(&client).await.unwrap(); // your code under test
    assert_eq!(newest.as_deref(), Some("2.0.57.240"));
    assert_eq!(server.calls_to("list_engine_versions").len(), 1);
}
// --- README end

// --- README start: mock-state
#[tokio::test]
async fn the_mock_keeps_no_state() {
    let server = mock::start(DocumentedMock).await.unwrap();
    let client = client_for(&server);
    client.delete_instance("i-1").send().await.unwrap();
    // Deleted, and still there: every answer is the documented one, whatever came before.
    let shown = client.show_instance("i-1").send().await.unwrap();
    let id = shown.instance.unwrap().id.unwrap();
    assert_eq!(id, "d738399de028480fabb2b8120d4e01a4in07"); // the example's instance, not i-1
}

/// Remembers deletions; everything else is the documented answer.
#[derive(Default)]
struct Deletions(Mutex<HashSet<String>>);

impl Mock for Deletions {
    async fn delete_instance(&self, input: mock::DeleteInstanceInput) -> MockResponse {
        self.0.lock().unwrap().insert(input.instance_id.clone());
        DocumentedMock.delete_instance(input).await // the documented answer, in one call
    }

    async fn show_instance(&self, input: mock::ShowInstanceInput) -> MockResponse {
        if self.0.lock().unwrap().contains(&input.instance_id) {
            // 404 {"error_code": "DBS.200002", "error_msg": "The DB instance does not exist."}
            return MockResponse::documented_error(&error_codes::DBS_200002);
        }
        DocumentedMock.show_instance(input).await
    }
}

#[tokio::test]
async fn a_deleted_instance_is_gone() {
    let server = mock::start(Deletions::default()).await.unwrap();
    let client = client_for(&server);
    client.delete_instance("i-1").send().await.unwrap();
    match client.show_instance("i-1").send().await {
        Err(Error::Api(e)) => assert!(e.status == 404 && e.is(&error_codes::DBS_200002)),
        other => panic!("expected DBS.200002, got {other:?}"),
    }
    assert!(client.show_instance("i-2").send().await.is_ok());
}
// --- README end

// --- README start: mock-prefer
#[tokio::test]
async fn prefer_picks_a_documented_response() {
    let server = mock::start(DocumentedMock).await.unwrap();
    let response = reqwest::Client::new()
        .get(format!("{}/v3/p/datastores/gaussdb-mysql", server.url()))
        .header("X-Auth-Token", "t")
        .header("Prefer", "code=400") // or example=<name>
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body = response.bytes().await.unwrap();
    let error: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(error["error_code"].is_string() && error["error_msg"].is_string());
}
// --- README end

// --- README start: mock-recorder
#[tokio::test]
async fn the_recorder_keeps_what_the_client_sent() {
    let config = MockConfig::default().record_limit(3); // the 3 latest calls (default 256)
    let recorder = config.recorder(); // shared with the server
    let server = mock::start_with(DocumentedMock, config, 0).await.unwrap();
    let client = client_for(&server);

    let backup = types::CreateBackupRequest::new("i-1", "nightly").with_description("pre-upgrade");
    client.create_backup(backup).send().await.unwrap();
    client.list_instances().name("orders").send().await.unwrap();

    let calls = server.calls_to("create_backup");
    assert_eq!(calls.len(), 1);
    let project = (
        "project_id".to_string(),
        "0483b6b16e954cb88930a360d2c4e663".to_string(),
    );
    assert_eq!(calls[0].path_params, [project]); // decoded, in path order
    let body = calls[0].body.as_ref().unwrap(); // JSON bodies of at most 64 KiB are kept
    assert_eq!(body["description"], "pre-upgrade");
    let query = &server.calls_to("list_instances")[0].query; // decoded, in order
    assert!(query.contains(&("name".into(), "orders".into())));

    for name in ["a", "b", "c"] {
        client.list_instances().name(name).send().await.unwrap();
    }
    let kept: Vec<&str> = recorder.calls().iter().map(|c| c.operation).collect();
    assert_eq!(kept, ["list_instances"; 3]); // oldest first
    assert_eq!(recorder.forgotten(), 2);
}
// --- README end

// --- README start: mock-config
#[tokio::test]
async fn signatures_are_verified() {
    let config = MockConfig::default()
        .verify_signatures("my-ak", "my-sk") // else any signature passes; tokens always do
        .body_limit(256 * 1024) // a larger body is a 400 (default 1 MiB)
        .header_read_timeout(Duration::from_secs(5)) // else the connection is closed (10 s)
        .body_read_timeout(Duration::from_secs(5)) // else 408 (30 s)
        .idle_timeout(Duration::from_secs(5)); // between keep-alive requests (60 s)
    let server = mock::start_with(DocumentedMock, config, 0).await.unwrap();
    let signed_with = |sk: &str| {
        taurusdb::Client::builder()
            .endpoint(server.url())
            .project_id("p")
            .credentials(Credentials::ak_sk("my-ak", sk))
            .build()
            .unwrap()
    };
    let versions = signed_with("my-sk").list_engine_versions("gaussdb-mysql");
    assert!(versions.send().await.is_ok());
    let refused = signed_with("not-my-sk").list_engine_versions("gaussdb-mysql");
    assert_eq!(refused.send().await.unwrap_err().status(), Some(401));
}
// --- README end

/// A request to create a pay-per-use single-zone instance named `name`.
fn instance_request(name: &str) -> types::CreateInstanceRequest {
    types::CreateInstanceRequest::new(
        "cn-north-4",
        name,
        types::MysqlDatastoreInReq::new("gaussdb-mysql", "8.0"),
        "Cluster",
        "gaussdb.mysql.4xlarge.x86.4",
        "f7ee62e2-9705-4523-ba49-0ee4f4a4c6e0",
        "3d8e9c4e-ab5b-4a3d-b6c2-b7d1a8b6f0a1",
        "Test@12345678",
        types::AvailabilityZoneMode::Single,
        1,
    )
}

// --- README start: mock-fake
#[tokio::test]
async fn the_stateful_fake_remembers() {
    let fake = mock::fake(); // the resources of `fake:` in spec/taurusdb/service.yaml
    fake.set_job_duration(Duration::from_millis(20)); // default 1 s; or mock::fake_with_manual_clock()
    let config = MockConfig::default().fake(fake.clone());
    let server = mock::start_with(DocumentedMock, config, 0).await.unwrap();
    let client = client_for(&server);
    let (every, at_most) = (Duration::from_millis(10), Duration::from_secs(10));
    let create = client.create_instance(instance_request("db-1")); // its required fields
    let created = create.send_and_wait(every, at_most).await.unwrap();
    let id = created.instance.unwrap().id.unwrap(); // a fresh id, not the example's
    let listed = client.list_instances().send_all().await.unwrap();
    assert_eq!(listed.len(), 1);
    client.delete_instance(&id).send().await.unwrap();
    match client.show_instance(&id).send().await {
        Err(Error::Api(e)) => assert!(e.is(&error_codes::DBS_200002)),
        other => panic!("expected DBS.200002, got {other:?}"),
    }
    assert!(fake.list("instance").is_empty()); // the test can seed and inspect it too
}
// --- README end
