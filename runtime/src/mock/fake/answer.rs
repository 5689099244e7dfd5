//! The fake's answers: each starts from the operation's documented answer and puts the state in.

use super::spec::{Jobs, List, NotFound, Read, Resource, Update};
use super::store::{FakeError, Store};
use super::targets::{changes, targets};
use super::{dotted, numbering, Fake, Templates};
use crate::mock::{MockOperation, MockRequest, MockResponse};
use serde_json::{Map, Value};
use std::time::Duration;

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
        children: Vec::new(),
    }
}

/// Fills in the templates of the resources shown within a parent: the documented items of the
/// parent's field are the children a new parent starts with, and the one the hint picks (else
/// the first) is the template of a child the fake creates.
pub(super) fn nest(resources: &[Resource], templates: &mut [Templates]) {
    for (index, resource) in resources.iter().enumerate() {
        let Some(within) = resource.within else {
            continue;
        };
        let Some(parent) = resources.iter().position(|r| r.name == within.resource) else {
            continue;
        };
        let items = dotted::get(&templates[parent].resource, within.at)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let picked = items
            .iter()
            .find(|item| {
                within.template.iter().all(|(field, value)| {
                    dotted::get(item, field).and_then(dotted::text).as_deref() == Some(*value)
                })
            })
            .or(items.first());
        if let Some(item @ Value::Object(_)) = picked {
            templates[index].resource = item.clone();
        }
        templates[parent].children.push((index, items));
    }
}

/// A stored resource as its answers show it: with, at the field of each resource shown within it,
/// its current children in creation order (and their number in the field that counts them).
pub(super) fn shown(
    resources: &[Resource],
    store: &Store,
    resource: &Resource,
    value: &Value,
) -> Value {
    let mut shown = value.clone();
    let id = resource.id_of(value);
    for child in resources {
        let Some(within) = child.within.filter(|w| w.resource == resource.name) else {
            continue;
        };
        let children: Vec<Value> = match &id {
            Some(id) => store.all(child.name, Some(id)).cloned().collect(),
            None => Vec::new(),
        };
        if let Some(count) = within.count {
            dotted::set(&mut shown, count, Value::from(children.len()));
        }
        dotted::set(&mut shown, within.at, Value::Array(children));
    }
    shown
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
    let duration = fake.job_duration();
    let takes_time = (create.job_at.is_some() || resource.status.is_some()).then_some(duration);
    let under = parent(resource, request).map(str::to_string);
    let mut store = fake.store();
    store.settle(fake.0.spec.resources);
    // A resource shown within its parent is made only under a parent the fake holds.
    if let (Some(within), Some(under)) = (resource.within, under.as_deref()) {
        if let Ok(owner) = fake.resource(within.resource) {
            if store.get(owner.name, under, None).is_none() {
                return not_found(owner, under);
            }
        }
    }
    // One resource, or one per item of the request's array.
    let items: Vec<Option<&Value>> = match create.each {
        Some(each) => dotted::get(&body, each.item)
            .and_then(Value::as_array)
            .map(|items| items.iter().map(Some).collect())
            .unwrap_or_default(),
        None => vec![None],
    };
    let mut made = Vec::with_capacity(items.len());
    for item in items {
        let mut value = templates.resource.clone();
        // Before the copies, so that a request field the create copies wins.
        for (field, text) in create.set {
            assign(&mut value, field, Value::String(text.to_string()));
        }
        for a in create.copy {
            if let Some(v) = dotted::get(&body, a.from) {
                assign(&mut value, a.to, v.clone());
            }
        }
        if let (Some(to), Some(item)) = (create.each.and_then(|e| e.to), item) {
            assign(&mut value, to, item.clone());
        }
        let stored = store_new(
            &mut store,
            resource,
            &templates.resource,
            value,
            under.clone(),
            takes_time,
        );
        match stored {
            Ok(value) => made.push(value),
            Err(e) => return MockResponse::error(400, "MOCK.LIMIT", e.to_string()),
        }
    }
    // A new parent starts with the children its documented answer shows.
    for value in &made {
        let Some(id) = resource.id_of(value) else {
            continue;
        };
        for (index, items) in &templates.children {
            let child = &fake.0.spec.resources[*index];
            for item in items {
                let stored = store_new(
                    &mut store,
                    child,
                    item,
                    item.clone(),
                    Some(id.clone()),
                    takes_time,
                );
                if let Err(e) = stored {
                    return MockResponse::error(400, "MOCK.LIMIT", e.to_string());
                }
            }
        }
    }
    let mut response = request.documented();
    if let (Some(at), Some(value)) = (create.id_at, made.first()) {
        if let Some(id) = dotted::get(value, resource.id_field) {
            put(&mut response, at, id.clone());
        }
    }
    for a in create.answer {
        let of = |v: &Value| dotted::get(v, a.from).cloned().unwrap_or(Value::Null);
        let shown = match create.each {
            Some(_) => Value::Array(made.iter().map(of).collect()),
            None => made.first().map(of).unwrap_or(Value::Null),
        };
        put(&mut response, a.to, shown);
    }
    if let (Some(at), Some(under)) = (create.parent_at, under) {
        put(&mut response, at, Value::String(under));
    }
    if let Some(at) = create.job_at {
        let job = store.start_job(duration);
        put(&mut response, at, Value::String(job));
    }
    response
}

