//! The stateful fake through the typed client: create, wait for the job, list across pages, show,
//! change, delete, and the documented 404 afterwards.

use fixture_crate::demo::{self, mock, types};
use fixture_crate::runtime::mock::{Fake, MockConfig, MockServer};
use fixture_crate::runtime::{Credentials, Error};
use futures_util::StreamExt;
use serde_json::json;
use std::time::Duration;

const PROJECT: &str = "0483b6b16e954cb88930a360d2c4e663";

async fn serve(fake: &Fake) -> (MockServer, demo::Client) {
    let config = MockConfig::default().fake(fake.clone());
    let server = mock::start_with(mock::DocumentedMock, config, 0)
        .await
        .expect("starts");
    let client = demo::Client::builder()
        .endpoint(server.url())
        .project_id(PROJECT)
        .credentials(Credentials::token("t"))
        .build()
        .expect("client");
    (server, client)
}

fn widget(name: &str, size: i32) -> types::CreateWidgetRequest {
    types::CreateWidgetRequest::new(name, size, types::WidgetType::Plain)
}

#[tokio::test]
async fn a_widget_lives_from_create_to_delete() {
    let fake = mock::fake_with_manual_clock();
    let (_server, client) = serve(&fake).await;

    let created = client
        .create_widget(widget("first", 3))
        .send()
        .await
        .expect("creates");
    let id = created.widget_id.clone().expect("an id");
    let job = created.job_id.clone().expect("a job");
    assert_ne!(id, "w-1", "a fresh id, not the documented one");

    // The job runs, and the widget is being created, until the clock moves.
    let shown = client.show_widget(&id).send().await.expect("shows");
    assert_eq!(shown.status.as_ref().map(|s| s.as_str()), Some("creating"));
    assert_eq!(shown.name.as_deref(), Some("first"));
    assert_eq!(shown.port.as_deref(), Some("9000"), "the create's `set`");
    let running = client.show_job(&job).send().await.expect("job");
    assert_eq!(
        running
            .job
            .and_then(|j| j.status)
            .map(|s| s.as_str().to_string())
            .as_deref(),
        Some("Running")
    );
    fake.advance(Duration::from_secs(1));
    let done = client.show_job(&job).send().await.expect("job");
    assert_eq!(
        done.job
            .and_then(|j| j.status)
            .map(|s| s.as_str().to_string())
            .as_deref(),
        Some("Completed")
    );
    let shown = client.show_widget(&id).send().await.expect("shows");
    assert_eq!(shown.status.as_ref().map(|s| s.as_str()), Some("ready"));
    assert_eq!(shown.size, Some(3));

    // Changes are remembered.
    client
        .rename_widget(
            &id,
            types::RenameWidgetRequest::new("renamed", vec![types::Tag::new("k")]),
        )
        .send()
        .await
        .expect("renames");
    client
        .resize_widget(&id)
        .body(types::ResizeWidgetRequest::new(7))
        .send()
        .await
        .expect("resizes");
    let shown = client.show_widget(&id).send().await.expect("shows");
    assert_eq!(shown.name.as_deref(), Some("renamed"));
    assert_eq!(shown.size, Some(7));

    // Deleted, it is gone: the documented code for a missing widget.
    client
        .delete_widget(&id, true)
        .send()
        .await
        .expect("deletes");
    match client.show_widget(&id).send().await {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 404);
            assert_eq!(e.error_code.as_deref(), Some("DEMO.0404"));
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    assert!(fake.get("widget", &id).is_none());
    match client.delete_widget(&id, true).send().await {
        Err(Error::Api(e)) => assert_eq!(e.status, 404),
        other => panic!("expected a 404, got {other:?}"),
    }
}

#[tokio::test]
async fn send_and_wait_follows_the_fakes_job_in_real_time() {
    let fake = mock::fake();
    fake.set_job_duration(Duration::from_millis(50));
    let (_server, client) = serve(&fake).await;
    let created = client
        .create_widget(widget("waited", 2))
        .send_and_wait(Duration::from_millis(10), Duration::from_secs(30))
        .await
        .expect("the job completes");
    let id = created.widget_id.expect("an id");
    let shown = client.show_widget(&id).send().await.expect("shows");
    assert_eq!(shown.status.as_ref().map(|s| s.as_str()), Some("ready"));
}

#[tokio::test]
async fn the_list_pages_and_filters_what_was_created() {
    let fake = mock::fake();
    fake.set_job_duration(Duration::ZERO);
    let (_server, client) = serve(&fake).await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let created = client
            .create_widget(widget(&format!("item-{i}"), 1))
            .send()
            .await
            .expect("creates");
        ids.push(created.widget_id.expect("an id"));
    }
    // Two per page: three requests, every widget once, in creation order.
    let listed: Vec<String> = client
        .list_widgets()
        .limit(2)
        .pages()
        .items()
        .map(|item| item.expect("an item").id.expect("an id"))
        .collect()
        .await;
    assert_eq!(listed, ids);
    let page = client
        .list_widgets()
        .offset(4)
        .limit(2)
        .send()
        .await
        .expect("lists");
    assert_eq!(page.total_count, Some(5));
    assert_eq!(page.widgets.map(|w| w.len()), Some(1));
    // Filters: by id (any of), and by status.
    let some = client
        .list_widgets()
        .ids(vec![ids[1].clone(), ids[3].clone()])
        .send()
        .await
        .expect("lists");
    let some: Vec<String> = some
        .widgets
        .unwrap_or_default()
        .into_iter()
        .filter_map(|w| w.id)
        .collect();
    assert_eq!(some, vec![ids[1].clone(), ids[3].clone()]);
    let creating = client
        .list_widgets()
        .status("creating")
        .send()
        .await
        .expect("lists");
    assert_eq!(creating.total_count, Some(0));
}

