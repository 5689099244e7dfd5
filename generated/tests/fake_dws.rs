//! GaussDB(DWS)'s stateful fake through the typed client: each resource the spec gives `fake:`
//! hints for, from create to the not-found answer after delete, on a clock the test moves.
#![cfg(all(feature = "mock", feature = "dws"))]

use huaweicloud_db::dws::{self, mock, types};
use huaweicloud_db::runtime::mock::{Fake, MockConfig, MockServer};
use huaweicloud_db::{Credentials, Error};
use std::time::Duration;

const PROJECT: &str = "0483b6b16e954cb88930a360d2c4e663";

/// Longer than the fake's job duration: a create or delete in progress ends.
const JOB: Duration = Duration::from_secs(60);

async fn serve(fake: &Fake) -> (MockServer, dws::Client) {
    let config = MockConfig::default().fake(fake.clone());
    let server = mock::start_with(mock::DocumentedMock, config, 0)
        .await
        .expect("starts");
    let client = dws::Client::builder()
        .endpoint(server.url())
        .project_id(PROJECT)
        .credentials(Credentials::token("t"))
        .build()
        .expect("client");
    (server, client)
}

/// The documents' answer for a missing resource: 404 "No resources found.", with no error code.
fn expect_not_found<T: std::fmt::Debug>(result: Result<T, Error>) {
    match result {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 404, "{e}");
            assert_eq!(e.error_code, None, "{e}");
            let message = e.error_msg.as_deref().unwrap_or_default();
            assert!(message.starts_with("No resources found."), "{e}");
        }
        other => panic!("expected a 404, got {other:?}"),
    }
}

fn new_cluster(name: &str) -> types::CreateClusterRequest {
    types::CreateClusterRequest::new(types::CreateClusterInfo::new(
        "dws.m3.xlarge",
        3,
        "374eca02-cfc4-4de7-8ab5-dbebf7d9a720",
        "dc3ec145-9029-4b39-b5a3-ace5a01f772b",
        "85b20d7e-9eb7-4b2a-98f3-3c8843ea3574",
        name,
        "dbadmin",
        "Passw0rd!2024",
    ))
}

async fn cluster_status(client: &dws::Client, id: &str) -> String {
    let shown = client.show_cluster(id).send().await.expect("shows");
    let cluster = shown.cluster.expect("the cluster");
    assert_eq!(cluster.id.as_deref(), Some(id));
    cluster.status.expect("a status").as_str().to_string()
}

#[tokio::test]
async fn a_cluster_lives_from_create_to_delete() {
    let fake = mock::fake_with_manual_clock();
    let (_server, client) = serve(&fake).await;

    // The create answers an order id only: the new cluster is found by listing, by name.
    let order = client
        .create_cluster(new_cluster("fake-cluster-1"))
        .send()
        .await
        .expect("creates");
    assert!(order.subscriptions_id.is_some());
    client
        .create_cluster(new_cluster("fake-cluster-2"))
        .send()
        .await
        .expect("creates");
    let listed = client.list_clusters().send().await.expect("lists");
    assert_eq!(listed.count, Some(2));
    let clusters = listed.clusters.unwrap_or_default();
    let names: Vec<&str> = clusters.iter().filter_map(|c| c.name.as_deref()).collect();
    assert_eq!(names, ["fake-cluster-1", "fake-cluster-2"]);
    let id = clusters
        .iter()
        .find(|c| c.name.as_deref() == Some("fake-cluster-1"))
        .and_then(|c| c.id.clone())
        .expect("an id");

    // Creating until the fake's job time has passed, then available, with the request's values.
    assert_eq!(cluster_status(&client, &id).await, "CREATING");
    fake.advance(JOB);
    assert_eq!(cluster_status(&client, &id).await, "AVAILABLE");
    let shown = client.show_cluster(&id).send().await.expect("shows");
    let cluster = shown.cluster.expect("the cluster");
    assert_eq!(cluster.name.as_deref(), Some("fake-cluster-1"));
    assert_eq!(cluster.number_of_node, Some(3));
    assert_eq!(cluster.node_type.as_deref(), Some("dws.m3.xlarge"));

    // Deleting until the job time has passed, then the not-found answer; the other one stays.
    client
        .delete_cluster(&id, types::DeleteClusterRequest::new(0))
        .send()
        .await
        .expect("deletes");
    assert_eq!(cluster_status(&client, &id).await, "DELETING");
    fake.advance(JOB);
    expect_not_found(client.show_cluster(&id).send().await);
    expect_not_found(
        client
            .delete_cluster(&id, types::DeleteClusterRequest::new(0))
            .send()
            .await,
    );
    let listed = client.list_clusters().send().await.expect("lists");
    assert_eq!(listed.count, Some(1));
    assert_eq!(fake.list("cluster").len(), 1);
}

