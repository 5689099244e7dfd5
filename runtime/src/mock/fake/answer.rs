//! The fake's answers: each starts from the operation's documented answer and puts the state in.

use super::spec::{Jobs, List, NotFound, Read, Resource, Update};
use super::targets::targets;
use super::{dotted, Fake, Templates};
use crate::mock::{MockOperation, MockRequest, MockResponse};
use serde_json::{Map, Value};

/// The documented resource (from the read operation's example) and list item (from the list
/// operation's), which the fake's own resources are laid over. A resource without a read
/// operation starts from the documented list item.
pub(super) fn templates(resource: &Resource, operations: &[MockOperation]) -> Templates {
    let example = |id: &str| {
        operations
            .iter()
            .find(|op| op.id == id)
            .and_then(|op| op.examples.iter().find(|e| e.status == op.success_status))
            .and_then(|e| serde_json::from_str::<Value>(e.body).ok())
    };
    let object = |v: Option<&Value>| match v {
        Some(v @ Value::Object(_)) => v.clone(),
        _ => Value::Object(Map::new()),
    };
    let list = resource
        .list
        .and_then(|l| example(l.operation).map(|e| (l, e)));
    let list_item = object(
        list.as_ref()
            .and_then(|(l, e)| dotted::get(e, l.items))
            .and_then(|items| items.get(0)),
    );
    let resource = match resource.read {
        Some(read) => {
            let answer = example(read.operation);
            object(answer.as_ref().and_then(|e| dotted::get(e, read.at)))
        }
        None => list_item.clone(),
    };
    Templates {
        resource,
        list_item,
    }
}

pub(super) fn create(
    fake: &Fake,
    resource: &Resource,
    templates: &Templates,
    request: &MockRequest,
) -> MockResponse {
    let Some(create) = resource.create else {
        return request.documented();
    };
    let body = request.json_body().unwrap_or(Value::Null);
    let mut value = templates.resource.clone();
    for assign in create.copy {
        if let Some(v) = dotted::get(&body, assign.from) {
            dotted::set(&mut value, assign.to, v.clone());
        }
    }
    let duration = fake.job_duration();
    let mut store = fake.store();
    let template_id = dotted::get(&templates.resource, resource.id_field).and_then(dotted::text);
    let id = store.fresh_id(template_id.as_deref());
    let takes_time = create.job_at.is_some() || resource.status.is_some();
    let under = parent(resource, request).map(str::to_string);
    if let Err(e) = store.insert(
        resource,
        id.clone(),
        under,
        value,
        takes_time.then_some(duration),
    ) {
        return MockResponse::error(400, "MOCK.LIMIT", e.to_string());
    }
    let mut response = request.documented();
    if let Some(at) = create.id_at {
        put(&mut response, at, Value::String(id));
    }
    if let Some(at) = create.job_at {
        let job = store.start_job(duration);
        put(&mut response, at, Value::String(job));
    }
    response
}

pub(super) fn read(
    fake: &Fake,
    resource: &Resource,
    read: &Read,
    request: &MockRequest,
) -> MockResponse {
    let id = request.path_param(read.id_param).unwrap_or_default();
    let mut store = fake.store();
    store.settle(fake.0.spec.resources);
    let Some(value) = store.get(resource.name, id, parent(resource, request)) else {
        return not_found(resource, id);
    };
    let mut response = request.documented();
    put(&mut response, read.at, value.clone());
    response
}

pub(super) fn list(
    fake: &Fake,
    resource: &Resource,
    templates: &Templates,
    request: &MockRequest,
) -> MockResponse {
    let Some(list) = resource.list else {
        return request.documented();
    };
    let mut store = fake.store();
    store.settle(fake.0.spec.resources);
    let matching: Vec<&Value> = store
        .all(resource.name, parent(resource, request))
        .filter(|v| passes_filters(&list, v, request))
        .collect();
    let total = matching.len();
    let (skip, take) = page(&list, request);
    let items: Vec<Value> = matching
        .into_iter()
        .skip(skip)
        .take(take)
        .map(|v| list_item(&list, &templates.list_item, v))
        .collect();
    let mut response = request.documented();
    put(&mut response, list.items, Value::Array(items));
    if let Some(at) = list.total {
        put(&mut response, at, Value::from(total));
    }
    response
}

pub(super) fn update(
    fake: &Fake,
    resource: &Resource,
    update: &Update,
    request: &MockRequest,
) -> MockResponse {
    let id = request.path_param(update.id_param).unwrap_or_default();
    let body = request.json_body().unwrap_or(Value::Null);
    let duration = fake.job_duration();
    let mut store = fake.store();
    store.settle(fake.0.spec.resources);
    let Some(value) = store.get_mut(resource.name, id, parent(resource, request)) else {
        return not_found(resource, id);
    };
    for assign in update.copy {
        if let Some(v) = dotted::get(&body, assign.from) {
            dotted::set(value, assign.to, v.clone());
        }
    }
    let mut response = request.documented();
    if let Some(at) = update.job_at {
        let job = store.start_job(duration);
        put(&mut response, at, Value::String(job));
    }
    response
}

