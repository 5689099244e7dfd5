//! TaurusDB's stateful fake through the typed client: each resource the spec gives `fake:` hints
//! for, from create to the documented 404 after delete.
#![cfg(all(feature = "mock", feature = "taurusdb"))]

use huaweicloud_db::runtime::mock::{Fake, MockConfig, MockServer};
use huaweicloud_db::taurusdb::{self, mock, types};
use huaweicloud_db::{Credentials, Error};
use std::time::Duration;

const PROJECT: &str = "0483b6b16e954cb88930a360d2c4e663";

async fn serve(fake: &Fake) -> (MockServer, taurusdb::Client) {
    let config = MockConfig::default().fake(fake.clone());
    let server = mock::start_with(mock::DocumentedMock, config, 0)
        .await
        .expect("starts");
    let client = taurusdb::Client::builder()
        .endpoint(server.url())
        .project_id(PROJECT)
        .credentials(Credentials::token("t"))
        .build()
        .expect("client");
    (server, client)
}

fn expect_404<T: std::fmt::Debug>(result: Result<T, Error>, code: &str) {
    match result {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 404, "{e}");
            assert_eq!(e.error_code.as_deref(), Some(code));
        }
        other => panic!("expected a 404 with {code}, got {other:?}"),
    }
}

fn new_instance(name: &str) -> types::CreateInstanceRequest {
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

#[tokio::test]
async fn an_instance_lives_from_create_to_delete() {
    let fake = mock::fake();
    fake.set_job_duration(Duration::from_millis(30));
    let (_server, client) = serve(&fake).await;

    // Created, and waited for through the task API.
    let created = client
        .create_instance(new_instance("fake-instance-1"))
        .send_and_wait(Duration::from_millis(10), Duration::from_secs(30))
        .await
        .expect("the create job completes");
    let id = created.instance.and_then(|i| i.id).expect("an id");
    let shown = client.show_instance(&id).send().await.expect("shows");
    let instance = shown.instance.expect("the instance");
    assert_eq!(instance.name.as_deref(), Some("fake-instance-1"));
    assert_eq!(
        instance.status.map(|s| s.as_str().to_string()).as_deref(),
        Some("normal")
    );

    // A second one, and the list pages through both.
    client
        .create_instance(new_instance("fake-instance-2"))
        .send()
        .await
        .expect("creates");
    let listed: Vec<String> = client
        .list_instances()
        .limit(1)
        .send_all()
        .await
        .expect("lists")
        .into_iter()
        .filter_map(|i| i.name)
        .collect();
    assert_eq!(listed, ["fake-instance-1", "fake-instance-2"]);
    let by_name = client
        .list_instances()
        .name("fake-instance-2")
        .send()
        .await
        .expect("lists");
    assert_eq!(by_name.total_count, Some(1));

    // Renamed, then deleted: a later read is the documented 404.
    client
        .update_instance_name(
            &id,
            types::UpdateInstanceNameRequest::new("renamed-instance"),
        )
        .send()
        .await
        .expect("renames");
    let shown = client.show_instance(&id).send().await.expect("shows");
    assert_eq!(
        shown.instance.and_then(|i| i.name).as_deref(),
        Some("renamed-instance")
    );
    client.delete_instance(&id).send().await.expect("deletes");
    expect_404(client.show_instance(&id).send().await, "DBS.200002");
    assert_eq!(fake.list("instance").len(), 1);
}

fn new_template(name: &str) -> types::CreateParameterTemplateRequest {
    types::CreateParameterTemplateRequest::new(name)
        .with_description("made by the fake test")
        .with_datastore(types::DatastoreResultInReq::new("gaussdb-mysql", "5.7"))
}

#[tokio::test]
async fn a_parameter_template_lives_from_create_to_delete() {
    let fake = mock::fake();
    fake.set_job_duration(Duration::from_millis(30));
    let (_server, client) = serve(&fake).await;

    // Created at once (the API starts no job), with the request's fields.
    let created = client
        .create_parameter_template(new_template("fake-template-1"))
        .send()
        .await
        .expect("creates");
    let id = created.configurations.and_then(|c| c.id).expect("an id");
    let shown = client
        .show_parameter_template(&id)
        .send()
        .await
        .expect("shows");
    let template = shown.configurations.expect("the template");
    assert_eq!(template.id.as_deref(), Some(id.as_str()));
    assert_eq!(template.name.as_deref(), Some("fake-template-1"));
    assert_eq!(
        template.datastore.and_then(|d| d.version).as_deref(),
        Some("5.7")
    );

    // A second one, and the list pages through both.
    client
        .create_parameter_template(new_template("fake-template-2"))
        .send()
        .await
        .expect("creates");
    let listed: Vec<String> = client
        .list_parameter_templates()
        .limit(1)
        .send_all()
        .await
        .expect("lists")
        .into_iter()
        .filter_map(|c| c.name)
        .collect();
    assert_eq!(listed, ["fake-template-1", "fake-template-2"]);
    let page = client
        .list_parameter_templates()
        .limit(1)
        .offset(1)
        .send()
        .await
        .expect("lists");
    assert_eq!(page.total_count, Some(2));

    // Renamed through the update's job, then deleted: a later read is the documented 404.
    client
        .update_parameter_template(
            &id,
            types::UpdateParameterTemplateRequest::new()
                .with_name("renamed-template")
                .with_description("renamed"),
        )
        .send_and_wait(Duration::from_millis(10), Duration::from_secs(30))
        .await
        .expect("the update job completes");
    let shown = client
        .show_parameter_template(&id)
        .send()
        .await
        .expect("shows");
    let template = shown.configurations.expect("the template");
    assert_eq!(template.name.as_deref(), Some("renamed-template"));
    assert_eq!(template.description.as_deref(), Some("renamed"));
    client
        .delete_parameter_template(&id)
        .send()
        .await
        .expect("deletes");
    expect_404(
        client.show_parameter_template(&id).send().await,
        "DBS.212001",
    );
    expect_404(
        client.delete_parameter_template(&id).send().await,
        "DBS.212001",
    );
    assert_eq!(fake.list("parameter_template").len(), 1);
}

/// An instance id of the documented length (36 characters, ending in07).
const INSTANCE: &str = "07033b125fd94a8a96896f8bcfee6ddain07";

#[tokio::test]
async fn a_backup_lives_in_its_list_from_create_to_delete() {
    let fake = mock::fake_with_manual_clock();
    let (_server, client) = serve(&fake).await;

    // Backups have no read operation: they are seen through the list.
    let created = client
        .create_backup(types::CreateBackupRequest::new(INSTANCE, "backup-one"))
        .send()
        .await
        .expect("creates");
    let id = created.backup.and_then(|b| b.id).expect("an id");
    assert_eq!(id.len(), 36, "the documented id length");
    let job = created.job_id.expect("a job");
    let backup = |list: types::ListBackupsResponse| {
        list.backups
            .unwrap_or_default()
            .into_iter()
            .find(|b| b.id.as_deref() == Some(id.as_str()))
            .expect("the backup is listed")
    };
    let listed = backup(client.list_backups().send().await.expect("lists"));
    assert_eq!(
        listed.status.map(|s| s.as_str().to_string()).as_deref(),
        Some("BUILDING")
    );
    assert_eq!(listed.name.as_deref(), Some("backup-one"));
    assert_eq!(listed.instance_id.as_deref(), Some(INSTANCE));
    // The documented item is an automated backup; one the user creates is manual.
    assert_eq!(
        listed.type_.map(|t| t.as_str().to_string()).as_deref(),
        Some("manual")
    );

    // Its job done, the backup is complete.
    fake.advance(Duration::from_secs(60));
    let done = client.show_job(&job).send().await.expect("the job");
    assert_eq!(
        done.job
            .and_then(|j| j.status)
            .map(|s| s.as_str().to_string())
            .as_deref(),
        Some("Completed")
    );
    let listed = backup(client.list_backups().send().await.expect("lists"));
    assert_eq!(
        listed.status.map(|s| s.as_str().to_string()).as_deref(),
        Some("COMPLETED")
    );

    // Two more, one of another instance: the list pages through all and filters.
    let other = "ffffffff5fd94a8a96896f8bcfee6ddain07";
    for (instance, name) in [(INSTANCE, "backup-two"), (other, "backup-three")] {
        client
            .create_backup(types::CreateBackupRequest::new(instance, name))
            .send()
            .await
            .expect("creates");
    }
    let names: Vec<String> = client
        .list_backups()
        .limit(1)
        .send_all()
        .await
        .expect("lists")
        .into_iter()
        .filter_map(|b| b.name)
        .collect();
    assert_eq!(names, ["backup-one", "backup-two", "backup-three"]);
    let of_instance = client
        .list_backups()
        .instance_id(INSTANCE)
        .send()
        .await
        .expect("lists");
    assert_eq!(of_instance.total_count, Some(2));
    let by_id = client
        .list_backups()
        .backup_id(&id)
        .send()
        .await
        .expect("lists");
    assert_eq!(by_id.total_count, Some(1));

    // Deleted, it is gone from the list; a second delete is the documented 404.
    client.delete_backup(&id).send().await.expect("deletes");
    let by_id = client
        .list_backups()
        .backup_id(&id)
        .send()
        .await
        .expect("lists");
    assert_eq!(by_id.total_count, Some(0));
    expect_404(client.delete_backup(&id).send().await, "DBS.201010");
    assert_eq!(fake.list("backup").len(), 2);
}

/// The answer of a typed call that must fail with the API's error `code` at `status`.
fn expect_error<T: std::fmt::Debug>(result: Result<T, Error>, status: u16, code: &str) {
    match result {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, status, "{e}");
            assert_eq!(e.error_code.as_deref(), Some(code));
        }
        other => panic!("expected a {status} with {code}, got {other:?}"),
    }
}

