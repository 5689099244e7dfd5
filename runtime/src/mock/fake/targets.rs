//! Which stored resources a request names: a delete one by a path parameter, or a list of ids in
//! the request body (TaurusDB's proxies), where no list means the parent's only resource; an
//! update one by a path parameter, or one per item of a request array (TaurusDB's batch rename of
//! nodes). Either is all or nothing: one unknown id, and nothing is named.

use super::answer::{error, not_found, parent};
use super::dotted;
use super::spec::{Delete, Ids, NotFound, Resource, Targets, Update};
use super::store::Store;
use crate::mock::{MockRequest, MockResponse};
use serde_json::Value;

/// The ids a delete removes, each held by the store under the request's parent; or the answer
/// when one is not (and then nothing is to be deleted).
pub(super) fn targets(
    store: &Store,
    resource: &Resource,
    delete: &Delete,
    request: &MockRequest,
) -> Result<Vec<String>, MockResponse> {
    let under = parent(resource, request);
    let ids = match delete.ids {
        Ids::Path(param) => vec![request.path_param(param).unwrap_or_default().to_string()],
        Ids::Body { at, ambiguous } => {
            let body = request.json_body().unwrap_or(Value::Null);
            let named: Vec<String> = dotted::get(&body, at)
                .and_then(Value::as_array)
                .map(|ids| ids.iter().filter_map(dotted::text).collect())
                .unwrap_or_default();
            if named.is_empty() {
                return only(store, resource, under, at, ambiguous).map(|id| vec![id]);
            }
            named
        }
    };
    match ids
        .iter()
        .find(|id| store.get(resource.name, id, under).is_none())
    {
        Some(unknown) => Err(not_found(resource, unknown)),
        None => Ok(ids),
    }
}

/// The resources an update changes, each with the value its copies read (the request body, or
/// the item that names it), each held by the store under the request's parent; or the answer
/// when one is not (and then nothing is to change).
pub(super) fn changes<'b>(
    store: &Store,
    resource: &Resource,
    update: &Update,
    request: &MockRequest,
    body: &'b Value,
) -> Result<Vec<(String, &'b Value)>, MockResponse> {
    let named: Vec<(String, &Value)> = match update.targets {
        Targets::Path(param) => {
            let id = request.path_param(param).unwrap_or_default();
            vec![(id.to_string(), body)]
        }
        Targets::Items { at, id } => dotted::get(body, at)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|item| {
                let named = dotted::get(item, id).and_then(dotted::text);
                (named.unwrap_or_default(), item)
            })
            .collect(),
    };
    let under = parent(resource, request);
    match named
        .iter()
        .find(|(id, _)| store.get(resource.name, id, under).is_none())
    {
        Some((unknown, _)) => Err(not_found(resource, unknown)),
        None => Ok(named),
    }
}