#[tokio::test]
async fn a_snapshot_lives_from_create_to_delete() {
    let fake = mock::fake_with_manual_clock();
    let (_server, client) = serve(&fake).await;
    let cluster = "44b277eb-39be-4921-be31-3d61b43651d7";

    let created = client
        .create_snapshot(types::CreateSnapshotRequest::new(
            types::Snapshot::new("snapshot-1", cluster).with_description("first"),
        ))
        .send()
        .await
        .expect("creates");
    let id = created.snapshot.and_then(|s| s.id).expect("an id");
    let status = |shown: types::ShowSnapshotResponse| {
        let snapshot = shown.snapshot.expect("the snapshot");
        snapshot.status.expect("a status").as_str().to_string()
    };
    let shown = client.show_snapshot(&id).send().await.expect("shows");
    assert_eq!(status(shown), "CREATING");
    fake.advance(JOB);
    let shown = client.show_snapshot(&id).send().await.expect("shows");
    let snapshot = shown.snapshot.clone().expect("the snapshot");
    assert_eq!(snapshot.name.as_deref(), Some("snapshot-1"));
    assert_eq!(snapshot.cluster_id.as_deref(), Some(cluster));
    assert_eq!(snapshot.description.as_deref(), Some("first"));
    assert_eq!(status(shown), "AVAILABLE");

    client
        .create_snapshot(types::CreateSnapshotRequest::new(types::Snapshot::new(
            "snapshot-2",
            cluster,
        )))
        .send()
        .await
        .expect("creates");
    let listed = client.list_snapshots().send().await.expect("lists");
    assert_eq!(listed.count, Some(2));
    let names: Vec<String> = listed
        .snapshots
        .unwrap_or_default()
        .into_iter()
        .filter_map(|s| s.name)
        .collect();
    assert_eq!(names, ["snapshot-1", "snapshot-2"]);

    // No deleting status: gone at once.
    client.delete_snapshot(&id).send().await.expect("deletes");
    expect_not_found(client.show_snapshot(&id).send().await);
    expect_not_found(client.delete_snapshot(&id).send().await);
    let listed = client.list_snapshots().send().await.expect("lists");
    assert_eq!(listed.count, Some(1));
}

fn ring(first_host: u8) -> types::ClusterRing {
    let hosts: Vec<types::RingHost> = (first_host..first_host + 3)
        .map(|i| {
            types::RingHost::new(
                format!("host-10-0-0-{i}"),
                format!("10.0.0.{i}"),
                4,
                32.0,
                200.0,
            )
        })
        .collect();
    types::ClusterRing::new(hosts)
}

#[tokio::test]
async fn a_logical_cluster_lives_in_its_clusters_list() {
    let fake = mock::fake_with_manual_clock();
    let (_server, client) = serve(&fake).await;
    let cluster = "44b277eb-39be-4921-be31-3d61b43651d7";
    let other_cluster = "55b277eb-39be-4921-be31-3d61b43651d7";

    // No read operation and no id in the create's answer: logical clusters are found by listing.
    for (parent, name) in [
        (cluster, "lc-one"),
        (cluster, "lc-two"),
        (cluster, "lc-three"),
        (other_cluster, "lc-elsewhere"),
    ] {
        client
            .create_logical_cluster(
                parent,
                types::CreateLogicalClusterRequest::new(types::CreateLogicalClusterInfo::new(
                    name,
                    vec![ring(1)],
                )),
            )
            .send()
            .await
            .expect("creates");
    }
    let listed = client
        .list_logical_clusters(cluster)
        .limit(2)
        .send_all()
        .await
        .expect("lists");
    let names: Vec<&str> = listed
        .iter()
        .filter_map(|c| c.logical_cluster_name.as_deref())
        .collect();
    assert_eq!(
        names,
        ["lc-one", "lc-two", "lc-three"],
        "only this cluster's"
    );
    let page = client
        .list_logical_clusters(cluster)
        .offset(2)
        .limit(2)
        .send()
        .await
        .expect("lists");
    assert_eq!(page.count, Some(3));
    assert_eq!(page.logical_clusters.map(|l| l.len()), Some(1));
    let id = listed[1].logical_cluster_id.clone().expect("an id");
    let hosts = |c: &types::LogicalClusterInfo| -> usize {
        c.cluster_rings
            .iter()
            .flatten()
            .map(|r| r.ring_hosts.as_ref().map_or(0, Vec::len))
            .sum()
    };
    assert_eq!(hosts(&listed[1]), 3);

    // Edited: two rings, a mode; the list shows them.
    client
        .update_logical_cluster(
            cluster,
            &id,
            types::UpdateLogicalClusterRequest::new(vec![ring(1), ring(4)]).with_mode("read-only"),
        )
        .send()
        .await
        .expect("edits");
    let edited = client
        .list_logical_clusters(cluster)
        .send()
        .await
        .expect("lists")
        .logical_clusters
        .unwrap_or_default()
        .into_iter()
        .find(|c| c.logical_cluster_id.as_deref() == Some(id.as_str()))
        .expect("listed");
    assert_eq!(hosts(&edited), 6);
    assert_eq!(edited.mode.as_deref(), Some("read-only"));

    // Under another cluster it is not found; deleted, it is gone and a second delete is the 404.
    expect_not_found(
        client
            .delete_logical_cluster(other_cluster, &id)
            .send()
            .await,
    );
    client
        .delete_logical_cluster(cluster, &id)
        .send()
        .await
        .expect("deletes");
    let left = client
        .list_logical_clusters(cluster)
        .send()
        .await
        .expect("lists");
    assert_eq!(left.count, Some(2));
    expect_not_found(client.delete_logical_cluster(cluster, &id).send().await);
    expect_not_found(
        client
            .update_logical_cluster(
                cluster,
                &id,
                types::UpdateLogicalClusterRequest::new(vec![ring(1)]),
            )
            .send()
            .await,
    );
    assert_eq!(fake.list("logical_cluster").len(), 3);
}