#[tokio::test]
async fn a_proxy_lives_under_its_instance_from_create_to_delete() {
    let fake = mock::fake();
    fake.set_job_duration(Duration::from_millis(30));
    let (_server, client) = serve(&fake).await;
    let (every, at_most) = (Duration::from_millis(10), Duration::from_secs(30));
    let new_proxy = |name: &str| {
        types::CreateProxyRequest::new("gaussdb.proxy.large.x86.2", 2)
            .with_proxy_name(name)
            .with_subnet_id("6991d82d-9166-4aff-a1fa-d2a8748b7084")
    };

    // Two proxies of the instance and one of another; the create answers a job only, waited for.
    let other = "ffffffff5fd94a8a96896f8bcfee6ddain07";
    for (instance, name) in [
        (INSTANCE, "proxy-one"),
        (INSTANCE, "proxy-two"),
        (other, "proxy-three"),
    ] {
        let created = client
            .create_proxy(instance, new_proxy(name))
            .send_and_wait(every, at_most)
            .await
            .expect("the create job completes");
        assert!(created.job_id.is_some());
    }
    let proxies = |list: Vec<types::MysqlShowProxyResponseV3>| -> Vec<(String, String, String)> {
        list.into_iter()
            .filter_map(|item| item.proxy)
            .map(|p| {
                let status = p.status.map(|s| s.as_str().to_string());
                (
                    p.pool_id.unwrap_or_default(),
                    p.name.unwrap_or_default(),
                    status.unwrap_or_default(),
                )
            })
            .collect()
    };
    let list = || client.list_proxies(INSTANCE).limit(1).send_all();
    let listed = proxies(list().await.expect("lists"));
    let names: Vec<&str> = listed.iter().map(|(_, name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["proxy-one", "proxy-two"],
        "only the instance's, page by page"
    );
    assert!(listed.iter().all(|(_, _, status)| status == "ACTIVE"));
    let (id, _, _) = listed[0].clone();
    assert_eq!(id.len(), 36, "the documented id length");
    assert_ne!(id, listed[1].0);

    // Renamed: the list shows the new name.
    client
        .update_proxy_name(
            INSTANCE,
            &id,
            types::UpdateProxyNameRequest::new("proxy-renamed"),
        )
        .send()
        .await
        .expect("renames");
    let names: Vec<String> = proxies(list().await.expect("lists"))
        .into_iter()
        .map(|(_, n, _)| n)
        .collect();
    assert_eq!(names, ["proxy-renamed", "proxy-two"]);

    // The ids are in the body: an unknown one deletes nothing, and naming none is ambiguous
    // while the instance has two proxies.
    let by_ids = |ids: Vec<String>| types::DeleteProxyRequest::new().with_proxy_ids(ids);
    let unknown = "00000000aaaaaaaaaaaaaaaaaaaaaaaapo01".to_string();
    expect_error(
        client
            .delete_proxy(INSTANCE)
            .body(by_ids(vec![id.clone(), unknown]))
            .send()
            .await,
        400,
        "DBS.270024",
    );
    expect_error(
        client.delete_proxy(INSTANCE).send().await,
        400,
        "DBS.270027",
    );
    assert_eq!(list().await.expect("lists").len(), 2);

    // Deleted by id, then the only one left without naming it.
    client
        .delete_proxy(INSTANCE)
        .body(by_ids(vec![id.clone()]))
        .send_and_wait(every, at_most)
        .await
        .expect("the delete job completes");
    let names: Vec<String> = proxies(list().await.expect("lists"))
        .into_iter()
        .map(|(_, n, _)| n)
        .collect();
    assert_eq!(names, ["proxy-two"]);
    client
        .delete_proxy(INSTANCE)
        .send_and_wait(every, at_most)
        .await
        .expect("the delete job completes");
    assert!(list().await.expect("lists").is_empty());
    expect_error(
        client
            .update_proxy_name(
                INSTANCE,
                &id,
                types::UpdateProxyNameRequest::new("proxy-gone"),
            )
            .send()
            .await,
        400,
        "DBS.270024",
    );
    assert_eq!(
        fake.list("proxy").len(),
        1,
        "the other instance's proxy stays"
    );
}

/// The nodes `show_instance` shows: (id, name, type, priority, status).
async fn nodes(
    client: &taurusdb::Client,
    instance: &str,
) -> Vec<(String, String, String, Option<i32>, String)> {
    let shown = client.show_instance(instance).send().await.expect("shows");
    shown
        .instance
        .and_then(|i| i.nodes)
        .expect("the instance shows its nodes")
        .into_iter()
        .map(|n| {
            (
                n.id.unwrap_or_default(),
                n.name.unwrap_or_default(),
                n.type_.map(|t| t.as_str().to_string()).unwrap_or_default(),
                n.priority,
                n.status.unwrap_or_default(),
            )
        })
        .collect()
}

/// The instance's `node_count` as `show_instance` shows it.
async fn node_count(client: &taurusdb::Client, instance: &str) -> Option<i32> {
    let shown = client.show_instance(instance).send().await.expect("shows");
    shown.instance.and_then(|i| i.node_count)
}

fn names_of(nodes: &[(String, String, String, Option<i32>, String)]) -> Vec<&str> {
    nodes.iter().map(|n| n.1.as_str()).collect()
}

#[tokio::test]
async fn read_replicas_come_and_go_in_their_instance() {
    let fake = mock::fake();
    fake.set_job_duration(Duration::from_millis(30));
    let (_server, client) = serve(&fake).await;
    let (every, at_most) = (Duration::from_millis(10), Duration::from_secs(30));

    // A new instance has the documented nodes, a primary and a read replica, under fresh ids.
    let created = client
        .create_instance(new_instance("my-db"))
        .send_and_wait(every, at_most)
        .await
        .expect("the create job completes");
    let id = created.instance.and_then(|i| i.id).expect("an id");
    let first = nodes(&client, &id).await;
    // Named after the instance, as the documented nodes are, and counted.
    assert_eq!(names_of(&first), ["my-db_node01", "my-db_node02"]);
    assert_eq!(node_count(&client, &id).await, Some(2));
    let types: Vec<&str> = first.iter().map(|n| n.2.as_str()).collect();
    assert_eq!(types, ["master", "slave"]);
    assert!(first.iter().all(|n| n.4 == "normal"), "{first:?}");
    assert_ne!(first[0].0, first[1].0);
    assert_ne!(
        first[1].0, "799a0f2fa49a4151bf9f7063c1fbba35no07",
        "not the example's id"
    );

    // Two read replicas, one per priority; the answer names them, and its job is followed.
    let added = client
        .create_read_replicas(&id, types::CreateReadReplicasRequest::new(vec![1, 2]))
        .send_and_wait(every, at_most)
        .await
        .expect("the read replicas' job completes");
    assert_eq!(added.instance_id.as_deref(), Some(id.as_str()));
    let names = added.node_names.expect("the new nodes' names");
    let after = nodes(&client, &id).await;
    assert_eq!(after.len(), 4);
    assert_eq!(after[..2], first[..]);
    let new: Vec<&String> = after[2..].iter().map(|n| &n.1).collect();
    assert_eq!(new, names.iter().collect::<Vec<_>>());
    assert_eq!(names, ["my-db_node03", "my-db_node04"]);
    assert_eq!(node_count(&client, &id).await, Some(4));
    let made: Vec<(&str, Option<i32>, &str)> = after[2..]
        .iter()
        .map(|n| (n.2.as_str(), n.3, n.4.as_str()))
        .collect();
    assert_eq!(
        made,
        [("slave", Some(1), "normal"), ("slave", Some(2), "normal")]
    );

    // A failover priority changed: the request sends text, the node shows the number.
    let replica = after[3].0.clone();
    client
        .update_read_replica_failover_priority(
            &id,
            &replica,
            types::UpdateReadReplicaFailoverPriorityRequest::new("5"),
        )
        .send_and_wait(every, at_most)
        .await
        .expect("the priority job completes");
    assert_eq!(nodes(&client, &id).await[3].3, Some(5));

    // Two nodes renamed in one batch, with its job followed.
    let rename = |pairs: &[(&String, &str)]| {
        let items: Vec<types::SingleNodeInfo> = pairs
            .iter()
            .map(|(node, name)| types::SingleNodeInfo::new(node.as_str(), *name))
            .collect();
        client.update_node_names(&id, types::UpdateNodeNamesRequest::new(items))
    };
    rename(&[(&after[0].0, "my-db-primary"), (&replica, "my-db-replica")])
        .send_and_wait(every, at_most)
        .await
        .expect("the rename job completes");
    let renamed = nodes(&client, &id).await;
    assert_eq!(
        names_of(&renamed),
        [
            "my-db-primary",
            "my-db_node02",
            "my-db_node03",
            "my-db-replica"
        ]
    );

    // One deleted: the instance shows the others; unknown nodes, and nodes of another instance,
    // are not found.
    client
        .delete_read_replica(&id, &after[2].0)
        .send()
        .await
        .expect("deletes");
    let left: Vec<String> = nodes(&client, &id).await.into_iter().map(|n| n.0).collect();
    assert_eq!(
        left,
        [after[0].0.clone(), after[1].0.clone(), after[3].0.clone()]
    );
    assert_eq!(node_count(&client, &id).await, Some(3));
    // A batch naming a node that is gone renames none of them.
    match rename(&[
        (&after[1].0, "never-renamed"),
        (&after[2].0, "never-either"),
    ])
    .send()
    .await
    {
        Err(Error::Api(e)) => assert_eq!(e.status, 404, "{e}"),
        result => panic!("expected a 404, got {result:?}"),
    }
    assert_eq!(nodes(&client, &id).await[1].1, "my-db_node02");
    let other = client
        .create_instance(new_instance("fake-instance-other"))
        .send()
        .await
        .expect("creates")
        .instance
        .and_then(|i| i.id)
        .expect("an id");
    for (instance, node) in [(&id, &after[2].0), (&other, &replica)] {
        match client.delete_read_replica(instance, node).send().await {
            Err(Error::Api(e)) => {
                assert_eq!(e.status, 404, "{e}");
                assert_eq!(e.error_code, None, "the documents give no code");
            }
            result => panic!("expected a 404, got {result:?}"),
        }
    }
    expect_404(
        client
            .create_read_replicas(INSTANCE, types::CreateReadReplicasRequest::new(vec![1]))
            .send()
            .await,
        "DBS.200002",
    );

    // Deleting the instance deletes its nodes.
    client.delete_instance(&id).send().await.expect("deletes");
    assert_eq!(fake.list("node").len(), 2, "the other instance's");
}
