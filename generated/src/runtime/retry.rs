//! When and how long to wait before trying a request again.

use reqwest::header::{HeaderMap, RETRY_AFTER};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

/// Retry policy: bounded attempts with full-jitter exponential backoff.
///
/// Connection failures (nothing was sent) and 429 are retried for every request; 500, 502, 503,
/// 504 and timeouts only for requests that are safe to repeat, unless [`RetryConfig::retry_unsafe`]
/// is set. `Retry-After` is honoured, up to `max_backoff`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryConfig {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    retry_unsafe: bool,
}

impl Default for RetryConfig {
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
    /// One attempt only.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts in all, the first included (at least 1). Default 3.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Backoff ceiling of the first retry; it doubles for each further one. Default 200 ms.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between attempts, `Retry-After` included. Default 20 s.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// Also retry 5xx and timeouts of requests that are not safe to repeat. Default false.
    pub fn retry_unsafe(mut self, retry: bool) -> Self {
        self.retry_unsafe = retry;
        self
    }

    pub(crate) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether a response with `status` should be retried.
    pub(crate) fn retries_status(&self, status: u16, retry_safe: bool) -> bool {
        match status {
            429 => true,
            500 | 502 | 503 | 504 => retry_safe || self.retry_unsafe,
            _ => false,
        }
    }

    /// Whether a timeout should be retried.
    pub(crate) fn retries_timeout(&self, retry_safe: bool) -> bool {
        retry_safe || self.retry_unsafe
    }

    /// How long to wait before attempt `attempt + 1` (attempt counts from 1).
    pub(crate) fn backoff(&self, attempt: u32, headers: Option<&HeaderMap>) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        let jittered = ceiling.mul_f64(jitter());
        match headers.and_then(retry_after) {
            Some(wait) => wait.min(self.max_backoff).max(jittered),
            None => jittered,
        }
    }
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(
        when.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// A number in [0, 1): xorshift over the clock and a counter. Backoff needs spread, not secrecy.
fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0x9E37_79B9_7F4A_7C15);
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut x = nanos ^ COUNTER.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed);
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    (x >> 11) as f64 / (1u64 << 53) as f64
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
        for attempt in 1..10 {
            assert!(config.backoff(attempt, None) <= Duration::from_millis(250));
        }
        assert!(config.backoff(1, None) <= Duration::from_millis(100));
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_maximum() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("2"));
        let config = RetryConfig::default().max_backoff(Duration::from_secs(5));
        assert!(config.backoff(1, Some(&headers)) >= Duration::from_secs(2));
        let capped = RetryConfig::default().max_backoff(Duration::from_secs(1));
        assert_eq!(capped.backoff(1, Some(&headers)), Duration::from_secs(1));
    }

    #[test]
    fn which_statuses_are_retried() {
        let config = RetryConfig::default();
        assert!(config.retries_status(429, false));
        assert!(config.retries_status(503, true));
        assert!(!config.retries_status(503, false));
        assert!(!config.retries_status(400, true));
        assert!(RetryConfig::default()
            .retry_unsafe(true)
            .retries_status(503, false));
    }
}