/// The id of the parent's only resource of the kind, for a delete that names none.
fn only(
    store: &Store,
    resource: &Resource,
    under: Option<&str>,
    at: &str,
    ambiguous: NotFound,
) -> Result<String, MockResponse> {
    let mut ids = store
        .all(resource.name, under)
        .filter_map(|v| resource.id_of(v));
    match (ids.next(), ids.next()) {
        (Some(id), None) => Ok(id),
        (None, _) => Err(not_found(resource, "")),
        (Some(_), Some(_)) => Err(error(
            ambiguous,
            format!(
                "{} (several {} resources: name them in `{at}`)",
                ambiguous.message, resource.name
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::super::spec::{FakeSpec, List};
    use super::super::Fake;
    use super::*;
    use crate::mock::{MockExample, MockOperation, Schema};
    use axum::body::Bytes;
    use axum::http::HeaderMap;
    use serde_json::json;

    const GONE: NotFound = NotFound {
        status: 400,
        code: Some("X.GONE"),
        message: "No such proxy.",
    };

    /// Proxies as TaurusDB has them: under an instance, their id nested in the list item, and
    /// deleted by a list of ids in the body.
    static SPEC: FakeSpec = FakeSpec {
        resources: &[Resource {
            parent: Some("instance_id"),
            list: Some(List {
                operation: "list_proxies",
                items: "proxy_list",
                total: None,
                item_fields: &["proxy"],
                paging: None,
                filters: &[],
            }),
            delete: Some(Delete {
                operation: "delete_proxy",
                ids: Ids::Body {
                    at: "proxy_ids",
                    ambiguous: NotFound {
                        status: 400,
                        code: Some("X.WHICH"),
                        message: "Select a proxy.",
                    },
                },
                job_at: Some("job_id"),
            }),
            ..Resource::bare("proxy", "proxy.pool_id", GONE)
        }],
        jobs: None,
    };

    static OPERATIONS: [MockOperation; 2] = [
        MockOperation {
            id: "list_proxies",
            method: "GET",
            path: "/v3/{project_id}/instances/{instance_id}/proxies",
            success_status: 200,
            success_body: None,
            statuses: &[200],
            examples: &[MockExample {
                name: "status_200",
                status: 200,
                body: r#"{"proxy_list": [{"proxy": {"pool_id": "p0", "name": "documented"}}]}"#,
            }],
        },
        MockOperation {
            id: "delete_proxy",
            method: "DELETE",
            path: "/v3/{project_id}/instances/{instance_id}/proxy",
            success_status: 200,
            success_body: None,
            statuses: &[200],
            examples: &[MockExample {
                name: "status_200",
                status: 200,
                body: r#"{"job_id": "documented"}"#,
            }],
        },
    ];

    fn fake_with(proxies: &[(&str, &str)]) -> Fake {
        let fake = Fake::with_manual_clock(&SPEC);
        fake.bind(&OPERATIONS);
        for (instance, id) in proxies {
            fake.insert_under("proxy", instance, json!({"proxy": {"pool_id": id}}))
                .unwrap();
        }
        fake
    }

    fn request(operation: usize, instance: &str, body: Option<Value>) -> MockRequest {
        MockRequest::new(
            &OPERATIONS[operation],
            Schema(&[]),
            vec![("instance_id", instance.to_string())],
            Vec::new(),
            HeaderMap::new(),
            body.map_or_else(Bytes::new, |b| Bytes::from(b.to_string())),
            None,
        )
    }

    fn delete(fake: &Fake, instance: &str, body: Option<Value>) -> MockResponse {
        fake.answer(&request(1, instance, body))
            .expect("the fake answers")
    }

    fn ids(fake: &Fake) -> Vec<String> {
        fake.list("proxy")
            .iter()
            .filter_map(|v| dotted::get(v, "proxy.pool_id").and_then(dotted::text))
            .collect()
    }

    #[test]
    fn a_delete_removes_the_ids_its_body_lists() {
        let fake = fake_with(&[("i1", "a"), ("i1", "b"), ("i1", "c")]);
        let answer = delete(&fake, "i1", Some(json!({"proxy_ids": ["a", "c"]})));
        assert_eq!(answer.status, 200);
        assert!(
            answer.body.unwrap()["job_id"] != "documented",
            "a job of the fake"
        );
        assert_eq!(ids(&fake), ["b"]);
    }

    #[test]
    fn an_unknown_id_deletes_nothing() {
        let fake = fake_with(&[("i1", "a"), ("i1", "b"), ("i2", "c")]);
        // `c` exists, but under another instance.
        for unknown in ["zz", "c"] {
            let answer = delete(&fake, "i1", Some(json!({"proxy_ids": ["a", unknown]})));
            assert_eq!(
                answer,
                MockResponse::error(400, "X.GONE", format!("No such proxy. (proxy {unknown})"))
            );
        }
        assert_eq!(ids(&fake), ["a", "b", "c"]);
    }

    #[test]
    fn a_delete_without_ids_removes_the_parents_only_resource() {
        let fake = fake_with(&[("i1", "a"), ("i2", "b")]);
        assert_eq!(delete(&fake, "i1", None).status, 200);
        assert_eq!(ids(&fake), ["b"]);
        // An empty list names none either.
        assert_eq!(
            delete(&fake, "i2", Some(json!({"proxy_ids": []}))).status,
            200
        );
        assert!(ids(&fake).is_empty());
        assert_eq!(
            delete(&fake, "i2", None),
            MockResponse::error(400, "X.GONE", "No such proxy. (proxy)".to_string())
        );
    }

    #[test]
    fn a_delete_without_ids_under_several_resources_is_refused() {
        let fake = fake_with(&[("i1", "a"), ("i1", "b")]);
        assert_eq!(
            delete(&fake, "i1", Some(json!({}))),
            MockResponse::error(
                400,
                "X.WHICH",
                "Select a proxy. (several proxy resources: name them in `proxy_ids`)".to_string()
            )
        );
        assert_eq!(ids(&fake), ["a", "b"]);
    }

    #[test]
    fn a_nested_id_field_is_seeded_listed_and_made() {
        let fake = fake_with(&[("i1", "a")]);
        assert_eq!(
            fake.get("proxy", "a"),
            Some(json!({"proxy": {"pool_id": "a"}}))
        );
        let made = fake
            .insert_under("proxy", "i1", json!({"proxy": {"name": "n"}}))
            .unwrap();
        assert_eq!(
            fake.get("proxy", &made),
            Some(json!({"proxy": {"pool_id": made, "name": "n"}}))
        );
        let listed = fake.answer(&request(0, "i1", None)).expect("answers");
        assert_eq!(
            listed.body.unwrap()["proxy_list"],
            json!([{"proxy": {"pool_id": "a"}}, {"proxy": {"pool_id": made, "name": "n"}}])
        );
    }
}
