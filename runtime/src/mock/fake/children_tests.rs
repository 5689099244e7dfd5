//! Resources shown within their parent's answer (`within`): a parent's children from create to
//! delete, through the fake's answers.

use super::spec::*;
use super::Fake;
use crate::mock::{MockExample, MockOperation, MockRequest, MockResponse, Schema};
use axum::body::Bytes;
use axum::http::HeaderMap;
use serde_json::{json, Value};
use std::time::Duration;

const fn op(
    id: &'static str,
    method: &'static str,
    path: &'static str,
    examples: &'static [MockExample],
) -> MockOperation {
    MockOperation {
        id,
        method,
        path,
        success_status: 200,
        success_body: None,
        statuses: &[200],
        examples,
    }
}

const fn example(body: &'static str) -> MockExample {
    MockExample {
        name: "status_200",
        status: 200,
        body,
    }
}

static OPERATIONS: [MockOperation; 7] = [
    op(
        "show_parent",
        "GET",
        "/p/{parent_id}",
        &[example(
            r#"{"parent": {"id": "p0000000-documented", "name": "documented", "kid_count": 2,
                "kids": [{"id": "k0000000-documented-1", "name": "kid-0001", "serial": "s-1", "role": "main", "priority": 1, "status": "up"},
                         {"id": "k0000000-documented-2", "name": "kid-0002", "serial": "s-2", "role": "extra", "priority": 5, "status": "up"}]}}"#,
        )],
    ),
    op(
        "create_parent",
        "POST",
        "/p",
        &[example(r#"{"parent_id": "p0000000-documented"}"#)],
    ),
    op("delete_parent", "DELETE", "/p/{parent_id}", &[]),
    op(
        "add_kids",
        "POST",
        "/p/{parent_id}/kids",
        &[example(
            r#"{"parent_id": "p0000000-documented", "names": ["kid-0003"], "job_id": "j"}"#,
        )],
    ),
    op(
        "set_priority",
        "PUT",
        "/p/{parent_id}/kids/{kid_id}/priority",
        &[],
    ),
    op("delete_kid", "DELETE", "/p/{parent_id}/kids/{kid_id}", &[]),
    op(
        "rename_kids",
        "PUT",
        "/p/{parent_id}/kids/names",
        &[example(r#"{"job_id": "j"}"#)],
    ),
];

const fn not_found(code: Option<&'static str>, message: &'static str) -> NotFound {
    NotFound {
        status: 404,
        code,
        message,
    }
}

static SPEC: FakeSpec = FakeSpec {
    resources: &[
        Resource {
            read: Some(Read {
                operation: "show_parent",
                id_param: "parent_id",
                at: "parent",
            }),
            create: Some(Create {
                operation: "create_parent",
                id_at: Some("parent_id"),
                job_at: None,
                copy: &[Assign {
                    from: "name",
                    to: "name",
                }],
                each: None,
                answer: &[],
                parent_at: None,
                set: &[],
            }),
            delete: Some(Delete {
                operation: "delete_parent",
                ids: Ids::Path("parent_id"),
                job_at: None,
            }),
            ..Resource::bare("parent", "id", not_found(Some("P.404"), "No such parent."))
        },
        Resource {
            parent: Some("parent_id"),
            create: Some(Create {
                operation: "add_kids",
                id_at: None,
                job_at: Some("job_id"),
                copy: &[],
                each: Some(Each {
                    item: "priorities",
                    to: Some("priority"),
                }),
                answer: &[Assign {
                    from: "name",
                    to: "names",
                }],
                parent_at: Some("parent_id"),
                set: &[],
            }),
            updates: &[
                Update {
                    operation: "set_priority",
                    targets: Targets::Path("kid_id"),
                    job_at: None,
                    copy: &[Assign {
                        from: "priority",
                        to: "priority",
                    }],
                },
                Update {
                    operation: "rename_kids",
                    targets: Targets::Items {
                        at: "kids",
                        id: "kid_id",
                    },
                    job_at: Some("job_id"),
                    copy: &[Assign {
                        from: "name",
                        to: "name",
                    }],
                },
            ],
            delete: Some(Delete {
                operation: "delete_kid",
                ids: Ids::Path("kid_id"),
                job_at: None,
            }),
            status: Some(Status {
                field: "status",
                creating: "starting",
                ready: "up",
                deleting: None,
            }),
            within: Some(Within {
                resource: "parent",
                at: "kids",
                template: &[("role", "extra")],
                count: Some("kid_count"),
                numbered: Some(Numbered {
                    field: "name",
                    pattern: "{name}_kid{nn}",
                }),
            }),
            fresh: &["serial"],
            ..Resource::bare("kid", "id", not_found(None, "No such kid."))
        },
    ],
    jobs: None,
};

fn fake() -> Fake {
    let fake = Fake::with_manual_clock(&SPEC);
    fake.bind(&OPERATIONS);
    fake
}

fn call(
    fake: &Fake,
    operation: &str,
    params: &[(&'static str, &str)],
    body: Value,
) -> MockResponse {
    let operation = OPERATIONS
        .iter()
        .find(|o| o.id == operation)
        .expect("a test operation");
    let request = MockRequest::new(
        operation,
        Schema(&[]),
        params.iter().map(|(n, v)| (*n, v.to_string())).collect(),
        Vec::new(),
        HeaderMap::new(),
        Bytes::from(body.to_string()),
        None,
    );
    fake.answer(&request).expect("the fake answers")
}

fn create_parent(fake: &Fake, name: &str) -> String {
    let created = call(fake, "create_parent", &[], json!({ "name": name }));
    let body = created.body.expect("a body");
    body["parent_id"].as_str().expect("an id").to_string()
}

/// The kids a read of the parent shows.
fn kids(fake: &Fake, parent: &str) -> Vec<Value> {
    let shown = call(fake, "show_parent", &[("parent_id", parent)], Value::Null);
    assert_eq!(shown.status, 200, "{shown:?}");
    let body = shown.body.expect("a body");
    body["parent"]["kids"]
        .as_array()
        .expect("kids shown")
        .clone()
}

fn field<'v>(values: &'v [Value], name: &str) -> Vec<&'v Value> {
    values.iter().map(|v| &v[name]).collect()
}

#[test]
fn a_new_parent_starts_with_its_documented_children_under_fresh_ids() {
    let fake = fake();
    let parent = create_parent(&fake, "one");
    let shown = kids(&fake, &parent);
    assert_eq!(field(&shown, "role"), [&json!("main"), &json!("extra")]);
    let ids = field(&shown, "id");
    assert!(!ids.contains(&&json!("k0000000-documented-1")), "{ids:?}");
    assert_ne!(ids[0], ids[1]);
    // Fresh serials too, shaped like the documented ones (a counter appended to a short one).
    assert_ne!(shown[0]["serial"], shown[1]["serial"]);
    assert!(shown[0]["serial"].as_str().unwrap().starts_with("s-1-"));
    // Names after the parent's, numbered within it.
    assert_eq!(
        field(&shown, "name"),
        [&json!("one_kid01"), &json!("one_kid02")]
    );
    assert_eq!(fake.list("kid").len(), 2);
    // What the test inspects shows them as well.
    let held = fake.get("parent", &parent).expect("held");
    assert_eq!(held["kids"].as_array().map(Vec::len), Some(2));
    assert_eq!(held["name"], "one");
}

#[test]
fn added_children_follow_their_job_and_show_in_the_parent_in_order() {
    let fake = fake();
    let parent = create_parent(&fake, "one");
    fake.advance(Duration::from_secs(5));
    let added = call(
        &fake,
        "add_kids",
        &[("parent_id", &parent)],
        json!({"priorities": [3, 4]}),
    );
    let body = added.body.expect("a body");
    assert_eq!(body["parent_id"], json!(parent));
    assert_ne!(body["job_id"], "j", "a job of the fake's");
    let names = body["names"].as_array().expect("names").clone();
    assert_eq!(names.len(), 2);

    let shown = kids(&fake, &parent);
    assert_eq!(shown.len(), 4);
    let new = &shown[2..];
    assert_eq!(field(new, "name"), names.iter().collect::<Vec<_>>());
    // Made from the documented item the hint picks, with one request item each.
    assert_eq!(field(new, "role"), [&json!("extra"), &json!("extra")]);
    assert_eq!(field(new, "priority"), [&json!(3), &json!(4)]);
    assert_eq!(
        field(new, "status"),
        [&json!("starting"), &json!("starting")]
    );
    fake.advance(Duration::from_secs(5));
    let shown = kids(&fake, &parent);
    assert_eq!(field(&shown[2..], "status"), [&json!("up"), &json!("up")]);
}

#[test]
fn a_child_is_changed_and_deleted_only_under_its_parent() {
    let fake = fake();
    let parent = create_parent(&fake, "one");
    let other = create_parent(&fake, "two");
    let shown = kids(&fake, &parent);
    let kid = shown[1]["id"].as_str().expect("an id").to_string();

    // A lenient request field sends text; the child keeps the number its answer types.
    let set = call(
        &fake,
        "set_priority",
        &[("parent_id", &parent), ("kid_id", &kid)],
        json!({"priority": "7"}),
    );
    assert_eq!(set.status, 200);
    assert_eq!(kids(&fake, &parent)[1]["priority"], json!(7));

    let elsewhere = [("parent_id", other.as_str()), ("kid_id", kid.as_str())];
    let missing = call(&fake, "delete_kid", &elsewhere, Value::Null);
    assert_eq!(missing.status, 404);
    assert_eq!(
        missing.body,
        Some(json!({ "error_msg": format!("No such kid. (kid {kid})") }))
    );
    let here = [("parent_id", parent.as_str()), ("kid_id", kid.as_str())];
    assert_eq!(call(&fake, "delete_kid", &here, Value::Null).status, 200);
    let left = kids(&fake, &parent);
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["id"], shown[0]["id"]);
    assert_eq!(call(&fake, "delete_kid", &here, Value::Null).status, 404);
    assert_eq!(kids(&fake, &other).len(), 2);
}

#[test]
fn children_need_their_parent_and_go_with_it() {
    let fake = fake();
    let parent = create_parent(&fake, "one");
    let other = create_parent(&fake, "two");
    let orphan = call(
        &fake,
        "add_kids",
        &[("parent_id", "p0000000-nobody")],
        json!({"priorities": [1]}),
    );
    assert_eq!(orphan.status, 404);
    assert_eq!(orphan.body.expect("a body")["error_code"], "P.404");
    assert_eq!(fake.list("kid").len(), 4);

    let deleted = call(
        &fake,
        "delete_parent",
        &[("parent_id", &parent)],
        Value::Null,
    );
    assert_eq!(deleted.status, 200);
    assert_eq!(fake.list("kid").len(), 2);
    assert_eq!(kids(&fake, &other).len(), 2);
}

fn add_kids(fake: &Fake, parent: &str, priorities: Value) -> MockResponse {
    let added = call(
        fake,
        "add_kids",
        &[("parent_id", parent)],
        json!({ "priorities": priorities }),
    );
    assert_eq!(added.status, 200, "{added:?}");
    added
}

fn delete_kid(fake: &Fake, parent: &str, kid: &Value) -> MockResponse {
    let kid = kid.as_str().expect("an id");
    call(
        fake,
        "delete_kid",
        &[("parent_id", parent), ("kid_id", kid)],
        Value::Null,
    )
}

fn count(fake: &Fake, parent: &str) -> Value {
    let shown = call(fake, "show_parent", &[("parent_id", parent)], Value::Null);
    shown.body.expect("a body")["parent"]["kid_count"].clone()
}

#[test]
fn a_parent_counts_its_children() {
    let fake = fake();
    let parent = create_parent(&fake, "one");
    assert_eq!(count(&fake, &parent), json!(2));
    add_kids(&fake, &parent, json!([1, 2]));
    assert_eq!(count(&fake, &parent), json!(4));
    let kid = kids(&fake, &parent)[2]["id"].clone();
    assert_eq!(delete_kid(&fake, &parent, &kid).status, 200);
    assert_eq!(count(&fake, &parent), json!(3));
    // What the test inspects counts as well.
    assert_eq!(fake.get("parent", &parent).expect("held")["kid_count"], 3);
}

#[test]
fn new_children_take_the_smallest_free_number_after_their_parents_name() {
    let fake = fake();
    let parent = create_parent(&fake, "one");
    let other = create_parent(&fake, "two");
    let added = add_kids(&fake, &parent, json!([1, 2]));
    assert_eq!(
        added.body.expect("a body")["names"],
        json!(["one_kid03", "one_kid04"])
    );
    let shown = kids(&fake, &parent);
    assert_eq!(delete_kid(&fake, &parent, &shown[2]["id"]).status, 200);
    add_kids(&fake, &parent, json!([3]));
    let names = field(&kids(&fake, &parent), "name")
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(
        names,
        [
            json!("one_kid01"),
            json!("one_kid02"),
            json!("one_kid04"),
            json!("one_kid03")
        ]
    );
    assert_eq!(
        field(&kids(&fake, &other), "name"),
        [&json!("two_kid01"), &json!("two_kid02")]
    );
    // A parent's name is taken as written, braces and all.
    let braces = create_parent(&fake, "a{nn}");
    assert_eq!(
        field(&kids(&fake, &braces), "name"),
        [&json!("a{nn}_kid01"), &json!("a{nn}_kid02")]
    );
}

fn rename(fake: &Fake, parent: &str, renames: &[(&Value, &str)]) -> MockResponse {
    let items: Vec<Value> = renames
        .iter()
        .map(|(id, name)| json!({"kid_id": id, "name": name}))
        .collect();
    let body = json!({ "kids": items });
    call(fake, "rename_kids", &[("parent_id", parent)], body)
}

#[test]
fn a_batch_update_changes_every_child_its_items_name_or_none() {
    let fake = fake();
    let parent = create_parent(&fake, "one");
    let other = create_parent(&fake, "two");
    let shown = kids(&fake, &parent);
    let (first, second) = (&shown[0]["id"], &shown[1]["id"]);

    let renamed = rename(&fake, &parent, &[(first, "alpha"), (second, "beta")]);
    assert_eq!(renamed.status, 200);
    assert_ne!(
        renamed.body.expect("a body")["job_id"],
        "j",
        "a job of the fake's"
    );
    let names = field(&kids(&fake, &parent), "name")
        .into_iter()
        .cloned()
        .collect::<Vec<_>>();
    assert_eq!(names, [json!("alpha"), json!("beta")]);

    // An unknown child, or one of another parent, is not found, and nothing changes.
    let elsewhere = kids(&fake, &other)[0]["id"].clone();
    for unknown in [json!("k-nobody"), elsewhere] {
        let refused = rename(&fake, &parent, &[(first, "gamma"), (&unknown, "delta")]);
        assert_eq!(refused.status, 404);
        let message = format!("No such kid. (kid {})", unknown.as_str().expect("an id"));
        assert_eq!(refused.body, Some(json!({ "error_msg": message })));
    }
    assert_eq!(
        field(&kids(&fake, &parent), "name"),
        [&json!("alpha"), &json!("beta")]
    );
    assert_eq!(
        field(&kids(&fake, &other), "name"),
        [&json!("two_kid01"), &json!("two_kid02")]
    );
}