#[tokio::test]
async fn concurrent_creates_get_distinct_ids_and_all_appear() {
    let fake = mock::fake();
    let (_server, client) = serve(&fake).await;
    let creates = (0..20).map(|i| {
        let client = client.clone();
        async move {
            client
                .create_widget(widget(&format!("c-{i:02}"), 1))
                .send()
                .await
                .expect("creates")
                .widget_id
                .expect("an id")
        }
    });
    let mut ids = futures_util::future::join_all(creates).await;
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 20);
    let listed = client.list_widgets().send().await.expect("lists");
    assert_eq!(listed.total_count, Some(20));
}

#[tokio::test]
async fn a_test_seeds_and_inspects_the_state() {
    let fake = mock::fake();
    let id = fake
        .insert(
            "widget",
            json!({"id": "seeded-0000-4000-8000-000000000001", "name": "seeded", "size": 9}),
        )
        .expect("seeds");
    let (_server, client) = serve(&fake).await;
    let shown = client.show_widget(&id).send().await.expect("shows");
    assert_eq!(shown.name.as_deref(), Some("seeded"));
    assert_eq!(shown.status.as_ref().map(|s| s.as_str()), Some("ready"));
    assert_eq!(fake.list("widget").len(), 1);
    assert!(fake.insert("gadget", json!({})).is_err());
    assert!(fake.insert("widget", json!([1])).is_err());
    let missing = client.show_widget("no-such-widget").send().await;
    assert!(matches!(missing, Err(Error::Api(ref e)) if e.status == 404));
}

/// Notes have no read operation: the documented list item is their template, and they are seen
/// through the list; a missing one is answered with a status and a message but no error code.
#[tokio::test]
async fn a_note_without_a_read_lives_in_its_list() {
    let fake = mock::fake();
    let (_server, client) = serve(&fake).await;
    let mut ids = Vec::new();
    for (text, widget) in [("first", "w1"), ("second", "w2"), ("third", "w1")] {
        let created = client
            .create_note(types::CreateNoteRequest::new(text).with_widget_id(widget))
            .send()
            .await
            .expect("creates");
        ids.push(created.note_id.expect("an id"));
    }
    assert_ne!(ids[0], "note-0000-0000-0000-0001", "a fresh id");
    assert_eq!(ids[0].len(), "note-0000-0000-0000-0001".len());

    // Every note, across pages, with the request's values over the documented item.
    let listed: Vec<(String, String)> = client
        .list_notes()
        .limit(2)
        .send_all()
        .await
        .expect("lists")
        .into_iter()
        .map(|n| (n.id.expect("an id"), n.text.expect("a text")))
        .collect();
    let expected: Vec<(String, String)> = ids
        .iter()
        .cloned()
        .zip(["first", "second", "third"].map(String::from))
        .collect();
    assert_eq!(listed, expected);
    let on_w1 = client
        .list_notes()
        .widget_id("w1")
        .send()
        .await
        .expect("lists");
    assert_eq!(on_w1.total, Some(2));

    // Changed, then deleted: the list shows it, then does not.
    client
        .update_note(&ids[1], types::UpdateNoteRequest::new("changed"))
        .send()
        .await
        .expect("changes");
    assert_eq!(
        fake.get("note", &ids[1])
            .and_then(|n| n["text"].as_str().map(String::from)),
        Some("changed".to_string())
    );
    client.delete_note(&ids[1]).send().await.expect("deletes");
    let left = client.list_notes().send().await.expect("lists");
    assert_eq!(left.total, Some(2));
    assert!(left
        .notes
        .unwrap_or_default()
        .iter()
        .all(|n| n.id.as_deref() != Some(ids[1].as_str())));

    // The documented 404 without a code: the message only.
    for missing in [
        client.delete_note(&ids[1]).send().await,
        client
            .update_note(&ids[1], types::UpdateNoteRequest::new("again"))
            .send()
            .await,
    ] {
        match missing {
            Err(Error::Api(e)) => {
                assert_eq!(e.status, 404);
                assert_eq!(e.error_code, None);
                assert!(e
                    .error_msg
                    .as_deref()
                    .is_some_and(|m| m.starts_with("No such note.")));
            }
            other => panic!("expected a 404, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_batch_rename_changes_every_widget_it_names_or_none() {
    let fake = mock::fake_with_manual_clock();
    let (_server, client) = serve(&fake).await;
    let mut ids = Vec::new();
    for name in ["first", "second"] {
        let created = client.create_widget(widget(name, 1)).send().await;
        ids.push(created.expect("creates").widget_id.expect("an id"));
    }
    let rename = |pairs: &[(&str, &str)]| {
        let items: Vec<types::WidgetName> = pairs
            .iter()
            .map(|(id, name)| types::WidgetName::new(*id, *name))
            .collect();
        client.rename_widgets(types::RenameWidgetsRequest::new(items))
    };
    let names = || async {
        let mut names = Vec::new();
        for id in &ids {
            let shown = client.show_widget(id).send().await.expect("shows");
            names.push(shown.name.unwrap_or_default());
        }
        names
    };

    rename(&[(&ids[0], "alpha"), (&ids[1], "beta")])
        .send()
        .await
        .expect("renames");
    assert_eq!(names().await, ["alpha", "beta"]);

    // An id the fake does not hold: the documented 404, and neither widget changes.
    match rename(&[(&ids[0], "gamma"), ("no-such-widget", "delta")])
        .send()
        .await
    {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 404);
            assert_eq!(e.error_code.as_deref(), Some("DEMO.0404"));
        }
        other => panic!("expected a 404, got {other:?}"),
    }
    assert_eq!(names().await, ["alpha", "beta"]);
}
