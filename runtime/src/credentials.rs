//! Credentials: an IAM token, or an AK/SK pair (with a security token when temporary).
//!
//! Secrets live only here and in the request headers built from them; every `Debug` impl
//! prints `***` in their place so that logging a client or a builder cannot leak them.

use std::fmt;

/// The environment variable holding the access key ID.
pub(crate) const ENV_AK: &str = "HUAWEICLOUD_SDK_AK";
/// The environment variable holding the secret access key.
pub(crate) const ENV_SK: &str = "HUAWEICLOUD_SDK_SK";
/// The environment variable holding the security token of temporary credentials.
pub(crate) const ENV_SECURITY_TOKEN: &str = "HUAWEICLOUD_SDK_SECURITY_TOKEN";

/// How requests are authenticated. Secrets never appear in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An IAM token, sent as `X-Auth-Token`.
    Token(String),
    /// An access key pair; requests are signed with `SDK-HMAC-SHA256`.
    AkSk(AkSk),
}

/// An access key pair, and the security token that comes with temporary credentials.
///
/// Build it with [`Credentials::ak_sk`] or [`Credentials::temporary`]. The fields are private
/// so that the secrets are only reachable through explicit accessors.
#[derive(Clone, PartialEq, Eq)]
pub struct AkSk {
    ak: String,
    sk: String,
    security_token: Option<String>,
}

impl AkSk {
    /// The access key ID (not a secret: it names the key, and is sent in `Authorization`).
    pub fn ak(&self) -> &str {
        &self.ak
    }

    /// The secret access key, which keys the request signature.
    pub fn sk(&self) -> &str {
        &self.sk
    }

    /// The security token of temporary credentials, sent as `X-Security-Token`.
    pub fn security_token(&self) -> Option<&str> {
        self.security_token.as_deref()
    }
}

impl Credentials {
    /// Token authentication: every request carries `X-Auth-Token: <token>`.
    pub fn token(token: impl Into<String>) -> Credentials {
        Credentials::Token(token.into())
    }

    /// Permanent AK/SK credentials.
    pub fn ak_sk(ak: impl Into<String>, sk: impl Into<String>) -> Credentials {
        Credentials::AkSk(AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: None,
        })
    }

    /// Temporary AK/SK credentials with their security token.
    pub fn temporary(
        ak: impl Into<String>,
        sk: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Credentials {
        Credentials::AkSk(AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: Some(security_token.into()),
        })
    }

    /// AK/SK credentials from `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and, when set,
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN`.
    ///
    /// `None` unless both the AK and the SK are set and not blank: half a key pair is treated as
    /// no credentials, so that [`ClientBuilder::build`](super::ClientBuilder::build) reports it.
    pub fn from_env() -> Option<Credentials> {
        Credentials::from_lookup(&process_env)
    }

    /// [`Credentials::from_env`] over the environment `env` (a lookup by variable name).
    pub(crate) fn from_lookup(env: &Env) -> Option<Credentials> {
        let ak = env_var(env, ENV_AK)?;
        let sk = env_var(env, ENV_SK)?;
        Some(Credentials::AkSk(AkSk {
            ak,
            sk,
            security_token: env_var(env, ENV_SECURITY_TOKEN),
        }))
    }

    /// The name of whatever is missing or unusable in these credentials, for a configuration
    /// error; `None` when they can be sent. Never mentions the secret values themselves.
    pub(crate) fn problem(&self) -> Option<&'static str> {
        // Values sent in HTTP headers must be visible ASCII; checking here turns a confusing
        // per-request failure into one clear error from `build`. The SK is never sent (it only
        // keys the HMAC), so it just has to be there.
        let unusable = |value: &str| value.is_empty() || !value.bytes().all(is_header_char);
        match self {
            Credentials::Token(token) if unusable(token) => Some("the token"),
            Credentials::Token(_) => None,
            Credentials::AkSk(key) if unusable(&key.ak) => Some("the access key (AK)"),
            Credentials::AkSk(key) if key.sk.is_empty() => Some("the secret key (SK)"),
            Credentials::AkSk(key) if key.security_token.as_deref().is_some_and(unusable) => {
                Some("the security token")
            }
            Credentials::AkSk(_) => None,
        }
    }
}

/// An environment to read configuration from: a variable's value by name.
pub(crate) type Env = dyn Fn(&str) -> Option<String>;

/// A variable of the process environment, if it is set and valid Unicode.
pub(crate) fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

/// A variable's value in `env`, trimmed, when it is set and not blank.
pub(crate) fn env_var(env: &Env, name: &str) -> Option<String> {
    env(name)
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty())
}

/// Visible ASCII: what a credential may contain to travel in a header unchanged.
fn is_header_char(byte: u8) -> bool {
    byte.is_ascii_graphic()
}

/// What `Debug` prints instead of a secret.
const REDACTED: &str = "***";

impl fmt::Debug for AkSk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AkSk")
            .field("ak", &self.ak)
            .field("sk", &REDACTED)
            .field(
                "security_token",
                &self.security_token.as_ref().map(|_| REDACTED),
            )
            .finish()
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token(_) => f.debug_tuple("Token").field(&REDACTED).finish(),
            Credentials::AkSk(key) => f.debug_tuple("AkSk").field(key).finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unusable_values_are_named_without_their_value() {
        assert_eq!(Credentials::token("").problem(), Some("the token"));
        assert_eq!(
            Credentials::ak_sk("ak", "").problem(),
            Some("the secret key (SK)")
        );
        assert_eq!(
            Credentials::temporary("ak", "sk", "t\n").problem(),
            Some("the security token")
        );
        assert_eq!(Credentials::temporary("ak", "sk", "t").problem(), None);
    }
}
