//! The README's client example, compiled so it stays true (it is not run: it would call the cloud).
#![cfg(feature = "taurusdb")]

use huaweicloud_db::{taurusdb, Credentials, Error};

#[allow(dead_code)] // compiled, never called
async fn readme_example() -> Result<(), Error> {
    let client = taurusdb::Client::builder()
        .region("cn-north-4")
        .credentials(Credentials::ak_sk("my-ak", "my-sk"))
        .project_id("0483b6b16e954cb88930a360d2c4e663")
        .build()?;

    let versions = client.list_engine_versions("gaussdb-mysql").send().await?;
    println!("{versions:?}");

    match client.list_htap_instances("no-such-instance").send().await {
        Err(Error::Api(e)) if e.status == 404 => println!("not found: {e}"),
        other => println!("{other:?}"),
    }
    Ok(())
}

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
