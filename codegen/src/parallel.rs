//! A small ordered parallel map over the machine's cores, for the generator's independent jobs
//! (no dependency on a thread-pool crate for one loop).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

/// `f` applied to every item on up to [`threads`] threads; results in the order of `items`, so
/// the output never depends on scheduling. Items are handed out one at a time from a shared
/// counter, so a long job does not hold back the ones queued behind it on the same thread.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = threads().min(items.len());
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else {
                return done;
            };
            done.push((i, f(item)));
        }
    };
    let mut results: Vec<(usize, R)> = thread::scope(|scope| {
        let others: Vec<_> = (1..workers).map(|_| scope.spawn(work)).collect();
        // This thread works too, rather than waiting idle.
        let mut results = work();
        for other in others {
            match other.join() {
                Ok(done) => results.extend(done),
                // A job panicked: let it fail the run as it would have without threads.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    });
    results.sort_unstable_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// [`map`] over items it consumes: each is taken out of its slot by the one thread that runs it.
pub fn map_owned<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let slots: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    map(&slots, |slot| {
        // Each slot is taken once, so the lock is never contended nor poisoned by another taker.
        let item = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
        item.map(&f)
    })
    .into_iter()
    .flatten()
    .collect()
}

/// The number of threads [`map`] uses: the cores this process may run on.
pub fn threads() -> usize {
    thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::{map, map_owned};

    #[test]
    fn results_keep_the_order_of_the_items_whatever_finishes_first() {
        let items: Vec<u64> = (0..200).collect();
        // Early items take longest, so on several threads they finish last.
        let squares = map(&items, |&n| {
            let mut x = 0u64;
            for k in 0..(200 - n) * 1000 {
                x = x.wrapping_add(k);
            }
            std::hint::black_box(x);
            n * n
        });
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
    }

    #[test]
    fn no_items_give_no_results() {
        assert!(map(&[] as &[u8], |_| 1).is_empty());
        assert!(map_owned(Vec::<String>::new(), |s| s).is_empty());
    }

    #[test]
    fn owned_items_are_each_consumed_once_in_order() {
        let words: Vec<String> = (0..50).map(|i| format!("w{i}")).collect();
        let lengths = map_owned(words.clone(), |w| w + "!");
        assert_eq!(
            lengths,
            words.iter().map(|w| format!("{w}!")).collect::<Vec<_>>()
        );
    }
}
