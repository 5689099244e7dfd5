//! The stateful fake: resources that a create stores, a read and a list see, an update changes
//! and a delete removes, with jobs that progress on a clock the test controls.
//!
//! A service describes its resources once ([`FakeSpec`], generated from `fake:` in its
//! `service.yaml`); a [`Fake`] given to [`MockConfig::fake`](super::MockConfig::fake) then answers
//! those operations from its state, after the mock has checked the request as always. Operations
//! the spec gives no hint for keep their documented answers, and `Prefer:` still wins.

mod answer;
#[cfg(test)]
mod children_tests;
mod dotted;
mod numbering;
pub mod spec;
mod store;
mod targets;

pub use spec::FakeSpec;
pub use store::FakeError;

use super::{MockOperation, MockRequest, MockResponse};
use serde_json::Value;
use spec::Resource;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};
use store::{Clock, Store};

/// How long a job the fake starts runs by default (and so how long a resource stays in its
/// creating or deleting status).
pub const DEFAULT_JOB_DURATION: Duration = Duration::from_secs(1);

/// How many resources of one kind, and how many jobs, a fake holds at most by default.
pub const DEFAULT_FAKE_LIMIT: usize = 10_000;

/// A stateful fake of one service; clones share the state, so a test keeps one to seed, inspect
/// and advance while the mock serves another.
#[derive(Debug, Clone)]
pub struct Fake(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    spec: &'static FakeSpec,
    roles: HashMap<&'static str, (usize, Role)>,
    store: Mutex<Store>,
    job_duration: Mutex<Duration>,
    templates: OnceLock<Vec<Templates>>,
}

/// What an operation does to a resource.
#[derive(Debug, Clone, Copy)]
enum Role {
    Create,
    Read,
    List,
    Update(usize),
    Delete,
}

/// The documented shapes new resources and list items start from.
#[derive(Debug, Default)]
struct Templates {
    resource: Value,
    list_item: Value,
    /// The children a new resource starts with: for each resource shown within it (by index),
    /// the items its documented answer shows.
    children: Vec<(usize, Vec<Value>)>,
}

impl Fake {
    /// An empty fake of the service `spec` describes, on a real-time clock.
    pub fn new(spec: &'static FakeSpec) -> Fake {
        Fake::with_clock(spec, Clock::Real(Instant::now()))
    }

    /// An empty fake whose clock stands still until [`Fake::advance`] moves it: jobs stay
    /// running, and resources in their creating status, until the test says.
    pub fn with_manual_clock(spec: &'static FakeSpec) -> Fake {
        Fake::with_clock(spec, Clock::Manual(Duration::ZERO))
    }

    fn with_clock(spec: &'static FakeSpec, clock: Clock) -> Fake {
        let mut roles = HashMap::new();
        for (index, r) in spec.resources.iter().enumerate() {
            if let Some(read) = r.read {
                roles.insert(read.operation, (index, Role::Read));
            }
            if let Some(c) = r.create {
                roles.insert(c.operation, (index, Role::Create));
            }
            if let Some(l) = r.list {
                roles.insert(l.operation, (index, Role::List));
            }
            for (i, u) in r.updates.iter().enumerate() {
                roles.insert(u.operation, (index, Role::Update(i)));
            }
            if let Some(d) = r.delete {
                roles.insert(d.operation, (index, Role::Delete));
            }
        }
        Fake(Arc::new(Inner {
            spec,
            roles,
            store: Mutex::new(Store::new(clock, DEFAULT_FAKE_LIMIT)),
            job_duration: Mutex::new(DEFAULT_JOB_DURATION),
            templates: OnceLock::new(),
        }))
    }

    /// How long the jobs the fake starts from now on run (default [`DEFAULT_JOB_DURATION`]);
    /// zero finishes them, and readies their resources, at once.
    pub fn set_job_duration(&self, duration: Duration) {
        *lock(&self.0.job_duration) = duration;
    }

    /// Moves a manual clock forward (a real-time clock ignores it).
    pub fn advance(&self, by: Duration) {
        let mut store = self.store();
        if let Clock::Manual(now) = &mut store.clock {
            *now += by;
        }
    }

    /// Stores a resource as a test's starting point, ready; its id is taken from the value's id
    /// field, or made. Returns the id.
    pub fn insert(&self, resource: &str, value: Value) -> Result<String, FakeError> {
        self.seed(resource, None, value)
    }

    /// Stores a resource that belongs to the resource `parent` (see
    /// [`Resource::parent`](spec::Resource::parent)), ready. Returns its id. A resource shown
    /// within its parent ([`Within`](spec::Within)) needs the parent stored first: children
    /// whose parent the fake does not hold go.
    pub fn insert_under(
        &self,
        resource: &str,
        parent: &str,
        value: Value,
    ) -> Result<String, FakeError> {
        self.seed(resource, Some(parent.to_string()), value)
    }

