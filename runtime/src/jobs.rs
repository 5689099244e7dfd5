//! Waiting for the asynchronous job an operation started: the one polling loop every generated
//! `send_and_wait` uses. Generated code supplies only the facts: the job id, the final statuses,
//! and how to ask the service for a job's status.

use super::error::Error;
use std::future::Future;
use std::time::{Duration, Instant};

/// What ends a wait: the statuses a job reports when it succeeded and when it failed.
#[derive(Debug, Clone, Copy)]
pub struct JobOutcomes {
    /// Statuses of a job that finished well.
    pub succeeded: &'static [&'static str],
    /// Statuses of a job that failed.
    pub failed: &'static [&'static str],
}

/// Returns `response` once the job `job_id` succeeds, asking `status` every `interval`.
///
/// A response that names no job returns at once. A failed job is [`Error::JobFailed`], a job still
/// running after `timeout` is [`Error::JobTimeout`] with the last status seen, and an error while
/// asking ends the wait with that error.
pub async fn wait_for_job<T, F, Fut>(
    response: T,
    job_id: Option<String>,
    outcomes: JobOutcomes,
    interval: Duration,
    timeout: Duration,
    mut status: F,
) -> Result<T, Error>
where
    F: FnMut(String) -> Fut,
    Fut: Future<Output = Result<Option<String>, Error>>,
{
    let Some(job_id) = job_id else {
        return Ok(response);
    };
    let started = Instant::now();
    loop {
        let last = status(job_id.clone()).await?;
        match last.as_deref() {
            Some(s) if outcomes.succeeded.contains(&s) => return Ok(response),
            Some(s) if outcomes.failed.contains(&s) => {
                return Err(Error::JobFailed {
                    job_id,
                    status: s.to_string(),
                })
            }
            _ => {}
        }
        if started.elapsed() + interval > timeout {
            return Err(Error::JobTimeout {
                job_id,
                waited: started.elapsed(),
                last_status: last,
            });
        }
        tokio::time::sleep(interval).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const OUTCOMES: JobOutcomes = JobOutcomes {
        succeeded: &["Completed"],
        failed: &["Failed"],
    };

    fn run<T>(future: impl Future<Output = T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    #[test]
    fn waits_until_the_job_ends() {
        let asked = AtomicUsize::new(0);
        let statuses = ["Running", "Running", "Completed"];
        let result = run(wait_for_job(
            "done",
            Some("j".into()),
            OUTCOMES,
            Duration::ZERO,
            Duration::from_secs(5),
            |_| {
                let n = asked.fetch_add(1, Ordering::SeqCst);
                async move { Ok(Some(statuses[n].to_string())) }
            },
        ));
        assert_eq!(result.expect("completed"), "done");
        assert_eq!(asked.load(Ordering::SeqCst), 3);
        let failed = run(wait_for_job(
            (),
            Some("j".into()),
            OUTCOMES,
            Duration::ZERO,
            Duration::from_secs(5),
            |_| async { Ok(Some("Failed".to_string())) },
        ));
        assert!(matches!(failed, Err(Error::JobFailed { ref status, .. }) if status == "Failed"));
        let no_job = run(wait_for_job(
            7,
            None,
            OUTCOMES,
            Duration::ZERO,
            Duration::ZERO,
            |_| async { Err::<Option<String>, _>(Error::Encode("never asked".into())) },
        ));
        assert_eq!(no_job.expect("returns at once"), 7);
        let timed_out = run(wait_for_job(
            (),
            Some("j".into()),
            OUTCOMES,
            Duration::from_millis(1),
            Duration::ZERO,
            |_| async { Ok(None) },
        ));
        assert!(matches!(
            timed_out,
            Err(Error::JobTimeout {
                last_status: None,
                ..
            })
        ));
    }
}