/// Stores a new resource made from `value` with a fresh id, and fresh values of its `fresh`
/// fields, shaped like the template's; returns it as stored.
fn store_new(
    store: &mut Store,
    resource: &Resource,
    template: &Value,
    mut value: Value,
    parent: Option<String>,
    takes: Option<Duration>,
) -> Result<Value, FakeError> {
    for field in resource.fresh {
        let like = dotted::get(template, field).and_then(dotted::text);
        dotted::set(
            &mut value,
            field,
            Value::String(store.fresh_id(like.as_deref())),
        );
    }
    let numbered = resource.within.and_then(|w| Some((w, w.numbered?)));
    if let (Some((within, numbered)), Some(parent)) = (numbered, parent.as_deref()) {
        let name = numbering::next(store, resource, within, numbered, parent);
        dotted::set(&mut value, numbered.field, Value::String(name));
    }
    let like = resource.id_of(template);
    let id = store.fresh_id(like.as_deref());
    store.insert(resource, id.clone(), parent, value, takes)?;
    Ok(store
        .get(resource.name, &id, None)
        .cloned()
        .unwrap_or_default())
}

/// Writes a copied value in the JSON kind of the value it replaces, where it converts: a lenient
/// request field may send `"2"` to a field the answer types as a number, and the answer must
/// still read.
fn assign(value: &mut Value, at: &str, new: Value) {
    let new = match (dotted::get(value, at), new) {
        (Some(Value::Number(_)), Value::String(text)) => text
            .parse::<serde_json::Number>()
            .map(Value::Number)
            .unwrap_or(Value::String(text)),
        (Some(Value::String(_)), Value::Number(n)) => Value::String(n.to_string()),
        (_, new) => new,
    };
    dotted::set(value, at, new);
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
    let shown = shown(fake.0.spec.resources, &store, resource, value);
    let mut response = request.documented();
    put(&mut response, read.at, shown);
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
        .map(|v| {
            let shown = shown(fake.0.spec.resources, &store, resource, v);
            list_item(&list, &templates.list_item, &shown)
        })
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
    let body = request.json_body().unwrap_or(Value::Null);
    let duration = fake.job_duration();
    let under = parent(resource, request);
    let mut store = fake.store();
    store.settle(fake.0.spec.resources);
    let changes = match changes(&store, resource, update, request, &body) {
        Ok(changes) => changes,
        Err(answer) => return answer,
    };
    for (id, source) in changes {
        let Some(value) = store.get_mut(resource.name, &id, under) else {
            continue;
        };
        for a in update.copy {
            if let Some(v) = dotted::get(source, a.from) {
                assign(value, a.to, v.clone());
            }
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
        let not_found = NotFound {
            status: 404,
            code,
            message: "No resources found.",
        };
        Resource::bare("cluster", "id", not_found)
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