    fn seed(
        &self,
        resource: &str,
        parent: Option<String>,
        value: Value,
    ) -> Result<String, FakeError> {
        let r = self.resource(resource)?;
        if !value.is_object() {
            return Err(FakeError::NotAnObject);
        }
        let mut store = self.store();
        let id = match r.id_of(&value) {
            Some(id) => id,
            None => store.fresh_id(None),
        };
        store.insert(r, id.clone(), parent, value, None)?;
        Ok(id)
    }

    /// A stored resource as the fake holds it now, showing the resources shown within it (see
    /// [`Within`](spec::Within)) as its read does.
    pub fn get(&self, resource: &str, id: &str) -> Option<Value> {
        let r = self.resource(resource).ok()?;
        let mut store = self.store();
        store.settle(self.0.spec.resources);
        let value = store.get(r.name, id, None)?;
        Some(answer::shown(self.0.spec.resources, &store, r, value))
    }

    /// Every stored resource of a kind, oldest first, shown as [`Fake::get`] shows one.
    pub fn list(&self, resource: &str) -> Vec<Value> {
        let Ok(r) = self.resource(resource) else {
            return Vec::new();
        };
        let mut store = self.store();
        store.settle(self.0.spec.resources);
        store
            .all(resource, None)
            .map(|v| answer::shown(self.0.spec.resources, &store, r, v))
            .collect()
    }

    /// The answer of the fake to a request the mock has checked, if the operation is one of its
    /// resources' or the task API.
    pub(super) fn answer(&self, request: &MockRequest) -> Option<MockResponse> {
        let operation = request.operation();
        let spec = self.0.spec;
        if let Some(jobs) = spec.jobs.filter(|j| j.operation == operation.id) {
            return answer::job(self, &jobs, request);
        }
        let (index, role) = *self.0.roles.get(operation.id)?;
        let resource = &spec.resources[index];
        let templates = &self.0.templates.get()?[index];
        Some(match role {
            Role::Create => answer::create(self, resource, templates, request),
            Role::Read => answer::read(self, resource, resource.read.as_ref()?, request),
            Role::List => answer::list(self, resource, templates, request),
            Role::Update(i) => answer::update(self, resource, &resource.updates[i], request),
            Role::Delete => answer::delete(self, resource, request),
        })
    }

    /// Reads the documented templates from the service's operations; done once, by the router.
    pub(super) fn bind(&self, operations: &'static [MockOperation]) {
        self.0.templates.get_or_init(|| {
            let resources = self.0.spec.resources;
            let mut templates: Vec<Templates> = resources
                .iter()
                .map(|r| answer::templates(r, operations))
                .collect();
            answer::nest(resources, &mut templates);
            templates
        });
    }

    fn resource(&self, name: &str) -> Result<&'static Resource, FakeError> {
        self.0
            .spec
            .resources
            .iter()
            .find(|r| r.name == name)
            .ok_or_else(|| FakeError::UnknownResource(name.to_string()))
    }

    fn store(&self) -> MutexGuard<'_, Store> {
        lock(&self.0.store)
    }

    fn job_duration(&self) -> Duration {
        *lock(&self.0.job_duration)
    }
}

/// A handler that panicked while holding the lock does not stop the fake.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::spec::{NotFound, Read, Resource};
    use super::*;
    use serde_json::json;

    static SPEC: FakeSpec = FakeSpec {
        resources: &[Resource {
            parent: Some("parent_id"),
            read: Some(Read {
                operation: "show_child",
                id_param: "child_id",
                at: "",
            }),
            ..Resource::bare(
                "child",
                "id",
                NotFound {
                    status: 404,
                    code: Some("X.404"),
                    message: "gone",
                },
            )
        }],
        jobs: None,
    };

    #[test]
    fn a_test_seeds_resources_with_and_without_a_parent() {
        let fake = Fake::with_manual_clock(&SPEC);
        let id = fake
            .insert_under("child", "p1", json!({"id": "c1"}))
            .unwrap();
        assert_eq!(id, "c1");
        let made = fake.insert("child", json!({"name": "n"})).unwrap();
        assert_eq!(
            fake.get("child", &made),
            Some(json!({"name": "n", "id": made}))
        );
        assert_eq!(fake.list("child").len(), 2);
        assert_eq!(
            fake.insert_under("nothing", "p1", json!({})),
            Err(FakeError::UnknownResource("nothing".into()))
        );
    }
}