pub(super) fn delete(fake: &Fake, resource: &Resource, request: &MockRequest) -> MockResponse {
    let Some(delete) = resource.delete else {
        return request.documented();
    };
    let duration = fake.job_duration();
    let mut store = fake.store();
    store.settle(fake.0.spec.resources);
    let ids = match targets(&store, resource, &delete, request) {
        Ok(ids) => ids,
        Err(answer) => return answer,
    };
    for id in &ids {
        store.delete(resource, id, parent(resource, request), duration);
    }
    let mut response = request.documented();
    if let Some(at) = delete.job_at {
        let job = store.start_job(duration);
        put(&mut response, at, Value::String(job));
    }
    response
}

/// The task API's answer for a job the fake started; a job it does not know keeps the
/// documented answer.
pub(super) fn job(fake: &Fake, jobs: &Jobs, request: &MockRequest) -> Option<MockResponse> {
    let id = request
        .path_param(jobs.id_param)
        .or_else(|| request.query_values(jobs.id_param).next())?
        .to_string();
    let mut store = fake.store();
    store.settle(fake.0.spec.resources);
    let done = store.job_done(&id)?;
    let status = if done { jobs.succeeded } else { jobs.running };
    let mut response = request.documented();
    put(&mut response, jobs.status_at, Value::String(status.into()));
    if let Some(at) = jobs.id_at {
        put(&mut response, at, Value::String(id));
    }
    Some(response)
}

/// The parent the request names, for a resource that has one.
pub(super) fn parent<'r>(resource: &Resource, request: &'r MockRequest) -> Option<&'r str> {
    resource.parent.and_then(|name| request.path_param(name))
}

/// The resource's `not_found` answer for `id` (empty: for a request that named none).
pub(super) fn not_found(resource: &Resource, id: &str) -> MockResponse {
    let nf = resource.not_found;
    let message = match id {
        "" => format!("{} ({})", nf.message, resource.name),
        id => format!("{} ({} {id})", nf.message, resource.name),
    };
    error(nf, message)
}

/// An error answer in the service's shape, with `message` for the documented one.
pub(super) fn error(shape: NotFound, message: String) -> MockResponse {
    match shape.code {
        Some(code) => MockResponse::error(shape.status, code, message),
        None => MockResponse::json(shape.status, serde_json::json!({ "error_msg": message })),
    }
}

fn put(response: &mut MockResponse, at: &str, value: Value) {
    let body = response
        .body
        .get_or_insert_with(|| Value::Object(Map::new()));
    dotted::set(body, at, value);
}

fn passes_filters(list: &List, value: &Value, request: &MockRequest) -> bool {
    list.filters.iter().all(|filter| {
        let wanted: Vec<&str> = request.query_values(filter.param).collect();
        if wanted.is_empty() {
            return true;
        }
        let have = dotted::get(value, filter.field).and_then(dotted::text);
        have.is_some_and(|have| wanted.iter().any(|w| *w == have))
    })
}

/// Which items of the filtered list the request's page holds: how many to skip, how many to take.
fn page(list: &List, request: &MockRequest) -> (usize, usize) {
    let Some(paging) = list.paging else {
        return (0, usize::MAX);
    };
    let number = |name: &str| {
        request
            .query_values(name)
            .next()
            .and_then(|v| v.parse::<usize>().ok())
    };
    let limit = number(paging.limit).filter(|l| *l > 0);
    let offset = number(paging.offset);
    match (paging.pages, limit) {
        (true, Some(limit)) => {
            let page = offset.unwrap_or(1).max(1);
            ((page - 1).saturating_mul(limit), limit)
        }
        (true, None) => (0, usize::MAX),
        (false, limit) => (offset.unwrap_or(0), limit.unwrap_or(usize::MAX)),
    }
}

/// A stored resource as a list shows it: the documented list item with the resource's values of
/// the fields the two types share.
fn list_item(list: &List, template: &Value, value: &Value) -> Value {
    let mut item = template.clone();
    let (Value::Object(item_fields), Value::Object(fields)) = (&mut item, value) else {
        return value.clone();
    };
    for (name, v) in fields {
        if list.item_fields.contains(&name.as_str()) {
            item_fields.insert(name.clone(), v.clone());
        }
    }
    item
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resource(code: Option<&'static str>) -> Resource {
        Resource {
            name: "cluster",
            id_field: "id",
            parent: None,
            read: Some(Read {
                operation: "show_cluster",
                id_param: "cluster_id",
                at: "",
            }),
            create: None,
            list: None,
            updates: &[],
            delete: None,
            status: None,
            not_found: NotFound {
                status: 404,
                code,
                message: "No resources found.",
            },
        }
    }

    #[test]
    fn not_found_carries_the_documented_code_or_the_message_only() {
        let with = not_found(&resource(Some("X.404")), "c1");
        assert_eq!(
            with,
            MockResponse::json(
                404,
                json!({"error_code": "X.404", "error_msg": "No resources found. (cluster c1)"})
            )
        );
        let without = not_found(&resource(None), "c1");
        assert_eq!(
            without,
            MockResponse::json(
                404,
                json!({"error_msg": "No resources found. (cluster c1)"})
            )
        );
    }
}
