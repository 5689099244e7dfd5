//! Credentials: a token, or an AK/SK pair (with a security token when temporary).

use std::fmt;

/// How requests are authenticated. Secrets never appear in `Debug` output.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// An IAM token, sent as `X-Auth-Token`.
    Token(String),
    /// An access key pair; requests are signed with `SDK-HMAC-SHA256`.
    AkSk {
        /// Access key ID (not secret; shown in `Debug`).
        ak: String,
        /// Secret access key.
        sk: String,
        /// Security token of temporary credentials, sent as `X-Security-Token`.
        security_token: Option<String>,
    },
}

impl Credentials {
    /// Token authentication.
    pub fn token(token: impl Into<String>) -> Credentials {
        Credentials::Token(token.into())
    }

    /// Permanent AK/SK credentials.
    pub fn ak_sk(ak: impl Into<String>, sk: impl Into<String>) -> Credentials {
        Credentials::AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: None,
        }
    }

    /// Temporary AK/SK credentials with their security token.
    pub fn temporary(
        ak: impl Into<String>,
        sk: impl Into<String>,
        security_token: impl Into<String>,
    ) -> Credentials {
        Credentials::AkSk {
            ak: ak.into(),
            sk: sk.into(),
            security_token: Some(security_token.into()),
        }
    }

    /// AK/SK credentials from `HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK` and, if set,
    /// `HUAWEICLOUD_SDK_SECURITY_TOKEN`; `None` unless both AK and SK are set and non-empty.
    pub fn from_env() -> Option<Credentials> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let ak = var("HUAWEICLOUD_SDK_AK")?;
        let sk = var("HUAWEICLOUD_SDK_SK")?;
        Some(Credentials::AkSk {
            ak,
            sk,
            security_token: var("HUAWEICLOUD_SDK_SECURITY_TOKEN"),
        })
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token(_) => f.debug_tuple("Token").field(&"***").finish(),
            Credentials::AkSk {
                ak, security_token, ..
            } => f
                .debug_struct("AkSk")
                .field("ak", ak)
                .field("sk", &"***")
                .field("security_token", &security_token.as_ref().map(|_| "***"))
                .finish(),
        }
    }
}
