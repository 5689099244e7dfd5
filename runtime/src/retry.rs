//! Whether and how long to wait before trying a request again.
//!
//! The policy only decides; the request loop in `handle.rs` acts on its decisions.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Retry policy: bounded attempts with full-jitter exponential backoff.
///
/// Connection failures (nothing was sent) and 429 are retried for every request; 500, 502, 503,
/// 504, timeouts and connections lost after sending only for requests that are safe to repeat,
/// unless [`RetryConfig::retry_unsafe`] is set. Other statuses are never retried. A
/// `Retry-After` header (seconds or an HTTP date) is honoured, up to `max_backoff`.
///
/// ```
/// use huaweicloud_db_runtime::RetryConfig;
/// use std::time::Duration;
///
/// let retry = RetryConfig::default()
///     .max_attempts(5)
///     .initial_backoff(Duration::from_millis(100))
///     .max_backoff(Duration::from_secs(5));
/// # let _ = retry;
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    retry_unsafe: bool,
}

impl Default for RetryConfig {
    /// 3 attempts, backoff from 200 ms up to 20 s, only retry-safe requests retried on 5xx.
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
            retry_unsafe: false,
        }
    }
}

impl RetryConfig {
    /// No retries: one attempt only.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included. Default 3; 0 is taken as 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The ceiling of the first retry's random wait; it doubles for each further retry.
    /// Default 200 ms.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between attempts, `Retry-After` included. Default 20 s.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Also retry 5xx responses and timeouts of requests not marked retry-safe (such as a
    /// `POST` that creates something, which could then happen twice). Default false.
    pub fn retry_unsafe(mut self, retry: bool) -> Self {
        self.retry_unsafe = retry;
        self
    }

    /// Attempts in all, at least 1.
    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts.max(1)
    }

    /// Whether `outcome` may be retried, attempts aside.
    pub(crate) fn is_retryable(&self, outcome: Outcome, retry_safe: bool) -> bool {
        // A request whose effect is unknown may only be repeated if repeating it is harmless.
        let may_repeat = retry_safe || self.retry_unsafe;
        match outcome {
            Outcome::NotSent | Outcome::Status(429) => true,
            Outcome::Status(500 | 502 | 503 | 504) | Outcome::TimedOut | Outcome::Interrupted => {
                may_repeat
            }
            Outcome::Status(_) => false,
        }
    }

    /// How long to wait before retry number `retry` (1 for the second attempt): a random
    /// duration up to `initial_backoff * 2^(retry - 1)`, capped at `max_backoff`, but at least
    /// the server's `Retry-After` (itself capped at `max_backoff`).
    pub(crate) fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let jittered = full_jitter(ceiling);
        match retry_after {
            Some(wait) => wait.min(self.max_backoff).max(jittered),
            None => jittered,
        }
    }
}

/// What one attempt came to, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The connection could not be made: the server saw nothing.
    NotSent,
    /// No response in time: the server may have acted.
    TimedOut,
    /// The connection failed after the request went out: the server may have acted.
    Interrupted,
    /// A response arrived with this status.
    Status(u16),
}

/// The wait a `Retry-After` header asks for: delay-seconds or an HTTP date (past dates mean no
/// wait). Unparsable values are ignored, as if the header were absent.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

/// A uniformly random duration in `[0, ceiling]`. Integer arithmetic, so no float rounding can
/// push it past the ceiling or overflow `Duration`.
fn full_jitter(ceiling: Duration) -> Duration {
    // Capping at u64::MAX nanoseconds (584 years) keeps the product below 2^117.
    let nanos = u128::from(u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX));
    let scaled = (nanos * u128::from(random_53_bits())) >> 53;
    Duration::from_nanos(u64::try_from(scaled).unwrap_or(u64::MAX))
}

/// 53 pseudo-random bits: xorshift64 over the clock and a counter. Backoff needs spread across
/// clients and calls, not secrecy, so no `rand` dependency.
fn random_53_bits() -> u64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    // Truncating the seconds is fine: only bits that differ between calls matter.
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.subsec_nanos() ^ (d.as_secs() as u32))
        .unwrap_or(0);
    let mut x = u64::from(nanos) ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    // xorshift64 maps a zero state to zero; the counter makes that a one-in-2^64 event per call.
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    x >> 11
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn backoff_stays_under_its_ceiling() {
        let config = RetryConfig::default()
            .initial_backoff(Duration::from_millis(100))
            .max_backoff(Duration::from_millis(250));
        for retry in 0..100 {
            assert!(config.backoff(retry, None) <= Duration::from_millis(250));
        }
        for _ in 0..100 {
            assert!(config.backoff(1, None) <= Duration::from_millis(100));
        }
        let huge = RetryConfig::default()
            .initial_backoff(Duration::MAX)
            .max_backoff(Duration::MAX);
        assert!(huge.backoff(u32::MAX, None) <= Duration::MAX);
    }

    #[test]
    fn backoff_is_spread() {
        let config = RetryConfig::default().initial_backoff(Duration::from_secs(1));
        let waits: std::collections::HashSet<Duration> =
            (0..20).map(|_| config.backoff(1, None)).collect();
        assert!(waits.len() > 1);
    }

    #[test]
    fn retry_after_is_a_floor_capped_at_the_maximum() {
        let config = RetryConfig::default().max_backoff(Duration::from_secs(5));
        let two = Some(Duration::from_secs(2));
        assert!(config.backoff(1, two) >= Duration::from_secs(2));
        let capped = RetryConfig::default().max_backoff(Duration::from_secs(1));
        assert_eq!(capped.backoff(1, two), Duration::from_secs(1));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(RETRY_AFTER, HeaderValue::from_static(value));
            retry_after(&headers, now)
        };
        assert_eq!(with("3"), Some(Duration::from_secs(3)));
        // 2001-09-09T01:46:40Z is `now`; ten seconds later:
        assert_eq!(
            with("Sun, 09 Sep 2001 01:46:50 GMT"),
            Some(Duration::from_secs(10))
        );
        assert_eq!(with("Thu, 01 Jan 1970 00:00:00 GMT"), Some(Duration::ZERO));
        assert_eq!(with("soon"), None);
        assert_eq!(with("-1"), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
    }

    #[test]
    fn which_outcomes_are_retried() {
        let config = RetryConfig::default();
        for safe in [true, false] {
            assert!(config.is_retryable(Outcome::NotSent, safe));
            assert!(config.is_retryable(Outcome::Status(429), safe));
            assert!(!config.is_retryable(Outcome::Status(400), safe));
            assert!(!config.is_retryable(Outcome::Status(501), safe));
        }
        for outcome in [
            Outcome::Status(500),
            Outcome::Status(502),
            Outcome::Status(503),
            Outcome::Status(504),
            Outcome::TimedOut,
            Outcome::Interrupted,
        ] {
            assert!(config.is_retryable(outcome, true));
            assert!(!config.is_retryable(outcome, false));
            assert!(config
                .clone()
                .retry_unsafe(true)
                .is_retryable(outcome, false));
        }
        assert_eq!(RetryConfig::disabled().attempts(), 1);
        assert_eq!(RetryConfig::default().max_attempts(0).attempts(), 1);
    }
}
