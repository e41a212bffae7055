//! How push notifications leave (see `notifications` for what is sent to whom): FCM HTTP v1, authorised with a service account (a signed JWT
//! exchanged for a short-lived access token, kept until shortly before it expires), or, for
//! development, a log line holding only ids.

use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde::Deserialize;
use tokio::sync::Mutex;

/// Why a send failed, in words that hold no token or content.
#[derive(Debug)]
pub enum PushError {
    /// The token no longer names an installed app: the device is removed.
    Unregistered,
    /// Try again later.
    Transient(String),
}

pub enum Pusher {
    Log,
    Fcm(Box<Fcm>),
}

/// One message: what a lock screen may show, and ids for the app to open the item.
pub struct Message<'a> {
    pub title: &'a str,
    pub body: &'a str,
    pub data: serde_json::Value,
}

impl Pusher {
    pub async fn send(&self, token: &str, message: &Message<'_>) -> Result<(), PushError> {
        match self {
            Pusher::Log => {
                tracing::info!(data = %message.data, "notification (log transport, not sent)");
                Ok(())
            }
            Pusher::Fcm(fcm) => fcm.send(token, message).await,
        }
    }
}

#[derive(Deserialize)]
struct ServiceAccount {
    project_id: String,
    client_email: String,
    private_key: String,
    token_uri: String,
}

pub struct Fcm {
    http: reqwest::Client,
    send_url: String,
    token_uri: String,
    client_email: String,
    key: EncodingKey,
    token: Mutex<Option<(String, Instant)>>,
}

#[derive(serde::Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: u64,
    exp: u64,
}

impl Fcm {
    /// From a service account's JSON key, sending to `endpoint` (`https://fcm.googleapis.com`).
    pub fn new(credentials: &str, endpoint: &str) -> Result<Self, String> {
        let account: ServiceAccount =
            serde_json::from_str(credentials).map_err(|e| format!("service account JSON: {e}"))?;
        let key = EncodingKey::from_rsa_pem(account.private_key.as_bytes())
            .map_err(|e| format!("service account private key: {e}"))?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| format!("http client: {e}"))?;
        Ok(Fcm {
            http,
            send_url: format!(
                "{}/v1/projects/{}/messages:send",
                endpoint.trim_end_matches('/'),
                account.project_id
            ),
            token_uri: account.token_uri,
            client_email: account.client_email,
            key,
            token: Mutex::new(None),
        })
    }

    async fn access_token(&self) -> Result<String, PushError> {
        let mut cached = self.token.lock().await;
        if let Some((token, until)) = cached.as_ref()
            && Instant::now() < *until
        {
            return Ok(token.clone());
        }
        let now = time::OffsetDateTime::now_utc().unix_timestamp().max(0) as u64;
        let claims = Claims {
            iss: &self.client_email,
            scope: "https://www.googleapis.com/auth/firebase.messaging",
            aud: &self.token_uri,
            iat: now,
            exp: now + 3600,
        };
        let assertion = jsonwebtoken::encode(&Header::new(Algorithm::RS256), &claims, &self.key)
            .map_err(|e| PushError::Transient(format!("signing: {e}")))?;
        let form = format!(
            "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer&assertion={assertion}"
        );
        let res = self
            .http
            .post(&self.token_uri)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .map_err(|e| PushError::Transient(format!("token endpoint: {e}")))?;
        if !res.status().is_success() {
            return Err(PushError::Transient(format!(
                "token endpoint: {}",
                res.status()
            )));
        }
        #[derive(Deserialize)]
        struct Token {
            access_token: String,
            expires_in: u64,
        }
        let bytes = res
            .bytes()
            .await
            .map_err(|e| PushError::Transient(format!("token endpoint: {e}")))?;
        let token: Token = serde_json::from_slice(&bytes)
            .map_err(|e| PushError::Transient(format!("token endpoint answer: {e}")))?;
        // Renewed a minute early, so a token never expires on its way.
        let until = Instant::now() + Duration::from_secs(token.expires_in.saturating_sub(60));
        *cached = Some((token.access_token.clone(), until));
        Ok(token.access_token)
    }

    async fn send(&self, token: &str, message: &Message<'_>) -> Result<(), PushError> {
        let access = self.access_token().await?;
        let body = serde_json::json!({
            "message": {
                "token": token,
                "notification": { "title": message.title, "body": message.body },
                "data": message.data,
                "android": { "priority": "normal" },
                "apns": { "headers": { "apns-priority": "5" } },
            }
        });
        let res = self
            .http
            .post(&self.send_url)
            .bearer_auth(access)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .map_err(|e| PushError::Transient(format!("fcm: {e}")))?;
        let status = res.status();
        if status.is_success() {
            return Ok(());
        }
        let text = res.text().await.unwrap_or_default();
        if status == reqwest::StatusCode::NOT_FOUND || text.contains("UNREGISTERED") {
            return Err(PushError::Unregistered);
        }
        if status == reqwest::StatusCode::UNAUTHORIZED {
            *self.token.lock().await = None;
        }
        Err(PushError::Transient(format!("fcm: {status}")))
    }
}
