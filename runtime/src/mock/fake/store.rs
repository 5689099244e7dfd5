//! The fake's memory: resources by kind in creation order, the jobs it started, and the clock they
//! progress on. Bounded: at most a set number of resources per kind and of jobs.

use super::dotted;
use super::spec::{Resource, Status};
use serde_json::Value;
use std::collections::{HashMap, HashSet, VecDeque};
use std::time::{Duration, Instant};

/// What the fake's clock reads: real time since the fake was made, or time a test advances.
#[derive(Debug)]
pub(super) enum Clock {
    Real(Instant),
    Manual(Duration),
}

impl Clock {
    pub(super) fn now(&self) -> Duration {
        match self {
            Clock::Real(start) => start.elapsed(),
            Clock::Manual(now) => *now,
        }
    }
}

/// What happens to a resource when its job ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Then {
    /// Its status becomes the ready value.
    Ready,
    /// It is gone.
    Remove,
}

#[derive(Debug)]
struct Stored {
    id: String,
    /// The id of the resource it belongs to, if its kind has a parent.
    parent: Option<String>,
    value: Value,
    /// A change still running, and when it ends.
    pending: Option<(Duration, Then)>,
}

#[derive(Debug)]
struct Job {
    id: String,
    ends: Duration,
}

/// The state of one fake.
#[derive(Debug)]
pub(super) struct Store {
    pub(super) clock: Clock,
    next: u64,
    kinds: HashMap<&'static str, Vec<Stored>>,
    jobs: VecDeque<Job>,
    limit: usize,
}

/// Why the store refused a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FakeError {
    /// The fake has no resource of this name.
    UnknownResource(String),
    /// The fake already holds its limit of resources of this kind.
    Full {
        /// The resource.
        resource: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A seeded resource is not a JSON object.
    NotAnObject,
}

impl std::fmt::Display for FakeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FakeError::UnknownResource(name) => write!(f, "the fake keeps no resource {name}"),
            FakeError::Full { resource, limit } => {
                write!(
                    f,
                    "the fake holds its limit of {limit} {resource} resources"
                )
            }
            FakeError::NotAnObject => write!(f, "a resource must be a JSON object"),
        }
    }
}

impl std::error::Error for FakeError {}

impl Store {
    pub(super) fn new(clock: Clock, limit: usize) -> Store {
        Store {
            clock,
            next: 0,
            kinds: HashMap::new(),
            jobs: VecDeque::new(),
            limit,
        }
    }

    /// A fresh id shaped like `template` (the documented example's id), so it passes the same
    /// length checks: its first 8 characters become a counter, or a counter is appended to a
    /// short one.
    pub(super) fn fresh_id(&mut self, template: Option<&str>) -> String {
        self.next += 1;
        let counter = format!("{:08x}", self.next);
        match template {
            Some(t) if t.chars().count() >= 12 => counter + &t.chars().skip(8).collect::<String>(),
            Some(t) if !t.is_empty() => format!("{t}-{}", self.next),
            _ => counter,
        }
    }

    /// Ends the changes and jobs whose time has come.
    pub(super) fn settle(&mut self, resources: &[Resource]) {
        let now = self.clock.now();
        for resource in resources {
            let Some(stored) = self.kinds.get_mut(resource.name) else {
                continue;
            };
            stored.retain_mut(|s| match s.pending {
                Some((ends, then)) if ends <= now => {
                    s.pending = None;
                    if then == Then::Ready {
                        set_status(&mut s.value, resource.status, |st| st.ready);
                    }
                    then != Then::Remove
                }
                _ => true,
            });
        }
        // The children of a parent that is gone go with it.
        for child in resources {
            let Some(within) = child.within else {
                continue;
            };
            let Some(stored) = self.kinds.get(child.name).filter(|s| !s.is_empty()) else {
                continue;
            };
            let parents: HashSet<&str> = self
                .kinds
                .get(within.resource)
                .into_iter()
                .flatten()
                .map(|s| s.id.as_str())
                .collect();
            let keep: Vec<bool> = stored
                .iter()
                .map(|s| s.parent.as_deref().is_some_and(|p| parents.contains(p)))
                .collect();
            if keep.iter().all(|k| *k) {
                continue;
            }
            let mut keep = keep.into_iter();
            if let Some(stored) = self.kinds.get_mut(child.name) {
                stored.retain(|_| keep.next().unwrap_or(true));
            }
        }
    }

    /// Stores `value` under `id`, its change (if it takes `duration`) still running.
    pub(super) fn insert(
        &mut self,
        resource: &Resource,
        id: String,
        parent: Option<String>,
        mut value: Value,
        duration: Option<Duration>,
    ) -> Result<(), FakeError> {
        let limit = self.limit;
        let now = self.clock.now();
        let stored = self.kinds.entry(resource.name).or_default();
        if stored.len() >= limit {
            return Err(FakeError::Full {
                resource: resource.name,
                limit,
            });
        }
        dotted::set(&mut value, resource.id_field, Value::String(id.clone()));
        let pending = match duration {
            Some(d) if !d.is_zero() => {
                set_status(&mut value, resource.status, |st| st.creating);
                Some((now + d, Then::Ready))
            }
            _ => {
                set_status(&mut value, resource.status, |st| st.ready);
                None
            }
        };
        stored.push(Stored {
            id,
            parent,
            value,
            pending,
        });
        Ok(())
    }

