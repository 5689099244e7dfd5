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

/// What the service's task API said about a job, as generated code reads it from the answer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobReport {
    /// The job's status, if the answer names one.
    pub status: Option<String>,
    /// Why the job failed, where the service documents a field for it (`fail_reason` of
    /// TaurusDB's `show_job`); `None` otherwise.
    pub reason: Option<String>,
}

/// Returns `response` once the job `job_id` succeeds, asking `status` every `interval`.
///
/// A response that names no job returns at once. A failed job is [`Error::JobFailed`] with the
/// reason the service gave (a blank one counts as none), a job still running after `timeout` is
/// [`Error::JobTimeout`] with the last status seen, and an error while asking ends the wait with
/// that error.
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
    Fut: Future<Output = Result<JobReport, Error>>,
{
    let Some(job_id) = job_id else {
        return Ok(response);
    };
    let started = Instant::now();
    loop {
        let JobReport {
            status: last,
            reason,
        } = status(job_id.clone()).await?;
        match last {
            Some(s) if outcomes.succeeded.contains(&s.as_str()) => return Ok(response),
            Some(s) if outcomes.failed.contains(&s.as_str()) => {
                return Err(Error::JobFailed {
                    job_id,
                    status: s,
                    reason: reason.filter(|r| !r.trim().is_empty()),
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

    fn status(status: &str) -> JobReport {
        JobReport {
            status: Some(status.to_string()),
            reason: None,
        }
    }

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
                async move { Ok(status(statuses[n])) }
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
            |_| async { Ok(status("Failed")) },
        ));
        assert!(matches!(
            failed,
            Err(Error::JobFailed { ref status, reason: None, .. }) if status == "Failed"
        ));
        let no_job = run(wait_for_job(
            7,
            None,
            OUTCOMES,
            Duration::ZERO,
            Duration::ZERO,
            |_| async { Err::<JobReport, _>(Error::Encode("never asked".into())) },
        ));
        assert_eq!(no_job.expect("returns at once"), 7);
        let timed_out = run(wait_for_job(
            (),
            Some("j".into()),
            OUTCOMES,
            Duration::from_millis(1),
            Duration::ZERO,
            |_| async { Ok(JobReport::default()) },
        ));
        assert!(matches!(
            timed_out,
            Err(Error::JobTimeout {
                last_status: None,
                ..
            })
        ));
    }

    #[test]
    fn a_failed_job_carries_its_reason_and_a_blank_one_is_none() {
        let fail = |reason: &'static str| {
            run(wait_for_job(
                (),
                Some("j-1".into()),
                OUTCOMES,
                Duration::ZERO,
                Duration::from_secs(5),
                move |_| async move {
                    Ok(JobReport {
                        status: Some("Failed".to_string()),
                        reason: Some(reason.to_string()),
                    })
                },
            ))
        };
        let error = fail("Insufficient quota.").expect_err("the job failed");
        assert!(
            matches!(&error, Error::JobFailed { reason: Some(r), .. } if r == "Insufficient quota."),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "job j-1 failed with status Failed: Insufficient quota."
        );
        let error = fail("  ").expect_err("the job failed");
        assert!(
            matches!(&error, Error::JobFailed { reason: None, .. }),
            "{error:?}"
        );
        assert_eq!(error.to_string(), "job j-1 failed with status Failed");
    }
}