    /// The resource `id` of a kind; under `parent` when the request names one.
    pub(super) fn get(&self, resource: &str, id: &str, parent: Option<&str>) -> Option<&Value> {
        self.kinds
            .get(resource)?
            .iter()
            .find(|s| s.id == id && under(s, parent))
            .map(|s| &s.value)
    }

    pub(super) fn get_mut(
        &mut self,
        resource: &str,
        id: &str,
        parent: Option<&str>,
    ) -> Option<&mut Value> {
        self.kinds
            .get_mut(resource)?
            .iter_mut()
            .find(|s| s.id == id && under(s, parent))
            .map(|s| &mut s.value)
    }

    /// Every resource of a kind (under `parent` when the request names one), oldest first.
    pub(super) fn all<'s>(
        &'s self,
        resource: &str,
        parent: Option<&'s str>,
    ) -> impl Iterator<Item = &'s Value> {
        self.kinds
            .get(resource)
            .into_iter()
            .flatten()
            .filter(move |s| under(s, parent))
            .map(|s| &s.value)
    }

    /// Deletes a resource: at once, or once `duration` has passed, in the deleting status.
    /// `false` when there is no such resource.
    pub(super) fn delete(
        &mut self,
        resource: &Resource,
        id: &str,
        parent: Option<&str>,
        duration: Duration,
    ) -> bool {
        let now = self.clock.now();
        let Some(stored) = self.kinds.get_mut(resource.name) else {
            return false;
        };
        let Some(position) = stored.iter().position(|s| s.id == id && under(s, parent)) else {
            return false;
        };
        let deleting = resource.status.and_then(|s| s.deleting);
        match deleting {
            Some(value) if !duration.is_zero() => {
                let s = &mut stored[position];
                if let Some(status) = resource.status {
                    dotted::set(&mut s.value, status.field, Value::String(value.into()));
                }
                s.pending = Some((now + duration, Then::Remove));
            }
            _ => {
                stored.remove(position);
            }
        }
        true
    }

    /// Starts a job that ends after `duration`; the oldest jobs are forgotten beyond the limit.
    pub(super) fn start_job(&mut self, duration: Duration) -> String {
        let id = self.fresh_id(Some("job-0000-0000-0000-0000-000000000000"));
        if self.jobs.len() >= self.limit {
            self.jobs.pop_front();
        }
        let ends = self.clock.now() + duration;
        self.jobs.push_back(Job {
            id: id.clone(),
            ends,
        });
        id
    }

    /// Whether a job the fake started has finished; `None` for a job it does not know.
    pub(super) fn job_done(&self, id: &str) -> Option<bool> {
        let now = self.clock.now();
        self.jobs.iter().find(|j| j.id == id).map(|j| j.ends <= now)
    }
}

/// Whether a stored resource belongs to `parent` (any, when the request names none).
fn under(stored: &Stored, parent: Option<&str>) -> bool {
    parent.is_none() || stored.parent.as_deref() == parent
}

fn set_status(value: &mut Value, status: Option<Status>, pick: impl Fn(&Status) -> &'static str) {
    if let Some(status) = status {
        dotted::set(value, status.field, Value::String(pick(&status).into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHILD: Resource = Resource {
        parent: Some("parent_id"),
        ..Resource::bare(
            "child",
            "id",
            super::super::spec::NotFound {
                status: 404,
                code: Some("X.404"),
                message: "gone",
            },
        )
    };

    #[test]
    fn a_child_is_found_only_under_its_parent() {
        let mut store = Store::new(Clock::Manual(Duration::ZERO), 10);
        let value = serde_json::json!({});
        store
            .insert(&CHILD, "c1".into(), Some("p1".into()), value.clone(), None)
            .unwrap();
        store
            .insert(&CHILD, "c2".into(), Some("p2".into()), value, None)
            .unwrap();
        assert!(store.get("child", "c1", Some("p1")).is_some());
        assert!(store.get("child", "c1", Some("p2")).is_none());
        assert!(store.get("child", "c1", None).is_some());
        assert_eq!(store.all("child", Some("p2")).count(), 1);
        assert!(!store.delete(&CHILD, "c1", Some("p2"), Duration::ZERO));
        assert!(store.delete(&CHILD, "c1", Some("p1"), Duration::ZERO));
        assert_eq!(store.all("child", None).count(), 1);
    }

    #[test]
    fn the_limit_holds() {
        let mut store = Store::new(Clock::Manual(Duration::ZERO), 1);
        store
            .insert(&CHILD, "a".into(), None, serde_json::json!({}), None)
            .unwrap();
        let full = store.insert(&CHILD, "b".into(), None, serde_json::json!({}), None);
        assert_eq!(
            full,
            Err(FakeError::Full {
                resource: "child",
                limit: 1
            })
        );
    }

    #[test]
    fn fresh_ids_keep_the_documented_shape_and_differ() {
        let mut store = Store::new(Clock::Manual(Duration::ZERO), 10);
        let a = store.fresh_id(Some("ef8dd71d4e4f45cfa59a8ac7a6ad5f4din07"));
        let b = store.fresh_id(Some("ef8dd71d4e4f45cfa59a8ac7a6ad5f4din07"));
        assert_eq!(a, "000000014e4f45cfa59a8ac7a6ad5f4din07");
        assert_eq!(a.len(), b.len());
        assert_ne!(a, b);
        assert_eq!(store.fresh_id(Some("w1")), "w1-3");
        assert_eq!(store.fresh_id(None), "00000004");
    }
}
